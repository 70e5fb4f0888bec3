"""Item analysis of a rubric's scores: do its criteria tell institutions apart, and do the
criteria of a dimension measure one thing?

A criterion on which nearly every institution scores at the ceiling (>= 95) or the floor
(<= 5) says little about any of them; two criteria whose scores move together (Spearman
above 0.9) count one property twice; a dimension whose criteria disagree (low Cronbach's
alpha) adds up unlike things. These are the usual checks of a scale's items, applied to the
long score table of a scorecard (one row per institution and criterion, ``score`` 0-100,
empty when not evaluated). ``bench/validate_rubric.py`` prints them for the demo and for
real data.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

__all__ = ["CEILING", "FLOOR", "REDUNDANT_RHO", "SATURATED_SHARE", "SATURATION_MIN_N",
           "correlated_pairs",
           "criterion_distribution", "cronbach_alpha", "dimension_alphas",
           "extreme_shares"]

#: A score at or above this is at the ceiling; at or below FLOOR, at the floor.
CEILING = 95.0
FLOOR = 5.0
#: A criterion with more than this share of institutions at one extreme is saturated.
SATURATED_SHARE = 0.8
#: Below this many institutions evaluated a share says nothing (3 of 3 is 100 %): the
#: criterion is not judged saturated or not.
SATURATION_MIN_N = 10
#: Two criteria whose scores correlate above this (Spearman, absolute) are redundant.
REDUNDANT_RHO = 0.9


def extreme_shares(scores: pd.Series) -> tuple[float, float]:
    """(share at the ceiling, share at the floor) of the evaluated scores; NaN when none is."""
    evaluated = scores.dropna().astype("float64")
    if evaluated.empty:
        return np.nan, np.nan
    return float((evaluated >= CEILING).mean()), float((evaluated <= FLOOR).mean())


def criterion_distribution(scores: pd.DataFrame,
                           explained: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Per criterion (in the table's order): institutions evaluated, min / median / max
    score, share at the ceiling and at the floor, whether it is saturated (judged from
    ``SATURATION_MIN_N`` institutions up) and whether the rubric says why (``explained``:
    the criteria with a ``saturation`` text, a fault that nearly no institution commits)."""
    rows = []
    for (dimension, criterion), group in scores.groupby(["dimension", "criterion"], sort=False):
        values = group["score"].dropna().astype("float64")
        high, low = extreme_shares(values)
        saturated = len(values) >= SATURATION_MIN_N and max(high, low) > SATURATED_SHARE
        rows.append({"dimension": dimension, "criterion": criterion, "n": len(values),
                     "min": values.min(), "median": values.median(), "max": values.max(),
                     "share_ge_95": high, "share_le_5": low, "saturated": saturated,
                     "explained": saturated and criterion in explained})
    return pd.DataFrame(rows, columns=["dimension", "criterion", "n", "min", "median", "max",
                                       "share_ge_95", "share_le_5", "saturated", "explained"])


def _wide(scores: pd.DataFrame) -> pd.DataFrame:
    """Institutions x criteria, scores (NaN = not evaluated), criteria in the table's order."""
    order = list(dict.fromkeys(scores["criterion"]))
    return scores.pivot_table(index="institution", columns="criterion", values="score",
                              aggfunc="first", dropna=False).reindex(columns=order)


def correlated_pairs(scores: pd.DataFrame, threshold: float = REDUNDANT_RHO,
                     min_n: int = 5) -> pd.DataFrame:
    """Pairs of criteria whose Spearman correlation, over the institutions evaluated on
    both (at least ``min_n``), is above ``threshold`` in absolute value. A criterion with
    one value for everybody has no correlation and is never listed."""
    wide = _wide(scores)
    rows = []
    for a, b in itertools.combinations(wide.columns, 2):
        both = wide[[a, b]].dropna()
        if len(both) < min_n or both[a].nunique() < 2 or both[b].nunique() < 2:
            continue
        rho = both[a].corr(both[b], method="spearman")
        if abs(rho) > threshold:
            rows.append({"criterion_a": a, "criterion_b": b, "rho": float(rho),
                         "n": len(both)})
    return pd.DataFrame(rows, columns=["criterion_a", "criterion_b", "rho", "n"])


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of a table of items (columns) over respondents (rows), on the rows
    complete on every item: k / (k - 1) * (1 - sum of item variances / variance of the
    total), sample variances. NaN with fewer than two items or two rows, or when the total
    does not vary."""
    complete = items.dropna().astype("float64")
    k = complete.shape[1]
    if k < 2 or len(complete) < 2:
        return np.nan
    total = complete.sum(axis=1).var(ddof=1)
    if not total > 0:
        return np.nan
    return float(k / (k - 1) * (1 - complete.var(ddof=1).sum() / total))


def dimension_alphas(scores: pd.DataFrame) -> pd.DataFrame:
    """Per dimension: its criteria, those used (evaluated for some institution and not
    constant), institutions complete on all used (0 with fewer than two used), and
    Cronbach's alpha over them."""
    wide = _wide(scores)
    rows = []
    for dimension, group in scores.groupby("dimension", sort=False):
        criteria = list(dict.fromkeys(group["criterion"]))
        used = [c for c in criteria if wide[c].nunique() > 1]
        complete = wide[used].dropna() if len(used) > 1 else wide.iloc[:0]
        rows.append({"dimension": dimension, "criteria": len(criteria), "used": len(used),
                     "n": len(complete), "alpha": cronbach_alpha(complete)})
    return pd.DataFrame(rows, columns=["dimension", "criteria", "used", "n", "alpha"])
