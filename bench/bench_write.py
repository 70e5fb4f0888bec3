"""Benchmark: writing every output of a large audit (``write_outputs`` alone).

    python bench/bench_write.py [--posts 1000000] [--repeats 3] [--format csv]

Audits the observatory of bench_audit.py (1,000 institutions, 5,000 profiles, the v4 files
in bench/data/, made once) a single time, then runs ``write_outputs`` ``repeats`` times into
a fresh folder each and prints the best wall and CPU seconds of this process and of the
process that renders a large workbook meanwhile (its CPU is counted once it has ended), and
the CPU of the workbook's render alone, in this process. On a machine shared with other
work, wall time follows the load; compare the CPU seconds.
The files written depend on the institutions, criteria and profiles far more than on the
posts, so ``--posts 50000`` gives nearly the same files in a fraction of the audit's time.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_audit import generate

from audit import run_audit, write_outputs
from audit.report import excel_render
from audit.report.excel import excel_plan


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    args = parser.parse_args()
    paths = generate(1000, 5000, args.posts, args.posts // 5, args.format)
    start = time.perf_counter()
    result = run_audit(paths, workers=1)
    print(f"audit of {args.posts:,} posts: {time.perf_counter() - start:.1f} s (one process)")
    runs = []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as out:
            children = _children_cpu()
            start, cpu = time.perf_counter(), time.process_time()
            written = write_outputs(result, out)
            runs.append((time.perf_counter() - start, time.process_time() - cpu,
                         _children_cpu() - children))
            size = sum(path.stat().st_size for path in written)
    wall, cpu, child = min(runs)
    print(f"write_outputs: {len(written)} files, {size / 2**20:.1f} MB; best of {len(runs)}: "
          f"{wall:.2f} s wall, {cpu:.2f} s CPU in this process, {child:.2f} s CPU in the "
          "workbook's process")
    print("  every run (wall, CPU here, CPU there): "
          + "; ".join(f"{w:.2f}, {c:.2f}, {k:.2f}" for w, c, k in runs))
    plan = excel_plan(result)
    renders = []
    for _ in range(args.repeats):
        start = time.process_time()
        excel_render.render(plan)
        renders.append(time.process_time() - start)
    print(f"  the workbook's plan rendered here ({plan.cells():,} cells): "
          f"{min(renders):.2f} s CPU")


if __name__ == "__main__":
    main()
