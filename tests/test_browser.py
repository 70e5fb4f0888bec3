"""A real browser: start the app, upload the demo workbook through the page, read the result.

Drives Debian's Chromium through Playwright's Python package (never a downloaded browser).
Skips, saying why, only when Chromium is not installed.
"""

from __future__ import annotations

import os
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
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="Chromium not installed (apt-get install chromium); "
                              "the real-browser test cannot run"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app_url(tmp_path):
    port = _free_port()
    log = (tmp_path / "streamlit.log").open("w")
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
            pytest.fail("the app did not start: " + (tmp_path / "streamlit.log").read_text())
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_upload_demo_workbook_in_a_real_browser(app_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(app_url)
        expect(page.get_by_text("Auditoría de redes sociales de instituciones públicas")) \
            .to_be_visible(timeout=60_000)
        page.locator("input[type=file]").set_input_files(str(DEMO))
        metric = page.locator("[data-testid=stMetric]").filter(has_text="Instituciones")
        expect(metric).to_contain_text("40", timeout=60_000)
        expect(page.get_by_text("Estado de los perfiles")).to_be_visible()
        assert page.locator("[data-testid=stException]").count() == 0
        page.screenshot(path=str(tmp_path / "app.png"), full_page=True)
        browser.close()
    assert (tmp_path / "app.png").stat().st_size > 10_000
