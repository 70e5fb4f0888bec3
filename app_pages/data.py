"""Data: upload files or load the demo, then see what was read and every data problem.

The auditor's first page. A bad file never shows a traceback: it shows the problem list,
each problem with its Excel row and an explanation, as the command line reports it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from ui import fmt, state
from ui.mapping import mapping_form

ctx = state.context()
t, lang = ctx.t, ctx.lang
# One page per platform: where to export, what is read, what is not.
REPORT_FILE = "report.xlsx"  # the command line's name for it
IMPORTER_DOCS = Path(__file__).resolve().parent.parent / "docs" / "importers"


def show_summary() -> None:
    manifest = state.summary(ctx)
    counts = manifest["counts"]
    st.subheader(t["summary"])
    cols = st.columns(5)
    cols[0].metric(t["as_of"], fmt.date(manifest["as_of"], lang))
    for col, key in zip(cols[1:], ("institutions", "profiles", "posts", "interactions"),
                        strict=True):
        col.metric(t[key], fmt.number(counts[key], lang))
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{t['rows_title']}**")
        st.dataframe(rows_table(manifest), hide_index=True, placeholder="—", column_config={
            "kind": t["col_kind"], "sheets": t["col_sheets"], "read": t["col_read"],
            "used": t["col_used"], "excluded": t["col_excluded"],
            "outside_period": t["col_outside"]})
    with right:
        st.markdown(f"**{t['inputs_title']}**")
        inputs = pd.DataFrame(manifest["inputs"])
        st.dataframe(inputs, hide_index=True, placeholder="—", column_config={
            "name": t["col_file"], "format": t["col_format"], "bytes": t["col_bytes"],
            "sha256": st.column_config.TextColumn(t["col_sha"], width="small")})


def rows_table(manifest: dict) -> pd.DataFrame:
    """Rows read, used and excluded per kind of sheet, with the sheets they came from."""
    sheets = pd.DataFrame(manifest["sheets"])
    rows = []
    for kind, numbers in manifest["rows"].items():
        names = sheets.loc[sheets["kind"] == kind, ["file", "sheet"]] if len(sheets) else []
        where = ", ".join(f"{f}: {s}" if s else f for f, s in
                          zip(names["file"], names["sheet"], strict=True)) if len(names) else ""
        rows.append({"kind": t["kinds"].get(kind, kind), "sheets": where, **numbers})
    return pd.DataFrame(rows)


def show_problems(problems: pd.DataFrame) -> None:
    st.subheader(t["problems"])
    if problems.empty:
        st.success(t["no_problems"])
        return
    st.markdown(t["problems_legend"])
    left, right = st.columns(2)
    severities = [s for s in t["severities"] if s in set(problems["severity"])]
    # The filters' keys carry the data's digest: new data start with every problem shown.
    chosen = left.multiselect(t["severity"], severities, default=severities,
                              format_func=t["severities"].get,
                              key=f"filter_severity_{lang}_{ctx.digest}")
    sheets = sorted(set(problems["sheet"].fillna("")))
    chosen_sheets = right.multiselect(t["sheet"], sheets, default=sheets,
                                      format_func=lambda s: s or t["whole_file"],
                                      key=f"filter_sheet_{lang}_{ctx.digest}")
    shown = problems[problems["severity"].isin(chosen)
                     & problems["sheet"].fillna("").isin(chosen_sheets)]
    st.caption(t["problems_shown"].format(shown=len(shown), total=len(problems)))
    st.dataframe(
        shown.assign(severity=shown["severity"].map(t["severities"])), hide_index=True,
        column_config={"severity": t["severity"], "file": t["col_file"], "sheet": t["sheet"],
                       "row": st.column_config.NumberColumn(t["col_row"], format="%d"),
                       "column": t["col_column"], "value": t["col_value"],
                       "code": t["col_code"],
                       "message": st.column_config.TextColumn(t["col_message"], width="large")})
    st.download_button(t["download_problems"], fmt.csv_bytes(problems),
                       file_name="problems.csv", mime="text/csv", icon=":material/download:")


def report_download() -> None:
    """report.xlsx, the formatted workbook the command line writes (cover, tables, chart),
    made only when the button is clicked (then cached)."""
    st.download_button(t["download_report"], lambda: state.excel_bytes(ctx),
                       file_name=REPORT_FILE, help=t["download_report_help"],
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/table_view:", on_click="ignore",
                       key=f"report_xlsx_{lang}")


def show_mapping() -> None:
    """For a sheet whose headers were not recognised, the form that maps its columns (and
    the mapping in use, to save as a preset or remove)."""
    mapping_form(ctx)


def show_profiles() -> None:
    st.subheader(t["status"])
    profiles = ctx.result.profiles
    shown = pd.DataFrame({
        "institution": profiles["institution"],
        "network": profiles["network"].map(fmt.network),
        "handle": profiles["handle"],
        "followers": profiles["followers"],
        "last_post_at": profiles["last_post_at"].fillna("").str[:10].map(
            lambda d: fmt.date(d, lang) if d else ""),
        "days_since_last_post": profiles["days_since_last_post"],
        "posts_per_week": profiles["posts_per_week"],
        "status": profiles["status"].map(t["statuses"]),
    })
    st.dataframe(shown, hide_index=True, placeholder="—", column_config={
        "institution": t["col_institution"], "network": t["col_network"],
        "handle": t["col_handle"],
        "followers": st.column_config.NumberColumn(t["col_followers"], format="%d"),
        "last_post_at": t["col_last_post"],
        "days_since_last_post": st.column_config.NumberColumn(t["col_days"], format="%d"),
        "posts_per_week": st.column_config.NumberColumn(t["col_per_week"], format="%.1f"),
        "status": t["col_status"]})


st.title(t["data_title"])
st.write(t["data_intro"])
st.file_uploader(t["upload"],
                 type=["xlsx", "xlsm", "ods", "csv", "parquet", "zip", "json", "jsonl", "ndjson"],
                 accept_multiple_files=True, key="uploads", help=t["upload_help"],
                 on_change=state.take_uploads)
demo_col, template_col = st.columns(2)
demo_col.button(t["demo"], on_click=state.load_demo, icon=":material/science:")
template_col.download_button(t["template"], state.template_bytes(lang),
                             file_name=t["template_file"], icon=":material/download:",
                             mime="application/vnd.openxmlformats-officedocument."
                                  "spreadsheetml.sheet")
if state.set_aside_names():
    st.warning(t["upload_set_aside"].format(
        files=", ".join(fmt.escape_md(n) for n in state.set_aside_names())),
        icon=":material/block:")
with st.expander(t["importers_docs"], icon=":material/upload_file:"):
    for page in sorted(IMPORTER_DOCS.glob("*.md")):
        st.markdown(page.read_text(encoding="utf-8"))
if ctx.files is None:
    st.info(t["waiting"])
elif ctx.failed:
    st.error(t["internal_error"])
else:
    if ctx.usable:
        show_summary()
        report_download()
    else:
        st.error(t["unusable"])
    show_mapping()
    show_problems(ctx.result.problems.frame(lang))
    if ctx.usable:
        show_profiles()
