"""Driving the Streamlit app headless (AppTest), shared by the app's test files.

The demo audit runs once per test process: the app keeps it in ``st.cache_resource``, which
AppTest instances in one process share, so every test after the first reuses it.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["data", "scorecard", "dimensions", "compare", "plan", "rubric", "methodology"]
TITLES = {"es": {"data": "Auditoría de redes sociales de instituciones públicas",
                 "scorecard": None, "dimensions": "Dimensiones y evidencia",
                 "compare": "Comparar", "plan": "Plan de acción", "rubric": "Rúbrica",
                 "methodology": "Metodología"},
          "en": {"data": "Social media audit of public institutions", "scorecard": None,
                 "dimensions": "Dimensions and evidence", "compare": "Compare",
                 "plan": "Action plan", "rubric": "Rubric", "methodology": "Methodology"}}
FIRST = "Agencia Estatal de Ventanilla Única"  # first institution of the demo, alphabetically
WEAK = "Gobierno Regional de Alto Marañón"  # abandoned profile, unanswered complaints


def open_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=90).run()


def open_demo(lang: str = "es") -> AppTest:
    at = open_app()
    if lang == "en":
        at.sidebar.radio(key="lang").set_value("en").run()
    at.button[0].click().run()
    assert not at.exception
    return at


def switch_to(at: AppTest, page: str) -> AppTest:
    return at.switch_page(f"app_pages/{page}.py").run()


def metrics_of(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def no_failure(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
