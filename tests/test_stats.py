"""Group comparisons: agreement with scipy, hand-computed Holm and epsilon-squared, NaN rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from audit.peers.compare import (
    cliffs_delta,
    compare_groups,
    effect_label,
    epsilon_squared,
    holm,
    pairwise,
)


def frame(groups: dict[str, list[float]], column: str = "overall_score",
          by: str = "sector") -> pd.DataFrame:
    rows = [{"institution": f"{g}-{i}", by: g, column: v}
            for g, values in groups.items() for i, v in enumerate(values)]
    return pd.DataFrame(rows).set_index("institution")


@pytest.fixture
def random_scores() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    sizes = {"health": 9, "library": 6, "local_government": 13}
    return frame({g: list(np.round(rng.uniform(0, 100, n), 1)) for g, n in sizes.items()})


def test_kruskal_agrees_with_scipy(random_scores):
    row = compare_groups(random_scores, "sector", ["overall_score"]).iloc[0]
    groups = [g["overall_score"].to_numpy() for _, g in random_scores.groupby("sector")]
    expected = stats.kruskal(*groups)
    assert row["H"] == pytest.approx(expected.statistic)
    assert row["p"] == pytest.approx(expected.pvalue)
    assert row["k"] == 3 and row["n"] == 28 and row["df"] == 2
    assert row["epsilon_squared"] == pytest.approx(expected.statistic / 27)
    for name, g in random_scores.groupby("sector"):
        assert row[f"n_{name}"] == len(g)
        assert row[f"median_{name}"] == pytest.approx(g["overall_score"].median())


def test_pairwise_agrees_with_scipy_and_holm(random_scores):
    table = pairwise(random_scores, "sector", "overall_score")
    assert list(zip(table["group_a"], table["group_b"], strict=True)) == [
        ("health", "library"), ("health", "local_government"), ("library", "local_government")]
    for row in table.itertuples():
        x = random_scores.loc[random_scores["sector"] == row.group_a, "overall_score"]
        y = random_scores.loc[random_scores["sector"] == row.group_b, "overall_score"]
        expected = stats.mannwhitneyu(x, y, alternative="two-sided")
        u = row.U
        assert u == pytest.approx(expected.statistic)
        assert row.p == pytest.approx(expected.pvalue)
        assert row.cliffs_delta == pytest.approx(2 * u / (row.n_a * row.n_b) - 1)
    # Holm by hand: sorted p 0.223776 x 3 = 0.671329, 0.281807 x 2 = 0.563615 and
    # 0.640181 x 1 are raised to the running maximum, 0.671329.
    assert table["p"].tolist() == pytest.approx([0.223776, 0.640181, 0.281807], abs=1e-6)
    assert table["p_holm"].tolist() == pytest.approx([0.671329] * 3, abs=1e-6)


def test_holm_hand_example():
    # sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> running max 0.06
    np.testing.assert_allclose(holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])
    np.testing.assert_allclose(holm([0.5, 0.9]), [1.0, 1.0])  # capped at 1
    out = holm([0.02, np.nan, 0.01])  # NaN stays NaN and is not counted in m
    assert np.isnan(out[1])
    np.testing.assert_allclose(out[[0, 2]], [0.02, 0.02])
    assert holm([]).shape == (0,)


def test_epsilon_squared_hand_example():
    # Ranks equal the values: R = 6, 15, 24; H = 12/(9*10) * (36+225+576)/3 - 3*10 = 7.2
    table = compare_groups(frame({"a": [1, 2, 3], "b": [4, 5, 6], "c": [7, 8, 9]}),
                           "sector", ["overall_score"])
    row = table.iloc[0]
    assert row["H"] == pytest.approx(7.2)
    assert row["epsilon_squared"] == pytest.approx(7.2 / ((81 - 1) / (9 + 1)))  # = 0.9
    assert row["effect"] == "large"
    assert epsilon_squared(7.2, 9) == pytest.approx(0.9)
    assert np.isnan(epsilon_squared(float("nan"), 9))


def test_effect_labels_and_cliffs_delta():
    assert [effect_label(v) for v in (0.005, 0.01, 0.079, 0.08, 0.26, float("nan"))] == [
        "negligible", "small", "small", "medium", "large", ""]
    # 1 loses to 2,3,4; 2 ties 2, loses to 3,4; 3 beats 2, ties 3, loses to 4: -5/9
    assert cliffs_delta([1, 2, 3], [2, 3, 4]) == pytest.approx(-5 / 9)
    assert cliffs_delta([5, 6], [1, 2]) == 1.0


def test_not_evaluated_values_are_excluded_and_counted():
    data = frame({"a": [10, 20, np.nan, 30], "b": [40, 50, 60, np.nan], "c": [70, np.nan]})
    row = compare_groups(data, "sector", ["overall_score"]).iloc[0]
    assert row["n_not_evaluated"] == 3
    assert row["k"] == 2 and row["n"] == 6  # c has one evaluated value: left out, named
    assert row["small_groups"] == "c" and row["n_small_groups"] == 1
    expected = stats.kruskal([10, 20, 30], [40, 50, 60])
    assert row["H"] == pytest.approx(expected.statistic)
    assert row["n_a"] == 3 and row["median_b"] == 50
    assert "n_c" not in row.index
    pairs = pairwise(data, "sector", "overall_score")
    assert len(pairs) == 1 and pairs.iloc[0]["n_a"] == 3


def test_untestable_columns_give_nan_without_warnings():
    ties = frame({"a": [50, 50], "b": [50, 50]})
    one = frame({"a": [1, 2, 3], "b": [np.nan, 4]})
    for data in (ties, one):
        row = compare_groups(data, "sector", ["overall_score"]).iloc[0]
        assert np.isnan(row["H"]) and np.isnan(row["p"]) and row["effect"] == ""
    assert pairwise(one, "sector", "overall_score").empty


def test_by_country_and_bad_grouping(random_scores):
    data = random_scores.rename(columns={"sector": "country"})
    assert compare_groups(data, "country", ["overall_score"]).iloc[0]["k"] == 3
    with pytest.raises(ValueError, match="sector"):
        compare_groups(random_scores, "network")


def test_by_cluster_leaves_out_unclustered_institutions():
    data = frame({"1": [10, 20, 30], "2": [70, 80, 90]}, by="cluster")
    data.loc["outlier"] = [np.nan, 50]  # no cluster: not in any group, not counted
    row = compare_groups(data, "cluster", ["overall_score"]).iloc[0]
    assert row["k"] == 2 and row["n"] == 6 and row["n_not_evaluated"] == 0
    assert row["H"] == pytest.approx(stats.kruskal([10, 20, 30], [70, 80, 90]).statistic)
    pairs = pairwise(data, "cluster", "overall_score")
    assert pairs.iloc[0]["cliffs_delta"] == -1.0 and pairs.iloc[0]["effect"] == "large"
