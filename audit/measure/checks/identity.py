"""Identity: is the institution recognisable as one and the same on every network?

Guideline 001 (step 3): choose the same username on every network and personalise each
channel with an image aligned with the institution's visual identity; step 7: announce the
profiles on the institution's website. A complete profile (bio, link, verified badge) is
what lets a citizen tell the official account from an impostor.

    handle_consistency        handles against the institution's main handle (fuzzy)
    display_name_consistency  display names against the main display name (fuzzy)
    avatar_consistency        profile images against the main image (perceptual hash)
    profile_completeness      bio, website link and verified badge filled in
    listed_on_website         profiles linked from the institution's website

The three consistency checks share one rule. The institution's *main* value is the most
frequent one among its profiles; on a tie, the one of the profile that comes first in the
contract's network order (Facebook, Instagram, X, YouTube...), so the result does not depend
on the order of the rows. Each profile then agrees fully (1), partly (its similarity, when at
least the ``threshold``) or not at all (0), and the value is the mean over profiles. A partial
credit keeps "@ayto_villa" against "@aytovilla" (similarity 0.95) apart from an unrelated
handle without calling either of them identical.

A consistency needs something to compare: with fewer than two profiles carrying the value
(handle, display name, usable avatar) the criterion is not evaluated, rather than scored 1
for a trivial agreement.
"""

from __future__ import annotations

import io
import re

import imagehash
import numpy as np
import pandas as pd
from PIL import Image
from rapidfuzz import fuzz, process

from audit.ingest.contract import NETWORKS, normalize_name
from audit.measure.checks import Measure, check, empty
from audit.measure.checks.formats import commas, profile_name
from audit.measure.features import Features
from audit.messages import Message, msg

__all__ = ["avatar_hashes"]

_NETWORK_RANK = {network: rank for rank, network in enumerate(NETWORKS)}
_HEX_HASH = re.compile(r"^(?:0x)?([0-9a-f]{16})$")
_LIST_LIMIT = 5  # profiles named in one evidence text; the rest are counted


# --- shared helpers ------------------------------------------------------------------------


def _in_network_order(profiles: pd.DataFrame) -> pd.DataFrame:
    """Profiles sorted by the contract's network order (stable: rows keep their order inside
    a network), with that position in ``order`` for tie-breaks."""
    rank = profiles["network"].map(_NETWORK_RANK).fillna(len(_NETWORK_RANK))
    ordered = profiles.assign(_rank=rank.to_numpy()).sort_values("_rank", kind="stable")
    return ordered.drop(columns="_rank").assign(order=np.arange(len(ordered)))


def _main_value(profiles: pd.DataFrame, key: str) -> pd.Series:
    """Per institution, the most frequent ``key``; on a tie, the one seen first in network
    order. ``profiles`` must come from ``_in_network_order``."""
    counts = (profiles.groupby(["institution", key], sort=False)
              .agg(n=("order", "size"), first=("order", "min")).reset_index())
    counts = counts.sort_values(["institution", "n", "first"], ascending=[True, False, True])
    return counts.drop_duplicates("institution").set_index("institution")[key]


def _similarity(values: pd.Series, main: pd.Series, threshold: float) -> np.ndarray:
    """1 for equal values, else the rapidfuzz ratio / 100 when at least ``threshold``, else 0."""
    left, right = values.tolist(), main.tolist()
    ratio = process.cpdist(left, right, scorer=fuzz.ratio) / 100 if left else np.array([])
    equal = values.to_numpy() == main.to_numpy()
    return np.where(equal, 1.0, np.where(ratio >= threshold, ratio, 0.0)).astype("float64")


def _at_least_two(profiles: pd.DataFrame) -> pd.DataFrame:
    return profiles[profiles.groupby("institution")["institution"].transform("size") >= 2]


def _listing(items: list) -> Message:
    """Evidence items, naming at most ``_LIST_LIMIT`` and counting the rest."""
    rest = len(items) - _LIST_LIMIT
    if rest > 0:
        return msg("evidence.listing_more", items=items[:_LIST_LIMIT], rest=rest)
    return msg("evidence.joined", items=items)


def _only_one(profiles: pd.DataFrame, said: str) -> dict:
    """Evidence (message id ``said``) for institutions left unevaluated because they have a
    single value."""
    lonely = profiles.groupby("institution").size()
    lonely = lonely[lonely < 2].index
    return {n: msg(said) for n in lonely}


