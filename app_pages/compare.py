"""Compare: every institution side by side, for the researcher and the peer-minded executive.

A sortable table (level, overall score, percentile within the sector, every dimension) and
each sector's spread of overall scores. Numbers stay numbers so that headers sort them.
"""

from __future__ import annotations

import streamlit as st

from ui import charts, fmt, state, views

ctx = state.context()
t, lang = ctx.t, ctx.lang


def main() -> None:
    if not state.ready(ctx, institution=False):
        return
    st.title(t["page_compare"])
    st.caption(t["compare_intro"])
    table = views.compare_table(ctx.result)
    sectors = sorted(ctx.result.scorecard.institutions["sector"].unique())
    chosen = st.multiselect(t["filter_sector"], sectors, default=sectors,
                            format_func=lambda s: fmt.sector(s, lang),
                            key=f"compare_sectors_{lang}")
    shown = table[table["sector"].isin([fmt.sector(s, lang) for s in chosen])]
    dimensions = fmt.dimension_labels(ctx.result.rubric, lang)
    score = {"min_value": 0, "max_value": 100, "format": "%d"}
    height = min(38 + 35 * len(shown), 700)
    st.dataframe(shown, hide_index=True, placeholder="—", height=height, column_config={
        "institution": st.column_config.TextColumn(t["col_institution"], pinned=True),
        "sector": t["col_sector"], "country": t["col_country"],
        "level": st.column_config.NumberColumn(t["col_level"], format="%d"),
        "level_label": t["col_level_label"],
        "overall": st.column_config.ProgressColumn(t["col_overall"], **score),
        "percentile": st.column_config.NumberColumn(t["col_percentile"], format="%d"),
        **{d: st.column_config.NumberColumn(label, format="%d")
           for d, label in dimensions.items()}})
    st.download_button(t["download_compare"], shown.to_csv(index=False).encode("utf-8"),
                       file_name="comparison.csv" if lang == "en" else "comparacion.csv",
                       mime="text/csv", icon=":material/download:")
    if not shown.empty:
        st.altair_chart(charts.sector_strip(shown, t), width="stretch")


main()
