"""Maturity levels: each gate rule holds or fails on a hand-written standing, knock-outs cap
the level, too little coverage withholds it, and the distance to the next level is counted.
Every expected number and text is written out here."""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from audit import load_rubric
from audit.score.levels import Standing, gate, level_of
from audit.score.rubric import GATES, RubricError, rubric_from_data

LABELS = {"activity": {"es": "Actividad", "en": "Activity"},
          "tone": {"es": "Tono", "en": "Tone"},
          "governance": {"es": "Gobernanza", "en": "Governance"}}
NAN = float("nan")
GOOD = Standing(overall=70.0, coverage=1.0, missing_inputs=(),
                dimensions=pd.Series({"activity": 80.0, "tone": 70.0, "governance": 60.0}),
                criteria={"political_content": 0.02}, profiles=4, live=3, abandoned=(),
                beyond=("X @a",))


def _with(**changes) -> Standing:
    dims = changes.pop("dims", {})
    return replace(GOOD, dimensions=pd.Series({**GOOD.dimensions.to_dict(), **dims}),
                   **changes)


def _said(message) -> tuple[str, str] | None:
    return None if message is None else (message.render("es"), message.render("en"))


def test_the_rules_are_the_ones_tested_here():
    assert set(GATES) == {"live_profiles_min", "live_profiles_share", "no_abandoned_profiles",
                          "no_inactive_profiles", "dimension_evaluated", "dimension_min",
                          "all_dimensions_evaluated", "every_dimension_min"}


# --- each rule, holding and failing ---------------------------------------------------------

@pytest.mark.parametrize("rule,standing,reason", [
    ({"rule": "live_profiles_min", "min": 1}, GOOD, None),
    ({"rule": "live_profiles_min", "min": 1}, _with(live=0),
     ("0 perfiles activos (se requieren al menos 1)", "0 live profiles (at least 1 required)")),
    ({"rule": "live_profiles_share", "min": 0.5}, GOOD, None),  # 3 of 4
    ({"rule": "live_profiles_share", "min": 0.5}, _with(live=1, profiles=3),
     ("1 de 3 perfiles activos (se requiere al menos el 50 %)",
      "1 of 3 profiles live (at least 50% required)")),
    ({"rule": "live_profiles_share", "min": 0.5}, _with(live=0, profiles=0),
     ("0 de 0 perfiles activos (se requiere al menos el 50 %)",
      "0 of 0 profiles live (at least 50% required)")),
    ({"rule": "no_abandoned_profiles"}, GOOD, None),
    ({"rule": "no_abandoned_profiles"}, _with(abandoned=("Facebook @a", "X @a")),
     ("perfiles abandonados (Facebook @a, X @a)", "abandoned profiles (Facebook @a, X @a)")),
    ({"rule": "no_inactive_profiles"}, _with(beyond=()), None),
    ({"rule": "no_inactive_profiles"}, GOOD,
     ("perfiles inactivos o abandonados (X @a)", "inactive or abandoned profiles (X @a)")),
    ({"rule": "dimension_evaluated", "dimension": "governance"}, GOOD, None),
    ({"rule": "dimension_evaluated", "dimension": "governance"}, _with(dims={"governance": NAN}),
     ("Gobernanza sin evaluar", "Governance not evaluated")),
    ({"rule": "dimension_min", "dimension": "governance", "min": 60}, GOOD, None),
    ({"rule": "dimension_min", "dimension": "governance", "min": 60},
     _with(dims={"governance": 59.9}),
     ("Gobernanza por debajo de 60", "Governance below 60")),
    # a floor on a dimension not evaluated fails, and says why
    ({"rule": "dimension_min", "dimension": "governance", "min": 60},
     _with(dims={"governance": NAN}), ("Gobernanza sin evaluar", "Governance not evaluated")),
    ({"rule": "all_dimensions_evaluated"}, GOOD, None),
    ({"rule": "all_dimensions_evaluated"}, _with(dims={"activity": NAN, "governance": NAN}),
     ("dimensiones sin evaluar: Actividad, Gobernanza",
      "dimensions not evaluated: Activity, Governance")),
    ({"rule": "every_dimension_min", "min": 60}, GOOD, None),
    ({"rule": "every_dimension_min", "min": 75}, GOOD,
     ("dimensiones por debajo de 75: Tono, Gobernanza",
      "dimensions below 75: Tone, Governance")),
])
def test_gate_holds_or_fails_with_its_reason(rule, standing, reason):
    assert _said(gate(rule, standing, LABELS)) == reason


