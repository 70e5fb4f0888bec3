"""Turn a measured value into a score between 0 and 1, as the rubric says.

Scoring kinds (the ``scoring`` block of a criterion):

    lognormal      two control points: the value that scores 0.9 (``good``) and the value
                   that scores 0.5 (``median``); lower is better when good < median.
                   The curve is the complementary log-normal CDF that web-performance
                   audits use, so a score moves smoothly and never jumps at a threshold.
    share          a proportion against a target: min(value / target, 1).
    inverse_share  a proportion that should stay low: max(1 - value / max, 0).
    identity       the value is already a score in [0, 1] (a governance answer).
    steps          [[upper bound, score], ...], first bound the value does not exceed.
    band           a value that should sit between two bounds, neither too low nor too high:
                   ``full: [low, high]`` scores 1 inside, ``zero: [below, above]`` scores 0
                   at or beyond them, straight lines in between (a trapezoid). For a measure
                   where both extremes are faults, as readability: too hard to read, or
                   telegraphic.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import erf

__all__ = ["SCORING_KINDS", "band_score", "lognormal_score", "score_values"]

SCORING_KINDS = ("lognormal", "share", "inverse_share", "identity", "steps", "band")
# erfinv(0.8) * sqrt(2) / sqrt(2)... the z at which (1 - erf(z)) / 2 = 0.1
_Z_AT_09 = 0.9061938024368232


def lognormal_score(values, good: float, median: float) -> np.ndarray:
    """Score values on the log-normal curve through (good, 0.9) and (median, 0.5)."""
    x = np.asarray(values, dtype="float64")
    lower_is_better = good < median
    if not lower_is_better:  # score the reciprocal so the same curve applies
        x, good, median = 1 / np.where(x > 0, x, np.nan), 1 / good, 1 / median
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log(np.maximum(x, 1e-12) / median) * _Z_AT_09 / math.log(median / good)
        scores = (1 - erf(z)) / 2
    if not lower_is_better:  # a higher-is-better value of 0 or less scores 0
        scores = np.where(np.isnan(x) & ~np.isnan(np.asarray(values, dtype="float64")), 0.0,
                          scores)
    return np.clip(scores, 0.0, 1.0)


def band_score(values, full: list, zero: list) -> np.ndarray:
    """Score 1 inside ``full`` = [low, high], 0 at or beyond ``zero`` = [below, above],
    linear in between: below < low <= high < above."""
    x = np.asarray(values, dtype="float64")
    (low, high), (below, above) = full, zero
    rising = (x - below) / (low - below)
    falling = (above - x) / (above - high)
    return np.clip(np.minimum(rising, falling), 0.0, 1.0)


def score_values(values: pd.Series, scoring: dict) -> pd.Series:
    """Apply a criterion's scoring block to a Series of values; NaN stays NaN (not evaluated)."""
    kind = scoring["type"]
    x = values.astype("float64")
    if kind == "lognormal":
        scores = lognormal_score(x, scoring["good"], scoring["median"])
    elif kind == "share":
        scores = np.minimum(x / scoring["target"], 1.0)
    elif kind == "inverse_share":
        scores = np.maximum(1.0 - x / scoring["max"], 0.0)
    elif kind == "identity":
        scores = x
    elif kind == "band":
        scores = band_score(x, scoring["full"], scoring["zero"])
    elif kind == "steps":
        scores = np.full(len(x), float(scoring.get("else", 0.0)))
        for bound, score in reversed(scoring["steps"]):
            scores = np.where(x <= bound, float(score), scores)
    else:
        raise ValueError(f"unknown scoring type {kind!r}")
    result = pd.Series(np.clip(np.asarray(scores, dtype="float64"), 0.0, 1.0), index=values.index)
    return result.where(x.notna())
