"""Social media audit and maturity assessment of public institutions.

The public API: run an audit on uploaded files and write its results.

    from audit import run_audit, write_outputs
    result = run_audit(["sample_data/demo_auditoria_sintetica.xlsx"])
    write_outputs(result, "out/")
"""

from audit._version import __version__
from audit.ingest.contract import SHEETS
from audit.ingest.problems import ProblemLog
from audit.ingest.template import write_template
from audit.messages import texts
from audit.pipeline import AuditResult, run_audit
from audit.report.write import write_outputs
from audit.score.rubric import Rubric, RubricError, load_rubric

__all__ = [
    "SHEETS",
    "AuditResult",
    "ProblemLog",
    "Rubric",
    "RubricError",
    "__version__",
    "load_rubric",
    "run_audit",
    "texts",
    "write_outputs",
    "write_template",
]
