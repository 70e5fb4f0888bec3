"""The output tables of an audit: the output contract researchers and checks rely on.

    institutions.csv     one row per institution: overall score, maturity level, dimensions,
                         peer cluster (empty when there are no clusters or it was excluded)
    scores.csv           long form: one row per institution and criterion, with evidence
    profiles.csv         one row per profile: activity figures and status
    recommendations.csv  ranked actions per institution (the first ones its plan, the rest
                         an appendix), with tier, the criteria each covers, evidence, source
                         and the best peer of the same sector with its evidence; audited
                         with a history, also raised_before: how many audits in a row before
                         this one raised the action (0: the first time; the column is absent
                         without a history, so the file is then as it always was)
    problems.csv         every input problem, with its Excel row
    audit.json           software and rubric versions, audit date, input hashes, counts
    report.xlsx          the same tables as a formatted workbook with a cover and a chart of
                         the dimensions per sector (see excel.py); not for an unusable input
    research exports     tidy metrics, codebook, LaTeX/Markdown tables, methods appendix
                         (see research_exports.py),
                         clustering settings (method, k, silhouette, stability, exclusions)

Files are written with fixed formatting (UTF-8, '\\n' line ends, rounded numbers, sorted
keys) so that the same audit gives the same bytes, and every CSV through ``csv_text``, whose
text cells never begin with a formula (OWASP's CSV injection advice). Texts are in the
audit's language; identifiers and column names are English.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import pandas as pd

from audit.report.inert import inert_frame
from audit.result import AuditResult
from audit.score.rubric import DIMENSIONS

__all__ = ["TABLE_NAMES", "csv_text", "tables", "with_raised_before"]

# Every table ``tables`` may return (content_mix only with a content model), by file stem.
TABLE_NAMES = ("problems", "institutions", "scores", "profiles", "recommendations",
               "content_mix")


def tables(result: AuditResult,
           raised_before: Mapping[tuple[str, str], int] | None = None) -> dict[str, pd.DataFrame]:
    """The output tables, in the audit's language, ready to write or show. ``raised_before``:
    (institution, action_id) -> consecutive previous audits that raised it, from the
    history (audit/history/since.py); it adds that column to the recommendations."""
    lang = result.lang
    out = {"problems": result.problems.frame(lang)}
    if result.scorecard is None:
        return out
    card = result.scorecard
    institutions = card.institutions.reset_index()
    out["institutions"] = pd.DataFrame({
        "institution": institutions["institution"],
        "sector": institutions["sector"],
        "country": institutions["country"],
        "overall_score": institutions["overall_score"].round(1),
        "coverage": institutions["coverage"].round(3),
        "missing_inputs": institutions["missing_inputs"],
        "maturity_level": institutions["maturity_level"],
        "maturity_label": institutions[f"maturity_label_{lang}"],
        "maturity_stage": institutions["maturity_stage"],
        "maturity_note": institutions[f"maturity_capped_{lang}"],
        "next_level": institutions["next_level"],
        "next_level_points": institutions["next_level_points"].round(1),
        "next_level_conditions": institutions["next_level_conditions"],
        **{d: institutions[d].round(1) for d in DIMENSIONS},
        **_clusters(result, institutions["institution"]),
    })
    scores = card.scores
    out["scores"] = pd.DataFrame({
        "institution": scores["institution"], "dimension": scores["dimension"],
        "criterion": scores["criterion"], "value": scores["value"].round(4),
        "unit": scores["unit"], "score": scores["score"].round(1), "weight": scores["weight"],
        "target": scores["target"], "evidence": scores[f"evidence_{lang}"],
    })
    out["profiles"] = result.profiles
    actions = result.recommendations
    out["recommendations"] = pd.DataFrame({
        "institution": actions["institution"], "rank": actions["rank"],
        "in_plan": actions["in_plan"], "tier": actions["tier"],
        "action_id": actions["action_id"], "dimension": actions["dimension"],
        "criteria": actions["criteria"],
        "action": actions[f"action_{lang}"], "horizon": actions["horizon"],
        "effort": actions["effort"], "priority": actions["priority"],
        "score": actions["score"].round(1), "target": actions["target"],
        "evidence": actions[f"evidence_{lang}"], "source": actions[f"source_{lang}"],
        "source_passage": actions[f"source_passage_{lang}"],
        "best_peer": actions["best_peer"],
        "best_peer_evidence": actions[f"best_peer_evidence_{lang}"],
    })
    if result.content_mix is not None:
        out["content_mix"] = result.content_mix
    return with_raised_before(out, raised_before)


def with_raised_before(frames: Mapping[str, pd.DataFrame],
                       raised_before: Mapping[tuple[str, str], int] | None
                       ) -> dict[str, pd.DataFrame]:
    """The tables of ``tables(result)`` with the history's raised_before column added to
    the recommendations (a new frame: the workbook and the research exports, which never
    show it, can share the tables the CSVs are written from)."""
    out = dict(frames)
    if raised_before is None or "recommendations" not in out:
        return out
    actions = out["recommendations"]
    out["recommendations"] = actions.assign(raised_before=pd.array(
        [raised_before.get(key) for key in zip(actions["institution"], actions["action_id"],
                                               strict=True)], dtype="Int64"))
    return out


_LONE_CR = re.compile(r"\r(?!\n)")  # a carriage return not followed by a line feed


def csv_text(frame: pd.DataFrame) -> str:
    """A table as every CSV of the product is written: UTF-8 text, '\\n' line ends, no index,
    and text cells a spreadsheet will not run as formulas (report/inert.py).

    A carriage return alone inside a cell is written as a line feed: the CSV writer quotes a
    cell only for the characters of its own line end ('\\n'), and an unquoted CR ends the
    row for most readers, splitting it in two."""
    out = inert_frame(frame)
    for column in out.columns:
        series = out[column]
        if _has_return(series):
            out[column] = series.map(
                lambda v: _LONE_CR.sub("\n", v) if isinstance(v, str) else v
            ).astype(series.dtype)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def _has_return(series: pd.Series) -> bool:
    """Whether any text cell holds a carriage return (a text column in one pass)."""
    if isinstance(series.dtype, pd.StringDtype):
        return bool(series.str.contains("\r", regex=False).fillna(False).any())
    return bool(series.map(lambda v: isinstance(v, str) and "\r" in v).any())


def _clusters(result: AuditResult, names: pd.Series) -> dict[str, pd.Series]:
    """cluster (integer) and cluster_label (audit language), empty where there is none."""
    peers = result.peers
    if peers is None or not peers.ok:
        empty = pd.Series(pd.NA, index=names.index, dtype="object")
        return {"cluster": empty.astype("Int64"), "cluster_label": empty}
    assigned = peers.assignments.reindex(names.to_numpy())
    return {"cluster": pd.Series(assigned["cluster"].to_numpy(), index=names.index,
                                 dtype="Int64"),
            "cluster_label": pd.Series(assigned[f"cluster_label_{result.lang}"].to_numpy(),
                                       index=names.index)}