def _consistency(profiles: pd.DataFrame, key: str, shown: str, threshold: float,
                 quote) -> Measure:
    """The shared consistency rule (module docstring) on column ``key`` (folded values) with
    ``shown`` (the value as written) for the evidence; ``quote`` formats a shown value."""
    ordered = _in_network_order(profiles)
    evidence = _only_one(ordered, "evidence.single_profile")
    ordered = _at_least_two(ordered)
    if ordered.empty:
        return Measure(pd.Series(dtype="float64"), pd.Series(evidence, dtype="object"))
    main_key = _main_value(ordered, key)
    # The main value as written: the spelling of the first profile that has the main key.
    main_rows = ordered[ordered[key].to_numpy() == main_key.reindex(ordered["institution"])
                        .to_numpy()]
    main_shown = main_rows.drop_duplicates("institution").set_index("institution")[shown]
    table = ordered.assign(main=main_key.reindex(ordered["institution"]).to_numpy(),
                           main_shown=main_shown.reindex(ordered["institution"]).to_numpy())
    table["similarity"] = _similarity(table[key], table["main"], threshold)
    value = table.groupby("institution")["similarity"].mean()

    differ = table[table["similarity"] < 1].sort_values(["institution", "similarity"])
    # One pass over the few columns read (itertuples per institution took seconds on 5,000
    # profiles); items keep the sorted order, institutions their order of appearance.
    items: dict[object, list[Message]] = {}
    for name, network, handle, value_shown, main_value, similarity in zip(
            differ["institution"], differ["network"], differ["handle"], differ[shown],
            differ["main_shown"], differ["similarity"], strict=True):
        who = profile_name(network, handle)  # "X @ayto_villa"
        if shown != "handle":  # "X @ayto_villa: «Ayto. de Villa»"
            who = f"{who}: {quote(value_shown)}"
        main = quote(main_value)
        items.setdefault(name, []).append(
            msg("evidence.differs_similar", who=who, main=main, similarity=similarity)
            if similarity > 0 else msg("evidence.differs_unrelated", who=who, main=main))
    evidence.update({name: _listing(listed) for name, listed in items.items()})
    counts = table.groupby("institution").size()
    for name in value.index.difference(differ["institution"].unique()):
        evidence[name] = msg("evidence.all_use", n=counts[name], main=quote(main_shown[name]))
    return Measure(value, pd.Series(evidence, dtype="object"),
                   details=table.drop(columns=["order"]))


# --- handles and display names -------------------------------------------------------------


@check("handle_consistency", options={"threshold": 0.85, "exclude_networks": ["blog"]})
def handle_consistency(f: Features, params: dict) -> Measure:
    """Agreement of each profile's handle with the institution's main handle (the shared
    consistency rule, module docstring). Handles are compared as validation normalised them
    (lower case, no "@", no URL). ``threshold``: the lowest similarity that
    earns partial credit.

    Only chosen usernames are compared: profiles on ``exclude_networks`` (the rubric's
    blog, whose "handle" is a web address) and all-digit handles (page ids, phone numbers) are
    left out. Not evaluated with fewer than two profiles left."""
    threshold = float(params["threshold"])
    excluded = list(params["exclude_networks"])
    profiles = f.profiles.dropna(subset=["handle"])
    profiles = profiles[~profiles["network"].isin(excluded)
                        & ~profiles["handle"].str.fullmatch(r"\d+")]
    if profiles.empty:
        return empty()
    return _consistency(profiles.assign(key=profiles["handle"]), "key", "handle", threshold,
                        quote=lambda h: f"@{h}")


@check("display_name_consistency", options={"threshold": 0.85})
def display_name_consistency(f: Features, params: dict) -> Measure:
    """Agreement of each profile's display name with the institution's main display name,
    compared with case, accents, punctuation and spacing folded ("Ayuntamiento de Villa" and
    "AYUNTAMIENTO DE VILLA." agree). ``threshold`` as in handle_consistency. Not evaluated
    with fewer than two profiles that show a display name."""
    threshold = float(params["threshold"])
    profiles = f.profiles.dropna(subset=["display_name"])
    profiles = profiles[profiles["display_name"].str.strip() != ""]
    if profiles.empty:
        return empty()
    folded = profiles["display_name"].map(normalize_name).str.replace("_", " ")
    return _consistency(profiles.assign(key=folded), "key", "display_name", threshold,
                        quote=lambda n: f"«{n}»")


