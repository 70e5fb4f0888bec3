"""TikTok Studio's content export: the account from each video's link."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from audit import run_audit

DATA = Path(__file__).resolve().parent / "data" / "importers"
STUDIO = DATA / "tiktok-studio-content-2026-08.csv"


def test_every_video_kept_with_local_times_and_abbreviated_counts():
    result = run_audit([STUDIO], assume_tz="America/Lima")
    posts = result.data.posts
    assert set(posts["network"]) == {"tiktok"} and set(posts["handle"]) == {"muni.norte"}
    assert posts["post_id"].tolist() == ["7400000000000000001", "7400000000000000002"]
    # local times in the audit's zone; the slashed date is month first
    assert posts["published_at"].tolist() == [
        pd.Timestamp("2026-08-02 19:05", tz="America/Lima"),
        pd.Timestamp("2026-08-16 15:00", tz="America/Lima")]
    assert posts.iloc[0][["likes", "comments", "shares", "views"]].tolist() == \
        [1200, 45, 1030, 18400]
    assert posts["text"].tolist() == ["Así se recicla en el municipio ♻️",
                                      "Fiestas patronales: cortes de tráfico, ¡atentos!"]
    assert set(posts["format"]) == {"video"}
    problems = result.problems.frame("en")
    assert problems.query("severity != 'info'").empty


def test_a_video_without_a_link_is_listed(tmp_path):
    lines = STUDIO.read_text(encoding="utf-8").splitlines()
    edited = tmp_path / "contenido.csv"
    edited.write_text("\n".join([*lines, "Sin enlace,,2026-08-20 10:00:00,5,0,0,90,3"]) + "\n",
                      encoding="utf-8")
    result = run_audit([edited])
    assert len(result.data.posts) == 2
    problems = result.problems.frame("en")
    assert problems.loc[problems["code"] == "account_unknown", "row"].tolist() == [4]
