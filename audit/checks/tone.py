"""Tone: do the institution's posts read as guideline 001 and 002 ask?

Guideline: warm and close, grammatically and orthographically correct, no clipped words (001);
clear and direct, consistent yet adapted to each channel (002).

Every check here reads the per-post text measures of ``audit.text`` (``f.text.posts``, one
row per post, aligned with ``f.posts``) and sums them per institution with groupby; Python
only loops over institutions to write the evidence. Only posts with text count: a post
without text (a bare photo in an export without captions) says nothing about tone, and an
institution with no text at all is not evaluated, never scored as if it wrote nothing well.

    spelling_error_rate     misspelt words (typos, missing accents) / words
    clipped_words_rate      clipped words ("q", "xq", "tb") per 1,000 words
    readability             mean INFLESZ of the posts with at least min_words words
    warmth_share            posts with a greeting, thanks, second person or invitation
    shouting_share          posts written mostly in capitals
    hashtag_overload_share  posts with more than max_hashtags hashtags
    cross_posting_share     posts whose exact text also appears on another network
"""

from __future__ import annotations

import pandas as pd

from ..contract import NETWORK_LABELS
from ..features import Features
from ..text import flagged_words, inflesz_band
from . import Measure, check, empty
from ._text import number, percent

__all__ = ["posts_with_text", "shorten"]

#: A link, removed before comparing texts across networks (each network shortens or
#: decorates links its own way, so the same message carries different URLs).
_URL = r"(?:https?://|www\.)\S+"
_WARMTH = {"greeting": ("saludo", "greeting"), "thanks": ("agradecimiento", "thanks"),
           "second_person": ("segunda persona", "second person"),
           "invitation": ("invitación", "invitation")}


def posts_with_text(f: Features) -> pd.DataFrame:
    """The posts that carry some text (not only spaces), with their index kept.

    The index is kept so that rows align with ``f.text.posts``; ``f.text`` is not touched
    here, so an audit without texts never loads the dictionary.
    """
    posts = f.posts
    if posts.empty:
        return posts
    has_text = posts["text"].str.strip().str.len().fillna(0).to_numpy() > 0
    return posts[has_text]


def shorten(text: str, width: int = 80) -> str:
    """A text on one line, cut at `width` characters with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


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

    `flagged_words` loops in Python over flagged tokens, so it only runs on the posts that
    have a flag of this kind (`column` > 0); the verdicts come from the audit-wide table
    ``f.text.flagged``, so evidence and counts always agree.
    """
    table = f.text.flagged
    kind = table["reason"].eq("clipped") if clipped else table["reason"].ne("clipped")
    suggestions = table[kind].drop_duplicates("word").set_index("word")["suggestion"]
    posts = f.posts.loc[f.text.posts.index[f.text.posts[column].to_numpy() > 0]]
    if posts.empty or suggestions.empty:
        return pd.DataFrame(columns=["institution", "word", "suggestion", "posts"])
    words = flagged_words(posts["text"])  # distinct words per post
    pairs = (pd.DataFrame({"institution": posts["institution"].to_numpy(),
                           "word": words.to_numpy()})
             .explode("word").dropna(subset=["word"]))
    pairs = pairs[pairs["word"].isin(suggestions.index)]
    ranked = (pairs.groupby(["institution", "word"]).size().rename("posts").reset_index()
              .sort_values(["institution", "posts", "word"], ascending=[True, False, True]))
    ranked = ranked.groupby("institution", sort=False).head(top)
    ranked["suggestion"] = ranked["word"].map(suggestions).to_numpy()
    return ranked


def _word_list(rows: pd.DataFrame, lang: str) -> str:
    unit = "publ." if lang == "es" else "posts"
    return ", ".join(f"«{r.word}» → «{r.suggestion}» ({r.posts} {unit})"
                     for r in rows.itertuples())


def _rate_evidence(value: pd.Series, errors: pd.Series, words: pd.Series,
                   top: pd.DataFrame, what: tuple[str, str]) -> tuple[dict, dict]:
    """'12 errores de ortografía en 1.234 palabras; las más frecuentes: «aier» → «ayer»...'"""
    es, en = {}, {}
    listed = dict(tuple(top.groupby("institution", sort=False)))
    for name in value.index:
        n_err, n_words = int(errors[name]), int(words[name])
        if n_err == 0:
            es[name] = f"Sin {what[0]} en {number(n_words, 'es')} palabras"
            en[name] = f"No {what[1]} in {number(n_words, 'en')} words"
            continue
        es[name] = f"{number(n_err, 'es')} {what[0]} en {number(n_words, 'es')} palabras"
        en[name] = f"{number(n_err, 'en')} {what[1]} in {number(n_words, 'en')} words"
        if name in listed:
            es[name] += "; las más frecuentes: " + _word_list(listed[name], "es")
            en[name] += "; most frequent: " + _word_list(listed[name], "en")
    return es, en


