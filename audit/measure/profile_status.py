"""Per-profile activity: the latest post, days since it, posts per week and a status.

The status follows the rubric's day thresholds (inclusive upper bounds):

    days since last post   <= active   <= irregular   <= inactive   > inactive   unknown
    status                  active      irregular      inactive      abandoned    no_data

The latest post is the later of the posts sheet and the profile's own ``last_post_at``, so an
auditor who only knows the date of the last post still gets a status. Posts per week count
the posts sheet over the audit window, or the profile's ``posts_90d`` when the posts sheet
has nothing for that profile; when the posts sheet holds full timelines (some posts, not a
sample), a profile it does not list and that states nothing posted 0 times.

Posts flagged as a sample (``posts_sample``) say nothing about when or how often a profile
posts: the posts sheet is then left out of the activity, which comes only from what the
profiles sheet states (``last_post_at``, ``posts_90d``); a profile without either has no
status (``no_data``), never ``abandoned``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from audit.ingest.validate import Dataset

__all__ = ["BEYOND", "LIVE", "STATUSES", "full_timelines", "profile_activity"]

STATUSES = ("active", "irregular", "inactive", "abandoned", "no_data")
#: The statuses of a profile still alive, and of one beyond the rubric's days.
LIVE, BEYOND = ("active", "irregular"), ("inactive", "abandoned")
KEY = ["network", "handle"]


def profile_activity(data: Dataset, status_days: dict[str, float], window_days: int,
                     posts_sample: bool = False) -> pd.DataFrame:
    """One row per profile with its activity figures and status, from the rubric's status
    ``days`` (active, irregular, inactive) and the audit window; with ``posts_sample`` the
    posts sheet does not count (module docstring)."""
    profiles = data.profiles
    end = data.as_of_end
    window = pd.Timedelta(days=window_days)
    posts = data.posts.iloc[:0] if posts_sample else data.posts
    by_profile = posts.groupby(KEY, sort=False)["published_at"]
    latest = by_profile.max().rename("latest_post")
    total = by_profile.size().rename("posts_total")
    recent = posts[posts["published_at"] >= end - window].groupby(KEY, sort=False).size()
    table = profiles.join(latest, on=KEY).join(total, on=KEY).join(
        recent.rename("posts_window"), on=KEY)

    stated = table["last_post_at"]
    last = table["latest_post"].where(
        table["latest_post"].notna() & ~(stated > table["latest_post"]).fillna(False), stated)
    has_posts = table["posts_total"].fillna(0) > 0
    stated_posts = table["posts_90d"] * window_days / 90
    counted = has_posts | (stated_posts.isna() & full_timelines(data, posts_sample))
    window_posts = table["posts_window"].fillna(0).where(counted, stated_posts)
    days = (pd.Timestamp(data.as_of, tz="UTC") - last.dt.floor("D")).dt.days

    out = pd.DataFrame({
        "institution": table["institution"],
        "sector": table["sector"],
        "country": table["country"],
        "network": table["network"],
        "handle": table["handle"],
        "handle_original": table["handle_original"],
        "display_name": table["display_name"],
        "followers": table["followers"].round().astype("Int64"),
        "last_post_at": last.dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "days_since_last_post": days.astype("Int64"),
        "posts_in_window": window_posts.astype("Float64").round(1),
        "posts_per_week": (window_posts / (window_days / 7)).astype("Float64").round(2),
        "posts_source": np.where(counted, "posts", np.where(stated_posts.notna(), "profile",
                                                           "none")),
        "status": status_of(days, status_days),
        "source_row": table["source_row"],
    })
    return out.sort_values(["institution", "network", "handle"], kind="stable").reset_index(
        drop=True)


def full_timelines(data: Dataset, posts_sample: bool) -> bool:
    """Whether the posts sheet holds the profiles' full timelines: it has posts and the
    auditor did not flag them as a sample. Then a profile without posts in the window
    posted nothing there (a measured zero), rather than having no data."""
    return not posts_sample and not data.posts.empty


def status_of(days: pd.Series, thresholds: dict[str, float]) -> pd.Series:
    """Map days since the last post to a status with the rubric's inclusive upper bounds."""
    status = pd.Series("abandoned", index=days.index, dtype="str")
    for name in ("inactive", "irregular", "active"):
        status = status.mask((days <= thresholds[name]).fillna(False), name)
    return status.mask(days.isna(), "no_data")
