"""``--map`` on the command line: inline pairs and presets, and the exit status of each
mistake (2, one line, no traceback)."""

from __future__ import annotations

import json

import pytest
from conftest import PERFILES, csv_bytes
from test_mapping import EXPORT, INLINE

from audit import ColumnMapping
from audit.cli import main


@pytest.fixture
def inputs(tmp_path):
    profiles, export = tmp_path / "perfiles.csv", tmp_path / "exportacion_gestor.csv"
    profiles.write_bytes(csv_bytes(PERFILES))
    export.write_bytes(csv_bytes(EXPORT, sep=","))
    return [str(profiles), str(export)]


@pytest.fixture
def cli(capsys, tmp_path):
    """Run ``audit run`` in process: (exit status, stdout, stderr, output folder)."""

    def run(*args: str) -> tuple[int, str, str, object]:
        out = tmp_path / "out"
        code = main(["run", *args, "--out", str(out), "--lang", "en"])
        stdout, stderr = capsys.readouterr()
        assert "Traceback" not in stderr
        return code, stdout, stderr, out

    return run


def _posts(out) -> int:
    return json.loads((out / "audit.json").read_text(encoding="utf-8"))["counts"]["posts"]


def test_inline_mapping_reads_the_export(cli, inputs):
    code, stdout, _, out = cli(*inputs, "--map", INLINE)
    assert code == 0
    assert "3 posts" in stdout and _posts(out) == 3


def test_a_preset_file_reads_the_export_and_inline_pairs_add_to_it(cli, inputs, tmp_path):
    preset = tmp_path / "gestor.yaml"
    columns = dict(ColumnMapping.from_options([INLINE]).columns["posts"])
    likes = columns.pop("likes")
    preset.write_text(ColumnMapping.create({"posts": columns}, name="Gestor",
                                           files="exportacion_*.csv").to_yaml(),
                      encoding="utf-8")
    code, _, _, out = cli(*inputs, "--map", str(preset), "--map", f"posts.likes={likes}")
    assert code == 0 and _posts(out) == 3
    problems = (out / "problems.csv").read_text(encoding="utf-8")
    assert "Me gustas recibidos" not in problems  # read as likes, not an unknown column


def test_an_unknown_column_exits_2_with_the_valid_columns(cli, inputs):
    code, stdout, stderr, out = cli(*inputs, "--map", "posts.fecha_x=Día y hora")
    assert code == 2 and stdout == ""
    assert stderr.startswith("Unknown column in the column mapping: 'posts.fecha_x'")
    assert "posts.published_at" in stderr
    assert not out.exists()  # refused before reading anything


@pytest.mark.parametrize("value,expected", [
    ("postz.text=A", "Unknown sheet kind"),
    ("posts.text", "Expected sheet.column=header"),
    ("no_such_preset.yaml", "Cannot read the column mapping no_such_preset.yaml"),
])
def test_other_mapping_mistakes_exit_2_in_one_line(cli, inputs, value, expected):
    code, _, stderr, _ = cli(*inputs, "--map", value)
    assert code == 2 and expected in stderr and len(stderr.strip().splitlines()) == 1


def test_a_mapped_header_the_file_lacks_leaves_that_file_out_and_says_so(cli, inputs):
    """Like any unusable file among others: reported with the close headers, left out, and
    the rest (the profiles) audited."""
    code, _stdout, _, out = cli(*inputs, "--map", INLINE.replace("Medio", "Medios"))
    assert code == 0
    problems = (out / "problems.csv").read_text(encoding="utf-8")
    assert "mapped_header_missing" in problems and "'Medios'" in problems
    assert "Similar headers: Medio" in problems
    assert json.loads((out / "audit.json").read_text(encoding="utf-8"))["counts"]["posts"] == 0


def test_the_mapping_is_recorded_in_audit_json(tmp_path):
    """An audit read with a mapping can be reproduced from its record."""
    import json

    from audit import ColumnMapping, run_audit
    from audit.report.write import write_outputs

    source = tmp_path / "export.csv"
    source.write_text("institución,red,usuario,Día y hora\nAyto,Facebook,@ayto,2026-10-01\n",
                      encoding="utf-8")
    mapping = ColumnMapping.from_options(["perfiles.última_publicación=Día y hora"])
    result = run_audit([str(source)], column_map=mapping)
    write_outputs(result, tmp_path / "out")
    record = json.loads((tmp_path / "out" / "audit.json").read_text(encoding="utf-8"))
    assert record["column_map"]["columns"] == {"profiles": {"last_post_at": "Día y hora"}}
