"""What the history keeps of an audit (``StoredAudit``), and how an audit becomes one.

A stored audit is numbers, ids and statuses, never the texts the audit read: the evidence
of a score may quote a post or a citizen's complaint, and an action's text may name the
oldest complaint waiting, so neither is kept. What a reader needs to recognise a row (an
action's title, a dimension's label) comes from the rubric, in both languages.

``snapshot`` turns an ``AuditResult`` into a ``StoredAudit`` without an id; the store gives
it one when it saves it, and ``progress`` compares either kind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace

import pandas as pd

from audit._version import __version__
from audit.history.schema import institution_key
from audit.messages import LANGS, Message, catalogue, msg, text
from audit.result import AuditResult

__all__ = ["COLUMNS", "HistoryError", "StoredAudit", "levels_fingerprint", "snapshot"]

#: The columns of each table of a stored audit (the database's, without ``audit_id``).
COLUMNS = {
    "inputs": ["name", "sha256", "bytes"],
    "institutions": ["institution", "key", "sector", "country", "level", "level_label_es",
                     "level_label_en", "overall", "coverage"],
    "dimensions": ["institution", "dimension", "score", "coverage", "weight", "label_es",
                   "label_en"],
    "criteria": ["institution", "dimension", "criterion", "metric", "score", "status",
                 "weight", "label_es", "label_en"],
    "profiles": ["institution", "network", "handle", "status"],
    "actions": ["institution", "action_id", "dimension", "criteria", "tier", "horizon",
                "rank", "in_plan", "title_es", "title_en"],
}
#: An action's title names at most this many of the criteria it covers ("… and 7 more").
TITLE_CRITERIA = 3


class HistoryError(Exception):
    """The history cannot do what was asked (an unknown audit id, a database written by a
    newer version, an audit that could not be used): said in the user's language."""

    def __init__(self, message: Message):
        super().__init__(message.render("en"))
        self.message = message


@dataclass(frozen=True)
class StoredAudit:
    """One audit as the history keeps it. ``meta`` holds ``id`` (None until saved),
    ``saved_at``, ``as_of``, ``lang``, ``window_days``, ``posts_sample``,
    ``software_version``, ``rubric_id``, ``rubric_version``, ``rubric_sha256``,
    ``levels_sha256`` and ``status``; each table has the columns of ``COLUMNS``."""

    meta: dict
    tables: dict[str, pd.DataFrame] = field(repr=False)

    @property
    def id(self) -> int | None:
        return self.meta["id"]

    @property
    def as_of(self) -> dt.date:
        return dt.date.fromisoformat(self.meta["as_of"])

    def table(self, name: str, institution: str | None = None) -> pd.DataFrame:
        """One table, or its rows of one institution (by its name in this audit)."""
        frame = self.tables[name]
        return frame if institution is None else frame[frame["institution"] == institution]

    def names(self) -> dict[str, str]:
        """Institution key -> its name as written in this audit."""
        frame = self.tables["institutions"]
        return dict(zip(frame["key"], frame["institution"], strict=True))

    def with_id(self, audit_id: int) -> StoredAudit:
        return replace(self, meta={**self.meta, "id": audit_id})


def levels_fingerprint(maturity: dict) -> str:
    """sha256 of a rubric's maturity block (levels, gates, minimum coverage): two audits'
    levels mean the same only when these are equal."""
    return hashlib.sha256(json.dumps(maturity, sort_keys=True, ensure_ascii=False,
                                     default=str).encode("utf-8")).hexdigest()


