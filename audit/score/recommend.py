"""Recommendations: what an institution should do, in the order an auditor would sign.

An action comes from one criterion below its target, from a group of related criteria below
target (one consolidated action, such as a style guide instead of one action per tone
criterion), from the profile statuses (close the profiles the data say cannot be kept alive,
decide on the silent ones) or from a sheet left out (provide it). Every criterion names a
priority tier in the rubric (``tier``; ``rest`` when left out) and actions are ordered by
tier (``TIERS``: compliance incidents, citizens waiting, profile decisions, the rest), then
by priority. The first ``actions.plan_size`` of an institution form its plan (``in_plan``);
the rest are its appendix.

priority = weight of the covered criteria in the overall score x gap to the target / effort,
summed over the criteria an action covers, where the weight in the overall score is the
dimension's share of the rubric times the criterion's share of its dimension, and the gap is
target - score (both 0-1). A data request weighs the share of the rubric its sheet would
evaluate, with a gap of 1. The horizon (an id of the rubric's ``horizons``) and the effort
come from the criterion, its group or the data request; the evidence from the checks; the
source is the work the criterion cites: its id in the bibliography (``source``), the
citation a reader sees (``source_es``, ``source_en``) and the passage, quoted or labelled a
paraphrase (``source_passage_es``, ``source_passage_en``; see ``audit.score.sources``).
A data request cites no work: its source columns are empty.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

import numpy as np
import pandas as pd

from audit.ingest.contract import NETWORK_LABELS
from audit.measure.checks.formats import profile_name
from audit.measure.profile_status import LIVE
from audit.messages import LANGS, msg
from audit.score.action_rules import SHEETS, TIERS
from audit.score.rubric import DIMENSIONS, Rubric
from audit.score.scorecard import DIMENSION_INPUTS
from audit.score.sources import citation, passage

__all__ = ["COLUMNS", "recommendations"]

#: The metric whose details list every unanswered complaint: its action starts with them.
BACKLOG_METRIC = "complaint_response_rate"
#: Profile statuses and the decision each one calls for.
DECISIONS = {"abandoned": "close_profiles", "inactive": "reactivate_profiles"}

COLUMNS = ["institution", "rank", "in_plan", "tier", "action_id", "dimension", "criterion",
           "criteria", "priority", "score", "target", "horizon", "effort", "action_es",
           "action_en", "evidence_es", "evidence_en", "source", "source_es", "source_en",
           "source_passage_es", "source_passage_en"]


def recommendations(scores: pd.DataFrame, rubric: Rubric, *,
                    institutions: pd.DataFrame | None = None,
                    profiles: pd.DataFrame | None = None,
                    details: dict | None = None) -> pd.DataFrame:
    """One row per action of each institution, ranked (module docstring).

    ``scores`` is the scorecard's long table; ``institutions`` (the scorecard's, indexed by
    name) gives each institution's sector, for sector actions, and its ``missing_inputs``,
    for data requests; ``profiles`` the profile statuses, for the profile decisions;
    ``details`` the scorecard's details, for the complaints waiting. Each is optional: what
    is not given adds no action."""
    plan = _Plan(rubric, details or {})
    below = _below(scores)
    names = sorted(set(scores["institution"]) if not scores.empty else set())
    if institutions is not None:
        names = sorted(set(names) | set(institutions.index))
        sectors = dict(zip(institutions.index, institutions["sector"], strict=True))
        missing = dict(zip(institutions.index, institutions["missing_inputs"], strict=True))
    profile_lists = _Profiles(profiles) if profiles is not None else None
    rows = []
    for name in names:
        sector = sectors[name] if institutions is not None else None
        sheets = missing[name] if institutions is not None else ""
        theirs = profile_lists.of(name) if profile_lists is not None else None
        rows += plan.actions(name, below.get(name, []), sector, theirs, sheets)
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    return _ranked(rows, int(rubric.actions["plan_size"]))


def _ranked(rows: list[dict], plan_size: int) -> pd.DataFrame:
    """The actions as a table, each institution's ranked: by tier (``TIERS``), priority
    (rounded to 6 decimals, highest first), dimension (``DIMENSIONS``) and action id, a
    stable sort with what no order names (a tier or dimension left out) last.

    Ordered in Python on the rows' own values, then made a frame once: the app re-ranks
    every action on each weight edit, and a frame sorted by five columns, one of them
    mapped, another rounded, cost more than building the actions. Rounding is numpy's, as
    the frame's was."""
    priority = np.round(np.array([row["priority"] for row in rows], dtype="float64"), 6)
    tiers = {t: i for i, t in enumerate(TIERS)}
    dimensions = {d: i for i, d in enumerate(DIMENSIONS)}
    last_tier, last_dimension = len(tiers), len(dimensions)

    def key(i: int) -> tuple:
        row, value = rows[i], float(priority[i])
        nan = value != value
        return (row["institution"], tiers.get(row["tier"], last_tier), nan,
                0.0 if nan else -value, dimensions.get(row["dimension"], last_dimension),
                row["action_id"])

    order = sorted(range(len(rows)), key=key)
    ranks, previous, rank = [], None, 0
    for i in order:
        name = rows[i]["institution"]
        rank = rank + 1 if name == previous else 1
        previous = name
        ranks.append(rank)
    columns = {}
    for column in COLUMNS:
        if column == "rank":
            columns[column] = ranks
        elif column == "in_plan":
            columns[column] = [rank <= plan_size for rank in ranks]
        elif column == "priority":
            columns[column] = priority[order]
        else:
            columns[column] = [rows[i][column] for i in order]
    return pd.DataFrame(columns)


