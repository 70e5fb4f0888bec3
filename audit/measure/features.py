"""Features: the clean data reshaped once for the checks, per institution and per profile.

    Dataset + profile activity ──▶ Features
        institutions  one row per institution: sector, country, region
        profiles      the profiles sheet plus activity (status, days, posts per week)
        posts         the posts of the audit window (the ``window_days`` before the end of
                      the audit date), with their institution
        interactions  interactions with response time in hours
        governance    questionnaire answers
        text()        per-post text measures, computed on first use and kept
        status_days   the rubric's profile status thresholds the statuses were set with,
                      so that evidence states the days a status means
        window_days   the audit window: every post-based measure reads the same posts
        posts_sample  the auditor flagged the posts as a sample, not full timelines
        timelines     the posts sheet holds full timelines (posts given, not a sample): a
                      profile without posts in the window posted nothing, a measured zero
        privacy       whether citizens' texts may be quoted, and the pseudonyms' key

Why the window is applied here, once: an institution silent for a year must not score its
tone, transparency or engagement on posts older than its activity is measured on; every
check then reads the same posts and none repeats the cut. The profile statuses, built
before, still see every post: days since the latest post need the latest post, however old.

Gathering never scores: checks read these tables and measure; the rubric scores.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from audit.ingest.validate import Dataset
from audit.measure.privacy import Privacy
from audit.measure.profile_status import full_timelines

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
    window_days: int
    posts_sample: bool
    timelines: bool
    images: dict[str, bytes] = field(default_factory=dict)
    privacy: Privacy = field(default_factory=Privacy)
    # Results several checks share, computed by the first that needs them (the campaign
    # terms matched on the posts with text, say); never part of what is compared or shown.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def as_of_end(self) -> pd.Timestamp:
        return pd.Timestamp(self.as_of, tz="UTC") + pd.Timedelta(days=1)

    @property
    def names(self) -> pd.Index:
        """Every institution, in a stable order: the index every measure aligns to."""
        return self.institutions.index

    @cached_property
    def _with_text(self) -> pd.DataFrame:
        """The posts that carry some text, found once for the nine checks that read them."""
        posts = self.posts
        if posts.empty:
            return posts
        has_text = posts["text"].str.strip().str.len().fillna(0).to_numpy() > 0
        return posts[has_text]

    def posts_with_text(self) -> pd.DataFrame:
        """The posts that carry some text (not only spaces), with their index kept, as a
        frame of its own: a check may add columns to it without touching the others'."""
        return self._with_text.copy(deep=False)

    @cached_property
    def text(self):
        """Per-post text measures (tone, transparency), computed once."""
        from audit.measure.text import text_features

        return text_features(self.posts["text"])


def build_features(data: Dataset, activity: pd.DataFrame, status_days: dict[str, float],
                   window_days: int, posts_sample: bool = False,
                   privacy: Privacy | None = None) -> Features:
    """Reshape a validated dataset and its profile activity (statuses set with the rubric's
    ``status_days``, over the same ``window_days`` and ``posts_sample``) for the checks, with
    the audit's ``privacy`` settings (default: citizens' texts not quoted)."""
    profiles = data.profiles.merge(
        activity[["network", "handle", "status", "days_since_last_post", "posts_in_window",
                  "posts_per_week", "posts_source"]],
        on=["network", "handle"], how="left")
    profiles["last_post_at"] = pd.to_datetime(
        activity.set_index(["network", "handle"])["last_post_at"].reindex(
            pd.MultiIndex.from_frame(profiles[["network", "handle"]])).to_numpy(), utc=True)
    counts = profiles.groupby("institution", sort=True).size()
    institutions = pd.DataFrame({column: _modes(profiles, column, counts.index)
                                 for column in ("sector", "country", "region")})
    institutions["profiles"] = counts
    interactions = data.interactions.copy()
    interactions["response_hours"] = (
        (interactions["replied_at"] - interactions["received_at"]).dt.total_seconds() / 3600)
    start = data.as_of_end - pd.Timedelta(days=window_days)
    in_window = (data.posts["published_at"] >= start).to_numpy(dtype=bool)
    # A window that holds every post shares the posts' columns instead of copying them
    # (a million posts' texts and names); a new frame all the same, so a column a check
    # adds never reaches the dataset.
    posts = data.posts.copy(deep=False) if in_window.all() else data.posts[in_window]
    return Features(as_of=data.as_of, institutions=institutions, profiles=profiles,
                    posts=posts, interactions=interactions, governance=data.governance,
                    status_days=dict(status_days), window_days=int(window_days),
                    posts_sample=posts_sample,
                    timelines=full_timelines(data, posts_sample), images=data.images,
                    privacy=privacy or Privacy())


def _modes(profiles: pd.DataFrame, column: str, names: pd.Index) -> pd.Series:
    """Per institution in ``names``, the most frequent non-empty value of ``column`` among
    its profiles (on a tie, the one its profiles name first), or NA.

    Counted over all institutions at once: a function called per group cost a third of a
    millisecond each, a second for 1,000 institutions and eight for 8,000."""
    given = profiles[["institution", column]].assign(order=np.arange(len(profiles)))
    given = given[given[column].notna()]
    counted = (given.groupby(["institution", column], sort=False, observed=True)["order"]
               .agg(["size", "min"]).reset_index())
    counted = counted.sort_values(["institution", "size", "min"], ascending=[True, False, True],
                                  kind="stable")
    first = counted.drop_duplicates("institution").set_index("institution")[column]
    # Built from a list, as pandas builds a column of per-group answers: text where some
    # institution has a value, objects (NA) where none has, never a column of float NaN,
    # which the output tables would carry as a number column.
    return pd.Series([pd.NA if pd.isna(value) else value
                      for value in first.reindex(names).tolist()], index=names, name=column)
