"""YouTube Studio's zip: only "Table data" is posts, the channel from the zip's name."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from audit import run_audit
from audit.cli import main

DATA = Path(__file__).resolve().parent / "data" / "importers"
ZIP = DATA / "Contenido 2026-01-01_2026-03-31 Canal Ayto Norte.zip"


@pytest.fixture(scope="module")
def studio():
    return run_audit([ZIP], assume_tz="America/Bogota")


def test_videos_from_table_data_with_the_total_row_skipped(studio):
    posts = studio.data.posts
    assert posts["post_id"].tolist() == ["-aB3dE5fG7h", "Xy9Zw8Vu7Ts"]
    assert set(posts["network"]) == {"youtube"} and set(posts["handle"]) == {"canalaytonorte"}
    assert posts["url"].tolist() == ["https://www.youtube.com/watch?v=-aB3dE5fG7h",
                                     "https://www.youtube.com/watch?v=Xy9Zw8Vu7Ts"]
    assert posts.iloc[0]["text"] == "Presupuestos participativos 2026, explicados"
    # a day only, read in the audit's zone
    assert posts.iloc[1]["published_at"] == pd.Timestamp("2026-03-03", tz="America/Bogota")
    assert posts.iloc[0][["likes", "comments", "shares", "views"]].tolist() == \
        [820, 61, 30, 21400]
    problems = studio.problems.frame("en")
    assert problems.loc[problems["code"] == "total_row_skipped", "row"].tolist() == [2]


def test_chart_and_totals_are_said_not_used(studio):
    problems = studio.problems.frame("en").set_index("code")
    assert problems.loc["youtube_chart_not_used", "file"].endswith("!/Chart data.csv")
    assert problems.loc["youtube_totals_not_used", "file"].endswith("!/Totals.csv")
    assert problems.loc["youtube_channel_from_name", "severity"] == "info"


def test_the_channel_names_the_profile(studio):
    profile = studio.data.profiles.iloc[0]
    assert (profile["institution"], profile["handle"]) == ("Canal Ayto Norte", "canalaytonorte")


def test_an_unpacked_folder_keeps_the_channel(tmp_path):
    folder = tmp_path / ZIP.stem
    folder.mkdir()
    with zipfile.ZipFile(ZIP) as archive:
        archive.extractall(folder)
    status = main(["run", str(folder), "--out", str(tmp_path / "out")])
    assert status == 0
    # an upload names the file by its folder too
    result = run_audit([(f"{ZIP.stem}/Table data.csv", (folder / "Table data.csv").read_bytes())])
    assert set(result.data.posts["handle"]) == {"canalaytonorte"}


def test_table_data_alone_asks_for_the_channel(tmp_path, capsys):
    with zipfile.ZipFile(ZIP) as archive:
        table = archive.read("Table data.csv")
    (tmp_path / "Table data.csv").write_bytes(table)
    assert main(["run", str(tmp_path / "Table data.csv"), "--out", str(tmp_path / "out")]) == 2
    assert "canal" in capsys.readouterr().err.lower()


def test_a_renamed_zip_with_a_handle_is_read_as_that_handle(tmp_path):
    renamed = tmp_path / "Content 2026-01-01_2026-03-31 @aytonorte.zip"
    renamed.write_bytes(ZIP.read_bytes())
    result = run_audit([renamed])
    assert set(result.data.posts["handle"]) == {"aytonorte"}
    assert "youtube_channel_from_name" not in result.problems.frame("en")["code"].tolist()

