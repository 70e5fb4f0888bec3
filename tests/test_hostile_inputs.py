"""Hostile and broken inputs: archives that would exhaust memory or escape their folder,
files that corrupt data without a word, and files that are not what their name says. Each
one ends as a problem that names the file and says what to do, never as a crash, a silent
drop or mojibake."""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile

import openpyxl
import pytest
from conftest import PERFILES, SPANISH, csv_bytes, write_xlsx
from hypothesis import given
from hypothesis import strategies as st

from audit import run_audit
from audit.cli import main
from audit.ingest import archive
from audit.ingest.archive import MIB, ArchiveLimits
from audit.ingest.contract import normalize_name
from audit.ingest.problems import ProblemLog
from audit.ingest.reader import read_inputs
from audit.ingest.validate import validate

PROFILES = [["institución", "red", "usuario"], ["Museo Ñandú", "Facebook", "@museo"]]


def _read(*sources: tuple[str, bytes], limits: ArchiveLimits = archive.DEFAULT_LIMITS):
    log = ProblemLog()
    return read_inputs(list(sources), log, limits=limits), log


def _codes(log: ProblemLog) -> list[tuple[str, str]]:
    return [(r.severity, r.code) for r in log.frame("en").itertuples()]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _no_decompression(monkeypatch) -> None:
    """Make any attempt to open a member fail the test: limits come before reading."""
    def refuse(*args, **kwargs):
        raise AssertionError("a member was opened")
    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)


# --- archive limits ----------------------------------------------------------------------

def test_a_zip_bomb_is_refused_from_its_directory_without_decompressing(monkeypatch):
    bomb = _zip({"perfiles.csv": csv_bytes(PROFILES), "publicaciones.csv": bytes(4 * MIB)})
    assert len(bomb) < 20_000
    _no_decompression(monkeypatch)
    read, log = _read(("bomba.zip", bomb))
    assert read.tables == [] and _codes(log) == [("error", "zip_ratio")]
    message = log.frame("es")["message"].iloc[0]
    assert "publicaciones.csv" in message and "bomba zip" in message and log.fatal


def test_a_zip_over_the_size_limit_is_refused_and_the_limit_is_configurable(monkeypatch):
    big = _zip({"perfiles.csv": csv_bytes(PROFILES), "notas.txt": bytes(range(256)) * 8192})
    _no_decompression(monkeypatch)
    read, log = _read(("grande.zip", big), limits=ArchiveLimits(max_unzipped_mb=1))
    assert read.tables == [] and _codes(log) == [("error", "zip_too_large")]
    assert "more than the limit of 1 MB" in log.frame("en")["message"].iloc[0]


def test_ten_thousand_members_are_refused_by_the_member_limit(monkeypatch):
    """Refused from the archive's end record: not even its directory is parsed."""
    members = {f"imagenes/{i:05d}.png": b"" for i in range(10_000)}
    many = _zip({"perfiles.csv": csv_bytes(PROFILES), **members})

    def refuse(*args, **kwargs):
        raise AssertionError("the directory was parsed")
    monkeypatch.setattr(zipfile, "ZipFile", refuse)
    read, log = _read(("muchos.zip", many))
    assert read.tables == [] and _codes(log) == [("error", "zip_too_many_members")]
    assert "10001" in log.frame("en")["message"].iloc[0]


def test_a_zip64_archive_declares_its_member_count_in_its_own_end_record(monkeypatch):
    # Over 65,535 members a zip keeps its count in a zip64 end record; a lower threshold
    # makes the writer use one for 3,000.
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 100)
    many = _zip({f"{i}.png": b"" for i in range(3_000)})
    assert b"PK\x06\x06" in many
    _, log = _read(("muchos.zip", many))
    assert _codes(log) == [("error", "zip_too_many_members")]
    assert "3000" in log.frame("en")["message"].iloc[0]


