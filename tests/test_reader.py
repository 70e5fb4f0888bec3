"""The reader alone: encodings and delimiters of CSV files, sheets of workbooks, members of
zips, and every file it cannot use turned into a problem code (never an exception)."""

from __future__ import annotations

import pytest
from conftest import PERFILES, SPANISH, csv_bytes, write_xlsx, write_zip

from audit.ingest.problems import ProblemLog
from audit.ingest.reader import read_inputs

SMALL = [["institución", "red", "usuario"], ["Museo Ñandú", "Facebook", "@museo"],
         ["Museo Ñandú", "X", "@museo"]]


def _read(*sources: tuple[str, bytes]):
    log = ProblemLog()
    return read_inputs(list(sources), log), log


def _codes(log: ProblemLog) -> list[tuple[str, str]]:
    return [(r.severity, r.code) for r in log.frame("en").itertuples()]


# --- CSV -------------------------------------------------------------------------------------

@pytest.mark.parametrize("sep,encoding,shown_sep,shown_encoding", [
    (";", "cp1252", ";", "cp1252"),
    (",", "utf-8", ",", "utf-8"),
    ("\t", "utf-8-sig", "tab", "utf-8-sig"),
    (";", "utf-16", ";", "utf-16"),  # with a BOM
    (",", "utf-16-le", ",", "utf-16-le"),  # without one
])
def test_csv_encoding_and_delimiter_are_found(sep, encoding, shown_sep, shown_encoding):
    read, log = _read(("perfiles.csv", csv_bytes(SMALL, sep=sep, encoding=encoding)))
    assert len(log) == 0
    (table,) = read.tables
    assert (table.kind, table.sheet) == ("profiles", "perfiles")
    assert (table.encoding, table.delimiter) == (shown_encoding, shown_sep)
    assert list(table.frame.columns) == ["institution", "network", "handle"]
    assert table.frame["institution"].tolist() == ["Museo Ñandú", "Museo Ñandú"]
    assert table.rows.tolist() == [2, 3]
    assert table.headers == {"institution": "institución", "network": "red", "handle": "usuario"}
    assert read.inputs[0].format == "csv"


def test_excel_sep_line_sets_the_delimiter_and_shifts_the_rows():
    body = "sep=,\r\n" + csv_bytes(SMALL, sep=",", encoding="utf-8").decode()
    read, _ = _read(("perfiles.csv", body.encode("utf-8")))
    (table,) = read.tables
    assert table.delimiter == "," and table.rows.tolist() == [3, 4]


def test_semicolons_inside_quotes_do_not_choose_the_delimiter():
    body = '"institución;red;usuario",x,y\r\n'.encode() + b"a,b,c\r\n"
    read, log = _read(("notas.csv", body))
    assert read.tables == [] and ("warning", "file_not_recognised") in _codes(log)


def test_rows_of_uneven_length_are_padded_not_refused():
    body = "institución;red;usuario;biografía\r\nMuseo;IG;@museo\r\nMuseo;X;@museo;hola;extra\r\n"
    read, _ = _read(("perfiles.csv", body.encode("utf-8")))
    (table,) = read.tables
    assert table.frame["bio"].tolist()[1] == "hola"
    assert len(table.frame) == 2


# --- workbooks -------------------------------------------------------------------------------

def test_each_sheet_becomes_a_table_of_its_kind(tmp_path):
    path = write_xlsx(tmp_path / "libro.xlsx", SPANISH)
    read, log = _read((path.name, path.read_bytes()))
    assert [(t.kind, t.sheet, len(t.frame)) for t in read.tables] == [
        ("profiles", "perfiles", 8), ("posts", "publicaciones", 6),
        ("interactions", "interacciones", 3), ("governance", "gobernanza", 4)]
    assert read.tables[0].rows.tolist() == list(range(2, 10))
    assert all(t.encoding is None and t.delimiter is None for t in read.tables)
    assert not log.fatal


def test_title_rows_and_blank_rows_keep_excel_row_numbers(tmp_path):
    rows = [["Inventario 2026"], [], ["institución", "red", "usuario"], ["Museo", "IG", "@m"],
            [None, None, None], ["Museo", "X", "@m"]]
    path = write_xlsx(tmp_path / "libro.xlsx", {"Perfiles": rows})
    read, _ = _read((path.name, path.read_bytes()))
    (table,) = read.tables
    assert table.rows.tolist() == [4, 6]
    assert read.empty_rows == 1


def test_sheet_kind_by_headers_and_unknown_sheets_reported(tmp_path):
    path = write_xlsx(tmp_path / "export.xlsx", {
        "Hoja1": [["Entidad", "Plataforma", "Cuenta"], ["Museo", "IG", "@museo"]],
        "Notas": [["cualquier cosa"], ["más"]],
    })
    read, log = _read((path.name, path.read_bytes()))
    assert [(t.kind, t.sheet) for t in read.tables] == [("profiles", "Hoja1")]
    assert [(r.code, r.sheet) for r in log.frame("en").itertuples()] == [
        ("sheet_ignored", "Notas")]


def test_repeated_and_unknown_columns(tmp_path):
    path = write_xlsx(tmp_path / "libro.xlsx", {"perfiles": [
        ["institución", "red", "usuario", "handle", "seguidroes"],
        ["Museo", "IG", "@museo", "@otro", "100"]]})
    read, log = _read((path.name, path.read_bytes()))
    (table,) = read.tables
    assert table.extra == ["handle", "seguidroes"]
    problems = log.frame("es").set_index("code")
    assert problems.loc["duplicate_column", ["severity", "row", "column"]].tolist() == [
        "warning", 1, "handle"]
    assert "«seguidores»" in problems.loc["unknown_column", "message"]


