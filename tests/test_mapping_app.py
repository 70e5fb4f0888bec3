"""The column-mapping form on the Data page, driven headless: an export whose headers are
not recognised shows the form; the columns chosen there are previewed, applied (the audit
then has the posts) and saved as a preset that the command line reads as it is."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import PERFILES, csv_bytes
from streamlit.testing.v1 import AppTest
from test_mapping import EXPORT

from audit.cli import main
from ui.i18n import TEXT

APP = str(Path(__file__).resolve().parent.parent / "app.py")
T = TEXT["es"]
FILES = [("perfiles.csv", csv_bytes(PERFILES), "text/csv"),
         ("exportacion_gestor.csv", csv_bytes(EXPORT, sep=","), "text/csv")]
CHOICES = {"network": "Medio", "handle": "Perfil oficial", "published_at": "Día y hora",
           "text": "Contenido publicado", "likes": "Me gustas recibidos"}


def _uploaded() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.file_uploader[0].set_value(FILES).run()
    assert not at.exception
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _posts(at: AppTest) -> str:
    return {m.label: m.value for m in at.metric}[T["posts"]]


def test_unrecognised_headers_show_the_form_and_the_mapping_reads_the_posts(tmp_path, capsys):
    at = _uploaded()
    assert T["map_title"] in [s.value for s in at.subheader]
    assert at.selectbox(key="map_kind_0_es").value == "posts"
    assert at.selectbox(key="map_0_posts_text_es").options == [T["map_none"], *EXPORT[0]]
    assert _button(at, T["map_apply"]).disabled  # nothing chosen yet
    assert T["map_preview_empty"] in [c.value for c in at.caption]

    for column, header in CHOICES.items():
        at.selectbox(key=f"map_0_posts_{column}_es").set_value(header)
    at.text_input(key="map_name_0_es").set_value("Gestor municipal")
    at.run()
    assert not at.exception
    # The preview is the table with the chosen columns (the read summary is shown too, as the
    # rest of the upload audits without the unrecognised file).
    preview = next(d.value for d in at.dataframe if "text" in d.value.columns)
    assert list(preview.columns) == list(CHOICES)
    assert preview["text"].tolist() == [r[3] for r in EXPORT[1:]]

    _button(at, T["map_apply"]).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _posts(at) == "3"
    assert T["map_title"] not in [s.value for s in at.subheader]  # nothing left unread
    assert at.info[0].value.startswith("Los archivos se leen con un mapeo de columnas")

    # Saved as a preset: the YAML the download button serves works on the command line.
    preset = tmp_path / T["map_file_name"]
    preset.write_text(at.session_state["column_map"].to_yaml(), encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    inputs = []
    for name, data, _ in FILES:
        (folder / name).write_bytes(data)
        inputs.append(str(folder / name))
    out = tmp_path / "out"
    assert main(["run", *inputs, "--out", str(out), "--map", str(preset)]) == 0
    capsys.readouterr()
    assert json.loads((out / "audit.json").read_text(encoding="utf-8"))["counts"]["posts"] == 3

    # Removing the mapping brings the form back.
    _button(at, T["map_clear"]).click().run()
    assert T["map_title"] in [s.value for s in at.subheader]


def test_an_uploaded_preset_is_applied_and_a_broken_one_explained(tmp_path):
    from audit import ColumnMapping

    at = _uploaded()
    at.file_uploader(key="map_preset").set_value(
        ("roto.yaml", b"columns: {posts: {fecha_x: A}}\n", "application/x-yaml")).run()
    assert not at.exception
    assert any(e.value.startswith("El preset no se puede usar: Columna desconocida")
               for e in at.error)
    preset = ColumnMapping.create({"posts": CHOICES}, files="exportacion_*.csv", sheet="posts")
    at.file_uploader(key="map_preset").set_value(
        ("gestor.yaml", preset.to_yaml().encode("utf-8"), "application/x-yaml")).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _posts(at) == "3"


def test_one_header_for_two_columns_is_said_and_cannot_be_applied():
    at = _uploaded()
    at.selectbox(key="map_0_posts_text_es").set_value("Medio")
    at.selectbox(key="map_0_posts_network_es").set_value("Medio").run()
    assert not at.exception
    assert any("asignado a dos columnas" in e.value for e in at.error)
    assert _button(at, T["map_apply"]).disabled
