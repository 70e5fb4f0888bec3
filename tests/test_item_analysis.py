"""Item analysis helpers: expected numbers worked out by hand."""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest

from audit.report.item_analysis import (
    correlated_pairs,
    criterion_distribution,
    cronbach_alpha,
    dimension_alphas,
    extreme_shares,
)


def _long(table: dict[str, dict[str, float]], dimension: dict[str, str],
          weight: dict[str, float] | None = None) -> pd.DataFrame:
    """A long score table from {criterion: {institution: score}}."""
    rows = [{"institution": inst, "dimension": dimension[crit], "criterion": crit,
             "score": score, "weight": (weight or {}).get(crit, 1.0)}
            for crit, scores in table.items() for inst, score in scores.items()]
    return pd.DataFrame(rows)


def test_alpha_of_two_items_by_hand():
    # variances 5/3 and 5/3; totals 3, 3, 7, 7 have variance 16/3:
    # alpha = 2 * (1 - (10/3) / (16/3)) = 0.75
    items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 1, 4, 3]})
    assert cronbach_alpha(items) == pytest.approx(0.75)


def test_alpha_with_a_constant_item_and_incomplete_rows():
    # the last row is incomplete and left out; c adds nothing to the total's spread:
    # alpha = 1.5 * (1 - (10/3) / (16/3)) = 0.5625
    items = pd.DataFrame({"a": [1, 2, 3, 4, 9], "b": [2, 1, 4, 3, 9],
                          "c": [1, 1, 1, 1, np.nan]})
    assert cronbach_alpha(items) == pytest.approx(0.5625)


def test_alpha_identical_items_is_one_and_opposite_items_undefined():
    assert cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 3]})) == pytest.approx(1.0)
    assert math.isnan(cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [3, 2, 1]})))
    assert math.isnan(cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]})))


def test_extreme_shares_count_evaluated_scores_only():
    high, low = extreme_shares(pd.Series([100, 95, 94.9, 5, np.nan]))
    assert (high, low) == (0.5, 0.25)
    assert all(math.isnan(x) for x in extreme_shares(pd.Series([np.nan])))


def test_distribution_flags_a_saturated_criterion():
    scores = _long({"full": {f"i{k}": 100.0 for k in range(10)} | {"i10": 50.0},
                    "spread": {f"i{k}": 10.0 * k for k in range(11)}},
                   {"full": "d", "spread": "d"})
    table = criterion_distribution(scores).set_index("criterion")
    assert table.loc["full", "share_ge_95"] == pytest.approx(10 / 11)
    assert bool(table.loc["full", "saturated"]) is True
    assert bool(table.loc["full", "explained"]) is False
    assert bool(table.loc["spread", "saturated"]) is False
    assert table.loc["spread", ["n", "min", "median", "max"]].tolist() == [11, 0, 50, 100]
    assert table.loc["spread", "share_le_5"] == pytest.approx(1 / 11)


def test_saturation_the_rubric_explains_and_too_few_institutions():
    many = _long({"fault": {f"i{k}": 100.0 for k in range(12)}}, {"fault": "d"})
    table = criterion_distribution(many, frozenset({"fault"})).set_index("criterion")
    assert bool(table.loc["fault", "saturated"]) and bool(table.loc["fault", "explained"])
    # 3 of 3 at 100 is no evidence of saturation: not judged below SATURATION_MIN_N
    few = criterion_distribution(_long({"c": {"a": 100.0, "b": 100.0, "c": 100.0}},
                                       {"c": "d"}))
    assert not bool(few.loc[0, "saturated"])


def test_the_rubric_says_why_its_saturated_criteria_sit_at_one_extreme():
    from audit.score.rubric import load_rubric, rubric_from_data

    rubric = load_rubric("gobierno")
    explained = {c["id"] for _, c in rubric.criteria() if "saturation" in c}
    assert {"spelling", "clipped_words", "shouting", "hashtag_overload",
            "political_content", "personal_data"} <= explained
    data = copy.deepcopy(rubric.data)
    data["dimensions"][0]["criteria"][0]["saturation"] = "only one language"
    with pytest.raises(ValueError, match="saturation: expected texts for 'es' and 'en'"):
        rubric_from_data(data, rubric.path)


def test_pairs_above_threshold_on_institutions_evaluated_on_both():
    scores = _long({"a": {"i1": 10, "i2": 20, "i3": 30, "i4": 40, "i5": 50, "i6": 60},
                    "b": {"i1": 1, "i2": 2, "i3": 3, "i4": 4, "i5": 5, "i6": np.nan},
                    "c": {"i1": 5, "i2": 1, "i3": 4, "i4": 2, "i5": 3, "i6": 9},
                    "d": {"i1": 50, "i2": 40, "i3": 30, "i4": 20, "i5": 10, "i6": 0}},
                   dict.fromkeys("abcd", "x"))
    pairs = correlated_pairs(scores)
    found = {(r.criterion_a, r.criterion_b): (r.rho, r.n) for r in pairs.itertuples()}
    assert found == {("a", "b"): (pytest.approx(1.0), 5), ("a", "d"): (pytest.approx(-1.0), 6),
                     ("b", "d"): (pytest.approx(-1.0), 5)}


def test_dimension_alpha_skips_constant_criteria():
    scores = _long({"a": {"i1": 1, "i2": 2, "i3": 3, "i4": 4},
                    "b": {"i1": 2, "i2": 1, "i3": 4, "i4": 3},
                    "flat": {"i1": 7, "i2": 7, "i3": 7, "i4": 7}},
                   {"a": "d", "b": "d", "flat": "d"})
    row = dimension_alphas(scores).iloc[0]
    assert (row["criteria"], row["used"], row["n"]) == (3, 2, 4)
    assert row["alpha"] == pytest.approx(0.75)
