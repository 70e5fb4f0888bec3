"""Benchmark: the history of audits on the demo workbook (40 institutions).

    python bench/bench_history.py [--repeat 5]

Audits the demo workbook on two dates (printed for reference, not part of the history's
cost), then times, median and worst of N, in a temporary history file:
  - snapshot: what the history keeps of one audit (every score of every institution);
  - save: one audit written in one transaction;
  - load: one stored audit read back;
  - progress, all institutions (what ``history compare`` computes) and one institution
    (what the app's scorecard computes on each rerun);
and prints the file's size per stored audit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit import History, progress, run_audit, snapshot

DEMO = ROOT / "sample_data" / "demo_auditoria_sintetica.xlsx"


def _timed(repeat: int, action) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    start = time.perf_counter()
    early = run_audit([DEMO], as_of=dt.date(2026, 8, 31))
    late = run_audit([DEMO])
    print(f"two audits of the demo workbook (reference): {time.perf_counter() - start:.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "historial.sqlite3"
        with History(path) as store:
            rows = [("snapshot", lambda: snapshot(late))]
            first = store.save(early)
            rows.append(("save", lambda: store.save(late)))
            rows.append(("load", lambda: store.load(first)))
            before, now = store.load(first), snapshot(late)
            name = sorted(now.names().values())[0]
            rows.append(("progress, 40 institutions", lambda: progress(now, before)))
            rows.append(("progress, 1 institution",
                         lambda: progress(now, before, institutions={name})))
            for label, action in rows:
                median, worst = _timed(repeat, action)
                print(f"{label:28s} median {median * 1000:7.1f} ms   worst {worst * 1000:7.1f} ms")
            audits = len(store.audits())
        size = sum(p.stat().st_size for p in Path(folder).glob("historial.sqlite3*"))
        print(f"history file: {size / 1024:.0f} KiB for {audits} audits "
              f"({size / 1024 / audits:.0f} KiB each)")


if __name__ == "__main__":
    main()
