"""Scorecard: aggregation, not-evaluated dimensions, maturity gates, and the demo's spread."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from factories import features

from audit import load_rubric
from audit.score.recommend import recommendations
from audit.score.rubric import DIMENSIONS, rubric_from_data
from audit.score.scorecard import score_audit

PROFILES = [["institution", "network", "handle"], ["A", "facebook", "a"], ["A", "x", "a"]]


@pytest.fixture
def demo(demo_audit):
    """The session's audit of the demo workbook (no test here changes it)."""
    return demo_audit


@pytest.mark.parametrize("dimension", [d for d in DIMENSIONS if d != "identity"])
def test_dimension_without_its_data_is_not_evaluated(dimension):
    card = score_audit(features(PROFILES), load_rubric())
    assert np.isnan(card.dimensions.loc["A", dimension])
    rows = card.scores[card.scores["dimension"] == dimension]
    assert rows["score"].isna().all()
    assert rows["evidence_es"].ne("").all()


def test_weighted_means_skip_not_evaluated_criteria():
    data = copy.deepcopy(load_rubric().data)
    data["dimensions"] = [d for d in data["dimensions"] if d["id"] == "activity"]
    data["maturity"]["knockouts"] = []  # their criterion is not in this one-dimension rubric
    rubric = rubric_from_data(data)
    posts = [["network", "handle", "published_at"], ["facebook", "a", "2026-10-30 10:00"],
             ["x", "a", "2026-04-14 10:00"]]
    profiles = [[*PROFILES[0], "last_post_at"], *[[*row, None] for row in PROFILES[1:]],
                ["B", "facebook", "b", "2026-10-20"]]  # B: no posts, a last-post date only
    card = score_audit(features(profiles, posts), rubric)
    # Weights: active profiles 3, recency 2, frequency 2, regularity 1.
    # A: regularity 1 of 12 weeks on Facebook, 0 on X: 1/24 / 0.9 -> 4.6296;
    #    (3 x 50 + 2 x 15.1245 + 2 x 0.8 + 1 x 4.6296) / 8 = 23.3098
    # B: the posts sheet is a full timeline without posts of B: frequency and regularity are a
    #    measured 0: (3 x 100 + 2 x 66.4895 + 2 x 0 + 1 x 0) / 8 = 54.1224
    assert card.dimensions["activity"].tolist() == pytest.approx([23.3098, 54.1224], abs=1e-4)
    assert card.institutions["overall_score"].tolist() == pytest.approx([23.3098, 54.1224],
                                                                        abs=1e-4)


def test_abandoned_profile_caps_the_level():
    data = copy.deepcopy(load_rubric().data)
    data["maturity"]["min_coverage"] = 0.1  # posts alone: no interactions, no governance
    for level in data["maturity"]["levels"]:
        level["min_score"] = {1: 0, 2: 1, 3: 2, 4: 3, 5: 99}[level["level"]]
        level["gates"] = [{"rule": "no_abandoned_profiles"}] if level["level"] == 4 else []
    rubric = rubric_from_data(data)
    posts = [["network", "handle", "published_at"], ["facebook", "a", "2026-10-30 10:00"],
             ["x", "a", "2026-04-14 10:00"]]
    card = score_audit(features(PROFILES, posts), rubric)
    row = card.institutions.loc["A"]
    assert row["maturity_level"] == 3
    assert "X @a" in row["maturity_capped_es"] and "abandon" in row["maturity_capped_en"]


def test_demo_levels_spread_and_dimensions_are_evaluated(demo):
    institutions = demo.scorecard.institutions
    assert institutions["maturity_level"].nunique() >= 3
    assert institutions["overall_score"].notna().all()
    for dimension in DIMENSIONS:
        assert institutions[dimension].notna().sum() >= 30, dimension


def test_demo_without_interactions_leaves_responsiveness_empty(demo):
    with_interactions = set(demo.data.interactions["institution"])
    institutions = demo.scorecard.institutions
    for name, score in institutions["responsiveness"].items():
        assert np.isnan(score) == (name not in with_interactions), name


def test_demo_planted_activity_statuses(demo):
    profiles = demo.profiles.set_index(["institution", "network"])
    assert profiles.loc[("Municipalidad de Villa Tala Seca", "instagram"), "status"] == \
        "abandoned"
    assert profiles.loc[("Concello de Lomaverde", "x"), "status"] == "inactive"


def test_every_recommendation_cites_a_guideline(demo):
    everything = demo.recommendations
    actions = everything[~everything["action_id"].str.startswith("provide_")]  # data requests
    assert len(actions) > 40
    assert actions["source"].isin(["mejia-redes-entidades-publicas",
                                   "gestion-redes-administraciones-publicas",
                                   "esan-redes-sector-publico", "bmn-red-social-2020"]).all()
    assert actions["source_es"].str.fullmatch(r".+ \(.+, .+\)").all()
    assert actions["evidence_es"].str.len().gt(0).all()
    ranks = everything.groupby("institution")["rank"].apply(list)
    assert all(r == list(range(1, len(r) + 1)) for r in ranks)
    tiers = everything[everything["tier"] == "rest"]  # within a tier, by priority
    first = tiers.groupby("institution")["priority"].first()
    assert (tiers.groupby("institution")["priority"].max() == first).all()