def test_a_nested_zip_shares_the_budget_of_the_outer_one():
    inner = _zip({"publicaciones.csv": bytes(2 * MIB)})
    outer = _zip({"perfiles.csv": csv_bytes(PROFILES), "dentro.zip": inner})
    _, log = _read(("fuera.zip", outer), limits=ArchiveLimits(max_ratio=10**6,
                                                              max_unzipped_mb=1))
    assert ("error", "zip_too_large") in _codes(log)
    assert log.frame("en").query("code == 'zip_too_large'")["file"].tolist() == [
        "fuera.zip!/dentro.zip"]


def test_a_header_that_understates_its_size_stops_at_what_it_declares():
    data = bytearray(_zip({"publicaciones.csv": bytes(2 * MIB)}))
    # Patch the uncompressed size in the local header (offset 22) and the central
    # directory (offset 24 of its entry) to claim 100 bytes.
    struct.pack_into("<I", data, 22, 100)
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 100)
    read, log = _read(("mentira.zip", bytes(data)))
    assert read.tables == [] and log.fatal
    assert ("error", "file_unreadable") in _codes(log)


class _Liar:
    """A member whose stream yields more than its header declares."""

    def __init__(self, size: int):
        self.stream = io.BytesIO(bytes(size))

    def open(self, info):
        return self.stream


def test_the_read_cap_holds_whatever_the_zip_library_returns():
    info = zipfile.ZipInfo("publicaciones.csv")
    info.file_size = 100
    log = ProblemLog()
    budget = archive._Budget(bytes_left=10 * MIB, members_left=10)
    with pytest.raises(archive._Refused):
        archive._read_member(_Liar(10 * MIB), info, "x.zip!/publicaciones.csv", log, budget)
    assert _codes(log) == [("error", "zip_member_size_mismatch")]
    assert budget.bytes_left == 10 * MIB


def test_members_whose_names_leave_the_folder_are_read_by_base_name_and_reported():
    zipped = _zip({"perfiles.csv": csv_bytes(PERFILES),
                   "..\\..\\interacciones.csv": csv_bytes(SPANISH["interacciones"]),
                   "/tmp/publicaciones.csv": csv_bytes(SPANISH["publicaciones"]),
                   "C:\\datos\\gobernanza.csv": csv_bytes(SPANISH["gobernanza"])})
    read, log = _read(("export.zip", zipped))
    assert sorted(t.file for t in read.tables) == [
        "export.zip!/gobernanza.csv", "export.zip!/interacciones.csv",
        "export.zip!/perfiles.csv", "export.zip!/publicaciones.csv"]
    unsafe = log.frame("es").query("code == 'zip_member_unsafe_path'")
    assert sorted(unsafe["value"]) == ["..\\..\\interacciones.csv", "/tmp/publicaciones.csv",
                                       "C:\\datos\\gobernanza.csv"]
    assert (unsafe["severity"] == "warning").all()


def test_an_encrypted_member_and_an_unusual_method_are_reported_by_name():
    data = bytearray(_zip({"perfiles.csv": csv_bytes(PROFILES), "secreto.csv": b"a;b"}))
    central = data.rfind(b"PK\x01\x02")  # the last entry: secreto.csv
    flags = struct.unpack_from("<H", data, central + 8)[0]
    struct.pack_into("<H", data, central + 8, flags | 0x1)
    read, log = _read(("cifrado.zip", bytes(data)))
    assert [t.file for t in read.tables] == ["cifrado.zip!/perfiles.csv"]
    assert _codes(log) == [("error", "file_encrypted")]
    assert log.frame("en")["file"].tolist() == ["cifrado.zip!/secreto.csv"]


def test_a_workbook_that_expands_beyond_the_limit_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "libro.xlsx", {"perfiles": PROFILES})
    read, log = _read((path.name, path.read_bytes()), limits=ArchiveLimits(max_unzipped_mb=0))
    assert read.tables == [] and _codes(log) == [("error", "workbook_too_large")]


