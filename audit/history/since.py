"""Each institution's change since its own previous stored audit, as the reports show it.

    since_previous(store, current) ─▶ name ─▶ Since
        change         the InstitutionProgress (progress.py) against that previous audit
        comparability  what the two rubrics let us compare
        previous       the metadata of the audit compared with
        trend          the stored audits of the institution dated before the current one,
                       then the current one: audit_id (empty for an audit not saved), as_of,
                       level, overall
    raised_before(current, found) ─▶ (institution, action_id) ─▶ consecutive previous
        audits of the institution that raised the action (0: raised for the first time)

Why per institution: one run may audit institutions whose last audits were on different
dates (a workbook per institution, audited when it came in); each is measured against its
own previous audit. Institutions sharing a previous audit are compared in one pass, so a
forty-institution audit reads the history once, not forty times. An institution with no
earlier audit is left out: the reports then show nothing of progress for it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from audit.history.progress import Comparability, InstitutionProgress, progress
from audit.history.record import StoredAudit, snapshot
from audit.history.store import History
from audit.result import AuditResult

__all__ = ["TREND_COLUMNS", "Since", "raised_before", "since_previous"]

TREND_COLUMNS = ["audit_id", "as_of", "level", "overall"]


@dataclass(frozen=True)
class Since:
    change: InstitutionProgress
    comparability: Comparability
    previous: dict
    trend: pd.DataFrame  # TREND_COLUMNS, oldest first, the current audit last

    def in_a_row(self) -> dict[str, int]:
        """action_id ─▶ how many audits in a row, this one included, raised it."""
        raised = self.change.actions[self.change.actions["state"].isin(["open", "new"])]
        return {row.action_id: int(row.in_a_row) for row in raised.itertuples()}


def since_previous(store: History, current: AuditResult | StoredAudit,
                   institutions: Collection[str] | None = None) -> dict[str, Since]:
    """Every institution of ``current`` (or only ``institutions``, by name) that has an
    audit in ``store`` dated before it: its change since that audit and its trend."""
    now = snapshot(current) if isinstance(current, AuditResult) else current
    names = now.names()
    by_previous: dict[int, list[str]] = {}
    for key, name in names.items():
        if institutions is not None and name not in institutions:
            continue
        ids = store.of_institution(key, before=now.as_of)
        if ids:
            by_previous.setdefault(ids[-1], []).append(key)
    found = {}
    for previous_id, keys in by_previous.items():
        previous = store.load(previous_id)
        compared = progress(now, previous, store.earlier(previous),
                            institutions={names[k] for k in keys})
        for key in keys:
            name = names[key]
            found[name] = Since(change=compared.institutions[name],
                                comparability=compared.comparability,
                                previous=compared.previous,
                                trend=_trend(store.trend(key), now, name))
    return dict(sorted(found.items()))


def _trend(stored: pd.DataFrame, now: StoredAudit, name: str) -> pd.DataFrame:
    row = now.table("institutions", name).iloc[0]
    before = stored[stored["as_of"] < now.meta["as_of"]]
    return pd.DataFrame({
        "audit_id": pd.array([*before["audit_id"], now.id], dtype="Int64"),
        "as_of": [*before["as_of"], now.meta["as_of"]],
        "level": pd.array([*before["level"], row["level"]], dtype="Int64"),
        "overall": pd.array([*before["overall"], row["overall"]], dtype="Float64"),
    }, columns=TREND_COLUMNS)


def raised_before(current: AuditResult | StoredAudit,
                  found: dict[str, Since]) -> dict[tuple[str, str], int]:
    """(institution, action_id) ─▶ consecutive previous audits that raised it, for every
    action of ``current``: 0 when the institution's previous audit did not (or there is
    none)."""
    now = snapshot(current) if isinstance(current, AuditResult) else current
    actions = now.table("actions")
    counts = {name: since.in_a_row() for name, since in found.items()}
    return {(row.institution, row.action_id):
            counts.get(row.institution, {}).get(row.action_id, 1) - 1
            for row in actions.itertuples()}
