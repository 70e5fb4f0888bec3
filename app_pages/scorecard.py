"""Executive scorecard: one institution on one screen, clean enough for a meeting.

Maturity level (and why not higher), overall score, dimensions against the sector median,
the status of every network in words and icons, the main risks and the actions of the plan
(the first ones in the rubric's order: compliance, citizens waiting, profiles, the rest),
with the audit date and the rubric underneath so the page can be quoted. Below them, the
change since the institution's previous stored audit and its trend (ui/history.py).
"""

from __future__ import annotations

import streamlit as st

from audit import __version__, pdf_names, percent, percentiles, scorecard_pdf, text
from ui import charts, fmt, state, vega, views
from ui import history as history_view

# Problems first: an executive reads the top of the list.
STATUS_ORDER = {"abandoned": 0, "inactive": 1, "no_data": 2, "irregular": 3, "active": 4}

ctx = state.context()
t, lang = ctx.t, ctx.lang


def headline(row, percentile: float, profiles) -> None:
    levels = ctx.result.rubric.levels
    level = row["maturity_level"]
    cols = st.columns([1, 1, 0.8, 1.4, 0.9])  # the sector position is the longest value
    if fmt.is_missing(level):
        cols[0].metric(t["level"], t["insufficient_data"] if row[f"maturity_capped_{lang}"]
                       else t["not_evaluated"])
    else:
        cols[0].metric(t["level"], t["level_value"].format(level=int(level), top=len(levels)),
                       delta=row[f"maturity_label_{lang}"], delta_color="off",
                       delta_arrow="off")
    cols[1].metric(t["overall"], t["out_of_100"].format(score=fmt.score(row["overall_score"],
                                                                       lang)))
    cols[2].metric(t["coverage"], percent(row["coverage"], lang), help=t["coverage_help"])
    cols[3].metric(t["sector_position"], t["not_evaluated"] if fmt.is_missing(percentile)
                   else t["percentile_value"].format(p=fmt.number(percentile, lang)))
    active = int(profiles["status"].isin(["active", "irregular"]).sum())
    cols[4].metric(t["active_profiles"], t["active_value"].format(active=active,
                                                                  total=len(profiles)))
    why, ahead = row[f"maturity_capped_{lang}"], row[f"next_level_{lang}"]
    if fmt.is_missing(level):
        note = why or t["no_level"]
    elif why or ahead:
        note = ". ".join(part for part in (ahead, why) if part)
    else:
        note = t["top_level"]
    st.info(f"**{t['why_not_higher']}.** {fmt.escape_md(note)}", icon=":material/flag:")


def networks(profiles) -> None:
    st.subheader(t["networks"])
    order = profiles["status"].map(STATUS_ORDER).fillna(len(STATUS_ORDER))
    for row in profiles.assign(_order=order).sort_values(["_order", "network"]).itertuples():
        days = row.days_since_last_post
        if fmt.is_missing(days):
            when = t["no_posts_known"]
        elif days <= 1:
            when = t["last_post_today"] if days == 0 else t["last_post_day"]
        else:
            when = t["last_post_days"].format(days=fmt.number(days, lang))
        rate = "" if fmt.is_missing(row.posts_per_week) else \
            " · " + t["per_week"].format(n=fmt.number(row.posts_per_week, lang))
        st.markdown(f"{fmt.status_md(row.status, lang)} · **{fmt.network(row.network)}** "
                    f"{fmt.escape_md('@' + row.handle)} · {when}{rate}")


def risks() -> None:
    st.subheader(t["risks"])
    found = views.risks(ctx.result, ctx.institution)
    if not found:
        st.success(t["no_risks"], icon=":material/check_circle:")
    for icon, headline_text, detail in found:
        st.markdown(f"{icon} **{fmt.escape_md(headline_text)}**")
        if detail:
            st.caption(fmt.escape_md(detail))


