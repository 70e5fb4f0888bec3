"""Compare groups of institutions (sectors, countries, peer clusters) on their audit scores.

Scores are bounded (0-100), often skewed and ties are common (many institutions reach 100 in
transparency), and groups are small and unequal: a rank-based test makes no assumption of
normality or equal variances, so the comparisons here are non-parametric.

    compare_groups  Kruskal-Wallis H test per score column, with epsilon-squared effect size
    pairwise        Mann-Whitney U for every pair of groups, Holm-corrected, Cliff's delta
    holm            Holm (1979) step-down adjustment of a list of p values

A score that is NaN is *not evaluated* (no data), never zero: it is left out of the test and
counted, so a reader sees how many institutions each figure rests on. A group needs at
least ``MIN_GROUP`` evaluated institutions to enter a test, since a single value has no
spread to compare; the groups left out are named in the result.

Effect sizes, because with 40 institutions a p value says little about how large a
difference is:

- epsilon-squared for Kruskal-Wallis, ε² = H / ((n² − 1) / (n + 1)) = H / (n − 1)
  (Tomczak & Tomczak, 2014, *Trends in Sport Sciences* 21(1), 19-25), read with the
  conventional cut-offs used for it (Mangiafico, *Summary and Analysis of Extension Program
  Evaluation in R*, after Cohen 1988 and Rea & Parker 1992): below 0.01 negligible,
  0.01 small, 0.08 medium, 0.26 or more large;
- Cliff's delta for each pair, d = P(a > b) − P(a < b) = 2U/(n_a·n_b) − 1, in [−1, 1]
  (Cliff, 1993), read with the cut-offs of Romano et al. (2006): |d| below 0.147 negligible,
  0.147 small, 0.33 medium, 0.474 or more large.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

from audit.score.rubric import DIMENSIONS

__all__ = [
    "CLIFF_CUTOFFS",
    "COLUMNS",
    "EPSILON_CUTOFFS",
    "GROUPINGS",
    "MIN_GROUP",
    "cliffs_delta",
    "compare_groups",
    "effect_label",
    "epsilon_squared",
    "holm",
    "pairwise",
]

COLUMNS = (*DIMENSIONS, "overall_score")
MIN_GROUP = 2
# The columns institutions can be grouped by; a cluster column comes from audit.peers.clusters.
GROUPINGS = ("sector", "country", "cluster")
# (lower bound, label), ascending: the label of the largest bound the effect reaches.
EPSILON_CUTOFFS = ((0.0, "negligible"), (0.01, "small"), (0.08, "medium"), (0.26, "large"))
CLIFF_CUTOFFS = ((0.0, "negligible"), (0.147, "small"), (0.33, "medium"), (0.474, "large"))


def epsilon_squared(h: float, n: int) -> float:
    """Epsilon-squared of a Kruskal-Wallis H over n observations (Tomczak & Tomczak 2014)."""
    if n < 2 or not np.isfinite(h):
        return float("nan")
    return float(h / ((n**2 - 1) / (n + 1)))


def cliffs_delta(a: Sequence[float], b: Sequence[float]) -> float:
    """Cliff's delta: how often a value of ``a`` beats one of ``b``, minus the reverse."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if not len(x) or not len(y):
        return float("nan")
    diff = np.sign(x[:, None] - y[None, :])
    return float(diff.mean())


def effect_label(value: float, cutoffs=EPSILON_CUTOFFS) -> str:
    """The conventional name of an effect size (by its absolute value); '' when undefined."""
    if not np.isfinite(value):
        return ""
    label = cutoffs[0][1]
    for bound, name in cutoffs:
        if abs(value) >= bound:
            label = name
    return label


def holm(pvalues: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p values, in the order given (NaN stays NaN).

    The i-th smallest of m p values is multiplied by (m − i + 1); a running maximum keeps
    the adjusted values in the same order as the raw ones, and they are capped at 1. This
    controls the family-wise error rate like Bonferroni, but is uniformly more powerful.
    """
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    valid = np.flatnonzero(np.isfinite(p))
    m = len(valid)
    if not m:
        return out
    order = valid[np.argsort(p[valid], kind="stable")]
    scaled = p[order] * (m - np.arange(m))
    out[order] = np.minimum(1.0, np.maximum.accumulate(scaled))
    return out


def _groups(institutions: pd.DataFrame, by: str, column: str):
    """Evaluated values per group (sorted by name), the groups too small, and the NaN count."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")
    frame = institutions[[by, column]].copy()
    frame = frame[frame[by].notna()]
    values = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    missing = int(values.isna().sum())
    kept, small = {}, []
    for name, group in values.groupby(frame[by].astype(str), sort=True):
        evaluated = group.dropna().to_numpy()
        if len(evaluated) >= MIN_GROUP:
            kept[name] = evaluated
        else:
            small.append(name)
    return kept, small, missing


