"""Seconds of the per-post text measures (text_features) on the bench posts: without the
cache of word verdicts, with an empty cache (first audit) and with the cache it left
(second audit), each in a fresh process, as a new audit would be; and how much of it
loading the lexicon took.

    python bench/bench_text.py                    # the 1M posts in bench/data
    python bench/bench_text.py --posts 50000 --interactions 10000

The posts are generated once, as bench/bench_audit.py makes them. CPU and wall seconds
include loading the word list, as in an audit; the figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_audit import generate, size_arguments

_CHILD = """
import json, sys, time
import pandas as pd
from audit.measure.text import text_features
from audit.measure.text.lexicon import lexicon
texts = pd.read_csv(sys.argv[1], usecols=["texto"], dtype="str")["texto"]
cpu, wall = time.process_time(), time.perf_counter()
lexicon()
lexicon_cpu = time.process_time() - cpu
features = text_features(texts)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                  "lexicon": lexicon_cpu, "posts": len(texts),
                  "flagged": len(features.flagged)}))
"""


def run(posts: Path, cache: str) -> dict:
    env = {**os.environ, "AUDIT_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _CHILD, str(posts)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_arguments(parser)
    args = parser.parse_args()
    # the posts file of the generated observatory (made once by bench_audit's generator)
    posts = Path(generate(args.institutions, args.profiles, args.posts,
                          args.interactions)[1])
    with tempfile.TemporaryDirectory() as folder:
        for label, cache in (("no cache", "off"), ("first run (empty cache)", folder),
                             ("second run (cache filled)", folder)):
            got = run(posts, cache)
            print(f"{label:28s} {got['cpu']:6.2f} s CPU {got['wall']:6.2f} s wall, of which "
                  f"{got['lexicon']:.2f} s CPU loading the lexicon ({got['posts']:,} posts, "
                  f"{got['flagged']:,} flagged words)")
        size = sum(f.stat().st_size for f in Path(folder).iterdir())
        print(f"cache size {size / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
