"""Features: each institution's sector, country and region, from its profiles."""

from __future__ import annotations

import pandas as pd
from factories import features

HEADER = ["institution", "network", "handle", "sector", "country", "region"]


def test_institution_attributes_are_the_most_frequent_among_its_profiles():
    f = features([HEADER,
                  ["A", "facebook", "a1", "salud", "Perú", None],
                  ["A", "x", "a2", "biblioteca", "Perú", None],
                  ["A", "instagram", "a3", "biblioteca", "Chile", None],
                  ["B", "facebook", "b1", "salud", "Chile", "Norte"],
                  ["B", "x", "b2", "gobierno local", "Perú", "Sur"]])
    institutions = f.institutions
    assert institutions.index.tolist() == ["A", "B"]
    assert institutions.loc["A", "sector"] == "library"  # two profiles of three
    assert institutions.loc["A", "country"] == "Perú"
    # On a tie, the value its profiles name first; none given: missing, not invented.
    assert institutions.loc["B", "sector"] == "health"
    assert institutions.loc["B", "country"] == "Chile"
    assert institutions.loc["B", "region"] == "Norte"
    assert pd.isna(institutions.loc["A", "region"])
    assert institutions["profiles"].tolist() == [3, 2]
