"""The whole reading path on small hand-made workbooks: every planted problem is reported
with its sheet, Excel row and column, and the same data in any form gives the same result."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import (
    ENGLISH,
    PUBLICACIONES,
    SPANISH,
    csv_bytes,
    write_csv_set,
    write_xlsx,
    write_zip,
)

from audit import run_audit

EXPECTED_PROBLEMS = {
    # (sheet, row, column, code, severity)
    ("perfiles", 6, "usuario", "duplicate_profile", "error"),
    ("perfiles", 7, "institución", "missing_value", "error"),
    ("perfiles", 8, "red", "invalid_value", "error"),
    ("perfiles", 9, "seguidores", "invalid_value_ignored", "warning"),
    ("publicaciones", 4, "fecha", "invalid_value", "error"),
    ("publicaciones", 5, "me_gusta", "invalid_value_ignored", "warning"),
    ("publicaciones", 6, "usuario", "unknown_profile", "error"),
    ("publicaciones", 7, "texto", "duplicate_post", "error"),
    ("interacciones", 2, "fecha_respuesta", "reply_before_message", "warning"),
    ("gobernanza", 4, "pregunta", "unknown_item", "error"),
    ("gobernanza", 5, "institución", "unknown_institution", "error"),
}


def _problem_keys(result) -> set[tuple]:
    table = result.problems.frame("es")
    return {(r.sheet, r.row, r.column, r.code, r.severity) for r in table.itertuples()}


def test_every_planted_problem_is_reported_with_its_excel_row(spanish_audit):
    result = spanish_audit
    assert result.usable
    assert _problem_keys(result) == EXPECTED_PROBLEMS


def test_rows_are_counted_never_silently_dropped(spanish_audit):
    rows = spanish_audit.manifest()["rows"]
    assert rows["profiles"] == {"read": 8, "used": 5, "excluded": 3, "outside_period": 0}
    assert rows["posts"] == {"read": 6, "used": 3, "excluded": 3, "outside_period": 0}
    assert rows["governance"] == {"read": 4, "used": 2, "excluded": 2, "outside_period": 0}


def test_profiles_status_and_values(spanish_audit):
    result = spanish_audit
    assert result.data.as_of == dt.date(2026, 10, 15)
    profiles = result.profiles.set_index(["network", "handle"])
    assert profiles.loc[("facebook", "aytoprueba"), "handle_original"] == \
        "https://www.facebook.com/AytoPrueba/"
    assert profiles.loc[("facebook", "aytoprueba"), "followers"] == 12500
    assert profiles.loc[("instagram", "aytoprueba"), "followers"] == 3_400_000
    assert profiles.loc[("x", "aytoprueba"), "followers"] == 1234
    assert profiles["status"].to_dict() == {
        ("facebook", "aytoprueba"): "active",  # 14 days
        ("instagram", "aytoprueba"): "no_data",
        ("x", "aytoprueba"): "active",
        ("x", "hospnorte"): "inactive",  # 35 days
        ("youtube", "hospnorte"): "no_data",
    }
    assert profiles.loc[("x", "hospnorte"), "days_since_last_post"] == 35


def test_messages_in_both_languages(spanish_audit):
    result = spanish_audit
    es = result.problems.frame("es").set_index(["sheet", "row"])
    en = result.problems.frame("en").set_index(["sheet", "row"])
    assert "Perfil repetido" in es.loc[("perfiles", 6), "message"]
    assert "fila 5" in es.loc[("perfiles", 6), "message"]
    assert "Duplicate profile" in en.loc[("perfiles", 6), "message"]
    assert "se esperaba una fecha" in es.loc[("publicaciones", 4), "message"]
    assert es.loc[("publicaciones", 4), "value"] == "31/02/2026"


def test_english_workbook_gives_the_same_profiles(spanish_audit, english_xlsx):
    english = run_audit([english_xlsx])
    pd.testing.assert_frame_equal(spanish_audit.profiles, english.profiles)
    kinds = [t.kind for t in english.read.tables]  # sheets recognised by their English names
    assert kinds == ["profiles", "posts", "interactions", "governance"]
    assert set(ENGLISH) == {"profiles", "posts", "interactions", "governance"}


@pytest.mark.parametrize("sep,encoding", [(";", "cp1252"), (",", "utf-8"), ("\t", "utf-16"),
                                          (";", "utf-8-sig")])
def test_csv_set_gives_the_same_profiles(tmp_path, spanish_audit, sep, encoding):
    paths = write_csv_set(tmp_path / "csv", SPANISH, sep=sep, encoding=encoding)
    from_csv = run_audit(paths)
    pd.testing.assert_frame_equal(from_csv.profiles, spanish_audit.profiles)
    csv_keys = {(s.removesuffix(".csv"), r, c, code, sev) for s, r, c, code, sev in
                _problem_keys(from_csv)}
    assert csv_keys == EXPECTED_PROBLEMS
    assert {t["encoding"] for t in from_csv.manifest()["sheets"]} == {encoding}


def test_zip_of_csv_files(tmp_path, spanish_audit):
    members = {f"export/{name}.csv": csv_bytes(rows) for name, rows in SPANISH.items()}
    members["export/logo.png"] = b"\x89PNG fake"
    members["__MACOSX/export/._perfiles.csv"] = b"junk"
    archive = write_zip(tmp_path / "auditoria.zip", members)
    result = run_audit([archive])
    assert result.usable
    pd.testing.assert_frame_equal(result.profiles, spanish_audit.profiles)
    assert "logo.png" in result.read.images


def test_quoted_newlines_and_title_rows_keep_excel_rows(tmp_path):
    rows = [["Auditoría 2026 (borrador)"], [], ["institución", "red", "usuario", "biografía"],
            ["Biblioteca Central", "Facebook", "@bibliocentral", "Línea 1\nLínea 2"],
            ["Biblioteca Central", "Telegram", "", "sin usuario"]]
    path = write_xlsx(tmp_path / "libro.xlsx", {"Perfiles": rows})
    result = run_audit([path])
    problems = result.problems.frame("es")
    missing = problems[problems["code"] == "missing_value"]
    assert missing[["row", "column"]].values.tolist() == [[5, "usuario"]]
    assert result.data.profiles.loc[0, "bio"] == "Línea 1\nLínea 2"


def test_sheets_recognised_by_headers_and_unknown_sheets_reported(tmp_path):
    path = write_xlsx(tmp_path / "export.xlsx", {
        "Hoja1": [["Entidad", "Plataforma", "Cuenta"], ["Museo", "IG", "@museo"]],
        "Notas": [["cualquier cosa"], ["más notas"]],
    })
    result = run_audit([path])
    assert result.usable
    assert result.read.tables[0].kind == "profiles"
    ignored = result.problems.frame("en").query("code == 'sheet_ignored'")
    assert ignored["sheet"].tolist() == ["Notas"]


def test_unknown_and_misspelt_columns_are_kept_and_explained(tmp_path):
    path = write_xlsx(tmp_path / "libro.xlsx", {"perfiles": [
        ["institución", "red", "usuario", "seguidroes", "Presupuesto anual"],
        ["Museo", "IG", "@museo", "100", "5000"]]})
    result = run_audit([path])
    info = result.problems.frame("es").query("code == 'unknown_column'").set_index("column")
    assert "¿Quiso decir «seguidores»?" in info.loc["seguidroes", "message"]
    assert "Quiso decir" not in info.loc["Presupuesto anual", "message"]
    assert result.data.profiles.loc[0, "input: Presupuesto anual"] == "5000"


def test_as_of_argument_excludes_later_rows_and_says_so(spanish_xlsx):
    result = run_audit([spanish_xlsx], as_of=dt.date(2026, 10, 10))
    assert result.manifest()["as_of"] == "2026-10-10"
    assert result.manifest()["as_of_source"] == "argument"
    later = result.problems.frame("en").query("code == 'after_as_of'")
    assert later[["sheet", "row"]].values.tolist() == [["publicaciones", 3]]
    assert result.manifest()["rows"]["posts"]["outside_period"] == 1


def test_posts_export_without_network_or_handle_uses_permalinks(tmp_path):
    profiles = [["institución", "red", "usuario"], ["Ayto", "X", "@AytoPrueba"]]
    export = [["Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "likes"],
              ["1", "https://twitter.com/AytoPrueba/status/1", "Hola", "2016-12-23 18:50 +0000",
               "1938.0", "12.0"]]
    book = write_xlsx(tmp_path / "perfiles.xlsx", {"perfiles": profiles})
    csv_path = tmp_path / "tweet_activity_metrics_AytoPrueba_20161201_20170101_en.csv"
    csv_path.write_bytes(csv_bytes(export, sep=",", encoding="utf-8"))
    result = run_audit([book, csv_path])
    assert result.usable
    post = result.data.posts.iloc[0]
    assert (post["network"], post["handle"], post["views"]) == ("x", "aytoprueba", 1938)
    assert post["published_at"] == pd.Timestamp("2016-12-23 18:50", tz="UTC")


@pytest.mark.parametrize("name,data,code", [
    ("vacio.xlsx", b"", "file_empty"),
    ("vacio.csv", b"", "file_empty"),
    ("solo_encabezado.csv", "institución;red;usuario\r\n".encode(), "file_empty"),
    ("roto.xlsx", b"PK\x03\x04 this is not a workbook", "file_unreadable"),
    ("notas.pdf", b"%PDF-1.4", "file_unsupported"),
    ("roto.zip", b"PK\x03\x04 broken", "file_unreadable"),
    ("sin_red.csv", "institución;usuario\r\nMuseo;@museo\r\n".encode(), "missing_required_column"),
])
def test_unusable_inputs_stop_with_a_file_level_error(tmp_path, name, data, code):
    path = tmp_path / name
    path.write_bytes(data)
    result = run_audit([path])
    assert not result.usable
    errors = result.problems.frame("es").query("severity == 'error'")
    assert code in errors["code"].tolist()
    assert errors["row"].isna().all()


def test_truncated_workbook_is_unreadable(tmp_path, spanish_xlsx):
    data = spanish_xlsx.read_bytes()
    path = tmp_path / "truncado.xlsx"
    path.write_bytes(data[: len(data) // 2])
    result = run_audit([path])
    assert not result.usable
    assert result.problems.frame("en")["code"].tolist() == ["file_unreadable"]


def test_missing_column_suggests_the_misspelt_header(tmp_path):
    path = tmp_path / "perfiles.csv"
    path.write_bytes("institución;red;usaurio\r\nMuseo;IG;@museo\r\n".encode())
    result = run_audit([path])
    message = result.problems.frame("es").query("code == 'missing_required_column'")["message"]
    assert "«usaurio»" in message.iloc[0]


def test_posts_without_profiles_sheet_is_unusable(tmp_path):
    path = write_xlsx(tmp_path / "solo_posts.xlsx", {"publicaciones": PUBLICACIONES})
    result = run_audit([path])
    assert not result.usable
    assert "no_profiles_sheet" in result.problems.frame("en")["code"].tolist()
