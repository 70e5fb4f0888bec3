"""The Data page's column-mapping form, for a sheet the reader could not use.

    unread sheet (its headers, first rows)  ─▶ sheet kind ─▶ one selectbox per contract column
        ─▶ ColumnMapping ─▶ preview of the first rows as they will be read
                         ─▶ apply: the same files audited again with it (``state``)
                         ─▶ save as preset: the YAML that ``python -m audit run --map`` reads
    preset upload ─▶ applied at once, or its error said

The mapping is built and checked by the library (``ColumnMapping.create``), so the form can
produce nothing the command line would refuse.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import streamlit as st

from audit import SHEETS, ColumnMapping, MappingError

from . import fmt, state

__all__ = ["mapping_form"]

_PER_ROW = 3  # selectboxes side by side


def mapping_form(ctx: state.Context) -> None:
    """The form for the sheets left unread or, when none is, the mapping in use if any."""
    t, lang = ctx.t, ctx.lang
    unread = ctx.result.read.unrecognised if ctx.result is not None else []
    current = state.column_map()
    if not unread:
        if current is not None:
            _in_use(t, current)
        _preset_error(t, lang)
        return
    st.subheader(t["map_title"])
    st.write(t["map_intro"])
    _preset_error(t, lang)
    index = 0
    if len(unread) > 1:
        index = st.selectbox(t["map_sheet"], range(len(unread)), key=f"map_sheet_{lang}",
                             format_func=lambda i: f"{unread[i].file}: {unread[i].sheet}")
    sheet = unread[index]
    kinds = list(SHEETS)
    kind = st.selectbox(t["map_kind"], kinds, index=kinds.index(sheet.kind or "posts"),
                        format_func=t["kinds"].get, key=f"map_kind_{index}_{lang}")
    chosen = _columns(t, lang, sheet, kind, current, index)
    # Another kind already mapped (a second sheet) stays; one pattern cannot name both files,
    # so the kinds are then told apart by their mapped headers.
    others = {k: v for k, v in current.columns.items() if k != kind} if current else {}
    name_col, files_col = st.columns(2)
    name = name_col.text_input(t["map_name"], value=current.name if current else "",
                               key=f"map_name_{index}_{lang}")
    files = files_col.text_input(t["map_files"], help=t["map_files_help"],
                                 value="" if others else
                                 PurePosixPath(sheet.file.split("!/")[-1]).name,
                                 disabled=bool(others), key=f"map_files_{index}_{lang}")
    try:
        mapping = ColumnMapping.create({**others, kind: chosen}, name=name, files=files,
                                       sheet=kind if files.strip() else "")
    except MappingError as exc:  # one header chosen for two columns
        st.error(exc.message.render(lang))
        mapping = None
    st.markdown(f"**{t['map_preview']}**")
    if mapping is None or not chosen:
        st.caption(t["map_preview_empty"])
    else:
        st.dataframe(sheet.preview(mapping, kind), hide_index=True)
    usable = mapping is not None and bool(chosen)
    apply_col, save_col = st.columns(2)
    apply_col.button(t["map_apply"], on_click=state.apply_mapping, args=(mapping,),
                     disabled=not usable, type="primary", icon=":material/play_arrow:")
    save_col.download_button(t["map_save"], mapping.to_yaml().encode("utf-8") if usable else b"",
                             file_name=t["map_file_name"], mime="application/x-yaml",
                             disabled=not usable, icon=":material/download:",
                             help=t["map_save_help"].format(file=t["map_file_name"]))
    st.file_uploader(t["map_load"], type=["yaml", "yml"], key="map_preset",
                     on_change=state.load_mapping_preset)


def _columns(t: dict, lang: str, sheet, kind: str, current: ColumnMapping | None,
             index: int) -> dict[str, str]:
    """One selectbox per contract column of ``kind``, offering the sheet's headers; starts
    from the mapping in use, else from what the reader recognised. Returns column -> header."""
    none = t["map_none"]
    options = [none, *sheet.headers]
    by_fold = {h.casefold(): h for h in sheet.headers}
    given = dict(current.columns.get(kind, {})) if current else {}
    recognised = {column: header for header, column in sheet.recognised.items()}
    chosen = {}
    columns = SHEETS[kind].columns
    for start in range(0, len(columns), _PER_ROW):
        for slot, column in zip(st.columns(_PER_ROW), columns[start:start + _PER_ROW],
                                strict=False):
            default = by_fold.get(str(given.get(column.name, "")).casefold()) \
                or recognised.get(column.name)
            label = (column.header_es if lang == "es" else column.name) + \
                (" *" if column.required else "")
            header = slot.selectbox(label, options,
                                    index=options.index(default) if default in options else 0,
                                    help=column.help_es if lang == "es" else column.help_en,
                                    key=f"map_{index}_{kind}_{column.name}_{lang}")
            if header != none:
                chosen[column.name] = header
    return chosen


def _in_use(t: dict, current: ColumnMapping) -> None:
    """The mapping the files are read with, to save or to remove."""
    pairs = "; ".join(f"{kind}.{column} ← {header}" for kind, columns in current.columns.items()
                      for column, header in columns.items())
    st.info(t["map_in_use"].format(columns=fmt.escape_md(pairs)), icon=":material/table_view:")
    save_col, clear_col = st.columns(2)
    save_col.download_button(t["map_save"], current.to_yaml().encode("utf-8"),
                             file_name=t["map_file_name"], mime="application/x-yaml",
                             icon=":material/download:",
                             help=t["map_save_help"].format(file=t["map_file_name"]))
    clear_col.button(t["map_clear"], on_click=state.apply_mapping, args=(None,),
                     icon=":material/close:")


def _preset_error(t: dict, lang: str) -> None:
    error = st.session_state.get("column_map_error")
    if error is not None:
        st.error(t["map_error"].format(error=error.render(lang)))
