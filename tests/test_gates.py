"""Maturity gates: each of the five rules holds or fails on hand-written dimension scores, and
a failed gate stops the level at the one below, saying why in both languages."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from audit import load_rubric
from audit.score.rubric import GATES, rubric_from_data
from audit.score.scorecard import _gate, _level

LABELS = {"activity": {"es": "Actividad", "en": "Activity"},
          "tone": {"es": "Tono", "en": "Tone"},
          "governance": {"es": "Gobernanza", "en": "Governance"}}
GOOD = pd.Series({"activity": 80.0, "tone": 70.0, "governance": 60.0})
NAN = float("nan")


def _dims(**scores: float) -> pd.Series:
    return pd.Series({**GOOD.to_dict(), **scores})


def test_the_five_rules_are_the_ones_tested_here():
    assert GATES == ("no_abandoned_profiles", "dimension_evaluated", "dimension_min",
                     "all_dimensions_evaluated", "every_dimension_min")


# --- each rule, holding and failing ---------------------------------------------------------

@pytest.mark.parametrize("gate,dims,abandoned,reason", [
    ({"rule": "no_abandoned_profiles"}, GOOD, [], None),
    ({"rule": "no_abandoned_profiles"}, GOOD, ["Facebook @a", "X @a"],
     ("perfiles abandonados (Facebook @a, X @a)", "abandoned profiles (Facebook @a, X @a)")),
    ({"rule": "dimension_evaluated", "dimension": "governance"}, GOOD, [], None),
    ({"rule": "dimension_evaluated", "dimension": "governance"}, _dims(governance=NAN), [],
     ("Gobernanza sin evaluar", "Governance not evaluated")),
    ({"rule": "dimension_min", "dimension": "governance", "min": 60}, GOOD, [], None),
    ({"rule": "dimension_min", "dimension": "governance", "min": 60}, _dims(governance=59.9),
     [], ("Gobernanza por debajo de 60", "Governance below 60")),
    ({"rule": "all_dimensions_evaluated"}, GOOD, [], None),
    ({"rule": "all_dimensions_evaluated"}, _dims(activity=NAN, governance=NAN), [],
     ("dimensiones sin evaluar: Actividad, Gobernanza",
      "dimensions not evaluated: Activity, Governance")),
    ({"rule": "every_dimension_min", "min": 60}, GOOD, [], None),
    ({"rule": "every_dimension_min", "min": 75}, GOOD, [],
     ("dimensiones por debajo de 75: Tono, Gobernanza",
      "dimensions below 75: Tone, Governance")),
])
def test_gate_holds_or_fails_with_its_reason(gate, dims, abandoned, reason):
    said = _gate(gate, dims, abandoned, LABELS)
    assert (said if said is None else (said.render("es"), said.render("en"))) == reason


def test_a_rule_only_looks_at_what_it_names():
    low_tone = _dims(tone=10.0)
    assert _gate({"rule": "dimension_min", "dimension": "governance", "min": 50}, low_tone, [],
                 LABELS) is None
    assert _gate({"rule": "dimension_evaluated", "dimension": "governance"},
                 _dims(tone=NAN), [], LABELS) is None
    assert _gate({"rule": "no_abandoned_profiles"}, _dims(activity=NAN), [], LABELS) is None


def test_the_minimum_itself_passes():
    assert _gate({"rule": "dimension_min", "dimension": "tone", "min": 70}, GOOD, [],
                 LABELS) is None
    assert _gate({"rule": "every_dimension_min", "min": 60}, GOOD, [], LABELS) is None


# --- gates inside the levels -----------------------------------------------------------------

LEVELS = [
    {"level": 1, "min_score": 0, "label": {"es": "Uno", "en": "One"}},
    {"level": 2, "min_score": 30, "label": {"es": "Dos", "en": "Two"},
     "gates": [{"rule": "dimension_evaluated", "dimension": "governance"}]},
    {"level": 3, "min_score": 50, "label": {"es": "Tres", "en": "Three"},
     "gates": [{"rule": "no_abandoned_profiles"},
               {"rule": "dimension_min", "dimension": "governance", "min": 50}]},
    {"level": 4, "min_score": 65, "label": {"es": "Cuatro", "en": "Four"},
     "gates": [{"rule": "all_dimensions_evaluated"}]},
    {"level": 5, "min_score": 80, "label": {"es": "Cinco", "en": "Five"},
     "gates": [{"rule": "every_dimension_min", "min": 75}]},
]


@pytest.fixture(scope="module")
def rubric():
    data = copy.deepcopy(load_rubric().data)
    data["maturity"]["levels"] = LEVELS
    return rubric_from_data(data)


@pytest.mark.parametrize("overall,dims,abandoned,level,es,en", [
    # Every gate holds: the score floor alone decides.
    (90.0, _dims(activity=90.0, tone=90.0, governance=90.0), [], 5, "", ""),
    (70.0, GOOD, [], 4, "", ""),
    (29.9, _dims(governance=NAN), [], 1, "", ""),  # level 2's gate is never reached
    (10.0, GOOD, ["X @a"], 1, "", ""),
    # Level 5: two dimensions under 75.
    (85.0, GOOD, [], 4, "Nivel 5 no alcanzado: dimensiones por debajo de 75: Tono, Gobernanza",
     "Level 5 not reached: dimensions below 75: Tone, Governance"),
    # Level 4: tone not evaluated.
    (85.0, _dims(tone=NAN), [], 3, "Nivel 4 no alcanzado: dimensiones sin evaluar: Tono",
     "Level 4 not reached: dimensions not evaluated: Tone"),
    # Level 3: both of its gates fail, both reasons are given.
    (85.0, _dims(governance=40.0), ["Facebook @a"], 2,
     "Nivel 3 no alcanzado: perfiles abandonados (Facebook @a); Gobernanza por debajo de 50",
     "Level 3 not reached: abandoned profiles (Facebook @a); Governance below 50"),
    # Level 2: governance not evaluated stops the climb at level 1, whatever the score.
    (95.0, _dims(governance=NAN), [], 1, "Nivel 2 no alcanzado: Gobernanza sin evaluar",
     "Level 2 not reached: Governance not evaluated"),
])
def test_level_is_the_highest_whose_floor_and_gates_hold(rubric, overall, dims, abandoned,
                                                          level, es, en):
    assert _level(overall, dims, rubric, abandoned, LABELS) == (level, es, en)


def test_no_overall_score_no_level(rubric):
    assert _level(np.nan, GOOD, rubric, [], LABELS) == (None, "", "")