def snapshot(result: AuditResult, saved_at: dt.datetime | None = None) -> StoredAudit:
    """The part of ``result`` the history keeps. Raises HistoryError for an audit without
    scores (unusable input): there is nothing to compare later."""
    if not result.usable or result.scorecard is None:
        raise HistoryError(msg("history.unusable"))
    manifest = result.manifest()
    rubric = result.rubric
    meta = {
        "id": None,
        "saved_at": (saved_at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "as_of": manifest["as_of"], "lang": result.lang,
        "window_days": manifest["window"]["days"],
        "posts_sample": bool(manifest["window"]["posts_sample"]),
        "software_version": __version__, "rubric_id": rubric.id,
        "rubric_version": rubric.version, "rubric_sha256": rubric.sha256,
        "levels_sha256": levels_fingerprint(rubric.maturity), "status": manifest["status"],
    }
    inputs = pd.DataFrame(manifest["inputs"], columns=["name", "sha256", "bytes", "format"])
    tables = {
        "inputs": inputs[COLUMNS["inputs"]],
        "institutions": _institutions(result),
        "dimensions": _dimensions(result),
        "criteria": _criteria(result),
        "profiles": result.profiles[COLUMNS["profiles"]].reset_index(drop=True),
        "actions": _actions(result),
    }
    return StoredAudit(meta=meta, tables={name: _plain(frame) for name, frame in tables.items()})


def _institutions(result: AuditResult) -> pd.DataFrame:
    card = result.scorecard.institutions
    return pd.DataFrame({
        "institution": card.index, "key": card.index.map(institution_key),
        "sector": card["sector"].to_numpy(), "country": card["country"].to_numpy(),
        "level": card["maturity_level"].to_numpy(),
        "level_label_es": card["maturity_label_es"].to_numpy(),
        "level_label_en": card["maturity_label_en"].to_numpy(),
        "overall": card["overall_score"].to_numpy(), "coverage": card["coverage"].to_numpy(),
    })


def _dimensions(result: AuditResult) -> pd.DataFrame:
    """Score, coverage (the share of the dimension's criterion weight evaluated), the
    dimension's weight in the rubric and its label."""
    scores = result.scorecard.scores
    evaluated = scores["weight"].where(scores["status"] == "ok", 0.0)
    coverage = (evaluated.groupby([scores["institution"], scores["dimension"]]).sum()
                / scores.groupby(["institution", "dimension"])["weight"].sum())
    by_dimension = {d["id"]: d for d in result.rubric.dimensions}
    long = result.scorecard.dimensions.stack(future_stack=True).rename("score")
    long.index.names = ["institution", "dimension"]
    frame = long.reset_index()
    frame = frame[frame["dimension"].isin(by_dimension)]
    frame["coverage"] = [coverage.get((i, d), 0.0)
                         for i, d in zip(frame["institution"], frame["dimension"], strict=True)]
    frame["weight"] = frame["dimension"].map(lambda d: float(by_dimension[d]["weight"]))
    for lang in LANGS:
        frame[f"label_{lang}"] = [by_dimension[d]["label"][lang] for d in frame["dimension"]]
    return frame[COLUMNS["dimensions"]].reset_index(drop=True)


def _criteria(result: AuditResult) -> pd.DataFrame:
    scores = result.scorecard.scores
    labels = {(d["id"], c["id"]): c["label"] for d, c in result.rubric.criteria()}
    keys = list(zip(scores["dimension"], scores["criterion"], strict=True))
    frame = scores[["institution", "dimension", "criterion", "metric", "score", "status",
                    "weight"]].copy()
    for lang in LANGS:
        frame[f"label_{lang}"] = [labels[key][lang] for key in keys]
    return frame.reset_index(drop=True)


def _actions(result: AuditResult) -> pd.DataFrame:
    """Every recommended action, by id, with a title made of rubric labels (never the
    action's text, which may quote a complaint)."""
    plan = result.recommendations
    labels = {c["id"]: c["label"] for _, c in result.rubric.criteria()}
    frame = plan[["institution", "action_id", "dimension", "criteria", "tier", "horizon",
                  "rank", "in_plan"]].copy()
    for lang in LANGS:
        frame[f"title_{lang}"] = [_title(action, criteria, labels, lang) for action, criteria
                                  in zip(plan["action_id"], plan["criteria"], strict=True)]
    return frame.reset_index(drop=True)


def _title(action: str, criteria: str, labels: dict, lang: str) -> str:
    """A profile decision or a data request has its own title in the catalogue; any other
    action is named by the labels of the criteria it covers (the first few)."""
    if f"history.title_{action}" in catalogue():
        return text(f"history.title_{action}", lang)
    covered = [labels[c][lang] for c in (criteria or action).split(";") if c in labels]
    if not covered:  # an action of a rubric that covers no criterion: its id is its name
        return action
    if len(covered) <= TITLE_CRITERIA:
        return ", ".join(covered)
    return text("history.title_more", lang, labels=", ".join(covered[:TITLE_CRITERIA]),
                n=len(covered) - TITLE_CRITERIA)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None and numbers as Python numbers: what sqlite3 stores."""
    return frame.astype(object).where(frame.notna(), None).reset_index(drop=True)
