"""Activity checks on tiny hand-built inputs."""

from __future__ import annotations

import pytest
from factories import features

from audit.measure.checks import measure

PROFILES = [["institution", "network", "handle"],
            ["A", "facebook", "a"], ["A", "instagram", "a"],
            ["B", "facebook", "b"]]
POSTS = [["network", "handle", "published_at"],
         ["facebook", "a", "2026-10-30 10:00"],        # 1 day
         ["instagram", "a", "2026-04-14 10:00"],       # 200 days: abandoned
         ["facebook", "b", "2026-09-16 10:00"]]        # 45 days: inactive


def test_active_share_and_evidence():
    m = measure(features(PROFILES, POSTS), "active_profiles_share", {})
    assert m.value.to_dict() == {"A": 0.5, "B": 0.0}
    assert m.text("es")["A"] == "Instagram @a: 200 días sin publicar"
    assert m.text("en")["B"] == "Facebook @b: 45 days without a post"


def test_evidence_of_profiles_all_live_counts_one_or_many():
    recent = [["network", "handle", "published_at"],
              ["facebook", "a", "2026-10-30 10:00"], ["instagram", "a", "2026-10-29 10:00"],
              ["facebook", "b", "2026-10-28 10:00"]]
    m = measure(features(PROFILES, recent), "active_profiles_share", {})
    assert m.text("es")["A"] == "Los 2 perfiles publicaron en los últimos 30 días"
    assert m.text("es")["B"] == "Su único perfil publicó en los últimos 30 días"
    assert m.text("en")["B"] == "Its only profile posted in the last 30 days"


def test_days_since_last_post_median():
    m = measure(features(PROFILES, POSTS), "days_since_last_post", {})
    assert m.value.to_dict() == {"A": pytest.approx(100.5), "B": 45}


def test_frequency_against_targets():
    m = measure(features(PROFILES, POSTS), "posting_frequency",
                {"targets_per_week": {"facebook": 1, "instagram": 1}})
    # A: facebook 1 post in 90 days = 0.078/week -> 0.078; instagram 0 in window -> 0
    assert m.value["A"] == pytest.approx((7 / 90) / 2, abs=3e-3)


def test_not_evaluated_without_any_post_date():
    m = measure(features(PROFILES), "active_profiles_share", {})
    assert m.value.isna().all()
