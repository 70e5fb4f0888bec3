"""The recommended actions: the order an auditor would sign, consolidation, data requests and
the plan's size, on constructed scorecards with hard-coded expectations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from audit.score.action_rules import TIERS
from audit.score.recommend import recommendations
from audit.score.rubric import DIMENSIONS, RubricError, load_rubric, rubric_from_data

HOSPITAL = "Hospital de Prueba"


def _scores(rubric, below: dict[str, float], institution: str = HOSPITAL) -> pd.DataFrame:
    """Every criterion of ``rubric`` at 100 but those of ``below`` (criterion -> score)."""
    rows = []
    for dimension, criterion in rubric.criteria():
        score = below.get(criterion["id"], 100.0)
        rows.append({"institution": institution, "dimension": dimension["id"],
                     "criterion": criterion["id"], "score": score,
                     "target": 100 * criterion["target"],
                     "evidence_es": f"evidencia {criterion['id']}",
                     "evidence_en": f"evidence {criterion['id']}"})
    return pd.DataFrame(rows)


def _institutions(sector: str = "health", missing: str = "") -> pd.DataFrame:
    return pd.DataFrame({"sector": [sector], "missing_inputs": [missing]},
                        index=pd.Index([HOSPITAL], name="institution"))


def _profiles() -> pd.DataFrame:
    return pd.DataFrame({
        "institution": [HOSPITAL] * 3, "network": ["facebook", "instagram", "x"],
        "handle": ["hospitalprueba", "hprueba_oficial", "hospital_prueba"],
        "followers": [5000, 800, 1200], "status": ["active", "abandoned", "active"],
        "days_since_last_post": [2.0, 240.0, 5.0]})


def _complaints() -> pd.DataFrame:
    return pd.DataFrame({
        "institution": [HOSPITAL] * 3, "network": ["facebook", "x", "facebook"],
        "handle": ["hospitalprueba", "hospital_prueba", "hospitalprueba"],
        "received_at": pd.to_datetime(["2026-09-20", "2026-08-02", "2026-10-01"], utc=True),
        "kind": ["comment"] * 3, "text": ["queja"] * 3, "detected": [True] * 3})


def test_a_hospital_hears_compliance_then_citizens_then_profiles_then_the_rest():
    rubric = load_rubric("salud")
    scores = _scores(rubric, {"political_content": 20.0, "complaint_response": 10.0,
                              "reply_time": 30.0, "response_rate": 40.0,
                              "active_profiles": 60.0, "frequency": 30.0,
                              "same_handle": 20.0, "accountability": 0.0})
    actions = recommendations(
        scores, rubric, institutions=_institutions(), profiles=_profiles(),
        details={("responsiveness", "complaint_response"): _complaints()})
    assert list(actions["action_id"]) == [
        "political_content", "service_desk", "complaint_response", "close_profiles",
        "accountability", "same_handle", "frequency"]
    assert list(actions["tier"]) == ["compliance", "citizens_waiting", "citizens_waiting",
                                     "profiles", "rest", "rest", "rest"]
    assert list(actions["rank"]) == [1, 2, 3, 4, 5, 6, 7]
    complaint = actions.set_index("action_id").loc["complaint_response"]
    assert complaint["action_es"].startswith(
        "Responder ya las 3 quejas que siguen sin respuesta, empezando por la más antigua "
        "(2026-08-02, X).")
    close = actions.set_index("action_id").loc["close_profiles"]
    assert "Instagram @hprueba_oficial" in close["action_en"]
    assert close["action_en"].startswith("Close the profiles")
    assert "Facebook @hospitalprueba" in close["action_en"]  # most followed live profile
    assert close["evidence_en"] == "Instagram @hprueba_oficial: 240 days without a post"
    assert close["criteria"] == "active_profiles"
    # No action asks to post on the profile to close: the activity one leaves it out.
    frequency = actions.set_index("action_id").loc["frequency", "action_en"]
    assert frequency.endswith("This leaves out the profiles proposed for closure "
                              "(Instagram @hprueba_oficial).")
    # A health institution is not told to publish public-works progress.
    accountability = actions.set_index("action_id").loc["accountability", "action_es"]
    assert "obras" not in accountability and "tiempos de espera" in accountability


def test_patient_privacy_is_a_compliance_incident():
    rubric = load_rubric("salud")
    actions = recommendations(_scores(rubric, {"patient_privacy": 0.0, "same_handle": 0.0}),
                              rubric)
    assert list(actions["action_id"]) == ["patient_privacy", "same_handle"]
    assert actions["tier"].iloc[0] == "compliance"


def test_three_tone_criteria_below_target_give_one_style_guide():
    rubric = load_rubric()
    actions = recommendations(_scores(rubric, {"spelling": 50.0, "warmth": 40.0,
                                               "shouting": 60.0}), rubric)
    assert len(actions) == 1
    action = actions.iloc[0]
    assert action["action_id"] == "style_guide"
    assert action["criteria"] == "spelling;warmth;shouting"
    assert "guía de estilo" in action["action_es"] and "antes de difundirla" in action["action_es"]
    # spelling (weight 3) leads: tone 15 of 100 x 3 of 12 x gap 0.25 = 0.009375 / effort 2
    assert action["criterion"] == "spelling"
    # Sum over the three: (3 x 0.25 + 2 x 0.35 + 1 x 0.15) x 0.15 / 12 / 2
    assert action["priority"] == pytest.approx(0.01, abs=1e-6)
    # Score and target: means weighted by criterion weight (3, 2, 1)
    assert action["score"] == pytest.approx((3 * 50 + 2 * 40 + 60) / 6)
    assert action["target"] == pytest.approx(75.0)
    assert action["evidence_es"] == ("Ortografía: evidencia spelling · Cercanía: evidencia "
                                     "warmth · Texto en mayúsculas: evidencia shouting")


def test_one_tone_criterion_keeps_its_own_action():
    rubric = load_rubric()
    actions = recommendations(_scores(rubric, {"spelling": 50.0}), rubric)
    assert list(actions["action_id"]) == ["spelling"]
    assert actions["action_es"].iloc[0].startswith("Revisar la ortografía")


def test_ten_governance_gaps_give_one_policy():
    rubric = load_rubric()
    items = ["owner", "community_manager", "objectives", "channel_selection", "style_guide",
             "protocols", "complaint_protocol", "website_promotion", "monitoring",
             "resources_calendar"]
    scores = _scores(rubric, dict.fromkeys(items, 0.0))
    for row in scores.itertuples():
        if row.criterion in items:
            scores.loc[row.Index, "evidence_es"] = "No (sin evidencia aportada)"
    actions = recommendations(scores, rubric)
    assert list(actions["action_id"]) == ["social_media_policy"]
    assert actions["criteria"].iloc[0].split(";") == [
        "owner", "community_manager", "objectives", "channel_selection", "style_guide",
        "protocols", "complaint_protocol", "website_promotion", "monitoring",
        "resources_calendar"]
    # The same answer is said once, after the items that gave it.
    assert actions["evidence_es"].iloc[0].count("No (sin evidencia aportada)") == 1


def test_a_missing_interactions_sheet_asks_for_the_log():
    rubric = load_rubric()
    scores = _scores(rubric, {})
    scores.loc[scores["dimension"] == "responsiveness", "score"] = float("nan")
    actions = recommendations(scores, rubric,
                              institutions=_institutions("local_government", "interactions"))
    assert list(actions["action_id"]) == ["provide_interactions"]
    action = actions.iloc[0]
    assert action["tier"] == "citizens_waiting"
    assert action["action_en"].startswith("Provide the interactions log")
    assert action["evidence_en"] == "Without this sheet these are not evaluated: Responsiveness"
    assert action["priority"] == pytest.approx(0.2)  # responsiveness: 20 of 100, effort 1
    assert action["source"] == ""


def test_no_more_than_seven_actions_in_the_plan():
    rubric = load_rubric()
    below = {c["id"]: 0.0 for _, c in rubric.criteria()}
    actions = recommendations(_scores(rubric, below), rubric,
                              institutions=_institutions("local_government"))
    assert len(actions) == 14
    assert actions["in_plan"].sum() == 7
    assert list(actions["in_plan"]) == [True] * 7 + [False] * 7
    assert list(actions["rank"]) == list(range(1, 15))


def test_a_library_is_not_told_to_publish_public_works():
    rubric = load_rubric()
    actions = recommendations(_scores(rubric, {"accountability": 0.0}), rubric,
                              institutions=_institutions("library"))
    assert "obras" not in actions["action_es"].iloc[0]
    assert "biblioteca" in actions["action_es"].iloc[0]


def test_a_typo_in_a_tier_or_group_is_reported():
    data = load_rubric().data
    data["dimensions"][0]["criteria"][0]["tier"] = "urgente"
    data["dimensions"][0]["criteria"][1]["group"] = "no_existe"
    data["actions"]["plan_size"] = 0
    with pytest.raises(RubricError) as err:
        rubric_from_data(data, "mala.yaml")
    message = str(err.value)
    assert "criteria.active_profiles.tier: expected one of compliance" in message
    assert "criteria.recency.group: expected a group of actions.groups" in message
    assert "actions.plan_size: expected a whole number from 1" in message


def test_each_institution_gets_the_actions_it_would_get_audited_alone():
    """The tables are split by institution once for all of them: an institution's actions
    among many (rows of several institutions interleaved, a rival whose live profile has
    more followers and whose complaint is older) are those it gets on its own."""
    rubric = load_rubric("salud")
    below = {"complaint_response": 10.0, "active_profiles": 60.0, "frequency": 30.0}
    rival = "Clínica Rival"
    scores = pd.concat([_scores(rubric, below), _scores(rubric, below, rival)])
    scores = scores.sort_values("criterion", kind="stable").reset_index(drop=True)
    profiles = _profiles()
    theirs = profiles.assign(institution=rival, handle=profiles["handle"] + "_r",
                             followers=[100, 900_000, 50], status="abandoned")
    theirs.loc[0, "status"] = "active"
    both_profiles = pd.concat([theirs, profiles]).iloc[[0, 3, 1, 4, 2, 5]]
    complaints = _complaints()
    both_complaints = pd.concat([complaints.assign(
        institution=rival, received_at=pd.to_datetime(["2025-01-01"] * 3, utc=True)),
        complaints]).iloc[[3, 0, 4, 1, 5, 2]]
    institutions = pd.concat([_institutions(), _institutions().rename(index={HOSPITAL: rival})])
    key = ("responsiveness", "complaint_response")
    together = recommendations(scores, rubric, institutions=institutions,
                               profiles=both_profiles, details={key: both_complaints})
    alone = recommendations(scores[scores["institution"] == HOSPITAL], rubric,
                            institutions=_institutions(), profiles=_profiles(),
                            details={key: complaints})
    mine = together[together["institution"] == HOSPITAL].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, alone)
    close = alone.set_index("action_id").loc["close_profiles", "action_en"]
    assert "Facebook @hospitalprueba" in close and "2026-08-02" in alone.set_index(
        "action_id").loc["complaint_response", "action_en"]
    rival_close = together.set_index(["institution", "action_id"]).loc[
        (rival, "close_profiles"), "action_en"]
    assert "Facebook @hospitalprueba_r" in rival_close  # its only live profile


def test_the_ranking_is_a_stable_sort_of_the_actions_own_columns():
    """Actions are ordered in Python: on generated scorecards (ties in priority, sheets left
    out, a data request for a sheet no dimension of the rubric reads) the table is already
    in the order of a frame's stable sort by institution, tier, priority (highest first),
    dimension and action id, what no order names last; ranks count within institution."""
    rubric = load_rubric()
    rng = np.random.default_rng(7)
    criteria = [c["id"] for _, c in rubric.criteria()]
    names = [f"Institución {i:02d}" for i in range(12)]
    scores = pd.concat([_scores(rubric, {c: float(rng.choice([0, 10, 50]))
                                         for c in rng.choice(criteria, 12, replace=False)},
                                name) for name in names], ignore_index=True)
    missing = ["interactions", "governance", "interactions;governance", ""]
    institutions = pd.DataFrame({"sector": "national",
                                 "missing_inputs": [missing[i % 4] for i in range(12)]},
                                index=pd.Index(names, name="institution"))
    actions = recommendations(scores, rubric, institutions=institutions)
    assert actions["action_id"].str.startswith("provide_").any()
    assert actions["dimension"].isna().any() or actions["priority"].duplicated().any()
    tiers = {t: i for i, t in enumerate(TIERS)}
    dimensions = {d: i for i, d in enumerate(DIMENSIONS)}
    keyed = actions.assign(_tier=actions["tier"].map(tiers),
                           _order=actions["dimension"].map(dimensions))
    resorted = keyed.sort_values(["institution", "_tier", "priority", "_order", "action_id"],
                                 ascending=[True, True, False, True, True], kind="stable")
    assert list(resorted.index) == list(actions.index)
    assert actions["rank"].tolist() == (actions.groupby("institution").cumcount() + 1).tolist()
    assert (actions["in_plan"] == (actions["rank"] <= rubric.actions["plan_size"])).all()


def test_the_live_profile_is_the_most_followed_unknown_last_then_by_network():
    """Each institution's live profile: most followers first, unknown followers after any
    count, a tie broken by network, then by the table's order; profiles to close listed by
    network and handle."""
    rubric = load_rubric("salud")
    profiles = pd.DataFrame({
        "institution": [HOSPITAL] * 5,
        "network": ["x", "facebook", "instagram", "youtube", "tiktok"],
        "handle": ["b", "z", "c", "d", "e"],
        "followers": pd.array([None, 500, 500, None, 10], dtype="Int64"),
        "status": ["active", "irregular", "active", "abandoned", "abandoned"],
        "days_since_last_post": pd.array([1, 20, 3, None, 400], dtype="Int64")})
    scores = _scores(rubric, {"active_profiles": 60.0})
    close = recommendations(scores, rubric, profiles=profiles).set_index("action_id").loc[
        "close_profiles"]
    assert "Facebook @z" in close["action_en"]  # 500 followers, facebook before instagram
    assert close["evidence_en"].index("TikTok @e") < close["evidence_en"].index("YouTube @d")
    unknown = profiles.assign(followers=pd.array([None, None, None, None, None],
                                                 dtype="Int64"))
    close = recommendations(scores, rubric, profiles=unknown).set_index("action_id").loc[
        "close_profiles"]
    assert "Facebook @z" in close["action_en"]  # all unknown: by network
    tied = profiles.assign(network="x", followers=pd.array([7, 7, 7, 7, 7], dtype="Int64"),
                           handle=["q", "p", "r", "d", "e"])
    close = recommendations(scores, rubric, profiles=tied).set_index("action_id").loc[
        "close_profiles"]
    assert "X @q" in close["action_en"]  # a full tie: the table's first
