"""An Altair chart as the Vega-Lite spec Streamlit sends, made once per chart's data.

``st.altair_chart`` turns its chart into a spec on every rerun: Altair copies the chart and
validates it against the Vega-Lite schema, then Streamlit serialises its tables. On the
Compare page that was a third of a rerun, for charts whose data had not changed (the sector
chart does not move when the user tries another clustering). ``spec`` makes the same spec
once, the pages keep it with ``st.cache_data`` under what the chart depends on, and
``st.vega_lite_chart`` sends it: the same spec and the same Arrow tables as
``st.altair_chart`` (tests/test_ui_vega.py compares the two messages), except that each
table is named by a hash of its content computed here instead of by Streamlit.

The tables stay DataFrames in ``datasets``: ``st.vega_lite_chart`` serialises them as
``st.altair_chart`` does. The chart's own data become references to them by name, so that
Altair never meets a table and no data transformer (a setting global to every session of
the server) is switched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

__all__ = ["chart", "spec"]


def chart(key: tuple, build: Callable[[], alt.TopLevelMixin]) -> None:
    """Draw the chart ``build`` makes, across the page's width. ``key`` must name everything
    the chart depends on (the audit, its rubric, the language, the clustering, the
    institution...): the spec is made the first time a key is seen and then reused."""
    st.vega_lite_chart(spec=_kept(key, build), width="stretch")


@st.cache_data(show_spinner=False, max_entries=128)
def _kept(key: tuple, _build: Callable[[], alt.TopLevelMixin]) -> dict:
    return spec(_build())


def spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec of ``chart`` with its tables under ``datasets``, validated by
    Altair. Keys in the order Streamlit's own conversion gives them (the spec is sent as
    JSON in that order): the chart's, then ``$schema``, then ``datasets``."""
    datasets: dict[str, pd.DataFrame] = {}
    chart = _named(chart, datasets)
    if isinstance(chart, alt.LayerChart):
        chart.layer = [_named(layer, datasets) for layer in chart.layer]
    # Not at the top level: Altair would merge in the active theme, which Streamlit turns
    # off while it converts (its defaults, such as a 300-pixel view, are not for the app).
    out = chart.to_dict(context={"top_level": False})
    out["$schema"] = alt.SCHEMA_URL
    out["datasets"] = datasets
    return out


def _named(chart: alt.TopLevelMixin, datasets: dict) -> alt.TopLevelMixin:
    """A shallow copy of ``chart`` whose table, if any, is replaced by a reference to it in
    ``datasets``."""
    chart = chart.copy(deep=False)
    data = chart.data
    if isinstance(data, pd.DataFrame):
        name = _content_name(data)
        datasets[name] = data
        chart.data = alt.NamedData(name=name)
    return chart


def _content_name(frame: pd.DataFrame) -> str:
    """A name that changes whenever the table does (columns, types, index or values), so
    that the browser redraws a chart whose data changed and only that."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode("utf-8"))
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return f"data-{digest.hexdigest()}"
