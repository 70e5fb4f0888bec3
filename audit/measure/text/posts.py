"""Per-post text measures and the table of flagged words: what the tone checks read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from audit.measure.text.language import is_spanish
from audit.measure.text.readability import fernandez_huerta, szigriszt_pazos
from audit.measure.text.shouting import caps_ratio
from audit.measure.text.tokens import (
    T_CLIP,
    T_FOREIGN,
    T_LETTERS,
    T_MISS,
    T_SYLL,
    T_TAGS,
    T_UPPER,
    T_WORDS,
    Analysis,
    analyse,
    count_sentences,
    homophones,
    numeric_context,
    post_markers,
)
from audit.measure.text.warmth import M_GREETING, M_INVITATION, M_SECOND, M_THANKS

#: Columns of TextFeatures.posts, in order.
POST_COLUMNS = (
    "words", "sentences", "syllables", "misspelt", "clipped", "hashtags", "caps_ratio",
    "greeting", "thanks", "second_person", "invitation", "fernandez_huerta",
    "inflesz", "spanish",
)


@dataclass(frozen=True)
class TextFeatures:
    """Per-post text measures and the vocabulary-level evidence.

    posts: index aligned with the input; columns POST_COLUMNS. Counts are int64 (0 for NA or
    empty texts); caps_ratio is NaN below SHOUTING_MIN_LETTERS letters. `spanish` is False
    for posts without words or written in another language (OTHER_LANGUAGE_WORDS): their
    misspelt and clipped are 0 and their readability NaN, so rates of errors divide by the
    words of Spanish posts.
    flagged: one row per distinct flagged word (lower case): word, reason ("misspelt",
    "missing_accent", "clipped", or "homophone", where the word is the phrase that shows
    it: "a sido"), suggestion, count (occurrences), most frequent first. Homophones count
    as misspelt words.
    post_words: one row per post and distinct flagged word in it: post (position in the
    input), word; what ``flagged_words`` finds, from the analysis already done, so that the
    evidence of a whole audit does not tokenise every text again.
    """

    posts: pd.DataFrame
    flagged: pd.DataFrame
    post_words: pd.DataFrame


def text_features(texts: pd.Series) -> TextFeatures:
    """Per-post counts and flags for the tone checks, and the table of flagged words.

    Python judges each distinct token once; the rest is pyarrow and numpy over all tokens:
    about 6 s for a million tweets on two cores (bench/validate_spelling.py --scale).
    """
    an = analyse(texts)
    sums = an.sums
    words, syllables = sums[T_WORDS], sums[T_SYLL]
    spanish = is_spanish(words, sums[T_FOREIGN], sums[T_MISS])
    near_number = numeric_context(an)
    found_at, found = homophones(an)
    confused = np.bincount(an.post_of(found_at), weights=[len(f) for f in found],
                           minlength=an.n_posts).astype(np.int64)
    clipped = sums[T_CLIP] - np.bincount(an.post_of(near_number), minlength=an.n_posts)
    sentences = count_sentences(an)
    markers = post_markers(an)
    caps = caps_ratio(sums[T_LETTERS], sums[T_UPPER])
    readable = np.where(spanish, 1.0, np.nan)
    posts = pd.DataFrame({
        "words": words,
        "sentences": sentences,
        "syllables": syllables,
        "misspelt": np.where(spanish, sums[T_MISS] + confused, 0),
        "clipped": np.where(spanish, clipped, 0),
        "hashtags": sums[T_TAGS],
        "caps_ratio": caps,
        "greeting": (markers & M_GREETING) > 0,
        "thanks": (markers & M_THANKS) > 0,
        "second_person": (markers & M_SECOND) > 0,
        "invitation": (markers & M_INVITATION) > 0,
        "fernandez_huerta": fernandez_huerta(words, sentences, syllables) * readable,
        "inflesz": szigriszt_pazos(words, sentences, syllables) * readable,
        "spanish": spanish,
    }, index=texts.index, columns=list(POST_COLUMNS))
    skipped = np.union1d(near_number, _flag_positions(an, ~spanish))
    in_spanish = spanish[an.post_of(found_at)] if len(found_at) else found_at.astype(bool)
    confusions = Counter(flag for keep, flags in zip(in_spanish, found, strict=True) if keep
                         for flag in flags)
    return TextFeatures(posts, _flagged_table(an, skipped, confusions),
                        _post_words(an, spanish, near_number, found_at, found))


def _post_words(an: Analysis, spanish: np.ndarray, near_number: np.ndarray,
                found_at: np.ndarray, found: list) -> pd.DataFrame:
    """The distinct flagged words of each Spanish post (as ``flagged_words``), by arrays:
    each distinct token's words once, gathered for every flagged position."""
    at = _flag_positions(an, spanish)
    at = at[~np.isin(at, near_number)]
    names: dict[str, int] = {}
    starts = np.zeros(len(an.raws) + 1, dtype=np.int64)
    flat: list[int] = []
    for code, flags in enumerate(an.flagged):
        flat.extend(names.setdefault(word, len(names)) for word, _r, _s in flags)
        starts[code + 1] = len(flat)
    codes = an.codes[at]
    lengths = starts[codes + 1] - starts[codes]
    ends = np.cumsum(lengths)
    gather = np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - lengths, lengths) \
        + np.repeat(starts[codes], lengths)
    word_ids = np.array(flat, dtype=np.int64)[gather]
    posts = np.repeat(an.post_of(at), lengths)
    in_spanish = spanish[an.post_of(found_at)] if len(found_at) else found_at.astype(bool)
    extra = [(post, names.setdefault(word, len(names)))
             for post, keep, flags in zip(an.post_of(found_at).tolist(), in_spanish, found,
                                          strict=True) if keep
             for word, _r, _s in flags]
    if extra:
        posts = np.concatenate([posts, np.array([p for p, _ in extra], dtype=np.int64)])
        word_ids = np.concatenate([word_ids, np.array([w for _, w in extra], dtype=np.int64)])
    pairs = np.unique(posts * max(len(names), 1) + word_ids)
    words = np.array(list(names), dtype=object)
    return pd.DataFrame({"post": pairs // max(len(names), 1),
                         "word": pd.array(words[pairs % max(len(names), 1)], dtype="str")})


