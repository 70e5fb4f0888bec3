"""What an audit produced, and its machine-readable record: the one type that the pipeline
returns and the report stage, the command line and the app read.

It sits between the stages that compute (ingest, measure, score, peers) and the report that
writes, so the report depends on the result and not on how it was computed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from audit._version import __version__
from audit.ingest.problems import ProblemLog
from audit.ingest.reader import ReadRecord, ReadResult
from audit.ingest.validate import Dataset
from audit.measure.checks.formats import profile_name
from audit.measure.features import Features
from audit.measure.privacy import Privacy
from audit.peers.clusters import Clusters, ClusterSettings
from audit.score.rubric import Rubric
from audit.score.scorecard import Scorecard

__all__ = ["DEFAULT_CLUSTERING", "AuditResult", "Risk"]

DEFAULT_CLUSTERING = ClusterSettings()  # k-means, k by silhouette, no size covariate


@dataclass(frozen=True)
class Risk:
    """One of an institution's risks: an abandoned profile (``profile`` with the
    ``days`` since its last post, None when unknown) or a criterion the rubric marks as a
    risk scoring below its target (``criterion`` key with its ``score`` and ``evidence``
    per language). Which items are risks is decided here once; the app and the PDF only
    word them."""

    kind: str  # "abandoned" | "criterion"
    profile: str | None = None
    days: float | None = None
    criterion: tuple[str, str] | None = None
    score: float | None = None
    evidence: dict | None = None


@dataclass
class AuditResult:
    """Everything an audit produced. ``data`` is None when the input was unusable.
    ``read`` is the record of the reading, never its cells: a ``ReadResult`` given is
    kept as its ``record()``, so a result held by the app does not hold the files twice."""

    problems: ProblemLog
    read: ReadRecord
    rubric: Rubric
    data: Dataset | None
    profiles: pd.DataFrame | None
    lang: str
    features: Features | None = None
    scorecard: Scorecard | None = None
    recommendations: pd.DataFrame | None = None
    peers: Clusters | None = None
    content_mix: pd.DataFrame | None = None  # with a content model: share of each label
    clustering: ClusterSettings = DEFAULT_CLUSTERING  # how ``peers`` was (or is to be) made

    def __post_init__(self):
        if isinstance(self.read, ReadResult):
            self.read = self.read.record()

    @property
    def usable(self) -> bool:
        return self.data is not None

    @property
    def check_errors(self) -> bool:
        """True when some check raised: the scores are incomplete for a reason that is not
        the data, and the audit must not be signed as it is."""
        return self.scorecard is not None and bool(self.scorecard.errors)

    def risks(self, institution: str) -> list[Risk]:
        """The institution's abandoned profiles, then its risk criteria below target."""
        found = []
        profiles = self.profiles[self.profiles["institution"] == institution]
        for row in profiles[profiles["status"] == "abandoned"].itertuples():
            days = None if pd.isna(row.days_since_last_post) else row.days_since_last_post
            found.append(Risk("abandoned", profile=profile_name(row.network, row.handle),
                              days=days))
        scores = self.scorecard.scores
        mine = scores[scores["institution"] == institution].set_index(
            ["dimension", "criterion"])
        for key in self.rubric.risks:  # criteria marked risk: true in the rubric
            if key not in mine.index:
                continue
            row = mine.loc[key]
            if pd.notna(row["score"]) and row["score"] < row["target"]:
                found.append(Risk("criterion", criterion=key, score=row["score"],
                                  evidence={lang: row[f"evidence_{lang}"]
                                            for lang in ("es", "en")}))
        return found

    def manifest(self, clusters: bool = True) -> dict:
        """The machine-readable record of the audit: what went in, with what settings.
        ``clusters=False`` leaves out the clustering's settings, for a reader that does
        not show them: they hold its stability, 30 bootstrap refits computed when first
        read (the workbook's cover, the app's Data and Methodology pages)."""
        data = self.data
        return {
            "software": {"name": "audit", "version": __version__},
            "status": ("input_unusable" if not data else
                       "audited_with_errors" if self.check_errors else "audited"),
            "as_of": data.as_of.isoformat() if data else None,
            "as_of_source": data.as_of_source if data else None,
            "rubric": {"id": self.rubric.id, "version": self.rubric.version,
                       "sha256": self.rubric.sha256, "file": self.rubric.path},
            "lang": self.lang,
            "window": {"days": self.rubric.window_days,
                       "posts_sample": bool(self.features and self.features.posts_sample)},
            "inputs": [{"name": i.name, "sha256": i.sha256, "bytes": i.bytes, "format": i.format}
                       for i in self.read.inputs],
            "sheets": [{"file": t.file, "sheet": t.sheet, "kind": t.kind, "rows": t.row_count,
                        "encoding": t.encoding, "delimiter": t.delimiter}
                       for t in self.read.tables],
            "rows": data.rows if data else {},
            "empty_rows_skipped": self.read.empty_rows,
            "counts": {
                "institutions": int(data.profiles["institution"].nunique()) if data else 0,
                "profiles": len(data.profiles) if data else 0,
                "posts": len(data.posts) if data else 0,
                "interactions": len(data.interactions) if data else 0,
                "governance_answers": len(data.governance) if data else 0,
            },
            "problems": self.problems.counts(),
            "clustering": self.peers.settings(self.lang) if self.peers and clusters else None,
            "privacy": (self.features.privacy if self.features else Privacy()).record(),
            "column_map": self.read.mapping.to_dict() if self.read.mapping else None,
        }
