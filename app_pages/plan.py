"""Action plan: the institution's recommended actions on a 30-day, 90-day and 12-month
horizon, each with the evidence that triggered it and the work it comes from: "Title (Author,
Year)" and its words in quotation marks, or a paraphrase labelled as one."""

from __future__ import annotations

import streamlit as st

from audit import tables
from ui import fmt, state

ctx = state.context()
t, lang = ctx.t, ctx.lang


def action(row, dimensions: dict, criteria: dict) -> None:
    with st.container(border=True):
        st.markdown(f"**{row.rank}. {fmt.escape_md(getattr(row, f'action_{lang}'))}**")
        st.caption(t["action_meta"].format(
            dimension=dimensions[row.dimension],
            criterion=criteria[(row.dimension, row.criterion)],
            score=fmt.score(row.score, lang), target=fmt.score(row.target, lang),
            effort=fmt.effort(row.effort, lang), priority=fmt.number(row.priority, lang, 4)))
        st.markdown(fmt.escape_md(getattr(row, f"evidence_{lang}")))
        peer = getattr(row, f"best_peer_phrase_{lang}", None)
        if isinstance(peer, str) and peer:
            st.caption(f":material/groups: {fmt.escape_md(peer)}")
        source = t["action_source"].format(source=fmt.escape_md(getattr(row, f"source_{lang}")))
        st.caption(f":material/description: {source} — "
                   f"{fmt.escape_md(getattr(row, f'source_passage_{lang}'))}")


def main() -> None:
    if not state.ready(ctx):
        return
    result, institution = ctx.result, ctx.institution
    st.title(t["page_plan"])
    st.subheader(fmt.escape_md(institution))
    st.caption(t["plan_intro"])
    plan = result.recommendations
    mine = plan[plan["institution"] == institution].sort_values("rank")
    dimensions = fmt.dimension_labels(result.rubric, lang)
    criteria = fmt.criterion_labels(result.rubric, lang)
    for horizon, spec in result.rubric.horizons.items():
        title = t["horizon_title"].format(label=spec["label"][lang], span=spec["span"][lang])
        actions = mine[mine["horizon"] == horizon]
        st.header(f"{title} · {len(actions)}", divider="gray")
        if actions.empty:
            st.caption(t["no_actions_horizon"])
        for row in actions.itertuples():
            action(row, dimensions, criteria)
    everything = tables(result)["recommendations"]
    left, right = st.columns(2)
    stem = "plan_de_accion" if lang == "es" else "action_plan"
    left.download_button(
        t["download_plan"],
        everything[everything["institution"] == institution].to_csv(index=False).encode(),
        file_name=f"{stem}.csv", mime="text/csv", icon=":material/download:")
    right.download_button(t["download_plan_all"], everything.to_csv(index=False).encode(),
                          file_name=f"{stem}_todas.csv" if lang == "es" else f"{stem}_all.csv",
                          mime="text/csv", icon=":material/download:")


main()
