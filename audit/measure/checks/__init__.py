"""Checks: one small function per metric, measuring every institution at once.

    @check("metric_id", options={"weeks": 26})
    def measure(f: Features, params: dict) -> Measure

A check declares its options with their defaults (as Lighthouse audits declare
``defaultOptions``): every tunable number lives there once, the rubric loader refuses a
criterion whose ``params`` name an option the check does not declare (a typo such as
``weks`` would otherwise fall back on the default unnoticed), and the check receives the
defaults with the criterion's ``params`` over them, so it reads ``params["weeks"]`` and never
repeats a default. ``REQUIRED`` marks an option without a default (the term lists, the
questionnaire item), which every criterion must give.

A check receives the features and those merged ``params``; it returns the
measured value per institution (NaN = not evaluated: the data it needs are absent) and the
evidence, so that an auditor can verify the number. Evidence is a ``Message`` of the
catalogue (``audit/messages/evidence.yaml``: the words once, in both languages, with named
values), written in a language only when shown (``Measure.text``). It never scores:
the rubric's ``scoring`` block turns values into scores (see ``audit.score.curves``).
Checks are vectorised with groupby so that a thousand institutions cost what one does.

Modules: activity, identity, tone, responsiveness, transparency, engagement, governance,
health.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from audit.measure.features import Features
from audit.messages import Message

__all__ = ["CHECKS", "OPTIONS", "REQUIRED", "Measure", "check", "empty", "measure", "options"]


@dataclass(frozen=True)
class Measure:
    """What a check found: a value and evidence per institution, plus optional detail rows."""

    value: pd.Series  # index: institution; float; NaN = not evaluated
    evidence: pd.Series  # index: institution; audit.messages.Message
    details: pd.DataFrame | None = None  # rows with an 'institution' column (posts, profiles...)

    def text(self, lang: str) -> pd.Series:
        """The evidence written in ``lang``; "" where there is none."""
        return self.evidence.map(
            lambda m: m.render(lang) if isinstance(m, Message) else "").astype("str")


class _Required:
    """The default of an option that has none: the rubric must give it."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()

Check = Callable[[Features, dict], Measure]
CHECKS: dict[str, Check] = {}
OPTIONS: dict[str, dict[str, object]] = {}  # metric -> option -> default (or REQUIRED)


def check(metric: str, options: dict[str, object] | None = None) -> Callable[[Check], Check]:
    """Register a check under the metric id that rubrics name, with the options it reads
    and their defaults."""

    def register(func: Check) -> Check:
        if metric in CHECKS:
            raise ValueError(f"metric {metric!r} registered twice")
        CHECKS[metric] = func
        OPTIONS[metric] = dict(options or {})
        return func

    return register


def options(metric: str, params: dict) -> dict:
    """The check's declared defaults with ``params`` over them: what the check reads.
    Raises ValueError for an option the check does not declare or a required one left out
    (the rubric loader reports both earlier, with the file and the key)."""
    _load_checks()
    declared = OPTIONS[metric]
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise ValueError(f"{metric}: unknown option {', '.join(unknown)}; accepted: "
                         f"{', '.join(declared) or 'none'}")
    merged = copy.deepcopy({**declared, **params})
    missing = [key for key, value in merged.items() if value is REQUIRED]
    if missing:
        raise ValueError(f"{metric}: option {', '.join(missing)} is required")
    return merged


def empty() -> Measure:
    """A measure with no institution evaluated (the data the check needs are absent)."""
    return Measure(pd.Series(dtype="float64"), pd.Series(dtype="object"))


def measure(f: Features, metric: str, params: dict) -> Measure:
    """Run one check with its options (defaults, then ``params``) and align its result to
    every institution."""
    result = CHECKS[metric](f, options(metric, params))
    names = f.names
    return Measure(
        value=result.value.reindex(names).astype("float64"),
        evidence=result.evidence.reindex(names),
        details=result.details,
    )


@functools.cache
def _load_checks() -> None:
    """Import every check module once, so each registers its metrics. Once per process: it
    lists the package's folder, and every check's options ask for it (a hundred times per
    scoring, a fifth of the app's re-score after a weight edit)."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
