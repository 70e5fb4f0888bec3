"""The scorecard's progress section: what changed since the institution's previous stored
audit, for a director who signed that one off.

    against    the audit compared with (number, date, rubric) and what a change of rubric
               left out of the comparison
    changes    level, overall and each dimension: before, now, change (one table)
    profiles   those that were reactivated, stopped posting, closed or opened
    actions    done since (no longer recommended) and still open, with how many audits in a
               row each has been raised
    trend      level and overall score of every stored audit of the institution, then this
               one (the last MAX_TREND; the older ones are counted)

Everything comes from ``audit.history.Since`` (history/since.py): nothing is compared here.
The wording is the command line's and the app's (``history.*`` messages), so the three say
the same thing.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from audit.history import PROFILE_CHANGES, Since, signed
from audit.measure.checks.formats import profile_name
from audit.messages import number, text
from audit.report.pdf_document import MUTED, Document

__all__ = ["MAX_TREND", "in_a_row_note", "progress_section"]

MAX_TREND = 8  # audits in the trend table; older ones are counted


def progress_section(pdf: Document, lang: str, since: Since) -> None:
    """The progress section of one institution's scorecard (module docstring)."""
    pdf.heading(text("pdf.progress", lang))
    meta = since.previous
    pdf.text_block(text("history.app_since", lang, id=meta["id"],
                        date=long_date(meta["as_of"], lang), rubric=meta["rubric_id"],
                        version=meta["rubric_version"]), 8, color=MUTED)
    compared = since.comparability
    for shown, key in ((compared.overall, "history.overall_not_comparable"),
                       (compared.level, "history.level_not_comparable")):
        if not shown:
            pdf.text_block(text(key, lang), 8, color=MUTED)
    _changes(pdf, lang, since)
    _profiles(pdf, lang, since)
    _actions(pdf, lang, since)
    _trend(pdf, lang, since.trend)


def long_date(iso: str, lang: str) -> str:
    """'8 de octubre de 2026' / '8 October 2026' from '2026-10-08'."""
    day = dt.date.fromisoformat(iso)
    return text("pdf.date", lang, day=day.day, month=text(f"ui.months.{day.month}", lang),
                year=day.year)


def _changes(pdf: Document, lang: str, since: Since) -> None:
    change, compared = since.change, since.comparability
    rows = [[text("pdf.col_measure", lang), text("history.app_before", lang),
             text("history.app_now", lang), text("history.app_change", lang)]]
    if compared.level:
        rows.append([text("pdf.col_level", lang), _level(change.level[0], lang),
                     _level(change.level[1], lang), signed(change.level_change, lang, 0)])
    if compared.overall:
        rows.append([text("ui.overall", lang), _score(change.overall[0], lang),
                     _score(change.overall[1], lang), signed(change.overall_change, lang)])
    for row in change.dimensions.itertuples():
        rows.append([getattr(row, f"label_{lang}"), _score(row.previous, lang),
                     _score(row.current, lang), signed(row.change, lang)])
    if len(rows) > 1:
        pdf.ln(1)
        pdf.grid(rows, (0.46, 0.18, 0.18, 0.18), aligns=("LEFT", "RIGHT", "RIGHT", "RIGHT"))


def _profiles(pdf: Document, lang: str, since: Since) -> None:
    def word(status: str | None) -> str:
        return "—" if status is None else text(f"ui.status_words.{status}", lang)

    shown = False
    pdf.ln(1)
    for kind in PROFILE_CHANGES:
        rows = since.change.profiles_where(kind)
        if rows.empty:
            continue
        shown = True
        names = ", ".join(text("history.profile_change", lang,
                               profile=profile_name(r.network, r.handle),
                               before=word(r.previous), now=word(r.current))
                          for r in rows.itertuples())
        label = text("history.app_profiles", lang, change=text(f"history.change_{kind}", lang))
        pdf.text_block(f"• {label}: {names}", 8.5)
    if not shown:
        pdf.text_block(f"• {text('history.app_no_profile_change', lang)}", 8.5)


def _actions(pdf: Document, lang: str, since: Since) -> None:
    for state, key in (("done", "history.app_actions_done"),
                       ("open", "history.app_actions_open")):
        rows = since.change.actions_where(state)
        if rows.empty:
            continue
        titles = "; ".join(in_a_row_note(getattr(r, f"title_{lang}"), r.in_a_row, lang)
                           for r in rows.itertuples())
        pdf.text_block(f"• {text(key, lang)}: {titles}", 8.5)


def in_a_row_note(title: str, in_a_row: int, lang: str) -> str:
    """'Title (2.ª auditoría seguida)' for an action raised again; the title alone else."""
    return text("history.in_a_row", lang, title=title, n=in_a_row) if in_a_row >= 2 \
        else title


def _trend(pdf: Document, lang: str, trend: pd.DataFrame) -> None:
    pdf.ln(1)
    pdf.text_block(text("history.app_trend", lang), 9, bold=True)
    shown = trend.tail(MAX_TREND)
    rows = [[text("history.app_audit", lang), text("history.app_date", lang),
             text("pdf.col_level", lang), text("ui.overall", lang)]]
    for row in shown.itertuples():
        rows.append([text("pdf.trend_this", lang) if pd.isna(row.audit_id)
                     else f"#{row.audit_id}", long_date(row.as_of, lang),
                     _level(row.level, lang), _score(row.overall, lang)])
    pdf.grid(rows, (0.2, 0.4, 0.2, 0.2), aligns=("LEFT", "LEFT", "RIGHT", "RIGHT"))
    if len(trend) > MAX_TREND:
        pdf.text_block(text("pdf.trend_more", lang, n=len(trend) - MAX_TREND), 8, color=MUTED)


def _level(value, lang: str) -> str:
    return text("history.no_level", lang) if value is None or pd.isna(value) \
        else str(int(value))


def _score(value, lang: str) -> str:
    return "—" if value is None or pd.isna(value) else number(round(float(value), 1), lang)
