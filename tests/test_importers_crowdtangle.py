"""CrowdTangle Facebook (2021+ and 2020 layouts) and Instagram exports.

Fixtures follow the published headers: the weighted-interactions header with its em dash,
zone abbreviations that flip EDT/EST inside one file, quoted thousands ("1,972,048"), a
page without a username (numeric URLs), Instagram with a BOM and captions in Title and
Description.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from audit import run_audit

DATA = Path(__file__).resolve().parent / "data" / "importers"
FACEBOOK = DATA / "2023-11-20-10-00-00-EST-Historical-Report-SanMarcos-2023-10-01--2023-11-20.csv"
FACEBOOK_2020 = DATA / ("2020-04-20-12-00-00-EDT-Historical-Report-GobValle-"
                        "2020-04-01--2020-04-20.csv")
INSTAGRAM = DATA / "2021-03-10-09-00-00-CET-search-csv-export.csv"


@pytest.fixture(scope="module")
def crowdtangle():
    return run_audit([FACEBOOK, FACEBOOK_2020, INSTAGRAM], assume_tz="America/Bogota")


def _posts(result, handle: str) -> pd.DataFrame:
    return result.data.posts[result.data.posts["handle"] == handle].reset_index(drop=True)


def test_facebook_posts_keep_handle_not_page_name_zones_and_all_reactions(crowdtangle):
    posts = _posts(crowdtangle, "alcaldiasanmarcos")
    assert len(posts) == 2 and set(posts["network"]) == {"facebook"}
    # EDT then EST in the same file: the zone written wins over --timezone
    assert list(posts["published_at"]) == [pd.Timestamp("2023-10-27 19:00:03", tz="UTC"),
                                           pd.Timestamp("2023-11-13 09:30:36", tz="UTC")]
    assert posts.loc[0, "likes"] == 900 + 100 + 20 + 5 + 10 + 10 + 5
    assert posts.loc[0, "input: Love"] == "100"  # the split is kept in the export's columns
    assert (posts.loc[0, "comments"], posts.loc[0, "shares"]) == (120, 80)
    assert posts.loc[1, "text"] == "Consulte el calendario de recogida\nde residuos"
    assert list(posts["format"]) == ["photo", "link"]


def test_a_page_without_username_is_named_by_its_url(crowdtangle):
    posts = _posts(crowdtangle, "100069351265250")
    assert posts["text"].tolist() == ["Horario de visitas ampliado"]
    profiles = crowdtangle.data.profiles.set_index("handle")
    assert profiles.loc["100069351265250", "institution"] == "Hospital del Sur"


def test_the_2020_layout_created_column_and_quoted_thousands(crowdtangle):
    posts = _posts(crowdtangle, "gobvalle")
    assert len(posts) == 2
    assert posts.loc[0, "published_at"] == pd.Timestamp("2020-04-16 13:48:29", tz="UTC")
    assert posts.loc[0, "likes"] == 1264351 + 491805 + 3971 + 1948 + 127107 + 251 + 48199
    assert posts.loc[1, "format"] == "video" and posts.loc[1, "views"] == 12000


def test_instagram_posts_with_captions_and_cet(crowdtangle):
    posts = _posts(crowdtangle, "bibliotecanacional")
    assert set(posts["network"]) == {"instagram"}
    assert list(posts["published_at"]) == [pd.Timestamp("2021-03-02 09:00", tz="UTC"),
                                           pd.Timestamp("2021-03-05 16:30", tz="UTC")]
    assert posts.loc[0, "likes"] == 1204
    assert posts.loc[1, "text"] == "Visita guiada\n\nRecorrido por el archivo histórico"
    assert posts.loc[1, "views"] == 9500


def test_followers_at_posting_of_the_latest_post_become_profile_followers(crowdtangle):
    followers = crowdtangle.data.profiles.set_index("handle")["followers"]
    assert followers.to_dict() == {"alcaldiasanmarcos": 12480, "100069351265250": 950,
                                   "gobvalle": 461010, "bibliotecanacional": 45410}
    assert crowdtangle.problems.counts()["by_severity"]["error"] == 0
