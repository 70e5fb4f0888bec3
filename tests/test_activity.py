"""Profile status from days since the last post, with the rubric's inclusive thresholds."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import write_xlsx

from audit import load_rubric, run_audit
from audit.measure.profile_status import status_of


@pytest.mark.parametrize("days,status", [
    (0, "active"), (14, "active"), (15, "irregular"), (30, "irregular"), (31, "inactive"),
    (45, "inactive"), (90, "inactive"), (91, "abandoned"), (200, "abandoned"), (None, "no_data"),
])
def test_status_thresholds(days, status):
    series = pd.Series([days], dtype="Int64")
    assert status_of(series, load_rubric().status_days).tolist() == [status]


def test_last_post_from_posts_or_profile_and_posts_per_week(tmp_path):
    profiles = [
        ["institución", "red", "usuario", "última_publicación", "publicaciones_90d"],
        ["Ayto", "Facebook", "@ayto", "", ""],            # posts sheet: 2 posts, last 45 d ago
        ["Ayto", "Instagram", "@ayto", "2026-04-14", "9"],  # profile only: 200 days
        ["Ayto", "X", "@ayto", "2026-10-25", ""],          # profile later than its posts
        ["Ayto", "YouTube", "@ayto", "", ""],              # nothing at all
    ]
    posts = [
        ["red", "usuario", "fecha"],
        ["Facebook", "ayto", "2026-09-16 10:00"],
        ["Facebook", "ayto", "2026-06-01 10:00"],
        ["X", "ayto", "2026-10-01 10:00"],
    ]
    path = write_xlsx(tmp_path / "a.xlsx", {"perfiles": profiles, "publicaciones": posts})
    result = run_audit([path], as_of=dt.date(2026, 10, 31))
    table = result.profiles.set_index("network")
    assert table.loc["facebook", "days_since_last_post"] == 45
    assert table.loc["facebook", "status"] == "inactive"
    assert table.loc["facebook", "posts_in_window"] == 1  # June is outside the 90-day window
    assert table.loc["instagram", "days_since_last_post"] == 200
    assert table.loc["instagram", "status"] == "abandoned"
    assert table.loc["instagram", "posts_source"] == "profile"
    assert table.loc["instagram", "posts_per_week"] == pytest.approx(9 / (90 / 7), abs=0.01)
    assert table.loc["x", "days_since_last_post"] == 6
    assert table.loc["youtube", "status"] == "no_data"
    # The posts sheet holds full timelines: a profile it does not list posted 0 times.
    assert table.loc["youtube", "posts_per_week"] == 0
