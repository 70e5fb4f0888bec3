"""The column mapping: made from command-line values or a preset, checked against the
contract, and applied by the reader over its own recognition of headers."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from conftest import PERFILES, csv_bytes, write_xlsx

from audit import ColumnMapping, MappingError, run_audit
from audit.ingest.problems import ProblemLog
from audit.ingest.reader import read_inputs

# A tool's export whose headers the contract does not know (Spanish, but not its names).
EXPORT = [
    ["Medio", "Perfil oficial", "Día y hora", "Contenido publicado", "Me gustas recibidos"],
    ["Facebook", "aytoprueba", "01/10/2026 10:00", "Corte de agua el jueves", "5"],
    ["X", "@AytoPrueba", "2026-10-15T08:00:00Z", "Presupuesto 2027 aprobado", "12"],
    ["X", "hospnorte", "2026-10-20 09:30", "Campaña de vacunación", "7"],
]
INLINE = ('posts.network=Medio,posts.handle=Perfil oficial,posts.published_at="Día y hora",'
          "posts.text=Contenido publicado,posts.likes=Me gustas recibidos")
SOURCES = [("perfiles.csv", csv_bytes(PERFILES)),
           ("exportacion_gestor.csv", csv_bytes(EXPORT, sep=","))]


def _read(mapping: ColumnMapping | None, sources=SOURCES):
    log = ProblemLog()
    return read_inputs(sources, log, mapping=mapping), log.frame("en")


def _error(*values: str) -> str:
    with pytest.raises(MappingError) as caught:
        ColumnMapping.from_options(list(values))
    return caught.value.message.render("en")


# --- made from the command line ------------------------------------------------------------


def test_inline_pairs_name_contract_columns_in_contract_order():
    mapping = ColumnMapping.from_options(['posts.text=Mensaje,posts.published_at="Fecha de '
                                          'publicación", profiles.handle = Cuenta oficial'])
    assert mapping.columns == {"profiles": {"handle": "Cuenta oficial"},
                               "posts": {"published_at": "Fecha de publicación",
                                         "text": "Mensaje"}}


def test_spanish_names_and_quoted_commas_are_accepted():
    mapping = ColumnMapping.from_options(['publicaciones.fecha=Día,publicaciones.texto="Texto, '
                                          'completo"'])
    assert mapping.columns == {"posts": {"published_at": "Día", "text": "Texto, completo"}}


def test_later_values_override_earlier_ones(tmp_path):
    preset = tmp_path / "gestor.yaml"
    preset.write_text(ColumnMapping.create({"posts": {"text": "A", "likes": "B"}},
                                           name="Gestor").to_yaml(), encoding="utf-8")
    mapping = ColumnMapping.from_options([str(preset), "posts.text=C"])
    assert mapping.columns == {"posts": {"text": "C", "likes": "B"}}
    assert mapping.name == "Gestor"


def test_an_unknown_column_is_refused_with_the_valid_ones():
    message = _error("posts.fecha_x=Día")
    assert "'posts.fecha_x'" in message
    assert "posts.published_at" in message and "posts.post_id" in message


def test_an_unknown_sheet_kind_is_refused_with_the_valid_ones():
    assert "profiles, posts, interactions, governance" in _error("postz.text=A")


@pytest.mark.parametrize("value", ["posts.text", "posts.text=", 'posts.text=""', "text=A",
                                   ",", "posts.text = "])
def test_a_malformed_pair_is_refused_with_the_expected_form(value):
    assert "Expected sheet.column=header" in _error(value)


def test_one_column_twice_or_one_header_for_two_columns_is_refused():
    assert "posts.text appears twice" in _error("posts.text=A,posts.text=B")
    assert "'a' is mapped to two columns of posts: text, post_id" in _error(
        "posts.text=A,posts.post_id= a ")


# --- presets ---------------------------------------------------------------------------------


def test_a_preset_round_trips_through_yaml(tmp_path):
    mapping = ColumnMapping.create(
        {"posts": {"text": "Mensaje", "published_at": "Fecha de publicación"},
         "perfiles": {"usuario": "Cuenta"}},
        name="Gestor municipal", description="Exportación mensual", files="export_*.csv",
        sheet="publicaciones")
    written = mapping.to_yaml()
    assert yaml.safe_load(written) == {
        "name": "Gestor municipal", "description": "Exportación mensual",
        "files": "export_*.csv", "sheet": "posts",
        "columns": {"profiles": {"handle": "Cuenta"},
                    "posts": {"published_at": "Fecha de publicación", "text": "Mensaje"}}}
    assert "Fecha de publicación" in written  # written as is, not escaped
    assert ColumnMapping.from_yaml(written) == mapping
    path = tmp_path / "gestor.yml"
    path.write_text(written, encoding="utf-8")
    assert ColumnMapping.from_options([str(path)]) == mapping


@pytest.mark.parametrize("content,expected", [
    ("columns: [a, b", "Cannot read the column mapping p.yaml"),
    ("- a\n- b\n", "not in the expected shape"),
    ("name: x\n", "not in the expected shape"),
    ("files: [a.csv, b.csv]\ncolumns: {posts: {text: A}}\n", "not in the expected shape"),
    ("name: x\ncolumns: {posts: {text: A}}\nsheets: posts\n", "unknown keys: sheets"),
    ("columns: {posts: [text, A]}\n", "'columns' must give"),
    ("columns: {posts: {text: {a: 1}}}\n", "Expected sheet.column=header"),
    ("columns: {posts: {texto_largo: A}}\n", "Unknown column in the column mapping"),
    ("sheet: hojas\ncolumns: {posts: {text: A}}\n", "Unknown sheet kind"),
])
def test_a_malformed_preset_is_refused_in_words(content, expected):
    with pytest.raises(MappingError) as caught:
        ColumnMapping.from_yaml(content, source="p.yaml")
    assert expected in caught.value.message.render("en")


def test_a_missing_preset_file_is_a_mapping_error(tmp_path):
    message = _error(str(tmp_path / "no_such.yaml"))
    assert message.startswith("Cannot read the column mapping") and "FileNotFoundError" in message


# --- applied by the reader -------------------------------------------------------------------


def test_without_a_mapping_the_export_is_not_recognised_and_kept_for_a_form():
    read, problems = _read(None)
    assert [t.kind for t in read.tables] == ["profiles"]
    assert "file_not_recognised" in set(problems["code"])
    [unread] = read.unrecognised
    assert unread.kind is None and unread.headers == EXPORT[0]
    assert unread.rows.to_numpy().tolist() == EXPORT[1:]


def test_the_reader_applies_the_mapping_to_recognise_the_sheet_and_its_columns():
    read, problems = _read(ColumnMapping.from_options([INLINE]))
    posts = next(t for t in read.tables if t.kind == "posts")
    assert posts.headers == {"network": "Medio", "handle": "Perfil oficial",
                             "published_at": "Día y hora", "text": "Contenido publicado",
                             "likes": "Me gustas recibidos"}
    assert posts.frame["text"].tolist() == [r[3] for r in EXPORT[1:]]
    assert posts.rows.tolist() == [2, 3, 4]
    assert read.unrecognised == []
    assert problems.empty


def test_a_mapped_header_wins_over_a_recognised_one_which_is_reported():
    sources = [("publicaciones.csv", csv_bytes([["red", "usuario", "fecha", "Publicado el"],
                                                 ["X", "a", "2026-01-01", "2026-02-02"]]))]
    read, problems = _read(ColumnMapping.from_options(["posts.published_at=publicado EL"]),
                           sources)
    [posts] = read.tables
    assert posts.frame["published_at"].tolist() == ["2026-02-02"]
    [duplicate] = problems[problems["code"] == "duplicate_column"].itertuples()
    assert duplicate.column == "fecha" and "'Publicado el'" in duplicate.message


def test_matching_ignores_spaces_and_case_but_not_spelling():
    spaced = ColumnMapping.from_options(['posts.published_at=" día   Y HORA "'])
    assert spaced.columns["posts"]["published_at"] == "día   Y HORA"
    mapping = ColumnMapping.from_options([INLINE.replace('"Día y hora"', "día   Y HORA")])
    read, problems = _read(mapping)
    assert "posts" in [t.kind for t in read.tables] and problems.empty


def test_a_mapped_header_the_sheet_lacks_is_an_error_with_close_matches():
    mapping = ColumnMapping.from_options([INLINE.replace("=Contenido publicado", "=Contenido")])
    _, problems = _read(mapping)
    [missing] = problems[problems["code"] == "mapped_header_missing"].itertuples()
    assert missing.severity == "error" and missing.file == "exportacion_gestor.csv"
    assert missing.column == "Contenido" and "posts.text" in missing.message
    assert "Similar headers: Contenido publicado" in missing.message
    assert pd.isna(missing.row)  # the whole sheet, not a row


def test_a_mapping_that_no_sheet_used_is_an_error_with_close_matches():
    read, problems = _read(ColumnMapping.from_options(["posts.published_at=Dia y hora"]))
    assert [t.kind for t in read.tables] == ["profiles"]
    [unused] = problems[problems["code"] == "mapping_unused"].itertuples()
    assert unused.severity == "error"
    assert "Dia y hora" in unused.message and "Similar headers: Día y hora" in unused.message


def test_a_sheet_named_for_a_kind_keeps_it_and_files_limits_the_mapping():
    mapping = ColumnMapping.create({"posts": {"handle": "usuario"}}, sheet="posts")
    read, _ = _read(mapping, SOURCES[:1])
    assert [t.kind for t in read.tables] == ["profiles"]  # "perfiles" names the kind
    limited = ColumnMapping.create({"posts": dict(ColumnMapping.from_options(
        [INLINE]).columns["posts"])}, files="INFORME_*.CSV")
    read, problems = _read(limited)
    assert "mapping_unused" in set(problems["code"])  # the pattern matches no file
    read, problems = _read(ColumnMapping.create(limited.columns, files="exportacion_*"))
    assert "posts" in [t.kind for t in read.tables] and problems.empty


def test_the_declared_sheet_kind_and_a_title_row_in_a_workbook(tmp_path):
    book = write_xlsx(tmp_path / "informe.xlsx", {
        "Hoja1": [["Informe de publicaciones de octubre"], [], *EXPORT]})
    mapping = ColumnMapping.create({"posts": {"network": "Medio", "handle": "Perfil oficial",
                                              "published_at": "Día y hora"}},
                                   files="informe.xlsx", sheet="posts")
    read, problems = _read(mapping, [("perfiles.csv", csv_bytes(PERFILES)),
                                     (book.name, book.read_bytes())])
    posts = next(t for t in read.tables if t.kind == "posts")
    assert posts.rows.tolist() == [4, 5, 6]  # Excel rows: title, blank, header, data
    assert "Contenido publicado" in posts.extra
    assert set(problems["code"]) == {"unknown_column"}  # the two headers left unmapped


def test_a_sheet_with_a_required_column_missing_is_kept_for_a_form_with_what_was_found():
    sources = [("publicaciones.csv", csv_bytes([["red", "usuario", "Día", "texto"],
                                                 ["X", "a", "2026-01-01", "hola"]]))]
    read, problems = _read(None, sources)
    assert "missing_required_column" in set(problems["code"])
    [unread] = read.unrecognised
    assert unread.kind == "posts"
    assert unread.recognised == {"red": "network", "usuario": "handle", "texto": "text"}
    mapping = ColumnMapping.create({"posts": {**{c: h for h, c in unread.recognised.items()},
                                              "published_at": "Día"}})
    assert unread.preview(mapping, "posts").to_dict("records") == [
        {"network": "X", "handle": "a", "published_at": "2026-01-01", "text": "hola"}]


def test_run_audit_reads_the_posts_through_the_mapping(tmp_path):
    paths = []
    for name, data in SOURCES:
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    without = run_audit(paths)
    assert not without.usable or without.manifest()["counts"]["posts"] == 0
    result = run_audit(paths, column_map=ColumnMapping.from_options([INLINE]))
    assert result.usable
    assert result.manifest()["counts"]["posts"] == 3
    assert result.read.mapping.columns["posts"]["text"] == "Contenido publicado"
