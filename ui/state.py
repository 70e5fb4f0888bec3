"""Session state and the cached audit: the only place where the app runs the library.

    uploaded files (+ column mapping) ──sha256──▶ digest
    (digest, audit date)           ──run_audit (gobierno)──▶ base result   [cache_resource]
    (digest, audit date, rubric)   ──rescore──▶ result in use              [cache_resource]
    result in use + language       ──replace(lang=…)──▶ what pages show
    result in use + cluster settings ──recluster──▶ the Compare page's peers  [cache_resource]
    the peers' audit + grouping  ──compare_groups──▶ group comparison tables  [cache_data]
    a coded sample (Research page) ──evaluate_coding──▶ cross-validated figures  [cache_data]

Why this shape:
- The audit of the demo workbook takes seconds; switching a page, an institution or the
  language must take well under a second. So the audit runs once per distinct input and
  audit date and stays in memory as one shared object (``cache_resource``: no copy, no
  pickling). Pages must therefore never modify it in place.
- The language is not part of the key: ``run_audit`` only records it, every text it
  produces exists in both languages, so switching language reuses the same audit.
- Another rubric (a sector one, or weights edited on the Rubric page) re-scores the same
  validated data with ``audit.rescore`` instead of reading the files again.
- Other cluster settings (Ward, a fixed k, size) redo only the clustering with
  ``audit.recluster``; the default settings reuse the audit's own clusters.
- Memory stays bounded whatever is uploaded: an audit that raised is never cached
  (Streamlit caches only returned values) and an unusable one (a refused zip bomb, a broken
  file) is evicted as soon as it is returned, so a failed upload leaves nothing in the
  server once replaced; each cache of results holds a few entries (``max_entries``), the
  usable audits of the inputs a user goes back and forth between.
- Keys are the sha256 of the files (computed once, when they arrive), not the bytes, so a
  cache lookup does not hash megabytes on every rerun. A column mapping (the Data page's
  form or a preset) is part of the input: it joins the digest, so every cache keyed by it
  (rescored, reclustered, exports) follows the mapping, and new files start without one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import io
import logging
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

# The coding functions, reached as library attributes, load scikit-learn on first use: only
# the Research page pays for it. (``audit`` itself is a function of this module.)
import audit as library
from audit import (
    K_RANGE,
    AuditResult,
    ClusterSettings,
    ColumnMapping,
    MappingError,
    Rubric,
    RubricError,
    excel_report,
    load_rubric,
    recluster,
    rescore,
    research_exports,
    rubric_names,
    run_audit,
    write_template,
)

from . import views
from .i18n import TEXT

__all__ = ["CLUSTER_K_CHOICES", "DEMO", "Context", "apply_mapping", "audit", "clustered",
           "coded_columns", "coding_evaluation", "column_map", "context", "excel_bytes",
           "group_tests", "keep", "load_demo", "load_mapping_preset", "named_rubric",
           "named_rubrics", "ready", "research_zip", "set_aside_names", "set_context",
           "take_uploads", "template_bytes", "warm_up"]

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "sample_data" / "demo_auditoria_sintetica.xlsx"
BASE_RUBRIC = "gobierno"

Files = tuple[tuple[str, bytes], ...]
# What the Compare page offers for k: the best silhouette, or a fixed number.
CLUSTER_K_CHOICES = ("auto", *range(K_RANGE[0], K_RANGE[1] + 1))


@dataclass(frozen=True)
class Context:
    """What the shared sidebar decided for this run; every page reads it."""

    lang: str
    files: Files | None = None
    digest: str | None = None  # the cache key: sha256 of the files (+ the sample flag)
    posts_sample: bool = False  # the posts sheet is a sample, not complete timelines
    quote_citizens: bool = False  # evidence may quote citizens' texts (masked)
    as_of: dt.date | None = None  # the audit date the user set (None: from the data)
    result: AuditResult | None = None  # the audit with the rubric in use, in ``lang``
    rubric: Rubric | None = None  # the rubric in use
    base_rubric: str = BASE_RUBRIC  # the named rubric an edited one started from
    institution: str | None = None
    failed: bool = False  # the library raised: an internal error, not a data problem

    @property
    def t(self) -> dict:
        return TEXT[self.lang]

    @property
    def usable(self) -> bool:
        return self.result is not None and self.result.usable


def set_context(ctx: Context) -> None:
    st.session_state["_context"] = ctx


def context() -> Context:
    """The context the sidebar stored in this run (a page run alone gets a Spanish default)."""
    return st.session_state.get("_context") or Context(lang="es")


def ready(ctx: Context, *, institution: bool = True) -> bool:
    """Whether a results page can render; if not, say why and link to the Data page."""
    t = ctx.t
    if ctx.failed:
        st.error(t["internal_error"])
        return False
    if ctx.files is None:
        st.info(t["need_data"])
        st.page_link("app_pages/data.py", label=t["go_data"], icon=":material/upload_file:")
        return False
    if not ctx.usable:
        st.error(t["unusable_short"])
        st.page_link("app_pages/data.py", label=t["go_data"], icon=":material/upload_file:")
        return False
    return not institution or ctx.institution is not None


# --- files in the session ------------------------------------------------------------------


def _store_files(files: Files | None, mapping: ColumnMapping | None = None) -> None:
    """The files of the audit in use and the column mapping to read them with."""
    st.session_state.pop("column_map_error", None)
    if not files:
        for key in ("files", "files_digest", "column_map"):
            st.session_state.pop(key, None)
        return
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    if mapping is not None:
        digest.update(b"\0column_map\0" + mapping.to_yaml().encode("utf-8"))
    st.session_state["files"] = files
    st.session_state["files_digest"] = digest.hexdigest()
    st.session_state["column_map"] = mapping


def _file_key(file: tuple[str, bytes]) -> tuple[str, str]:
    return file[0], hashlib.sha256(file[1]).hexdigest()


def take_uploads() -> None:
    """Uploader callback: the uploaded files become the audit in use before the rerun, so
    the sidebar of that same rerun already shows them (an emptied uploader clears them).

    A new upload after an audit that failed (an unusable input, or a library error)
    replaces the files of that audit: an auditor who adds the right file after a wrong one
    expects the right one audited, not both again. The replaced files stay in the uploader
    but are set aside (``set_aside``, shown on the Data page) until they are removed from
    it; uploaded again after that, they are audited like any new file."""
    uploads = tuple((u.name, u.getvalue()) for u in st.session_state.get("uploads") or [])
    keys = {_file_key(f) for f in uploads}
    set_aside = {k for k in st.session_state.get("set_aside", ()) if k in keys}
    current = {_file_key(f) for f in st.session_state.get("files") or ()}
    last = st.session_state.get("_context")
    failed = last is not None and last.files is not None and (last.failed or not last.usable)
    if failed and keys - current - set_aside:
        set_aside |= current
    st.session_state["set_aside"] = set_aside
    _store_files(tuple(f for f in uploads if _file_key(f) not in set_aside))


def set_aside_names() -> list[str]:
    """The uploaded files left out because a later upload replaced their failed audit."""
    return sorted(name for name, _ in st.session_state.get("set_aside", ()))


def load_demo() -> None:
    """Demo button callback."""
    _store_files(((DEMO.name, DEMO.read_bytes()),))


def column_map() -> ColumnMapping | None:
    """The column mapping the files of the audit in use are read with, if any."""
    return st.session_state.get("column_map")


def apply_mapping(mapping: ColumnMapping | None) -> None:
    """Mapping form callback: audit the same files again with ``mapping`` (None: without)."""
    _store_files(st.session_state.get("files"), mapping)


def load_mapping_preset() -> None:
    """Preset uploader callback: a preset that loads is applied at once; one that does not
    leaves the mapping as it was and says why (``column_map_error``, a Message)."""
    upload = st.session_state.get("map_preset")
    if upload is None:
        return
    try:
        mapping = ColumnMapping.from_yaml(upload.getvalue(), source=upload.name)
    except MappingError as exc:
        st.session_state["column_map_error"] = exc.message
        return
    apply_mapping(mapping)


# --- cached library calls ------------------------------------------------------------------


#: The library's names a page reads on its first visit whose modules take seconds to import
#: (the PDF reports and their drawing libraries), imported ahead by ``warm_up``.
SLOW_IMPORTS = ("pdf_names", "scorecard_pdf", "group_report_pdf")
#: The interface's own module that the same pages import first and that takes a fifth of a
#: second to import (Altair's Vega-Lite schema classes), imported ahead with them.
SLOW_UI_IMPORTS = ("ui.vega",)


@st.cache_resource(show_spinner=False)
def warm_up() -> threading.Thread:
    """Import the modules behind ``SLOW_UI_IMPORTS`` and ``SLOW_IMPORTS`` once per server,
    on a thread of their own started by the first run: the first visit to the scorecard or
    the Compare page would otherwise wait seconds for them. A failed import is not hidden:
    the thread logs it, and the page that needs the module raises it again where the user
    sees it."""
    thread = threading.Thread(target=_import_slow, name="warm-up", daemon=True)
    thread.start()
    return thread


def _import_slow() -> None:
    try:
        for module in SLOW_UI_IMPORTS:  # first: a fifth of a second, not seconds
            importlib.import_module(module)
        for name in SLOW_IMPORTS:
            getattr(library, name)
    except Exception:  # logged here; the page's own import raises it again
        log.exception("importing the pages' modules ahead failed")



@st.cache_resource(show_spinner=False)
def named_rubric(name: str) -> Rubric:
    return load_rubric(name)


def named_rubrics() -> tuple[dict[str, Rubric], dict[str, str]]:
    """The rubrics of rubrics/ that load, by name, and for each one that does not, why.

    One malformed file must cost the user that rubric, not every page: the selector offers
    the others and names the broken file. (A failed load is not cached, so a fixed file is
    picked up on the next rerun.)"""
    usable, broken = {}, {}
    for name in rubric_names():
        try:
            usable[name] = named_rubric(name)
        except RubricError as exc:
            broken[name] = str(exc)
    return usable, broken


@st.cache_resource(show_spinner=False, max_entries=4)
def _base_audit(digest: str, as_of: dt.date | None, posts_sample: bool,
                quote_citizens: bool, _files: Files,
                _mapping: ColumnMapping | None) -> AuditResult:
    """The full audit (read, validate, measure, score) with the base rubric; the digest
    covers the files and the column mapping."""
    return run_audit(list(_files), as_of=as_of, rubric=named_rubric(BASE_RUBRIC),
                     posts_sample=posts_sample, quote_citizens=quote_citizens,
                     column_map=_mapping)


def audit_key(files_digest: str | None, posts_sample: bool,
              quote_citizens: bool = False) -> str | None:
    """The key every cache of the audit in use is filed under: the files' sha256, whether
    their posts are a sample and whether citizens are quoted (the same files give another
    audit then)."""
    if not files_digest:
        return files_digest
    return files_digest + (":sample" if posts_sample else "") + (
        ":quoted" if quote_citizens else "")


@st.cache_resource(show_spinner=False, max_entries=32)
def _rescored(digest: str, as_of: dt.date | None, rubric_sha: str, _base: AuditResult,
              _rubric: Rubric) -> AuditResult:
    """The same audit scored with another rubric; keyed by the rubric's sha256."""
    return rescore(_base, _rubric)


