"""Compare: every institution side by side, for the researcher and the peer-minded executive.

A sortable table (level, overall score, percentile within the sector, every dimension),
each sector's spread of overall scores, then the peer clusters as the user chooses them
(k-means or Ward with its dendrogram, k automatic or fixed, size optional): a map of similar
institutions, each cluster's average profile, the stability of the clustering (when asked:
its refits are most of a clustering's cost), and every institution's percentile within its
sector or cluster; last, whether sectors, countries or those clusters differ (Kruskal-Wallis
with effect size, pairwise tests with Holm). Numbers stay numbers so that headers sort them.
With too few institutions the page says why there are no clusters or no test. Downloads are
written when clicked, not on every rerun of the page.
"""

from __future__ import annotations

import streamlit as st

from audit import group_report_pdf, text
from ui import charts, fmt, state, vega, views

ctx = state.context()
t, lang = ctx.t, ctx.lang


@st.cache_data(show_spinner=False, max_entries=8)
def _group_pdf(audit_key: tuple, lang: str, _result) -> bytes:
    """The group report as PDF, made once per audit and language."""
    return group_report_pdf(_result)


def group_download() -> None:
    """Every institution on one table as PDF, made only when the button is clicked."""
    result = ctx.result
    key = (ctx.digest, ctx.as_of, result.rubric.sha256)
    st.download_button(text("pdf.download_group", lang), lambda: _group_pdf(key, lang, result),
                       file_name="group_report.pdf", mime="application/pdf",
                       icon=":material/picture_as_pdf:", on_click="ignore", key=f"group_pdf_{lang}")


def main() -> None:
    if not state.ready(ctx, institution=False):
        return
    st.title(t["page_compare"])
    st.caption(t["compare_intro"])
    group_download()
    table = state.kept(("compare", *state.result_key(ctx, ctx.result)),
                       lambda: views.compare_table(ctx.result))
    sectors = sorted(ctx.result.scorecard.institutions["sector"].fillna("").unique())
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
    st.download_button(t["download_compare"], lambda: fmt.csv_bytes(shown),
                       file_name="comparison.csv" if lang == "en" else "comparacion.csv",
                       mime="text/csv", icon=":material/download:", on_click="ignore",
                       key=f"compare_csv_{lang}")
    if not shown.empty:
        vega.chart(("sector_strip", *state.result_key(ctx, ctx.result), tuple(chosen)),
                   lambda: charts.sector_strip(shown, t))
    clustered = peers()
    groups(clustered)
    st.subheader(t["research_downloads"])
    st.caption(t["research_downloads_intro"])
    # built when clicked, not on every re-clustering: it writes every research export
    st.download_button(t["download_research"], lambda: state.research_zip(ctx, clustered),
                       file_name="research_exports.zip", mime="application/zip",
                       icon=":material/download:", on_click="ignore",
                       key=f"research_zip_{lang}")


