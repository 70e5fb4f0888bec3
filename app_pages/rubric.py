"""Rubric: every criterion with its citation, weight and thresholds; live edits; YAML in/out.

Edits are written into a copy of the rubric in use and validated by the library; a valid
edit becomes the rubric every page uses (the sidebar shows it as edited) and the audit is
re-scored with ``rescore``, without reading the files again. The editors are keyed by the
rubric's sha256, so after an edit they show the new rubric's values, and they show the same
values when the auditor comes back to this page.

An edit is taken by the editor's ``on_change`` callback, which runs before the app does: the
run that follows already has the new rubric, so a weight change costs one run of the app,
not a run that finds the edit and a second one with the new rubric. The page's first lines
take, with the same function, edits that reached the editors' state without the browser
(set in ``st.session_state``, as the tests do), and then run again.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from audit import RubricError, rubric_names
from ui import fmt, rubric_edit, state

ctx = state.context()
t, lang = ctx.t, ctx.lang


def use_custom(rubric, origin: dict) -> None:
    st.session_state["custom_rubric"] = rubric
    st.session_state["custom_origin"] = origin


def take_rubric_upload() -> None:
    """Uploader callback: validate the file once, when it arrives; keep the mistakes to
    show them, or make the rubric the one in use."""
    st.session_state.pop("rubric_upload_error", None)
    upload = st.session_state.get("rubric_upload")
    if upload is None:
        return
    try:
        rubric = rubric_edit.from_upload(upload.name, upload.getvalue())
    except RubricError as exc:
        st.session_state["rubric_upload_error"] = str(exc)
        return
    base = rubric.id if rubric.id in rubric_names() else state.BASE_RUBRIC
    use_custom(rubric, {"kind": "uploaded", "name": upload.name, "base": base})
    st.session_state["rubric_name"] = "custom"


def reset() -> None:
    st.session_state.pop("custom_rubric", None)
    st.session_state.pop("custom_origin", None)
    st.session_state["rubric_name"] = ctx.base_rubric


def criteria_table(rubric) -> pd.DataFrame:
    return pd.DataFrame([{
        "dimension": dimension["label"][lang], "criterion": criterion["label"][lang],
        "description": criterion["description"][lang], "metric": criterion["metric"],
        "scoring": fmt.scoring(criterion["scoring"], lang),
        "weight": float(criterion["weight"]), "target": float(criterion["target"]),
        "source": rubric.citation(criterion["source"], lang),
        "passage": rubric.passage(criterion["source"], lang),
        "threshold_source": (criterion.get("threshold_source") or {}).get(lang, ""),
    } for dimension, criterion in rubric.criteria()])


EDITORS = ("status", "dimensions", "criteria")


def editor_key(rubric, editor: str) -> str:
    return f"edit_{editor}_{rubric.sha256[:16]}"


def edit_frames(rubric, language: str) -> dict[str, pd.DataFrame]:
    """The editable tables of ``rubric``, by editor."""
    return {"status": rubric_edit.status_frame(rubric),
            "dimensions": rubric_edit.dimension_frame(rubric, language),
            "criteria": rubric_edit.criteria_frame(rubric, language)}


def with_cell_edits(frame: pd.DataFrame, edits: dict) -> pd.DataFrame:
    """``frame`` with an editor's ``edited_rows`` (row position -> column -> value) written
    in, as the editor returns it (the editors add and delete no rows)."""
    frame = frame.copy()
    for row, cells in edits.items():
        for column, value in cells.items():
            frame.iloc[int(row), frame.columns.get_loc(column)] = value
    return frame


def take_edits(rubric) -> bool:
    """The editors' pending cell edits written into ``rubric``: a valid change becomes the
    rubric in use (True); an invalid one leaves it and keeps the mistakes to show (module
    docstring: the editors' callback and the page's first lines call it)."""
    st.session_state.pop("rubric_edit_error", None)
    pending = {editor: (st.session_state.get(editor_key(rubric, editor)) or {}).get(
        "edited_rows") for editor in EDITORS}
    if not any(pending.values()):
        return False
    here = state.context()
    frames = edit_frames(rubric, here.lang)
    new = {editor: with_cell_edits(frames[editor], pending[editor]) if pending[editor]
           else frames[editor] for editor in EDITORS}
    base = state.named_rubric(here.base_rubric)
    try:
        edited = rubric_edit.apply_edits(rubric, new["status"], new["dimensions"],
                                         new["criteria"],
                                         version=base.version + rubric_edit.EDITED_SUFFIX)
    except RubricError as exc:
        st.session_state["rubric_edit_error"] = str(exc)
        return False
    if edited.sha256 == rubric.sha256:
        return False
    use_custom(edited, {"kind": "edited", "base": here.base_rubric})
    st.session_state["rubric_name"] = "custom"
    return True


def editors(rubric, side) -> None:
    """The three editable tables (dimension weights in ``side``, the profile status and the
    criteria below at full width); a change is taken by ``take_edits``."""
    frames = edit_frames(rubric, lang)
    taken = {"on_change": take_edits, "args": (rubric,)}
    days = {"min_value": 1, "step": 1, "format": "%d"}
    side.markdown(f"**{t['edit_dimensions']}**")
    side.data_editor(
        frames["dimensions"], key=editor_key(rubric, "dimensions"), hide_index=True,
        placeholder="—", column_order=["label", "weight"], disabled=["dimension", "label"],
        column_config={"label": t["col_dimension"],
                       "weight": st.column_config.NumberColumn(t["col_weight"], min_value=0,
                                                               step=1, format="%g")},
        **taken)
    st.markdown(f"**{t['edit_status']}**")
    st.data_editor(frames["status"], key=editor_key(rubric, "status"), hide_index=True,
                   placeholder="—",
                   column_config={
                       "active": st.column_config.NumberColumn(t["col_active_days"], **days),
                       "irregular": st.column_config.NumberColumn(t["col_irregular_days"],
                                                                  **days),
                       "inactive": st.column_config.NumberColumn(t["col_inactive_days"],
                                                                 **days),
                       "window_days": st.column_config.NumberColumn(t["col_window"], **days)},
                   **taken)
    st.markdown(f"**{t['edit_criteria']}**")
    curve = {"min_value": 0, "format": "%g"}
    st.data_editor(
        frames["criteria"], key=editor_key(rubric, "criteria"), hide_index=True,
        placeholder="—",
        column_order=["dimension_label", "label", "weight", "target", "type", "good",
                      "median", "share_target", "max"],
        disabled=["dimension", "criterion", "dimension_label", "label", "type"],
        column_config={
            "dimension_label": t["col_dimension"], "label": t["col_criterion"],
            "type": t["col_type"],
            "weight": st.column_config.NumberColumn(t["col_weight"], min_value=0, step=1,
                                                    format="%g"),
            "target": st.column_config.NumberColumn(t["col_target"], min_value=0,
                                                    max_value=1, step=0.05, format="%g",
                                                    help=t["target_help"]),
            "good": st.column_config.NumberColumn(t["col_good"], **curve),
            "median": st.column_config.NumberColumn(t["col_median"], **curve),
            "share_target": st.column_config.NumberColumn(t["col_share_target"], **curve),
            "max": st.column_config.NumberColumn(t["col_max"], **curve)},
        **taken)
    if "rubric_edit_error" in st.session_state:
        st.error(t["rubric_invalid"])
        st.code(st.session_state["rubric_edit_error"], language=None, wrap_lines=True)


def impact(rubric) -> None:
    """Overall score and level per institution with the named rubric and with this one."""
    st.subheader(t["impact_title"])
    if not ctx.usable:
        st.caption(t["needs_data_for_impact"])
        return
    base = state.named_rubric(ctx.base_rubric)
    if rubric.sha256 == base.sha256:
        st.caption(t["impact_same"].format(base=ctx.base_rubric))
        return
    before = state.audit(ctx.files, ctx.digest, ctx.as_of, base, lang,
                         ctx.posts_sample, ctx.quote_citizens).scorecard.institutions
    after = ctx.result.scorecard.institutions
    table = pd.DataFrame({
        "institution": after.index,
        "before": before["overall_score"].reindex(after.index).round(1).to_numpy(),
        "after": after["overall_score"].round(1).to_numpy(),
        "level_before": before["maturity_level"].reindex(after.index).to_numpy(),
        "level_after": after["maturity_level"].to_numpy(),
    })
    table["change"] = (table["after"] - table["before"]).round(1)
    table = table.sort_values("change", key=abs, ascending=False, ignore_index=True)
    st.caption(t["impact_intro"].format(base=ctx.base_rubric))
    st.dataframe(table, hide_index=True, placeholder="—", column_config={
        "institution": t["col_institution"],
        "before": st.column_config.NumberColumn(t["col_before"], format="%.1f"),
        "after": st.column_config.NumberColumn(t["col_after"], format="%.1f"),
        "change": st.column_config.NumberColumn(t["col_change"], format="%+.1f"),
        "level_before": st.column_config.NumberColumn(t["col_level_before"], format="%d"),
        "level_after": st.column_config.NumberColumn(t["col_level_after"], format="%d")},
        column_order=["institution", "before", "after", "change", "level_before",
                      "level_after"])


def main() -> None:
    rubric = ctx.rubric or state.named_rubric(state.BASE_RUBRIC)
    if take_edits(rubric):  # edits that came without the editors' callback (module docstring)
        st.rerun()
    st.title(t["page_rubric"])
    st.caption(t["rubric_intro"])
    st.markdown(t["rubric_in_use"].format(label=fmt.escape_md(rubric.label[lang]),
                                          id=fmt.escape_md(rubric.id),
                                          version=fmt.escape_md(rubric.version),
                                          sha=rubric.sha256[:12]))
    if st.session_state.get("custom_rubric") is rubric:
        st.button(t["reset_rubric"].format(base=ctx.base_rubric), on_click=reset,
                  icon=":material/undo:")
    st.subheader(t["edit_title"])
    edit_col, impact_col = st.columns([2, 3], gap="large")
    editors(rubric, edit_col)
    with impact_col:
        impact(rubric)
    st.subheader(t["criteria_title"])
    st.dataframe(criteria_table(rubric), hide_index=True, placeholder="—", column_config={
        "dimension": t["col_dimension"], "criterion": t["col_criterion"],
        "description": st.column_config.TextColumn(t["col_description"], width="large"),
        "metric": t["col_metric"], "scoring": t["col_scoring"], "weight": t["col_weight"],
        "target": t["col_target"], "source": t["col_source"],
        "passage": st.column_config.TextColumn(t["col_passage"], width="large"),
        "threshold_source": st.column_config.TextColumn(t["col_threshold_source"],
                                                        width="large")})
    down_col, up_col = st.columns(2)
    suffix = "_editada" if lang == "es" else "_edited"
    down_col.download_button(  # written when clicked, not on every run of the page
        t["download_rubric"], lambda: rubric_edit.to_yaml(rubric),
        file_name=f"{rubric.id}{suffix if rubric.version.endswith('+edited') else ''}.yaml",
        mime="application/x-yaml", icon=":material/download:", on_click="ignore",
        key=f"download_rubric_{lang}")
    up_col.file_uploader(t["upload_rubric"], type=["yaml", "yml"], key="rubric_upload",
                         help=t["upload_rubric_help"], on_change=take_rubric_upload)
    if "rubric_upload_error" in st.session_state:
        up_col.error(t["rubric_upload_invalid"])
        up_col.code(st.session_state["rubric_upload_error"], language=None, wrap_lines=True)


main()