def audit(files: Files, digest: str, as_of: dt.date | None, rubric: Rubric,
          lang: str, posts_sample: bool = False, quote_citizens: bool = False) -> AuditResult:
    """The audit of ``files`` on ``as_of`` with ``rubric``, presented in ``lang``; ``digest``
    is the ``audit_key`` of the files and ``posts_sample``. The files are read with the
    column mapping in use (``column_map``), which the digest already covers."""
    mapping = column_map()
    base = _base_audit(digest, as_of, posts_sample, quote_citizens, files, mapping)
    if not base.usable:  # kept for this rerun only: the server holds no failed audit
        _base_audit.clear(digest, as_of, posts_sample, quote_citizens, files, mapping)
        return replace(base, lang=lang)
    result = base if rubric.sha256 == base.rubric.sha256 else \
        _rescored(digest, as_of, rubric.sha256, base, rubric)
    return replace(result, lang=lang)


@st.cache_resource(show_spinner=False, max_entries=16)
def _reclustered(digest: str, as_of: dt.date | None, rubric_sha: str, settings: ClusterSettings,
                 _result: AuditResult) -> AuditResult:
    """The audit in use clustered with ``settings``; keyed like the audit plus the settings."""
    return recluster(_result, settings)


def clustered(ctx: Context, method: str, k: int | str, size: bool) -> AuditResult:
    """The audit in use with its peers clustered by ``method``, ``k`` (one of
    ``CLUSTER_K_CHOICES``) and ``size``, in ``ctx.lang``."""
    settings = ClusterSettings(method, None if k == "auto" else k, size)
    result = ctx.result
    if settings == result.clustering:
        return result
    again = _reclustered(ctx.digest, ctx.as_of, result.rubric.sha256, settings, result)
    return replace(again, lang=ctx.lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _group_tests(digest: str, as_of: dt.date | None, rubric_sha: str,
                 clustering: ClusterSettings | None, lang: str, by: str, column: str | None,
                 _result: AuditResult) -> pd.DataFrame:
    if column is None:
        return views.group_comparison(_result, by)
    return views.pairwise_comparison(_result, by, column)


def group_tests(ctx: Context, result: AuditResult, by: str,
                column: str | None = None) -> pd.DataFrame:
    """The Kruskal-Wallis table of ``result`` across the groups of ``by`` or, with
    ``column``, the pairwise tests of that score; computed once per audit, rubric, language
    and grouping, so that a rerun of the Compare page only draws. Sectors and countries do
    not depend on the clusters: only the clusters' tests are filed under the cluster
    settings too, so that choosing another clustering does not test the sectors again."""
    clustering = result.clustering if by == "cluster" else None
    return _group_tests(ctx.digest, ctx.as_of, result.rubric.sha256, clustering, ctx.lang, by,
                        column, result)


def summary(ctx: Context) -> dict:
    """The record of the audit in use (``AuditResult.manifest``) without its clusters, for
    the pages that show what went in (Data, Methodology): none shows the clusters'
    settings, and reading them would compute their stability (30 bootstrap refits, half a
    second on the demo) on the first page after every audit. It is read only where it is
    shown, on request on the Compare page."""
    return ctx.result.manifest(clusters=False)


def result_key(ctx: Context, result: AuditResult) -> tuple:
    """What a page's table or chart of ``result`` depends on: the audit (files, sample,
    quotes), its date, its rubric, its language and its clustering. ``kept`` and
    ``ui.vega.chart`` file what they keep under it plus the page's own choices."""
    return ctx.digest, ctx.as_of, result.rubric.sha256, result.lang, result.clustering


@st.cache_data(show_spinner=False, max_entries=128)
def _kept(key: tuple, _make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    return _make()


def kept(key: tuple, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The table ``make`` builds (a ``ui.views`` table), built the first time ``key`` is
    seen and then reused: a rerun that changes nothing the table depends on (another
    clustering, for the sector tables) must not build it again. ``key`` names everything it
    depends on: ``result_key`` and the page's own choices."""
    return _kept(key, make)


def keep(widget_key: str, state_key: str) -> None:
    """Widget callback: copy the widget's value where it outlives the widget (Streamlit
    forgets a widget's value when its page is left or its key changes with the language)."""
    st.session_state[state_key] = st.session_state[widget_key]


@st.cache_data(show_spinner=False, max_entries=8)
def _excel(digest: str, as_of: dt.date | None, rubric_sha: str, lang: str,
           _result: AuditResult) -> bytes:
    return excel_report(_result)


def excel_bytes(ctx: Context) -> bytes:
    """report.xlsx of the audit in use (the command line's, byte for byte), built once per
    audit, rubric and language: it formats every table, so a rerun must not pay for it."""
    return _excel(ctx.digest, ctx.as_of, ctx.result.rubric.sha256, ctx.lang, ctx.result)


@st.cache_data(show_spinner=False)
def template_bytes(lang: str) -> bytes:
    buffer = io.BytesIO()
    write_template(buffer, lang=lang)
    return buffer.getvalue()


@st.cache_data(show_spinner=False, max_entries=8)
def _research_zip(digest: str, as_of: dt.date | None, rubric_sha: str, lang: str,
                  clustering: ClusterSettings, _result: AuditResult) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(research_exports(_result).items()):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)),
                             content if isinstance(content, bytes) else content.encode("utf-8"))
    return buffer.getvalue()