def peers():
    """The peer clusters as the user chooses them; returns the audit whose clusters are
    shown, so that the group comparison below compares those same clusters."""
    clusters = ctx.result.peers
    st.header(t["peers_header"])
    if clusters is None or not clusters.ok:
        st.info(fmt.escape_md(clusters.reason(lang)) if clusters is not None
                else t["peers_header"])
        percentiles()
        return ctx.result
    st.caption(t["peers_intro"])
    result = chosen_clusters()
    clusters = result.peers
    vega.chart(("cluster_map", *state.result_key(ctx, result)),
               lambda: charts.cluster_map(views.cluster_map(result), t, clusters.explained))
    if clusters.method == "ward":
        vega.chart(("dendrogram", *state.result_key(ctx, result)),
                   lambda: charts.dendrogram_chart(*views.dendrogram(result), t))
    dimensions = fmt.dimension_labels(result.rubric, lang)
    st.subheader(t["cluster_profiles"])
    profiles = state.kept(("cluster_profiles", *state.result_key(ctx, result)),
                          lambda: views.cluster_profiles(result))
    st.dataframe(profiles, hide_index=True, placeholder="—",
                 column_config={
                     "cluster": st.column_config.NumberColumn(t["cluster"], format="%d"),
                     "name": t["col_cluster_name"], "size": t["col_size"],
                     **{d: st.column_config.NumberColumn(label, format="%d")
                        for d, label in dimensions.items()}})
    st.caption(t["cluster_summary"].format(
        method="k-means" if clusters.method == "kmeans" else "Ward", k=clusters.k,
        how=t["cluster_k_fixed" if clusters.k_fixed else "cluster_k_auto"],
        silhouette=fmt.number(clusters.silhouette, lang, digits=2), seed=clusters.seed)
        + (" " + t["cluster_size_note"] if clusters.covariates else ""))
    stability(clusters)
    if not clusters.excluded.empty:
        items = "; ".join(fmt.escape_md(f"{row.institution} ({getattr(row, f'reason_{lang}')})")
                          for row in clusters.excluded.itertuples())
        st.caption(t["cluster_excluded"].format(items=items))
    if not clusters.imputed.empty:
        st.caption(t["cluster_imputed"].format(n=len(clusters.imputed)))
    if len(clusters.silhouette_by_k) > 1:
        vega.chart(("silhouette", *state.result_key(ctx, result)),
                   lambda: charts.silhouette_chart(clusters.silhouette_by_k, clusters.k, t))
    percentiles(result)
    return result


def stability(clusters) -> None:
    """The stability of ``clusters`` (those shown), when the user asks for it: its bootstrap refits
    are most of a clustering's cost, computed on first reading (``Clusters.agreement``), so
    that trying methods and k waits for the groups alone. The choice is remembered."""
    n = clusters.bootstraps
    if st.toggle(t["cluster_stability_toggle"].format(n=n),
                 help=t["cluster_stability_help"].format(n=n),
                 **_remembered("cluster_stability")):
        st.caption(t["cluster_agreement"].format(
            n=n, agreement=fmt.number(clusters.agreement, lang, digits=2)))


def chosen_clusters():
    """The audit with its peers clustered as the user chooses here (method, k, size); the
    clustering itself runs, cached, in ui/state.py."""
    method_col, k_col, size_col = st.columns(3)
    method = method_col.radio(t["cluster_method"], ["kmeans", "ward"], horizontal=True,
                              format_func=lambda m: t[f"cluster_method_{m}"],
                              help=t["cluster_method_help"], **_remembered("cluster_method"))
    k = k_col.selectbox(t["cluster_k"], state.CLUSTER_K_CHOICES,
                        format_func=lambda c: t["cluster_k_auto_option"] if c == "auto"
                        else str(c), **_remembered("cluster_k"))
    size = size_col.checkbox(t["cluster_size"], help=t["cluster_size_help"],
                             **_remembered("cluster_size"))
    return state.clustered(ctx, method, k, size)


def _remembered(name: str) -> dict:
    """Key and callback for a clustering widget whose choice outlives it.

    Streamlit forgets a widget's value when its page is left, and the key carries the
    language (a browser keeps the old labels of a widget whose key stays), so the choice is
    also kept under ``name`` and given back to the widget: Ward stays Ward after a visit to
    another page or a language switch."""
    key = f"{name}_{lang}"
    if name in st.session_state:
        st.session_state[key] = st.session_state[name]
    return {"key": key, "on_change": state.keep, "args": (key, name)}


