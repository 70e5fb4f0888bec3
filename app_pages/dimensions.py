"""Dimensions and evidence: every criterion's measured value, score and evidence, and the
rows behind them, so that an auditor can check each number against the data."""

from __future__ import annotations

import streamlit as st

from ui import fmt, state, views

ctx = state.context()
t, lang = ctx.t, ctx.lang


def dimension_tab(dimension: dict, total_weight: float) -> None:
    result, institution = ctx.result, ctx.institution
    value = result.scorecard.institutions.loc[institution, dimension["id"]]
    left, right = st.columns([1, 3])
    left.metric(t["dimension_score"], fmt.score(value, lang))
    share = fmt.number(100 * float(dimension["weight"]) / total_weight, lang, 0)
    right.markdown(fmt.escape_md(dimension.get("description", {}).get(lang, "")))
    right.caption(t["dimension_weight"].format(share=share))
    st.dataframe(views.criteria_table(result, institution, dimension["id"]), hide_index=True,
                 column_config={
                     "criterion": st.column_config.TextColumn(t["col_criterion"], width="medium"),
                     "value": t["col_measured"], "score": t["col_score"],
                     "target": t["col_target"], "weight": t["col_weight"],
                     "evidence": st.column_config.TextColumn(t["col_evidence"], width="large")})
    for criterion in dimension["criteria"]:
        rows = views.details_for(result, institution, dimension["id"], criterion["id"])
        if rows is None or rows.empty:
            continue
        label = t["evidence_rows"].format(criterion=fmt.escape_md(criterion["label"][lang]),
                                          n=len(rows))
        with st.expander(label):
            st.dataframe(rows, hide_index=True, placeholder="—")


def main() -> None:
    if not state.ready(ctx):
        return
    st.title(t["page_dimensions"])
    st.subheader(fmt.escape_md(ctx.institution))
    rubric = ctx.result.rubric
    scores = ctx.result.scorecard.institutions.loc[ctx.institution]
    total = sum(float(d["weight"]) for d in rubric.dimensions)
    tabs = st.tabs([f"{fmt.escape_md(d['label'][lang])} · {fmt.score(scores[d['id']], lang)}"
                    for d in rubric.dimensions])
    for tab, dimension in zip(tabs, rubric.dimensions, strict=True):
        with tab:
            dimension_tab(dimension, total)
    st.subheader(t["profile_detail"])
    profiles = views.profiles_of(ctx.result, ctx.institution)
    shown = profiles.drop(columns=["institution", "sector", "country"]).assign(
        network=profiles["network"].map(fmt.network),
        status=profiles["status"].map(t["statuses"]))
    number = st.column_config.NumberColumn
    st.dataframe(shown, hide_index=True, placeholder="—", column_config={
        "network": t["col_network"], "handle": t["col_handle"],
        "handle_original": t["col_handle_original"], "display_name": t["col_display_name"],
        "last_post_at": t["col_last_post"], "posts_in_window": t["col_posts_window"],
        "posts_source": t["col_posts_source"],
        "source_row": number(t["col_source_row"], format="%d"),
        "followers": number(t["col_followers"], format="%d"),
        "days_since_last_post": number(t["col_days"], format="%d"),
        "posts_per_week": number(t["col_per_week"], format="%.1f"),
        "status": t["col_status"]})

main()
