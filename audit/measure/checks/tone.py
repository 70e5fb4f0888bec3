"""Tone: do the institution's posts read as guideline 001 and 002 ask?

Guideline: warm and close, grammatically and orthographically correct, no clipped words (001);
clear and direct, consistent yet adapted to each channel (002).

Every check here reads the per-post text measures of ``audit.measure.text`` (``f.text.posts``, one
row per post, aligned with ``f.posts``) and sums them per institution with groupby; Python
only loops over institutions to write the evidence. Only posts with text count: a post
without text (a bare photo in an export without captions) says nothing about tone, and an
institution with no text at all is not evaluated, never scored as if it wrote nothing well.
The measures that read Spanish words (spelling, clipped words, readability, warmth) only
read the posts ``audit.measure.text`` finds to be in Spanish, not those in Galician, Catalan...

    spelling_error_rate     misspelt words (typos, missing accents) / words, Spanish posts
    clipped_words_rate      clipped words ("q", "xq", "tb") per 1,000 words, Spanish posts
    readability             mean INFLESZ of the Spanish posts with at least min_words words
    warmth_share            Spanish posts with a greeting, thanks, second person or invitation
    shouting_share          posts written mostly in capitals
    hashtag_overload_share  posts with more than max_hashtags hashtags
    cross_posting_share     posts whose exact text also appears on another network
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.ingest.contract import NETWORK_LABELS
from audit.measure.checks import Measure, check, empty
from audit.measure.checks.formats import commas
from audit.measure.checks.quoting import n_posts, own_handles, posts_with_text, quote, quotes
from audit.measure.checks.transparency import matches_terms, posts_matching
from audit.measure.features import Features
from audit.measure.text import inflesz_band
from audit.measure.text.shouting import SHOUTING_RATIO, shouts
from audit.messages import Message, msg

__all__ = ["n_posts", "posts_with_text", "quote"]

#: A link, removed before comparing texts across networks (each network shortens or
#: decorates links its own way, so the same message carries different URLs).
_URL = r"(?:https?://|www\.)[^ \t\r\n]+"
_SPACES = r"[ \t\r\n\f\v\x{a0}]{2,}|[\t\r\n\f\v\x{a0}]"
# Warmth markers (columns of the text measures); evidence.warmth_<marker> names each.
_WARMTH = ("greeting", "thanks", "second_person", "invitation")


def _measured(f: Features) -> pd.DataFrame | None:
    """Text measures of the posts with text, with their institution; None without texts."""
    posts = posts_with_text(f)
    if posts.empty:
        return None
    table = f.text.posts.loc[posts.index].copy()
    table["institution"] = posts["institution"].to_numpy()
    return table


# ---------------------------------------------------------------------------------------------
# Spelling and clipped words
# ---------------------------------------------------------------------------------------------


def _flagged_by_institution(f: Features, column: str, clipped: bool, top: int) -> pd.DataFrame:
    """The most frequent flagged words of each institution: institution, word, suggestion,
    posts (how many of its posts contain the word).

    The words come from the text analysis already done (``f.text.post_words``, what
    `flagged_words` finds), for the posts that have a flag of this kind (`column` > 0); the
    verdicts come from the audit-wide table ``f.text.flagged``, so evidence and counts
    always agree.
    """
    table = f.text.flagged
    kind = table["reason"].eq("clipped") if clipped else table["reason"].ne("clipped")
    suggestions = table[kind].drop_duplicates("word").set_index("word")["suggestion"]
    selected = f.text.posts[column].to_numpy() > 0
    if not selected.any() or suggestions.empty:
        return pd.DataFrame(columns=["institution", "word", "suggestion", "posts"])
    found = f.text.post_words
    post = found["post"].to_numpy()
    keep = selected[post]
    pairs = pd.DataFrame({"institution": f.posts["institution"].to_numpy()[post[keep]],
                          "word": found["word"].to_numpy()[keep]})
    pairs = pairs[pairs["word"].isin(suggestions.index)]
    ranked = (pairs.groupby(["institution", "word"]).size().rename("posts").reset_index()
              .sort_values(["institution", "posts", "word"], ascending=[True, False, True]))
    ranked = ranked.groupby("institution", sort=False).head(top)
    ranked["suggestion"] = ranked["word"].map(suggestions).to_numpy()
    return ranked


def _word_list(rows: pd.DataFrame) -> Message:
    return commas([msg("evidence.word_suggestion", word=word, suggestion=suggestion, posts=n)
                   for word, suggestion, n in zip(rows["word"].tolist(),
                                                  rows["suggestion"].tolist(),
                                                  rows["posts"].tolist(), strict=True)])


def _error_rate(f: Features, column: str, per: float, params: dict, what: str) -> Measure:
    """`column` (misspelt or clipped words) per `per` words of the institution's posts in
    Spanish, from summed counts, so that a long post weighs by its words.

    Only posts in Spanish count (``audit.measure.text`` sets aside Galician, Catalan, Basque...
    posts, whose words a Spanish dictionary would flag): an institution that posts only in
    another language is not evaluated, and says so.
    """
    table = _measured(f)
    if table is None:
        return empty()
    texts = table.groupby("institution").size()
    table = table[table["spanish"].to_numpy(dtype=bool)]
    sums = table.groupby("institution")[[column, "words"]].sum()
    sums = sums[sums["words"] > 0]
    value = per * sums[column] / sums["words"]
    top = _flagged_by_institution(f, column, clipped=column == "clipped",
                                  top=int(params["evidence_words"]))
    listed = dict(tuple(top.groupby("institution", sort=False)))
    evidence = {}
    for name in value.index:
        errors, words = int(sums.at[name, column]), int(sums.at[name, "words"])
        if errors == 0:
            evidence[name] = msg(f"evidence.no_{what}", words=words)
            continue
        evidence[name] = msg(f"evidence.{what}", errors=errors, words=words)
        if name in listed:
            evidence[name] = msg("evidence.most_frequent_words", evidence=evidence[name],
                                 words=_word_list(listed[name]))
    for name in texts.index.difference(value.index):
        evidence[name] = msg("evidence.no_spanish_post")
    return Measure(value, pd.Series(evidence, dtype="object"), details=top)


@check("spelling_error_rate", options={"evidence_words": 5})
def spelling_error_rate(f: Features, params: dict) -> Measure:
    """Misspelt words (typos and missing accents, as ``audit.measure.text`` judges them) per word
    of the posts in Spanish. Not evaluated without texts in Spanish."""
    return _error_rate(f, "misspelt", 1, params, "spelling_errors")


@check("clipped_words_rate", options={"evidence_words": 5})
def clipped_words_rate(f: Features, params: dict) -> Measure:
    """Clipped words and texting abbreviations ("q", "xq", "tb", "xfa") per 1,000 words of
    the posts in Spanish: per thousand, since even one in a hundred words is frequent."""
    return _error_rate(f, "clipped", 1000, params, "clipped_words")


# ---------------------------------------------------------------------------------------------
# Readability, warmth, shouting, hashtags
# ---------------------------------------------------------------------------------------------


@check("readability", options={"min_words": 10})
def readability(f: Features, params: dict) -> Measure:
    """Mean INFLESZ (Szigriszt-Pazos) of the posts in Spanish with at least `min_words` words.

    Each post is read on its own, so the score is the mean of the posts' scores, not the
    score of their concatenation; the floor on words keeps out the one-line posts on which
    the formula swings wildly ("¡Feliz lunes!" scores over 100). Not evaluated when no post
    reaches the floor.
    """
    min_words = int(params["min_words"])
    table = _measured(f)
    if table is None:
        return empty()
    table = table[(table["words"] >= min_words) & table["inflesz"].notna()]
    grouped = table.groupby("institution")["inflesz"]
    value, counts = grouped.mean(), grouped.size()
    evidence = {}
    for name, score in value.items():
        _, band_es, band_en = inflesz_band(score)
        evidence[name] = msg("evidence.readability", score=score,
                             band={"es": band_es, "en": band_en},
                             posts=n_posts(counts[name]), min_words=min_words)
    return Measure(value, pd.Series(evidence, dtype="object"))


@check("warmth_share")
def warmth_share(f: Features, params: dict) -> Measure:
    """Share of posts with at least one warmth marker: a greeting, thanks, the reader
    addressed in the second person, or an invitation to take part (001: "cálida y cercana").
    Over the posts in Spanish, since the markers are Spanish words."""
    table = _measured(f)
    if table is None:
        return empty()
    table = table[table["spanish"].to_numpy(dtype=bool)]
    markers = table[list(_WARMTH)].astype(bool)
    table = table.assign(warm=markers.any(axis=1))
    shares = table.groupby("institution")[["warm", *_WARMTH]].mean()
    value = shares["warm"]
    evidence = {name: msg("evidence.warmth", share=row["warm"], markers=commas(
        [msg(f"evidence.warmth_{key}", share=row[key]) for key in _WARMTH]))
        for name, row in shares.iterrows()}
    return Measure(value, pd.Series(evidence, dtype="object"))


def _share_with_example(f: Features, flag: pd.Series, what: Message, strength: pd.Series,
                        exclude: object) -> Measure:
    """Share of each institution's posts with text where `flag` holds (``what`` says which),
    with one example: the flagged post that shows the problem most clearly.

    `flag` and `strength` (how strongly each post shows it: hashtags, share of capitals) are
    aligned with the posts with text. The example is the flagged post of greatest strength,
    the earliest listed on a tie, so the evidence illustrates the problem it names. Posts
    that match `exclude` (the campaign terms the political-content criterion reports) are
    never the example, though they count in the share: quoting a campaign post under
    "hashtag overload" would point the reader at the wrong problem.
    """
    posts = posts_with_text(f)
    grouped = flag.groupby(posts["institution"])
    value, hits, total = grouped.mean(), grouped.sum(), grouped.size()
    candidates = flag.to_numpy(dtype=bool)
    if exclude:
        excluded, _ = posts_matching(f, exclude)
        candidates = candidates & ~excluded
    shown = pd.DataFrame({"institution": posts["institution"].to_numpy()[candidates],
                          "strength": strength.to_numpy(dtype="float64")[candidates],
                          "order": np.flatnonzero(candidates),
                          "text": posts["text"].to_numpy()[candidates]})
    examples = (shown.sort_values(["strength", "order"], ascending=[False, True])
                .drop_duplicates("institution").set_index("institution")["text"])
    evidence = {}
    quoted = dict(zip(examples.index, quotes(examples.tolist(), own_handles(f)), strict=True))
    for name in value.index:
        evidence[name] = msg("evidence.hits_of_posts", hits=hits[name],
                             posts=n_posts(total[name]), what=what)
        if name in quoted:
            evidence[name] = msg("evidence.for_example", evidence=evidence[name],
                                 example=quoted[name])
    return Measure(value, pd.Series(evidence, dtype="object"))


@check("shouting_share", options={"ratio": SHOUTING_RATIO, "exclude_examples": None})
def shouting_share(f: Features, params: dict) -> Measure:
    """Share of posts written mostly in capitals (more than ``ratio`` of the letters of a
    post long enough to judge): capitals read as shouting. The example is the post with
    the highest share of capitals that does not match ``exclude_examples``."""
    table = _measured(f)
    if table is None:
        return empty()
    caps = table["caps_ratio"]
    shouting = shouts(caps.to_numpy(dtype="float64"), float(params["ratio"]))
    return _share_with_example(f, pd.Series(shouting, index=table.index),
                               msg("evidence.in_capitals"), caps.fillna(0.0),
                               params["exclude_examples"])


@check("hashtag_overload_share", options={"max_hashtags": 3, "exclude_examples": None})
def hashtag_overload_share(f: Features, params: dict) -> Measure:
    """Share of posts with more than `max_hashtags` hashtags: a string of
    hashtags makes a post hard to read, against 002's "estilo claro y directo". The
    example is the post with the most hashtags that does not match ``exclude_examples``."""
    limit = int(params["max_hashtags"])
    table = _measured(f)
    if table is None:
        return empty()
    return _share_with_example(f, table["hashtags"] > limit,
                               msg("evidence.too_many_hashtags", limit=limit),
                               table["hashtags"], params["exclude_examples"])


# ---------------------------------------------------------------------------------------------
# Cross-posting
# ---------------------------------------------------------------------------------------------


def _normalised(texts: pd.Series) -> pa.Array:
    """Lower case, links removed, runs of spaces folded: what "the same text" means here.

    Done with pyarrow's RE2 kernels (pandas would fall back to Python's re, row by row); the
    space pattern only touches runs and odd spaces, since replacing every single space by
    itself costs five times more on a million posts.
    """
    arr = pc.fill_null(pa.array(texts, type=pa.large_string(), from_pandas=True), "")
    arr = pc.replace_substring_regex(pc.utf8_lower(arr), _URL, " ")
    arr = pc.replace_substring_regex(arr, _SPACES, " ")
    return pc.utf8_trim_whitespace(arr)


def _codes(values) -> np.ndarray:
    """Integer codes of equal values (dictionary encoding).

    Columns concatenated from several files are chunked Arrow arrays: each chunk would get
    its own dictionary (and a chunked result has no ``indices``), so the chunks are joined
    first and equal values get one code whichever file they came from."""
    array = pa.array(values, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    encoded = pc.dictionary_encode(array)
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)


@check("cross_posting_share", options={"min_chars": 40, "exclude_examples": None})
def cross_posting_share(f: Features, params: dict) -> Measure:
    """Share of the institution's posts whose exact normalised text (case and spaces folded,
    links removed, at least `min_chars` characters) also appears on another of
    its networks: 002 asks for one voice adapted to each channel, not the same text pasted.

    Not evaluated without texts, nor when the institution has texts on only one network
    (it cannot cross-post; scoring it as perfect would reward having fewer channels).
    The example is the repeated text found on most networks, then in most posts, among
    those that do not match ``exclude_examples`` (see `_share_with_example`).
    """
    min_chars = int(params["min_chars"])
    posts = posts_with_text(f)
    if posts.empty:
        return empty()
    norm = _normalised(posts["text"])
    long_enough = pc.utf8_length(norm).to_numpy(zero_copy_only=False) >= min_chars
    # One code per (institution, text), then distinct (text, network) pairs among the long
    # texts: how many networks carry each text.
    institution, network = _codes(posts["institution"]), _codes(posts["network"])
    text_key = pd.factorize(_codes(norm) * (institution.max() + 1) + institution)[0]
    pairs = pd.unique(text_key[long_enough] * (network.max() + 1) + network[long_enough])
    networks_per_text = np.bincount(pairs // (network.max() + 1),
                                    minlength=text_key.max() + 1)
    flag = pd.Series(long_enough & (networks_per_text[text_key] >= 2), index=posts.index)

    networks = posts.groupby("institution")["network"].nunique()
    grouped = flag.groupby(posts["institution"])
    value = grouped.mean().where(networks >= 2)
    hits, total = grouped.sum(), grouped.size()

    # Example: per institution, the repeated text found on most networks (then most posts).
    posts_per_text = np.bincount(text_key[flag.to_numpy()], minlength=text_key.max() + 1)
    shared = pd.DataFrame({"institution": posts["institution"], "key": text_key,
                           "network": posts["network"], "text": posts["text"]})[flag]
    shared = shared.assign(n=networks_per_text[shared["key"]], size=posts_per_text[shared["key"]])
    if params["exclude_examples"]:
        excluded = matches_terms(shared["text"], params["exclude_examples"])
        shared = shared[~shared["key"].isin(shared["key"][excluded])]
    best = (shared.drop_duplicates("key").sort_values(["n", "size"], ascending=False,
                                                      kind="stable")
            .drop_duplicates("institution").set_index("institution"))
    chosen = shared[shared["key"].isin(best["key"])].groupby("key")
    example_networks, example_text = chosen["network"].unique(), chosen["text"].first()
    evidence = {}
    quoted = dict(zip(example_text.index, quotes(example_text.tolist(), own_handles(f)),
                      strict=True))
    for name in value.index:
        if networks[name] < 2:
            evidence[name] = msg("evidence.single_network")
            continue
        evidence[name] = msg("evidence.hits_of_posts", hits=hits[name],
                             posts=n_posts(total[name]), what=msg("evidence.same_text"))
        if name in best.index:
            chosen_key = best.loc[name, "key"]
            labels = ", ".join(NETWORK_LABELS.get(n, str(n))
                               for n in sorted(example_networks[chosen_key]))
            evidence[name] = msg("evidence.for_example_on", evidence=evidence[name],
                                 example=quoted[chosen_key],
                                 networks=labels)
    return Measure(value, pd.Series(evidence, dtype="object"))

