"""Scoring curves: the control points are pinned, shares and steps behave as documented."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from audit.score.curves import lognormal_score, score_values


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
])
def test_scoring_kinds(scoring, values, expected):
    scores = score_values(pd.Series(values), scoring)
    assert scores.tolist() == pytest.approx(expected)


def test_not_evaluated_stays_empty():
    scores = score_values(pd.Series([np.nan, 0.5]), {"type": "share", "target": 1})
    assert np.isnan(scores.iloc[0]) and scores.iloc[1] == 0.5
