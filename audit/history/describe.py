"""The history as a person reads it (lines in Spanish or English) and as a program reads it
(JSON-ready records): what ``python -m audit history list|show|compare`` prints.

Every line is a ``history.*`` message of the catalogue; numbers are written the reader's way
(62,5 / 62.5) and a change carries its sign (+3,2, −1, =). Ids, statuses and column names in
the records are English, as in every machine-readable output.
"""

from __future__ import annotations

import math

import pandas as pd

from audit.history.progress import (
    ACTION_STATES,
    PROFILE_CHANGES,
    InstitutionProgress,
    Progress,
)
from audit.history.record import StoredAudit
from audit.measure.checks.formats import profile_name
from audit.messages import number, text

__all__ = ["audit_lines", "audit_record", "audits_lines", "audits_records", "progress_lines",
           "progress_record", "signed"]


def signed(value: float | None, lang: str, digits: int = 1) -> str:
    """+3,2 / −1 / = ; '—' when there is no change to give."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if round(value, digits) == 0:
        return "="
    return ("+" if value > 0 else "−") + number(round(abs(value), digits), lang, digits)


def _score(value: float | None, lang: str) -> str:
    """A score as the reports write it: one decimal at most ('50', not '50,0' for 49.996)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return number(round(float(value), 1), lang)


def audits_lines(frame: pd.DataFrame, path, lang: str) -> list[str]:
    if frame.empty:
        return [text("history.empty", lang, path=path)]
    return [text("history.list_header", lang, n=len(frame), path=path)] + [
        text("history.list_row", lang, id=r.id, as_of=r.as_of, saved_at=r.saved_at,
             rubric=r.rubric_id, version=r.rubric_version, institutions=r.institutions,
             inputs=r.inputs or "—") for r in frame.itertuples()]


def audit_lines(audit: StoredAudit, lang: str) -> list[str]:
    meta = audit.meta
    lines = [text("history.show_header", lang, id=meta["id"], as_of=meta["as_of"],
                  saved_at=meta["saved_at"], rubric=meta["rubric_id"],
                  version=meta["rubric_version"], sha=meta["rubric_sha256"][:12],
                  window=meta["window_days"], lang=meta["lang"],
                  software=meta["software_version"]),
             text("history.show_inputs", lang, inputs=", ".join(
                 f"{r.name} (sha256 {r.sha256[:12]})" for r in audit.table("inputs").itertuples()))]
    actions = audit.table("actions").groupby("institution").size()
    for r in audit.table("institutions").sort_values("institution").itertuples():
        lines.append(text("history.show_row", lang, institution=r.institution,
                          level=_level(r.level, getattr(r, f"level_label_{lang}"), lang),
                          overall=_score(r.overall, lang), coverage=r.coverage or 0.0,
                          actions=int(actions.get(r.institution, 0))))
    return lines


def progress_lines(p: Progress, lang: str) -> list[str]:
    now_id = f"#{p.current['id']}" if p.current["id"] is not None else \
        text("history.not_saved", lang)
    lines = [text("history.compare_header", lang, before=f"#{p.previous['id']}",
                  before_as_of=p.previous["as_of"], now=now_id, now_as_of=p.current["as_of"])]
    lines += _comparability_lines(p, lang)
    for institution in p.institutions.values():
        lines += _institution_lines(institution, p, lang)
    if p.only_current:
        lines.append(text("history.only_current", lang, id=now_id, names=", ".join(
            p.only_current)))
    if p.only_previous:
        lines.append(text("history.only_previous", lang, id=f"#{p.previous['id']}",
                          names=", ".join(p.only_previous)))
    return lines


