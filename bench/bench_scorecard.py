"""Benchmark: the scorecard (every check, its evidence in both languages, the levels) on the
benchmark data, in a fresh process.

    python bench/bench_scorecard.py [--posts 1000000] [--format csv|parquet] [--profile N]

Reads the files ``bench/bench_audit.py`` generates (made there once if missing), builds the
features and the text measures (not timed), then times ``score_audit`` once, as an audit
runs it: wall and CPU seconds. The checks' own caches (the term passes kept on the features,
the personal data found per text) start empty, as in a real audit; ``bench_audit.py
--stages`` times the scorecard after each check has already run once, so it reads those
caches warm. ``--profile N`` prints the N costliest functions (cProfile, cumulative) of a
second, separate ``score_audit`` on fresh features. Target on a 2-core machine, a million
posts: under 7 s wall.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_audit import generate, size_arguments


def _features(paths: list[str]):
    """The audit's features of ``paths`` with their text measures done, and the rubric."""
    from audit import load_rubric
    from audit.ingest.problems import ProblemLog
    from audit.ingest.reader import read_inputs
    from audit.ingest.validate import validate
    from audit.measure.features import build_features
    from audit.measure.profile_status import profile_activity
    from audit.pipeline import _load

    rubric, log = load_rubric(), ProblemLog()
    data = validate(read_inputs([_load(p) for p in paths], log), log)
    activity = profile_activity(data, rubric.status_days, rubric.window_days)
    features = build_features(data, activity, rubric.status_days, rubric.window_days)
    features.text  # noqa: B018 - computed here so that the scorecard's time is its own
    return features, rubric


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_arguments(parser)
    parser.add_argument("--format", choices=("csv", "parquet"), default="parquet")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also print the N costliest functions of a profiled run")
    args = parser.parse_args()
    paths = [str(p) for p in generate(args.institutions, args.profiles, args.posts,
                                      args.interactions, args.format)]
    from audit.score.scorecard import score_audit

    features, rubric = _features(paths)
    start, cpu = time.perf_counter(), time.process_time()
    card = score_audit(features, rubric)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"score_audit on {args.posts:,} posts, {len(card.institutions):,} institutions: "
          f"{wall:.1f} s wall, {cpu:.1f} s CPU ({len(card.scores):,} criterion rows)")
    if args.profile:
        from audit.measure.text import personal_data

        personal_data._found.cache_clear()
        features, rubric = _features(paths)
        profiler = cProfile.Profile()
        profiler.enable()
        score_audit(features, rubric)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
