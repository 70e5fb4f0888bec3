"""Score an audit: every criterion of the rubric, then dimensions, overall score and level.

    Features ──check (measure)──▶ value + evidence per institution and criterion
             ──rubric scoring──▶ criterion score 0-100 (empty = not evaluated)
             ──weighted mean of evaluated criteria──▶ dimension score
             ──weighted mean of evaluated dimensions──▶ overall score
             ──levels and gates──▶ maturity level 1-5

Each criterion row has a status: ``ok`` (measured), ``not_evaluated`` (the data it needs are
absent: the row stays, shows empty, and its weight goes to the evaluated ones, as in
Lighthouse categories) or ``error`` (the check raised: a bug, not a property of the data).
An error is never passed off as missing data: the scorecard lists it in ``errors``, the
pipeline logs a ``check_failed`` problem, and the command line exits with status 1.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from audit.measure.checks import Measure, measure
from audit.measure.checks.formats import profile_name
from audit.measure.features import Features
from audit.messages import LANGS, Message, msg
from audit.score.curves import score_values
from audit.score.rubric import DIMENSIONS, Rubric

__all__ = ["STATUSES", "CheckError", "Scorecard", "score_audit"]


STATUSES = ("ok", "not_evaluated", "error")


@dataclass(frozen=True)
class CheckError:
    """A check that raised: which criterion, and the exception as one line."""

    dimension: str
    criterion: str
    metric: str
    error: str  # "TypeName: message"
    trace: str = field(default="", repr=False, compare=False)  # the traceback, for the log


@dataclass
class Scorecard:
    scores: pd.DataFrame  # long: institution, dimension, criterion, value, score, status, ...
    dimensions: pd.DataFrame  # institution x dimension, 0-100
    institutions: pd.DataFrame  # one row per institution: overall, level, labels, dimensions
    details: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)
    # Measures by (metric, params), so a re-score with new weights or curves skips the checks.
    measures: dict[str, Measure] = field(default_factory=dict, repr=False)
    errors: list[CheckError] = field(default_factory=list)


def score_audit(f: Features, rubric: Rubric, reuse: Scorecard | None = None) -> Scorecard:
    """Run every criterion of ``rubric`` on ``f`` and aggregate. Measures found in ``reuse``
    (a scorecard of the same features) for the same metric and params are not taken again."""
    rows, details, measures, errors = [], {}, {}, []
    known = reuse.measures if reuse is not None else {}
    for dimension, criterion in rubric.criteria():
        params = rubric.params(criterion)
        key = json.dumps([criterion["metric"], params], sort_keys=True, default=str)
        result = known.get(key) or measures.get(key)
        failed = None
        if result is None:
            result, failed = _measure(f, criterion["metric"], params)
            if failed is None:
                measures[key] = result  # a failed measure is retried, never reused
            else:
                errors.append(CheckError(dimension["id"], criterion["id"], criterion["metric"],
                                         *failed))
        scores = score_values(result.value, criterion["scoring"]) * 100
        status = np.where(result.value.notna(), "ok", "not_evaluated")
        if failed is not None:
            status[:] = "error"
        rows.append(pd.DataFrame({
            "institution": f.names,
            "dimension": dimension["id"],
            "criterion": criterion["id"],
            "metric": criterion["metric"],
            "unit": criterion.get("unit", ""),
            "value": result.value.to_numpy(),
            "score": scores.to_numpy(),
            "status": status,
            "weight": float(criterion["weight"]),
            "target": 100 * float(criterion["target"]),
            "evidence_es": _evidence(result, "es"),
            "evidence_en": _evidence(result, "en"),
        }))
        if result.details is not None:
            details[(dimension["id"], criterion["id"])] = result.details
    scores = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    dimensions = _dimension_scores(scores, rubric, f.names)
    institutions = _institutions(f, rubric, dimensions)
    return Scorecard(scores=scores, dimensions=dimensions, institutions=institutions,
                     details=details, measures=measures, errors=errors)


def _measure(f: Features, metric: str, params: dict) -> tuple[Measure, tuple[str, str] | None]:
    """The criterion's measure, or an empty one and the error (one line, and the traceback)
    when the check raised.

    Catching every exception is deliberate and narrow: one faulty check must not hide the
    six other dimensions from the auditor, and the error is not swallowed, it is returned
    to be logged, listed and turned into exit status 1."""
    try:
        return measure(f, metric, params), None
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        nan = pd.Series(np.nan, index=f.names)
        said = msg("evidence.check_error", error=error)
        return Measure(nan, pd.Series([said] * len(f.names), index=f.names, dtype="object")), \
            (error, traceback.format_exc())


def _evidence(result: Measure, lang: str) -> np.ndarray:
    """The one place where evidence is written in a language: the check's, or "no data"."""
    written = result.text(lang)
    return written.where(written.astype(bool),
                         msg("evidence.no_data").render(lang)).to_numpy()


