"""Altair charts, labelled in the chosen language and readable without colour.

Meaning is carried by the kind of mark and by text, never by hue alone: a bar is the
institution, a thick vertical tick is the sector median, and each row ends with its score
written out (or 'sin evaluar' / 'not evaluated' where there is no bar), in a column of its
own right of the scale so that no tick can cover a number.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

__all__ = ["dimensions_chart", "sector_strip"]

_BAR = "#4c78a8"
_INK = "#262730"


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
    bars = alt.Chart(data).mark_bar(color=_BAR, height=22).encode(
        x=alt.X("bar:Q", scale=x_scale, title=t["chart_x"]), y=y, tooltip=tooltip)
    median = alt.Chart(data).mark_tick(color=_INK, thickness=3, size=32).encode(
        x=alt.X("median:Q", scale=x_scale), y=y, tooltip=tooltip)
    labels = alt.Chart(data).mark_text(align="left", dx=12, fontSize=13, fontWeight="bold",
                                       color=_INK).encode(
        x=alt.X("text_x:Q", scale=x_scale), y=y, text="text:N")
    title = alt.TitleParams(
        t["dimensions_vs_peers"], anchor="start", fontSize=16,
        subtitle=t["chart_subtitle"].format(inst=institution, sector=sector, n=peers)
        .split("\n"), subtitleFontSize=12)
    return alt.layer(bars, median, labels).properties(
        title=title, height=alt.Step(40)).configure_view(stroke=None)


def sector_strip(frame: pd.DataFrame, t: dict) -> alt.Chart:
    """Each institution's overall score as a point on its sector's row, with the sector
    median as a tick: where an institution stands among its peers at a glance."""
    data = frame.dropna(subset=["overall"])
    y = alt.Y("sector:N", title=None, axis=alt.Axis(labelLimit=220, labelFontSize=13))
    x = alt.X("overall:Q", scale=alt.Scale(domain=[0, 100]), title=t["chart_x"])
    points = alt.Chart(data).mark_point(size=90, filled=False, color=_BAR, strokeWidth=2).encode(
        x=x, y=y, tooltip=[alt.Tooltip("institution:N", title=t["col_institution"]),
                           alt.Tooltip("overall:Q", title=t["col_overall"], format=".0f"),
                           alt.Tooltip("level_label:N", title=t["col_level_label"])])
    medians = alt.Chart(data).mark_tick(color=_INK, thickness=3, size=30).encode(
        x=alt.X("median(overall):Q"), y=y)
    title = alt.TitleParams(t["compare_chart"], anchor="start",
                            subtitle=t["chart_median"] + ": │")
    return alt.layer(points, medians).properties(
        title=title, height=alt.Step(44)).configure_view(stroke=None)
