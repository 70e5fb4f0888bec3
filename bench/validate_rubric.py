"""Item analysis of the rubric on the demo workbook and on real accounts: do the criteria
tell institutions apart, and do a dimension's criteria measure one thing?

    python bench/validate_rubric.py [--real-data DIR] [--csv DIR]

For each data set it runs the real pipeline (``audit.run_audit``) and prints, from the
scorecard (see audit/report/item_analysis.py):

- per criterion: institutions evaluated, min / median / max score, share at >= 95 and at
  <= 5, and SATURATED when more than 80 % sit at one extreme;
- pairs of criteria whose scores correlate above 0.9 (Spearman, over the institutions
  evaluated on both);
- Cronbach's alpha per dimension (criteria as items, institutions evaluated on all);
- coverage: per institution, the share of the rubric's weight that was evaluated.

Data sets: the demo workbook (rubric ``gobierno``) and, when the real-data folder is there
(default: ``shared/real-data`` beside the repository), the 128 Spanish town halls of
uam-ayuntamientos (``gobierno``) and the 3 health accounts of health-es (``salud``). The
audit inputs are built in memory from the published files (one profile per account, one
post per tweet); the files are never copied. Without the folder it says so and analyses the
demo only. ``--csv DIR`` also writes each table as ``<data set>_<table>.csv``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np
import pandas as pd

from audit.pipeline import run_audit
from audit.report.item_analysis import (
    CEILING,
    FLOOR,
    REDUNDANT_RHO,
    SATURATED_SHARE,
    SATURATION_MIN_N,
    correlated_pairs,
    criterion_distribution,
    dimension_alphas,
)
from audit.score.scorecard import overall_scores

DEMO = ROOT / "sample_data" / "demo_auditoria_sintetica.xlsx"
REAL_DATA = ROOT.parent / "shared" / "real-data"
TOWN_HALLS = Path("uam-ayuntamientos") / "all_multiclass_20220911.json"
CITIZENS = Path("uam-ayuntamientos") / "all_citizens_labeled_20220911.json"
HEALTH = Path("health-es") / "tweets_2020q4.jsonl"


def _none(value):
    """The UAM files write missing values as the string "None"."""
    return None if value in (None, "None") else value


def _csv(frame: pd.DataFrame, name: str) -> tuple[str, bytes]:
    return name, frame.to_csv(index=False).encode("utf-8")


def town_hall_tweets(real_data: Path) -> pd.DataFrame:
    """The 2,264 hand-coded town-hall tweets: handle (without @), published_at (UTC),
    text, followers, likes, shares, and the coders' per-layer labels."""
    records = json.loads((real_data / TOWN_HALLS).read_text(encoding="utf-8"))
    return pd.DataFrame({
        "handle": [r["author"].lstrip("@") for r in records],
        "published_at": pd.to_datetime([r["date"] for r in records], unit="ms", utc=True),
        "text": [r["text"] for r in records],
        "followers": [_none(r["followers"]) for r in records],
        "likes": [_none(r["favorite_count"]) for r in records],
        "shares": [_none(r["RT_count"]) for r in records],
        "layer_1": [_none(r["target_layer_1"]) for r in records],
        "layer_2": [_none(r["target_layer_2"]) for r in records],
        "layer_3": [_none(r["target_layer_3"]) for r in records],
    })


def town_hall_inputs(real_data: Path) -> list[tuple[str, bytes]]:
    """Profiles (one per town-hall account, its latest follower count) and posts."""
    tweets = town_hall_tweets(real_data).sort_values("published_at", kind="stable")
    last = tweets.groupby("handle", sort=True).last()
    profiles = pd.DataFrame({"institution": last.index, "network": "X", "handle": last.index,
                             "sector": "gobierno local", "country": "España",
                             "followers": last["followers"].to_numpy()})
    posts = pd.DataFrame({"network": "X", "handle": tweets["handle"],
                          "published_at": tweets["published_at"].dt.strftime("%Y-%m-%d %H:%M:%S"),
                          "text": tweets["text"], "likes": tweets["likes"],
                          "shares": tweets["shares"]})
    return [_csv(profiles, "profiles.csv"), _csv(posts, "posts.csv")]


def health_inputs(real_data: Path) -> list[tuple[str, bytes]]:
    """Profiles (the 3 health accounts, verified badge and website) and their 1,552 tweets."""
    lines = (real_data / HEALTH).read_text(encoding="utf-8").splitlines()
    tweets = pd.DataFrame([json.loads(line) for line in lines if line.strip()])
    first = tweets.sort_values("created_at", kind="stable").groupby("screen_name").last()
    profiles = pd.DataFrame({"institution": first.index, "network": "X", "handle": first.index,
                             "sector": "salud", "country": "España",
                             "verified": first["user_verified"].map({True: "sí", False: "no"})
                             .to_numpy(),
                             "website": first["user_url"].to_numpy()})
    posts = pd.DataFrame({"network": "X", "handle": tweets["screen_name"],
                          "published_at": tweets["created_at"], "text": tweets["text"],
                          "likes": tweets["favorite_count"], "shares": tweets["retweet_count"]})
    return [_csv(profiles, "profiles.csv"), _csv(posts, "posts.csv")]