class _Plan:
    """The rubric's action settings, read once, and the actions of one institution."""

    def __init__(self, rubric: Rubric, details: dict):
        self.rubric = rubric
        self.settings = rubric.actions
        weights = {d["id"]: float(d["weight"]) for d in rubric.dimensions}
        total = sum(weights.values())
        self.dimension_share = {d: w / total for d, w in weights.items()}
        self.specs, self.shares, self.labels = {}, {}, {}
        for dimension, criterion in rubric.criteria():
            key = (dimension["id"], criterion["id"])
            in_dimension = sum(float(c["weight"]) for c in dimension["criteria"])
            self.shares[key] = self.dimension_share[dimension["id"]] * float(
                criterion["weight"]) / in_dimension
            self.specs[key] = criterion
            self.labels[key] = criterion["label"]
        self.dimension_labels = {d["id"]: d["label"] for d in rubric.dimensions}
        backlog = [details[k] for k, c in self.specs.items()
                   if c["metric"] == BACKLOG_METRIC and details.get(k) is not None]
        self.backlog = _Backlog(pd.concat(backlog)) if backlog else None
        self._cited: dict[int, tuple[dict, dict[str, str]]] = {}

    # --- one institution --------------------------------------------------------------

    def actions(self, name: str, below: list, sector: str | None,
                profiles: _Institution | None, missing: str) -> list[dict]:
        """The actions of one institution; ``below`` its criteria below target, as
        (dimension, criterion, score row), in the scorecard's order."""
        decisions = self._decisions(name, profiles, below)
        covered = {c for row in decisions for c in row["_covers"]}
        closed = decisions[0]["_profiles"] if decisions and \
            decisions[0]["action_id"] == DECISIONS["abandoned"] else ""
        groups: dict[str, list] = {}
        singles = []
        for dim, crit, row in below:
            if (dim, crit) in covered:
                continue
            group = self.specs[(dim, crit)].get("group")
            groups.setdefault(group, []).append((dim, crit, row)) if group \
                else singles.append((dim, crit, row))
        out = [self._single(name, *item, sector) for item in singles]
        for group, members in groups.items():
            out += [self._single(name, *members[0], sector)] if len(members) == 1 \
                else [self._group(name, group, members)]
        if closed:  # activity actions must not ask to post on a profile to be closed
            for row in out:
                if row["dimension"] == "activity":
                    for lang in LANGS:
                        row[f"action_{lang}"] = msg("actions.except_closed",
                                                    action=row[f"action_{lang}"],
                                                    profiles=closed).render(lang)
        # a sheet to send; "posts_in_window" asks for no sheet: the profile decisions below
        # already say what to do with profiles silent in the window
        out += [self._data_request(name, sheet) for sheet in (missing or "").split(";")
                if sheet in SHEETS]
        for row in decisions:
            for key in ("_covers", "_profiles"):
                row.pop(key)
        return decisions + out

    def _base(self, name: str, members: list, tier: str, action: dict) -> dict:
        """The fields every action built from criteria shares: the covered criteria, their
        priority, score and target (weighted by criterion weight), lead source."""
        effort = int(action["effort"])
        keys = [(dim, crit) for dim, crit, _ in members]
        gaps = [(row.target - row.score) / 100 for _, _, row in members]
        priorities = [self.shares[k] * g / effort for k, g in zip(keys, gaps, strict=True)]
        lead = max(range(len(keys)), key=lambda i: priorities[i])
        weights = [float(self.specs[k]["weight"]) for k in keys]
        if not sum(weights):  # criteria that only knock out a level: a plain mean
            weights = [1.0] * len(weights)
        total = sum(weights)
        source = self.specs[keys[lead]]["source"]
        row = {"institution": name, "tier": tier, "dimension": keys[lead][0],
               "criterion": keys[lead][1], "criteria": ";".join(c for _, c in keys),
               "priority": sum(priorities),
               "score": sum(w * r.score for w, (_, _, r) in zip(weights, members, strict=True))
               / total,
               "target": sum(w * r.target for w, (_, _, r) in zip(weights, members,
                                                                  strict=True)) / total,
               "horizon": action["horizon"], "effort": effort, "source": source["id"]}
        row.update(self._cite(source))
        return row

    def _cite(self, source: dict) -> dict[str, str]:
        """The citation and passage of a rubric source block in every language, worked out
        once per block (the same few blocks are cited by thousands of actions)."""
        cited = self._cited.get(id(source))
        if cited is None:
            texts = {}
            for lang in LANGS:
                texts[f"source_{lang}"] = citation(source["id"], lang)
                texts[f"source_passage_{lang}"] = passage(source, lang)
            cited = self._cited[id(source)] = (source, texts)
        return cited[1]

    def _tier(self, key: tuple[str, str]) -> str:
        return self.specs[key].get("tier", "rest")

    def _single(self, name: str, dim: str, crit: str, row, sector: str | None) -> dict:
        spec = self.specs[(dim, crit)]
        action = (spec.get("sector_actions") or {}).get(sector, spec["action"])
        out = self._base(name, [(dim, crit, row)], self._tier((dim, crit)),
                         {"horizon": spec["horizon"], "effort": spec["effort"]})
        out["action_id"] = crit
        waiting = self._waiting(name) if spec["metric"] == BACKLOG_METRIC else None
        for lang in LANGS:
            out[f"action_{lang}"] = waiting(action).render(lang) if waiting else action[lang]
            out[f"evidence_{lang}"] = getattr(row, f"evidence_{lang}")
        return out

    def _waiting(self, name: str):
        """The complaints still unanswered: a function putting their count and the oldest
        before the criterion's own action, or None when none waits."""
        waiting = self.backlog.of(name) if self.backlog is not None else None
        if waiting is None:
            return None
        count, received_at, network = waiting
        oldest = msg("actions.oldest", date=f"{received_at:%Y-%m-%d}",
                     network=NETWORK_LABELS.get(network, network))
        key = "actions.backlog" if count > 1 else "actions.backlog_one"
        return lambda action: msg(key, count=count, oldest=oldest, action=action)

    def _group(self, name: str, group: str, members: list) -> dict:
        spec = self.settings["groups"][group]
        tier = min((self._tier((d, c)) for d, c, _ in members), key=TIERS.index)
        out = self._base(name, members, tier, spec)
        out["action_id"] = group
        order = sorted(members, key=lambda m: -self.shares[(m[0], m[1])] * (
            m[2].target - m[2].score))
        for lang in LANGS:
            out[f"action_{lang}"] = spec["action"][lang]
            by_evidence: dict[str, list[str]] = {}
            for dim, crit, row in order:
                by_evidence.setdefault(getattr(row, f"evidence_{lang}"), []).append(
                    self.labels[(dim, crit)][lang])
            out[f"evidence_{lang}"] = " · ".join(
                msg("actions.covered", labels=", ".join(labels), evidence=evidence).render(lang)
                for evidence, labels in by_evidence.items())
        return out

    def _decisions(self, name: str, profiles: _Institution | None, below: list) -> list[dict]:
        """Close the abandoned profiles, decide on the inactive ones: one action each, in
        the profiles tier, covering the criteria of that tier below target."""
        if profiles is None:
            return []
        covers = [(d, c, r) for d, c, r in below if self._tier((d, c)) == "profiles"]
        target = msg("actions.website") if profiles.live is None else \
            profile_name(*profiles.live)
        status = self.rubric.profile_status
        source = status["source"]
        out = []
        for state, action_id in DECISIONS.items():
            chosen = profiles.by_status.get(state)
            if not chosen:
                continue
            names = ", ".join(profile_name(n, h) for n, h, _ in chosen)
            said = msg(f"actions.{action_id}", profiles=names, target=target,
                       inactive_days=status["days"]["inactive"],
                       irregular_days=status["days"]["irregular"],
                       days=self.rubric.horizons["short"]["days"])
            evidence = [msg("actions.profile_never", profile=profile_name(n, h))
                        if pd.isna(days) else
                        msg("actions.profile_days", profile=profile_name(n, h), days=days)
                        for n, h, days in chosen]
            row = self._base(name, covers, "profiles", {"horizon": "short", "effort": 1}) \
                if covers else {"institution": name, "tier": "profiles",
                                "dimension": "activity", "criterion": None, "criteria": "",
                                "priority": 0.0, "score": float("nan"),
                                "target": float("nan"), "horizon": "short", "effort": 1}
            row.update({"action_id": action_id, "source": source["id"],
                        "_covers": {(d, c) for d, c, _ in covers}, "_profiles": names})
            for lang in LANGS:
                row[f"action_{lang}"] = said.render(lang)
                row[f"evidence_{lang}"] = "; ".join(e.render(lang) for e in evidence)
            row.update(self._cite(source))
            out.append(row)
        return out

    def _data_request(self, name: str, sheet: str) -> dict:
        spec = self.settings["data_requests"][sheet]
        dimensions = [d for d in DIMENSIONS if DIMENSION_INPUTS[d] == sheet
                      and d in self.dimension_share]
        effort = int(spec["effort"])
        row = {"institution": name, "tier": spec["tier"], "action_id": f"provide_{sheet}",
               "dimension": dimensions[0] if dimensions else None, "criterion": None,
               "criteria": "", "priority": sum(self.dimension_share[d] for d in dimensions)
               / effort, "score": float("nan"), "target": float("nan"),
               "horizon": spec["horizon"], "effort": effort, "source": ""}
        for lang in LANGS:
            row[f"action_{lang}"] = msg(f"actions.provide_{sheet}").render(lang)
            row[f"evidence_{lang}"] = msg(
                "actions.missing_dimensions",
                dimensions=", ".join(self.dimension_labels[d][lang] for d in dimensions)
            ).render(lang)
            row[f"source_{lang}"] = ""
            row[f"source_passage_{lang}"] = ""
        return row


