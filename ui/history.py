"""The history of audits in the app: which database, saving the audit in use, and the
scorecard's progress block.

    sidebar   the history file (default: $AUDIT_HISTORY or the user's data folder, the
              same one the command line uses) and a button that saves the audit in use
    scorecard change since the previous stored audit of the institution (level, overall,
              each dimension, profiles that changed status, actions done or still open)
              and the trend of its overall score and level over the stored audits

The library does the work (``audit.History``, ``audit.progress``); this module only shows
it. A history that cannot be opened is a warning on the page, never a traceback, and
reading never creates a file: only saving does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from audit import (
    AuditResult,
    History,
    HistoryError,
    Since,
    history_path,
    since_previous,
    snapshot,
    text,
)

from . import fmt
from .state import Context

__all__ = ["PATH_KEY", "in_a_row", "lookup", "pdf_key", "progress_block", "raised_note",
           "save_control", "trend_chart"]

PATH_KEY = "history_path"  # session key of the history file the user chose
_INK = "#262730"
_LINE = "#4c78a8"


def _path() -> Path:
    if not st.session_state.get(PATH_KEY):
        st.session_state[PATH_KEY] = str(history_path())
    return Path(st.session_state[PATH_KEY])


def save_control(ctx: Context) -> None:
    """Sidebar: the history file and a button that saves the audit in use to it."""
    lang = ctx.lang
    _path()
    with st.sidebar.expander(text("history.app_section", lang), icon=":material/history:"):
        st.text_input(text("history.app_path", lang), key=PATH_KEY,
                      help=text("history.app_path_help", lang))
        if st.button(text("history.app_save", lang), key="history_save"):
            try:
                with History(_path()) as store:
                    audit_id = store.save(ctx.result)
            except HistoryError as exc:
                st.error(exc.message.render(lang), icon=":material/error:")
            else:
                st.success(text("history.app_saved", lang, id=audit_id),
                           icon=":material/check_circle:")


def lookup(ctx: Context) -> tuple[Since | None, HistoryError | None]:
    """The institution's change since its previous stored audit, and its trend, from the
    history file in use: (None, None) without a file or an earlier audit of it; (None, the
    error) when the file cannot be read. Read once per page run and shared by the progress
    block, the actions ("2.ª auditoría seguida") and the PDF."""
    path = _path()
    if not path.exists():
        return None, None
    try:
        with History(path, create=False) as store:
            found = since_previous(store, _snapshot(ctx.digest, ctx.as_of,
                                                    ctx.result.rubric.sha256, ctx.result),
                                   institutions={ctx.institution})
    except HistoryError as exc:
        return None, exc
    return found.get(ctx.institution), None


def in_a_row(ctx: Context, found: tuple[Since | None, HistoryError | None]) -> dict[str, int]:
    """action_id -> audits in a row (this one included) that raised it; empty without a
    history. A history that cannot be read is a warning, not a silent empty plan note."""
    since, problem = found
    if problem is not None:
        st.warning(problem.message.render(ctx.lang), icon=":material/warning:")
    return {} if since is None else since.in_a_row()


def raised_note(times: int, lang: str) -> str:
    """The plan's note for an action raised again: 'Recomendada por 2.ª auditoría seguida'."""
    return text("history.raised_again", lang, n=times) if times >= 2 else ""


def pdf_key(since: Since | None) -> tuple | None:
    """What the PDF's progress depends on, for its cache: the history file, the audit it
    is compared with and the stored audits of its trend."""
    if since is None:
        return None
    return (str(_path()), since.previous["id"],
            tuple(int(i) for i in since.trend["audit_id"].dropna()))


def progress_block(ctx: Context, found: tuple[Since | None, HistoryError | None]) -> None:
    """The institution's change since its previous stored audit, and its trend."""
    lang, t = ctx.lang, ctx.t
    as_of = ctx.result.data.as_of
    path = _path()
    st.subheader(text("history.app_progress", lang))
    since, problem = found
    if problem is not None:
        st.warning(problem.message.render(lang), icon=":material/warning:")
        return
    if not path.exists():
        st.caption(text("history.app_no_history", lang, path=path))
        return
    if since is None:
        st.caption(text("history.app_no_previous", lang, date=fmt.date(as_of, lang)))
        return
    change = since.change
    meta = since.previous
    st.caption(text("history.app_since", lang, id=meta["id"],
                    date=fmt.date(meta["as_of"], lang), rubric=meta["rubric_id"],
                    version=meta["rubric_version"]))
    _headline(change, since.comparability, t, lang, len(ctx.result.rubric.levels))
    dims_col, lists_col = st.columns([3, 2], gap="large")
    with dims_col:
        _dimensions(change, lang)
    with lists_col:
        _profiles(change, lang)
        _actions(change, lang)
    points = _trend_points(since.trend, lang)
    st.altair_chart(trend_chart(points, lang), width="stretch")
    with st.expander(text("history.app_as_table", lang)):
        st.dataframe(points[["audit", "as_of", "level_text", "overall"]], hide_index=True,
                     column_config={"audit": text("history.app_audit", lang),
                                    "as_of": text("history.app_date", lang),
                                    "level_text": text("history.app_level", lang),
                                    "overall": text("history.app_overall", lang)})


@st.cache_resource(show_spinner=False, max_entries=8)
def _snapshot(digest: str, as_of: dt.date | None, rubric_sha: str, _result: AuditResult):
    """What the history would keep of the audit in use, made once per audit and rubric (it
    reads every score of every institution; an institution switch must not pay for it)."""
    return snapshot(_result)