@check("spelling_error_rate")
def spelling_error_rate(f: Features, params: dict) -> Measure:
    """Misspelt words (typos and missing accents, as ``audit.text`` judges them) per word
    written, over all of the institution's posts: summed counts, so that a long post weighs
    by its words. Not evaluated without texts or words."""
    table = _measured(f)
    if table is None:
        return empty()
    sums = table.groupby("institution")[["misspelt", "words"]].sum()
    sums = sums[sums["words"] > 0]
    value = sums["misspelt"] / sums["words"]
    top = _flagged_by_institution(f, "misspelt", clipped=False,
                                  top=int(params.get("evidence_words", 5)))
    es, en = _rate_evidence(value, sums["misspelt"], sums["words"], top,
                            ("errores de ortografía", "spelling errors"))
    return Measure(value, pd.Series(es), pd.Series(en), details=top)


@check("clipped_words_rate")
def clipped_words_rate(f: Features, params: dict) -> Measure:
    """Clipped words and texting abbreviations ("q", "xq", "tb", "xfa") per 1,000 words:
    a rate per thousand because even one in a hundred words is already frequent."""
    table = _measured(f)
    if table is None:
        return empty()
    sums = table.groupby("institution")[["clipped", "words"]].sum()
    sums = sums[sums["words"] > 0]
    value = 1000 * sums["clipped"] / sums["words"]
    top = _flagged_by_institution(f, "clipped", clipped=True,
                                  top=int(params.get("evidence_words", 5)))
    es, en = _rate_evidence(value, sums["clipped"], sums["words"], top,
                            ("palabras recortadas", "clipped words"))
    return Measure(value, pd.Series(es), pd.Series(en), details=top)


# ---------------------------------------------------------------------------------------------
# Readability, warmth, shouting, hashtags
# ---------------------------------------------------------------------------------------------


@check("readability")
def readability(f: Features, params: dict) -> Measure:
    """Mean INFLESZ (Szigriszt-Pazos) of the posts with at least `min_words` words.

    Each post is read on its own, so the score is the mean of the posts' scores, not the
    score of their concatenation; the floor on words keeps out the one-line posts on which
    the formula swings wildly ("¡Feliz lunes!" scores over 100). Not evaluated when no post
    reaches the floor.
    """
    min_words = int(params.get("min_words", 10))
    table = _measured(f)
    if table is None:
        return empty()
    table = table[table["words"] >= min_words]
    grouped = table.groupby("institution")["inflesz"]
    value, counts = grouped.mean(), grouped.size()
    es, en = {}, {}
    for name, score in value.items():
        _, band_es, band_en = inflesz_band(score)
        es[name] = (f"INFLESZ medio {number(score, 'es')} ({band_es}) en "
                    f"{number(counts[name], 'es')} publicaciones de {min_words} palabras o más")
        en[name] = (f"Mean INFLESZ {number(score, 'en')} ({band_en}) over "
                    f"{number(counts[name], 'en')} posts of {min_words} words or more")
    return Measure(value, pd.Series(es), pd.Series(en))


@check("warmth_share")
def warmth_share(f: Features, params: dict) -> Measure:
    """Share of posts with at least one warmth marker: a greeting, thanks, the reader
    addressed in the second person, or an invitation to take part (001: "cálida y cercana")."""
    table = _measured(f)
    if table is None:
        return empty()
    markers = table[list(_WARMTH)].astype(bool)
    table = table.assign(warm=markers.any(axis=1))
    shares = table.groupby("institution")[["warm", *_WARMTH]].mean()
    value = shares["warm"]
    es, en = {}, {}
    for name, row in shares.iterrows():
        es[name] = (f"{percent(row['warm'], 'es')} de las publicaciones con algún rasgo cercano: "
                    + ", ".join(f"{label} {percent(row[key], 'es')}"
                                for key, (label, _) in _WARMTH.items()))
        en[name] = (f"{percent(row['warm'], 'en')} of posts with a warmth marker: "
                    + ", ".join(f"{label} {percent(row[key], 'en')}"
                                for key, (_, label) in _WARMTH.items()))
    return Measure(value, pd.Series(es), pd.Series(en))


