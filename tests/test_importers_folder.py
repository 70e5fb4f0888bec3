"""Exports as auditors have them: each layout alone and with a profiles file, a folder of
mixed files with one broken file, posts from several files (the cross-posting regression)
and a check that fails, which must show on the console summary as well as in problems.csv.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from audit import run_audit
from audit.cli import main
from audit.measure import checks

DATA = Path(__file__).resolve().parent / "data" / "importers"
# Each post layout: (file, network, handle, posts).
LAYOUTS = [
    ("Nov-02-2026_Nov-10-2026_1039829308656930.csv", "facebook", "aytovillaverde", 4),
    ("Nov-01-2026_Nov-30-2026_17841400000000000.csv", "instagram", "aytovillaverde", 3),
    ("2023-11-20-10-00-00-EST-Historical-Report-SanMarcos-2023-10-01--2023-11-20.csv",
     "facebook", "alcaldiasanmarcos", 2),
    ("2020-04-20-12-00-00-EDT-Historical-Report-GobValle-2020-04-01--2020-04-20.csv",
     "facebook", "gobvalle", 2),
    ("2021-03-10-09-00-00-CET-search-csv-export.csv", "instagram", "bibliotecanacional", 2),
    ("tweet_activity_metrics_AytoVillaverde_20261101_20261201_es.csv", "x", "aytovillaverde", 2),
    ("account_analytics_content_2026-10-01_2026-10-31.csv", "x", "hospnorte", 2),
    ("4cat-twitter-vacunacion.csv", "x", "saludpublicamx", 2),
    ("4cat-facebook-limanorte.csv", "facebook", "munilimanorte", 2),
    ("twarc2-aytonorte.csv", "x", "aytonorte", 2),
    ("api-v2-hospnorte.json", "x", "hospnortesalud", 2),
    ("tweets-bibliotecasur.jsonl", "x", "bibliotecasur", 2),
    ("Contenido 2026-01-01_2026-03-31 Canal Ayto Norte.zip", "youtube", "canalaytonorte", 2),
    ("tiktok-studio-content-2026-08.csv", "tiktok", "muni.norte", 2),
    ("facepager-villanorte.csv", "facebook", "104567890123456", 2),
    # the X item of a capture that also holds a TikTok and an Instagram post (counted below)
    ("zeeschuimer-alcaldiasur.ndjson", "x", "alcaldiasur", 1),
]
# Posts of a layout's file beyond those of its handle above: Zeeschuimer's TikTok and Instagram.
OTHER_ACCOUNTS_POSTS = 2
# Retweets across the layouts (4CAT, twarc2 CSV, API JSON, Zeeschuimer): listed, not read.
RETWEETS = 4


@pytest.mark.parametrize("name,network,handle,n", LAYOUTS, ids=[row[0][:30] for row in LAYOUTS])
def test_each_layout_loads_alone_and_with_a_profiles_file(name, network, handle, n, tmp_path,
                                                          capsys):
    status = main(["run", str(DATA / name), "--out", str(tmp_path / "alone")])
    assert status == 0, capsys.readouterr()
    profiles = pd.read_csv(tmp_path / "alone" / "profiles.csv", dtype={"handle": str})
    assert [network, handle] in profiles[["network", "handle"]].values.tolist()
    assert pd.read_csv(tmp_path / "alone" / "problems.csv").query("severity == 'error'").empty

    sheet = tmp_path / "perfiles.csv"
    sheet.write_text(f"institución;red;usuario;seguidores\nInstitución de prueba;{network};"
                     f"@{handle};\n", encoding="utf-8")
    result = run_audit([sheet, DATA / name])
    posts = result.data.posts[result.data.posts["handle"] == handle]
    assert len(posts) == n
    assert set(result.data.profiles["institution"]) == {"Institución de prueba"}  # sheet wins
    assert "profile_from_export" not in result.problems.frame("en")["code"].tolist()


def test_followers_from_an_export_fill_the_profiles_sheet(tmp_path):
    sheet = tmp_path / "perfiles.csv"
    sheet.write_text("institución;red;usuario;seguidores\nAlcaldía;Facebook;@AlcaldiaSanMarcos;\n"
                     "Hospital;Facebook;facebook.com/100069351265250;1.000\n", encoding="utf-8")
    result = run_audit([sheet, DATA / LAYOUTS[2][0]])
    followers = result.data.profiles.set_index("handle")["followers"].to_dict()
    assert followers == {"alcaldiasanmarcos": 12480, "100069351265250": 1000}  # sheet wins
    problems = result.problems.frame("en")
    assert problems.loc[problems["code"] == "followers_from_export", "row"].tolist() == [2]


@pytest.fixture(scope="module")
def folder_audit(tmp_path_factory):
    """A folder holding every layout, the daily series and one broken file."""
    root = tmp_path_factory.mktemp("exports")
    folder = root / "exportaciones"
    shutil.copytree(DATA, folder)
    (folder / "roto.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    (folder / "notas.pdf").write_bytes(b"%PDF-1.4")
    out = root / "out"
    status = main(["run", str(folder), "--out", str(out)])
    return status, out


def test_a_mixed_folder_audits_with_the_broken_files_in_problems(folder_audit):
    status, out = folder_audit
    assert status == 0
    problems = pd.read_csv(out / "problems.csv")
    broken = problems[problems["file"].isin(["exportaciones/roto.xlsx",
                                              "exportaciones/notas.pdf"])]
    assert sorted(broken["code"]) == ["file_unreadable", "file_unsupported"]
    posts_read = pd.read_json(out / "audit.json", typ="series")["rows"]["posts"]["read"]
    # every post of every layout, the second page of the CrowdTangle file and the four
    # posts of the day/month copy (then excluded as duplicates); the retweet is listed apart
    assert posts_read == sum(n for *_, n in LAYOUTS) + 1 + 4 + OTHER_ACCOUNTS_POSTS
    assert problems["code"].tolist().count("duplicate_post") == 4
    assert problems["code"].tolist().count("retweet_excluded") == RETWEETS
    assert set(problems.loc[problems["severity"] == "error", "code"]) == {
        "file_unreadable", "file_unsupported", "duplicate_post"}
    # the two reports of one page are one profile each way (the copy adds no account)
    profiles = pd.read_csv(out / "profiles.csv")
    assert not profiles.duplicated(["network", "handle"]).any()


def test_a_folder_with_nothing_usable_exits_2(tmp_path, capsys):
    folder = tmp_path / "vacia"
    folder.mkdir()
    (folder / "roto.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    assert main(["run", str(folder), "--out", str(tmp_path / "out")]) == 2
    assert "roto.xlsx" in capsys.readouterr().err


def _two_posts_files(folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    text = "Corte de agua el jueves en todo el barrio norte de la ciudad"
    files = {
        "perfiles.csv": "institution,network,handle\nAyto,facebook,@ayto\nAyto,x,@ayto\n",
        "posts_facebook.csv": f"network,handle,published_at,text\nfacebook,@ayto,2026-10-01 "
                              f"10:00,{text}\nfacebook,@ayto,2026-10-02 10:00,Solo en Facebook "
                              f"hoy: una publicación distinta y larga\n",
        "posts_x.csv": f"network,handle,published_at,text\nx,@ayto,2026-10-01 10:05,{text}\n",
    }
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return [folder / name for name in files]


def test_cross_posting_over_posts_from_two_files(tmp_path):
    result = run_audit(_two_posts_files(tmp_path / "in"))
    assert not result.check_errors
    scores = result.scorecard.scores.set_index("criterion")
    assert scores.loc["cross_posting", "status"] == "ok"
    assert scores.loc["cross_posting", "value"] == pytest.approx(2 / 3)


def test_a_failing_check_is_on_the_console_summary(tmp_path, monkeypatch, capsys):
    def boom(*_args, **_kwargs):
        raise RuntimeError("made to fail")

    checks._load_checks()
    monkeypatch.setitem(checks.CHECKS, "cross_posting_share", boom)
    _two_posts_files(tmp_path / "in")
    status = main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--lang", "en"])
    out = capsys.readouterr().out
    assert status == 1
    assert "  - cross_posting: " in out and "RuntimeError: made to fail" in out
    problems = pd.read_csv(tmp_path / "out" / "problems.csv")
    assert problems["code"].tolist().count("check_failed") == 1
