"""Benchmark: writing report.xlsx for the demo and for a large observatory.

    python bench/bench_excel.py [--institutions 1000] [--profiles 5000] [--posts 50000]
                                [--interactions 10000] [--repeats 3]

The report's size follows institutions, criteria, profiles and actions, not posts, so the
large case audits the observatory of bench_audit.py (same generator, same bench/data/ cache)
with few posts. Prints, per case, the rows of each sheet, the best wall and CPU time of
``repeats`` runs of ``excel_report`` against writing the same tables as CSV, the Python
memory peak while writing (tracemalloc) and the file's size.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_audit import generate

from audit import run_audit, tables
from audit.report.excel import excel_report

DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo_auditoria_sintetica.xlsx"


def _best(func, repeats: int) -> tuple[float, float]:
    """The best wall and CPU seconds of ``repeats`` runs (CPU time is the steadier figure
    on a machine shared with other work)."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def _csv(result) -> None:
    for frame in tables(result).values():
        frame.to_csv(io.StringIO(), index=False, lineterminator="\n")


def measure(name: str, result, repeats: int) -> None:
    rows = {key: len(frame) for key, frame in tables(result).items()}
    xlsx = _best(lambda: excel_report(result), repeats)
    csv = _best(lambda: _csv(result), repeats)
    tracemalloc.start()
    data = excel_report(result)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{name}: {rows}")
    print(f"  report.xlsx {xlsx[0]:.2f} s, {xlsx[1]:.2f} s CPU "
          f"(CSV tables {csv[0]:.2f} s, {csv[1]:.2f} s CPU), "
          f"memory peak {peak / 2**20:.0f} MB, {len(data) / 2**20:.2f} MB on disk")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, default=1000)
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--interactions", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    measure("demo", run_audit([DEMO]), args.repeats)
    paths = generate(args.institutions, args.profiles, args.posts, args.interactions)
    measure(f"observatory of {args.institutions:,} institutions", run_audit(paths),
            args.repeats)


if __name__ == "__main__":
    main()
