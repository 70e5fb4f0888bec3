"""Maturity level: the highest level whose score floor and gates hold, capped by knock-outs,
withheld when too little of the rubric could be evaluated, and the distance to the next one.

A level is a claim about how an institution works, so an average alone must not grant it:

    coverage < maturity.min_coverage       no level ("insufficient data"), whatever the score,
                                           unless a gate of level 2 already fails on what is
                                           known (no live profile): then level 1
    level N                                overall >= its min_score and every gate of levels
                                           2..N holds (gates are cumulative)
    knock-out                              a compliance breach (campaign content on an
                                           official account, patients' data) caps the level
    next level                             the points and the conditions still missing

Gate rules (the rubric names them in ``maturity.levels[].gates``; their parameters are
checked on load against ``rubric.GATES``):

    live_profiles_min        at least ``min`` profiles active or irregular
    live_profiles_share      at least ``min`` (0-1) of the profiles active or irregular
    no_abandoned_profiles    no profile abandoned
    no_inactive_profiles     no profile inactive or abandoned (beyond the rubric's days)
    dimension_evaluated      ``dimension`` evaluated
    dimension_min            ``dimension`` >= ``min``
    all_dimensions_evaluated every dimension evaluated
    every_dimension_min      every dimension >= ``min``

Knock-outs (``maturity.knockouts``): ``criterion``'s measured value above ``max`` caps the
level at ``cap``. A criterion that was not evaluated does not knock out: there is no evidence
of the breach (its dimension's coverage says so).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from audit.messages import LANGS, Message, msg
from audit.score.rubric import Rubric

__all__ = ["Level", "Standing", "gate", "level_of"]


@dataclass(frozen=True)
class Standing:
    """What the level of one institution depends on."""

    overall: float  # 0-100; NaN when nothing was evaluated
    coverage: float  # 0-1: share of the rubric's weight evaluated
    missing_inputs: tuple[str, ...]  # sheets that would evaluate the dimensions left out
    dimensions: pd.Series  # dimension -> score, NaN = not evaluated
    criteria: dict[str, float]  # criterion id -> measured value, NaN = not evaluated
    profiles: int
    live: int  # active or irregular
    abandoned: tuple[str, ...]  # profile names ("Facebook @ayto")
    beyond: tuple[str, ...]  # inactive or abandoned profile names


@dataclass(frozen=True)
class Level:
    """The level reached (None: insufficient data or no score), why not higher, and how far
    the next level is (None at the top level or without a level)."""

    level: int | None
    why_not: Message | None
    next_level: int | None = None
    next_points: float | None = None  # score points missing for the next level's floor
    next_conditions: int | None = None  # gates and knock-outs failing for the next level


def level_of(standing: Standing, rubric: Rubric, labels: dict[str, dict[str, str]]) -> Level:
    """The level of one institution under ``rubric``."""
    if np.isnan(standing.overall):
        return Level(None, None)
    level = _by_gates(standing, rubric, labels)
    maturity = rubric.maturity
    if standing.coverage >= maturity["min_coverage"] or (level.level == 1 and level.why_not):
        return level  # a gate of level 2 failed on what is known: more data cannot lift it
    return Level(None, msg("score.insufficient_data", coverage=standing.coverage,
                           min=maturity["min_coverage"],
                           inputs=_inputs(standing.missing_inputs)))


def _by_gates(standing: Standing, rubric: Rubric, labels: dict[str, dict[str, str]]) -> Level:
    """The level from the score floors, gates and knock-outs alone."""
    levels = rubric.levels
    knocked = _knockouts(standing, rubric, labels)
    reached, why, failing = None, None, []
    for spec in levels:
        failing = [r for r in (gate(g, standing, labels) for g in spec.get("gates") or []) if r]
        failing += [reason for cap, reason in knocked if cap < spec["level"]]
        if standing.overall < spec["min_score"] or failing:
            why = msg("score.level_not_reached", level=spec["level"], reasons=failing) \
                if failing else None
            break
        reached, failing = spec["level"], []
    else:
        return Level(reached, None)
    points = max(0.0, float(spec["min_score"]) - standing.overall)
    return Level(reached, why, spec["level"], points, len(failing))


def gate(rule: dict, s: Standing, labels: dict[str, dict[str, str]]) -> Message | None:
    """None when the gate holds, else the reason (a message in either language)."""

    def named(ids) -> dict[str, str]:
        return {lang: ", ".join(labels.get(i, {}).get(lang, i) for i in ids) for lang in LANGS}

    kind, dimension = rule["rule"], rule.get("dimension")
    dims = s.dimensions
    if kind == "live_profiles_min" and s.live < rule["min"]:
        return msg("score.gate_live_profiles_min", live=s.live, min=rule["min"])
    if kind == "live_profiles_share" and (not s.profiles or s.live / s.profiles < rule["min"]):
        return msg("score.gate_live_profiles_share", live=s.live, profiles=s.profiles,
                   min=rule["min"])
    if kind == "no_abandoned_profiles" and s.abandoned:
        return msg("score.gate_abandoned_profiles", profiles=", ".join(s.abandoned))
    if kind == "no_inactive_profiles" and s.beyond:
        return msg("score.gate_inactive_profiles", profiles=", ".join(s.beyond))
    if kind == "dimension_evaluated" and np.isnan(dims[dimension]):
        return msg("score.gate_dimension_not_evaluated", dimension=named([dimension]))
    if kind == "dimension_min" and not dims[dimension] >= rule["min"]:
        if np.isnan(dims[dimension]):
            return msg("score.gate_dimension_not_evaluated", dimension=named([dimension]))
        return msg("score.gate_dimension_below", dimension=named([dimension]), min=rule["min"])
    if kind == "all_dimensions_evaluated":
        missing = [d for d in labels if np.isnan(dims[d])]
        if missing:
            return msg("score.gate_dimensions_not_evaluated", dimensions=named(missing))
    if kind == "every_dimension_min":
        low = [d for d in labels if dims[d] < rule["min"]]
        if low:
            return msg("score.gate_dimensions_below", min=rule["min"], dimensions=named(low))
    return None


def _knockouts(s: Standing, rubric: Rubric,
               labels: dict[str, dict[str, str]]) -> list[tuple[int, Message]]:
    """(cap, reason) of each knock-out the institution breaches."""
    criteria = {c["id"]: c for _, c in rubric.criteria()}
    found = []
    for knockout in rubric.maturity.get("knockouts") or []:
        value = s.criteria.get(knockout["criterion"], np.nan)
        if not np.isnan(value) and value > knockout["max"]:
            label = criteria[knockout["criterion"]]["label"]
            found.append((knockout["cap"], msg("score.knockout", criterion=label, value=value,
                                               max=knockout["max"], cap=knockout["cap"])))
    return found


def _inputs(sheets: tuple[str, ...]) -> Message | str:
    """The sheets that would complete the audit, named in the reader's language."""
    return [msg(f"score.input_{sheet}") for sheet in sheets] if sheets else ""
