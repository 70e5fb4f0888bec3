"""Engagement: do citizens respond to what the institution publishes, and does it publish the
kinds of content that invite them to?

Guidelines: social networks are for interaction, feedback and participation, and for
planning events with the community (003); seed 004 lists the uses a (medical) library makes
of its networks, from sharing its events to live streams and invitations to comment.

    interaction_rate       median over profiles of interactions per post per 1,000 followers,
                           each as a multiple of its network's median rate
    bonson_engagement      Bonsón, Royo & Ratkai (2015) engagement index E, mean over profiles;
                           for research exports, not scored: it measures what the
                           interaction rate does (Spearman rho 0.96-1.00)
    content_uses_coverage  share of the content uses of 004 found in the institution's posts

Counts (likes, comments, shares) are read as the export gives them: a blank cell is unknown,
never zero, so a post enters an average only for the counts it carries.
"""

from __future__ import annotations

import os
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.ingest.contract import strip_accents
from audit.measure.checks import REQUIRED, Measure, check, empty
from audit.measure.checks.formats import commas, profile_name
from audit.measure.checks.quoting import posts_with_text
from audit.measure.checks.transparency import _joined, matches_terms, posts_matching
from audit.measure.features import Features
from audit.messages import Message, msg

__all__ = ["bonson_indices", "fold_accents"]

COUNTS = ("likes", "comments", "shares")
# Bonsón's three families: index prefix -> the count it is built on.
FAMILIES = {"P": "likes", "C": "comments", "V": "shares"}
KEY = ["network", "handle"]


def _floats(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype="float64", na_value=np.nan)


def _followers(f: Features) -> pd.Series:
    """Followers per profile key (network, handle); 0 or blank -> NaN (no denominator)."""
    profiles = f.profiles
    fans = pd.Series(_floats(profiles["followers"]),
                     index=pd.MultiIndex.from_frame(profiles[KEY]))
    return fans.where(fans > 0)


def _owners(f: Features) -> pd.Series:
    return f.profiles.set_index(KEY)["institution"]


def _without_followers(posts: pd.DataFrame, evaluated: pd.Index) -> dict:
    """Evidence for the institutions whose posts carry counts but whose profiles lack the
    follower count the rate divides by: the auditor can fill it in."""
    names = pd.Index(posts["institution"].unique()).difference(evaluated)
    return {n: msg("evidence.no_followers") for n in names}


# --- interactions per post per 1,000 followers ---------------------------------------------


@check("interaction_rate",
       options={"medians_by_network": {}, "default_median": 0.6})
def interaction_rate(f: Features, params: dict) -> Measure:
    """Median over profiles of each profile's interaction rate as a multiple of its network's
    median rate: (likes + comments + shares) / posts / followers x 1,000, divided by
    ``medians_by_network[network]`` (``default_median`` for a network not listed).

    Why per network: rates per 1,000 followers differ by an order of magnitude between X,
    Facebook, Instagram and TikTok, so one curve would reward being on TikTok rather than
    engaging citizens. Dividing by the network's median puts every profile on one scale
    (1 = as engaging as the typical account of its network), which the rubric's curve scores.

    Per profile, over the posts of the audit window that carry at least
    one count (a post exported without counts is unmeasured, not a post nobody liked). The
    median, not the mean, so one viral profile does not stand for the others. Profiles without
    followers or without such posts are left out; an institution with none left is not
    evaluated.
    """
    posts = f.posts
    counts = pd.DataFrame({c: _floats(posts[c]) for c in COUNTS}, index=posts.index)
    measured = counts.notna().any(axis=1).to_numpy()
    posts, counts = posts[measured], counts[measured]
    if posts.empty:
        return empty()
    per_profile = pd.DataFrame({"interactions": counts.sum(axis=1), "posts": 1}) \
        .groupby([posts["network"], posts["handle"]]).sum()
    per_profile["followers"] = _followers(f).reindex(per_profile.index)
    per_profile = per_profile.dropna(subset=["followers"])
    per_profile["institution"] = _owners(f).reindex(per_profile.index)
    evidence = _without_followers(posts, pd.Index(per_profile["institution"].unique()))
    if per_profile.empty:
        return Measure(pd.Series(dtype="float64"), pd.Series(evidence, dtype="object"))
    per_profile["rate"] = (per_profile["interactions"] / per_profile["posts"]
                           / per_profile["followers"] * 1000)
    table = per_profile.reset_index()
    table["network_median"] = table["network"].map(params["medians_by_network"]) \
        .fillna(params["default_median"]).astype("float64")
    table["relative"] = table["rate"] / table["network_median"]
    value = table.groupby("institution")["relative"].median()

    lowest = table.loc[table.groupby("institution")["relative"].idxmin()] \
        .set_index("institution")
    n = table.groupby("institution").size()
    for name, v in value.items():
        low = lowest.loc[name]
        evidence[name] = msg("evidence.interaction_rate", median=v, profiles=n[name],
                             who=profile_name(low["network"], low["handle"]),
                             lowest=low["rate"], reference=low["network_median"])
    return Measure(value, pd.Series(evidence, dtype="object"), details=table)