def percentiles(clustered=None) -> None:
    """Percentiles within the sector or, given the audit whose clusters the page shows
    (``clustered``, an AuditResult), within those clusters."""
    st.subheader(t["percentiles_header"])
    st.caption(t["percentiles_intro"])
    by = "sector"
    if clustered is not None:
        by = st.radio(t["percentiles_by"], ["sector", "cluster"], horizontal=True,
                      format_func=lambda b: t[f"by_{b}"], key=f"percentiles_by_{lang}")
    result = ctx.result if clustered is None else clustered
    dimensions = fmt.dimension_labels(result.rubric, lang)
    # by sector, the same table whichever clustering is shown
    key = state.result_key(ctx, ctx.result if by == "sector" else result)
    table = state.kept(("percentiles", *key, by), lambda: views.percentile_table(result, by))
    st.dataframe(table, hide_index=True, placeholder="—",
                 column_config={
                     "institution": st.column_config.TextColumn(t["col_institution"],
                                                                pinned=True),
                     "group": t["col_group"],
                     "overall": st.column_config.NumberColumn(t["col_overall"], format="%d"),
                     **{d: st.column_config.NumberColumn(label, format="%d")
                        for d, label in dimensions.items()}})


def groups(result) -> None:
    """Whether sectors, countries or the peer clusters shown above (``result``, the audit as
    clustered on this page) differ, score by score: the tests for the researcher, one
    sentence for the executive, or why there is nothing to test."""
    st.header(t["groups_header"])
    by = st.radio(t["groups_by"], views.groupings(result), horizontal=True,
                  format_func=lambda b: t["groups_by_names"][b], key=f"groups_by_{lang}")
    st.caption(views.group_method_note(lang))
    if by == "cluster":
        st.caption(t["groups_cluster_caveat"])
    table = state.group_tests(ctx, result, by)
    # the sectors' and countries' tests are the same whichever clustering is shown
    key = (*state.result_key(ctx, result if by == "cluster" else ctx.result), by)
    if (table["k"] < 2).all():
        st.info(fmt.escape_md(views.group_reading(table.iloc[0], by, lang)))
        return
    st.dataframe(state.kept(("groups", *key), lambda: views.group_comparison_text(table, lang)),
                 hide_index=True, placeholder="—",
                 column_config={
                     "score": st.column_config.TextColumn(t["groups_col_score"], pinned=True),
                     "k": t["groups_col_k"], "n": t["groups_col_n"],
                     "n_not_evaluated": t["groups_col_missing"],
                     "df": st.column_config.NumberColumn(t["groups_col_df"], format="%d"),
                     "epsilon_squared": "ε²", "effect": t["groups_col_effect"],
                     "small_groups": t["groups_col_small"]})
    st.download_button(t["groups_download"], lambda: fmt.csv_bytes(table),
                       file_name=t["groups_file"].format(by=by), mime="text/csv",
                       icon=":material/download:", on_click="ignore",
                       key=f"groups_csv_{lang}")
    names = dict(zip(table["column"], table["score"], strict=True))
    column = st.selectbox(t["groups_score"], list(names), format_func=names.get,
                          key=f"groups_score_{lang}")
    row = table[table["column"] == column].iloc[0]
    st.info(fmt.escape_md(views.group_reading(row, by, lang)))
    pairs = state.group_tests(ctx, result, by, column)
    if pairs.empty:
        return
    st.subheader(t["groups_pairs"])
    st.caption(views.pairwise_note(len(pairs), lang))
    st.dataframe(state.kept(("pairs", *key, column), lambda: views.pairwise_text(pairs, lang)),
                 hide_index=True, placeholder="—",
                 column_config={
                     "group_a": t["groups_col_a"], "group_b": t["groups_col_b"],
                     "n_a": t["groups_col_n_a"], "n_b": t["groups_col_n_b"],
                     "median_a": t["groups_col_median_a"],
                     "median_b": t["groups_col_median_b"],
                     "p_holm": t["groups_col_p_holm"], "cliffs_delta": t["groups_col_delta"],
                     "effect": t["groups_col_effect"]})
    st.download_button(t["groups_pairs_download"], lambda: fmt.csv_bytes(pairs),
                       file_name=t["groups_pairs_file"].format(by=by, score=column),
                       mime="text/csv", icon=":material/download:", on_click="ignore",
                       key=f"groups_pairs_csv_{lang}")


main()