def compare_groups(institutions: pd.DataFrame, by: str = "sector",
                   columns: Sequence[str] = COLUMNS) -> pd.DataFrame:
    """One Kruskal-Wallis test per score column across the groups of ``by``; institutions
    without a group (an empty cluster: left out of the clustering) are not counted.

    Returns one row per column: the number of groups tested (k) and evaluated institutions
    (n), institutions not evaluated (n_not_evaluated) and in groups too small to test
    (n_small_groups, named in small_groups), H, its degrees of freedom (k − 1), p,
    epsilon-squared and its label, then n_<group> and median_<group> for every group.
    H and p are NaN when fewer than two groups can be tested or every value is the same.
    """
    rows = []
    for column in columns:
        kept, small, missing = _groups(institutions, by, column)
        values = list(kept.values())
        n = int(sum(len(v) for v in values))
        h = p = float("nan")
        pooled = np.concatenate(values) if values else np.array([])
        if len(values) >= 2 and np.ptp(pooled) > 0:  # scipy divides by zero on all ties
            h, p = (float(x) for x in stats.kruskal(*values))
        eps = epsilon_squared(h, n)
        small_n = int(sum(
            institutions.loc[institutions[by].astype(str) == g, column].notna().sum()
            for g in small))
        row = {"column": column, "by": by, "k": len(values), "n": n,
               "n_not_evaluated": missing, "n_small_groups": small_n,
               "small_groups": "; ".join(small), "H": h,
               "df": len(values) - 1 if len(values) >= 2 else np.nan, "p": p,
               "epsilon_squared": eps, "effect": effect_label(eps, EPSILON_CUTOFFS)}
        for name, v in kept.items():
            row[f"n_{name}"] = len(v)
            row[f"median_{name}"] = float(np.median(v))
        rows.append(row)
    table = pd.DataFrame(rows)
    fixed = [c for c in table.columns if not c.startswith(("n_", "median_"))
             or c in ("n_not_evaluated", "n_small_groups")]
    groups = sorted({c[len("median_"):] for c in table.columns if c.startswith("median_")})
    per_group = [c for g in groups for c in (f"n_{g}", f"median_{g}")]
    return table[fixed + per_group]


def pairwise(institutions: pd.DataFrame, by: str, column: str) -> pd.DataFrame:
    """Mann-Whitney U (two-sided) for every pair of groups of ``by`` on ``column``.

    One row per pair (group_a < group_b by name): their evaluated sizes and medians, U (of
    group_a), p, Holm-adjusted p over all the pairs of this column, Cliff's delta
    (positive when group_a tends to score higher) and its label. Pairs whose values are all
    equal get p = 1, as scipy gives.
    """
    kept, _, _ = _groups(institutions, by, column)
    rows = []
    for a, b in combinations(sorted(kept), 2):
        x, y = kept[a], kept[b]
        u, p = (float(v) for v in stats.mannwhitneyu(x, y, alternative="two-sided"))
        delta = cliffs_delta(x, y)
        rows.append({"column": column, "by": by, "group_a": a, "group_b": b,
                     "n_a": len(x), "n_b": len(y), "median_a": float(np.median(x)),
                     "median_b": float(np.median(y)), "U": u, "p": p,
                     "cliffs_delta": delta, "effect": effect_label(delta, CLIFF_CUTOFFS)})
    columns = ["column", "by", "group_a", "group_b", "n_a", "n_b", "median_a", "median_b",
               "U", "p", "p_holm", "cliffs_delta", "effect"]
    table = pd.DataFrame(rows, columns=[c for c in columns if c != "p_holm"])
    table.insert(table.columns.get_loc("p") + 1, "p_holm", holm(table["p"].to_numpy()))
    return table[columns]
