"""Health-sector checks: patients' privacy in posts and a blog as the hub of the strategy.

Guideline (000): doctors hesitate to use social media because they worry about their own and
their patients' security; a basic strategy is not complete without a blog, the base from
which information is spread and where prospective patients arrive.
"""

from __future__ import annotations

import pandas as pd

from audit.measure.checks import REQUIRED, Measure, check, empty
from audit.measure.checks.formats import profile_name
from audit.measure.features import Features
from audit.measure.profile_status import LIVE
from audit.messages import msg


@check("personal_data_share", options={"patterns": REQUIRED})
def personal_data_share(f: Features, params: dict) -> Measure:
    """Share of posts that show personal data (patterns in the rubric: e-mail addresses,
    phone and identity numbers, clinical-record words). Evidence: the kinds found, with an
    example post shortened so the personal data itself is not repeated in the report."""
    posts = f.posts.dropna(subset=["text"])
    if posts.empty:
        return empty()
    patterns: dict[str, str] = params["patterns"]
    # case as the rubric writes it: a pattern marks its case-free parts with (?i:...), so a
    # person's name can require capitals without "paciente sufre una" passing for one
    hits = pd.DataFrame({kind: posts["text"].str.contains(rx, case=True, regex=True)
                         for kind, rx in patterns.items()}, index=posts.index).fillna(False)
    flagged = hits.any(axis=1)
    value = flagged.groupby(posts["institution"]).mean()
    evidence = {}
    counts = hits.groupby(posts["institution"]).sum()
    for name, row in counts.iterrows():
        found = {k: int(v) for k, v in row.items() if v}
        if found:
            kinds = ", ".join(f"{k} ({v})" for k, v in found.items())
            evidence[name] = msg("evidence.personal_data", share=value[name], kinds=kinds)
        else:
            evidence[name] = msg("evidence.no_personal_data")
    details = posts.loc[flagged, ["institution", "network", "handle", "published_at",
                                  "source_row"]]
    return Measure(value, pd.Series(evidence, dtype="object"), details=details)


@check("blog_hub", options={"network": "blog"})
def blog_hub(f: Features, params: dict) -> Measure:
    """1 when the institution keeps an active blog (or the network named in params), 0.5
    when it has one that is inactive or abandoned, 0 when it has none."""
    hub = params["network"]
    profiles = f.profiles
    is_hub = profiles["network"] == hub
    live = is_hub & profiles["status"].isin(LIVE)
    value = (live.groupby(profiles["institution"]).any().astype(float)
             .where(lambda v: v > 0, is_hub.groupby(profiles["institution"]).any() * 0.5))
    evidence = {}
    for name, group in profiles[is_hub].groupby("institution"):
        row = group.iloc[0]
        evidence[name] = msg("evidence.hub_status", who=profile_name(row.network, row.handle),
                             status=msg(f"evidence.status_{row.status}"))
    for name in value.index.difference(list(evidence)):
        evidence[name] = msg("evidence.no_blog")
    return Measure(value.astype(float), pd.Series(evidence, dtype="object"))
