"""Privacy in posts (every rubric; the health rubric makes it a knock-out) and, for the
health sector, a blog as the hub of the strategy.

Guideline (000): doctors hesitate to use social media because they worry about their own and
their patients' security; a basic strategy is not complete without a blog, the base from
which information is spread and where prospective patients arrive.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from audit.measure.checks import Measure, check, empty
from audit.measure.checks.formats import commas, profile_name
from audit.measure.checks.quoting import (
    masked_column,
    n_posts,
    own_handles,
    posts_with_text,
    quote,
)
from audit.measure.features import Features
from audit.measure.profile_status import LIVE
from audit.measure.text.personal_data import KINDS, exposing_posts
from audit.messages import msg


@check("personal_data_share", options={"examples": 2})
def personal_data_share(f: Features, params: dict) -> Measure:
    """Share of the institution's posts that expose someone's personal data: an identity
    or clinical record number, a patient's or a relative's name, and a phone or an address
    beside them (``audit.measure.text.personal_data``; an institution's own phones and
    mailboxes, mentions and signatures are not). Evidence: how many posts, the kinds found
    and up to ``examples`` of the posts, their personal data masked; details: every such
    post, masked. Not evaluated without texts."""
    n_examples = int(params["examples"])
    posts = posts_with_text(f)
    if posts.empty:
        return empty()
    kinds = exposing_posts(posts["text"])
    flagged = pd.Series(posts.index.isin(kinds.index), index=posts.index)
    grouped = flagged.groupby(posts["institution"])
    value, hits, total = grouped.mean(), grouped.sum(), grouped.size()
    handles = own_handles(f)
    shown = posts[flagged.to_numpy()]
    # Each institution's flagged posts split once, not filtered from all of them a thousand
    # times.
    by_institution = dict(tuple(shown.groupby("institution", sort=False)))
    evidence = {}
    for name in value.index:
        if not hits[name]:
            evidence[name] = msg("evidence.no_personal_data")
            continue
        mine = by_institution[name]
        counts = Counter(k for found in kinds[mine.index] for k in found)
        listed = [msg("evidence.kind_count", kind=msg(f"privacy.kind_{k}"), n=counts[k])
                  for k in KINDS if counts[k]]
        examples = [quote(t, handles) for t in mine["text"].head(n_examples)]
        evidence[name] = msg("evidence.personal_data", hits=hits[name],
                             posts=n_posts(total[name]), kinds=commas(listed),
                             examples=[msg("evidence.quoted", text=e) for e in examples])
    details = shown[["institution", "network", "handle", "published_at", "source_row"]].assign(
        kinds=kinds[shown.index].map(lambda found: ", ".join(k for k in KINDS if k in found)),
        text=masked_column(shown["text"], handles))
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
