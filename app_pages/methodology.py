"""Methodology: how each measure is computed, the guidelines it comes from, and the versions
and fingerprints (software, rubric, audit date, input hashes) that make the numbers
reproducible: the researcher's methods appendix."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from audit import __version__
from ui import fmt, state

ctx = state.context()
t, lang = ctx.t, ctx.lang
METHODOLOGY = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"


@st.cache_data(show_spinner=False)
def methodology_text() -> str | None:
    return METHODOLOGY.read_text(encoding="utf-8") if METHODOLOGY.exists() else None


def versions(rubric) -> None:
    st.subheader(t["method_versions"])
    facts = {t["software_version"]: f"audit {__version__}",
             t["rubric_id"]: f"{rubric.id} {rubric.version} ({rubric.path})",
             t["rubric_sha"]: rubric.sha256}
    if ctx.usable:
        facts[t["as_of"]] = fmt.date(state.summary(ctx)["as_of"], lang)
    st.dataframe(pd.DataFrame({"item": list(facts), "value": list(facts.values())}),
                 hide_index=True, placeholder="—", column_config={"item": " ", "value": " "})
    if ctx.usable:
        st.markdown(f"**{t['inputs_title']}**")
        st.dataframe(pd.DataFrame(state.summary(ctx)["inputs"]), hide_index=True,
                     column_config={"name": t["col_file"], "format": t["col_format"],
                                    "bytes": t["col_bytes"], "sha256": t["col_sha"]})


def criteria(rubric) -> None:
    st.subheader(t["method_criteria"])
    st.dataframe(pd.DataFrame([{
        "dimension": d["label"][lang], "criterion": c["label"][lang],
        "description": c["description"][lang], "metric": c["metric"],
        "scoring": fmt.scoring(c["scoring"], lang), "source": rubric.citation(c["source"], lang),
    } for d, c in rubric.criteria()]), hide_index=True, placeholder="—", column_config={
        "dimension": t["col_dimension"], "criterion": t["col_criterion"],
        "description": st.column_config.TextColumn(t["col_description"], width="large"),
        "metric": t["col_metric"], "scoring": t["col_scoring"], "source": t["col_source"]})
    st.subheader(t["method_guides"])
    cited = pd.DataFrame([{"source": rubric.citation(c["source"], lang),
                           "passage": rubric.passage(c["source"], lang)}
                          for _, c in rubric.criteria()])
    guides = cited.groupby("source", as_index=False).agg(
        criteria=("passage", "size"), passage=("passage", "first"))
    st.dataframe(guides, hide_index=True, placeholder="—", column_config={
        "source": t["col_source"], "criteria": t["col_criteria_count"],
        "passage": st.column_config.TextColumn(t["col_passage"], width="large")})


def main() -> None:
    rubric = ctx.rubric or state.named_rubric(state.BASE_RUBRIC)
    st.title(t["method_title"])
    versions(rubric)
    criteria(rubric)
    st.divider()
    text = methodology_text()
    if text is None:
        st.caption(t["method_missing"])
    else:
        st.markdown(text)


main()
