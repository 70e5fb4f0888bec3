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
each term is a regular expression (RE2 syntax) matched as whole words, with accents and
case ignored: "rendición de cuentas" and "rendicion de cuentas" both match "RENDICIÓN DE
CUENTAS"; write ``presupuest\\w*`` to match any ending. Terms may be a list, or a mapping
from the label shown in the evidence to the expression ("inversión": 'inversion(es)?|...').
Accents are ignored by rewriting the expression (each vowel becomes a class of its accented
forms, ``\\w`` any letter) rather than by folding the texts, which costs seconds on a
million posts; one pass of the terms joined (a few passes for a long list, see
``JOINED_MAX_CHARS``) finds the matching texts, and each term is then tried only on those.
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.ingest.contract import strip_accents
from audit.measure.checks import REQUIRED, Measure, check, empty
from audit.measure.checks.quoting import (
    masked_column,
    n_posts,
    own_handles,
    posts_with_text,
    quotes,
)
from audit.measure.features import Features
from audit.messages import msg

__all__ = ["JOINED_MAX_CHARS", "accent_insensitive", "find_terms", "matches_terms",
           "posts_matching",
           "term_label"]


#: Characters of the accent-insensitive terms searched in one pass: all the terms of a list
#: joined need one pass over the texts instead of one each, but RE2 searches with a
#: state machine of bounded memory, and past it with an engine tens of times slower: the
#: twelve campaign terms of the rubrics (6,900 characters) joined take 13 s on 200,000
#: posts, in two halves 0.3 s (`bench/bench_terms.py`).
JOINED_MAX_CHARS = 4000
#: Letters that may carry an accent (or tilde, or diaeresis) in the texts.
_VARIANTS = {"a": "áàä", "e": "éèë", "i": "íìï", "o": "óòö", "u": "úùü", "n": "ñ"}
#: Word characters, Unicode-aware (RE2's \w is ASCII-only and would stop at "ó").
_WORD = r"\p{L}\p{N}_"


