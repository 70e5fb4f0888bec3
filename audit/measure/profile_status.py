"""Per-profile activity: the latest post, days since it, posts per week and a status.

The status follows the rubric's day thresholds (inclusive upper bounds):

    days since last post   <= active   <= irregular   <= inactive   > inactive   unknown
    status                  active      irregular      inactive      abandoned    no_data

The latest post is the later of the posts sheet and the profile's own ``last_post_at``, so an
auditor who only knows the date of the last post still gets a status. Posts per week count
the posts sheet over the rubric's window, or the profile's ``posts_90d`` when the posts sheet
has nothing for that profile.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from audit.ingest.validate import Dataset

__all__ = ["STATUSES", "profile_activity"]

STATUSES = ("active", "irregular", "inactive", "abandoned", "no_data")
KEY = ["network", "handle"]


def profile_activity(data: Dataset, status_days: dict[str, float],
                     window_days: int) -> pd.DataFrame:
    """One row per profile with its activity figures and status, from the rubric's status
    ``days`` (active, irregular, inactive) and its activity window."""
    profiles = data.profiles
    end = data.as_of_end
    window = pd.Timedelta(days=window_days)
    posts = data.posts
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
    window_posts = table["posts_window"].fillna(0).where(has_posts, table["posts_90d"] *
                                                         window_days / 90)
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
        "posts_source": np.where(has_posts, "posts", np.where(table["posts_90d"].notna(),
                                                              "profile", "none")),
        "status": status_of(days, status_days),
        "source_row": table["source_row"],
    })
    return out.sort_values(["institution", "network", "handle"], kind="stable").reset_index(
        drop=True)


def status_of(days: pd.Series, thresholds: dict[str, float]) -> pd.Series:
    """Map days since the last post to a status with the rubric's inclusive upper bounds."""
    status = pd.Series("abandoned", index=days.index, dtype="str")
    for name in ("inactive", "irregular", "active"):
        status = status.mask((days <= thresholds[name]).fillna(False), name)
    return status.mask(days.isna(), "no_data")
