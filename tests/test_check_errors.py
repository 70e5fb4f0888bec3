"""A check that raises is an error of the audit, never missing data.

Every registered check is made to raise in turn: its criterion rows must say ``error`` (not
``not_evaluated``), the scorecard must list it, the pipeline must log a ``check_failed``
problem, the manifest must say so and the command line must exit with status 1 without a
traceback on the terminal.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import SPANISH, write_xlsx

from audit import load_rubric, run_audit
from audit.cli import main
from audit.measure import checks
from audit.pipeline import rescore
from audit.score.scorecard import score_audit

checks._load_checks()
RUBRICS = ("gobierno", "salud", "bibliotecas")


def _boom(*_args, **_kwargs):
    raise RuntimeError("made to fail")


def _rubric_using(metric: str, rubrics):
    for rubric in rubrics:
        if any(c["metric"] == metric for _, c in rubric.criteria()):
            return rubric
    pytest.fail(f"no shipped rubric uses {metric!r}")


@pytest.fixture(scope="module")
def audited(tmp_path_factory, spanish_audit):
    """The Spanish workbook and its audit (the session's, since it is the same workbook)."""
    path = write_xlsx(tmp_path_factory.mktemp("errors") / "auditoria.xlsx", SPANISH)
    assert spanish_audit.usable and not spanish_audit.check_errors
    return path, spanish_audit


@pytest.fixture(scope="module")
def healthy(audited):
    """The healthy scorecard of each rubric, computed once: each case below re-measures
    only the check it breaks."""
    _, result = audited
    rubrics = [load_rubric(name) for name in RUBRICS]
    return {rubric.id: (rubric, score_audit(result.features, rubric)) for rubric in rubrics}


SCORED = sorted({c["metric"] for name in RUBRICS for _, c in load_rubric(name).criteria()})


def test_every_check_is_scored_by_some_rubric_or_is_a_research_measure():
    assert set(checks.CHECKS) - set(SCORED) == {"bonson_engagement"}  # research exports only


@pytest.mark.parametrize("metric", SCORED)
def test_a_raising_check_is_an_error_not_missing_data(metric, audited, healthy, monkeypatch):
    _, result = audited
    rubric = _rubric_using(metric, [r for r, _ in healthy.values()])
    healthy = healthy[rubric.id][1]
    kept = {key: m for key, m in healthy.measures.items() if f'"{metric}"' not in key}
    monkeypatch.setitem(checks.CHECKS, metric, _boom)
    card = score_audit(result.features, rubric, reuse=replace(healthy, measures=kept))
    rows = card.scores[card.scores["metric"] == metric]
    assert len(rows) > 0
    assert set(rows["status"]) == {"error"}
    assert rows["score"].isna().all()
    assert {e.metric for e in card.errors} == {metric}
    assert card.errors[0].error == "RuntimeError: made to fail"
    others = card.scores[card.scores["metric"] != metric]
    assert "error" not in set(others["status"])


def test_the_audit_logs_it_and_the_manifest_says_so(audited, monkeypatch):
    path, _ = audited
    monkeypatch.setitem(checks.CHECKS, "regularity", _boom)
    result = run_audit([path])
    assert result.check_errors
    problems = result.problems.frame("en")
    failed = problems[problems["code"] == "check_failed"]
    assert failed[["severity", "column", "value"]].values.tolist() == [
        ["error", "regularity", "RuntimeError: made to fail"]]
    assert "could not be measured" in failed["message"].iloc[0]
    assert result.manifest()["status"] == "audited_with_errors"
    assert result.manifest()["problems"]["by_code"]["check_failed"] == 1
    # a re-score logs the failure again, once, instead of keeping the old entry
    again = rescore(result, result.rubric)
    assert again.problems.counts()["by_code"]["check_failed"] == 1


def test_the_command_line_exits_1_with_one_line_per_failed_check(audited, monkeypatch,
                                                                  tmp_path, capsys):
    path, _ = audited
    monkeypatch.setitem(checks.CHECKS, "regularity", _boom)
    status = main(["run", str(path), "--out", str(tmp_path), "--lang", "en"])
    err = capsys.readouterr().err
    assert status == 1
    assert "1 criterion(s) could not be measured" in err
    assert "  - regularity: " in err
    assert "Traceback" not in err
    assert "RuntimeError: made to fail" in (tmp_path / "audit-error.log").read_text()
    assert (tmp_path / "scores.csv").exists()


def test_a_healthy_audit_has_no_error_status(audited):
    _, result = audited
    assert set(result.scorecard.scores["status"]) <= {"ok", "not_evaluated"}
    assert result.manifest()["status"] == "audited"
