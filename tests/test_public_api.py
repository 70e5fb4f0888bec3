"""The public API of ``audit`` is pinned, and the app uses nothing else.

The app (app.py, app_pages/, ui/) talks to the library only through ``audit/__init__.py``,
so the stage packages behind it can be reorganised without touching a page. Adding a name
to the API is a decision: it changes this list on purpose.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import audit

ROOT = Path(__file__).resolve().parents[1]
APP_SOURCES = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py")),
               *sorted((ROOT / "ui").glob("*.py"))]

PUBLIC = [
    "CLIFF_CUTOFFS", "EPSILON_CUTOFFS", "K_RANGE", "MIN_GROUP", "NETWORK_LABELS",
    "SECTOR_LABELS", "SHEETS", "AuditResult", "ClusterSettings", "CodingError",
    "ColumnMapping", "Dendrogram", "History", "HistoryError", "MappingError", "Message",
    "OptionError", "ProblemLog", "Progress", "Rubric", "RubricError", "Since", "__version__",
    "coder_agreement", "compare_groups", "csv_text", "dendrogram_data", "evaluate_coding",
    "excel_report", "group_report_pdf", "history_path", "institution_key", "load_rubric",
    "msg", "number",
    "pairwise", "pdf_names", "percent", "percentiles", "profile_name", "progress",
    "read_coded_sample", "read_coding_table", "recluster", "rescore", "research_exports",
    "rubric_from_data", "rubric_names", "run_audit", "scorecard_pdf", "since_previous",
    "snapshot", "tables",
    "text", "texts", "write_outputs", "write_template",
]


def test_public_api_is_exactly_the_pinned_names():
    assert audit.__all__ == PUBLIC
    for name in PUBLIC:
        assert getattr(audit, name) is not None, name


def _audit_imports(path: Path) -> list[str]:
    """Every module of ``audit`` that ``path`` imports from, at any depth of the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "audit":
                found += [f"audit.{a.name}" for a in node.names
                          if a.name not in audit.__all__]
            elif node.module.startswith("audit."):
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("audit.")]
    return found


def test_the_app_imports_only_the_public_api():
    assert len(APP_SOURCES) > 15
    reaching_in = {path.relative_to(ROOT).as_posix(): _audit_imports(path)
                   for path in APP_SOURCES}
    assert {name: mods for name, mods in reaching_in.items() if mods} == {}


def test_the_scan_sees_a_reach_into_a_stage_package(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("def f():\n    from audit.pipeline import rescore\n"
                    "from audit import run_audit, _private\nimport audit.report.tables\n",
                    encoding="utf-8")
    assert sorted(_audit_imports(page)) == ["audit._private", "audit.pipeline",
                                            "audit.report.tables"]


def _loaded(code: str) -> list[str]:
    """The heavy libraries in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = (f"{code}\nimport sys\nprint(' '.join(m for m in ('pandas', 'scipy', 'sklearn', "
             "'matplotlib', 'fpdf') if m in sys.modules))")
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, cwd=ROOT).stdout.split()


def test_importing_audit_loads_no_heavy_library():
    assert _loaded("import audit") == []
    assert _loaded("import audit; audit.CodingError") == []  # caught without scikit-learn
    assert _loaded("import audit; audit.msg") == []


def test_each_name_loads_only_what_it_needs():
    assert "sklearn" in _loaded("import audit; audit.evaluate_coding")
    assert "scipy" in _loaded("import audit; audit.pairwise")
    assert "fpdf" not in _loaded("import audit; audit.run_audit")


def test_the_command_line_starts_without_scipy_or_scikit_learn():
    """``python -m audit`` imports the stages only where a command needs them: a refused
    input, ``--help`` or a bad option answers before scipy and scikit-learn are loaded."""
    loaded = _loaded("import audit.cli")
    assert "scipy" not in loaded and "sklearn" not in loaded


def test_a_public_name_is_the_object_of_its_module():
    from audit.research.coding import CodingError, evaluate

    assert audit.CodingError is CodingError
    assert audit.evaluate_coding is evaluate
    assert "run_audit" in dir(audit)
