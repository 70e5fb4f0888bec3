"""The library's shape, read from its source: no import cycles, and the stages import only
backwards (ingest < measure < score < peers < result < history < report), so each stage can
be read, tested and replaced knowing only the ones before it. ``audit.result`` (the
``AuditResult`` type) is a stage of one module: the report reads a result, not the pipeline
that made it. ``audit.history`` (stored audits and progress) reads results and comes before
the report, which may show the progress of an institution.

Every ``import audit.x`` and ``from audit.x import y`` counts, at module level or inside a
function or an ``if TYPE_CHECKING:`` block: a deferred import is still a dependency.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "audit"
STAGES = ("ingest", "measure", "score", "peers", "result", "history", "report")
BASE = {"audit.messages", "audit._version", "audit.gc_pause"}  # anyone may import these;
# they import no stage
TOP = {"audit", "audit.__main__", "audit.pipeline", "audit.cli"}  # may import anything
RESEARCH = "research"  # stands apart: imports no stage

def _module_name(path: Path) -> str:
    parts = ("audit", *path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


MODULES = _modules()


def _imports(name: str, path: Path) -> dict[str, int]:
    """The audit modules ``name`` imports, each with the line of its first import."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # ``from audit.ingest import parse`` imports the module audit.ingest.parse
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                       for a in node.names]
        else:
            continue
        for target in targets:
            while target not in MODULES and "." in target:  # audit.x.y.Name -> audit.x.y
                target = target.rpartition(".")[0]
            if target in MODULES and target != name and target.startswith("audit"):
                found.setdefault(target, node.lineno)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _where(module: str, target: str) -> str:
    path = MODULES[module].relative_to(ROOT.parent)
    return f"{path}:{GRAPH[module][target]} imports {target}"


def _place(module: str) -> tuple[str, int | None]:
    """('top' | 'base' | 'research' | 'stage', stage index) of a module."""
    if module in TOP:
        return "top", None
    if module in BASE:
        return "base", None
    package = module.split(".")[1]
    if package == RESEARCH:
        return "research", None
    if package in STAGES:
        return "stage", STAGES.index(package)
    return "unplaced", None


def _allowed(module: str, target: str) -> bool:
    kind, stage = _place(module)
    target_kind, target_stage = _place(target)
    if kind == "top" or target_kind == "base":
        return True
    if kind == "research":
        return target_kind == "research"
    if kind == "stage":
        return target_kind == "stage" and target_stage <= stage
    return False  # base modules import only base modules


def _violations() -> set[tuple[str, str]]:
    return {(module, target) for module, targets in GRAPH.items() for target in targets
            if not _allowed(module, target)}


def test_the_graph_sees_the_imports_it_must():
    assert "audit.ingest.parse" in GRAPH["audit.ingest.validate"]  # from package import module
    assert "audit.measure.checks" in GRAPH["audit.score.rubric"]  # inside a function
    assert "audit.peers.clusters" in GRAPH["audit.cli"]  # under TYPE_CHECKING
    assert "audit.score.scorecard" in GRAPH["audit.pipeline"]
    assert len(MODULES) > 30


def test_every_module_has_a_place():
    unplaced = sorted(m for m in MODULES if _place(m)[0] == "unplaced")
    assert not unplaced, (
        f"modules outside the stages ({', '.join(STAGES)}), research, the base "
        f"({', '.join(sorted(BASE))}) and the top ({', '.join(sorted(TOP))}): {unplaced}; "
        "place each in tests/test_architecture.py")


def test_no_import_cycles():
    cycles, state = [], {}  # state: 1 = on the current path, 2 = done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                cycle = [*path[path.index(target):], target]
                cycles.append(" -> ".join(cycle) + "\n    " + "\n    ".join(
                    _where(a, b) for a, b in itertools.pairwise(cycle)))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles:\n  " + "\n  ".join(cycles)


def test_stages_import_only_backwards():
    wrong = sorted(_violations())
    assert not wrong, (
        f"imports against the stage order ({' < '.join(STAGES)}; research imports no stage; "
        f"{', '.join(sorted(BASE))} import no stage):\n  "
        + "\n  ".join(_where(module, target) for module, target in wrong))


@pytest.mark.parametrize("module,target,allowed", [
    ("audit.score.scorecard", "audit.measure.checks", True),
    ("audit.measure.features", "audit.score.rubric", False),
    ("audit.ingest.reader", "audit.messages", True),
    ("audit.research.coding", "audit.ingest.contract", False),
    ("audit.messages", "audit.ingest.contract", False),
    ("audit.report.tables", "audit.pipeline", False),
    ("audit.report.tables", "audit.result", True),
    ("audit.result", "audit.report.tables", False),
    ("audit.cli", "audit.report.write", True),
    ("audit.history.progress", "audit.result", True),
    ("audit.report.tables", "audit.history.progress", True),
    ("audit.history.store", "audit.report.write", False),
    ("audit.result", "audit.history.record", False),
])
def test_the_rule_itself(module, target, allowed):
    assert _allowed(module, target) is allowed
