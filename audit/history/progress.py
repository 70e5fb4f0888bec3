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

from collections.abc import Collection, Sequence
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
             earlier: Sequence[StoredAudit] = (),
             institutions: Collection[str] | None = None) -> Progress:
    """What changed from ``previous`` to ``current`` for every institution in both (or only
    for ``institutions``, named as in ``current``: the app shows one at a time)."""
    now = snapshot(current) if isinstance(current, AuditResult) else current
    compared = comparability(now, previous)
    now_names, before_names = now.names(), previous.names()
    keys = sorted((k for k in now_names if k in before_names and
                   (institutions is None or now_names[k] in institutions)), key=now_names.get)
    now_rows, before_rows = _rows(now), _rows(previous)
    older = [(_rows(a), a.names()) for a in
             sorted(earlier, key=lambda a: (a.meta["as_of"], a.meta["id"] or 0), reverse=True)]
    found = {}
    for key in keys:
        name, old_name = now_names[key], before_names[key]
        chain = [rows["actions"].get(names[key], []) for rows, names in older if key in names]
        found[name] = _institution(
            {t: rows.get(name, []) for t, rows in now_rows.items()},
            {t: rows.get(old_name, []) for t, rows in before_rows.items()},
            name, compared, [{a["action_id"] for a in actions} for actions in chain])
    return Progress(
        current=now.meta, previous=previous.meta, comparability=compared,
        institutions=found,
        only_current=tuple(sorted(now_names[k] for k in now_names if k not in before_names)),
        only_previous=tuple(sorted(before_names[k] for k in before_names
                                   if k not in now_names)))


def _rows(audit: StoredAudit) -> dict[str, dict[str, list[dict]]]:
    """Table -> institution -> its rows as dicts: one pass over each table, so that forty
    institutions cost forty lookups and not forty filters of every table."""
    grouped: dict[str, dict[str, list[dict]]] = {}
    for table in ("institutions", "dimensions", "profiles", "actions"):
        by_name: dict[str, list[dict]] = {}
        for row in audit.table(table).to_dict(orient="records"):
            by_name.setdefault(row["institution"], []).append(row)
        grouped[table] = by_name
    return grouped


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


def _institution(now: dict[str, list[dict]], before: dict[str, list[dict]], name: str,
                 compared: Comparability, chain: list[set[str]]) -> InstitutionProgress:
    row, old = now["institutions"][0], before["institutions"][0]
    level = (_int(old["level"]), _int(row["level"]))
    overall = (_float(old["overall"]), _float(row["overall"]))
    return InstitutionProgress(
        institution=name, level=level,
        level_change=_change(level) if compared.level else None,
        overall=overall, overall_change=_change(overall) if compared.overall else None,
        dimensions=_dimensions(now["dimensions"], before["dimensions"], compared),
        profiles=_profiles(now["profiles"], before["profiles"]),
        actions=_actions(now["actions"], before["actions"], compared, chain))


def _dimensions(now: list[dict], before: list[dict], compared: Comparability) -> pd.DataFrame:
    old = {r["dimension"]: _float(r["score"]) for r in before}
    rows = []
    for r in now:
        if r["dimension"] not in old or r["dimension"] not in compared.dimensions:
            continue
        previous, current = old[r["dimension"]], _float(r["score"])
        rows.append({"dimension": r["dimension"], "label_es": r["label_es"],
                     "label_en": r["label_en"], "previous": previous, "current": current,
                     "change": _change((previous, current))})
    return pd.DataFrame(rows, columns=["dimension", "label_es", "label_en", "previous",
                                       "current", "change"]).astype(
        {"previous": float, "current": float, "change": float})


def _profiles(now: list[dict], before: list[dict]) -> pd.DataFrame:
    was = {(r["network"], r["handle"]): _text(r["status"]) for r in before}
    is_ = {(r["network"], r["handle"]): _text(r["status"]) for r in now}
    rows = []
    for key in sorted(was.keys() | is_.keys()):
        old, new = was.get(key), is_.get(key)
        if old == new:
            continue
        change = ("opened" if old is None else "closed" if new is None else
                  "reactivated" if old in BEYOND and new in LIVE else
                  "lapsed" if old in LIVE and new in BEYOND else "changed")
        rows.append({"network": key[0], "handle": key[1], "previous": old, "current": new,
                     "change": change})
    rows.sort(key=lambda r: PROFILE_CHANGES.index(r["change"]))  # stable: then by profile
    return pd.DataFrame(rows, columns=["network", "handle", "previous", "current", "change"],
                        dtype=object)


def _actions(now: list[dict], before: list[dict], compared: Comparability,
             chain: list[set[str]]) -> pd.DataFrame:
    """Actions raised now (open if raised before too, else new) then those raised before
    only (done, or not comparable under another rubric). ``chain`` holds the action ids of
    the older audits of the institution, newest first."""
    raised_before = {r["action_id"] for r in before}
    raised_now = {r["action_id"] for r in now}
    rows = []
    for r in now:
        raised = r["action_id"] in raised_before
        rows.append({**_action_fields(r), "rank": _int(r["rank"]),
                     "state": "open" if raised else "new",
                     "in_a_row": 2 + _streak(r["action_id"], chain) if raised else 1})
    for r in before:
        if r["action_id"] in raised_now:
            continue
        state = "done" if _comparable_action(r, compared) else "not_comparable"
        rows.append({**_action_fields(r), "rank": None, "state": state, "in_a_row": 0})
    return pd.DataFrame(rows, columns=["action_id", "title_es", "title_en", "horizon", "tier",
                                       "rank", "state", "in_a_row"])


def _action_fields(row: dict) -> dict:
    return {k: row[k] for k in ("action_id", "title_es", "title_en", "horizon", "tier")}


def _streak(action_id: str, chain: list[set[str]]) -> int:
    """How many of the older audits (newest first) in a row raised ``action_id``."""
    count = 0
    for raised in chain:
        if action_id not in raised:
            break
        count += 1
    return count


def _comparable_action(row: dict, compared: Comparability) -> bool:
    """An action raised before counts as done only if what it covered is still measured the
    same way (a data request or a profile decision covers no criterion)."""
    if compared.same_rubric:
        return True
    measured = {criterion for _, criterion in compared.criteria}
    return all(c in measured for c in (row["criteria"] or "").split(";") if c)


def _change(pair: tuple) -> float | int | None:
    before, now = pair
    return None if before is None or now is None else now - before


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _text(value) -> str | None:
    return None if value is None or pd.isna(value) else str(value)
