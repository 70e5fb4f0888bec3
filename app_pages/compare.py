"""Compare: every institution side by side, for the researcher and the peer-minded executive.

A sortable table (level, overall score, percentile within the sector, every dimension),
each sector's spread of overall scores, then the peer clusters: a map of similar
institutions, each cluster's average profile, the stability of the clustering, and every
institution's percentile within its sector or cluster. Numbers stay numbers so that headers
sort them. With too few institutions the page says why there are no clusters.
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
    st.download_button(t["download_research"], state.research_zip(ctx),
                       file_name="research_exports.zip", mime="application/zip",
                       icon=":material/download:")
    if not shown.empty:
        st.altair_chart(charts.sector_strip(shown, t), width="stretch")
    peers()


def peers() -> None:
    result = ctx.result
    clusters = result.peers
    st.header(t["peers_header"])
    if clusters is None or not clusters.ok:
        st.info(clusters.reason(lang) if clusters is not None else t["peers_header"])
        percentiles()
        return
    st.caption(t["peers_intro"])
    st.altair_chart(charts.cluster_map(views.cluster_map(result), t, clusters.explained),
                    width="stretch")
    dimensions = fmt.dimension_labels(result.rubric, lang)
    st.subheader(t["cluster_profiles"])
    st.dataframe(views.cluster_profiles(result), hide_index=True, placeholder="—",
                 column_config={
                     "cluster": st.column_config.NumberColumn(t["cluster"], format="%d"),
                     "name": t["col_cluster_name"], "size": t["col_size"],
                     **{d: st.column_config.NumberColumn(label, format="%d")
                        for d, label in dimensions.items()}})
    st.caption(t["cluster_summary"].format(
        method="k-means" if clusters.method == "kmeans" else "Ward", k=clusters.k,
        how=t["cluster_k_fixed" if clusters.k_fixed else "cluster_k_auto"],
        silhouette=fmt.number(clusters.silhouette, lang, digits=2),
        agreement=fmt.number(clusters.agreement, lang, digits=2), n=clusters.bootstraps,
        seed=clusters.seed))
    if not clusters.excluded.empty:
        items = "; ".join(f"{row.institution} ({getattr(row, f'reason_{lang}')})"
                          for row in clusters.excluded.itertuples())
        st.caption(t["cluster_excluded"].format(items=items))
    if not clusters.imputed.empty:
        st.caption(t["cluster_imputed"].format(n=len(clusters.imputed)))
    if len(clusters.silhouette_by_k) > 1:
        st.altair_chart(charts.silhouette_chart(clusters.silhouette_by_k, clusters.k, t),
                        width="stretch")
    percentiles(clustered=True)


def percentiles(clustered: bool = False) -> None:
    st.subheader(t["percentiles_header"])
    st.caption(t["percentiles_intro"])
    by = "sector"
    if clustered:
        by = st.radio(t["percentiles_by"], ["sector", "cluster"], horizontal=True,
                      format_func=lambda b: t[f"by_{b}"], key=f"percentiles_by_{lang}")
    dimensions = fmt.dimension_labels(ctx.result.rubric, lang)
    st.dataframe(views.percentile_table(ctx.result, by), hide_index=True, placeholder="—",
                 column_config={
                     "institution": st.column_config.TextColumn(t["col_institution"],
                                                                pinned=True),
                     "group": t["col_group"],
                     "overall": st.column_config.NumberColumn(t["col_overall"], format="%d"),
                     **{d: st.column_config.NumberColumn(label, format="%d")
                        for d, label in dimensions.items()}})


main()
