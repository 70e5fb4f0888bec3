"""Group comparison as the Compare page words it: groups named for the reader, statistics
written the Spanish way, and the one-line reading agreeing with the numbers."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from audit import load_rubric
from audit.peers.compare import effect_label
from audit.score.rubric import DIMENSIONS
from ui import fmt, views
from ui.i18n import TEXT


def _result(groups: dict[tuple[str, str], list[float]], lang: str = "es",
            peers: SimpleNamespace | None = None) -> SimpleNamespace:
    """A stand-in audit result: institutions with the given (sector, country) and overall
    scores, every dimension equal to the overall score; only what the views read."""
    rows = [{"institution": f"{sector}-{country}-{i}", "sector": sector, "country": country,
             "overall_score": v, **dict.fromkeys(DIMENSIONS, v)}
            for (sector, country), values in groups.items() for i, v in enumerate(values)]
    card = pd.DataFrame(rows).set_index("institution")
    return SimpleNamespace(lang=lang, rubric=load_rubric("gobierno"), peers=peers,
                           scorecard=SimpleNamespace(institutions=card))


SPREAD = {("local_government", "España"): [10, 20, 30, 40],
          ("health", "España"): [60, 70, 80, 90],
          ("library", "Chile"): [50]}


def test_groupings_offer_clusters_only_when_the_audit_found_them():
    assert views.groupings(_result(SPREAD)) == ["sector", "country"]
    none = SimpleNamespace(ok=False, assignments=pd.DataFrame())
    assert views.groupings(_result(SPREAD, peers=none)) == ["sector", "country"]
    card = _result(SPREAD).scorecard.institutions
    found = SimpleNamespace(ok=True, assignments=pd.DataFrame(
        {"cluster": 1, "cluster_label_es": "a", "cluster_label_en": "a"}, index=card.index))
    assert views.groupings(_result(SPREAD, peers=found)) == ["sector", "country", "cluster"]


def test_group_comparison_names_scores_and_groups_for_the_reader():
    table = views.group_comparison(_result(SPREAD), "sector")
    assert list(table["column"]) == ["overall_score", *DIMENSIONS]  # overall first
    assert table["score"].iloc[0] == "Puntuación global"
    overall = table.iloc[0]
    assert overall["k"] == 2 and overall["n"] == 8 and overall["small_groups"] == "Biblioteca"
    shown = views.group_comparison_text(table, "es")
    assert list(shown.columns[-2:]) == ["n · Gobierno local", "n · Salud"]
    assert "median_Salud" not in shown  # the medians stay in the CSV
    assert shown["H"].iloc[0] == fmt.number(overall["H"], "es", 2)
    assert "," in shown["H"].iloc[0] and "," in shown["epsilon_squared"].iloc[0]
    assert shown["effect"].iloc[0] == "grande"
    english = views.group_comparison_text(views.group_comparison(_result(SPREAD, "en"),
                                                                 "sector"), "en")
    assert english["effect"].iloc[0] == "large" and "." in english["H"].iloc[0]


def test_by_cluster_names_the_clusters_and_leaves_out_the_unclustered():
    result = _result(SPREAD)
    card = result.scorecard.institutions
    clusters = [1, 1, 1, 1, 2, 2, 2, 2, np.nan]  # the library was not clustered
    result.peers = SimpleNamespace(ok=True, assignments=pd.DataFrame({
        "cluster": clusters, "cluster_label_es": ["bajo"] * 4 + ["alto"] * 4 + [None],
        "cluster_label_en": ["low"] * 4 + ["high"] * 4 + [None]}, index=card.index))
    overall = views.group_comparison(result, "cluster").iloc[0]
    assert overall["n"] == 8 and overall["small_groups"] == ""
    assert overall["n_1 · bajo"] == 4 and overall["n_2 · alto"] == 4
    pairs = views.pairwise_text(views.pairwise_comparison(result, "cluster", "tone"), "es")
    assert list(pairs[["group_a", "group_b"]].iloc[0]) == ["1 · bajo", "2 · alto"]
    assert pairs["cliffs_delta"].iloc[0] == "-1" and pairs["effect"].iloc[0] == "grande"


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("groups", [
    SPREAD,  # large and unlikely to be chance
    {("health", "España"): [10, 60, 30, 80], ("library", "Chile"): [20, 70, 40, 50]},
    {("health", "España"): [10, 50, 30, 80, 60], ("library", "Chile"): [20, 70, 40, 55, 65],
     ("local_government", "Perú"): [15, 45, 35, 75, 62]},
])
def test_the_reading_reports_the_effect_the_numbers_give(lang, groups):
    row = views.group_comparison(_result(groups, lang), "sector").iloc[0]
    sentence = views.group_reading(row, "sector", lang)
    t = TEXT[lang]
    label = effect_label(row["epsilon_squared"])
    assert f" {t['groups_effect_plural'][label]} " in sentence
    others = set(t["groups_effect_plural"].values()) - {t["groups_effect_plural"][label]}
    assert not any(f" {word} " in sentence for word in others)
    assert f"ε² = {fmt.number(row['epsilon_squared'], lang, 3)}" in sentence
    assert f"({row['n']} " in sentence and t["groups_overall_phrase"] in sentence
    chance = "groups_no_chance" if row["p"] < views.ALPHA else "groups_chance"
    assert t[chance] in sentence


def test_the_reading_says_why_there_is_no_test():
    t = TEXT["es"]
    one = {("health", "España"): [10, 20, 30]}
    ties = {("health", "España"): [50, 50], ("library", "Chile"): [50, 50]}
    nothing = {("health", "España"): [np.nan, np.nan], ("library", "Chile"): [np.nan]}
    small = {("health", "España"): [10], ("library", "Chile"): [20]}
    for groups, key in ((one, "groups_one"), (ties, "groups_ties"),
                        (nothing, "groups_none")):
        row = views.group_comparison(_result(groups), "sector").iloc[0]
        assert views.group_reading(row, "sector", "es") == t[key].format(
            score="la puntuación global", group="sector", groups="sectores", min=2)
    row = views.group_comparison(_result(small), "country").iloc[0]
    assert views.group_reading(row, "country", "es").endswith("tienen menos: Chile, España.")


def test_method_notes_quote_the_cut_offs_of_the_library():
    assert "despreciable < 0,01; pequeño ≥ 0,01; moderado ≥ 0,08; grande ≥ 0,26" in \
        views.group_method_note("es")
    assert "negligible < 0.147; small ≥ 0.147; medium ≥ 0.330; large ≥ 0.474" in \
        views.pairwise_note(3, "en")
    assert "3 comparisons" in views.pairwise_note(3, "en")


def test_p_values_are_written_with_three_decimals():
    assert [fmt.p_value(v, "es") for v in (0.0004, 0.45512, 1.0, 0.5, float("nan"))] == [
        "< 0,001", "0,455", "1,000", "0,500", "—"]
    assert fmt.p_value(0.0123, "en") == "0.012"
