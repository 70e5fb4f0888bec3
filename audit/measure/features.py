"""Features: the clean data reshaped once for the checks, per institution and per profile.

    Dataset + profile activity ──▶ Features
        institutions  one row per institution: sector, country, region
        profiles      the profiles sheet plus activity (status, days, posts per week)
        posts         posts with their institution
        interactions  interactions with response time in hours
        governance    questionnaire answers
        text()        per-post text measures, computed on first use and kept
        status_days   the rubric's profile status thresholds the statuses were set with,
                      so that evidence states the days a status means

Gathering never scores: checks read these tables and measure; the rubric scores.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from audit.ingest.validate import Dataset

__all__ = ["Features", "build_features"]


@dataclass
class Features:
    as_of: dt.date
    institutions: pd.DataFrame
    profiles: pd.DataFrame
    posts: pd.DataFrame
    interactions: pd.DataFrame
    governance: pd.DataFrame
    status_days: dict[str, float]  # active / irregular / inactive: inclusive upper bounds
    images: dict[str, bytes] = field(default_factory=dict)

    @property
    def as_of_end(self) -> pd.Timestamp:
        return pd.Timestamp(self.as_of, tz="UTC") + pd.Timedelta(days=1)

    @property
    def names(self) -> pd.Index:
        """Every institution, in a stable order: the index every measure aligns to."""
        return self.institutions.index

    @cached_property
    def text(self):
        """Per-post text measures (tone, transparency), computed once."""
        from audit.measure.text import text_features

        return text_features(self.posts["text"])


def build_features(data: Dataset, activity: pd.DataFrame,
                   status_days: dict[str, float]) -> Features:
    """Reshape a validated dataset and its profile activity (statuses set with the rubric's
    ``status_days``) for the checks."""
    profiles = data.profiles.merge(
        activity[["network", "handle", "status", "days_since_last_post", "posts_in_window",
                  "posts_per_week", "posts_source"]].rename(columns={}),
        on=["network", "handle"], how="left")
    profiles["last_post_at"] = pd.to_datetime(
        activity.set_index(["network", "handle"])["last_post_at"].reindex(
            pd.MultiIndex.from_frame(profiles[["network", "handle"]])).to_numpy(), utc=True)
    institutions = (
        profiles.groupby("institution", sort=True)
        .agg(sector=("sector", _mode), country=("country", _mode), region=("region", _mode),
             profiles=("handle", "size"))
    )
    interactions = data.interactions.copy()
    interactions["response_hours"] = (
        (interactions["replied_at"] - interactions["received_at"]).dt.total_seconds() / 3600)
    return Features(as_of=data.as_of, institutions=institutions, profiles=profiles,
                    posts=data.posts, interactions=interactions, governance=data.governance,
                    status_days=dict(status_days), images=data.images)


def _mode(values: pd.Series):
    """The most frequent non-empty value (first in order on a tie), or NA."""
    counts = values.dropna().value_counts(sort=False)
    return counts.idxmax() if len(counts) else pd.NA
