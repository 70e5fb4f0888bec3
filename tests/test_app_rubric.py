"""The Rubric page's edits as the browser sends them: the table editor's state arrives with
the run's widget states, its ``on_change`` callback takes the edit before the app runs, and
that one run already shows the new rubric (no second run). AppTest has no public way to
edit a table, so ``browser_edit`` adds the editor's JSON to the widget states the test would
send, as the browser does."""

from __future__ import annotations

import json

import streamlit as st
from app_driver import WEAK, no_failure, open_demo, switch_to
from streamlit.testing.v1 import AppTest


def _editor(at: AppTest, name: str):
    return next(e for e in at.data_editor if e.key.startswith(f"edit_{name}_"))


def browser_edit(at: AppTest, name: str, rows: dict) -> AppTest:
    """One rerun with ``rows`` (row position -> column -> value) edited in the editor
    ``name``, sent as the browser sends it."""
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = _editor(at, name).proto.id
    state.string_value = json.dumps({"edited_rows": {str(r): cells for r, cells in rows.items()},
                                     "added_rows": [], "deleted_rows": []})
    at._run(states)
    return at


def _reruns(monkeypatch) -> list[int]:
    """Counts the page's calls of ``st.rerun``."""
    calls: list[int] = []
    real = st.rerun

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(st, "rerun", counted)
    return calls


def test_a_weight_edited_in_the_browser_rescores_in_one_run(monkeypatch):
    at = switch_to(open_demo(), "rubric")
    dimensions = _editor(at, "dimensions").value
    governance = list(dimensions["dimension"]).index("governance")
    before = _editor(at, "dimensions").key
    reruns = _reruns(monkeypatch)
    browser_edit(at, "dimensions", {governance: {"weight": 80}})
    no_failure(at)
    assert reruns == []  # the callback took the edit: the page did not run twice
    assert at.sidebar.selectbox(key="rubric_choice_es").value == "custom"
    after = _editor(at, "dimensions")
    assert after.key != before  # the editors of the new rubric, showing its weights
    assert after.value["weight"].iloc[governance] == 80
    impact = next(d.value for d in at.dataframe if "change" in d.value.columns)
    assert (impact["change"].abs() > 0).any()
    switch_to(at, "scorecard")
    at.sidebar.selectbox(key="institution").set_value(WEAK).run()
    no_failure(at)


def test_a_criterion_edit_in_the_browser_changes_its_row_only():
    at = switch_to(open_demo(), "rubric")
    criteria = _editor(at, "criteria").value
    row = list(criteria["criterion"]).index("spelling")
    browser_edit(at, "criteria", {row: {"target": 0.9, "weight": 7}})
    no_failure(at)
    now = _editor(at, "criteria").value
    assert now.loc[row, ["weight", "target"]].tolist() == [7.0, 0.9]
    others = [c for c in criteria.columns if c not in ("weight", "target")]
    assert now[others].equals(criteria[others])
    assert now.drop(index=row).equals(criteria.drop(index=row))


def test_an_invalid_edit_in_the_browser_is_explained_not_applied(monkeypatch):
    at = switch_to(open_demo(), "rubric")
    reruns = _reruns(monkeypatch)
    browser_edit(at, "status", {0: {"active": 60}})
    assert not at.exception
    assert reruns == []
    assert at.error[0].value.startswith("La rúbrica tiene errores")
    assert "active <= irregular <= inactive" in at.code[0].value
    assert at.sidebar.selectbox(key="rubric_choice_es").value == "gobierno"


def test_an_emptied_cell_is_named_not_a_crash():
    at = switch_to(open_demo(), "rubric")
    browser_edit(at, "dimensions", {0: {"weight": None}})
    assert not at.exception
    assert "weight: expected a positive number" in at.code[0].value