# --- avatars -------------------------------------------------------------------------------


def avatar_hashes(avatars: pd.Series, images: dict[str, bytes]) -> tuple[pd.Series, pd.Series]:
    """The 64-bit perceptual hash of each avatar, and why it is missing where it is.

    An avatar cell holds a hex pHash (16 hex digits, as ``imagehash`` writes it) or the name
    of an image shipped in the zip (matched on its file name, case ignored, so a path such as
    "logos/Ayto.PNG" finds "ayto.png"). Images are hashed with ``imagehash.phash``, the
    same 8x8 DCT hash, so a hash typed in a sheet and an image in the zip compare directly.
    Returns (hash as unsigned 64-bit integers with NA, reason id: "", "not_found" or
    "unreadable"). Each distinct value is decoded once.
    """
    by_name = {name.lower(): data for name, data in images.items()}
    hashes, reasons = {}, {}
    for raw in avatars.dropna().unique():
        text = str(raw).strip().lower()
        hexa = _HEX_HASH.match(text)
        if hexa:
            hashes[raw] = int(str(imagehash.hex_to_hash(hexa.group(1))), 16)
            continue
        data = by_name.get(text.replace("\\", "/").rsplit("/", 1)[-1])
        if data is None:
            reasons[raw] = "not_found"
            continue
        try:
            with Image.open(io.BytesIO(data)) as image:
                hashes[raw] = int(str(imagehash.phash(image)), 16)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            reasons[raw] = "unreadable"
    # Built from lists: a 64-bit hash through float64 (what Series.map gives) would lose bits.
    hash_series = pd.Series(pd.array([hashes.get(v) for v in avatars], dtype="UInt64"),
                            index=avatars.index)
    reason = pd.Series([reasons.get(v, "") for v in avatars], index=avatars.index, dtype="str")
    return hash_series, reason