# --- Bonsón, Royo & Ratkai (2015) ----------------------------------------------------------


def bonson_indices(posts: pd.DataFrame, followers: pd.Series) -> pd.DataFrame:
    """Popularity, commitment, virality and engagement indices per profile.

    Bonsón, E., Royo, S. & Ratkai, M. (2015). Citizens' engagement on local governments'
    Facebook sites. An empirical analysis: The impact of different media and content types
    in Western Europe. Government Information Quarterly, 32(1), 52-62. With N posts and F
    followers ("fans"):

        P1 = posts with at least one like / N      (share of posts liked)
        P2 = likes / N                             (likes per post)
        P3 = P2 / F x 1,000                        (popularity among followers)
        C1, C2, C3: the same with comments         (commitment)
        V1, V2, V3: the same with shares           (virality)
        E  = P3 + C3 + V3                          (engagement)

    P1, C1 and V1 are shares in [0, 1] (the paper writes them as percentages).

    Two readings of real exports, both so that a blank is never taken for a zero: N counts,
    for each family, the posts whose count is known (an export may lack shares for some
    posts), and a family with no known count at all (no shares column) is NaN and left out
    of E, which then adds the families that were measured. A profile without followers has
    NaN in P3, C3, V3 and E.

    ``posts`` needs network, handle, likes, comments and shares; ``followers`` is indexed by
    (network, handle). Returns one row per profile found in ``posts``, indexed by
    (network, handle), with columns P1..P3, C1..C3, V1..V3, E and the N of each family.
    """
    fans = followers.astype("float64").where(followers > 0)
    keys = [posts["network"], posts["handle"]]
    out = {}
    for family, column in FAMILIES.items():
        count = pd.Series(_floats(posts[column]), index=posts.index)
        sums = pd.DataFrame({"n": count.notna(), "with": count > 0, "total": count.fillna(0)}) \
            .groupby(keys).sum()
        n = sums["n"].where(sums["n"] > 0)
        out[f"{family}1"] = sums["with"] / n
        out[f"{family}2"] = sums["total"] / n
        out[f"{family}3"] = out[f"{family}2"] / fans.reindex(sums.index) * 1000
        out[f"N_{family}"] = sums["n"]
    table = pd.DataFrame(out)
    table["E"] = table[["P3", "C3", "V3"]].sum(axis=1, min_count=1)
    table.index.names = KEY
    columns = [f"{fam}{i}" for fam in FAMILIES for i in (1, 2, 3)]
    return table[[*columns, "E", *(f"N_{fam}" for fam in FAMILIES)]]


