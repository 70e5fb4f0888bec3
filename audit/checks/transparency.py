"""Transparency: do the posts account for the institution's work, and stay out of politics?

Guideline: people demand transparency; the networks are a channel to report progress,
achievements and goals met, and to publish spending, investment and budgets (003); an
institution must tell public-service information apart from political content (002).

Both checks count posts that match term lists kept in the rubric's params, so that an
auditor can read, extend and localise them (party names, slogans, a country's procurement
portal) without touching code:

    accountability_share  posts about budgets, spending, contracts, results, accountability
                          sessions, open data
    political_share       posts with campaign or partisan content (penalised by the rubric)

Term matching (also used by the responsiveness checks to spot complaints), see `find_terms`:
each term is a regular expression (RE2 syntax) matched as whole words, with accents, ñ and
case ignored on both sides: "rendición de cuentas" matches "RENDICION DE CUENTAS"; write
``presupuest\\w*`` to match any ending. One pass of all terms joined finds the matching
texts; each term is then tried only on those, so a long list costs little on a million posts.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..features import Features
from . import Measure, check, empty
from ._text import number, percent
from .tone import posts_with_text, shorten

__all__ = ["find_terms", "fold_accents", "term_label"]


def fold_accents(texts: pd.Series) -> pa.Array:
    """Texts without accents, diaeresis or tilde ("vergüenza" -> "verguenza"); NA -> ""."""
    arr = pa.array(texts, type=pa.large_string(), from_pandas=True)
    arr = pc.fill_null(arr, "")
    return pc.replace_substring_regex(pc.utf8_normalize(arr, "NFD"), r"\p{Mn}", "")


def _fold_term(term: str) -> str:
    decomposed = unicodedata.normalize("NFD", term)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _whole_words(pattern: str) -> str:
    # RE2 has no look-behind; a non-word character (or the text's edge) on each side does
    # the job of \b and, unlike \b, also works for terms that start with "#".
    return rf"(?:^|\W)(?:{pattern})(?:\W|$)"


def term_label(term: str) -> str:
    """A term as an auditor reads it in evidence: 'presupuest\\w*' -> 'presupuest*'."""
    label = term.replace(r"\w*", "*").replace(r"\w+", "*").replace(r"\b", "")
    return label.replace("(?:", "(")


def find_terms(texts: pd.Series, terms: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Which texts match any term, and which terms each matching text holds.

    Returns a boolean array aligned with `texts` and a boolean table with one row per
    matching text (index: the texts' index) and one column per term.
    """
    if not isinstance(terms, list | tuple) or not all(isinstance(t, str) and t for t in terms):
        raise ValueError("expected a list of terms (regular expressions) in the rubric params")
    folded = fold_accents(texts)
    patterns = [_fold_term(t) for t in terms]
    try:
        joined = _whole_words("|".join(f"(?:{p})" for p in patterns))
        hit = pc.match_substring_regex(folded, joined, ignore_case=True)
    except pa.ArrowInvalid:
        _raise_bad_term(folded[:0], terms, patterns)
    any_hit = hit.to_numpy(zero_copy_only=False).astype(bool)
    matched = pc.filter(folded, pa.array(any_hit))
    table = pd.DataFrame(
        {term: pc.match_substring_regex(matched, _whole_words(p), ignore_case=True)
         .to_numpy(zero_copy_only=False).astype(bool) for term, p in zip(terms, patterns,
                                                                        strict=True)},
        index=texts.index[any_hit], columns=list(dict.fromkeys(terms)))
    return any_hit, table


def _raise_bad_term(sample: pa.Array, terms: list[str], patterns: list[str]) -> None:
    for term, pattern in zip(terms, patterns, strict=True):
        try:
            pc.match_substring_regex(sample, _whole_words(pattern))
        except pa.ArrowInvalid as exc:
            raise ValueError(f"term {term!r} is not a valid regular expression: {exc}") from None
    raise ValueError("the terms do not form a valid regular expression")


def _term_share(f: Features, terms: list[str], what: tuple[str, str], top: int) -> Measure:
    """Share of each institution's posts with text that match any term, with evidence: the
    terms that matched most, how many posts each, and one example post each."""
    posts = posts_with_text(f)
    if posts.empty:
        return empty()
    any_hit, table = find_terms(posts["text"], terms)
    institution = posts["institution"]
    grouped = pd.Series(any_hit, index=posts.index).groupby(institution)
    value, hits, total = grouped.mean(), grouped.sum(), grouped.size()

    rows, cols = np.nonzero(table.to_numpy())
    long = pd.DataFrame({"institution": institution.loc[table.index].to_numpy()[rows],
                         "term": table.columns.to_numpy()[cols],
                         "text": posts.loc[table.index, "text"].to_numpy()[rows]})
    counted = (long.groupby(["institution", "term"], sort=False)
               .agg(posts=("text", "size"), example=("text", "first")).reset_index()
               .sort_values(["institution", "posts"], ascending=[True, False], kind="stable"))
    listed = dict(tuple(counted.groupby("institution", sort=False)))
    es, en = {}, {}
    for name in value.index:
        es[name] = (f"{number(hits[name], 'es')} de {number(total[name], 'es')} publicaciones "
                    f"({percent(value[name], 'es')}) {what[0]}")
        en[name] = (f"{number(hits[name], 'en')} of {number(total[name], 'en')} posts "
                    f"({percent(value[name], 'en')}) {what[1]}")
        if name in listed:
            found = listed[name].head(top)
            es[name] += "; términos: " + "; ".join(
                f"{term_label(r.term)} {r.posts} (p. ej. «{shorten(r.example)}»)"
                for r in found.itertuples())
            en[name] += "; terms: " + "; ".join(
                f"{term_label(r.term)} {r.posts} (e.g. «{shorten(r.example)}»)"
                for r in found.itertuples())
    # Details: every matching post with one yes/no column per term, for the auditor to review.
    matched = posts.loc[table.index, ["institution", "network", "handle", "published_at",
                                      "text"]].join(table.rename(columns=term_label))
    return Measure(value, pd.Series(es), pd.Series(en), details=matched)


@check("accountability_share")
def accountability_share(f: Features, params: dict) -> Measure:
    """Share of posts that render accounts: budgets, spending and investment, contracts,
    results and goals met, accountability sessions, open data (003), from `params.terms`.
    Not evaluated without texts."""
    return _term_share(f, params.get("terms"), ("de rendición de cuentas",
                                                "about accountability"),
                       int(params.get("evidence_terms", 5)))


@check("political_share")
def political_share(f: Features, params: dict) -> Measure:
    """Share of posts with political or campaign content ("vota", "campaña electoral",
    "nuestro alcalde", "gracias a la gestión de", slogans, party names) from `params.terms`:
    002 asks institutions to keep public-service information apart from politics.
    Not evaluated without texts."""
    return _term_share(f, params.get("terms"), ("con contenido político o de campaña",
                                                "with political or campaign content"),
                       int(params.get("evidence_terms", 5)))
