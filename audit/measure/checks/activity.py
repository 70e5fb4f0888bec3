"""Activity: are the institution's profiles alive, frequent and regular?

Guideline: be only where you can stay active, an abandoned profile damages the image (002);
permanent resources and planned activity on every channel (001).

Frequency and regularity read the posts of the audit window (``Features``). When the posts
sheet holds full timelines, a profile without posts in the window is measured: 0 posts, 0
weeks, not active; an institution silent in the window scores 0, never "not evaluated".
When the auditor flagged the posts as a sample, they say nothing about how often a profile
posts: what only the posts sheet could tell is not evaluated, and its evidence says why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from audit.measure.checks import Measure, check
from audit.measure.checks.formats import profile_name
from audit.measure.features import Features
from audit.measure.profile_status import LIVE
from audit.messages import msg


def _profiles_with_data(f: Features) -> pd.DataFrame:
    """Profiles of institutions where at least one profile has a date of a post, or of every
    institution when the posts sheet holds full timelines (a profile absent from it never
    posted there)."""
    profiles = f.profiles
    if f.timelines:
        return profiles
    known = profiles.loc[profiles["status"] != "no_data", "institution"].unique()
    return profiles[profiles["institution"].isin(known)]


def _with_sample_note(f: Features, value: pd.Series, evidence: dict) -> pd.Series:
    """The evidence, saying for each institution left unmeasured that its posts are a
    sample (when they are): the reason it is not evaluated, rather than "no data"."""
    if f.posts_sample:
        for name in f.names.difference(value.dropna().index):
            evidence[name] = msg("evidence.posts_sample")
    return pd.Series(evidence, dtype="object")


@check("active_profiles_share")
def active_profiles_share(f: Features, params: dict) -> Measure:
    """Share of profiles active or irregular (a post within the rubric's irregular days);
    profiles never seen posting count as not active. Not evaluated when no profile of the
    institution has any date of a post and the posts sheet is not a full timeline."""
    profiles = _profiles_with_data(f)
    live = profiles["status"].isin(LIVE)
    value = live.groupby(profiles["institution"]).mean()
    dead = profiles.loc[~live, ["institution", "network", "handle", "status",
                                "days_since_last_post"]]
    dead = dead.sort_values("days_since_last_post", ascending=False, na_position="first",
                        kind="stable")  # ties in data order, whatever else is audited
    items: dict[str, list] = {}
    for name, network, handle, days in zip(dead["institution"], dead["network"],
                                           dead["handle"], dead["days_since_last_post"],
                                           strict=True):
        who = profile_name(network, handle)
        items.setdefault(name, []).append(
            msg("evidence.profile_no_posts", who=who) if pd.isna(days)
            else msg("evidence.profile_days_silent", who=who, days=int(days)))
    evidence = {name: msg("evidence.joined", items=found) for name, found in items.items()}
    for name in value.index.difference(list(evidence)):
        n = int((profiles["institution"] == name).sum())
        days = f.status_days["irregular"]
        evidence[name] = msg("evidence.only_profile_live", days=days) if n == 1 else \
            msg("evidence.all_profiles_live", n=n, days=days)
    return Measure(value, _with_sample_note(f, value, evidence), details=dead)


@check("days_since_last_post")
def days_since_last_post(f: Features, params: dict) -> Measure:
    """Median, over the institution's profiles, of days since each one's last post."""
    profiles = f.profiles.dropna(subset=["days_since_last_post"])
    days = profiles["days_since_last_post"].astype("float64")
    value = days.groupby(profiles["institution"]).median()
    worst = profiles.loc[days.groupby(profiles["institution"]).idxmax()]
    evidence = {r.institution: msg("evidence.median_days_oldest", median=value[r.institution],
                                   who=profile_name(r.network, r.handle),
                                   days=int(r.days_since_last_post))
                for r in worst.itertuples()}
    return Measure(value, _with_sample_note(f, value, evidence))


@check("posting_frequency",
       options={"targets_per_week": {}, "default_target_per_week": 1})
def posting_frequency(f: Features, params: dict) -> Measure:
    """Mean over profiles of posts per week in the audit window against the network's
    target, capped at 1."""
    targets = params["targets_per_week"]
    default = float(params["default_target_per_week"])
    profiles = f.profiles.dropna(subset=["posts_per_week"]).copy()
    profiles["target"] = profiles["network"].map(targets).fillna(default).astype("float64")
    profiles["ratio"] = np.minimum(profiles["posts_per_week"].astype("float64") /
                                   profiles["target"], 1.0)
    value = profiles.groupby("institution")["ratio"].mean()
    below = profiles.loc[profiles["ratio"] < 1, ["institution", "network", "handle",
                                                  "posts_per_week", "target", "ratio"]]
    below = below.sort_values("ratio", kind="stable")  # ties in data order
    shown = below.groupby("institution", sort=False).head(4)
    items: dict[str, list] = {}
    for name, network, handle, per_week, target in zip(
            shown["institution"], shown["network"], shown["handle"], shown["posts_per_week"],
            shown["target"], strict=True):
        items.setdefault(name, []).append(msg("evidence.profile_per_week",
                                              who=profile_name(network, handle),
                                              per_week=per_week, target=target))
    evidence = {name: msg("evidence.joined", items=found) for name, found in items.items()}
    for name in value.index.difference(list(evidence)):
        evidence[name] = msg("evidence.all_reach_frequency")
    return Measure(value, _with_sample_note(f, value, evidence), details=below)


@check("regularity")
def regularity(f: Features, params: dict) -> Measure:
    """Share of the whole weeks of the audit window (counted back from the audit date) with
    at least one post, averaged over the profiles the posts sheet measures."""
    weeks = max(1, f.window_days // 7)
    start = f.as_of_end - pd.Timedelta(weeks=weeks)
    recent = f.posts[f.posts["published_at"] >= start]
    week = (recent["published_at"] - start) // pd.Timedelta(weeks=1)
    active_weeks = pd.DataFrame({"week": week, "institution": recent["institution"],
                                 "network": recent["network"], "handle": recent["handle"]}) \
        .groupby(["institution", "network", "handle"])["week"].nunique()
    profiles = f.profiles[f.profiles["posts_source"] == "posts"]
    keys = pd.MultiIndex.from_frame(profiles[["institution", "network", "handle"]])
    share = (active_weeks.reindex(keys).fillna(0) / weeks).to_numpy()
    table = profiles.assign(share=share)
    value = table.groupby("institution")["share"].mean()
    evidence = {n: msg("evidence.weeks_with_posts", share=v, weeks=weeks)
                for n, v in value.items()}
    return Measure(value, _with_sample_note(f, value, evidence))
