"""Progress between two audits: what changed for each institution since the previous one.

    progress(current, previous, earlier) ─▶ Progress
        comparability  what the two rubrics let us compare (below)
        institutions   name ─▶ InstitutionProgress: level, overall and each dimension
                       (before, now, change), profiles whose status changed (reactivated,
                       lapsed, closed, opened), actions done, still open (with how many
                       audits in a row they have been raised) and new
        only_current / only_previous   institutions in one audit only: listed, never dropped

Institutions are matched by their normalised name (``institution_key``), profiles by
network and handle, actions by their id. ``current`` may be an ``AuditResult`` not yet
saved (the app's audit) or a stored audit; ``earlier`` are stored audits older than
``previous``, read only to count how many audits in a row an action has been raised.

Comparability. Two audits under the same rubric (same sha256) compare on everything. Under
different rubrics (another version, edited weights) only what means the same is compared:
a criterion with the same dimension, id and metric; a dimension whose criteria, metrics and
weights are all the same; the overall score only when every dimension compares and the
dimension weights are equal; the level only when, besides, the maturity levels and gates
are the same. What is left out is listed, so the reader knows why a change is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from audit.history.record import StoredAudit, snapshot
from audit.measure.profile_status import BEYOND, LIVE
from audit.result import AuditResult

__all__ = ["ACTION_STATES", "PROFILE_CHANGES", "Comparability", "InstitutionProgress", "Progress",
           "comparability", "progress"]

#: How a profile's status changed, in the order a reader wants them.
PROFILE_CHANGES = ("reactivated", "lapsed", "closed", "opened", "changed")
#: Action states: raised before and not now, raised in both, raised now only, and raised
#: before on criteria the current rubric does not measure the same way.
ACTION_STATES = ("done", "open", "new", "not_comparable")


@dataclass(frozen=True)
class Comparability:
    same_rubric: bool
    criteria: frozenset[tuple[str, str]]  # (dimension, criterion) compared
    dimensions: tuple[str, ...]  # dimensions compared
    overall: bool
    level: bool
    left_out_criteria: tuple[tuple[str, str], ...] = ()
    left_out_dimensions: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.same_rubric or (self.overall and self.level and not
                                    self.left_out_criteria)


@dataclass(frozen=True)
class InstitutionProgress:
    institution: str  # the name in the current audit
    level: tuple[int | None, int | None]  # (before, now)
    level_change: int | None  # None: a level missing, or levels not comparable
    overall: tuple[float | None, float | None]
    overall_change: float | None
    dimensions: pd.DataFrame  # dimension, label_es, label_en, previous, current, change
    profiles: pd.DataFrame  # network, handle, previous, current, change (changed ones only)
    actions: pd.DataFrame  # action_id, title_es, title_en, horizon, tier, state, in_a_row

    def profiles_where(self, change: str) -> pd.DataFrame:
        return self.profiles[self.profiles["change"] == change]

    def actions_where(self, state: str) -> pd.DataFrame:
        return self.actions[self.actions["state"] == state]


@dataclass(frozen=True)
class Progress:
    current: dict  # the metadata of each audit (id None for an audit not saved)
    previous: dict
    comparability: Comparability
    institutions: dict[str, InstitutionProgress] = field(repr=False)
    only_current: tuple[str, ...] = ()
    only_previous: tuple[str, ...] = ()


def progress(current: AuditResult | StoredAudit, previous: StoredAudit,
             earlier: Sequence[StoredAudit] = ()) -> Progress:
    """What changed from ``previous`` to ``current`` for every institution in both."""
    now = snapshot(current) if isinstance(current, AuditResult) else current
    compared = comparability(now, previous)
    now_names, before_names = now.names(), previous.names()
    older = sorted(earlier, key=lambda a: (a.meta["as_of"], a.meta["id"] or 0), reverse=True)
    institutions = {
        now_names[key]: _institution(now, previous, now_names[key], before_names[key],
                                     key, compared, older)
        for key in sorted(now_names, key=now_names.get) if key in before_names}
    return Progress(
        current=now.meta, previous=previous.meta, comparability=compared,
        institutions=institutions,
        only_current=tuple(sorted(now_names[k] for k in now_names if k not in before_names)),
        only_previous=tuple(sorted(before_names[k] for k in before_names
                                   if k not in now_names)))


def comparability(current: StoredAudit, previous: StoredAudit) -> Comparability:
    """What two audits' rubrics let us compare (module docstring)."""
    now, before = _rubric_shape(current), _rubric_shape(previous)
    if current.meta["rubric_sha256"] == previous.meta["rubric_sha256"]:
        return Comparability(True, frozenset(now[0]), tuple(now[1]), True, True)
    criteria = {key for key in now[0].keys() & before[0].keys()
                if now[0][key][0] == before[0][key][0]}  # same metric
    dimensions = [d for d in now[1] if d in before[1] and _same_dimension(d, now, before)]
    overall = (set(now[1]) == set(before[1]) == set(dimensions)
               and all(now[1][d] == before[1][d] for d in dimensions))
    levels = current.meta.get("levels_sha256")
    level = overall and levels is not None and levels == previous.meta.get("levels_sha256")
    left_criteria = sorted((now[0].keys() | before[0].keys()) - criteria)
    left_dimensions = sorted((now[1].keys() | before[1].keys()) - set(dimensions))
    return Comparability(False, frozenset(criteria), tuple(dimensions), overall, level,
                         tuple(left_criteria), tuple(left_dimensions))


