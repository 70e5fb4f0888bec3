"""X analytics exports: the legacy tweet_activity_metrics layout (handle from the file name)
and the 2024+ account_analytics_content layout (handle from "Post Link", Reposts as shares).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from audit import run_audit
from audit.cli import main

DATA = Path(__file__).resolve().parent / "data" / "importers"
LEGACY = DATA / "tweet_activity_metrics_AytoVillaverde_20261101_20261201_es.csv"
CONTENT = DATA / "account_analytics_content_2026-10-01_2026-10-31.csv"
# The real exports, when the project's data folder sits beside the repository.
REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-data" / "x-analytics"


@pytest.fixture(scope="module")
def analytics():
    return run_audit([LEGACY, CONTENT], assume_tz="America/Mexico_City")


def test_legacy_export_takes_the_handle_from_the_file_name(analytics):
    posts = analytics.data.posts[analytics.data.posts["handle"] == "aytovillaverde"]
    assert len(posts) == 2 and set(posts["network"]) == {"x"}
    first = posts.iloc[0]
    assert first["text"] == ("Obras en la calle Mayor & la plaza: desvíos de tráfico\n"
                             "hasta el viernes")
    assert first["published_at"] == pd.Timestamp("2026-11-03 07:30", tz="UTC")  # "+0000" kept
    assert (first["likes"], first["comments"], first["shares"], first["views"]) == (11, 2, 4, 1938)


def test_new_export_reads_post_link_reposts_and_day_dates(analytics):
    posts = analytics.data.posts[analytics.data.posts["handle"] == "hospnorte"]
    assert posts["post_id"].tolist() == ["1856000000000000001", "1856000000000000002"]
    first = posts.iloc[0]
    assert first["published_at"] == pd.Timestamp("2026-10-13 06:00", tz="UTC")  # local day
    assert (first["shares"], first["comments"], first["views"]) == (7, 5, 1234)
    assert first["input: Shares"] == "2"  # X's own "Shares" kept beside the reposts
    assert posts.iloc[1]["text"] == "@vecina Gracias: ya está resuelto"  # replies stay


def test_each_account_is_a_profile(analytics):
    assert sorted(analytics.data.profiles["handle"]) == ["aytovillaverde", "hospnorte"]
    assert analytics.problems.counts()["by_severity"]["error"] == 0


@pytest.mark.skipif(not REAL.is_dir(), reason="the real X analytics exports are not beside "
                                              "the repository")
def test_real_x_analytics_exports_audit_alone(tmp_path, capsys):
    files = sorted(REAL.glob("tweet_activity_metrics_*.csv"))
    status = main(["run", str(REAL), "--out", str(tmp_path)])
    assert status == 0, capsys.readouterr()
    expected = sum(len(pd.read_csv(f, dtype=str)) for f in files)
    profiles = pd.read_csv(tmp_path / "profiles.csv")
    assert profiles[["network", "handle_original"]].values.tolist() == [["x", "rOpenSci"]]
    result = run_audit(files)
    assert result.data.rows["posts"]["read"] == expected
    assert len(result.data.posts) == expected
    assert result.problems.counts()["by_severity"]["error"] == 0
