"""Zeeschuimer / 4CAT NDJSON: TikTok, Instagram and X items, each mapped by its platform."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from audit import run_audit

DATA = Path(__file__).resolve().parent / "data" / "importers"
CAPTURE = DATA / "zeeschuimer-alcaldiasur.ndjson"


@pytest.fixture(scope="module")
def capture():
    return run_audit([CAPTURE], assume_tz="America/Mexico_City")


def _post(result, network):
    posts = result.data.posts
    return posts[posts["network"] == network].iloc[0]


def test_tiktok_item(capture):
    post = _post(capture, "tiktok")
    assert (post["handle"], post["post_id"]) == ("alcaldia.sur", "7410000000000000001")
    assert post["published_at"] == pd.Timestamp(1788000000, unit="s", tz="UTC")
    assert post[["likes", "comments", "shares", "views"]].tolist() == [640, 21, 17, 9100]
    assert post["text"] == "Ruta del bus escolar 2026 🚌"
    assert post["url"] == "https://www.tiktok.com/@alcaldia.sur/video/7410000000000000001"


def test_instagram_item(capture):
    post = _post(capture, "instagram")
    assert (post["handle"], post["post_id"]) == ("alcaldia.sur", "DAbCdEfGhIj")
    assert post["published_at"] == pd.Timestamp(1788100000, unit="s", tz="UTC")
    assert post[["likes", "comments"]].tolist() == [455, 9]
    assert post["text"] == "Feria del libro en la plaza mayor, del 5 al 8"


def test_x_item_kept_and_retweet_listed(capture):
    post = _post(capture, "x")
    assert (post["handle"], post["post_id"]) == ("alcaldiasur", "1830000000000000001")
    assert post["published_at"] == pd.Timestamp("2026-09-01 21:00", tz="UTC")
    assert post[["likes", "comments", "shares", "views"]].tolist() == [52, 4, 11, 3300]
    problems = capture.problems.frame("en")
    assert problems.loc[problems["code"] == "retweet_excluded", "row"].tolist() == [4]


def test_other_platforms_listed_and_profiles_per_network(capture):
    problems = capture.problems.frame("en")
    other = problems[problems["code"] == "platform_not_read"]
    assert other[["row", "value"]].values.tolist() == [[5, "linkedin.com"]]
    assert len(capture.data.posts) == 3
    profiles = capture.data.profiles.set_index(["network", "handle"])
    assert profiles.loc[("tiktok", "alcaldia.sur"), "followers"] == 8800
    assert profiles.loc[("x", "alcaldiasur"), "followers"] == 12000
    assert pd.isna(profiles.loc[("instagram", "alcaldia.sur"), "followers"])  # not captured
    assert set(profiles["institution"]) == {"Alcaldía del Sur"}


def test_4cat_item_envelope(tmp_path):
    lines = CAPTURE.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["item"] = first.pop("data")
    moved = tmp_path / "4cat-tiktok.ndjson"
    moved.write_text(json.dumps(first, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run_audit([moved])
    assert result.data.posts["post_id"].tolist() == ["7410000000000000001"]
    assert result.data.posts["likes"].tolist() == [640]
