"""The Streamlit app driven headless: demo data, uploads, broken files, both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def test_start_page_offers_demo_and_template():
    at = _app()
    assert not at.exception
    assert at.button[0].label == "Cargar datos de demostración"
    assert "suba archivos" in at.info[0].value


def test_demo_data_shows_summary_problems_and_statuses():
    at = _app()
    at.button[0].click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Instituciones"] == "40"
    assert metrics["Fecha de auditoría"] == "2026-10-31"
    problems, profiles = at.dataframe[0].value, at.dataframe[1].value
    assert "duplicate_profile" in set(problems["code"])
    assert "⛔ abandonado" in set(profiles["status"])


def test_english_labels():
    at = _app()
    at.sidebar.radio[0].set_value("English").run()
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Social media audit of public institutions"
    assert "Institutions" in {m.label for m in at.metric}
    assert "⛔ abandoned" in set(at.dataframe[1].value["status"])


def test_severity_filter_narrows_the_problem_table():
    at = _app()
    at.button[0].click().run()
    total = len(at.dataframe[0].value)
    at.multiselect[0].set_value(["error"]).run()
    errors = at.dataframe[0].value
    assert 0 < len(errors) < total
    assert set(errors["severity"]) == {"error"}


def test_uploading_a_workbook_through_the_uploader(spanish_xlsx):
    at = _app()
    at.file_uploader[0].set_value(
        (spanish_xlsx.name, spanish_xlsx.read_bytes(), "application/vnd.ms-excel")).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Instituciones"] == "2"
    assert "duplicate_profile" in set(at.dataframe[0].value["code"])


@pytest.mark.parametrize("name,data,expected_code", [
    ("roto.xlsx", b"PK\x03\x04 not a workbook", "file_unreadable"),
    ("vacio.csv", b"", "file_empty"),
])
def test_broken_upload_shows_its_problems_not_a_traceback(name, data, expected_code):
    at = _app()
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception
    assert at.error[0].value.startswith("No se puede auditar")
    assert expected_code in set(at.dataframe[0].value["code"])
