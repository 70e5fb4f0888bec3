"""Parquet input: read as a CSV file is (sheet by file name, header in row 1, data from
row 2), so the same sheets give the same audit and the same problem locations; typed
columns read as their values; a file that is not Parquet is a problem, never an exception."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
from conftest import SPANISH, csv_bytes

from audit import run_audit
from audit.ingest.archive import ArchiveLimits
from audit.ingest.problems import ProblemLog
from audit.ingest.reader import read_folder, read_inputs

AS_OF = dt.date(2026, 10, 31)


def parquet_bytes(columns: dict[str, list] | pa.Table) -> bytes:
    table = columns if isinstance(columns, pa.Table) else pa.table(columns)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _as_columns(rows: list[list]) -> dict[str, list]:
    return {header: [row[i] for row in rows[1:]] for i, header in enumerate(rows[0])}


def _read(*sources: tuple[str, bytes]):
    log = ProblemLog()
    return read_inputs(list(sources), log), log


def _codes(log: ProblemLog) -> list[tuple[str, str]]:
    return [(r.severity, r.code) for r in log.frame("en").itertuples()]


def _problems(result, suffix: str):
    frame = result.problems.frame("en").drop(columns=["message"])
    frame["file"] = frame["file"].str.replace(suffix, "", regex=False)
    return frame


def test_the_same_sheets_as_csv_or_parquet_give_the_same_audit_and_problem_rows():
    csv = run_audit([(f"{name}.csv", csv_bytes(rows)) for name, rows in SPANISH.items()],
                    as_of=AS_OF)
    parquet = run_audit([(f"{name}.parquet", parquet_bytes(_as_columns(rows)))
                         for name, rows in SPANISH.items()], as_of=AS_OF)
    problems = _problems(parquet, ".parquet")
    assert problems.equals(_problems(csv, ".csv"))
    # the planted bad date of the posts sheet is its row 4, as in the CSV file
    assert ("publicaciones", 4) in set(zip(problems["sheet"], problems["row"], strict=True))
    assert parquet.scorecard.scores.equals(csv.scorecard.scores)
    assert [i["format"] for i in parquet.manifest()["inputs"]] == ["parquet"] * 4


def test_typed_columns_are_read_as_their_values():
    posts = pa.table({
        "red": ["Facebook", "X", None],
        "usuario": ["@ayto", "@ayto", "@ayto"],
        "fecha": pa.array([dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC),
                           dt.datetime(2026, 10, 2, 9, tzinfo=dt.UTC), None],
                          pa.timestamp("us", "UTC")),
        "me_gusta": pa.array([1234, 5, None], pa.int64()),
        "texto": pa.array(["Hola", "Corte de agua", "Adiós"]).dictionary_encode(),
        "etiquetas": [["a", "b"], [], None],
    })
    read, log = _read(("publicaciones.parquet", parquet_bytes(posts)))
    (table,) = read.tables
    assert (table.kind, table.sheet, table.rows.tolist()) == ("posts", "publicaciones", [2, 3, 4])
    frame = table.frame
    assert frame["likes"].tolist()[:2] == ["1234", "5"]
    assert frame["published_at"].tolist()[0] == dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC)
    assert frame["text"].tolist() == ["Hola", "Corte de agua", "Adiós"]
    assert frame["etiquetas"].tolist()[0] == '["a", "b"]'
    assert ("info", "unknown_column") in _codes(log)


def test_a_parquet_profiles_sheet_is_audited_from_a_zip_and_a_folder(tmp_path):
    profiles = parquet_bytes(_as_columns(SPANISH["perfiles"]))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("datos/perfiles.parquet", profiles)
    read, _ = _read(("datos.zip", archive.getvalue()))
    assert [t.kind for t in read.tables] == ["profiles"]
    (tmp_path / "datos").mkdir()
    (tmp_path / "datos" / "perfiles.parquet").write_bytes(profiles)
    read, _ = _read(*read_folder(tmp_path / "datos"))
    assert [(t.kind, t.file) for t in read.tables] == [("profiles", "datos/perfiles.parquet")]


def test_a_file_that_is_not_parquet_is_a_problem():
    cut = parquet_bytes(_as_columns(SPANISH["perfiles"]))
    cases = {
        cut[: len(cut) // 2]: "file_unreadable",  # a download cut short
        csv_bytes(SPANISH["perfiles"], encoding="utf-8"): "file_is_text",
        b"<html><table><tr><td>x</td></tr></table></html>": "file_is_html",
    }
    for data, code in cases.items():
        read, log = _read(("perfiles.parquet", data))
        assert read.tables == []
        assert ("error", code) in _codes(log)


def test_a_parquet_file_with_a_header_and_no_rows_is_empty():
    empty = pa.table({"institución": pa.array([], pa.string()),
                      "red": pa.array([], pa.string()), "usuario": pa.array([], pa.string())})
    read, log = _read(("perfiles.parquet", parquet_bytes(empty)))
    assert read.tables == []
    assert ("error", "file_empty") in _codes(log)


def test_a_parquet_bomb_is_refused_before_its_columns_are_decompressed():
    bomb = io.BytesIO()
    pq.write_table(pa.table({"institución": ["Museo " * 20] * 100_000, "red": ["X"] * 100_000,
                             "usuario": ["@m"] * 100_000}),
                   bomb, use_dictionary=False, compression="zstd")
    log = ProblemLog()
    read = read_inputs([("perfiles.parquet", bomb.getvalue())], log,
                       limits=ArchiveLimits(ratio_from_mb=0))
    assert read.tables == []
    assert ("error", "parquet_ratio") in _codes(log)
    # the same file within the default limits (a small file may compress well) is read
    read, _ = _read(("perfiles.parquet", bomb.getvalue()))
    assert [t.kind for t in read.tables] == ["profiles"]
