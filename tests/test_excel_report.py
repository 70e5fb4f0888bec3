"""The Excel report: the demo audit's workbook opens with its cover, formatted tables and
charts, in both languages; input text never becomes a formula; an unusable input has none."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from conftest import SPANISH, write_csv_set

from audit import run_audit, write_outputs
from audit.messages import LANGS, text
from audit.report import excel
from audit.report.excel import (
    REPORT_FILE,
    SHEETS,
    excel_report,
    sheet_name,
)
from audit.report.tables import tables
from audit.score.scorecard import CheckError

TABLE_SHEETS = ("institutions", "scores", "profiles", "recommendations", "problems")
FORMULA = '=HYPERLINK("http://x")'


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _headers(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def _column(sheet, title: str) -> list:
    index = _headers(sheet).index(title) + 1
    return [row[0] for row in sheet.iter_rows(min_row=2, min_col=index, max_col=index)]


def _colour_scaled(sheet) -> set[str]:
    """The cell ranges with a colour scale."""
    return {str(rng.sqref) for rng in sheet.conditional_formatting
            if any(rule.type == "colorScale" for rule in rng.rules)}


@pytest.fixture(scope="module")
def demo_files(demo_audit, tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, write_outputs(demo_audit, out)


@pytest.fixture(scope="module")
def demo_book(demo_files):
    out, _ = demo_files
    return _book((out / REPORT_FILE).read_bytes())


def test_the_report_is_written_with_the_other_outputs(demo_files, demo_book):
    out, written = demo_files
    assert out / REPORT_FILE in written
    assert demo_book.sheetnames == [sheet_name(key, "es") for key in SHEETS]
    assert demo_book.sheetnames[:3] == ["Portada", "Instituciones", "Gráfico de dimensiones"]


def test_the_cover_states_what_was_audited(demo_audit, demo_book):
    manifest = demo_audit.manifest()
    cover = {row[0]: row[1:] for row in demo_book["Portada"].iter_rows(values_only=True)
             if row[0] is not None}
    assert cover["Instituciones"][0] == 40
    assert cover["Fecha de auditoría"][0].date().isoformat() == manifest["as_of"] == "2026-10-31"
    assert cover["Ventana de la auditoría"][0] == "90 días, del 2026-08-03 al 2026-10-31"
    assert cover["sha256 de la rúbrica"][0] == manifest["rubric"]["sha256"]
    assert cover["Versión de la rúbrica"][0] == manifest["rubric"]["version"]
    assert cover["Versión del programa"][0] == manifest["software"]["version"]
    assert cover["Errores"][0] == manifest["problems"]["by_severity"]["error"] == 7
    assert cover["Avisos"][0] == manifest["problems"]["by_severity"]["warning"]
    assert cover["Notas"][0] == manifest["problems"]["by_severity"]["info"]
    source = manifest["inputs"][0]
    assert cover[source["name"]][:3] == (source["sha256"], "xlsx", source["bytes"])
    levels = tables(demo_audit)["institutions"]["maturity_level"]
    assert cover["Nivel 5: Estratégico"][0] == int((levels == 5).sum()) > 0
    assert cover["Instituciones con nivel de madurez"][0] == int(levels.notna().sum())
    assert demo_book.properties.created.date().isoformat() == "2026-10-31"


@pytest.mark.parametrize("key", TABLE_SHEETS)
def test_every_table_has_its_sheet_with_frozen_headers_and_a_filter(demo_audit, demo_book,
                                                                    key):
    table = tables(demo_audit)[key]
    sheet = demo_book[sheet_name(key, "es")]
    assert sheet.max_row == len(table) + 1
    assert sheet.freeze_panes in ("A2", "B2")
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" \
                                    f"{len(table) + 1}"
    headers = _headers(sheet)
    assert all(isinstance(h, str) and h for h in headers)
    assert len(headers) == len(table.columns) + (key in ("scores", "recommendations"))
    assert not set(headers) & set(table.columns) - {"sha256"}  # in words, not identifiers
    widths = [sheet.column_dimensions[letter].width for letter in sheet.column_dimensions]
    assert widths and all(8 <= w <= 63 for w in widths)


def test_numbers_dates_and_missing_values_keep_their_type(demo_book):
    institutions = demo_book["Instituciones"]
    overall = _column(institutions, "Puntuación global (0-100)")
    assert all(c.data_type == "n" and c.number_format == "0.0" for c in overall)
    coverage = _column(institutions, "Cobertura")
    assert all(c.number_format == "0.0%" and 0 <= c.value <= 1 for c in coverage)
    governance = _column(institutions, "Gobernanza")
    assert any(c.value is None for c in governance)  # not evaluated: empty, never 0
    profiles = demo_book["Perfiles"]
    latest = [c for c in _column(profiles, "Última publicación (UTC)") if c.value is not None]
    assert latest and all(c.is_date and c.number_format == "yyyy-mm-dd hh:mm" for c in latest)
    followers = [c for c in _column(profiles, "Seguidores") if c.value is not None]
    assert followers and {c.number_format for c in followers} == {"#,##0"}
    scores = demo_book["Puntuaciones"]
    units = [c.value for c in _column(scores, "Unidad")]
    values = _column(scores, "Valor medido")
    measured = [(c, unit) for c, unit in zip(values, units, strict=True) if c.value is not None]
    shares = {c.number_format for c, unit in measured if unit == "share"}
    others = {c.number_format for c, unit in measured if unit == "days"}
    assert shares == {"0.0%"} and others == {"General"}
    plan = _column(demo_book["Recomendaciones"], "En el plan")
    assert {c.data_type for c in plan} == {"b"}


def test_scores_have_a_colour_scale_and_their_band_in_words(demo_audit, demo_book):
    institutions = demo_book["Instituciones"]
    scaled = _colour_scaled(institutions)
    headers = _headers(institutions)
    for title in ("Puntuación global (0-100)", "Actividad", "Gobernanza"):
        letter = institutions.cell(1, headers.index(title) + 1).column_letter
        assert f"{letter}2:{letter}41" in scaled, title
    assert _column(institutions, "Nivel en palabras")[0].value == "En desarrollo"
    scores = demo_book["Puntuaciones"]
    assert len(_colour_scaled(scores)) == 1
    labels = {level["min_score"]: level["label"]["es"] for level in demo_audit.rubric.levels}
    for score, band in zip(_column(scores, "Puntuación (0-100)"),
                           _column(scores, "Tramo según los niveles de la rúbrica"),
                           strict=True):
        if score.value is None:
            assert band.value == "Sin evaluar"
        else:
            floor = max(m for m in labels if score.value >= m)
            assert band.value == labels[floor]
    bands = {c.value for c in _column(scores, "Tramo según los niveles de la rúbrica")}
    assert {"Sin evaluar", "Inicial", "Estratégico"} <= bands


def test_a_native_bar_chart_of_the_dimensions_per_sector(demo_audit, demo_book):
    sheet = demo_book["Gráfico de dimensiones"]
    institutions = tables(demo_audit)["institutions"]
    charts = sheet._charts
    assert len(charts) == institutions["sector"].nunique() == 5
    dimensions = [d["label"]["es"] for d in demo_audit.rubric.dimensions]
    for chart in charts:
        assert chart.tagname == "barChart" and len(chart.series) == len(dimensions)
        assert chart.title.tx.rich.p[0].r[0].t.endswith("dimensiones por institución (0-100)")
    first = charts[0].series[0]
    top, bottom = re.findall(r"\$A\$(\d+)", first.cat.strRef.f)
    names = [sheet.cell(r, 1).value for r in range(int(top), int(bottom) + 1)]
    library = institutions[institutions["sector"] == "library"]
    assert sorted(names) == sorted(library["institution"])
    assert [sheet.cell(int(top) - 1, c).value for c in range(2, 9)] == dimensions
    assert sheet.cell(int(top) - 2, 1).value.startswith(f"{len(library)} instituciones.")
    assert len(_colour_scaled(sheet)) == 5


def test_a_large_sector_charts_its_first_institutions_and_says_so(demo_audit, monkeypatch):
    monkeypatch.setattr(excel, "CHART_INSTITUTIONS", 3)
    sheet = _book(excel_report(demo_audit))["Gráfico de dimensiones"]
    series = sheet._charts[0].series[0]
    top, bottom = (int(n) for n in re.findall(r"\$A\$(\d+)", series.cat.strRef.f))
    assert bottom - top + 1 == 3
    library = tables(demo_audit)["institutions"].query("sector == 'library'")
    best = library.sort_values("overall_score", ascending=False)["institution"].head(3)
    assert [sheet.cell(r, 1).value for r in range(top, bottom + 1)] == best.tolist()
    assert sheet.cell(top - 2, 1).value.startswith(
        f"Se muestran las 3 de mayor puntuación global de {len(library)} instituciones")


def test_the_same_audit_gives_the_same_bytes(demo_audit, demo_files):
    out, _ = demo_files
    assert excel_report(demo_audit) == (out / REPORT_FILE).read_bytes()


def test_english_report(demo_audit):
    english = dataclasses.replace(demo_audit, lang="en")
    book = _book(excel_report(english))
    assert book.sheetnames == ["Cover", "Institutions", "Dimensions chart", "Scores",
                               "Profiles", "Recommendations", "Problems"]
    cover = {row[0]: row[1] for row in book["Cover"].iter_rows(values_only=True)}
    assert cover["Audit window"] == "90 days, 2026-08-03 to 2026-10-31"
    assert cover["Status"] == "Audit complete"
    institutions = book["Institutions"]
    assert _headers(institutions)[:4] == ["Institution", "Sector", "Country",
                                          "Overall score (0-100)"]
    assert "Activity" in _headers(institutions)
    assert _column(institutions, "Level in words")[0].value == "Developing"
    bands = {c.value for c in _column(book["Scores"], "Band by the rubric's levels")}
    assert {"Not evaluated", "Initial", "Strategic"} <= bands
    evidence = _column(book["Scores"], "Evidence")[0].value
    assert evidence == tables(english)["scores"]["evidence"].iloc[0]
    assert "Los " not in evidence


def test_an_audit_with_check_errors_says_on_its_cover_it_must_not_be_signed(demo_audit):
    failed = CheckError("tone", "spelling", "spelling_error_rate", "ValueError: boom")
    broken = dataclasses.replace(
        demo_audit, scorecard=dataclasses.replace(demo_audit.scorecard, errors=[failed]))
    cover = {row[0]: row[1] for row in _book(excel_report(broken))["Portada"].iter_rows(
        values_only=True)}
    assert cover["Estado"].startswith("Auditoría incompleta: 1 criterio(s)")
    assert "no debe firmarse" in cover["Estado"]


@pytest.fixture(scope="module")
def formula_audit(tmp_path_factory):
    """The small Spanish audit with an institution, a display name and a read value that a
    spreadsheet would run as a formula (from CSV: a workbook would hold real formulas)."""
    sheets = {name: [list(row) for row in rows] for name, rows in SPANISH.items()}
    profiles = sheets["perfiles"]
    profiles[0].append("nombre")
    for row in profiles[1:]:
        if row[0] == "Hospital Norte":
            row[0] = FORMULA
        row.append(FORMULA if row[2] == "@hospnorte" else "")
    profiles[8][5] = FORMULA  # followers: not a number, reported with the value as read
    sheets["gobernanza"][4][0] = FORMULA
    return run_audit(write_csv_set(tmp_path_factory.mktemp("formula"), sheets))


def test_a_formula_in_the_input_stays_text_in_every_sheet(formula_audit):
    data = excel_report(formula_audit)
    book = _book(data)
    found = set()
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                    assert cell.data_type == "s" and cell.value == "'" + FORMULA
                    found.add(sheet.title)
    assert found == {"Instituciones", "Gráfico de dimensiones", "Puntuaciones", "Perfiles",
                     "Recomendaciones", "Problemas"}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert parts and not any(b"<f>" in archive.read(n) for n in parts)


def test_an_unusable_input_writes_no_report(tmp_path):
    broken = tmp_path / "vacio.csv"
    broken.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run_audit([broken])
    assert not result.usable
    written = write_outputs(result, tmp_path / "out")
    assert {p.name for p in written} == {"problems.csv", "audit.json"}
    assert not (tmp_path / "out" / REPORT_FILE).exists()
    with pytest.raises(ValueError, match="unusable"):
        excel_report(result)


def test_a_sheet_without_sectors_charts_them_as_no_sector(tmp_path):
    source = tmp_path / "perfiles.csv"
    source.write_text("institución,red,usuario,última_publicación\n"
                      "Ayto Norte,Facebook,@norte,2026-10-01\n"
                      "Ayto Sur,Facebook,@sur,\n", encoding="utf-8")
    book = _book(excel_report(run_audit([source])))
    sheet = book["Gráfico de dimensiones"]
    assert sheet["A1"].value == "Sin sector: dimensiones por institución (0-100)"
    assert len(sheet._charts) == 1
    overall = _column(book["Instituciones"], "Puntuación global (0-100)")
    assert [c.value is None for c in overall] == [False, True]  # nothing evaluable: empty


@pytest.mark.parametrize("lang", LANGS)
def test_sheet_names_follow_excels_rules(lang):
    names = [sheet_name(key, lang) for key in SHEETS]
    assert len(set(names)) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_a_catalogue_edit_that_breaks_a_sheet_name_fails_loudly(monkeypatch):
    monkeypatch.setattr(excel, "text", lambda *_args, **_values: "Puntuaciones 2026/27")
    with pytest.raises(ValueError, match="not a valid sheet name"):
        sheet_name("scores", "es")
    monkeypatch.setattr(excel, "text", lambda *_args, **_values: "x" * 32)
    with pytest.raises(ValueError, match="not a valid sheet name"):
        sheet_name("scores", "es")


def test_every_column_of_every_table_has_a_header_in_both_languages(demo_audit):
    labels = {d["id"]: d["label"] for d in demo_audit.rubric.dimensions}
    for name in TABLE_SHEETS:
        frame = excel._prepare(name, tables(demo_audit)[name], demo_audit)
        for lang in LANGS:
            headers = [excel.header(name, c, lang, {k: v[lang] for k, v in labels.items()})
                       for c in frame.columns]
            assert all(headers) and len(set(headers)) == len(headers), (name, lang)
    assert text("report.col_problems_value", "en") == "Value as read"
    assert pd.api.types.is_datetime64_any_dtype(
        excel._prepare("profiles", tables(demo_audit)["profiles"], demo_audit)["last_post_at"])


def test_the_plan_travels_pickled_and_renders_the_same_bytes(demo_audit):
    import pickle

    from audit.report.excel import excel_plan
    from audit.report.excel_render import render

    plan = excel_plan(demo_audit)
    assert plan.cells() > 0
    assert render(pickle.loads(pickle.dumps(plan))) == excel_report(demo_audit)
