"""Scoring curves: the control points are pinned, shares and steps behave as documented."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from audit.score.curves import band_score, lognormal_score, score_values
from audit.score.rubric import _check_scoring


@pytest.mark.parametrize("good,median", [(1, 24), (3, 21), (0.003, 0.02)])
def test_lognormal_control_points_lower_is_better(good, median):
    assert lognormal_score([median], good, median)[0] == pytest.approx(0.5)
    assert lognormal_score([good], good, median)[0] == pytest.approx(0.9)
    low, high = lognormal_score([good / 10, median * 10], good, median)
    assert low > 0.9 > 0.5 > high


@pytest.mark.parametrize("good,median", [(10, 2), (65, 50)])
def test_lognormal_control_points_higher_is_better(good, median):
    assert lognormal_score([median], good, median)[0] == pytest.approx(0.5)
    assert lognormal_score([good], good, median)[0] == pytest.approx(0.9)
    assert lognormal_score([0], good, median)[0] == 0.0


@pytest.mark.parametrize("scoring,values,expected", [
    ({"type": "share", "target": 0.8}, [0.4, 0.8, 1.0], [0.5, 1.0, 1.0]),
    ({"type": "inverse_share", "max": 0.2}, [0.0, 0.1, 0.5], [1.0, 0.5, 0.0]),
    ({"type": "identity"}, [0.0, 0.5, 1.0], [0.0, 0.5, 1.0]),
    ({"type": "steps", "steps": [[0, 1.0], [1, 0.4]], "else": 0.0}, [0, 1, 3], [1.0, 0.4, 0.0]),
    ({"type": "band", "full": [55, 75], "zero": [30, 95]}, [20, 30, 42.5, 55, 75, 85, 95, 120],
     [0.0, 0.0, 0.5, 1.0, 1.0, 0.5, 0.0, 0.0]),
])
def test_scoring_kinds(scoring, values, expected):
    scores = score_values(pd.Series(values), scoring)
    assert scores.tolist() == pytest.approx(expected)


def test_not_evaluated_stays_empty():
    scores = score_values(pd.Series([np.nan, 0.5]), {"type": "share", "target": 1})
    assert np.isnan(scores.iloc[0]) and scores.iloc[1] == 0.5


def test_band_penalises_both_sides():
    # Readability: hard text (INFLESZ 40) and telegraphic text (90) both lose points;
    # 40 is 10/25 of the way up from 30 to 55, 90 is 5/20 of the way down from 75 to 95.
    low, inside, high = band_score([40, 65, 90], [55, 75], [30, 95])
    assert (low, inside, high) == pytest.approx((0.4, 1.0, 0.25))


@pytest.mark.parametrize("scoring", [
    {"type": "band", "full": [55, 75]},
    {"type": "band", "full": [55, 75], "zero": [60, 95]},  # zero inside full
    {"type": "band", "full": [75, 55], "zero": [30, 95]},
    {"type": "band", "full": [55, "75"], "zero": [30, 95]},
    {"type": "band", "full": [55, 75], "zero": 30},
])
def test_band_bounds_are_checked(scoring):
    assert _check_scoring(scoring, "c") and "band needs" in _check_scoring(scoring, "c")[0]


def test_band_well_formed_passes():
    assert _check_scoring({"type": "band", "full": [55, 75], "zero": [30, 95]}, "c") == []
