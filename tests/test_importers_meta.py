"""Meta Business Suite exports: Facebook and Instagram posts, and the page's daily series.

The fixtures in tests/data/importers/ follow Meta's published layouts: UTF-8 with a BOM,
"Date" = "Lifetime", numbers with thousands separators, captions in "Title" (photos) or
"Description", newlines inside captions; the daily series is UTF-16 with "sep=," and a title.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from audit import run_audit

DATA = Path(__file__).resolve().parent / "data" / "importers"
FACEBOOK = DATA / "Nov-02-2026_Nov-10-2026_1039829308656930.csv"
FACEBOOK_ES = DATA / "es_Nov-02-2026_Nov-10-2026_1039829308656930.csv"
INSTAGRAM = DATA / "Nov-01-2026_Nov-30-2026_17841400000000000.csv"
FOLLOWERS = DATA / "Facebook_followers_Nov-01-2026_Nov-10-2026.csv"
FOLLOWS = DATA / "Facebook_follows_Nov-01-2026_Nov-10-2026.csv"


def _utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.fixture(scope="module")
def meta():
    return run_audit([FACEBOOK, INSTAGRAM, FOLLOWERS], assume_tz="Europe/Madrid")


def test_every_facebook_post_is_kept_with_its_account_date_counts_and_caption(meta):
    posts = meta.data.posts[meta.data.posts["network"] == "facebook"].set_index("post_id")
    assert len(posts) == 4
    assert set(posts["handle"]) == {"aytovillaverde"}  # the reel's /reel/ID keeps its page
    assert posts.loc["1039829308656930_102", "url"] == "https://www.facebook.com/reel/1234567890"
    # local time in Madrid (UTC+1 in November), month/day decided by the file's period
    assert list(posts["published_at"]) == [_utc("2026-11-02 08:15"), _utc("2026-11-05 17:40"),
                                           _utc("2026-11-08 06:05"), _utc("2026-11-10 11:00")]
    # a photo's caption is in "Title"; a video's title and description are both read
    assert posts.loc["1039829308656930_101", "text"].startswith("Corte de agua programado")
    assert posts.loc["1039829308656930_103", "text"] == \
        "Consulta el presupuesto participativo\nen la web municipal"
    assert posts.loc["1039829308656930_104", "text"] == \
        "Pleno de noviembre\n\nRetransmisión del pleno municipal"
    row = posts.loc["1039829308656930_102"]
    assert (row["likes"], row["comments"], row["shares"], row["views"]) == (1020, 50, 30, 12400)
    assert list(posts["format"]) == ["photo", "reel", "link", "video"]


def test_every_instagram_post_is_kept_with_username_and_reel(meta):
    posts = meta.data.posts[meta.data.posts["network"] == "instagram"].set_index("post_id")
    assert len(posts) == 3
    assert set(posts["handle"]) == {"aytovillaverde"}
    assert posts.loc["18000000000000002", "format"] == "reel"
    assert posts.loc["18000000000000001", "published_at"] == _utc("2026-11-13 09:30")
    assert posts.loc["18000000000000002", "published_at"] == _utc("2026-11-03 18:00")
    assert (posts.loc["18000000000000001", "likes"], posts.loc["18000000000000001", "views"]) \
        == (210, 2300)


def test_accounts_become_profiles_grouped_by_display_name(meta):
    profiles = meta.data.profiles.set_index("network")
    assert set(profiles["institution"]) == {"Ayuntamiento de Villaverde"}
    assert profiles.loc["facebook", "followers"] == 15230  # the series' latest day
    assert pd.isna(profiles.loc["instagram", "followers"])
    codes = meta.problems.frame("en")["code"].tolist()
    assert codes.count("profile_from_export") == 2
    assert "followers_from_series" in codes
    assert meta.problems.counts()["by_severity"]["error"] == 0


def test_day_month_order_from_the_file_period(tmp_path):
    result = run_audit([FACEBOOK_ES], assume_tz="UTC")
    assert result.data.posts["published_at"].min() == _utc("2026-11-02 09:15")
    assert "dates_order_ambiguous" not in result.problems.frame("en")["code"].tolist()


def test_undecidable_day_month_order_is_reported_not_guessed_silently(tmp_path):
    renamed = tmp_path / "publicaciones_facebook.csv"
    shutil.copy(FACEBOOK, renamed)
    result = run_audit([renamed])
    problems = result.problems.frame("en")
    warned = problems[problems["code"] == "dates_order_ambiguous"]
    assert warned[["severity", "column"]].values.tolist() == [["warning", "Publish time"]]
    assert "month/day" in warned["message"].iloc[0]
    assert len(result.data.posts) == 4


def test_a_follows_series_is_reported_not_taken_as_followers():
    result = run_audit([FACEBOOK, FOLLOWS])
    assert pd.isna(result.data.profiles["followers"].iloc[0])
    problems = result.problems.frame("en")
    assert problems.loc[problems["code"] == "series_not_used", "severity"].tolist() == \
        ["warning"]


def test_a_series_alone_is_unusable_and_says_why(tmp_path):
    result = run_audit([FOLLOWERS])
    assert not result.usable
    codes = result.problems.frame("en")["code"].tolist()
    assert "series_unattached" in codes and "no_profiles_sheet" in codes