def actions(raised: dict[str, int]) -> None:
    """The plan's first actions; ``raised``: action_id -> audits in a row that raised it
    (from the history; empty without one)."""
    plan = ctx.result.recommendations
    top = plan[(plan["institution"] == ctx.institution) & plan["in_plan"]].sort_values("rank")
    st.subheader(t["top_actions"].format(n=len(top)))
    if top.empty:
        st.success(t["no_actions"], icon=":material/check_circle:")
    dimensions = fmt.dimension_labels(ctx.result.rubric, lang)
    horizons = ctx.result.rubric.horizons
    for row in top.itertuples():
        with st.container(border=True):
            st.markdown(f"**{row.rank}. {fmt.escape_md(getattr(row, f'action_{lang}'))}**")
            st.caption(f":material/schedule: {horizons[row.horizon]['span'][lang]} · "
                       f"{dimensions[row.dimension]} · {fmt.effort(row.effort, lang)} — "
                       f"{fmt.escape_md(getattr(row, f'evidence_{lang}'))}")
            again = history_view.raised_note(raised.get(row.action_id, 1), lang)
            if again:
                st.caption(f":material/history: {again}")


@st.cache_data(show_spinner=False, max_entries=64)
def _pdf(audit_key: tuple, institution: str, lang: str, history_key: tuple | None, _result,
         _since) -> bytes:
    """The institution's PDF scorecard, made once per audit, institution, language and
    state of the history (the audit it is compared with and its trend)."""
    return scorecard_pdf(_result, institution, _since)


def pdf_download(result, institution: str, since) -> None:
    """The scorecard as PDF, made only when the button is clicked (then cached); with a
    history, it carries the change since the previous audit."""
    key = (ctx.digest, ctx.as_of, result.rubric.sha256)
    history_key = history_view.pdf_key(since)
    st.download_button(text("pdf.download_scorecard", lang),
                       lambda: _pdf(key, institution, lang, history_key, result, since),
                       file_name=pdf_names([institution])[institution],
                       mime="application/pdf", icon=":material/picture_as_pdf:",
                       on_click="ignore", key=f"scorecard_pdf_{lang}")


def main() -> None:
    if not state.ready(ctx):
        return
    result, institution = ctx.result, ctx.institution
    card = result.scorecard.institutions
    row = card.loc[institution]
    sector = fmt.sector(row["sector"], lang)
    profiles = views.profiles_of(result, institution)
    st.title(fmt.escape_md(institution))
    st.caption(f"{sector} · {fmt.escape_md(row['country'])} · {t['as_of']}: "
               f"{fmt.date(result.data.as_of, lang)} · {t['rubric']}: "
               f"{result.rubric.label[lang]}")
    found = history_view.lookup(ctx)
    pdf_download(result, institution, found[0])
    headline(row, percentiles(card)["overall_score"][institution], profiles)
    peers, n = views.peer_frame(result, institution)
    chart_col, side_col = st.columns([3, 2], gap="large")
    with chart_col:
        vega.chart(("dimensions", ctx.digest, ctx.as_of, result.rubric.sha256, lang,
                    institution), lambda: charts.dimensions_chart(peers, t, institution,
                                                                  sector, n))
        with st.expander(t["as_table"]):
            st.dataframe(peers[["label", "score_text", "median_text"]], hide_index=True,
                         column_config={"label": t["chart_dimension"],
                                        "score_text": t["chart_score"],
                                        "median_text": t["chart_median"]})
    with side_col:
        networks(profiles)
    risks_col, actions_col = st.columns([2, 3], gap="large")
    with risks_col:
        risks()
    with actions_col:
        actions(history_view.in_a_row(ctx, (found[0], None)))
    history_view.save_control(ctx)
    history_view.progress_block(ctx, found)
    st.divider()
    st.caption(t["footer"].format(as_of=fmt.date(result.data.as_of, lang),
                                  rubric=result.rubric.id, version=result.rubric.version,
                                  sha=result.rubric.sha256[:12], software=__version__))


main()
