"""Action plan: the institution's first actions in the order an auditor would sign them
(compliance, citizens waiting, profile decisions, the rest), then the others in an
appendix; each with its tier, horizon, the criteria it covers, the evidence that triggered
it and the work it comes from: "Title (Author, Year)" and its words in quotation marks, or a
paraphrase labelled as one. With a history of audits, an action raised before says for how
many audits in a row it has been recommended."""

from __future__ import annotations

import streamlit as st

from audit import tables
from ui import fmt, state
from ui import history as history_view

ctx = state.context()
t, lang = ctx.t, ctx.lang


def action(row, criteria: dict, horizons: dict, raised: dict[str, int]) -> None:
    with st.container(border=True):
        st.markdown(f"**{row.rank}. {fmt.escape_md(getattr(row, f'action_{lang}'))}**")
        covered = ", ".join(criteria[c] for c in row.criteria.split(";") if c)
        horizon = horizons[row.horizon]
        meta = t["action_meta"].format(
            tier=t["tiers"][row.tier],
            horizon=t["horizon_title"].format(label=horizon["label"][lang],
                                              span=horizon["span"][lang]),
            criteria=covered or "—", effort=fmt.effort(row.effort, lang),
            priority=fmt.number(row.priority, lang, 4))
        if not fmt.is_missing(row.score):
            meta += " · " + t["action_score"].format(score=fmt.score(row.score, lang),
                                                     target=fmt.score(row.target, lang))
        st.caption(meta)
        again = history_view.raised_note(raised.get(row.action_id, 1), lang)
        if again:
            st.caption(f":material/history: {again}")
        st.markdown(fmt.escape_md(getattr(row, f"evidence_{lang}")))
        peer = getattr(row, f"best_peer_phrase_{lang}", None)
        if isinstance(peer, str) and peer:
            st.caption(f":material/groups: {fmt.escape_md(peer)}")
        cited = getattr(row, f"source_{lang}")
        if cited:
            source = t["action_source"].format(source=fmt.escape_md(cited))
            st.caption(f":material/description: {source} — "
                       f"{fmt.escape_md(getattr(row, f'source_passage_{lang}'))}")


def main() -> None:
    if not state.ready(ctx):
        return
    result, institution = ctx.result, ctx.institution
    st.title(t["page_plan"])
    st.subheader(fmt.escape_md(institution))
    st.caption(t["plan_intro"].format(n=result.rubric.actions["plan_size"]))
    plan = result.recommendations
    mine = plan[plan["institution"] == institution].sort_values("rank")
    criteria = {c: label for (_, c), label in fmt.criterion_labels(result.rubric,
                                                                    lang).items()}
    horizons = result.rubric.horizons
    raised = history_view.in_a_row(ctx, history_view.lookup(ctx))
    if mine.empty:
        st.success(t["no_actions"], icon=":material/check_circle:")
    for row in mine[mine["in_plan"]].itertuples():
        action(row, criteria, horizons, raised)
    rest = mine[~mine["in_plan"]]
    if not rest.empty:
        with st.expander(t["plan_appendix"].format(n=len(rest))):
            for row in rest.itertuples():
                action(row, criteria, horizons, raised)
    everything = tables(result)["recommendations"]
    left, right = st.columns(2)
    stem = "plan_de_accion" if lang == "es" else "action_plan"
    left.download_button(
        t["download_plan"],
        fmt.csv_bytes(everything[everything["institution"] == institution]),
        file_name=f"{stem}.csv", mime="text/csv", icon=":material/download:")
    right.download_button(t["download_plan_all"], fmt.csv_bytes(everything),
                          file_name=f"{stem}_todas.csv" if lang == "es" else f"{stem}_all.csv",
                          mime="text/csv", icon=":material/download:")


main()
