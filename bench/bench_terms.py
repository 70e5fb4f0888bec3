"""Benchmark: the rubric's term lists searched in one joined pass against the passes of
``JOINED_MAX_CHARS``, and the personal-data pre-filter against the exact search.

    python bench/bench_terms.py [--posts 200000]

Reads the texts of the benchmark's posts (bench/data/, made by bench_audit.py) and prints,
for each term list of the default rubric, the seconds of one pass of every term joined and
of the few passes ``find_terms`` makes, and whether both find the same posts; then the
seconds of the exact personal-data search on every text and on those the pre-filter lets
through, with the share let through.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit import load_rubric
from audit.measure.checks.transparency import (
    _compiled,
    _joined,
    _terms,
    _whole_words,
)
from audit.measure.text.personal_data import exposed_kinds, may_hold

POSTS = ROOT / "bench" / "data" / "publicaciones_1000_5000_1000000_200000_v3.csv"


def _seconds(func):
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def _search(texts: pa.Array, patterns: list[str]):
    hits = None
    for pattern in patterns:
        found = pc.match_substring_regex(texts, _whole_words(pattern), ignore_case=True)
        hits = found if hits is None else pc.or_(hits, found)
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    args = parser.parse_args()
    table = pcsv.read_csv(POSTS, convert_options=pcsv.ConvertOptions(
        include_columns=["texto"]))
    texts = table["texto"].combine_chunks().cast(pa.large_string()).slice(0, args.posts)
    texts = pc.fill_null(texts, "")
    print(f"{len(texts):,} posts")
    for _, criterion in load_rubric().criteria():
        terms = (criterion.get("params") or {}).get("terms")
        if not isinstance(terms, dict | list):
            continue
        patterns = [_compiled(label, expr) for label, expr in _terms(terms).items()]
        one, hits_one = _seconds(lambda p=patterns: _search(texts, ["|".join(
            f"(?:{x})" for x in p)]))
        split, hits_split = _seconds(lambda p=patterns: _search(texts, _joined(p)))
        print(f"terms of {criterion['id']:<20} {sum(map(len, patterns)):>6} characters: "
              f"one pass {one:6.2f} s, {len(_joined(patterns))} passes {split:6.2f} s, "
              f"same posts: {hits_one.equals(hits_split)}")
    series = pd.Series(texts.to_pylist(), dtype="object")
    exact, kinds = _seconds(lambda: series.map(exposed_kinds))
    kept_time, kept = _seconds(lambda: may_hold(series))
    filtered, kinds_kept = _seconds(lambda: series[kept].map(exposed_kinds))
    same = kinds[kinds.map(bool)].to_dict() == kinds_kept[kinds_kept.map(bool)].to_dict()
    print(f"personal data: exact search on every text {exact:6.2f} s; pre-filter "
          f"{kept_time:5.2f} s lets through {kept.mean():.1%}, exact search on those "
          f"{filtered:5.2f} s; same posts: {same}")


if __name__ == "__main__":
    main()