def test_missing_required_column_names_the_sheet_and_a_suggestion(tmp_path):
    path = write_xlsx(tmp_path / "libro.xlsx", {"perfiles": [
        ["institución", "red", "usaurio"], ["Museo", "IG", "@museo"]]})
    read, log = _read((path.name, path.read_bytes()))
    assert read.tables == []
    missing, unknown = log.frame("es").itertuples()
    assert (missing.severity, missing.code, missing.sheet, missing.column) == (
        "error", "missing_required_column", "perfiles", "usuario")
    assert "¿Quiso decir «usaurio»?" in missing.message
    assert (unknown.code, unknown.row, unknown.column) == ("unknown_column", 1, "usaurio")
    assert log.fatal


# --- zips ------------------------------------------------------------------------------------

def test_zip_members_are_read_in_order_and_junk_is_skipped_with_a_note(tmp_path):
    archive = write_zip(tmp_path / "export.zip", {
        "b/publicaciones.csv": csv_bytes(SPANISH["publicaciones"]),
        "a/perfiles.csv": csv_bytes(PERFILES),
        "a/logo.PNG": b"\x89PNG fake",
        "a/notas.docx": b"whatever",
        "__MACOSX/a/._perfiles.csv": b"junk",
        "a/.DS_Store": b"junk",
    })
    read, log = _read((archive.name, archive.read_bytes()))
    assert [(t.kind, t.file) for t in read.tables] == [
        ("profiles", "export.zip!/a/perfiles.csv"),
        ("posts", "export.zip!/b/publicaciones.csv")]
    assert read.images == {"logo.PNG": b"\x89PNG fake"}
    assert _codes(log) == [("info", "zip_member_hidden"), ("info", "zip_member_hidden"),
                           ("info", "zip_member_ignored")]
    assert log.frame("en")["file"].tolist() == [
        "export.zip!/__MACOSX/a/._perfiles.csv", "export.zip!/a/.DS_Store",
        "export.zip!/a/notas.docx"]
    assert [(i.name, i.format) for i in read.inputs] == [("export.zip", "zip")]


def test_zip_inside_a_zip_is_opened_one_level_deep(tmp_path):
    deepest = write_zip(tmp_path / "deepest.zip", {"interacciones.csv": b"x"})
    inner = write_zip(tmp_path / "inner.zip", {"publicaciones.csv":
                                               csv_bytes(SPANISH["publicaciones"]),
                                               "deepest.zip": deepest.read_bytes()})
    outer = write_zip(tmp_path / "outer.zip", {"inner.zip": inner.read_bytes(),
                                               "perfiles.csv": csv_bytes(SMALL)})
    read, log = _read((outer.name, outer.read_bytes()))
    assert [(t.kind, t.file) for t in read.tables] == [
        ("posts", "outer.zip!/inner.zip!/publicaciones.csv"),
        ("profiles", "outer.zip!/perfiles.csv")]
    assert _codes(log) == [("warning", "zip_nested_too_deep")]
    assert log.frame("en")["file"].tolist() == ["outer.zip!/inner.zip!/deepest.zip"]


# --- files that cannot be used ---------------------------------------------------------------

@pytest.mark.parametrize("name,data,code", [
    ("vacio.csv", b"", "file_empty"),
    ("vacio.xlsx", b"", "file_empty"),
    ("solo_encabezado.csv", "institución;red;usuario\r\n".encode(), "file_empty"),
    ("espacios.csv", b"\r\n  \r\n", "file_empty"),
    ("roto.xlsx", b"PK\x03\x04 not a workbook", "file_unreadable"),
    ("roto.zip", b"PK\x03\x04 broken", "file_unreadable"),
    ("notas.pdf", b"%PDF-1.4", "file_unsupported"),
    ("sin_extension", b"institucion;red;usuario", "file_unsupported"),
    ("foto.png", b"\x89PNG fake", "file_unsupported"),  # an image only counts inside a zip
])
def test_unusable_file_is_one_file_level_error(name, data, code):
    read, log = _read((name, data))
    assert read.tables == []
    assert _codes(log) == [("error", code)]
    assert log.fatal and log.frame("en")["row"].isna().all()
    assert log.frame("en")["file"].tolist() == [name]


def test_empty_zip_and_zip_of_junk_are_empty(tmp_path):
    empty = write_zip(tmp_path / "vacio.zip", {})
    junk = write_zip(tmp_path / "mac.zip", {"__MACOSX/._a.csv": b"x"})
    for archive in (empty, junk):
        read, log = _read((archive.name, archive.read_bytes()))
        assert read.tables == [] and ("error", "file_empty") in _codes(log)
        assert {c for _, c in _codes(log)} <= {"file_empty", "zip_member_hidden"}


def test_workbook_without_a_profiles_sheet_says_so(tmp_path):
    path = write_xlsx(tmp_path / "posts.xlsx", {"publicaciones": SPANISH["publicaciones"]})
    read, log = _read((path.name, path.read_bytes()))
    assert [t.kind for t in read.tables] == ["posts"]
    assert _codes(log) == [("error", "no_profiles_sheet")]


def test_one_bad_file_does_not_hide_the_good_one(tmp_path):
    read, log = _read(("perfiles.csv", csv_bytes(SMALL)), ("roto.xlsx", b"PK\x03\x04 no"))
    assert [t.kind for t in read.tables] == ["profiles"]
    assert _codes(log) == [("error", "file_unreadable")]
    assert [i.name for i in read.inputs] == ["perfiles.csv", "roto.xlsx"]
    assert len(read.inputs[0].sha256) == 64 and read.inputs[1].bytes == 7
