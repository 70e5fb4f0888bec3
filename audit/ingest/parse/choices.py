"""Choices and networks: canonical ids for labels written in many ways."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from audit.ingest.contract import NETWORKS, normalize_name
from audit.ingest.parse.cells import (
    Parsed,
    integer_text,
    per_distinct,
    row_mask,
    sort_cells,
    take_text,
)
from audit.ingest.parse.handles import split_url


class _ChoiceMatcher:
    """Finds the choice a written label means.

    In order: the id or an alias, exactly (after ``normalize_name``); then an alias whose
    words all appear in the label; then the closest alias by edit distance (rapidfuzz
    ratio >= 85, which forgives a typo or two but not a different word).

    When several aliases' words appear in the label, the one whose words start earliest
    wins, then the longer alias, then the choice listed first. Spanish names put the kind
    of institution first ("Ministerio de Salud" is a ministry, so national_government;
    "Biblioteca Nacional" is a library; "Hospital Municipal" is health), so the earliest
    word is the head of the name.
    """

    FUZZY_CUTOFF = 85

    def __init__(self, choices: dict[str, tuple[str, ...]]):
        self.exact: dict[str, str] = {}
        self.word_aliases: list[tuple[tuple[str, ...], int, str]] = []
        self.fuzzy_names: list[str] = []
        self.fuzzy_ids: list[str] = []
        for order, (choice, aliases) in enumerate(choices.items()):
            for name in (choice, *aliases):
                key = normalize_name(name)
                if not key:
                    continue
                self.exact.setdefault(key, choice)
                self.word_aliases.append((tuple(key.split("_")), order, choice))
                self.fuzzy_names.append(key)
                self.fuzzy_ids.append(choice)

    def __call__(self, label: str) -> str | None:
        key = normalize_name(label)
        if not key:
            return None
        if key in self.exact:
            return self.exact[key]
        first_seen: dict[str, int] = {}
        for position, word in enumerate(key.split("_")):
            first_seen.setdefault(word, position)
        best: tuple[tuple[int, int, int], str] | None = None
        for words, order, choice in self.word_aliases:
            if all(w in first_seen for w in words):
                rank = (min(first_seen[w] for w in words), -len(words), order)
                if best is None or rank < best[0]:
                    best = (rank, choice)
        if best is not None:
            return best[1]
        found = process.extractOne(
            key, self.fuzzy_names, scorer=fuzz.ratio, score_cutoff=self.FUZZY_CUTOFF
        )
        return self.fuzzy_ids[found[2]] if found else None


def _labels(raw: pd.Series, match: Callable[[str], str | None]) -> Parsed:
    cells = sort_cells(raw)
    codes, results = per_distinct(integer_text(cells), match)
    unread = np.array([r is None for r in results] + [True])[codes]  # -1: not text at all
    invalid = ~cells.blank & unread
    return Parsed(take_text(codes, results, raw.index), row_mask(invalid, raw.index))


def parse_choices(raw: pd.Series, choices: dict[str, tuple[str, ...]]) -> Parsed:
    """Canonical choice ids (keys of ``choices``) for labels written in many ways.

    See ``_ChoiceMatcher`` for the matching order and how ties are broken.
    """
    return _labels(raw, _ChoiceMatcher(choices))


_NETWORK_MATCHER = _ChoiceMatcher(NETWORKS)


@lru_cache(maxsize=4096)
def _network_label(label: str) -> str | None:
    """A network name, or the network of a URL (an unknown web site is a blog/site)."""
    url = split_url(label)
    if url is not None:
        return url.network if url.host else None
    return _NETWORK_MATCHER(label)


def parse_networks(raw: pd.Series) -> Parsed:
    """Canonical network ids from names ("FB", "X (Twitter)", "Tik Tok") or URLs.

    A URL is read by its host before the name matching, because a URL's words ("x" in
    a path, "in" in linkedin.com/in/...) would otherwise match the wrong network.
    """
    return _labels(raw, _network_label)
