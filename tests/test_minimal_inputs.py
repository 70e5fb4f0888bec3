"""The smallest valid inputs audit without an internal error: a profile with no date and no
posts (no dimension evaluable), a profiles sheet without a sector column, and the tool's own
profiles.csv read back (unknown columns named like columns the audit derives)."""

from __future__ import annotations

import pandas as pd
import pytest

from audit.cli import main

NO_DATES = ("institución,red,usuario,sector,última_publicación\n"
            "Ayto Norte,Facebook,@norte,Gobierno local,2026-10-01\n"
            "Ayto Sur,Facebook,@sur,Gobierno local,\n")
NO_SECTOR = ("institución,red,usuario,última_publicación\n"
             "Ayto Norte,Facebook,@norte,2026-10-01\n"
             "Ayto Sur,Facebook,@sur,2026-09-01\n"
             "Ayto Este,X,@este,2026-10-20\n")
# As profiles.csv writes them: handle_original and status are not input columns, but the
# audit derives columns of those names.
OWN_OUTPUT = ("institution,network,handle,handle_original,last_post_at,status\n"
              "Ayto Norte,facebook,norte,https://www.facebook.com/Norte/,2026-10-01,active\n"
              "Ayto Sur,x,sur,@Sur,2026-09-01,irregular\n")


@pytest.mark.parametrize("sheet", [NO_DATES, NO_SECTOR, OWN_OUTPUT],
                         ids=["no_dates", "no_sector", "own_output"])
def test_a_minimal_profiles_sheet_is_audited(sheet, tmp_path, capsys):
    source = tmp_path / "perfiles.csv"
    source.write_text(sheet, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(source), "--out", str(out)]) == 0
    assert "Error interno" not in capsys.readouterr().err
    institutions = pd.read_csv(out / "institutions.csv")
    assert len(institutions) == sheet.count("\n") - 1
    assert (out / "audit.json").exists() and (out / "metrics_tidy.csv").exists()


def test_an_institution_with_nothing_evaluable_has_no_score_and_says_what_is_missing(
        tmp_path):
    source = tmp_path / "perfiles.csv"
    source.write_text(NO_DATES, encoding="utf-8")
    assert main(["run", str(source), "--out", str(tmp_path / "out")]) == 0
    row = pd.read_csv(tmp_path / "out" / "institutions.csv").set_index("institution")
    assert pd.isna(row.loc["Ayto Sur", "overall_score"])
    assert row.loc["Ayto Sur", "coverage"] == 0.0
    assert "posts" in row.loc["Ayto Sur", "missing_inputs"].split(";")
