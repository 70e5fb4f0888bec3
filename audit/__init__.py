"""Social media audit and maturity assessment of public institutions.

The public API, everything the app and other programs need; the stage packages behind it
(``audit.ingest``, ``audit.measure``, ...) may be reorganised without notice.

    from audit import run_audit, write_outputs
    result = run_audit(["sample_data/demo_auditoria_sintetica.xlsx"])
    write_outputs(result, "out/")

    audit           run_audit, AuditResult, OptionError (an option that cannot be used),
                    ColumnMapping (which header is which column; presets), MappingError,
                    rescore (another rubric), recluster (other peer clustering),
                    write_outputs, tables, csv_text (a table as every CSV is written: its
                    text cells never start a formula), research_exports, write_template,
                    scorecard_pdf and group_report_pdf (PDF bytes of one institution and
                    of the whole audit), pdf_names (their file names); loaded on first
                    use: they import fpdf2 and matplotlib; excel_report (report.xlsx as
                    bytes)
    rubrics         load_rubric, rubric_from_data, rubric_names, Rubric, RubricError
    peers           ClusterSettings, K_RANGE, percentiles, Dendrogram, dendrogram_data,
                    compare_groups, pairwise, MIN_GROUP, EPSILON_CUTOFFS, CLIFF_CUTOFFS
    texts           Message, msg, text, texts, number, percent, profile_name, NETWORK_LABELS,
                    SECTOR_LABELS (every user-facing text is in audit/messages/*.yaml)
    history         History (save, list, load, delete stored audits), HistoryError,
                    history_path, institution_key, snapshot (what is kept of an audit),
                    progress, Progress, since_previous and Since (each institution's
                    change since its own previous audit, its trend, actions raised again)
    content coding  CodingError, read_coding_table, read_coded_sample, evaluate_coding,
                    coder_agreement (loaded on first use: they import scikit-learn)
"""

from importlib import import_module

from audit._version import __version__
from audit.history import (
    History,
    HistoryError,
    Progress,
    Since,
    history_path,
    institution_key,
    progress,
    since_previous,
    snapshot,
)
from audit.ingest.contract import NETWORK_LABELS, SECTOR_LABELS, SHEETS
from audit.ingest.mapping import ColumnMapping, MappingError
from audit.ingest.problems import ProblemLog
from audit.ingest.template import write_template
from audit.measure.checks.formats import profile_name
from audit.messages import Message, msg, number, percent, text, texts
from audit.peers.clusters import K_RANGE, ClusterSettings, Dendrogram, dendrogram_data, percentiles
from audit.peers.compare import CLIFF_CUTOFFS, EPSILON_CUTOFFS, MIN_GROUP, compare_groups, pairwise
from audit.pipeline import OptionError, recluster, rescore, run_audit
from audit.report.excel import excel_report
from audit.report.research_exports import research_exports
from audit.report.tables import csv_text, tables
from audit.report.write import write_outputs
from audit.result import AuditResult
from audit.score.rubric import Rubric, RubricError, load_rubric, rubric_from_data, rubric_names

__all__ = [
    "CLIFF_CUTOFFS",
    "EPSILON_CUTOFFS",
    "K_RANGE",
    "MIN_GROUP",
    "NETWORK_LABELS",
    "SECTOR_LABELS",
    "SHEETS",
    "AuditResult",
    "ClusterSettings",
    "CodingError",
    "ColumnMapping",
    "Dendrogram",
    "History",
    "HistoryError",
    "MappingError",
    "Message",
    "OptionError",
    "ProblemLog",
    "Progress",
    "Rubric",
    "RubricError",
    "Since",
    "__version__",
    "coder_agreement",
    "compare_groups",
    "csv_text",
    "dendrogram_data",
    "evaluate_coding",
    "excel_report",
    "group_report_pdf",
    "history_path",
    "institution_key",
    "load_rubric",
    "msg",
    "number",
    "pairwise",
    "pdf_names",
    "percent",
    "percentiles",
    "profile_name",
    "progress",
    "read_coded_sample",
    "read_coding_table",
    "recluster",
    "rescore",
    "research_exports",
    "rubric_from_data",
    "rubric_names",
    "run_audit",
    "scorecard_pdf",
    "since_previous",
    "snapshot",
    "tables",
    "text",
    "texts",
    "write_outputs",
    "write_template",
]

# Public name -> name in audit.research.coding, imported on first use.
_CODING = {"CodingError": "CodingError", "read_coding_table": "read_table",
           "read_coded_sample": "read_coded", "evaluate_coding": "evaluate",
           "coder_agreement": "agreement"}


# Public name -> module that defines it, imported on first use.
_PDF = {"scorecard_pdf": "audit.report.pdf_scorecard",
        "group_report_pdf": "audit.report.pdf_group", "pdf_names": "audit.report.pdf"}


def __getattr__(name: str):
    if name in _CODING:
        return getattr(import_module("audit.research.coding"), _CODING[name])
    if name in _PDF:
        return getattr(import_module(_PDF[name]), name)
    raise AttributeError(f"module 'audit' has no attribute {name!r}")
