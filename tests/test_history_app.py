"""The scorecard page with a history: the change since the institution's previous stored
audit and the trend, and the sidebar button that saves the audit in use (AppTest, headless).

The history holds an earlier audit of the uploaded workbook (a week before its own date),
so the page audits the same workbook on a later date and shows what changed."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from conftest import SPANISH, write_xlsx
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from audit import History, pdf_names, run_audit

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TOWN = "Ayuntamiento de Prueba"


@pytest.fixture(scope="module")
def earlier_audit(tmp_path_factory):
    """The Spanish workbook audited as of 8 October, once for the module (saving it is
    cheap, auditing it is not)."""
    book = write_xlsx(tmp_path_factory.mktemp("earlier") / "auditoria.xlsx", SPANISH)
    return run_audit([book], as_of=dt.date(2026, 10, 8))


@pytest.fixture
def history_with_an_earlier_audit(tmp_path, earlier_audit, monkeypatch):
    db = tmp_path / "historial.sqlite3"
    with History(db) as store:
        store.save(earlier_audit)
    monkeypatch.setenv("AUDIT_HISTORY", str(db))
    return db


def _scorecard(spanish_xlsx: Path, lang: str = "es") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    if lang == "en":
        at.sidebar.radio(key="lang").set_value("en").run()
    at.file_uploader[0].set_value(
        (spanish_xlsx.name, spanish_xlsx.read_bytes(), "application/vnd.ms-excel")).run()
    at.switch_page("app_pages/scorecard.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_scorecard_shows_the_change_and_the_trend(history_with_an_earlier_audit,
                                                      spanish_xlsx):
    at = _scorecard(spanish_xlsx)
    assert at.title[0].value == TOWN
    assert "Cambios desde la auditoría anterior" in [h.value for h in at.subheader]
    assert any(c.value.startswith("Frente a la auditoría #1 a 8 de octubre de 2026")
               for c in at.caption)
    metrics = {m.label: m for m in at.metric}
    level, overall = metrics["Nivel ahora"], metrics["Puntuación global ahora"]
    assert level.value == "3 de 5" and level.delta == "1"  # drawn with an up arrow
    assert overall.value == "65 / 100" and overall.delta == "12,3"
    dims = next(d.value for d in at.dataframe if "change" in d.value.columns)
    assert len(dims) == 7 and (dims["change"] != "=").any()
    markdown = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Perfiles con otro estado:** X @aytoprueba (sin datos → activo)" in markdown
    assert "Acciones hechas (ya no se recomiendan)" in markdown
    assert "Rendición de cuentas" in markdown  # transparency went from 40 to 100
    assert "Acciones aún abiertas" in markdown and "(2.ª auditoría seguida)" in markdown
    titles = {json.loads(c.proto.spec)["title"]["text"]: json.loads(c.proto.spec)
              for c in at.get("vega_lite_chart")}
    trend = titles["Evolución en el historial"]
    assert trend["title"]["subtitle"].startswith("Puntuación global de cada auditoría")
    table = next(d.value for d in at.dataframe if "level_text" in d.value.columns)
    assert table["audit"].tolist() == ["#1", "actual"]
    assert table["level_text"].tolist()[-1] == "N3 · 65"


def test_saving_from_the_sidebar_adds_the_audit_to_the_history(
        history_with_an_earlier_audit, spanish_xlsx):
    at = _scorecard(spanish_xlsx, "en")
    assert at.sidebar.text_input(key="history_path").value == str(
        history_with_an_earlier_audit)
    at.sidebar.button(key="history_save").click().run()
    assert not at.exception and not at.error
    assert at.sidebar.success[0].value == "Audit saved to the history as number 2."
    with History(history_with_an_earlier_audit) as store:
        assert store.audits()["as_of"].tolist() == ["2026-10-08", "2026-10-15"]
    # the saved audit is the one in use, not an earlier one: the change is still against #1
    assert any(c.value.startswith("Against audit #1") for c in at.caption)


def test_without_a_history_the_page_says_so(tmp_path, spanish_xlsx, monkeypatch):
    absent = tmp_path / "none.sqlite3"
    monkeypatch.setenv("AUDIT_HISTORY", str(absent))
    at = _scorecard(spanish_xlsx)
    assert not at.error
    assert any(c.value.startswith("Aún no hay auditorías guardadas en el historial")
               for c in at.caption)
    assert not absent.exists()  # looking does not create it


def test_the_plan_says_which_actions_were_raised_before(history_with_an_earlier_audit,
                                                        spanish_xlsx):
    at = _scorecard(spanish_xlsx).switch_page("app_pages/plan.py").run()
    assert not at.exception and not at.warning
    notes = [c.value for c in at.caption if "auditoría seguida" in c.value]
    assert notes and all(n.endswith("Recomendada por 2.ª auditoría seguida.") for n in notes)
    # the scorecard's actions say it too
    at.switch_page("app_pages/scorecard.py").run()
    assert any(c.value.endswith("Recomendada por 2.ª auditoría seguida.") for c in at.caption)


def test_without_a_history_no_action_says_it_was_raised_before(tmp_path, spanish_xlsx,
                                                               monkeypatch):
    monkeypatch.setenv("AUDIT_HISTORY", str(tmp_path / "none.sqlite3"))
    at = _scorecard(spanish_xlsx).switch_page("app_pages/plan.py").run()
    assert not at.exception
    assert not [c.value for c in at.caption if "auditoría seguida" in c.value]


def test_the_scorecard_pdf_carries_the_progress(history_with_an_earlier_audit, spanish_xlsx,
                                                monkeypatch):
    made = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name,
                        **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    _scorecard(spanish_xlsx, "en")
    pdf = made[pdf_names([TOWN])[TOWN]]()
    words = " ".join(" ".join(page.extract_text().split())
                     for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Progress since the previous audit" in words
    assert "Against audit #1 as of 8 October 2026" in words
    assert "Level 2 3 +1" in words and "this one 15 October 2026" in words
