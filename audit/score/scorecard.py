"""Score an audit: every criterion of the rubric, then dimensions, overall score and level.

    Features ──check (measure)──▶ value + evidence per institution and criterion
             ──rubric scoring──▶ criterion score 0-100 (empty = not evaluated)
             ──weighted mean of evaluated criteria──▶ dimension score
             ──weighted mean of the dimensions, 0 where not evaluated──▶ overall score
             ──share of the rubric's weight evaluated──▶ coverage
             ──levels, gates, knock-outs (levels.py)──▶ maturity level 1-5

Each criterion row has a status: ``ok`` (measured), ``not_evaluated`` (the data it needs are
absent: the row stays, shows empty, and within its dimension its weight goes to the
evaluated criteria) or ``error`` (the check raised: a bug, not a property of the data).
An error is never passed off as missing data: the scorecard lists it in ``errors``, the
pipeline logs a ``check_failed`` problem, and the command line exits with status 1.
"""

from __future__ import annotations

import json
import numbers
import traceback
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from audit.measure.checks import Measure, measure
from audit.measure.checks.formats import profile_name
from audit.measure.features import Features
from audit.measure.profile_status import BEYOND, LIVE
from audit.messages import Message, msg
from audit.score.curves import score_values
from audit.score.levels import Level, Standing, level_of
from audit.score.rubric import DIMENSIONS, Rubric

__all__ = ["STATUSES", "CheckError", "Scorecard", "coverage", "overall_scores", "score_audit"]


STATUSES = ("ok", "not_evaluated", "error")
#: The sheet each dimension's checks read: what would evaluate a dimension left out.
DIMENSION_INPUTS = {"activity": "posts", "identity": "profiles", "tone": "posts",
                    "responsiveness": "interactions", "transparency": "posts",
                    "engagement": "posts", "governance": "governance"}


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
    # Their evidence (Spanish, English) by (metric and params, dimension): writing it takes
    # longer than scoring, and a re-score of the same features words it the same.
    evidence: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False)
    errors: list[CheckError] = field(default_factory=list)
    # What the criterion rows were scored with (``_criteria_key``); empty when not known.
    criteria: str = field(default="", repr=False)


def score_audit(f: Features, rubric: Rubric, reuse: Scorecard | None = None) -> Scorecard:
    """Run every criterion of ``rubric`` on ``f`` and aggregate. Measures found in ``reuse``
    (a scorecard of the same features) for the same metric and params are not taken again,
    nor is their evidence written again. When ``reuse`` scored the same criteria (metrics,
    options, curves, weights and targets) without an error and holds all their measures, as
    after a change of dimension weights only, its criterion rows and dimension scores are
    the ones this would compute: they are kept, and only the overall scores, coverage and
    levels are computed again."""
    criteria = _criteria_key(rubric)
    if reuse is not None and reuse.criteria == criteria and not reuse.errors \
            and all(_measure_key(c, rubric.params(c)) in reuse.measures
                    for _, c in rubric.criteria()):
        return Scorecard(scores=reuse.scores, dimensions=reuse.dimensions,
                         institutions=_institutions(f, rubric, reuse.scores, reuse.dimensions),
                         details=reuse.details, measures=reuse.measures,
                         evidence=reuse.evidence, criteria=criteria)
    rows, details, measures, errors, written = [], {}, {}, [], {}
    known = reuse.measures if reuse is not None else {}
    worded = reuse.evidence if reuse is not None else {}
    silent = _silent_in_window(f)
    for dimension, criterion in rubric.criteria():
        params = rubric.params(criterion)
        key = _measure_key(criterion, params)
        result = known.get(key) or measures.get(key)
        failed = None
        if result is None:
            result, failed = _measure(f, criterion["metric"], params)
            if failed is not None:
                errors.append(CheckError(dimension["id"], criterion["id"], criterion["metric"],
                                         *failed))
        if failed is None:
            measures[key] = result  # a failed measure is retried, never reused
        scores = score_values(result.value, criterion["scoring"]) * 100
        status = np.where(result.value.notna(), "ok", "not_evaluated")
        if failed is not None:
            status[:] = "error"
        evidence = worded.get((key, dimension["id"])) or written.get((key, dimension["id"]))
        if evidence is None:
            evidence = tuple(_evidence(result, lang, silent, f, dimension["id"])
                             for lang in ("es", "en"))
        if failed is None:
            written[(key, dimension["id"])] = evidence
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
            "evidence_es": evidence[0],
            "evidence_en": evidence[1],
        }))
        if result.details is not None:
            details[(dimension["id"], criterion["id"])] = result.details
    scores = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    dimensions = _dimension_scores(scores, rubric, f.names)
    institutions = _institutions(f, rubric, scores, dimensions)
    return Scorecard(scores=scores, dimensions=dimensions, institutions=institutions,
                     details=details, measures=measures, evidence=written, errors=errors,
                     criteria=criteria)


