"""A chart made once as a Vega-Lite spec (ui/vega.py) and sent with ``st.vega_lite_chart``
reaches the browser as ``st.altair_chart`` sends it: the same spec to the byte once the
tables' names are set aside, and the same tables in the same order."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ui import charts, vega
from ui.i18n import TEXT


def _frames(seed: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n = 9
    names = [f"Institución {i}" for i in range(n)]
    scores = rng.uniform(0, 100, n).round()
    scores[1] = np.nan
    return {
        "dimensions": pd.DataFrame({
            "dimension": ["tone", "identity", "activity"], "label": ["Tono", "Identidad", "Act"],
            "score": [55.0, np.nan, 90.0], "median": [60.0, 70.0, np.nan],
            "score_text": ["55", "sin evaluar", "90"], "median_text": ["60", "70", "—"]}),
        "compare": pd.DataFrame({
            "institution": names, "sector": rng.choice(["Salud", "Agua"], n),
            "overall": scores, "level_label": ["Básico"] * n}),
        "map": pd.DataFrame({
            "institution": names, "sector": ["Salud"] * n, "x": rng.normal(size=n).round(3),
            "y": rng.normal(size=n).round(3), "cluster": [str(1 + i % 3) for i in range(n)],
            "cluster_name": [f"{1 + i % 3} · Grupo" for i in range(n)]}),
        "segments": pd.DataFrame(rng.uniform(0, 5, (6, 4)), columns=["x", "y", "x2", "y2"]),
        "leaves": pd.DataFrame({"institution": names[:4], "position": range(4),
                                "cluster": [1, 1, 2, 2],
                                "label": [f"{m} · Grupo" for m in names[:4]]}),
    }


def _all_charts(frames: dict, t: dict) -> list:
    return [charts.dimensions_chart(frames["dimensions"], t, "Institución 0", "Salud", 9),
            charts.sector_strip(frames["compare"], t),
            charts.cluster_map(frames["map"], t, (0.41, 0.22)),
            charts.dendrogram_chart(frames["segments"], frames["leaves"], t),
            charts.silhouette_chart({2: 0.31, 3: 0.42, 4: 0.28}, 3, t)]


def _render(seed: int, lang: str, how: str) -> list:
    def script(seed, lang, how):
        import streamlit as st
        from test_ui_vega import _all_charts, _frames

        from ui import vega
        from ui.i18n import TEXT

        for chart in _all_charts(_frames(seed), TEXT[lang]):
            if how == "altair":
                st.altair_chart(chart, width="stretch")
            else:
                st.vega_lite_chart(spec=vega.spec(chart), width="stretch")

    at = AppTest.from_function(script, args=(seed, lang, how), default_timeout=60).run()
    assert not at.exception
    return at.get("vega_lite_chart")


def _without_names(chart) -> str:
    names = [d.name for d in chart.proto.datasets]
    text = chart.proto.spec
    for i, name in enumerate(names):
        text = text.replace(name, f"<dataset {i}>")
    return text


@pytest.mark.parametrize(("seed", "lang"), [(0, "es"), (1, "en"), (2, "es")])
def test_the_spec_sent_is_the_one_st_altair_chart_sends(seed, lang):
    sent, expected = _render(seed, lang, "spec"), _render(seed, lang, "altair")
    assert len(sent) == len(expected) == 5
    for ours, theirs in zip(sent, expected, strict=True):
        assert _without_names(ours) == _without_names(theirs)
        assert [d.data.data for d in ours.proto.datasets] == \
            [d.data.data for d in theirs.proto.datasets]
        assert len(ours.proto.datasets) >= 1
        assert (ours.proto.use_container_width, ours.proto.theme) == \
            (theirs.proto.use_container_width, theirs.proto.theme)
        assert not re.search(r'"values"', ours.proto.spec)  # the data travel as tables


def test_a_table_is_named_by_its_content():
    frames = _frames(0)
    t = TEXT["es"]
    first = vega.spec(charts.sector_strip(frames["compare"], t))
    again = vega.spec(charts.sector_strip(frames["compare"].copy(), t))
    moved = frames["compare"].assign(overall=frames["compare"]["overall"] + 1)
    other = vega.spec(charts.sector_strip(moved, t))
    assert list(first["datasets"]) == list(again["datasets"])
    assert list(first["datasets"]) != list(other["datasets"])
    assert json.loads(json.dumps(first, default=str))["$schema"].startswith("https://")


def test_the_chart_itself_is_left_as_it_was():
    frames = _frames(0)
    chart = charts.dendrogram_chart(frames["segments"], frames["leaves"], TEXT["en"])
    before = [layer.data for layer in chart.layer]
    vega.spec(chart)
    assert all(a is b for a, b in zip(before, [layer.data for layer in chart.layer],
                                      strict=True))
