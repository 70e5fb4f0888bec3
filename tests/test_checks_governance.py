"""Governance checks: one questionnaire item per criterion."""

from __future__ import annotations

import numpy as np
import pytest
from factories import features

from audit import load_rubric
from audit.ingest.contract import GOVERNANCE_ITEMS
from audit.measure.checks import measure

PROFILES = [["institution", "network", "handle"],
            ["A", "facebook", "a"], ["B", "facebook", "b"], ["C", "facebook", "c"]]
GOVERNANCE = [["institution", "item", "answer", "evidence"],
              ["A", "responsable", "sí", "Resolución 12/2026"],
              ["A", "objetivos", "parcial", None],
              ["A", "protocolo_quejas", "no", None],
              ["A", "recursos_calendario", "sí", "   "],
              ["B", "owner", "no", "Nadie asignado"]]


@pytest.fixture(scope="module")
def answered():
    return features(PROFILES, governance=GOVERNANCE)


@pytest.mark.parametrize("item,institution,value,evidence_es,evidence_en", [
    ("owner", "A", 1.0, "Sí: Resolución 12/2026", "Yes: Resolución 12/2026"),
    ("objectives", "A", 0.5, "Parcial (sin evidencia aportada)", "Partial (no evidence given)"),
    ("complaint_protocol", "A", 0.0, "No (sin evidencia aportada)", "No (no evidence given)"),
    ("owner", "B", 0.0, "No: Nadie asignado", "No: Nadie asignado"),
    # "yes" with nothing in the evidence column counts as partial, and says so
    ("resources_calendar", "A", 0.5, "Sí sin evidencia aportada: cuenta como 0,5",
     "Yes with no evidence given: counts as 0.5"),
    # answered other items but not this one: 0, "sin respuesta"
    ("monitoring", "A", 0.0, "Sin respuesta", "No answer"),
    ("objectives", "B", 0.0, "Sin respuesta", "No answer"),
])
def test_answers(answered, item, institution, value, evidence_es, evidence_en):
    m = measure(answered, "governance_item", {"item": item})
    assert m.value[institution] == value
    assert m.text("es")[institution] == evidence_es
    assert m.text("en")[institution] == evidence_en


def test_a_rubric_may_trust_unsupported_answers(answered):
    m = measure(answered, "governance_item", {"item": "resources_calendar", "unsupported_max": 1.0})
    assert m.value["A"] == 1.0
    assert m.text("en")["A"] == "Yes (no evidence given)"


def test_not_evaluated_without_a_questionnaire(answered):
    m = measure(answered, "governance_item", {"item": "owner"})
    assert np.isnan(m.value["C"])  # C sent no questionnaire
    m = measure(features(PROFILES), "governance_item", {"item": "owner"})
    assert m.value.isna().all()


def test_unknown_item_is_a_rubric_mistake(answered):
    with pytest.raises(ValueError, match="unknown item 'dueño'"):
        measure(answered, "governance_item", {"item": "dueño"})


def test_rubric_has_one_criterion_per_item():
    rubric = load_rubric()
    dimension = next(d for d in rubric.dimensions if d["id"] == "governance")
    items = {c["params"]["item"]: c for c in dimension["criteria"]}
    assert list(items) == list(GOVERNANCE_ITEMS)
    assert all(c["metric"] == "governance_item" for c in items.values())
    assert all(c["scoring"] == {"type": "identity"} for c in items.values())
    assert items["owner"]["weight"] == items["complaint_protocol"]["weight"] == 2
    assert all(c["weight"] == 1 for i, c in items.items()
               if i not in ("owner", "complaint_protocol"))
