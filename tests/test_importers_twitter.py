"""Twitter API v2 tweets: twarc2's CSV, an API page saved as JSON, and one tweet per line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from audit import run_audit
from audit.cli import main

DATA = Path(__file__).resolve().parent / "data" / "importers"
TWARC_CSV = DATA / "twarc2-aytonorte.csv"
API_PAGE = DATA / "api-v2-hospnorte.json"
JSON_LINES = DATA / "tweets-bibliotecasur.jsonl"


@pytest.fixture(scope="module")
def tweets():
    # A zone far from UTC: "created_at" says UTC ("Z") and must not move.
    return run_audit([TWARC_CSV, API_PAGE, JSON_LINES], assume_tz="America/Bogota")


def _posts(result, handle):
    posts = result.data.posts
    return posts[posts["handle"] == handle].reset_index(drop=True)


def test_twarc_csv_own_posts_kept_retweet_listed(tweets):
    posts = _posts(tweets, "aytonorte")
    assert posts["post_id"].tolist() == ["1800000000000000001", "1800000000000000003"]
    assert set(posts["network"]) == {"x"}
    assert posts.loc[0, "published_at"] == pd.Timestamp("2026-10-05 14:30", tz="UTC")
    assert posts.loc[1, "published_at"] == pd.Timestamp("2026-10-07 18:45:10", tz="UTC")
    assert posts.loc[0, ["likes", "comments", "shares", "views"]].tolist() == [88, 7, 31, 5400]
    assert posts.loc[1, "text"] == \
        'Pleno municipal, jueves 19 h, en directo por la web, "abierto" al público'
    assert posts.loc[0, "url"] == "https://x.com/AytoNorte/status/1800000000000000001"
    problems = tweets.problems.frame("en")
    retweets = problems[(problems["code"] == "retweet_excluded")
                        & problems["file"].str.endswith(TWARC_CSV.name)]
    assert retweets[["severity", "row", "value"]].values.tolist() == [
        ["info", 3, "1800000000000000002"]]


def test_api_page_authors_from_includes_and_retweet_listed(tweets):
    posts = _posts(tweets, "hospnortesalud")
    assert posts["post_id"].tolist() == ["1810000000000000001", "1810000000000000003"]
    assert posts.loc[0, ["likes", "comments", "shares", "views"]].tolist() == \
        [210, 12, 45, 18000]
    assert posts.loc[0, "text"].startswith("Vacunación antigripal")
    assert posts.loc[1, "published_at"] == pd.Timestamp("2026-11-05 16:40", tz="UTC")
    problems = tweets.problems.frame("en")
    retweets = problems[(problems["code"] == "retweet_excluded")
                        & problems["file"].str.endswith(API_PAGE.name)]
    assert retweets["value"].tolist() == ["1810000000000000002"]


def test_one_tweet_per_line(tweets):
    posts = _posts(tweets, "bibliotecasur")
    assert posts["post_id"].tolist() == ["1820000000000000001", "1820000000000000002"]
    assert posts.loc[1, ["likes", "comments", "shares", "views"]].tolist() == [7, 0, 1, 400]
    assert posts.loc[1, "text"] == "Horario de septiembre: de lunes a sábado, 9 a 21 h"


def test_followers_and_names_from_the_authors(tweets):
    profiles = tweets.data.profiles.set_index("handle")
    # the latest post's figure: 15230 then 15302 in the CSV
    assert profiles["followers"].to_dict() == {"aytonorte": 15302, "hospnortesalud": 40210,
                                               "bibliotecasur": 3125}
    assert profiles.loc["hospnortesalud", "institution"] == "Hospital del Norte"


def test_a_line_that_is_not_json_is_listed_and_the_rest_read(tmp_path):
    lines = JSON_LINES.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "cortado.ndjson"
    broken.write_text(lines[0] + "\n" + lines[1][:40] + "\n", encoding="utf-8")
    result = run_audit([broken])
    assert result.data.posts["post_id"].tolist() == ["1820000000000000001"]
    problems = result.problems.frame("en")
    assert problems.loc[problems["code"] == "json_line_unreadable", "row"].tolist() == [2]


def test_a_page_without_its_authors_lists_every_tweet(tmp_path):
    page = tmp_path / "sin_autores.json"
    page.write_text('{"data": [{"id": "5", "author_id": "9", "created_at": '
                    '"2026-11-03T12:00:00.000Z", "text": "Hola", "public_metrics": '
                    '{"like_count": 1}}]}', encoding="utf-8")
    result = run_audit([page])
    problems = result.problems.frame("en")
    assert problems.loc[problems["code"] == "account_unknown", "value"].tolist() == ["5"]
    assert result.data is None  # nothing usable: no account, no audit


def test_json_that_is_not_a_record_is_reported(tmp_path, capsys):
    odd = tmp_path / "lista.json"
    odd.write_text("[1, 2, 3]", encoding="utf-8")
    assert main(["run", str(odd), "--out", str(tmp_path / "out")]) == 2
    assert "lista.json" in capsys.readouterr().err