def _rubric_shape(audit: StoredAudit) -> tuple[dict, dict]:
    """(dimension, criterion) -> (metric, weight), and dimension -> weight, as stored."""
    criteria = audit.table("criteria").drop_duplicates(["dimension", "criterion"])
    dimensions = audit.table("dimensions").drop_duplicates("dimension")
    return ({(r.dimension, r.criterion): (r.metric, r.weight) for r in criteria.itertuples()},
            dict(zip(dimensions["dimension"], dimensions["weight"], strict=True)))


def _same_dimension(dimension: str, now: tuple, before: tuple) -> bool:
    def members(shape: tuple) -> dict:
        return {key: spec for key, spec in shape[0].items() if key[0] == dimension}
    return members(now) == members(before)


def _institution(now: StoredAudit, before: StoredAudit, name: str, old_name: str, key: str,
                 compared: Comparability, older: Sequence[StoredAudit]) -> InstitutionProgress:
    row = now.table("institutions", name).iloc[0]
    old = before.table("institutions", old_name).iloc[0]
    level = (_int(old["level"]), _int(row["level"]))
    overall = (_float(old["overall"]), _float(row["overall"]))
    return InstitutionProgress(
        institution=name, level=level,
        level_change=_change(level) if compared.level else None,
        overall=overall, overall_change=_change(overall) if compared.overall else None,
        dimensions=_dimensions(now.table("dimensions", name),
                               before.table("dimensions", old_name), compared),
        profiles=_profiles(now.table("profiles", name), before.table("profiles", old_name)),
        actions=_actions(now.table("actions", name), before.table("actions", old_name),
                         compared, [(a, a.names()[key]) for a in older if key in a.names()]))


def _dimensions(now: pd.DataFrame, before: pd.DataFrame,
                compared: Comparability) -> pd.DataFrame:
    merged = now.merge(before[["dimension", "score"]], on="dimension", how="inner",
                       suffixes=("", "_before"))
    merged = merged[merged["dimension"].isin(compared.dimensions)]
    current = pd.to_numeric(merged["score"], errors="raise")
    previous = pd.to_numeric(merged["score_before"], errors="raise")
    return pd.DataFrame({
        "dimension": merged["dimension"], "label_es": merged["label_es"],
        "label_en": merged["label_en"], "previous": previous, "current": current,
        "change": current - previous}).reset_index(drop=True)


def _profiles(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    merged = before[["network", "handle", "status"]].merge(
        now[["network", "handle", "status"]], on=["network", "handle"], how="outer",
        suffixes=("_before", "_now"))
    rows = []
    for r in merged.itertuples():
        was, is_ = _text(r.status_before), _text(r.status_now)
        if was == is_:
            continue
        change = ("opened" if was is None else "closed" if is_ is None else
                  "reactivated" if was in BEYOND and is_ in LIVE else
                  "lapsed" if was in LIVE and is_ in BEYOND else "changed")
        rows.append({"network": r.network, "handle": r.handle, "previous": was,
                     "current": is_, "change": change})
    frame = pd.DataFrame(rows, columns=["network", "handle", "previous", "current", "change"])
    order = frame["change"].map(PROFILE_CHANGES.index)
    return frame.assign(_o=order).sort_values(["_o", "network", "handle"]).drop(
        columns="_o").reset_index(drop=True)


def _actions(now: pd.DataFrame, before: pd.DataFrame, compared: Comparability,
             older: list[tuple[StoredAudit, str]]) -> pd.DataFrame:
    raised_before = set(before["action_id"])
    rows = []
    for r in now.itertuples():
        raised = r.action_id in raised_before
        rows.append({"action_id": r.action_id, "title_es": r.title_es, "title_en": r.title_en,
                     "horizon": r.horizon, "tier": r.tier, "rank": _int(r.rank),
                     "state": "open" if raised else "new",
                     "in_a_row": 2 + _streak(r.action_id, older) if raised else 1})
    for r in before[~before["action_id"].isin(set(now["action_id"]))].itertuples():
        state = "done" if _comparable_action(r, compared) else "not_comparable"
        rows.append({"action_id": r.action_id, "title_es": r.title_es, "title_en": r.title_en,
                     "horizon": r.horizon, "tier": r.tier, "rank": None, "state": state,
                     "in_a_row": 0})
    return pd.DataFrame(rows, columns=["action_id", "title_es", "title_en", "horizon", "tier",
                                       "rank", "state", "in_a_row"])


def _streak(action_id: str, older: list[tuple[StoredAudit, str]]) -> int:
    """How many of the older audits (newest first) in a row raised ``action_id``."""
    count = 0
    for audit, name in older:
        if action_id not in set(audit.table("actions", name)["action_id"]):
            break
        count += 1
    return count


def _comparable_action(row, compared: Comparability) -> bool:
    """An action raised before counts as done only if what it covered is still measured the
    same way (a data request or a profile decision covers no criterion)."""
    if compared.same_rubric:
        return True
    measured = {criterion for _, criterion in compared.criteria}
    return all(c in measured for c in (row.criteria or "").split(";") if c)


def _change(pair: tuple) -> float | int | None:
    before, now = pair
    return None if before is None or now is None else now - before


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _text(value) -> str | None:
    return None if value is None or pd.isna(value) else str(value)