def _share_with_example(f: Features, flag: pd.Series, what_es: str,
                        what_en: str) -> Measure:
    """Share of each institution's posts with text where `flag` holds, with one example.

    `flag` is aligned with the posts with text."""
    posts = posts_with_text(f)
    grouped = flag.groupby(posts["institution"])
    value, hits, total = grouped.mean(), grouped.sum(), grouped.size()
    examples = posts.loc[flag[flag].index].groupby("institution")["text"].first()
    es, en = {}, {}
    for name in value.index:
        es[name] = (f"{number(hits[name], 'es')} de {number(total[name], 'es')} publicaciones "
                    f"{what_es}")
        en[name] = (f"{number(hits[name], 'en')} of {number(total[name], 'en')} posts "
                    f"{what_en}")
        if name in examples.index:
            es[name] += f"; p. ej. «{shorten(examples[name])}»"
            en[name] += f"; e.g. «{shorten(examples[name])}»"
    return Measure(value, pd.Series(es), pd.Series(en))


@check("shouting_share")
def shouting_share(f: Features, params: dict) -> Measure:
    """Share of posts written mostly in capitals (``audit.text.SHOUTING_RATIO`` of the
    letters of a post long enough to judge): capitals read as shouting."""
    table = _measured(f)
    if table is None:
        return empty()
    return _share_with_example(f, table["shouting"].astype(bool), "en mayúsculas",
                               "in capitals")


@check("hashtag_overload_share")
def hashtag_overload_share(f: Features, params: dict) -> Measure:
    """Share of posts with more than `max_hashtags` hashtags (default 3): a string of
    hashtags makes a post hard to read, against 002's "estilo claro y directo"."""
    limit = int(params.get("max_hashtags", 3))
    table = _measured(f)
    if table is None:
        return empty()
    return _share_with_example(f, table["hashtags"] > limit,
                               f"con más de {limit} etiquetas", f"with more than {limit} hashtags")


# ---------------------------------------------------------------------------------------------
# Cross-posting
# ---------------------------------------------------------------------------------------------


def _normalised(texts: pd.Series) -> pd.Series:
    """Lower case, links removed, runs of spaces folded: what "the same text" means here."""
    return (texts.str.lower().str.replace(_URL, " ", regex=True)
            .str.replace(r"\s+", " ", regex=True).str.strip())


@check("cross_posting_share")
def cross_posting_share(f: Features, params: dict) -> Measure:
    """Share of the institution's posts whose exact normalised text (case and spaces folded,
    links removed, at least `min_chars` characters, default 40) also appears on another of
    its networks: 002 asks for one voice adapted to each channel, not the same text pasted.

    Not evaluated without texts, nor when the institution has texts on only one network
    (it cannot cross-post; scoring it as perfect would reward having fewer channels).
    """
    min_chars = int(params.get("min_chars", 40))
    posts = posts_with_text(f)
    if posts.empty:
        return empty()
    norm = _normalised(posts["text"])
    long_enough = norm.str.len().fillna(0).to_numpy() >= min_chars
    key = posts["institution"] + "\x1f" + norm
    copies = pd.DataFrame({"key": key, "network": posts["network"]})[long_enough]
    networks_per_text = copies.drop_duplicates()["key"].value_counts()
    repeated = key.map(networks_per_text).fillna(0).to_numpy() >= 2
    flag = pd.Series(repeated & long_enough, index=posts.index)

    networks = posts.groupby("institution")["network"].nunique()
    grouped = flag.groupby(posts["institution"])
    value = grouped.mean().where(networks >= 2)
    hits, total = grouped.sum(), grouped.size()

    # Example: per institution, the repeated text found on most networks (then most posts).
    shared = pd.DataFrame({"institution": posts["institution"], "key": key,
                           "network": posts["network"], "text": posts["text"]})[flag]
    spread = (shared.groupby(["institution", "key"])["network"].agg(["nunique", "size"])
              .sort_values(["nunique", "size"], ascending=False).reset_index()
              .drop_duplicates("institution").set_index("institution"))
    chosen = shared[shared["key"].isin(spread["key"])].groupby("key")
    example_networks, example_text = chosen["network"].unique(), chosen["text"].first()
    es, en = {}, {}
    for name in value.index:
        if networks[name] < 2:
            es[name] = "Publica con texto en una sola red: no aplica"
            en[name] = "Posts with text on a single network: not applicable"
            continue
        es[name] = (f"{number(hits[name], 'es')} de {number(total[name], 'es')} publicaciones "
                    "con el mismo texto en otra red")
        en[name] = (f"{number(hits[name], 'en')} of {number(total[name], 'en')} posts with "
                    "the same text on another network")
        if name in spread.index:
            chosen_key = spread.loc[name, "key"]
            labels = ", ".join(NETWORK_LABELS.get(n, str(n))
                               for n in sorted(example_networks[chosen_key]))
            text = shorten(example_text[chosen_key])
            es[name] += f"; p. ej. «{text}» en {labels}"
            en[name] += f"; e.g. «{text}» on {labels}"
    return Measure(value, pd.Series(es), pd.Series(en))