def _flag_positions(an: Analysis, in_posts: np.ndarray) -> np.ndarray:
    """Positions of tokens holding flagged words, in the posts where `in_posts` is True."""
    flagged = an.rare[(an.at(T_MISS, an.rare) + an.at(T_CLIP, an.rare)) > 0]
    return flagged[in_posts[an.post_of(flagged)]] if len(in_posts) else flagged


def _flagged_table(an: Analysis, skipped: np.ndarray,
                   confusions: Counter[tuple[str, str, str]]) -> pd.DataFrame:
    """Flagged words over all tokens but the `skipped` positions (a clipped x next to a
    number, posts in another language), plus the homophones found in context."""
    occurrences = np.bincount(an.codes, minlength=len(an.raws))
    if len(skipped):
        occurrences = occurrences - np.bincount(an.codes[skipped], minlength=len(an.raws))
    counts: Counter[tuple[str, str, str]] = Counter(confusions)
    for code, flags in enumerate(an.flagged):
        if flags and occurrences[code]:
            for key in flags:
                counts[key] += int(occurrences[code])
    rows = sorted(((-c, w, r, s) for (w, r, s), c in counts.items() if c > 0))
    return pd.DataFrame({
        "word": pd.array([row[1] for row in rows], dtype="str"),
        "reason": pd.array([row[2] for row in rows], dtype="str"),
        "suggestion": pd.array([row[3] for row in rows], dtype="str"),
        "count": np.array([-row[0] for row in rows], dtype=np.int64),
    })


def flagged_words(texts: pd.Series) -> pd.Series:
    """The flagged words of each post (lower case, first occurrence order, no repeats).

    For the evidence shown next to a score: it loops over the flagged tokens in Python, so
    call it on the few posts displayed, not on a whole audit. Posts that are not Spanish
    have none, as in text_features.
    """
    an = analyse(texts)
    result: list[list[str]] = [[] for _ in range(an.n_posts)]
    spanish = is_spanish(an.sums[T_WORDS], an.sums[T_FOREIGN], an.sums[T_MISS])
    skip = set(numeric_context(an).tolist())
    at = _flag_positions(an, spanish)
    flags = {pos: an.flagged[an.codes[pos]] for pos in at.tolist() if pos not in skip}
    found_at, found = homophones(an)
    for pos, confused in zip(found_at.tolist(), found, strict=True):
        flags[pos] = flags.get(pos, ()) + confused
    positions = np.array(sorted(flags), dtype=np.int64)
    for pos, post in zip(positions.tolist(), an.post_of(positions).tolist(), strict=True):
        if not spanish[post]:
            continue
        for word, _reason, _suggestion in flags[pos]:
            if word not in result[post]:
                result[post].append(word)
    return pd.Series(result, index=texts.index, dtype=object)