def _headline(change, comparable, t: dict, lang: str, top: int) -> None:
    level_col, overall_col = st.columns(2)
    now_level = change.level[1]
    level_value = t["not_evaluated"] if now_level is None else \
        t["level_value"].format(level=now_level, top=top)
    if comparable.level:
        level_col.metric(text("history.app_level", lang), level_value,
                         delta=None if change.level_change is None else change.level_change)
    else:
        level_col.metric(text("history.app_level", lang), level_value,
                         help=text("history.app_not_compared", lang))
    overall = t["out_of_100"].format(score=fmt.score(change.overall[1], lang))
    if comparable.overall and change.overall_change is not None:
        overall_col.metric(text("history.app_overall", lang), overall,
                           delta=fmt.number(round(change.overall_change, 1), lang))
    else:
        overall_col.metric(text("history.app_overall", lang), overall,
                           help=text("history.app_not_compared", lang))


def _dimensions(change, lang: str) -> None:
    table = change.dimensions
    st.dataframe(pd.DataFrame({
        "dimension": table[f"label_{lang}"],
        "before": [fmt.score(v, lang) for v in table["previous"]],
        "now": [fmt.score(v, lang) for v in table["current"]],
        "change": [_signed(v, lang) for v in table["change"]],
    }), hide_index=True, column_config={
        "dimension": text("history.app_dimension", lang),
        "before": text("history.app_before", lang), "now": text("history.app_now", lang),
        "change": text("history.app_change", lang)})


def _signed(value, lang: str) -> str:
    if fmt.is_missing(value):
        return "—"
    rounded = round(float(value), 1)
    return "=" if rounded == 0 else ("+" if rounded > 0 else "−") + fmt.number(abs(rounded),
                                                                                lang)


def _profiles(change, lang: str) -> None:
    shown = False
    for kind in ("reactivated", "closed", "lapsed", "opened", "changed"):
        rows = change.profiles_where(kind)
        if rows.empty:
            continue
        shown = True
        names = ", ".join(fmt.escape_md(text(
            "history.profile_change", lang, profile=fmt.profile_name(r.network, r.handle),
            before=_status(r.previous, lang), now=_status(r.current, lang)))
            for r in rows.itertuples())
        label = text("history.app_profiles", lang, change=text(f"history.change_{kind}", lang))
        st.markdown(f"**{fmt.escape_md(label)}:** {names}")
    if not shown:
        st.caption(text("history.app_no_profile_change", lang))


def _status(status: str | None, lang: str) -> str:
    return "—" if status is None else text(f"ui.status_words.{status}", lang)


def _actions(change, lang: str) -> None:
    for state, key in (("done", "app_actions_done"), ("open", "app_actions_open")):
        rows = change.actions_where(state)
        if rows.empty:
            continue
        st.markdown(f"**{fmt.escape_md(text(f'history.{key}', lang))}**")
        for r in rows.itertuples():
            title = getattr(r, f"title_{lang}")
            line = text("history.in_a_row", lang, title=title, n=r.in_a_row) \
                if r.in_a_row >= 2 else title
            st.markdown(f"- {fmt.escape_md(line)}")


def _trend_points(trend: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The stored audits before the one in use, and the one in use (last), one row each."""
    frame = pd.DataFrame({
        "audit": [text("history.not_saved", lang) if pd.isna(i) else f"#{i}"
                  for i in trend["audit_id"]],
        "as_of": trend["as_of"].astype(str),
        "level": trend["level"].astype(object).where(trend["level"].notna(), None),
        "overall": pd.to_numeric(trend["overall"].astype(float)).round(1),
    })
    frame["level_text"] = [_point(level, score, lang) for level, score
                           in zip(frame["level"], frame["overall"], strict=True)]
    frame["current"] = [False] * (len(frame) - 1) + [True]
    return frame


def _point(level, score, lang: str) -> str:
    written = fmt.score(score, lang)
    if fmt.is_missing(level):
        return text("history.app_point_no_level", lang, score=written)
    return text("history.app_point", lang, level=int(level), score=written)


def trend_chart(points: pd.DataFrame, lang: str) -> alt.LayerChart:
    """Overall score audit by audit: a line through points, each labelled with its level
    and score; the audit in use is a diamond, stored ones are circles (no colour needed)."""
    x = alt.X("as_of:T", title=text("history.app_date", lang),
              axis=alt.Axis(format="%Y-%m-%d", labelAngle=0))
    y = alt.Y("overall:Q", title=text("history.app_overall", lang),
              scale=alt.Scale(domain=[0, 100]))
    line = alt.Chart(points).mark_line(color=_LINE, strokeWidth=2).encode(x=x, y=y)
    dots = alt.Chart(points).mark_point(size=120, filled=True, color=_LINE).encode(
        x=x, y=y, shape=alt.Shape("current:N", legend=None,
                                  scale=alt.Scale(domain=[False, True],
                                                  range=["circle", "diamond"])),
        tooltip=[alt.Tooltip("audit:N", title=text("history.app_audit", lang)),
                 alt.Tooltip("as_of:T", title=text("history.app_date", lang),
                             format="%Y-%m-%d"),
                 alt.Tooltip("level_text:N", title=text("history.app_level", lang))])
    labels = alt.Chart(points).mark_text(dy=-14, fontSize=12, fontWeight="bold",
                                         color=_INK).encode(x=x, y=y, text="level_text:N")
    title = alt.TitleParams(text("history.app_trend", lang), anchor="start",
                            subtitle=text("history.app_trend_sub", lang))
    return alt.layer(line, dots, labels).properties(title=title, height=260).configure_view(
        stroke=None)