def _dimension_scores(scores: pd.DataFrame, rubric: Rubric, names: pd.Index) -> pd.DataFrame:
    """Weighted mean of the evaluated criteria of each dimension (vectorised)."""
    table = pd.DataFrame(index=names, columns=list(DIMENSIONS), dtype="float64")
    if scores.empty:
        return table
    evaluated = scores["score"].notna()
    weights = scores["weight"].where(evaluated, 0.0)
    frame = pd.DataFrame({"institution": scores["institution"], "dimension": scores["dimension"],
                          "weighted": scores["score"].fillna(0.0) * weights, "weights": weights})
    sums = frame.groupby(["institution", "dimension"], sort=False)[["weighted", "weights"]].sum()
    means = (sums["weighted"] / sums["weights"].where(sums["weights"] > 0)).unstack("dimension")
    return means.reindex(index=names, columns=list(DIMENSIONS)).astype("float64")


def _institutions(f: Features, rubric: Rubric, dimensions: pd.DataFrame) -> pd.DataFrame:
    weights = pd.Series({d["id"]: float(d["weight"]) for d in rubric.dimensions})
    present = dimensions[weights.index].notna()
    used = present * weights
    overall = (dimensions[weights.index].fillna(0.0) * weights).sum(axis=1) / \
        used.sum(axis=1).where(used.sum(axis=1) > 0)
    abandoned = f.profiles[f.profiles["status"] == "abandoned"].groupby("institution").apply(
        lambda g: [profile_name(n, h) for n, h in zip(g["network"], g["handle"], strict=True)],
        include_groups=False) if (f.profiles["status"] == "abandoned").any() else pd.Series()
    labels = {d["id"]: d["label"] for d in rubric.dimensions}
    rows = []
    for name in f.names:
        level, capped_es, capped_en = _level(overall[name], dimensions.loc[name], rubric,
                                             abandoned.get(name, []), labels)
        spec = next((lv for lv in rubric.levels if lv["level"] == level), None)
        rows.append({
            "institution": name,
            "sector": f.institutions.loc[name, "sector"],
            "country": f.institutions.loc[name, "country"],
            "overall_score": overall[name],
            "maturity_level": level,
            "maturity_label_es": spec["label"]["es"] if spec else None,
            "maturity_label_en": spec["label"]["en"] if spec else None,
            "maturity_stage": spec.get("stage") if spec else None,
            "maturity_capped_es": capped_es,
            "maturity_capped_en": capped_en,
        })
    table = pd.DataFrame(rows).set_index("institution")
    table["maturity_level"] = table["maturity_level"].astype("Int64")
    return table.join(dimensions)


def _level(overall: float, dims: pd.Series, rubric: Rubric, abandoned: list[str],
           labels: dict[str, dict[str, str]]):
    """The highest level whose score floor and gates (and those of every lower level) hold."""
    if np.isnan(overall):
        return None, "", ""
    reached = None
    for spec in rubric.levels:
        if overall < spec["min_score"]:
            break
        failed = [_gate(g, dims, abandoned, labels) for g in spec.get("gates", []) or []]
        failed = [reason for reason in failed if reason]
        if failed:
            why = msg("score.level_not_reached", level=spec["level"], reasons=failed)
            return reached, why.render("es"), why.render("en")
        reached = spec["level"]
    return reached, "", ""


def _gate(gate: dict, dims: pd.Series, abandoned: list[str],
          labels: dict[str, dict[str, str]]) -> Message | None:
    """None when the gate holds, else the reason, in either language."""

    def named(ids) -> dict[str, str]:
        return {lang: ", ".join(labels.get(i, {}).get(lang, i) for i in ids) for lang in LANGS}

    rule = gate["rule"]
    dimension = gate.get("dimension")
    if rule == "no_abandoned_profiles" and abandoned:
        return msg("score.gate_abandoned_profiles", profiles=", ".join(abandoned))
    if rule == "dimension_evaluated" and np.isnan(dims[dimension]):
        return msg("score.gate_dimension_not_evaluated", dimension=named([dimension]))
    if rule == "dimension_min" and dims[dimension] < gate["min"]:
        return msg("score.gate_dimension_below", dimension=named([dimension]), min=gate["min"])
    if rule == "all_dimensions_evaluated":
        missing = [d for d in labels if np.isnan(dims[d])]
        if missing:
            return msg("score.gate_dimensions_not_evaluated", dimensions=named(missing))
    if rule == "every_dimension_min":
        low = [d for d in labels if dims[d] < gate["min"]]
        if low:
            return msg("score.gate_dimensions_below", min=gate["min"], dimensions=named(low))
    return None
