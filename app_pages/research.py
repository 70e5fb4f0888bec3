"""Research: how well a classifier reproduces a researcher's own hand coding of posts.

The researcher uploads a coded sample (a text column, a label column and optionally a second
coder's labels), picks the columns, the number of folds and of repeats (other fold
shufflings, for a mean and spread of macro F1), and gets the cross-validated
figures of ``audit.evaluate_coding`` and, with a second coder, the inter-coder agreement of
``audit.coder_agreement`` (the ceiling for the classifier). No audit needs to be loaded.

The library runs in ``ui/state.py`` (``coded_columns``, ``coding_evaluation``), cached by
the sha256 of the file's bytes, the columns, the folds and the repeats: a rerun (a language
switch, a download) costs nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging

import pandas as pd
import streamlit as st

from audit import CodingError
from ui import fmt, state

log = logging.getLogger(__name__)

ctx = state.context()
t, lang = ctx.t, ctx.lang
TYPES = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods", "json", "jsonl"]
TEXT_GUESSES = ("texto", "text", "tweet", "mensaje", "message", "post")
LABEL_GUESSES = ("categoria", "categoría", "etiqueta", "label", "codigo", "código", "code",
                 "codificador1", "coder1")


def _guess(columns: list, guesses: tuple[str, ...], fallback: int) -> int:
    lowered = [str(c).strip().lower() for c in columns]
    for guess in guesses:
        if guess in lowered:
            return lowered.index(guess)
    return min(fallback, len(columns) - 1)


def _figure(value: float | None, digits: int = 3) -> str:
    return "—" if fmt.is_missing(value) else fmt.number(value, lang, digits)


def show(result: dict) -> None:
    st.subheader(t["research_results"])
    f1, kappa, n, folds = st.columns(4)
    f1.metric(t["research_macro_f1"], _figure(result["macro_f1"]),
              help=t["research_macro_f1_help"])
    kappa.metric(t["research_kappa"], _figure(result["kappa"]), help=t["research_kappa_help"])
    n.metric(t["research_n"], fmt.number(result["n"], lang))
    folds.metric(t["research_folds_used"], fmt.number(result["folds"], lang))
    repeated = result.get("repeated")
    if repeated:
        st.caption(t["research_repeated"].format(
            r=repeated["repeats"], mean=_figure(repeated["macro_f1_mean"]),
            sd=_figure(repeated["macro_f1_sd"]), low=_figure(repeated["macro_f1_min"]),
            high=_figure(repeated["macro_f1_max"]), kappa=_figure(repeated["kappa_mean"])))

    st.markdown(f"**{t['research_per_class']}**")
    per_class = pd.DataFrame([{"label": c, **v} for c, v in result["per_class"].items()])
    st.dataframe(per_class, hide_index=True, column_config={
        "label": t["research_col_label"],
        "precision": st.column_config.NumberColumn(t["research_col_precision"], format="%.3f"),
        "recall": st.column_config.NumberColumn(t["research_col_recall"], format="%.3f"),
        "f1": st.column_config.NumberColumn("F1", format="%.3f"),
        "support": t["research_col_support"]})

    st.markdown(f"**{t['research_confusion']}**")
    st.caption(t["research_confusion_help"])
    labels = result["confusion_matrix"]["labels"]
    matrix = pd.DataFrame(result["confusion_matrix"]["matrix"],
                          index=pd.Index(labels, name=t["research_true"]), columns=labels)
    st.dataframe(matrix)

    agreement = result.get("agreement")
    if agreement:
        st.subheader(t["research_agreement"])
        share = agreement["percent_agreement"]
        pct, ck, alpha, units = st.columns(4)
        pct.metric(t["research_percent_agreement"],
                   "—" if share is None else fmt.percent(share, lang))
        ck.metric(t["research_kappa_coders"], _figure(agreement["cohen_kappa"]))
        alpha.metric(t["research_alpha"], _figure(agreement["krippendorff_alpha"]))
        units.metric(t["research_n"], fmt.number(agreement["n"], lang))
        st.caption(t["research_agreement_help"])

    st.download_button(t["research_download"],
                       json.dumps(result, ensure_ascii=False, indent=2).encode("utf-8"),
                       file_name=t["research_file"], mime="application/json",
                       on_click="ignore", icon=":material/download:")


st.title(t["research_title"])
st.caption(t["research_intro"])
st.caption(t["research_model"])

upload = st.file_uploader(t["research_upload"], type=TYPES, key="coded_upload",
                          help=t["research_upload_help"])
if upload is None:
    st.info(t["research_waiting"])
    st.stop()

data = upload.getvalue()
digest = hashlib.sha256(data).hexdigest()
try:
    columns = state.coded_columns(digest, upload.name, data)
except CodingError as exc:
    st.error(f"{t['research_unreadable']} {fmt.escape_md(exc.message.render(lang))}")
    st.stop()
except Exception:  # a parser bug must not show a traceback to the user
    log.exception("coded file unreadable")
    st.error(t["research_unreadable"])
    st.stop()
if not columns:
    st.error(f"{t['research_unreadable']} {t['research_no_columns']}")
    st.stop()

key = digest[:16]  # new file, new choices: a column of the old file may not exist here
text_col, label_col, label2_col = st.columns(3)
text = text_col.selectbox(t["research_text_col"], columns, format_func=str,
                          index=_guess(columns, TEXT_GUESSES, 0), key=f"research_text_{key}")
label = label_col.selectbox(t["research_label_col"], columns, format_func=str,
                            index=_guess(columns, LABEL_GUESSES, 1),
                            key=f"research_label_{key}")
NONE = "\0none"
# The "none" option's label is translated, so the widget's key carries the language (a
# browser keeps the old label of a widget whose key stays); the choice outlives the switch.
label2_key = f"research_label2_{key}_{lang}"
if st.session_state.get(f"research_label2_{key}") in [NONE, *columns]:
    st.session_state[label2_key] = st.session_state[f"research_label2_{key}"]
label2 = label2_col.selectbox(t["research_label2_col"], [NONE, *columns],
                              format_func=lambda c: t["research_none"] if c == NONE else str(c),
                              key=label2_key, help=t["research_label2_help"],
                              on_change=state.keep, args=(label2_key, f"research_label2_{key}"))
label2 = None if label2 == NONE else label2
folds_col, repeats_col = st.columns(2)
folds = int(folds_col.number_input(t["research_folds"], min_value=2, max_value=10, value=5,
                                   step=1, key="research_folds", help=t["research_folds_help"]))
repeats = int(repeats_col.number_input(t["research_repeats"], min_value=1, max_value=10,
                                       value=1, step=1, key="research_repeats",
                                       help=t["research_repeats_help"]))

params = (digest, text, label, label2, folds, repeats)
if st.button(t["research_run"], type="primary", key="research_run_button",
             icon=":material/play_arrow:"):
    st.session_state["research_params"] = params
if st.session_state.get("research_params") != params:
    st.info(t["research_press"])
    st.stop()

if label2 is not None and label2 in (text, label):
    st.error(f"{t['research_failed']} {t['research_same_column']}")
    st.stop()
try:
    with st.spinner(t["research_running"], show_time=True):
        result = state.coding_evaluation(digest, upload.name, text, label, label2, folds,
                                         repeats, data)
except CodingError as exc:
    st.error(f"{t['research_failed']} {fmt.escape_md(exc.message.render(lang))}")
    st.stop()
except Exception:  # a bug in the library must not show a traceback to the user
    log.exception("coding evaluation failed")
    st.error(t["research_internal"])
    st.stop()
show(result)