def research_zip(ctx: Context, result: AuditResult | None = None) -> bytes:
    """The researchers' files (tidy metrics, codebook, tables, methods appendix) as one zip,
    built once per audit, rubric, language and cluster settings. ``result`` is the audit as
    clustered on the Compare page, so the files carry the clusters the user is looking at."""
    result = ctx.result if result is None else result
    return _research_zip(ctx.digest, ctx.as_of, result.rubric.sha256, ctx.lang,
                         result.clustering, result)


# --- content coding (Research page) --------------------------------------------------------


def _in_folder(name: str, data: bytes, folder: str) -> Path:
    """An upload written under its own base name (the library reads a file by extension)."""
    path = Path(folder) / (Path(name).name or "muestra.csv")
    path.write_bytes(data)
    return path


@st.cache_data(show_spinner=False, max_entries=8)
def coded_columns(digest: str, name: str, _data: bytes) -> list:
    """The columns of an uploaded coded sample (``digest``: the sha256 of its bytes)."""
    with tempfile.TemporaryDirectory() as folder:
        frame = library.read_coding_table(_in_folder(name, _data, folder))
    return list(frame.columns)


@st.cache_data(show_spinner=False, max_entries=16)
def coding_evaluation(digest: str, name: str, text, label, label2, folds: int, repeats: int,
                      _data: bytes) -> dict:
    """Cross-validated figures of the classifier on a coded sample and, with a second coder's
    labels, the inter-coder agreement; with the input named, for the downloaded JSON."""
    with tempfile.TemporaryDirectory() as folder:
        frame = library.read_coded_sample(_in_folder(name, _data, folder), text, label, label2)
    labels = frame["label"].tolist()
    result = library.evaluate_coding(frame["text"].tolist(), labels, folds=folds, seed=0,
                                     repeats=repeats)
    if label2 is not None:
        result["agreement"] = library.coder_agreement(labels, frame["label2"].tolist())
    result["input"] = {"file": name, "sha256": digest, "text": str(text),
                       "label": str(label), "label2": None if label2 is None else str(label2)}
    return result