@check("bonson_engagement")
def bonson_engagement(f: Features, params: dict) -> Measure:
    """Mean over profiles of Bonsón's engagement index E (see ``bonson_indices``), over the
    posts of the audit window. Not evaluated when no profile has both
    followers and posts with counts in the window."""
    posts = f.posts
    if posts.empty:
        return empty()
    table = bonson_indices(posts, _followers(f))
    table["institution"] = _owners(f).reindex(table.index)
    table = table.reset_index()
    measured = table[table[["N_P", "N_C", "N_V"]].sum(axis=1) > 0]
    table = table.dropna(subset=["E"])
    evidence = _without_followers(measured, pd.Index(table["institution"].unique()))
    if table.empty:
        return Measure(pd.Series(dtype="float64"), pd.Series(evidence, dtype="object"))
    means = table.groupby("institution")[["E", "P3", "C3", "V3"]].mean()
    value = means["E"]
    n = table.groupby("institution").size()
    for name, row in means.iterrows():
        parts = [msg(f"evidence.bonson_{k}", value=row[k]) for k in ("P3", "C3", "V3")
                 if pd.notna(row[k])]
        evidence[name] = msg("evidence.bonson", e=row["E"], parts=commas(parts),
                             profiles=n[name])
    return Measure(value, pd.Series(evidence, dtype="object"), details=table)


# --- content uses (seed 004) ---------------------------------------------------------------


def _latin1_letters() -> np.ndarray:
    """For each character U+00C0..U+00FF (UTF-8: 0xC3 then 0x80..0xBF), the ASCII letter it
    folds to ("á" -> "a", "Ñ" -> "N"), or 0 where there is none ("×", "ß", "æ")."""
    table = np.zeros(64, dtype=np.uint8)
    for k in range(64):
        base = unicodedata.normalize("NFD", chr(0xC0 + k))[0]
        if base != chr(0xC0 + k) and base.isascii():
            table[k] = ord(base)
    return table


_LATIN1_LETTERS = _latin1_letters()


def fold_accents(texts: pd.Series) -> pa.LargeStringArray:
    """The texts with diacritics removed ("Canción Ñandú" -> "Cancion Nandu"), blanks as "",
    as one Arrow array ready for Arrow's regular expressions.

    Why bytes: Unicode normalisation of a million posts takes seconds, and Spanish (and
    Portuguese, Catalan, French) accented letters are all two-byte UTF-8 sequences 0xC3 xx,
    so the fold is a table look-up and the removal of one byte, done with numpy on the whole
    text buffer at once. Decomposed text (a letter followed by a combining accent,
    U+0300..U+036F: 0xCC xx or 0xCD 0x80..0xAF) loses the accent too. Other characters are
    left as they are.
    """
    array = pc.fill_null(pa.array(texts, type=pa.large_string(), from_pandas=True), "")
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    n = len(array)
    if array.buffers()[2] is None or pc.all(pc.string_is_ascii(array)).as_py():
        return array  # nothing to fold
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[array.offset:array.offset + n + 1]
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    offsets = offsets - offsets[0]
    lead = np.flatnonzero(data[:-1] >= 0xC3)  # lead bytes of 0xC3 and above, few in text
    first = data[lead]
    lead = lead[(first == 0xC3) | (first == 0xCC) | (first == 0xCD)]
    first, second = data[lead], data[lead + 1]
    letter = np.where(first == 0xC3, _LATIN1_LETTERS[(second - 0x80) & 0x3F], 0)
    latin = letter != 0
    combining = (first == 0xCC) | ((first == 0xCD) & (second <= 0xAF))
    drop = np.sort(np.concatenate([lead[latin] + 1, lead[combining], lead[combining] + 1]))

    def moved(at: np.ndarray) -> np.ndarray:
        """Positions after the drop: each moves back by the bytes dropped before it."""
        return at - np.searchsorted(drop, at)

    folded = np.delete(data, drop)
    folded[moved(lead[latin])] = letter[latin]
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(moved(offsets)),
                                           pa.py_buffer(folded))