def test_a_rule_only_looks_at_what_it_names():
    low_tone = _with(dims={"tone": 10.0})
    assert gate({"rule": "dimension_min", "dimension": "governance", "min": 50}, low_tone,
                LABELS) is None
    assert gate({"rule": "no_abandoned_profiles"}, _with(dims={"activity": NAN}),
                LABELS) is None
    assert gate({"rule": "dimension_min", "dimension": "tone", "min": 70}, GOOD,
                LABELS) is None  # the minimum itself passes


# --- levels, knock-outs, coverage and the next level ----------------------------------------

LEVELS = [
    {"level": 1, "min_score": 0, "label": {"es": "Uno", "en": "One"}},
    {"level": 2, "min_score": 30, "label": {"es": "Dos", "en": "Two"},
     "gates": [{"rule": "live_profiles_min", "min": 1}]},
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
    data["maturity"] = {"levels": LEVELS, "min_coverage": 0.7,
                        "knockouts": [{"criterion": "political_content", "max": 0.1, "cap": 2}]}
    return rubric_from_data(data)


@pytest.mark.parametrize("standing,level,es,next_level,points,conditions", [
    # The floor decides; the next level's failing gates are said even when points are
    # missing too, so the distance is whole.
    (_with(overall=70.0), 4, "Nivel 5 no alcanzado: dimensiones por debajo de 75: Tono, "
                             "Gobernanza", 5, 10.0, 1),
    (_with(overall=90.0, dims={"activity": 90.0, "tone": 90.0, "governance": 90.0}), 5, "",
     None, None, None),
    (_with(overall=29.9, live=0), 1, "Nivel 2 no alcanzado: 0 perfiles activos (se "
                                     "requieren al menos 1)", 2, 0.1, 1),
    (_with(overall=29.9), 1, "", 2, 0.1, 0),
    # Level 5: two dimensions under 75.
    (_with(overall=85.0), 4, "Nivel 5 no alcanzado: dimensiones por debajo de 75: Tono, "
                             "Gobernanza", 5, 0.0, 1),
    # Level 3: both of its gates fail, both reasons are given and counted.
    (_with(overall=85.0, dims={"governance": 40.0}, abandoned=("Facebook @a",)), 2,
     "Nivel 3 no alcanzado: perfiles abandonados (Facebook @a); Gobernanza por debajo de 50",
     3, 0.0, 2),
    # Level 2: no live profile stops the climb at level 1, whatever the score.
    (_with(overall=95.0, live=0), 1, "Nivel 2 no alcanzado: 0 perfiles activos (se requieren "
                                     "al menos 1)", 2, 0.0, 1),
    # A knock-out caps at 2 whatever the average, and counts as a condition of level 3.
    (_with(overall=95.0, dims={"activity": 95.0, "tone": 95.0, "governance": 95.0},
           criteria={"political_content": 0.46}), 2,
     "Nivel 3 no alcanzado: Contenido político: 46 %, por encima del máximo de 10 % (limita "
     "el nivel a 2)", 3, 0.0, 1),
    # A knock-out criterion not evaluated is no evidence of a breach.
    (_with(overall=70.0, criteria={"political_content": NAN},
           dims={"tone": 80.0, "governance": 80.0}), 4, "", 5, 10.0, 0),
])
def test_level_is_the_highest_whose_floor_and_gates_hold(rubric, standing, level, es,
                                                          next_level, points, conditions):
    got = level_of(standing, rubric, LABELS)
    assert got.level == level
    assert (got.why_not.render("es") if got.why_not else "") == es
    assert (got.next_level, got.next_points, got.next_conditions) == (
        next_level, pytest.approx(points) if points is not None else None, conditions)


def test_too_little_coverage_gives_no_level_and_says_what_would_complete_it(rubric):
    got = level_of(_with(overall=99.0, coverage=0.606,
                         missing_inputs=("interactions", "governance")), rubric, LABELS)
    assert got.level is None
    assert got.why_not.render("en") == (
        "Insufficient data: 60.6% of the rubric was evaluated (minimum 70%). It would be "
        "completed by: the interactions sheet (citizens' messages and their replies); the "
        "governance questionnaire.")
    assert level_of(_with(coverage=0.7), rubric, LABELS).level == 4  # the minimum itself


def test_no_overall_score_no_level(rubric):
    assert level_of(_with(overall=NAN), rubric, LABELS).level is None


@pytest.mark.parametrize("change,mistake", [
    (lambda m: m.update(min_coverage=1.5), "'maturity.min_coverage': expected the share"),
    (lambda m: m["levels"][1]["gates"].append({"rule": "live_profiles_min", "min": 0}),
     "maturity.levels[1].gates[1].min: expected a whole number from 1"),
    (lambda m: m["levels"][2]["gates"].append({"rule": "dimension_min", "dimension": "tone",
                                               "minimum": 50}),
     "maturity.levels[2].gates[2].minimum: unknown parameter of dimension_min; accepted: "
     "dimension, min"),
    (lambda m: m["levels"][3]["gates"].append({"rule": "most_profiles"}),
     "maturity.levels[3].gates[1]: expected a 'rule' among"),
    (lambda m: m["knockouts"].append({"criterion": "nonexistent", "max": 0, "cap": 1}),
     "maturity.knockouts[1]: expected 'criterion'"),
])
def test_a_mistaken_maturity_block_is_refused_with_its_path(rubric, change, mistake):
    data = copy.deepcopy(rubric.data)
    change(data["maturity"])
    with pytest.raises(RubricError, match=mistake.replace("[", r"\[").replace("]", r"\]")
                       .replace("(", r"\(").replace(")", r"\)")):
        rubric_from_data(data)


def test_shipped_rubrics_have_the_public_sector_gates():
    gobierno = load_rubric()
    rules = {spec["level"]: [g["rule"] for g in spec.get("gates") or []]
             for spec in gobierno.levels}
    assert rules[2] == ["live_profiles_min"]
    assert "live_profiles_share" in rules[3] and "dimension_evaluated" in rules[3]
    floors = {g["dimension"]: g["min"] for spec in gobierno.levels if spec["level"] == 4
              for g in spec["gates"] if g["rule"] == "dimension_min"}
    assert floors == {"responsiveness": 50, "transparency": 50, "tone": 50, "governance": 50}
    assert "no_inactive_profiles" in rules[5]
    salud = {k["criterion"]: k["cap"] for k in load_rubric("salud").maturity["knockouts"]}
    assert salud == {"political_content": 2, "patient_privacy": 1}
    assert np.isclose(gobierno.maturity["min_coverage"], 0.7)


@pytest.mark.parametrize("points,conditions,es,en", [
    (0.0, 2, "Nivel 4: faltan 2 condiciones", "Level 4: 2 conditions away"),
    (2.2, 1, "Nivel 4: faltan 2,2 puntos y 1 condición",
     "Level 4: 2.2 points and 1 condition away"),
    (4.5, 0, "Nivel 4: faltan 4,5 puntos", "Level 4: 4.5 points away"),
    (0.0, 1, "Nivel 4: falta 1 condición", "Level 4: 1 condition away"),
])
def test_the_distance_to_the_next_level_names_only_what_is_missing(points, conditions, es, en):
    from audit.score.levels import Level
    from audit.score.scorecard import _distance

    said = _distance(Level(3, None, 4, points, conditions))
    assert (said.render("es"), said.render("en")) == (es, en)


def test_too_little_coverage_still_gives_level_1_when_level_2_fails_on_what_is_known(rubric):
    got = level_of(_with(overall=20.0, coverage=0.5, live=0), rubric, LABELS)
    assert got.level == 1
    assert got.why_not.render("en") == ("Level 2 not reached: 0 live profiles (at least 1 "
                                        "required)")
    # the floor alone is no such fact: the missing dimensions lowered the score
    assert level_of(_with(overall=20.0, coverage=0.5), rubric, LABELS).level is None
