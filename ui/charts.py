"""Altair charts, labelled in the chosen language and readable without colour.

Meaning is carried by the kind of mark and by text, never by hue alone: a bar is the
institution, a thick vertical tick is the sector median, and each row ends with its score
written out (or 'sin evaluar' / 'not evaluated' where there is no bar), in a column of its
own right of the scale so that no tick can cover a number.

Layers that draw the same table get it once, on the layer: given to each layer, Altair
hashes and copies every one to find that they share it (a third of drawing a chart).

Every encoding is given as its channel object (``alt.X(...)``, ``alt.Text(...)``, a
``alt.FillOpacityValue`` with its condition), never as a shorthand string, a dict or
``alt.condition``: Altair turns those into channel objects by validating them against the
Vega-Lite schema one by one (3 ms a string, 12 ms a condition), while the objects are
validated once with the whole chart. The spec is the same to the byte
(tests/test_ui_charts.py).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

__all__ = ["cluster_map", "dendrogram_chart", "dimensions_chart", "sector_strip",
           "silhouette_chart"]

_BAR = "#4c78a8"
_INK = "#262730"
_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down",
           "triangle-right", "triangle-left"]


def dimensions_chart(frame: pd.DataFrame, t: dict, institution: str, sector: str,
                     peers: int) -> alt.LayerChart:
    """Horizontal bars of the dimension scores with the sector median as a tick."""
    order = list(frame["label"])
    data = frame.assign(bar=frame["score"], text_x=100.0, text=frame["score_text"])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, labelFontSize=13))
    x_scale = alt.Scale(domain=[0, 100])
    tooltip = [alt.Tooltip("label:N", title=t["chart_dimension"]),
               alt.Tooltip("score_text:N", title=t["chart_score"]),
               alt.Tooltip("median_text:N", title=t["chart_median"])]
    bars = alt.Chart().mark_bar(color=_BAR, height=22).encode(
        x=alt.X("bar:Q", scale=x_scale, title=t["chart_x"]), y=y, tooltip=tooltip)
    median = alt.Chart().mark_tick(color=_INK, thickness=3, size=32).encode(
        x=alt.X("median:Q", scale=x_scale), y=y, tooltip=tooltip)
    labels = alt.Chart().mark_text(align="left", dx=12, fontSize=13, fontWeight="bold",
                                   color=_INK).encode(
        x=alt.X("text_x:Q", scale=x_scale), y=y, text=alt.Text("text:N"))
    title = alt.TitleParams(
        t["dimensions_vs_peers"], anchor="start", fontSize=16,
        subtitle=t["chart_subtitle"].format(inst=institution, sector=sector, n=peers)
        .split("\n"), subtitleFontSize=12)
    return alt.layer(bars, median, labels, data=data).properties(
        title=title, height=alt.Step(40)).configure_view(stroke=None)


def sector_strip(frame: pd.DataFrame, t: dict) -> alt.Chart:
    """Each institution's overall score as a point on its sector's row, with the sector
    median as a tick: where an institution stands among its peers at a glance."""
    data = frame.dropna(subset=["overall"])
    y = alt.Y("sector:N", title=None, axis=alt.Axis(labelLimit=220, labelFontSize=13))
    x = alt.X("overall:Q", scale=alt.Scale(domain=[0, 100]), title=t["chart_x"])
    points = alt.Chart().mark_point(size=90, filled=False, color=_BAR, strokeWidth=2).encode(
        x=x, y=y, tooltip=[alt.Tooltip("institution:N", title=t["col_institution"]),
                           alt.Tooltip("overall:Q", title=t["col_overall"], format=".0f"),
                           alt.Tooltip("level_label:N", title=t["col_level_label"])])
    medians = alt.Chart().mark_tick(color=_INK, thickness=3, size=30).encode(
        x=alt.X("median(overall):Q"), y=y)
    title = alt.TitleParams(t["compare_chart"], anchor="start",
                            subtitle=t["chart_median"] + ": │")
    return alt.layer(points, medians, data=data).properties(
        title=title, height=alt.Step(44)).configure_view(stroke=None)


def cluster_map(frame: pd.DataFrame, t: dict, explained: tuple[float, float]) -> alt.LayerChart:
    """Institutions on the two main axes of their standardised scores (PCA). Each cluster
    has its own shape and every point is labelled with its cluster number, so the groups
    read without colour; the legend names them and the tooltip names the institution."""
    names = sorted(frame["cluster_name"].unique(), key=lambda n: int(n.split(" ")[0]))
    shape = alt.Shape("cluster_name:N", title=t["cluster"], sort=names,
                      scale=alt.Scale(domain=names, range=_SHAPES[:len(names)]),
                      legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400))
    x = alt.X("x:Q", title=t["cluster_axis"].format(n=1, share=round(100 * explained[0])),
              axis=alt.Axis(labels=False, ticks=False))
    y = alt.Y("y:Q", title=t["cluster_axis"].format(n=2, share=round(100 * explained[1])),
              axis=alt.Axis(labels=False, ticks=False))
    tooltip = [alt.Tooltip("institution:N", title=t["col_institution"]),
               alt.Tooltip("sector:N", title=t["col_sector"]),
               alt.Tooltip("cluster_name:N", title=t["cluster"])]
    color = alt.Color("cluster_name:N", title=t["cluster"], sort=names,
                      legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400))
    points = alt.Chart().mark_point(size=110, filled=True, opacity=0.85).encode(
        x=x, y=y, shape=shape, color=color, tooltip=tooltip)
    labels = alt.Chart().mark_text(align="left", dx=8, dy=-6, fontSize=11,
                                   color=_INK).encode(x=x, y=y, text=alt.Text("cluster:N"))
    title = alt.TitleParams(t["cluster_map"], anchor="start", subtitle=t["cluster_map_sub"])
    return alt.layer(points, labels, data=frame).properties(
        title=title, height=420).configure_view(stroke=None)


def dendrogram_chart(segments: pd.DataFrame, leaves: pd.DataFrame, t: dict) -> alt.LayerChart:
    """Ward's merge tree on its side: one row per institution, named with its cluster
    ("… · Grupo 2") so the groups read without colour, and the further right two branches
    join, the less alike they are. The tree's leaf axis (``x``, ``x2`` of the segments) is
    drawn vertically, its merge height (``y``, ``y2``) horizontally, first leaf on top."""
    rows = alt.Scale(domain=[-0.5, len(leaves) - 0.5], reverse=True)
    height = alt.X("y:Q", title=t["dendrogram_x"])
    lines = alt.Chart(segments).mark_rule(color=_BAR, strokeWidth=1.5).encode(
        x=height, x2=alt.X2("y2:Q"), y=alt.Y("x:Q", scale=rows, axis=None),
        y2=alt.Y2("x2:Q"))
    names = alt.Chart(leaves.assign(y=0.0)).mark_text(
        align="right", dx=-6, fontSize=12, color=_INK).encode(
        x=height, y=alt.Y("position:Q", scale=rows, axis=None), text=alt.Text("label:N"),
        tooltip=[alt.Tooltip("label:N", title=t["col_institution"])])
    title = alt.TitleParams(t["dendrogram_title"], anchor="start",
                            subtitle=t["dendrogram_sub"])
    return alt.layer(lines, names).properties(
        title=title, height=22 * max(len(leaves), 1)).configure_view(stroke=None)


def silhouette_chart(silhouettes: dict[int, float], chosen: int, t: dict) -> alt.LayerChart:
    """Mean silhouette for each k tried, the chosen k marked by a filled bar and a label."""
    data = pd.DataFrame({"k": list(silhouettes), "silhouette": list(silhouettes.values())})
    data["chosen"] = data["k"] == chosen
    data["text"] = data["silhouette"].round(2).astype(str)
    x = alt.X("k:O", title=t["cluster_k"], axis=alt.Axis(labelAngle=0))
    y = alt.Y("silhouette:Q", title=t["cluster_silhouette"], scale=alt.Scale(domain=[-0.1, 1]))
    bars = alt.Chart().mark_bar(color=_BAR, stroke=_BAR, strokeWidth=2).encode(
        x=x, y=y, fillOpacity=alt.FillOpacityValue(
            0.15, condition={"test": "datum.chosen", "value": 1.0}))
    text = alt.Chart().mark_text(dy=-8, color=_INK).encode(x=x, y=y, text=alt.Text("text:N"))
    return alt.layer(bars, text, data=data).properties(
        title=alt.TitleParams(t["cluster_stability"], anchor="start"),
        height=220).configure_view(stroke=None)
