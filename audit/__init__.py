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
                    coder_agreement (they import scikit-learn; CodingError does not)

Nothing behind these names is imported with the package: each is loaded from its module on
first use, so ``python -m audit`` and a program that needs one name do not pay for the
others (pandas, scipy, scikit-learn, fpdf2, matplotlib are imported only by what needs them).
"""

from importlib import import_module

from audit._version import __version__

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

# Public name -> (module that defines it, its name there), imported on first use.
_LAZY = {
    **dict.fromkeys(("History", "HistoryError", "Progress", "Since", "history_path",
                     "institution_key", "progress", "since_previous", "snapshot"),
                    "audit.history"),
    **dict.fromkeys(("NETWORK_LABELS", "SECTOR_LABELS", "SHEETS"), "audit.ingest.contract"),
    **dict.fromkeys(("ColumnMapping", "MappingError"), "audit.ingest.mapping"),
    "ProblemLog": "audit.ingest.problems",
    "write_template": "audit.ingest.template",
    "profile_name": "audit.measure.checks.formats",
    **dict.fromkeys(("Message", "msg", "number", "percent", "text", "texts"), "audit.messages"),
    **dict.fromkeys(("K_RANGE", "ClusterSettings", "Dendrogram", "dendrogram_data",
                     "percentiles"), "audit.peers.clusters"),
    **dict.fromkeys(("CLIFF_CUTOFFS", "EPSILON_CUTOFFS", "MIN_GROUP", "compare_groups",
                     "pairwise"), "audit.peers.compare"),
    **dict.fromkeys(("OptionError", "recluster", "rescore", "run_audit"), "audit.pipeline"),
    "excel_report": "audit.report.excel",
    "research_exports": "audit.report.research_exports",
    **dict.fromkeys(("csv_text", "tables"), "audit.report.tables"),
    "write_outputs": "audit.report.write",
    "AuditResult": "audit.result",
    **dict.fromkeys(("Rubric", "RubricError", "load_rubric", "rubric_from_data",
                     "rubric_names"), "audit.score.rubric"),
    "CodingError": "audit.research.errors",
    **dict.fromkeys(("read_coding_table", "read_coded_sample", "evaluate_coding",
                     "coder_agreement"), "audit.research.coding"),
    "scorecard_pdf": "audit.report.pdf_scorecard",
    "group_report_pdf": "audit.report.pdf_group",
    "pdf_names": "audit.report.pdf",
}

# Public names whose name in their module differs.
_RENAMED = {"read_coding_table": "read_table", "read_coded_sample": "read_coded",
            "evaluate_coding": "evaluate", "coder_agreement": "agreement"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'audit' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), _RENAMED.get(name, name))
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