def _use_pattern(use: dict) -> str | None:
    """The expression of a use's ``terms`` as matched (accents stripped; case is ignored by
    the match), checked by RE2 so that an invalid one names its use; None without terms.
    Raises ValueError for a use with neither terms nor formats."""
    if not use.get("terms"):
        if not use.get("formats"):
            raise ValueError(f"content use {use['id']!r}: needs 'terms' or 'formats'")
        return None
    pattern = strip_accents(use["terms"])
    try:
        pc.match_substring_regex(pa.array([""]), pattern=pattern, ignore_case=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ValueError(f"content use {use['id']!r}: invalid 'terms' pattern: {exc}") \
            from None
    return pattern


def _term_candidates(texts: pa.Array, patterns: list[str]) -> np.ndarray:
    """The texts that match some use's terms: all the patterns joined, in passes of bounded
    size (``_joined``, as for a list of terms), so that each use's own pass reads only
    these (on the bench, 45% of the posts) instead of every post."""
    found = np.zeros(len(texts), dtype=bool)
    for joined in _joined(patterns):
        found |= pc.match_substring_regex(texts, pattern=joined, ignore_case=True) \
            .to_numpy(zero_copy_only=False).astype(bool)
    return found


def _use_hits(use: dict, pattern: str | None, texts: pa.Array, rows: np.ndarray,
              formats: pd.Series) -> np.ndarray:
    """Which posts show one content use: its ``terms`` (``pattern``, matched on ``texts``,
    the posts at ``rows`` of all, since no other post matches any use's terms) and/or its
    ``formats``, combined with ``match`` (any | all)."""
    found = []
    if pattern is not None:
        hits = np.zeros(len(formats), dtype=bool)
        hits[rows] = pc.match_substring_regex(texts, pattern=pattern, ignore_case=True) \
            .to_numpy(zero_copy_only=False).astype(bool)
        found.append(hits)
    if use.get("formats"):
        found.append(formats.isin(list(use["formats"])).to_numpy(dtype=bool))
    combine = np.logical_and if use.get("match", "any") == "all" else np.logical_or
    return combine.reduce(found) if len(found) > 1 else found[0]


def _measurable(use: dict, has_text: pd.Series, has_format: pd.Series) -> pd.Series:
    """Per institution, whether the data can show this use at all: terms need texts,
    formats need post formats."""
    needs = []
    if use.get("terms"):
        needs.append(has_text)
    if use.get("formats"):
        needs.append(has_format)
    if use.get("match", "any") == "all":
        return pd.concat(needs, axis=1).all(axis=1)
    return pd.concat(needs, axis=1).any(axis=1)


def _excluded(f: Features, terms: object) -> np.ndarray:
    """Which posts match the ``exclude`` terms, aligned with ``f.posts``: the posts with
    text are matched once per audit with the political-content check's and the tone
    checks' (``posts_matching``, the same campaign terms), the others (blank texts, which
    an odd term may still match) on their own."""
    posts = f.posts
    with_text = posts_with_text(f)
    matching, _ = posts_matching(f, terms)
    excluded = posts.index.isin(with_text.index[matching])
    rest = ~posts.index.isin(with_text.index)
    if rest.any():
        excluded[rest] = matches_terms(posts["text"][rest], terms)
    return excluded


@check("content_uses_coverage",
       options={"uses": REQUIRED, "exclude": None, "min_posts": 1})
def content_uses_coverage(f: Features, params: dict) -> Measure:
    """Share of the content uses listed in the rubric found in the institution's posts.

    ``params``: ``uses``, a list of {id, label {es, en}, terms, formats, match} (the rubric
    ships the 17 uses of seed 004 with editable term lists); ``exclude``, the terms of
    posts that count toward no use (None: none left out); ``min_posts``, the posts of the
    audit window a use needs to count as present.
    Why ``exclude``: "¡Vota!" also reads as a participation prompt and "#VotaX" as a use of
    hashtags, but a campaign post is not a good use of an institution's networks (002). The
    rubric gives the campaign terms of ``political_share``, matched the same way
    (``find_terms``: whole words, accents and case ignored), so the posts that check
    penalises are exactly the ones this one does not reward.
    A use whose evidence the data cannot carry (terms without any post text, formats without
    any post format) is left out of the denominator, so an export without texts is not read
    as an institution that never announces events. Not evaluated when no use is measurable.
    Matching is vectorised: texts are folded once (``fold_accents``), one Arrow pass of
    all the uses' terms joined finds the posts that match any, and one pass per use runs
    over those.
    """
    uses = params["uses"]
    if not uses:
        raise ValueError("content_uses_coverage needs at least one use in 'uses'")
    min_posts = int(params["min_posts"])
    posts = f.posts
    if posts.empty:
        return empty()
    patterns = [_use_pattern(use) for use in uses]
    texts = fold_accents(posts["text"])
    formats = posts["format"]
    institution = posts["institution"]
    candidates = _term_candidates(texts, [p for p in patterns if p is not None])
    rows = np.flatnonzero(candidates)
    texts = pc.filter(texts, pa.array(candidates))
    # One regular-expression pass per use over the candidate posts; Arrow releases the GIL,
    # so the passes run side by side on the machine's cores.
    with ThreadPoolExecutor(max_workers=min(len(uses), os.cpu_count() or 1)) as pool:
        columns = list(pool.map(lambda pair: _use_hits(pair[0], pair[1], texts, rows, formats),
                                zip(uses, patterns, strict=True)))
    hits = pd.DataFrame(dict(zip([u["id"] for u in uses], columns, strict=True)),
                        index=posts.index)
    if params["exclude"]:
        hits[_excluded(f, params["exclude"])] = False
    counts = hits.groupby(institution).sum()
    has_text = (posts["text"].fillna("").str.strip() != "").groupby(institution).any()
    has_format = posts["format"].notna().groupby(institution).any()
    measurable = pd.DataFrame({u["id"]: _measurable(u, has_text, has_format) for u in uses}) \
        .reindex(counts.index)
    present = (counts >= min_posts) & measurable
    evaluated = measurable.sum(axis=1)
    value = (present.sum(axis=1) / evaluated).where(evaluated > 0).dropna()

    labels = {u["id"]: _use_label(u) for u in uses}
    ids = np.array(present.columns, dtype=object)
    evidence = {}
    for name, is_present, is_measurable, n_posts in zip(
            present.index, present.to_numpy(), measurable.to_numpy(), counts.to_numpy(),
            strict=True):
        if name not in value.index:
            continue
        found = [(use, int(n)) for use, n in zip(ids[is_present], n_posts[is_present],
                                                 strict=True)]
        missing = list(ids[is_measurable & ~is_present])
        unmeasured = list(ids[~is_measurable])
        evidence[name] = _uses_evidence(found, missing, unmeasured, labels)
    details = counts.reset_index().rename(columns={"index": "institution"})
    return Measure(value, pd.Series(evidence, dtype="object"), details=details)


def _use_label(use: dict) -> dict[str, str]:
    """A use's label from the rubric, in each language (its id where one is missing); a
    message renders such a pair in its reader's language."""
    label = use.get("label", {})
    return {"es": label.get("es", use["id"]), "en": label.get("en", use["id"])}


def _uses_evidence(found: list[tuple[str, int]], missing: list[str], unmeasured: list[str],
                   labels: dict) -> Message:
    """'Presentes 2 de 3: eventos (12), hashtags (40); ausentes: transmisiones en vivo', with
    the number of posts that show each use found."""
    shown = commas([msg("evidence.use_found", use=labels[u], posts=n) for u, n in found]) \
        if found else msg("evidence.uses_none")
    said = msg("evidence.uses_present", found=len(found), total=len(found) + len(missing),
               uses=shown)
    if missing:
        said = msg("evidence.uses_missing", evidence=said,
                   uses=commas([labels[u] for u in missing]))
    if unmeasured:
        said = msg("evidence.uses_unmeasured", evidence=said,
                   uses=commas([labels[u] for u in unmeasured]))
    return said