def _measure_key(criterion: dict, params: dict) -> str:
    """The key of a criterion's measure: its metric and the options its check runs with."""
    return _key([criterion["metric"], params])


def _criteria_key(rubric: Rubric) -> str:
    """Everything of the rubric a criterion row or a dimension score reads, as one string:
    each criterion as the rubric defines it, with the options its check runs with. The
    dimension weights and the levels are not in it: they act after the dimension scores."""
    return _key([[dimension["id"], criterion, rubric.params(criterion)]
                 for dimension, criterion in rubric.criteria()])


def _key(value: object) -> str:
    """``value`` as one string, every number as a float: the app's rubric editor writes a
    whole number back as an int (a target of 1.0 becomes 1), which scores the same and must
    not look like another rubric, or every edit of a weight would score every criterion
    again."""
    return json.dumps(_numbers_as_floats(value), sort_keys=True, default=str)


def _numbers_as_floats(value: object) -> object:
    if isinstance(value, dict):
        return {key: _numbers_as_floats(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_numbers_as_floats(item) for item in value]
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    return value


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


def _with_a_known_post(f: Features) -> pd.Index:
    """Institutions with some profile whose last post is known (in the window or not)."""
    known = f.profiles.loc[f.profiles["days_since_last_post"].notna(), "institution"]
    return pd.Index(known.unique())


def _silent_in_window(f: Features) -> pd.Index:
    """Institutions with a known post but none inside the audit window: for them a post-based
    criterion without a value means silence, not a missing sheet."""
    return _with_a_known_post(f).difference(pd.Index(f.posts["institution"].unique()))


def _evidence(result: Measure, lang: str, silent: pd.Index, f: Features,
              dimension: str) -> np.ndarray:
    """The one place where evidence is written in a language: the check's, or why there is
    none ("no post in the audit window" for a silent institution's post-based criterion)."""
    written = result.text(lang)
    none = pd.Series(msg("evidence.no_data").render(lang), index=written.index)
    if DIMENSION_INPUTS[dimension] == "posts":
        quiet = msg("evidence.no_posts_in_window", days=f.window_days).render(lang)
        none = none.where(~none.index.isin(silent), quiet)
    return written.where(written.astype(bool), none).to_numpy()


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


def coverage(scores: pd.DataFrame, rubric: Rubric, names: pd.Index) -> pd.Series:
    """Share of the rubric's weight evaluated: each criterion weighs its dimension's share of
    the dimension weights times its own share of that dimension's criterion weights."""
    if scores.empty:
        return pd.Series(0.0, index=names)
    dimension_weight = pd.Series({d["id"]: float(d["weight"]) for d in rubric.dimensions})
    dimension_weight /= dimension_weight.sum()
    within = scores["weight"] / scores.groupby(["institution", "dimension"],
                                               sort=False)["weight"].transform("sum")
    effective = within * scores["dimension"].map(dimension_weight)
    evaluated = effective.where(scores["score"].notna(), 0.0)
    return evaluated.groupby(scores["institution"]).sum().reindex(names, fill_value=0.0)


def overall_scores(dimensions: pd.DataFrame, rubric: Rubric) -> pd.Series:
    """Weighted mean of the dimensions, a dimension not evaluated counting 0: missing data
    can lower an overall score, never raise it (a renormalised mean would let an institution
    rise by leaving out its weakest dimension). NaN when no dimension was evaluated."""
    weights = pd.Series({d["id"]: float(d["weight"]) for d in rubric.dimensions})
    scored = dimensions[weights.index]
    total = (scored.fillna(0.0) * weights).sum(axis=1) / weights.sum()
    return total.where(scored.notna().any(axis=1))


def _profile_names(profiles: pd.DataFrame, statuses: tuple[str, ...]) -> dict[str, tuple]:
    """Per institution, the names of its profiles in ``statuses``, in data order."""
    chosen = profiles[profiles["status"].isin(statuses)]
    names: dict[str, list[str]] = {}
    for institution, network, handle in zip(chosen["institution"], chosen["network"],
                                            chosen["handle"], strict=True):
        names.setdefault(institution, []).append(profile_name(network, handle))
    return {institution: tuple(listed) for institution, listed in names.items()}


def _sheets_present(f: Features) -> dict[str, set[str]]:
    """Per institution, the sheets that hold something of it: a profile always; posts when
    any of its profiles has a known post (in the window or not); interactions and governance
    when it has rows there."""
    dated = set(_with_a_known_post(f))
    interactions = set(f.interactions["institution"])
    governance = set(f.governance["institution"])
    return {name: {"profiles"}
            | ({"posts"} if name in dated else set())
            | ({"interactions"} if name in interactions else set())
            | ({"governance"} if name in governance else set()) for name in f.names}


def _missing_inputs(left_out: list[str], present: set[str]) -> tuple[str, ...]:
    """What would evaluate the dimensions left out: a sheet the institution is absent from,
    or, when it has posts but none in the audit window, posts inside the window. A dimension
    left out although its sheet has rows (no complaint to answer, say) asks for nothing."""
    wanted = []
    for dimension in left_out:
        sheet = DIMENSION_INPUTS[dimension]
        if sheet == "posts" and "posts" in present:
            wanted.append("posts_in_window")
        elif sheet not in present or sheet == "profiles":
            wanted.append(sheet)
    return tuple(dict.fromkeys(wanted))


def _standings(f: Features, rubric: Rubric, scores: pd.DataFrame,
               dimensions: pd.DataFrame) -> dict[str, Standing]:
    # Every per-institution figure read into a dict once: a thousand institutions looked up
    # one by one in Series and frames cost seconds.
    overall = overall_scores(dimensions, rubric).to_dict()
    covered = coverage(scores, rubric, f.names).to_dict()
    profiles = f.profiles
    counts = profiles.groupby("institution").size().to_dict()
    live = profiles[profiles["status"].isin(LIVE)].groupby("institution").size().to_dict()
    abandoned = _profile_names(profiles, ("abandoned",))
    beyond = _profile_names(profiles, BEYOND)
    present = _sheets_present(f)
    values = scores.pivot(index="institution", columns="criterion", values="value") \
        .to_dict("index") if not scores.empty else {}
    # the dimensions each institution has left out, from one array (not a Series per row)
    columns = dimensions.columns
    left_out = {name: [columns[j] for j in np.flatnonzero(row)]
                for name, row in zip(dimensions.index, dimensions.isna().to_numpy(),
                                     strict=True)}
    standings = {}
    for name in f.names:
        dims = dimensions.loc[name]
        missing = _missing_inputs(left_out[name], present[name])
        standings[name] = Standing(
            overall=float(overall[name]), coverage=float(covered[name]),
            missing_inputs=missing, dimensions=dims, criteria=values.get(name, {}),
            profiles=int(counts.get(name, 0)), live=int(live.get(name, 0)),
            abandoned=abandoned.get(name, ()), beyond=beyond.get(name, ()))
    return standings


def _distance(level: Level) -> Message:
    """'Level 4: 2.2 points and 1 condition away', naming only what is missing."""
    conditions = level.next_conditions
    shape = ("_points" if level.next_points > 0 else "") + (
        "" if not conditions else "_condition" if conditions == 1 else "_conditions")
    return msg(f"score.next_level{shape}", level=level.next_level, points=level.next_points,
               conditions=conditions)


def _institutions(f: Features, rubric: Rubric, scores: pd.DataFrame,
                  dimensions: pd.DataFrame) -> pd.DataFrame:
    labels = {d["id"]: d["label"] for d in rubric.dimensions}
    sector, country = f.institutions["sector"].to_dict(), f.institutions["country"].to_dict()
    rows = []
    for name, standing in _standings(f, rubric, scores, dimensions).items():
        level = level_of(standing, rubric, labels)
        spec = next((lv for lv in rubric.levels if lv["level"] == level.level), None)
        why = level.why_not
        ahead = _distance(level) if level.next_level else None
        rows.append({
            "institution": name,
            "sector": sector[name],
            "country": country[name],
            "overall_score": standing.overall,
            "coverage": standing.coverage,
            "missing_inputs": ";".join(standing.missing_inputs),
            "maturity_level": level.level,
            "maturity_label_es": spec["label"]["es"] if spec else None,
            "maturity_label_en": spec["label"]["en"] if spec else None,
            "maturity_stage": spec.get("stage") if spec else None,
            "maturity_capped_es": why.render("es") if why else "",
            "maturity_capped_en": why.render("en") if why else "",
            "next_level": level.next_level,
            "next_level_points": level.next_points,
            "next_level_conditions": level.next_conditions,
            "next_level_es": ahead.render("es") if ahead else "",
            "next_level_en": ahead.render("en") if ahead else "",
        })
    table = pd.DataFrame(rows).set_index("institution")
    for column in ("maturity_level", "next_level", "next_level_conditions"):
        table[column] = table[column].astype("Int64")
    # None where no institution has a next level would leave an object column
    table["next_level_points"] = table["next_level_points"].astype("float64")
    return table.join(dimensions)