def _comparability_lines(p: Progress, lang: str) -> list[str]:
    c = p.comparability
    if c.same_rubric:
        return [text("history.same_rubric", lang, rubric=p.current["rubric_id"],
                     version=p.current["rubric_version"])]
    lines = [text("history.other_rubric", lang,
                  before=f"{p.previous['rubric_id']} {p.previous['rubric_version']}",
                  now=f"{p.current['rubric_id']} {p.current['rubric_version']}",
                  criteria=len(c.criteria), dimensions=len(c.dimensions))]
    if c.left_out_dimensions:
        lines.append(text("history.left_out_dimensions", lang,
                          dimensions=", ".join(c.left_out_dimensions)))
    if c.left_out_criteria:
        lines.append(text("history.left_out_criteria", lang, criteria=", ".join(
            f"{d}/{k}" for d, k in c.left_out_criteria)))
    if not c.overall:
        lines.append(text("history.overall_not_comparable", lang))
    if not c.level:
        lines.append(text("history.level_not_comparable", lang))
    return lines


def _institution_lines(inst: InstitutionProgress, p: Progress, lang: str) -> list[str]:
    lines = [text("history.institution", lang, institution=inst.institution)]
    if p.comparability.level:
        lines.append(text("history.level_line", lang, before=_level(inst.level[0], "", lang),
                          now=_level(inst.level[1], "", lang),
                          change=signed(inst.level_change, lang, 0)))
    if p.comparability.overall:
        lines.append(text("history.overall_line", lang, before=_score(inst.overall[0], lang),
                          now=_score(inst.overall[1], lang),
                          change=signed(inst.overall_change, lang)))
    for r in inst.dimensions.itertuples():
        lines.append(text("history.dimension_line", lang, label=getattr(r, f"label_{lang}"),
                          before=_score(r.previous, lang), now=_score(r.current, lang),
                          change=signed(r.change, lang)))
    for change in PROFILE_CHANGES:
        rows = inst.profiles_where(change)
        if not rows.empty:
            lines.append(text("history.profiles_line", lang,
                              change=text(f"history.change_{change}", lang),
                              profiles=", ".join(_profile(r, lang) for r in rows.itertuples())))
    for state in ACTION_STATES:
        rows = inst.actions_where(state)
        if not rows.empty:
            lines.append(text(f"history.actions_{state}", lang, actions="; ".join(
                _action(r, lang) for r in rows.itertuples())))
    if len(lines) == 1:
        lines.append(text("history.no_change", lang))
    return lines


def _profile(row, lang: str) -> str:
    def word(status: str | None) -> str:
        return "—" if status is None else text(f"ui.status_words.{status}", lang)
    return text("history.profile_change", lang, profile=profile_name(row.network, row.handle),
                before=word(row.previous), now=word(row.current))


def _action(row, lang: str) -> str:
    title = getattr(row, f"title_{lang}")
    return text("history.in_a_row", lang, title=title, n=row.in_a_row) \
        if row.in_a_row >= 2 else title


def _level(level, label: str, lang: str) -> str:
    if level is None or pd.isna(level):
        return text("history.no_level", lang)
    return text("history.level_value", lang, level=int(level), label=label) if label \
        else str(int(level))


# --- machine-readable ----------------------------------------------------------------------


def audits_records(frame: pd.DataFrame) -> list[dict]:
    return _records(frame)


def audit_record(audit: StoredAudit) -> dict:
    return {"audit": audit.meta, **{name: _records(frame)
                                    for name, frame in audit.tables.items()}}


def progress_record(p: Progress) -> dict:
    c = p.comparability
    return {
        "current": p.current, "previous": p.previous,
        "comparability": {"same_rubric": c.same_rubric, "overall": c.overall,
                          "level": c.level, "dimensions": list(c.dimensions),
                          "criteria": sorted(f"{d}/{k}" for d, k in c.criteria),
                          "left_out_dimensions": list(c.left_out_dimensions),
                          "left_out_criteria": [f"{d}/{k}" for d, k in c.left_out_criteria]},
        "institutions": [{
            "institution": i.institution, "level": list(i.level),
            "level_change": i.level_change, "overall": list(i.overall),
            "overall_change": i.overall_change, "dimensions": _records(i.dimensions),
            "profiles": _records(i.profiles), "actions": _records(i.actions)}
            for i in p.institutions.values()],
        "only_current": list(p.only_current), "only_previous": list(p.only_previous),
    }


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain values, missing as None (JSON null)."""
    plain = frame.astype(object).where(frame.notna(), None)
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in plain.to_dict(orient="records")]