def accent_insensitive(term: str) -> str:
    r"""Rewrite a regular expression so that it ignores accents: 'dias' -> 'd[ií..][aá..]s'.

    Escapes and group syntax are copied as they are, except \w and \W, which become
    Unicode-aware; inside a character class the accented forms of its letters are added at
    its end ("[oa]" -> "[oaóòöáàä]", "[a-z]" keeps its range and gains every accented vowel).
    """
    pattern, out, i = strip_accents(term), [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in "pPx" and i + 2 < len(pattern) and pattern[i + 2] == "{":
                end = pattern.index("}", i) + 1  # \p{L}, \x{2028}
                out.append(pattern[i:end])
                i = end
                continue
            out.append({"w": f"[{_WORD}]", "W": f"[^{_WORD}]"}.get(nxt, ch + nxt))
            i += 2
        elif ch == "[":
            end = _class_end(pattern, i)
            body = pattern[i + 1:end].replace(r"\w", _WORD)
            extra = "".join(v for letter, v in _VARIANTS.items() if _in_class(letter, body))
            out.append(f"[{body}{extra}]")
            i = end + 1
        elif ch == "(" and pattern.startswith("(?", i):
            end = min(j for j in (pattern.find(":", i), pattern.find(")", i),
                                  pattern.find(">", i)) if j >= 0) + 1
            out.append(pattern[i:end])  # (?:  (?i)  (?P<name>
            i = end
        else:
            low = ch.lower()
            out.append(f"[{ch}{_VARIANTS[low]}]" if low in _VARIANTS else ch)
            i += 1
    return "".join(out)


def _class_end(pattern: str, start: int) -> int:
    """Index of the "]" that closes the character class opened at `start`."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1  # a "]" first in a class is a literal
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "]":
            return i
        i += 1
    raise ValueError(f"unclosed character class in {pattern!r}")


def _in_class(letter: str, body: str) -> bool:
    """Whether a character class body (without brackets) holds `letter`, ranges included."""
    chars = body.lstrip("^")
    for k, ch in enumerate(chars):
        if ch.lower() == letter and (k == 0 or chars[k - 1] != "\\"):
            return True
        if ch == "-" and 0 < k < len(chars) - 1 and chars[k - 1] <= letter <= chars[k + 1]:
            return True
    return False


def _whole_words(pattern: str) -> str:
    # RE2 has no look-behind; a non-letter (or the text's edge) on each side does the job of
    # \b, knows that "ó" is a letter, and also works for terms that start with "#".
    return rf"(?:^|[^{_WORD}])(?:{pattern})(?:[^{_WORD}]|$)"


def _terms(terms: object) -> dict[str, str]:
    """Label -> expression, from a list of expressions or a mapping label -> expression."""
    if isinstance(terms, dict):
        items = {str(label): expr for label, expr in terms.items()}
    elif isinstance(terms, list | tuple):
        items = {term_label(expr) if isinstance(expr, str) else "": expr for expr in terms}
    else:
        items = {}
    if not items or not all(isinstance(e, str) and e for e in items.values()):
        raise ValueError("expected a list of terms, or a mapping label -> term "
                         "(regular expressions), in the rubric params")
    return items


def term_label(term: str) -> str:
    """A term as an auditor reads it in evidence: 'presupuest\\w*' -> 'presupuest*'."""
    label = term.replace(r"\w*", "*").replace(r"\w+", "*").replace(r"\b", "")
    return label.replace("(?:", "(")


def find_terms(texts: pd.Series, terms: object) -> tuple[np.ndarray, pd.DataFrame]:
    """Which texts match any term, and which terms each matching text holds.

    Returns a boolean array aligned with `texts` and a boolean table with one row per
    matching text (index: the texts' index) and one column per term label.
    """
    compiled = {label: _compiled(label, expr) for label, expr in _terms(terms).items()}
    arr = pc.fill_null(pa.array(texts, type=pa.large_string(), from_pandas=True), "")
    any_hit = _any_term(arr, list(compiled.values()))
    matched = pc.filter(arr, pa.array(any_hit))
    table = pd.DataFrame(
        {label: pc.match_substring_regex(matched, _whole_words(pattern), ignore_case=True)
         .to_numpy(zero_copy_only=False).astype(bool) for label, pattern in compiled.items()},
        index=texts.index[any_hit], columns=list(compiled))
    return any_hit, table


def matches_terms(texts: pd.Series, terms: object) -> np.ndarray:
    """Which texts match any term: ``find_terms``' first answer, without the pass of each
    term over the matching texts that its table costs (the complaint terms of 200,000
    interactions, or the examples left out of a check, need no more)."""
    patterns = [_compiled(label, expr) for label, expr in _terms(terms).items()]
    return _any_term(pc.fill_null(pa.array(texts, type=pa.large_string(), from_pandas=True),
                                  ""), patterns)


def _any_term(arr: pa.Array, patterns: list[str]) -> np.ndarray:
    """Which texts of ``arr`` match any of the accent-insensitive ``patterns``: one RE2
    pass per group of ``_joined``."""
    any_hit = np.zeros(len(arr), dtype=bool)
    for joined in _joined(patterns):
        any_hit |= pc.match_substring_regex(arr, _whole_words(joined), ignore_case=True) \
            .to_numpy(zero_copy_only=False).astype(bool)
    return any_hit


def _joined(patterns: list[str]) -> list[str]:
    """The patterns joined by "|" into as few expressions as keep each under
    ``JOINED_MAX_CHARS``: a text matches one of them exactly when it matches a pattern."""
    groups: list[list[str]] = []
    size = 0
    for pattern in patterns:
        if not groups or size + len(pattern) > JOINED_MAX_CHARS:
            groups.append([])
            size = 0
        groups[-1].append(pattern)
        size += len(pattern)
    return ["|".join(f"(?:{p})" for p in group) for group in groups]


def posts_matching(f: Features, terms: object) -> tuple[np.ndarray, pd.DataFrame]:
    """``find_terms`` on the posts with text, once per audit and list of terms: the
    political-content check and the examples of the tone checks read the same campaign
    terms, each a regular-expression pass over every post. Callers must not modify the
    arrays returned."""
    memo = f.memo.setdefault("posts_matching", {})
    key = json.dumps(terms, sort_keys=True, ensure_ascii=False, default=repr)
    if key not in memo:
        memo[key] = find_terms(posts_with_text(f)["text"], terms)
    return memo[key]


@cache
def _compiled(label: str, expr: str) -> str:
    """The accent-insensitive form of one term, checked by RE2 so that a typo in a rubric
    is reported with the term that holds it."""
    try:
        pattern = accent_insensitive(expr)
        pc.match_substring_regex(pa.array([""]), _whole_words(pattern))
    except (ValueError, pa.ArrowInvalid) as exc:
        raise ValueError(f"term {label!r} ({expr!r}) is not a valid regular expression: "
                         f"{exc}") from None
    return pattern


def _term_share(f: Features, terms: list[str], what: str, top: int) -> Measure:
    """Share of each institution's posts with text that match any term (message ``what``
    says about what), with evidence: the terms that matched most, how many posts each, and
    one example post each."""
    posts = posts_with_text(f)
    if posts.empty:
        return empty()
    any_hit, table = posts_matching(f, terms)
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
    # The top terms of every institution taken at once and read by column (a frame per
    # institution cost a second for a thousand).
    counted = counted.groupby("institution", sort=False).head(top)
    listed: dict[str, list] = {}
    handles = own_handles(f)
    examples = quotes(counted["example"].tolist(), handles)
    for name, term, n, example in zip(counted["institution"].tolist(), counted["term"].tolist(),
                                      counted["posts"].tolist(), examples, strict=True):
        listed.setdefault(name, []).append(msg("evidence.term_example", term=term, posts=n,
                                               example=example))
    evidence = {}
    for name in value.index:
        evidence[name] = msg("evidence.posts_about", hits=hits[name], posts=n_posts(total[name]),
                             share=value[name], what=msg(what))
        if name in listed:
            evidence[name] = msg("evidence.terms_found", evidence=evidence[name],
                                 terms=listed[name])
    # Details: every matching post with one yes/no column per term, for the auditor to review
    # (its personal data masked, as in every quote).
    shown = posts.loc[table.index, ["institution", "network", "handle", "published_at", "text"]]
    shown = shown.assign(text=masked_column(shown["text"], handles))
    matched = pd.concat([shown, table.add_prefix("term: ")], axis=1)
    return Measure(value, pd.Series(evidence, dtype="object"), details=matched)


@check("accountability_share", options={"terms": REQUIRED, "evidence_terms": 5})
def accountability_share(f: Features, params: dict) -> Measure:
    """Share of posts that render accounts: budgets, spending and investment, contracts,
    results and goals met, accountability sessions, open data (003), from `params.terms`.
    Not evaluated without texts."""
    return _term_share(f, params["terms"], "evidence.accountability",
                       int(params["evidence_terms"]))


@check("political_share", options={"terms": REQUIRED, "evidence_terms": 5})
def political_share(f: Features, params: dict) -> Measure:
    """Share of posts with political or campaign content ("vota", "campaña electoral",
    "nuestro alcalde", "gracias a la gestión de", slogans, party names) from `params.terms`:
    002 asks institutions to keep public-service information apart from politics.
    Not evaluated without texts."""
    return _term_share(f, params["terms"], "evidence.political",
                       int(params["evidence_terms"]))
