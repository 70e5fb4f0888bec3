"""4CAT CSV downloads: Twitter (API v2 columns) and Facebook (CrowdTangle import)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from audit import run_audit

DATA = Path(__file__).resolve().parent / "data" / "importers"
TWITTER = DATA / "4cat-twitter-vacunacion.csv"
FACEBOOK = DATA / "4cat-facebook-limanorte.csv"


@pytest.fixture(scope="module")
def fourcat():
    # A zone far from UTC: 4CAT's timestamps are UTC and must not move.
    return run_audit([TWITTER, FACEBOOK], assume_tz="America/Lima")


def test_twitter_own_posts_are_kept_retweets_listed(fourcat):
    posts = fourcat.data.posts[fourcat.data.posts["network"] == "x"]
    assert posts["post_id"].tolist() == ["1700000000000000001", "1700000000000000003"]
    assert set(posts["handle"]) == {"saludpublicamx"}
    assert posts.iloc[0]["published_at"] == pd.Timestamp("2023-11-14 13:05", tz="UTC")
    assert (posts.iloc[0]["likes"], posts.iloc[0]["shares"], posts.iloc[0]["comments"],
            posts.iloc[0]["views"]) == (530, 120, 14, 45000)
    problems = fourcat.problems.frame("en")
    retweets = problems[problems["code"] == "retweet_excluded"]
    assert retweets[["severity", "row"]].values.tolist() == [["info", 3]]


def test_facebook_reactions_summed_and_page_followers(fourcat):
    posts = fourcat.data.posts[fourcat.data.posts["network"] == "facebook"]
    assert len(posts) == 2 and set(posts["handle"]) == {"munilimanorte"}
    assert posts.iloc[0]["likes"] == 900 + 60 + 5 + 10 + 3 + 20 + 2
    assert posts.iloc[0]["text"] == "Cierre temporal del puente viejo por mantenimiento"
    assert posts.iloc[1]["format"] == "link"
    followers = fourcat.data.profiles.set_index("handle")["followers"].to_dict()
    assert followers == {"saludpublicamx": 250180, "munilimanorte": 31560}
    institutions = fourcat.data.profiles.set_index("handle")["institution"].to_dict()
    assert institutions == {"saludpublicamx": "Salud Pública México",
                            "munilimanorte": "Municipalidad de Lima Norte"}
