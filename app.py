"""Streamlit app: the router and the frame every page shares.

    sidebar: language · page menu · audit in use · rubric · audit date · institution
    app_pages/data.py         upload or demo, what was read, every data problem
    app_pages/scorecard.py    one institution on one page, for a meeting
    app_pages/dimensions.py   every criterion's value, score and evidence
    app_pages/compare.py      every institution side by side
    app_pages/plan.py         recommended actions by horizon
    app_pages/rubric.py       weights and thresholds, edited live; rubric YAML in and out
    app_pages/methodology.py  how it is measured, versions and input hashes
    app_pages/research.py     a hand-coded sample: classifier cross-validation, agreement

The pages folder is ``app_pages/``, not ``pages/``: with a ``pages/`` folder Streamlit 1.67
falls back to its older folder-based navigation on some reruns (AppTest does so on every
rerun after the first) and runs the page file alone, without this frame.

The app holds no audit logic: ``ui.state`` calls ``audit`` (cached) like the command line
does, and the pages only present the result. Run: ``python -m streamlit run app.py``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace

import streamlit as st

from ui import fmt, state
from ui.i18n import LANGS, TEXT

log = logging.getLogger(__name__)


def choose_rubric(t: dict, lang: str) -> tuple[object, str]:
    """The rubric selector: the named rubrics, plus the edited or uploaded one if any.
    Returns the rubric in use and the named rubric it compares with.

    The choice lives in ``rubric_name`` (the Rubric page sets it too); the widget's key
    carries the language because its option labels do, and a browser keeps showing the old
    label of a widget whose key stays the same."""
    rubrics, broken = state.named_rubrics()
    for name, error in broken.items():
        st.sidebar.warning(t["rubric_broken"].format(file=f"{name}.yaml",
                                                     error=fmt.escape_md(error)),
                           icon=":material/warning:")
    custom = st.session_state.get("custom_rubric")
    options = [*rubrics, *(["custom"] if custom else [])]
    if st.session_state.get("rubric_name") not in options:
        st.session_state["rubric_name"] = state.BASE_RUBRIC if state.BASE_RUBRIC in options \
            else options[0]
    origin = st.session_state.get("custom_origin", {})
    labels = {name: rubric.label[lang] for name, rubric in rubrics.items()}
    if origin.get("kind") == "uploaded":
        labels["custom"] = t["rubric_uploaded"].format(name=origin.get("name", ""))
    else:
        labels["custom"] = t["rubric_edited"].format(base=origin.get("base", ""))
    key = f"rubric_choice_{lang}"
    st.session_state[key] = st.session_state["rubric_name"]
    choice = st.sidebar.selectbox(t["rubric"], options, format_func=labels.get, key=key,
                                  on_change=_keep, args=(key, "rubric_name"))
    if choice == "custom":
        return custom, origin.get("base", state.BASE_RUBRIC)
    return rubrics[choice], choice


def _keep(widget_key: str, state_key: str) -> None:
    """Widget callback: copy the widget's value where it outlives the widget."""
    st.session_state[state_key] = st.session_state[widget_key]


def audited(ctx: state.Context) -> state.Context:
    """The context with the audit of its files (cached); a library failure is reported as
    such, never as a traceback."""
    if not ctx.files:
        return ctx
    try:
        with st.spinner(ctx.t["running"].format(n=len(ctx.files)), show_time=True):
            result = state.audit(ctx.files, ctx.digest, ctx.as_of, ctx.rubric, ctx.lang,
                                 ctx.posts_sample, ctx.quote_citizens)
    except Exception:  # a bug in the library must not show a traceback to the user
        log.exception("audit failed")
        return replace(ctx, failed=True)
    return replace(ctx, result=result)


def choose_institution(ctx: state.Context, show: bool) -> str:
    """The institution of the per-institution pages. The selector appears only on those
    pages; the choice is kept for the session so it survives the other pages."""
    names = sorted(ctx.result.scorecard.institutions.index)
    if st.session_state.get("institution") not in names:
        st.session_state["institution"] = names[0]
    if not show:
        return st.session_state["institution"]
    return st.sidebar.selectbox(ctx.t["institution"], names, key="institution",
                                persist_state="session")


def main() -> None:
    st.set_page_config(page_title="Auditoría de redes sociales", page_icon="📊",
                       layout="wide")
    state.warm_up()
    lang = st.sidebar.radio("Idioma / Language", list(LANGS), format_func=LANGS.get,
                            key="lang", horizontal=True)
    t = TEXT[lang]
    icons = {"data": "upload_file", "scorecard": "dashboard", "dimensions": "fact_check",
             "compare": "leaderboard", "plan": "checklist", "rubric": "tune",
             "methodology": "menu_book", "research": "science"}
    pages = {name: st.Page(f"app_pages/{name}.py", title=t[f"page_{name}"],
                           icon=f":material/{icon}:", default=name == "data")
             for name, icon in icons.items()}
    current = st.navigation(list(pages.values()))
    per_institution = current in (pages["scorecard"], pages["dimensions"], pages["plan"])

    files = st.session_state.get("files")
    st.sidebar.caption(t["audit_in_use"])
    st.sidebar.text("\n".join(name for name, _ in files) if files else t["no_audit"])
    rubric, base_rubric = choose_rubric(t, lang)
    as_of = st.sidebar.date_input(t["as_of"], value=None, key="as_of", help=t["as_of_help"],
                                  format="DD/MM/YYYY", min_value=dt.date(2000, 1, 1))
    sample = st.sidebar.checkbox(t["posts_sample"], key="posts_sample",
                                 help=t["posts_sample_help"])
    quote = st.sidebar.checkbox(t["quote_citizens"], key="quote_citizens",
                                help=t["quote_citizens_help"])

    ctx = state.Context(lang=lang, files=files, as_of=as_of, rubric=rubric,
                        digest=state.audit_key(st.session_state.get("files_digest"), sample,
                                               quote),
                        posts_sample=sample, quote_citizens=quote, base_rubric=base_rubric)
    ctx = audited(ctx)
    if ctx.usable:
        note = "as_of_given" if as_of else "as_of_from_data"
        st.sidebar.caption(t[note].format(date=fmt.date(ctx.result.data.as_of, lang)))
        ctx = replace(ctx, institution=choose_institution(ctx, show=per_institution))
    if ctx.usable and ctx.result.check_errors:
        for failed in ctx.result.scorecard.errors:
            log.error("check %s failed:\n%s", failed.metric, failed.trace)
        st.error(t["check_failed"], icon=":material/error:")
    state.set_context(ctx)
    current.run()


main()
