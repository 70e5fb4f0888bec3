"""The lexicon's indexes, built in C and read on demand, hold exactly what a dictionary of
every folded form built word by word holds, for every word of wordfreq's Spanish list."""

from __future__ import annotations

import math

import pytest

from audit.measure.text.lexicon import KNOWN_ZIPF, SUGGEST_MIN_ZIPF, Lexicon, fold


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon()


@pytest.fixture(scope="module")
def by_fold(lex) -> dict[str, list[tuple[float, str]]]:
    """Every folded form's known words, most frequent first, built one word at a time."""
    found: dict[str, list[tuple[float, str]]] = {}
    for word, f in lex.freq.items():
        if f >= 10 ** (KNOWN_ZIPF - 9) and word.isalpha():
            found.setdefault(fold(word), []).append((math.log10(f) + 9, word))
    for forms in found.values():
        forms.sort(reverse=True)
    return found


def test_every_folded_form_has_its_words_in_order(lex, by_fold):
    assert len(by_fold) > 150_000
    assert all(list(lex.forms(key)) == forms for key, forms in by_fold.items())
    assert list(lex.forms("tambien")) == by_fold["tambien"] and lex.best("tambien")[1] == "también"
    assert lex.forms("xqzwv") == () and lex.best("xqzwv") is None
    assert lex.folded_zipf("informacion") == by_fold["informacion"][0][0]


def test_the_suggestion_indexes_hold_the_frequent_forms(lex, by_fold):
    frequent = {key for key, forms in by_fold.items() if forms[0][0] >= SUGGEST_MIN_ZIPF}
    assert lex.sorted_keys == sorted(frequent)
    deletes: dict[str, set[str]] = {}
    for key in frequent:
        if len(key) >= 3:
            for variant in {key, *(key[:i] + key[i + 1:] for i in range(len(key)))}:
                deletes.setdefault(variant, set()).add(key)
    assert {v: set(keys) for v, keys in lex.deletes.items()} == deletes
    assert all(len(keys) == len(set(keys)) for keys in lex.deletes.values())
    assert "ayer" in set(lex.neighbours("aier")) and lex.is_prefix("secr")
