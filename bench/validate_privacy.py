"""Precision of the personal-data detector on real posts of public institutions.

    python bench/validate_privacy.py [--data ../shared/real-data] [--sample 15]

Official accounts rarely publish a citizen's personal data, so every post this detector
says exposes some is a false positive to look at. It reads the Ministry of Health's, Salud
Pública's and the Spanish medicines agency's 1,552 tweets (health-es, 2020) and 2,264 tweets
of 128 Spanish town halls (uam-ayuntamientos); for each set it prints how many posts expose
personal data (what the privacy criteria count: every kind but mentions and signatures) and
how many get some mask when quoted (mentions of other accounts included), then a sample of
masked posts so that a reader can judge the masks. The 2,498 citizens' tweets addressed to
those town halls are read the same way, to see what a quote of a citizen hides.

When the data folder is not there (the project's repository alone), it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.measure.text.personal_data import exposed_kinds, find, mask

DATA = ROOT.parent / "shared" / "real-data"
SETS = {
    "health-es (institutions)": ("health-es/tweets_2020q4.jsonl", "screen_name"),
    "uam-ayuntamientos (town halls)": ("uam-ayuntamientos/all_multiclass_20220911.json",
                                       "author"),
    "uam-ayuntamientos (citizens)": ("uam-ayuntamientos/all_citizens_labeled_20220911.json",
                                     None),
}


def _records(path: Path) -> list[dict]:
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    return json.loads(path.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--sample", type=int, default=15)
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"Real data not found ({args.data}); nothing to validate.")
        return 0
    # every institution's own handle, as an audit would know them from its profiles sheet
    own = set()
    for file, author in SETS.values():
        if author:
            own |= {str(r[author]).lstrip("@").lower() for r in _records(args.data / file)}
    rng = random.Random(0)
    for name, (file, _) in SETS.items():
        texts = [str(r["text"]) for r in _records(args.data / file)]
        exposing = [t for t in texts if exposed_kinds(t)]
        kinds = Counter(k for t in exposing for k in exposed_kinds(t))
        masked = [t for t in texts if find(t, own)]
        by_kind = Counter(p.kind for t in masked for p in find(t, own))
        print(f"\n== {name}: {len(texts):,} posts")
        print(f"exposing personal data: {len(exposing)} "
              f"({100 * len(exposing) / len(texts):.2f}%) {dict(kinds)}")
        print(f"with some mask when quoted: {len(masked)} "
              f"({100 * len(masked) / len(texts):.1f}%); pieces by kind {dict(by_kind)}")
        for t in exposing[:args.sample]:
            print(f"  EXPOSES {sorted(exposed_kinds(t))}: {' '.join(mask(t, 'es', own).split())}")
        others = [t for t in masked if any(p.kind != "handle" for p in find(t, own))]
        for t in rng.sample(others, min(args.sample, len(others))):
            print(f"  masked: {' '.join(mask(t, 'es', own).split())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
