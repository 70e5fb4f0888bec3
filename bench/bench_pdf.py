"""Benchmark: how long the PDFs take, on the demo audit.

    python bench/bench_pdf.py [--repeat 3]

Audits the demo workbook once, then times (median of N) one institution's scorecard in
each language, the group report, and all 40 scorecards plus the group report as
``python -m audit run ... --pdf`` writes them. The app makes a PDF when its button is
clicked and caches it, so a second click costs nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit import group_report_pdf, run_audit, scorecard_pdf
from audit.report.pdf import write_pdfs

DEMO = ROOT / "sample_data" / "demo_auditoria_sintetica.xlsx"
INSTITUTION = "Gobierno Regional de Alto Marañón"


def _median(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    result = run_audit([DEMO])
    scorecard_pdf(result, INSTITUTION)  # loads fpdf2, matplotlib and the font once
    for lang in ("es", "en"):
        shown = replace(result, lang=lang)
        seconds = _median(lambda shown=shown: scorecard_pdf(shown, INSTITUTION), repeat)
        print(f"scorecard ({lang}): {seconds:.2f} s, "
              f"{len(scorecard_pdf(shown, INSTITUTION)) / 1024:.0f} KiB")
    print(f"group report ({len(result.scorecard.institutions)} institutions): "
          f"{_median(lambda: group_report_pdf(result), repeat):.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        seconds = _median(lambda: write_pdfs(result, folder), 1)
    print(f"--pdf, every scorecard and the group report: {seconds:.1f} s")


if __name__ == "__main__":
    main()