def _hamming(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.bitwise_count(np.bitwise_xor(a.astype("uint64"), b.astype("uint64")))


@check("avatar_consistency", options={"max_distance": 10})
def avatar_consistency(f: Features, params: dict) -> Measure:
    """Share of profiles whose image matches the institution's main image.

    Two images match when their perceptual hashes differ in at most ``max_distance`` of 64
    bits (10 in the shipped rubrics: a re-encoded or resized logo stays within a few bits,
    another picture lands around 32). The main image is a perceptual mode: the avatar that
    most of the institution's avatars match (tie: first in network order), so a logo saved
    twice with different compression still counts as one image. Avatars that name no shipped
    image and hold no hash are left out (and named in the evidence). Not evaluated with fewer
    than two usable avatars.
    """
    max_distance = int(params["max_distance"])
    profiles = f.profiles.dropna(subset=["avatar"])
    if profiles.empty:
        return empty()
    hashes, reasons = avatar_hashes(profiles["avatar"], f.images)
    unusable = profiles[reasons.to_numpy() != ""].assign(reason=reasons[reasons != ""])
    known = _in_network_order(profiles[hashes.notna().to_numpy()]
                              .assign(phash=hashes.dropna().to_numpy(dtype="uint64")))
    evidence = _only_one(known, "evidence.single_avatar")
    for name in set(unusable["institution"]) - set(known["institution"]):
        evidence[name] = msg("evidence.no_usable_avatar")
    known = _at_least_two(known)

    # Every pair inside an institution (a handful of profiles each): who matches whom.
    pairs = known[["institution", "order", "phash"]].merge(
        known[["institution", "phash"]], on="institution", suffixes=("", "_other"))
    pairs["match"] = _hamming(pairs["phash"].to_numpy(), pairs["phash_other"].to_numpy()) \
        <= max_distance
    support = pairs.groupby("order")["match"].sum()
    ranked = known.assign(support=support.reindex(known["order"]).to_numpy())
    ranked = ranked.sort_values(["institution", "support", "order"],
                                ascending=[True, False, True])
    main = ranked.drop_duplicates("institution").set_index("institution")
    table = known.assign(main_avatar=main["avatar"].reindex(known["institution"]).to_numpy(),
                         main_hash=main["phash"].reindex(known["institution"]).to_numpy())
    table["distance"] = _hamming(table["phash"].to_numpy(), table["main_hash"].to_numpy())
    table["agrees"] = table["distance"] <= max_distance
    value = table.groupby("institution")["agrees"].mean()

    for name, group in table.groupby("institution", sort=False):
        items = [msg("evidence.avatar_differs", who=profile_name(row.network, row.handle),
                     main=row.main_avatar, distance=row.distance)
                 for row in group[~group["agrees"]].itertuples()]
        evidence[name] = _listing(items or [msg("evidence.all_avatars_match", n=len(group))])
    for name, group in unusable[unusable["institution"].isin(value.index)].groupby(
            "institution", sort=False):
        missing = ", ".join(f"{profile_name(r.network, r.handle)} ({r.avatar})"
                            for r in group.itertuples())
        evidence[name] = msg("evidence.with_unusable_avatars", evidence=evidence[name],
                             missing=missing)
    return Measure(value, pd.Series(evidence, dtype="object"),
                   details=table.drop(columns=["order"]))


# --- completeness and promotion ------------------------------------------------------------

# Profile fields a citizen uses to tell the official account (evidence.field_missing_<f>,
# evidence.field_<f>).
_FIELDS = ("bio", "website", "verified")


@check("profile_completeness")
def profile_completeness(f: Features, params: dict) -> Measure:
    """Mean over profiles of the share of bio, website link and verified badge filled in
    (the badge counts when True).

    Only fields the data provide are counted: a field blank in every profile of the audit
    was most likely not collected (its column is absent), and absent data are not evaluated
    rather than scored zero. A field present for some institutions but blank for a profile
    counts as missing on that profile. Not evaluated when none of the three fields has data.
    """
    profiles = f.profiles
    filled = pd.DataFrame({
        "bio": profiles["bio"].fillna("").str.strip() != "",
        "website": profiles["website"].notna(),
        "verified": profiles["verified"].fillna(False).astype(bool),
    }, index=profiles.index)
    provided = [c for c in _FIELDS if profiles[c].notna().any()]
    if not provided or profiles.empty:
        return empty()
    filled = filled[provided]
    share = filled.mean(axis=1)
    value = share.groupby(profiles["institution"]).mean()

    # One pass over plain arrays (iterrows on 5,000 profiles took seconds); items keep the
    # profiles' order within each institution, institutions their order of appearance.
    lacking = (share < 1).to_numpy()
    missing_msgs = [msg(f"evidence.field_missing_{c}") for c in provided]
    items: dict[object, list[Message]] = {}
    incomplete = profiles[lacking]
    for name, network, handle, has in zip(
            incomplete["institution"], incomplete["network"], incomplete["handle"],
            filled[lacking].to_numpy(dtype=bool).tolist(), strict=True):
        missing = [m for m, present in zip(missing_msgs, has, strict=True) if not present]
        items.setdefault(name, []).append(msg("evidence.profile_lacks",
                                              who=profile_name(network, handle),
                                              missing=commas(missing)))
    evidence = {name: _listing(listed) for name, listed in items.items()}
    every = msg("evidence.all_profiles_have",
                fields=commas([msg(f"evidence.field_{c}") for c in provided]))
    for name in value.index.difference(list(evidence)):
        evidence[name] = every
    return Measure(value, pd.Series(evidence, dtype="object"))


@check("listed_on_website")
def listed_on_website(f: Features, params: dict) -> Measure:
    """Share of the institution's profiles that its website links to, among the profiles for
    which the auditor recorded a yes or no (a blank is unknown, not no). Not evaluated when
    the column is blank for every profile of the institution."""
    profiles = f.profiles.dropna(subset=["listed_on_website"])
    if profiles.empty:
        return empty()
    listed = profiles["listed_on_website"].astype(bool)
    value = listed.groupby(profiles["institution"]).mean()
    evidence = {}
    for name, group in profiles[~listed.to_numpy()].groupby("institution", sort=False):
        names = [profile_name(r.network, r.handle) for r in group.itertuples()]
        evidence[name] = msg("evidence.not_linked", profiles=_listing(names))
    counts = profiles.groupby("institution").size()
    for name in value.index.difference(list(evidence)):
        evidence[name] = msg("evidence.all_linked", n=counts[name])
    return Measure(value, pd.Series(evidence, dtype="object"))
