"""Activity: are the institution's profiles alive, frequent and regular?

Guideline: be only where you can stay active, an abandoned profile damages the image (002);
permanent resources and planned activity on every channel (001).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..features import Features
from . import Measure, check, empty
from ._text import number, percent, profile_name

LIVE = ("active", "irregular")


def _profiles_with_data(f: Features) -> pd.DataFrame:
    profiles = f.profiles
    has_data = profiles.groupby("institution")["status"].transform(lambda s: (s != "no_data").any())
    return profiles[has_data]


@check("active_profiles_share")
def active_profiles_share(f: Features, params: dict) -> Measure:
    """Share of profiles active or irregular; profiles never seen posting count as not active.
    Not evaluated when no profile of the institution has any date of a post."""
    profiles = _profiles_with_data(f)
    live = profiles["status"].isin(LIVE)
    value = live.groupby(profiles["institution"]).mean()
    dead = profiles[~live].sort_values("days_since_last_post", ascending=False,
                                       na_position="first")
    es, en = {}, {}
    for name, group in dead.groupby("institution", sort=False):
        items_es, items_en = [], []
        for row in group.itertuples():
            who = profile_name(row.network, row.handle)
            if pd.isna(row.days_since_last_post):
                items_es.append(f"{who}: sin publicaciones")
                items_en.append(f"{who}: no posts")
            else:
                days = int(row.days_since_last_post)
                items_es.append(f"{who}: {days} días sin publicar")
                items_en.append(f"{who}: {days} days without a post")
        es[name], en[name] = "; ".join(items_es), "; ".join(items_en)
    for name in value.index.difference(list(es)):
        n = int((profiles["institution"] == name).sum())
        es[name] = f"Los {n} perfiles publicaron en los últimos 30 días"
        en[name] = f"All {n} profiles posted in the last 30 days"
    return Measure(value, pd.Series(es), pd.Series(en), details=dead)


@check("days_since_last_post")
def days_since_last_post(f: Features, params: dict) -> Measure:
    """Median, over the institution's profiles, of days since each one's last post."""
    profiles = f.profiles.dropna(subset=["days_since_last_post"])
    days = profiles["days_since_last_post"].astype("float64")
    value = days.groupby(profiles["institution"]).median()
    worst = profiles.loc[days.groupby(profiles["institution"]).idxmax()]
    es = {r.institution: f"Mediana {number(value[r.institution], 'es')} días; el más antiguo: "
                         f"{profile_name(r.network, r.handle)}, {int(r.days_since_last_post)} días"
          for r in worst.itertuples()}
    en = {r.institution: f"Median {number(value[r.institution], 'en')} days; oldest: "
                         f"{profile_name(r.network, r.handle)}, {int(r.days_since_last_post)} days"
          for r in worst.itertuples()}
    return Measure(value, pd.Series(es), pd.Series(en))


@check("posting_frequency")
def posting_frequency(f: Features, params: dict) -> Measure:
    """Mean over profiles of posts per week against the network's target, capped at 1."""
    targets = params.get("targets_per_week", {})
    default = float(params.get("default_target_per_week", 1))
    profiles = f.profiles.dropna(subset=["posts_per_week"]).copy()
    profiles["target"] = profiles["network"].map(targets).fillna(default).astype("float64")
    profiles["ratio"] = np.minimum(profiles["posts_per_week"].astype("float64") /
                                   profiles["target"], 1.0)
    value = profiles.groupby("institution")["ratio"].mean()
    below = profiles[profiles["ratio"] < 1].sort_values("ratio")
    es, en = {}, {}
    for name, group in below.groupby("institution", sort=False):
        es[name] = "; ".join(
            f"{profile_name(r.network, r.handle)}: {number(r.posts_per_week, 'es')} por semana "
            f"(objetivo {number(r.target, 'es')})" for r in group.head(4).itertuples())
        en[name] = "; ".join(
            f"{profile_name(r.network, r.handle)}: {number(r.posts_per_week, 'en')} a week "
            f"(target {number(r.target, 'en')})" for r in group.head(4).itertuples())
    for name in value.index.difference(list(es)):
        es[name] = "Todos los perfiles alcanzan su frecuencia objetivo"
        en[name] = "Every profile reaches its target frequency"
    return Measure(value, pd.Series(es), pd.Series(en), details=below)


@check("regularity")
def regularity(f: Features, params: dict) -> Measure:
    """Share of the last N weeks with at least one post, averaged over profiles that post."""
    weeks = int(params.get("weeks", 26))
    posts = f.posts
    if posts.empty:
        return empty()
    start = f.as_of_end - pd.Timedelta(weeks=weeks)
    recent = posts[posts["published_at"] >= start]
    week = ((recent["published_at"] - start) // pd.Timedelta(weeks=1)).astype("int64")
    active_weeks = week.groupby([recent["institution"], recent["network"], recent["handle"]]) \
        .nunique()
    profiles = f.profiles[f.profiles["posts_source"] == "posts"]
    keys = pd.MultiIndex.from_frame(profiles[["institution", "network", "handle"]])
    share = (active_weeks.reindex(keys).fillna(0) / weeks).to_numpy()
    table = profiles.assign(share=share)
    value = table.groupby("institution")["share"].mean()
    es = {n: f"{percent(v, 'es')} de las últimas {weeks} semanas con al menos una publicación "
             f"(media de los perfiles)" for n, v in value.items()}
    en = {n: f"{percent(v, 'en')} of the last {weeks} weeks with at least one post "
             f"(mean over profiles)" for n, v in value.items()}
    return Measure(value, pd.Series(es), pd.Series(en))

