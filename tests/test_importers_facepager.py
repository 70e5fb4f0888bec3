"""Facepager's ";" export of Facebook page posts: seed rows skipped, the page id as account."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from audit import run_audit

DATA = Path(__file__).resolve().parent / "data" / "importers"
FACEPAGER = DATA / "facepager-villanorte.csv"


def test_posts_kept_seed_row_listed_and_link_not_the_address():
    result = run_audit([FACEPAGER], assume_tz="America/Bogota")
    posts = result.data.posts
    assert set(posts["network"]) == {"facebook"} and set(posts["handle"]) == {"104567890123456"}
    assert posts["post_id"].tolist() == ["104567890123456_900000000000001",
                                         "104567890123456_900000000000002"]
    # "+0000" is kept, whatever the audit's zone
    assert posts.iloc[0]["published_at"] == pd.Timestamp("2026-11-08 15:20", tz="UTC")
    assert posts.iloc[0][["likes", "comments", "shares"]].tolist() == [230, 14, 6]
    assert posts.iloc[0]["url"] == "https://www.facebook.com/104567890123456_900000000000001"
    assert posts.iloc[0]["text"] == "Avanzan las obras del parque central: consulte los desvíos"
    assert posts["format"].tolist() == ["link", "photo"]
    problems = result.problems.frame("en")
    skipped = problems[problems["code"] == "facepager_row_skipped"]
    assert skipped[["row", "value"]].values.tolist() == [[2, "seed"]]
    institution = result.data.profiles.set_index("handle")["institution"]
    assert institution.to_dict() == {"104567890123456": "Alcaldía de Villa Norte"}


def test_reactions_summed_when_there_is_no_total(tmp_path):
    edited = tmp_path / "facepager.csv"
    edited.write_text(
        '"level";"id";"parent_id";"object_id";"object_type";"query_status";"query_time";'
        '"query_type";"from.name";"created_time";"message";"like.summary.total_count";'
        '"love.summary.total_count";"angry.summary.total_count"\r\n'
        '"1";"2";"1";"55_66";"data";"fetched (200)";"2026-11-10";"Facebook";"Ayto";'
        '"2026-11-08T15:20:00+0000";"Hola vecinos";"10";"4";"1"\r\n', encoding="utf-8")
    result = run_audit([edited])
    assert result.data.posts["likes"].tolist() == [15]