#: Data sets whose posts are a sample, not whole timelines: the UAM town-hall tweets are a
#: stratified sample (about 18 tweets per account over eleven years), so activity and profile
#: status are not measured from them (``run_audit(posts_sample=True)``).
SAMPLED = {"town_halls"}


def data_sets(real_data: Path) -> list[tuple[str, str, list]]:
    """(name, rubric, sources) of every data set found."""
    found = [("demo", "gobierno", [str(DEMO)])]
    if (real_data / TOWN_HALLS).is_file():
        found.append(("town_halls", "gobierno", town_hall_inputs(real_data)))
    if (real_data / HEALTH).is_file():
        found.append(("health", "salud", health_inputs(real_data)))
    return found


def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "  (none)"
    return frame.to_string(index=False, float_format=lambda x: f"{x:.2f}", na_rep="-")


def _missing_never_raises(result) -> dict:
    """Remove each evaluated dimension of each institution in turn: its overall score must
    never rise (a dimension not evaluated counts 0)."""
    dimensions, rubric = result.scorecard.dimensions, result.rubric
    full = overall_scores(dimensions, rubric)
    cases, holds = 0, True
    for dimension in dimensions.columns:
        fewer = overall_scores(dimensions.assign(**{dimension: float("nan")}), rubric)
        evaluated = dimensions[dimension].notna()
        cases += int(evaluated.sum())
        holds &= bool((fewer[evaluated].fillna(0) <= full[evaluated] + 1e-9).all())
    return {"cases": cases, "holds": holds}


def analyse(name: str, rubric: str, sources: list, csv_dir: Path | None) -> dict:
    """Run the audit on one data set, print its item analysis, return a summary."""
    result = run_audit(sources, rubric=rubric, posts_sample=name in SAMPLED)
    if result.scorecard is None:
        raise SystemExit(f"{name}: the audit could not use the input")
    scores = result.scorecard.scores
    explained = frozenset(c["id"] for _, c in result.rubric.criteria() if "saturation" in c)
    dist = criterion_distribution(scores, explained)
    pairs = correlated_pairs(scores)
    alphas = dimension_alphas(scores)
    covered = result.scorecard.institutions["coverage"]
    never_rises = _missing_never_raises(result)
    institutions = scores["institution"].nunique()
    print(f"\n=== {name}: {institutions} institutions, rubric {rubric}, "
          f"audit date {result.data.as_of} ===")
    print(f"\nCriteria (score 0-100; SATURATED: more than {SATURATED_SHARE:.0%} at >= "
          f"{CEILING:g} or <= {FLOOR:g}, judged from {SATURATION_MIN_N} institutions "
          f"evaluated; 'explained': the rubric's `saturation` text says why)")
    label = np.select([dist["explained"], dist["saturated"], dist["n"].between(
        1, SATURATION_MIN_N - 1)], ["SATURATED, explained", "SATURATED", "too few"], "")
    shown = dist.drop(columns="explained").assign(saturated=label)
    print(_table(shown))
    print(f"\nPairs of criteria with |Spearman rho| > {REDUNDANT_RHO}")
    print(_table(pairs))
    print("\nCronbach's alpha per dimension (criteria that vary; institutions evaluated "
          "on all)")
    print(_table(alphas))
    print(f"\nCoverage (share of rubric weight evaluated): min {covered.min():.2f}, "
          f"median {covered.median():.2f}, max {covered.max():.2f}")
    print(f"Removing one evaluated dimension never raises an overall score: "
          f"{'holds' if never_rises['holds'] else 'FAILS'} over {never_rises['cases']} "
          f"institution x dimension cases")
    if csv_dir is not None:
        csv_dir.mkdir(parents=True, exist_ok=True)
        for table, frame in (("criteria", dist), ("pairs", pairs), ("alpha", alphas),
                             ("coverage", covered.reset_index())):
            frame.to_csv(csv_dir / f"{name}_{table}.csv", index=False)
    evaluated = dist[dist["n"] > 0]
    return {"institutions": institutions,
            "criteria_evaluated": len(evaluated),
            "saturated": evaluated.loc[evaluated["saturated"], "criterion"].tolist(),
            "saturated_unexplained": evaluated.loc[evaluated["saturated"]
                                                   & ~evaluated["explained"],
                                                   "criterion"].tolist(),
            "redundant_pairs": len(pairs),
            "alpha": {r.dimension: None if pd.isna(r.alpha) else round(r.alpha, 2)
                      for r in alphas.itertuples()},
            "coverage_median": round(float(covered.median()), 2),
            "missing_never_raises": never_rises}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real-data", type=Path, default=REAL_DATA,
                        help="folder with uam-ayuntamientos/ and health-es/ "
                             "(default: shared/real-data beside the repository)")
    parser.add_argument("--csv", type=Path, default=None, help="also write the tables here")
    args = parser.parse_args(argv)
    if not args.real_data.is_dir():
        print(f"Real data not found ({args.real_data}); analysing the demo only.")
    summary = {name: analyse(name, rubric, sources, args.csv)
               for name, rubric, sources in data_sets(args.real_data)}
    print("\n" + json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