def test_recommendation_priority_formula():
    rubric = load_rubric()
    dimension = next(d for d in rubric.dimensions if d["id"] == "activity")
    criterion = dimension["criteria"][0]
    scores = pd.DataFrame([{"institution": "A", "dimension": "activity",
                            "criterion": criterion["id"], "score": 40.0, "target": 90.0,
                            "evidence_es": "e", "evidence_en": "e"}])
    action = recommendations(scores, rubric).iloc[0]
    # Share of the overall score: activity 20 of 100 x active profiles 3 of 8 = 0.075;
    # gap (90 - 40) / 100 = 0.5; effort 1: priority 0.075 x 0.5 / 1 = 0.0375.
    assert action["priority"] == pytest.approx(0.0375, abs=1e-6)
    assert action["source"] == "gestion-redes-administraciones-publicas"
    assert action["source_en"] == ("Recomendaciones para la gestión de redes sociales en "
                                   "administraciones públicas (author not stated, n.d.)")


def test_checks_read_only_their_declared_options(demo, monkeypatch):
    """Every option a check reads is declared, read as params[key] (never with a fallback
    default), and every declared option of the checks the demo runs is read."""
    from audit.measure import checks

    real, read = checks.options, {}

    class Recorded(dict):
        def __init__(self, metric, values):
            super().__init__(values)
            self.metric = metric

        def __getitem__(self, key):
            read.setdefault(self.metric, set()).add(key)
            return super().__getitem__(key)

        def get(self, key, default=None):
            raise AssertionError(f"{self.metric} reads {key!r} with a fallback default")

    monkeypatch.setattr(checks, "options",
                        lambda metric, params: Recorded(metric, real(metric, params)))
    rubric = load_rubric("salud")
    card = score_audit(demo.features, rubric)
    assert card.errors == []
    used = {c["metric"] for _, c in rubric.criteria()}
    assert read == {m: set(checks.OPTIONS[m]) for m in used if checks.OPTIONS[m]}


def test_texts_state_the_thresholds_of_an_edited_rubric(demo):
    """The Rubric page's edit (rubric_from_data, then rescore) reaches every text that states
    a status threshold: a profile is live up to the irregular bound, 30 days in the file."""
    from audit.pipeline import rescore

    data = copy.deepcopy(load_rubric().data)
    data["profile_status"]["days"].update(active=45, irregular=45)
    rubric = rubric_from_data(data, "gobierno.yaml")
    active = next(c for _, c in rubric.criteria() if c["id"] == "active_profiles")
    assert active["description"]["es"] == ("Proporción de perfiles activos o irregulares "
                                           "(última publicación hace 45 días o menos).")
    assert active["description"]["en"] == ("Share of profiles active or irregular "
                                           "(latest post 45 days ago or less).")
    assert "{irregular_days}" in next(  # the rubric's own data keep the template
        c for d in rubric.data["dimensions"] for c in d["criteria"]
        if c["id"] == "active_profiles")["description"]["es"]

    scores = rescore(demo, rubric).scorecard.scores
    rows = scores[scores["criterion"] == "active_profiles"]
    live_es = rows["evidence_es"][rows["evidence_es"].str.contains("perfiles publicaron")]
    live_en = rows["evidence_en"][rows["evidence_en"].str.contains("profiles posted")]
    assert len(live_es) > 0 and len(live_es) == len(live_en)
    assert live_es.str.endswith("en los últimos 45 días").all()
    assert live_en.str.endswith("in the last 45 days").all()
    assert not rows["evidence_es"].str.contains("30 días").any()


def test_evidence_messages_name_the_same_values_in_both_languages():
    from audit.messages import catalogue, placeholders

    evidence = {k: v for k, v in catalogue().items() if k.startswith("evidence.")}
    assert len(evidence) > 50
    for key, texts in evidence.items():
        assert placeholders(texts["es"]) == placeholders(texts["en"]), key


def test_a_failing_check_says_so_in_its_evidence(monkeypatch):
    from audit.measure import checks

    def broken(f, params):
        raise RuntimeError("boom")

    monkeypatch.setitem(checks.CHECKS, "days_since_last_post", broken)
    card = score_audit(features(PROFILES), load_rubric())
    rows = card.scores[card.scores["metric"] == "days_since_last_post"]
    assert rows["evidence_es"].tolist() == ["Error al medir: RuntimeError: boom"]
    assert rows["evidence_en"].tolist() == ["Measurement error: RuntimeError: boom"]
