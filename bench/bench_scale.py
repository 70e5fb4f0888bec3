"""Benchmark: how the whole audit grows with the posts, and what a larger run would take.

    python bench/bench_scale.py [--sizes 1,2,4] [--formats csv,parquet]

For each size (millions of posts, with 1,000 institutions, 5,000 profiles and 200,000
interactions per million posts) and each format, generates the data once with
bench_audit.py's generator (into bench/data/, not committed), then audits it in a process
of its own (run_audit, then every output written) and prints wall and CPU seconds, peak
resident memory and what the finished result still holds. A straight line fitted through
the sizes (least squares) gives seconds and peak memory per million posts and the figures
extrapolated to --target posts (default 25 million), against this machine's memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
INSTITUTIONS, PROFILES = 1000, 5000
INTERACTIONS_PER_POST = 0.2


def _current_mb() -> float:
    """Resident memory now (the peak counter only ever grows)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _audit(paths: list[str]) -> dict:
    """One audit and its outputs, measured from inside the process that runs them."""
    sys.path.insert(0, str(HERE.parent))
    from audit import run_audit, write_outputs

    start, cpu = time.perf_counter(), time.process_time()
    result = run_audit(paths)
    audited = time.perf_counter() - start
    peak_audit = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    held = _current_mb()
    assert result.usable, result.problems.fatal_lines("en")
    with tempfile.TemporaryDirectory() as out:
        write_outputs(result, out)
    return {"seconds": time.perf_counter() - start, "audit_seconds": audited,
            "cpu": time.process_time() - cpu, "peak_audit_mb": peak_audit,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "held_mb": held, "posts": result.manifest()["counts"]["posts"]}


def _fit(sizes: list[float], values: list[float]) -> tuple[float, float]:
    """Intercept and slope of the least-squares line through (size, value)."""
    slope, intercept = np.polyfit(sizes, values, 1) if len(sizes) > 1 else (values[0] / sizes[0], 0)
    return float(intercept), float(slope)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--audit":
        print(json.dumps(_audit(sys.argv[2:])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2,4", help="millions of posts, comma-separated")
    parser.add_argument("--formats", default="csv,parquet")
    parser.add_argument("--target", type=float, default=25, help="millions of posts")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20
    for fmt in args.formats.split(","):
        runs = []
        for millions in sizes:
            posts = int(millions * 1_000_000)
            counts = [str(n) for n in (INSTITUTIONS, PROFILES, posts,
                                       int(posts * INTERACTIONS_PER_POST))]
            generator = [sys.executable, str(HERE / "bench_audit.py"), "--generate", *counts, fmt]
            subprocess.run(generator, check=True)
            tag = "_".join(counts)
            paths = [str(HERE / "data" / f"{name}_{tag}_v4.{fmt}") for name in
                     ("perfiles", "publicaciones", "interacciones", "gobernanza")]
            done = subprocess.run([sys.executable, __file__, "--audit", *paths],
                                  capture_output=True, text=True, check=True)
            run = json.loads(done.stdout.strip().splitlines()[-1])
            runs.append(run)
            print(f"{fmt:8} {millions:5g}M posts: {run['seconds']:7.1f} s wall "
                  f"(audit {run['audit_seconds']:6.1f} s)  CPU {run['cpu']:7.1f} s  "
                  f"peak {run['peak_mb']:7.0f} MB (audit {run['peak_audit_mb']:6.0f})  "
                  f"result holds {run['held_mb']:6.0f} MB", flush=True)
        for name, key in (("CPU s", "cpu"), ("wall s", "seconds"), ("peak MB", "peak_mb")):
            base, per_million = _fit(sizes, [r[key] for r in runs])
            print(f"{fmt:8} {name:8}: {base:8.1f} + {per_million:8.1f} per million posts -> "
                  f"{base + per_million * args.target:9.0f} at {args.target:g}M")
        base, per_million = _fit(sizes, [r["peak_mb"] for r in runs])
        print(f"{fmt:8} peak at {args.target:g}M vs this machine's {memory_mb:,.0f} MB: "
              f"{(base + per_million * args.target) / memory_mb:.0%}")


if __name__ == "__main__":
    main()