def test_the_command_line_refuses_a_bomb_with_one_clear_message(tmp_path, capsys):
    source = tmp_path / "bomba.zip"
    source.write_bytes(_zip({"perfiles.csv": csv_bytes(PROFILES),
                             "publicaciones.csv": bytes(3 * MIB)}))
    code = main(["run", str(source), "--out", str(tmp_path / "out"), "--max-unzipped-mb", "2",
                 "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2
    assert "expands to 3 MB, more than the limit of 2 MB" in err and "Traceback" not in err


# --- no silent corruption ----------------------------------------------------------------

def test_lines_of_another_encoding_are_read_right_and_reported_by_line():
    body = ("institución;red;usuario\r\n".encode()
            + "Ayuntamiento de Cádiz;Facebook;@cadiz\r\n".encode()
            + "Ayuntamiento de Málaga;Facebook;@malaga\r\n".encode("cp1252")
            + "Ayuntamiento de Ávila;X;@avila\r\n".encode())
    read, log = _read(("perfiles.csv", body))
    (table,) = read.tables
    assert table.frame["institution"].tolist() == [
        "Ayuntamiento de Cádiz", "Ayuntamiento de Málaga", "Ayuntamiento de Ávila"]
    assert table.encoding == "utf-8+cp1252"
    (problem,) = log.frame("es").itertuples()
    assert (problem.severity, problem.code, problem.row) == ("warning", "mixed_encoding", 3)
    assert problem.value.startswith("Ayuntamiento de Málaga")


def test_a_file_wholly_in_windows_1252_is_not_mixed():
    read, log = _read(("perfiles.csv", csv_bytes(PERFILES, encoding="cp1252")))
    assert read.tables[0].encoding == "cp1252" and "mixed_encoding" not in log.counts()["by_code"]


def test_counts_beyond_a_plausible_range_are_reported_where_they_are_and_not_used():
    rows = [["institución", "red", "usuario", "seguidores"],
            ["Museo", "Facebook", "@museo", "10000000000000000000"],
            ["Museo", "X", "@museo", "-5"],
            ["Museo", "Instagram", "@museo", "12.000"]]
    log = ProblemLog()
    data = validate(read_inputs([("perfiles.csv", csv_bytes(rows))], log), log)
    assert data.profiles["followers"].tolist()[2] == 12000
    assert data.profiles["followers"].isna().tolist() == [True, True, False]
    problems = log.frame("en")
    assert problems[["severity", "sheet", "row", "column", "code"]].values.tolist() == [
        ["warning", "perfiles", 2, "seguidores", "count_out_of_range"],
        ["warning", "perfiles", 3, "seguidores", "invalid_value_ignored"]]
    assert "over 10,000,000,000" in problems["message"].iloc[0]


def _hide(path, states: dict[str, str]) -> bytes:
    book = openpyxl.load_workbook(path)
    for name, state in states.items():
        book[name].sheet_state = state
    book.save(path)
    return path.read_bytes()


def test_a_hidden_stale_sheet_placed_first_does_not_win_over_the_visible_one(tmp_path):
    stale = [PERFILES[0], ["Ayuntamiento Viejo", "Facebook", "@viejo", "", "", "", ""]]
    path = write_xlsx(tmp_path / "libro.xlsx", {"perfiles_2019": stale, "perfiles": PERFILES,
                                                "listas": [["a"], ["b"]]})
    read, log = _read((path.name, _hide(path, {"perfiles_2019": "hidden",
                                               "listas": "veryHidden"})))
    assert [(t.kind, t.sheet) for t in read.tables] == [("profiles", "perfiles")]
    assert sorted((r.sheet, r.code) for r in log.frame("en").itertuples()) == [
        ("listas", "sheet_hidden_ignored"), ("perfiles_2019", "sheet_hidden_ignored")]


def test_a_hidden_sheet_is_used_when_no_visible_sheet_holds_its_kind(tmp_path):
    path = write_xlsx(tmp_path / "libro.xlsx", {"perfiles": PERFILES,
                                                "publicaciones": SPANISH["publicaciones"]})
    read, log = _read((path.name, _hide(path, {"publicaciones": "hidden"})))
    assert [t.kind for t in read.tables] == ["profiles", "posts"]
    assert _codes(log) == [("info", "sheet_hidden_used")]


NAMES = ["بلدية دبي", "עיריית תל אביב", "Мэрия Москвы", "北京市人民政府", "서울특별시청",
         "दिल्ली नगर निगम", "Δήμος Αθηναίων", "Ayuntamiento de A Coruña", "🏛️", "🏥"]


def test_institutions_named_in_any_script_stay_distinct_through_validation():
    rows = [["institución", "red", "usuario"]] + [
        [name, "Facebook", f"@inst{i}"] for i, name in enumerate(NAMES)]
    log = ProblemLog()
    data = validate(read_inputs([("perfiles.csv", csv_bytes(rows, encoding="utf-8"))], log),
                    log)
    assert data.profiles["institution"].tolist() == NAMES
    assert "institution_renamed" not in log.counts()["by_code"]


@given(st.text(min_size=1).filter(lambda s: s.strip()))
def test_a_name_with_anything_but_spaces_never_folds_to_nothing(name):
    assert normalize_name(name) != ""


_SCRIPTS = st.sampled_from([(0x0621, 0x064A), (0x05D0, 0x05EA), (0x0430, 0x044F),
                            (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0x0905, 0x0939)])


@st.composite
def _words(draw) -> str:
    low, high = draw(_SCRIPTS)
    letters = st.characters(min_codepoint=low, max_codepoint=high)
    return " ".join(draw(st.lists(st.text(letters, min_size=1, max_size=8), min_size=1,
                                  max_size=3)))


@given(_words(), _words())
def test_names_in_other_scripts_keep_their_identity(a, b):
    """Two names that differ in their letters never fold to the same key."""
    same_letters = unicodedata.normalize("NFC", a).split() == \
        unicodedata.normalize("NFC", b).split()
    assert (normalize_name(a) == normalize_name(b)) == same_letters


@pytest.mark.parametrize(("name", "folded"), [
    ("Fecha de publicación", "fecha_de_publicacion"), ("FECHA-PUBLICACION", "fecha_publicacion"),
    ("Ayto. de A Coruña (S.A.)", "ayto_de_a_coruna_s_a"), ("Ｆｕｌｌ", "full"), ("nº 5", "no_5"),
    ("Мэрия  Москвы", "мэрия_москвы"),
])
def test_latin_names_fold_as_before_and_others_fold_only_case_and_separators(name, folded):
    assert normalize_name(name) == folded


# --- files that are not what they seem ---------------------------------------------------

def test_an_unrelated_extra_file_is_left_out_and_the_rest_is_audited():
    result = run_audit([("perfiles.csv", csv_bytes(PERFILES)), ("otra_cosa.csv", b"a,b\n1,2\n")])
    assert result.usable
    problems = result.problems.frame("es")
    extra = problems[problems["file"] == "otra_cosa.csv"]
    assert extra[["severity", "code"]].values.tolist() == [["warning", "file_not_recognised"]]
    assert "deja fuera" in extra["message"].iloc[0]


def test_an_html_table_saved_as_xls_says_it_is_a_web_page():
    page = (b"<html><head><meta charset='utf-8'></head><body><table><tr><td>instituci\xc3\xb3n"
            b"</td><td>red</td><td>usuario</td></tr></table></body></html>")
    read, log = _read(("perfiles.xls", page))
    assert read.tables == [] and _codes(log) == [("error", "file_is_html")]
    message = log.frame("es")["message"].iloc[0]
    assert "página web" in message and ".xls" in message and ".xlsx" in message


def test_a_password_protected_workbook_says_so():
    # An encrypted Office file: an OLE compound file whose directory names the stream
    # "EncryptedPackage" (UTF-16LE).
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    directory = "EncryptedPackage".encode("utf-16-le").ljust(128, b"\x00")
    read, log = _read(("auditoria.xlsx", header + directory + bytes(1024)))
    assert read.tables == [] and _codes(log) == [("error", "file_encrypted")]
    assert "contraseña" in log.frame("es")["message"].iloc[0]


def test_a_header_below_the_search_depth_is_reported_as_not_found():
    titles = [[f"Informe de auditoría, línea {i}", "", ""] for i in range(1, 12)]
    read, log = _read(("perfiles.csv", csv_bytes(titles + PROFILES)))
    assert read.tables == [] and _codes(log) == [("error", "header_not_found")]
    message = log.frame("en")["message"].iloc[0]
    assert "first 10 rows" in message and "institución, red, usuario" in message


# --- the app's server keeps no failed audit ---------------------------------------------------


def test_the_app_keeps_no_unusable_audit_in_its_cache(monkeypatch, spanish_xlsx):
    """An unusable upload is audited again on the next rerun rather than held in the
    server's cache (a refused bomb or a broken file would otherwise stay in memory until
    evicted); a usable one is audited once and then served from the cache."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from ui import state

    calls = []

    def counted(*args, **kwargs):
        calls.append(args[0][0][0])
        return run_audit(*args, **kwargs)

    monkeypatch.setattr(state, "run_audit", counted)
    state._base_audit.clear()
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=90)
    at.run()
    broken = ("roto.xlsx", b"PK\x03\x04 not a workbook", "application/octet-stream")
    at.file_uploader[0].set_value(broken).run()
    at.run()
    assert calls == ["roto.xlsx", "roto.xlsx"]
    assert at.error[0].value.startswith("No se puede auditar")
    good = (spanish_xlsx.name, spanish_xlsx.read_bytes(), "application/vnd.ms-excel")
    at.file_uploader[0].set_value(good).run()
    at.run()
    assert not at.exception and calls == ["roto.xlsx", "roto.xlsx", spanish_xlsx.name]


# --- UTF-16 without a byte order mark, damaged or mixed; text named as a workbook ------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("name", ["Museo Ñandú", "北京市政府", "بلدية دبي", "Мэрия"])
def test_utf16_without_a_bom_is_read_whatever_the_script(encoding, name):
    """Told by the side of the byte pairs its NULs fall on, not by how many there are: a
    file of Chinese or Arabic names has few, one per separator and line end."""
    data = f"institución;red;usuario\r\n{name};Facebook;@museo\r\n".encode(encoding)
    raw, log = _read(("perfiles.csv", data))
    assert raw.tables[0].frame["institution"].tolist() == [name]
    assert _codes(log) == []


def test_a_damaged_utf16_file_reports_the_lines_it_could_not_read():
    data = "institución;red;usuario\r\nMuseo;Facebook;@museo\r\n".encode("utf-16-le") + b"\x41"
    _, log = _read(("perfiles.csv", b"\xff\xfe" + data))
    table = log.frame("en")
    damaged = table[table["code"] == "encoding_damaged"]
    assert damaged["row"].tolist() == [3] and "UTF-16" in damaged["message"].iloc[0]


def test_rows_pasted_into_a_utf16_file_from_a_utf8_one_are_read_and_reported():
    data = ("institución;red;usuario\r\nMuseo;Facebook;@museo\r\n".encode("utf-16-le")
            + "Teatro Ñ;Facebook;@teatro\r\n".encode())
    raw, log = _read(("perfiles.csv", data))
    assert raw.tables[0].frame["institution"].tolist() == ["Museo", "Teatro Ñ"]
    assert [c for c in _codes(log) if c[1] != "sheet_ignored"] == [
        ("warning", "mixed_encoding_utf16")]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_a_csv_named_xls_says_it_is_a_text_file(encoding):
    data = "institución;red;usuario\r\nMuseo;Facebook;@museo\r\n".encode(encoding)
    _, log = _read(("perfiles.xls", data))
    assert _codes(log) == [("error", "file_is_text")]
    assert "really a text file" in log.frame("en")["message"].iloc[0]
