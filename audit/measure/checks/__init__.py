"""Checks: one small function per metric, measuring every institution at once.

    @check("metric_id")
    def measure(f: Features, params: dict) -> Measure

A check receives the features and the criterion's ``params`` from the rubric; it returns the
measured value per institution (NaN = not evaluated: the data it needs are absent) and the
evidence in Spanish and English, so that an auditor can verify the number. It never scores:
the rubric's ``scoring`` block turns values into scores (see ``scoring.py``). Checks are
vectorised with groupby so that a thousand institutions cost what one does.

Modules: activity, identity, tone, responsiveness, transparency, engagement, governance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from audit.measure.features import Features

__all__ = ["CHECKS", "Measure", "check", "empty", "measure"]


@dataclass(frozen=True)
class Measure:
    """What a check found: a value and evidence per institution, plus optional detail rows."""

    value: pd.Series  # index: institution; float; NaN = not evaluated
    evidence_es: pd.Series  # index: institution; text
    evidence_en: pd.Series
    details: pd.DataFrame | None = None  # rows with an 'institution' column (posts, profiles...)


Check = Callable[[Features, dict], Measure]
CHECKS: dict[str, Check] = {}


def check(metric: str) -> Callable[[Check], Check]:
    """Register a check under the metric id that rubrics name."""

    def register(func: Check) -> Check:
        if metric in CHECKS:
            raise ValueError(f"metric {metric!r} registered twice")
        CHECKS[metric] = func
        return func

    return register


def empty() -> Measure:
    """A measure with no institution evaluated (the data the check needs are absent)."""
    return Measure(pd.Series(dtype="float64"), pd.Series(dtype="str"), pd.Series(dtype="str"))


def measure(f: Features, metric: str, params: dict) -> Measure:
    """Run one check and align its result to every institution."""
    _load_checks()
    result = CHECKS[metric](f, params)
    names = f.names
    return Measure(
        value=result.value.reindex(names).astype("float64"),
        evidence_es=result.evidence_es.reindex(names).fillna(""),
        evidence_en=result.evidence_en.reindex(names).fillna(""),
        details=result.details,
    )


def _load_checks() -> None:
    """Import every check module once, so each registers its metrics."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
