"""Write an audit's results as files, in one folder: the tables, the research exports and
``audit.json``. The file list and its byte-for-byte rules are in ``report/tables.py``."""

from __future__ import annotations

import json
from pathlib import Path

from audit.report.excel import write_excel_report
from audit.report.research_exports import write_research_exports
from audit.report.tables import tables
from audit.result import AuditResult

__all__ = ["write_outputs"]


def write_outputs(result: AuditResult, out_dir: str | Path) -> list[Path]:
    """Write every output file; with an unusable input, only problems.csv and audit.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables(result).items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written.append(path)
    if result.scorecard is not None:
        written += write_research_exports(result, out)
        written.append(write_excel_report(result, out))
    manifest = out / "audit.json"
    manifest.write_text(json.dumps(result.manifest(), indent=2, sort_keys=True,
                                   ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(manifest)
    return written
