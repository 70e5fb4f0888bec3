"""The PDF scorecard of each institution and the group report, read back as a person would:
the text extracted with pypdf names the institution, its level and its first action in both
languages, every demo institution fits one or two pages, hostile names still give valid
files, and the command line and the app hand them out."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pypdfium2
import pytest
from conftest import SPANISH, write_csv_set
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from audit import (
    History,
    group_report_pdf,
    pdf_names,
    run_audit,
    scorecard_pdf,
    text,
)
from audit.cli import main
from audit.history import since_previous
from audit.report.pdf import GROUP_FILE
from audit.report.pdf_document import MISSING_GLYPH, printable
from audit.report.pdf_group import group_order

ROOT = Path(__file__).resolve().parent.parent
WEAK = "Gobierno Regional de Alto Marañón"  # level 3, an abandoned profile, risks, 7 actions
HOSTILE = {
    "emoji": "Hospital 🏥 de la Familia 👨‍👩‍👧 ⭐️",
    "rtl": "مستشفى الشفاء المركزي – Hospital Central",
    "formula": '=HYPERLINK("http://x.example/?a=1","pulse aquí")',
    "long": "Ayuntamiento " + "de la Muy Noble y Leal Villa " * 12 + "X" * 150,
    "markup": "**Negrita** <b>html</b> [enlace](http://x) \u200f fin",
}


def _text(pdf: bytes) -> str:
    """Every page's text, with line breaks and runs of spaces made one space (a wrapped
    sentence reads whole)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _first_action(result, institution: str) -> str:
    actions = result.recommendations
    plan = actions[(actions["institution"] == institution) & actions["in_plan"]]
    return plan.sort_values("rank").iloc[0][f"action_{result.lang}"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_scorecard_names_the_institution_its_level_and_first_action(demo_audit, lang):
    result = replace(demo_audit, lang=lang)
    row = result.scorecard.institutions.loc[WEAK]
    words = _text(scorecard_pdf(result, WEAK))
    assert WEAK in words
    level = text("pdf.level", lang, level=int(row["maturity_level"]),
                 top=len(result.rubric.levels), label=row[f"maturity_label_{lang}"])
    assert level in words
    assert re.sub(r"\s+", " ", row[f"maturity_capped_{lang}"]) in words  # why not higher
    assert _first_action(result, WEAK) in words
    assert text(f"pdf.owner.{result.recommendations.iloc[0]['dimension']}", lang) in words
    assert text("pdf.chart_title", lang) in words
    assert result.read.inputs[0].sha256[:12] in words and result.rubric.sha256[:12] in words


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_fullest_demo_scorecards_fit_one_or_two_pages(demo_audit, lang):
    """The institutions with the most to print (most profiles, most actions, longest name):
    if theirs fit, the others' do (every one was checked when the layout was set)."""
    result = replace(demo_audit, lang=lang)
    profiles = result.profiles["institution"].value_counts()
    actions = result.recommendations["institution"].value_counts()
    names = result.scorecard.institutions.index
    fullest = {*profiles.index[:2], *actions.index[:2], max(names, key=len)}
    pages = {name: _pages(scorecard_pdf(result, name)) for name in sorted(fullest)}
    assert all(1 <= n <= 2 for n in pages.values()), {k: n for k, n in pages.items() if n > 2}


def test_the_same_audit_gives_the_same_bytes_dated_by_the_audit(demo_audit):
    first = scorecard_pdf(demo_audit, WEAK)
    assert first == scorecard_pdf(demo_audit, WEAK)
    meta = PdfReader(io.BytesIO(first)).metadata
    assert meta.creation_date.date() == demo_audit.data.as_of
    assert WEAK in meta.title


def test_the_group_report_lists_every_institution_in_order(demo_audit):
    pdf = group_report_pdf(demo_audit)
    words = _text(pdf)
    card = demo_audit.scorecard.institutions
    assert all(name in words for name in card.index)
    positions = [words.index(name) for name in group_order(demo_audit).index]
    assert positions == sorted(positions)
    assert text("pdf.group_title", "es", n=len(card)) in words
    levels = group_order(demo_audit)["maturity_level"].dropna().tolist()
    assert levels == sorted(levels, reverse=True)


def test_missing_glyphs_print_as_a_box_and_joiners_vanish():
    assert printable("a🏥b") == f"a{MISSING_GLYPH}b"
    assert printable("a😀b") == "a😀b"  # DejaVu Sans has the classic smileys
    assert printable("👨‍👩‍👧") == MISSING_GLYPH * 3  # three people, no box for the joiners
    assert printable("⭐️") == MISSING_GLYPH  # one box: the variation selector goes
    assert printable("Año – “cita” €") == "Año – “cita” €"
    assert printable("tab\there\x07") == "tab here "


@pytest.fixture(scope="module")
def hostile_audit(tmp_path_factory):
    """The small Spanish audit with each institution renamed to a hostile name (as CSV in
    UTF-8: a workbook would store the formula as a formula)."""
    rename = {"Ayuntamiento de Prueba": HOSTILE["emoji"], "Hospital Norte": HOSTILE["rtl"]}
    sheets = {name: [[rename.get(c, c) if isinstance(c, str) else c for c in row]
                     for row in rows] for name, rows in SPANISH.items()}
    extra = [[name, "Facebook", f"@cuenta{i}", "Salud", "México", "100", "sí"]
             for i, name in enumerate((HOSTILE["formula"], HOSTILE["long"],
                                       HOSTILE["markup"]))]
    sheets["perfiles"] = sheets["perfiles"] + extra
    paths = write_csv_set(tmp_path_factory.mktemp("hostile"), sheets, encoding="utf-8")
    return run_audit(paths, as_of=dt.date(2026, 10, 31))


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_name_gives_a_valid_pdf(hostile_audit, kind):
    names = list(hostile_audit.scorecard.institutions.index)
    name = next(n for n in names if n.startswith(HOSTILE[kind][:12]))
    for lang in ("es", "en"):
        pdf = scorecard_pdf(replace(hostile_audit, lang=lang), name)
        assert pdf.startswith(b"%PDF") and 1 <= _pages(pdf) <= 2
        words = _text(pdf)
        if kind == "formula":
            assert HOSTILE["formula"] in words  # printed as written, inert
        if kind == "emoji":
            box = MISSING_GLYPH
            assert f"Hospital {box} de la Familia {box * 3} {box}" in words
        if kind == "long":
            assert "X" * 40 in words.replace(" ", "")  # cut between characters, not lost


def test_the_group_report_survives_hostile_names(hostile_audit):
    def latin(value: str) -> str:  # pypdf reorders right-to-left runs when it reads them
        return "".join(re.findall(r"[A-Za-z]+", value))

    words = latin(_text(group_report_pdf(hostile_audit)))
    for name in hostile_audit.scorecard.institutions.index:
        assert latin(name)[:30] in words


EARLIER = "2026-06-30"  # an earlier audit date of the demo, stored in the history first


@pytest.fixture(scope="module")
def earlier_history(tmp_path_factory):
    """A history holding the demo audited as of EARLIER: the demo's own audit (31 October)
    then has a previous audit for every institution."""
    db = tmp_path_factory.mktemp("pdf-history") / "historial.sqlite3"
    with History(db) as store:
        store.save(run_audit([ROOT / "sample_data" / "demo_auditoria_sintetica.xlsx"],
                             as_of=dt.date.fromisoformat(EARLIER)))
    return db


def test_the_scorecard_of_an_audit_saved_with_history_shows_the_change(tmp_path,
                                                                        earlier_history):
    """The command line as an auditor runs it the second time: --pdf --history."""
    db = tmp_path / "historial.sqlite3"
    db.write_bytes(earlier_history.read_bytes())
    out = tmp_path / "out"
    assert main(["run", str(ROOT / "sample_data" / "demo_auditoria_sintetica.xlsx"), "--out",
                 str(out), "--pdf", "--institution", WEAK, "--history", str(db)]) == 0
    words = _text((out / "pdf" / pdf_names([WEAK])[WEAK]).read_bytes())
    assert "Progreso desde la auditoría anterior" in words
    assert "Frente a la auditoría #1 a 30 de junio de 2026 (rúbrica gobierno 1.0.0)." in words
    assert "Medida Antes Ahora Cambio Nivel " in words
    assert re.search(r"Puntuación global \d+(,\d)? \d+(,\d)? ([+−]\d+(,\d)?|=)", words)
    assert "Acciones aún abiertas:" in words and "(2.ª auditoría seguida)" in words
    assert "Evolución en el historial Auditoría Fecha de auditoría Nivel" in words
    assert "#1 30 de junio de 2026" in words and "esta 31 de octubre de 2026" in words
    plan = pd.read_csv(out / "recommendations.csv")
    mine = plan[plan["institution"] == WEAK]
    assert set(plan["raised_before"]) <= {0, 1} and (mine["raised_before"] == 1).any()


def test_the_progress_reads_in_english_and_only_with_a_previous_audit(demo_audit,
                                                                      earlier_history):
    english = replace(demo_audit, lang="en")
    with History(earlier_history, create=False) as store:
        since = since_previous(store, english)
    assert set(since) == set(demo_audit.scorecard.institutions.index)
    change = since[WEAK].change
    words = _text(scorecard_pdf(english, WEAK, since[WEAK]))
    assert "Progress since the previous audit" in words
    assert "Against audit #1 as of 30 June 2026 (rubric gobierno 1.0.0)." in words
    level = f"Level {change.level[0]} {change.level[1]}"
    assert f"Measure Before Now Change {level}" in words
    for label in ("Activity", "Governance"):
        row = change.dimensions.set_index("label_en").loc[label]
        assert f"{label} {_plain(row['previous'])} {_plain(row['current'])}" in words
    assert "Trend over the stored audits" in words and "this one 31 October 2026" in words
    assert "(2 audits in a row)" in words
    plain = _text(scorecard_pdf(english, WEAK))
    assert "Progress since the previous audit" not in plain and "in a row" not in plain


def _plain(score: float) -> str:
    return f"{round(float(score), 1):g}"


def test_file_names_are_unique_slugs():
    names = pdf_names(["Alcaldía de Puerto Alondra", "ALCALDÍA de  Puerto-Alondra", "🏥🏥",
                       "Group report", "مستشفى"])
    assert names["Alcaldía de Puerto Alondra"].startswith("alcaldia-de-puerto-alondra-")
    assert len(set(names.values())) == 5
    assert all(re.fullmatch(r"[a-z0-9-]+\.pdf", n) for n in names.values())
    assert names["Group report"] != GROUP_FILE


def test_cli_writes_a_pdf_per_institution_and_the_group_report(tmp_path, spanish_xlsx,
                                                                  capsys):
    out = tmp_path / "out"
    assert main(["run", str(spanish_xlsx), "--out", str(out), "--pdf", "--lang", "en"]) == 0
    written = sorted(p.name for p in (out / "pdf").iterdir())
    assert written == sorted(["ayuntamiento-de-prueba.pdf", "hospital-norte.pdf", GROUP_FILE])
    assert "Ayuntamiento de Prueba" in _text((out / "pdf" / written[0]).read_bytes())
    assert "PDF: 3 files" in capsys.readouterr().out


def test_cli_institution_writes_one_or_names_the_closest(tmp_path, spanish_xlsx, capsys):
    out = tmp_path / "out"
    assert main(["run", str(spanish_xlsx), "--out", str(out), "--pdf",
                 "--institution", "Hospital Norte"]) == 0
    assert [p.name for p in (out / "pdf").iterdir()] == ["hospital-norte.pdf"]
    capsys.readouterr()
    assert main(["run", str(spanish_xlsx), "--out", str(tmp_path / "again"),
                 "--institution", "hospital nort"]) == 2
    err = capsys.readouterr().err
    assert "«hospital nort»" in err and "Hospital Norte" in err and "Traceback" not in err
    assert not (tmp_path / "again" / "pdf").exists()


# --- the app ---------------------------------------------------------------------------------


@pytest.fixture
def deferred(monkeypatch):
    """The callables the app's download buttons defer, by file name: what a click runs."""
    made: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = (data_callable, mimetype)
        return original(self, data_callable, mimetype, coordinates, file_name=file_name,
                        **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return made


def _demo_at(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    if lang == "en":
        at.sidebar.radio(key="lang").set_value("en").run()
    at.button[0].click().run()
    assert not at.exception
    return at


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_scorecard_page_downloads_the_institutions_pdf(deferred, lang):
    at = _demo_at(lang).switch_page("app_pages/scorecard.py").run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert text("pdf.download_scorecard", lang) in labels
    institution = at.title[0].value.replace("\\", "")
    make, mime = deferred[pdf_names([institution])[institution]]
    assert mime == "application/pdf"
    pdf = make()
    assert pdf.startswith(b"%PDF") and institution in _text(pdf)
    assert text("ui.why_not_higher", lang) in _text(pdf)


def test_the_compare_page_downloads_the_group_report(deferred):
    at = _demo_at("es").switch_page("app_pages/compare.py").run()
    assert not at.exception
    assert text("pdf.download_group", "es") in [b.proto.label for b in
                                                at.get("download_button")]
    make, mime = deferred[GROUP_FILE]
    assert mime == "application/pdf"
    assert text("pdf.group_title", "es", n=40) in _text(make())


# --- the README's picture ------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_first_page_renders_as_a_picture(demo_audit, tmp_path, lang):
    """Page 1 rendered by PDFium (another reader than the one that wrote it) is an A4 page
    with ink on it. ``AUDIT_SCREENSHOTS_DIR=docs/screenshots`` keeps the pictures for the
    README."""
    document = pypdfium2.PdfDocument(scorecard_pdf(replace(demo_audit, lang=lang), WEAK))
    image = document[0].render(scale=1.5).to_pil()
    width, height = image.size
    assert abs(height / width - 297 / 210) < 0.01
    dark = sum(image.convert("L").histogram()[:128])  # pixels darker than mid-grey
    assert dark > 0.01 * width * height
    folder = Path(os.environ.get("AUDIT_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    image.save(folder / f"pdf_scorecard_{lang}.png", optimize=True)
