"""A real browser: start the app, upload the demo workbook through the page, read the result.

Drives Debian's Chromium through Playwright's Python package (never a downloaded browser).
Skips, saying why, only when Chromium is not installed.

The screenshots (executive scorecard, peer clusters) go to the test's temporary folder; to
refresh the ones in the documentation:

    AUDIT_SCREENSHOTS_DIR=docs/screenshots python -m pytest -q tests/test_browser.py
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
DEMO = ROOT / "sample_data" / "demo_auditoria_sintetica.xlsx"
# A demo institution whose page shows every part of the scorecard: a level capped by an
# abandoned profile, risks and actions.
INSTITUTION = "Gobierno Regional de Alto Marañón"
LEVEL = "3"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="Chromium not installed (apt-get install chromium); "
                              "the real-browser test cannot run"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """One app server for the module; each test opens its own browser session on it."""
    folder = tmp_path_factory.mktemp("server")
    port = _free_port()
    log = (folder / "streamlit.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the app did not start: " + (folder / "streamlit.log").read_text())
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by typing it, as a person would."""
    box = page.locator("[data-testid=stSelectbox]").filter(has_text=label)
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option).click()
    page.evaluate("document.activeElement.blur()")  # no focus ring in the screenshot


def _scorecard_ready(page, expect, level_label: str) -> None:
    expect(page.get_by_role("heading", name=INSTITUTION)).to_be_visible(timeout=60_000)
    level = page.locator("[data-testid=stMetric]").filter(has_text=level_label)
    expect(level).to_contain_text(LEVEL, timeout=30_000)
    expect(page.locator("[data-testid=stVegaLiteChart] canvas, "
                        "[data-testid=stVegaLiteChart] svg").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1_000)  # let the chart finish drawing before the screenshot
    expect(page.locator("[data-testid=stException]")).to_have_count(0)


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: the documentation's folder when asked, else the test's."""
    folder = Path(os.environ.get("AUDIT_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh page of its own (tall enough for a whole scorecard) open on the running app."""
    context = browser.new_context(viewport={"width": 1440, "height": 1800})
    tab = context.new_page()
    tab.goto(app_url)
    yield tab
    context.close()


def test_upload_demo_workbook_and_show_the_scorecard(page, shots):
    """Upload through the page's file input, open the executive scorecard of one institution,
    check it in Spanish and English and keep a screenshot of each."""
    from playwright.sync_api import expect

    expect(page.get_by_text("Auditoría de redes sociales de instituciones públicas")) \
        .to_be_visible(timeout=60_000)
    page.locator("input[type=file]").first.set_input_files(str(DEMO))
    metric = page.locator("[data-testid=stMetric]").filter(has_text="Instituciones")
    expect(metric).to_contain_text("40", timeout=90_000)
    expect(page.get_by_text("Estado de los perfiles")).to_be_visible(timeout=30_000)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)

    page.locator("[data-testid=stSidebarNav]").get_by_text("Resumen ejecutivo").click()
    _choose(page, "Institución", INSTITUTION)
    _scorecard_ready(page, expect, "Nivel de madurez")
    expect(page.get_by_text("Riesgos principales")).to_be_visible(timeout=30_000)
    page.screenshot(path=str(shots / "scorecard_es.png"))

    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    expect(page.get_by_text(re.compile(r"^The \d+ actions of the plan$"))).to_be_visible(
        timeout=30_000)
    _scorecard_ready(page, expect, "Maturity level")
    page.screenshot(path=str(shots / "scorecard_en.png"))
    for name in ("scorecard_es.png", "scorecard_en.png"):
        assert (shots / name).stat().st_size > 50_000


def test_compare_page_draws_the_ward_tree_and_tests_the_groups(page, shots):
    """Load the demo with its button, open Compare, switch the clustering to Ward and see
    the tree, the cluster summary and the group comparison drawn by a real browser; keep a
    screenshot of the peer clusters."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Cargar datos de demostración").click()
    metric = page.locator("[data-testid=stMetric]").filter(has_text="Instituciones")
    expect(metric).to_contain_text("40", timeout=90_000)

    page.locator("[data-testid=stSidebarNav]").get_by_text("Comparar").click()
    expect(page.get_by_role("heading", name="Grupos de pares")).to_be_visible(
        timeout=60_000)
    page.get_by_text("Ward (jerárquico)").click()
    expect(page.get_by_text("Árbol de agrupamiento (Ward)")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Método: Ward, k = 2")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Comparación por pares")).to_be_visible(
        timeout=30_000)
    charts = page.locator("[data-testid=stVegaLiteChart] canvas, "
                          "[data-testid=stVegaLiteChart] svg")
    # At least four drawn (sector strip, cluster map, tree, silhouette): wait for the fourth
    # rather than count the ones drawn so far.
    expect(charts.nth(3)).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    page.get_by_role("heading", name="Grupos de pares").evaluate(
        "heading => heading.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_000)  # let the charts finish drawing
    page.screenshot(path=str(shots / "compare_ward_es.png"))
    assert (shots / "compare_ward_es.png").stat().st_size > 50_000
