"""Social media audit and maturity assessment of public institutions.

The public API: run an audit on uploaded files and write its results.

    from audit import run_audit, write_outputs
    result = run_audit(["sample_data/demo_auditoria_sintetica.xlsx"])
    write_outputs(result, "out/")
"""

from ._version import __version__
from .contract import SHEETS
from .outputs import write_outputs
from .pipeline import AuditResult, run_audit
from .problems import ProblemLog
from .rubric import Rubric, RubricError, load_rubric
from .template import write_template

__all__ = [
    "SHEETS",
    "AuditResult",
    "ProblemLog",
    "Rubric",
    "RubricError",
    "__version__",
    "load_rubric",
    "run_audit",
    "write_outputs",
    "write_template",
]
