"""Shouting: posts written mostly in capitals."""

from __future__ import annotations

import numpy as np

#: Shouting: a post shouts when more than this share of its letters are capitals (the default
#: of the shouting_share check's ``ratio`` option; a rubric may change it). Acronyms
#: (COVID, OMS, AEMPS) keep ordinary posts well below: on health-es the median is 4% and the
#: 99th percentile 21%; a whole sentence in capitals is 100%.
SHOUTING_RATIO = 0.6
#: ...measured only on posts with at least this many letters ("OK", "¡¡GOL!!" are not
#: shouting); below it caps_ratio is NaN.
SHOUTING_MIN_LETTERS = 20


def caps_ratio(letters: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Share of capitals among the letters of each post; NaN below SHOUTING_MIN_LETTERS."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(letters >= SHOUTING_MIN_LETTERS, upper / letters, np.nan)


def shouts(caps: np.ndarray, ratio: float = SHOUTING_RATIO) -> np.ndarray:
    """Posts whose caps_ratio is over ``ratio`` (posts too short to tell do not)."""
    return np.nan_to_num(caps, nan=0.0) > ratio
