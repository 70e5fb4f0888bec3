"""Activity: are the institution's profiles alive, frequent and regular?

Guideline: be only where you can stay active, an abandoned profile damages the image (002);
permanent resources and planned activity on every channel (001).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from audit.measure.checks import Measure, check, empty
from audit.measure.checks.formats import number, percent, profile_name
from audit.measure.features import Features

LIVE = ("active", "irregular")


def _profiles_with_data(f: Features) -> pd.DataFrame:
    """Profiles of institutions where at least one profile has a date of a post."""
    profiles = f.profiles
    known = profiles.loc[profiles["status"] != "no_data", "institution"].unique()
    return profiles[profiles["institution"].isin(known)]


@check("active_profiles_share")
def active_profiles_share(f: Features, params: dict) -> Measure:
    """Share of profiles active or irregular (a post within the rubric's irregular days);
    profiles never seen posting count as not active. Not evaluated when no profile of the
    institution has any date of a post."""
    profiles = _profiles_with_data(f)
    live = profiles["status"].isin(LIVE)
    value = live.groupby(profiles["institution"]).mean()
    dead = profiles.loc[~live, ["institution", "network", "handle", "status",
                                "days_since_last_post"]]
    dead = dead.sort_values("days_since_last_post", ascending=False, na_position="first")
    es, en = {}, {}
    for name, network, handle, days in zip(dead["institution"], dead["network"],
                                           dead["handle"], dead["days_since_last_post"],
                                           strict=True):
        who = profile_name(network, handle)
        if pd.isna(days):
            es.setdefault(name, []).append(f"{who}: sin publicaciones")
            en.setdefault(name, []).append(f"{who}: no posts")
        else:
            es.setdefault(name, []).append(f"{who}: {int(days)} días sin publicar")
            en.setdefault(name, []).append(f"{who}: {int(days)} days without a post")
    es = {k: "; ".join(v) for k, v in es.items()}
    en = {k: "; ".join(v) for k, v in en.items()}
    days = number(f.status_days["irregular"], "es"), number(f.status_days["irregular"], "en")
    for name in value.index.difference(list(es)):
        n = int((profiles["institution"] == name).sum())
        es[name] = f"Los {n} perfiles publicaron en los últimos {days[0]} días"
        en[name] = f"All {n} profiles posted in the last {days[1]} days"
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


@check("posting_frequency",
       options={"targets_per_week": {}, "default_target_per_week": 1})
def posting_frequency(f: Features, params: dict) -> Measure:
    """Mean over profiles of posts per week against the network's target, capped at 1."""
    targets = params["targets_per_week"]
    default = float(params["default_target_per_week"])
    profiles = f.profiles.dropna(subset=["posts_per_week"]).copy()
    profiles["target"] = profiles["network"].map(targets).fillna(default).astype("float64")
    profiles["ratio"] = np.minimum(profiles["posts_per_week"].astype("float64") /
                                   profiles["target"], 1.0)
    value = profiles.groupby("institution")["ratio"].mean()
    below = profiles.loc[profiles["ratio"] < 1, ["institution", "network", "handle",
                                                  "posts_per_week", "target", "ratio"]]
    below = below.sort_values("ratio")
    shown = below.groupby("institution", sort=False).head(4)
    es, en = {}, {}
    for name, network, handle, per_week, target in zip(
            shown["institution"], shown["network"], shown["handle"], shown["posts_per_week"],
            shown["target"], strict=True):
        who = profile_name(network, handle)
        es.setdefault(name, []).append(f"{who}: {number(per_week, 'es')} por semana "
                                       f"(objetivo {number(target, 'es')})")
        en.setdefault(name, []).append(f"{who}: {number(per_week, 'en')} a week "
                                       f"(target {number(target, 'en')})")
    es = {k: "; ".join(v) for k, v in es.items()}
    en = {k: "; ".join(v) for k, v in en.items()}
    for name in value.index.difference(list(es)):
        es[name] = "Todos los perfiles alcanzan su frecuencia objetivo"
        en[name] = "Every profile reaches its target frequency"
    return Measure(value, pd.Series(es), pd.Series(en), details=below)


@check("regularity", options={"weeks": 26})
def regularity(f: Features, params: dict) -> Measure:
    """Share of the last N weeks with at least one post, averaged over profiles that post."""
    weeks = int(params["weeks"])
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