def _below(scores: pd.DataFrame) -> dict[str, list]:
    """Each institution's criteria below target, as (dimension, criterion, score row), in
    the scorecard's order: one pass over the whole table, not one filter per institution,
    reading only the columns an action uses (a filtered frame copied every column)."""
    below: dict[str, list] = {}
    if scores.empty:
        return below
    hit = np.flatnonzero((scores["score"].notna() & (scores["score"] < scores["target"]))
                         .to_numpy())
    columns = [scores[c].iloc[hit].tolist() for c in ("institution", "dimension", "criterion",
                                                      *_Score._fields)]
    for name, dimension, criterion, *values in zip(*columns, strict=True):
        below.setdefault(name, []).append((dimension, criterion, _Score(*values)))
    return below


#: What an action reads of a criterion's score row.
_Score = namedtuple("_Score", ["score", "target", *(f"evidence_{lang}" for lang in LANGS)])


@dataclass(frozen=True)
class _Institution:
    """What the profile decisions read of one institution's profiles: its live profile
    with the most followers (network, handle), or None; and per status, its profiles as
    (network, handle, days since the last post), by network and handle."""

    live: tuple[str, str] | None
    by_status: dict[str, list[tuple]]


class _Profiles:
    """The profile statuses split by institution once, in one pass over the table's columns
    as lists (the app builds this on every weight edit). The orders are those of a stable
    sort of the whole table, so an institution's rows keep the order a sort of its own rows
    would give: its live profile is the first by followers (most first, unknown last), then
    network; each status lists its profiles by network and handle."""

    def __init__(self, profiles: pd.DataFrame):
        columns = [profiles[c].tolist() for c in ("institution", "network", "handle",
                                                  "status")]
        columns.append(list(profiles["days_since_last_post"]))  # its scalars, as a frame's
        followers = profiles["followers"]
        unknown, counts = followers.isna().tolist(), followers.tolist()
        best: dict[str, tuple] = {}
        self._live: dict[str, tuple[str, str]] = {}
        chosen: dict[str, list[tuple]] = {state: [] for state in DECISIONS}
        for i, (name, network, handle, status, days) in enumerate(zip(*columns, strict=True)):
            if status in LIVE:
                rank = (unknown[i], 0 if unknown[i] else -counts[i], _text_last(network))
                if name not in best or rank < best[name]:
                    best[name] = rank
                    self._live[name] = (network, handle)
            if status in chosen:
                chosen[status].append(((_text_last(network), _text_last(handle)), name,
                                       (network, handle, days)))
        self._status: dict[str, dict[str, list[tuple]]] = {}
        for state, rows in chosen.items():
            for _, name, row in sorted(rows, key=lambda r: r[0]):
                self._status.setdefault(name, {}).setdefault(state, []).append(row)
        self._names = set(columns[0])

    def of(self, name: str) -> _Institution | None:
        """The institution's profiles; None when it has none."""
        if name not in self._names:
            return None
        return _Institution(self._live.get(name), self._status.get(name, {}))


def _text_last(value: object) -> tuple[bool, str]:
    """A sort key of a text cell with an empty one last, as a frame's sort puts it."""
    return (False, value) if isinstance(value, str) else (True, "")


class _Backlog:
    """The complaints still unanswered, per institution: how many, and the oldest one's
    date and network (the first by received_at of a stable sort, as for one institution)."""

    def __init__(self, complaints: pd.DataFrame):
        ordered = complaints.sort_values("received_at", kind="stable")
        self._counts = ordered.groupby("institution", sort=False).size().to_dict()
        first = ordered.drop_duplicates("institution")
        self._oldest = {name: (received, network) for name, received, network in zip(
            first["institution"], first["received_at"], first["network"], strict=True)}

    def of(self, name: str) -> tuple[int, pd.Timestamp, str] | None:
        if name not in self._counts:
            return None
        return (self._counts[name], *self._oldest[name])
