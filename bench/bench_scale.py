"""Benchmark: how the whole audit grows with the posts, and what a larger run would take.

    python bench/bench_scale.py [--sizes 1,2,4] [--formats csv,parquet] [--memory]

For each size (millions of posts, with 1,000 institutions, 5,000 profiles and 200,000
interactions per million posts) and each format, generates the data once with
bench_audit.py's generator (into bench/data/, not committed), then audits it in a process
of its own (run_audit, then every output written) and prints wall and CPU seconds, peak
resident memory and what the finished result still holds. A straight line fitted through
the sizes (least squares) gives seconds and peak memory per million posts and the figures
extrapolated to --target posts (default 25 million), against this machine's memory.

--memory also prints, for each run, where the memory goes: each stage of the audit
(reading, validation, profile activity, features, text measures, the checks, recommendations,
clustering, writing) with the resident memory when it starts and ends and the highest seen
while it runs (sampled every few milliseconds on a thread), so the peak has a place.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
INSTITUTIONS, PROFILES = 1000, 5000
INTERACTIONS_PER_POST = 0.2


def _current_mb() -> float:
    """Resident memory now (the peak counter only ever grows)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class _StageMemory:
    """Resident memory per stage of one audit: each stage's function is wrapped so that it
    names the stage while it runs, and a thread samples the memory every ``interval``
    seconds, charging each sample to the innermost stage running (the text measures run
    inside the checks). Stages are listed in the order they first ran."""

    STAGES = (  # (module, function, stage name)
        ("audit.pipeline", "read_inputs", "read"),
        ("audit.pipeline", "validate", "validate"),
        ("audit.pipeline", "profile_activity", "profile activity"),
        ("audit.pipeline", "build_features", "features"),
        ("audit.measure.text", "text_features", "text measures"),
        ("audit.pipeline", "_score", "checks and scores"),
        ("audit.pipeline", "_best_peers", "recommendations"),
        ("audit.pipeline", "_clusters", "clustering"),
    )

    def __init__(self, interval: float = 0.005):
        import importlib

        self.running: list[str] = []
        self.figures: dict[str, dict[str, float]] = {}
        for module, name, stage in self.STAGES:
            owner = importlib.import_module(module)
            setattr(owner, name, self._wrapped(getattr(owner, name), stage))
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(interval,), daemon=True)
        self._thread.start()

    def _wrapped(self, func, stage: str):
        def run(*args, **kwargs):
            with self.stage(stage):
                return func(*args, **kwargs)
        return run

    @contextmanager
    def stage(self, name: str):
        now = _current_mb()
        figures = self.figures.setdefault(name, {"start": now, "peak": now, "end": now})
        self.running.append(name)
        try:
            yield
        finally:
            self.running.pop()
            figures["end"] = _current_mb()
            figures["peak"] = max(figures["peak"], figures["end"])

    def _sample(self, interval: float) -> None:
        while not self._done.wait(interval):
            running = list(self.running)
            if running:
                figures = self.figures[running[-1]]
                figures["peak"] = max(figures["peak"], _current_mb())

    def stop(self) -> dict[str, dict[str, float]]:
        self._done.set()
        self._thread.join()
        return self.figures


def _audit(paths: list[str], memory: bool = False) -> dict:
    """One audit and its outputs, measured from inside the process that runs them."""
    sys.path.insert(0, str(HERE.parent))
    from audit import run_audit, write_outputs

    stages = _StageMemory() if memory else None
    start, cpu = time.perf_counter(), time.process_time()
    result = run_audit(paths)
    audited = time.perf_counter() - start
    peak_audit = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    held = _current_mb()
    assert result.usable, result.problems.fatal_lines("en")
    with tempfile.TemporaryDirectory() as out, (
            stages.stage("writing") if stages else contextlib.nullcontext()):
        write_outputs(result, out)
    return {"stages": stages.stop() if stages else {},
            "seconds": time.perf_counter() - start, "audit_seconds": audited,
            "cpu": time.process_time() - cpu, "peak_audit_mb": peak_audit,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "held_mb": held, "posts": result.manifest()["counts"]["posts"]}


def _fit(sizes: list[float], values: list[float]) -> tuple[float, float]:
    """Intercept and slope of the least-squares line through (size, value)."""
    slope, intercept = np.polyfit(sizes, values, 1) if len(sizes) > 1 else (values[0] / sizes[0], 0)
    return float(intercept), float(slope)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("--audit", "--audit-memory"):
        print(json.dumps(_audit(sys.argv[2:], memory=sys.argv[1] == "--audit-memory")))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2,4", help="millions of posts, comma-separated")
    parser.add_argument("--formats", default="csv,parquet")
    parser.add_argument("--target", type=float, default=25, help="millions of posts")
    parser.add_argument("--memory", action="store_true",
                        help="also the resident memory of each stage of each audit")
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
            mode = "--audit-memory" if args.memory else "--audit"
            done = subprocess.run([sys.executable, __file__, mode, *paths],
                                  capture_output=True, text=True, check=True)
            run = json.loads(done.stdout.strip().splitlines()[-1])
            runs.append(run)
            print(f"{fmt:8} {millions:5g}M posts: {run['seconds']:7.1f} s wall "
                  f"(audit {run['audit_seconds']:6.1f} s)  CPU {run['cpu']:7.1f} s  "
                  f"peak {run['peak_mb']:7.0f} MB (audit {run['peak_audit_mb']:6.0f})  "
                  f"result holds {run['held_mb']:6.0f} MB", flush=True)
            for stage, mb in run["stages"].items():
                print(f"{'':8} {'':6}   {stage:18} MB at start {mb['start']:7.0f}  "
                      f"peak {mb['peak']:7.0f}  at end {mb['end']:7.0f}", flush=True)
        for name, key in (("CPU s", "cpu"), ("wall s", "seconds"), ("peak MB", "peak_mb")):
            base, per_million = _fit(sizes, [r[key] for r in runs])
            print(f"{fmt:8} {name:8}: {base:8.1f} + {per_million:8.1f} per million posts -> "
                  f"{base + per_million * args.target:9.0f} at {args.target:g}M")
        base, per_million = _fit(sizes, [r["peak_mb"] for r in runs])
        print(f"{fmt:8} peak at {args.target:g}M vs this machine's {memory_mb:,.0f} MB: "
              f"{(base + per_million * args.target) / memory_mb:.0%}")


if __name__ == "__main__":
    main()
