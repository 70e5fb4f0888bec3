"""The lexicon: wordfreq's Spanish list, loaded once, with two indexes for suggestions.

Zipf = log10(frequency per billion words), wordfreq's scale: 7 is "de", 3 is a word seen
once per million words. The two thresholds here decide what the indexes hold; the spelling
rules that read them keep their own thresholds (`spelling`).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator
from functools import lru_cache

#: Below this zipf a word is unknown. DESIGN's naive rule (lower-case words under 2.0 are
#: errors) flags 0.65-0.85% of the health-es words, nearly all of them correct rare words:
#: clitic forms ("vacúnate"), technical terms, rare inflections. Here a word must also sit
#: one edit from a frequent word to be flagged, and the threshold separates unknown words
#: (flagged with a 30x more frequent neighbour: "aier" 1.19 -> "ayer") from rare attested
#: ones (which need 1000x: "manetas" 1.37 is just below, the one false positive left).
KNOWN_ZIPF = 1.5
#: A suggestion (the frequent word an unknown word is one edit from) must be at least this
#: frequent: about 1 in 100,000 words, the everyday vocabulary a typo is a typo of.
SUGGEST_MIN_ZIPF = 3.5

_FOLD = str.maketrans("áéíóúüàèìòùïñ", "aeiouuaeiouin")


def fold(word: str) -> str:
    """A lower-case word without accents, diaeresis or tilde: the key for "same letters"."""
    return word.translate(_FOLD)


class Lexicon:
    """wordfreq's Spanish frequencies plus indexes by folded form and by one deletion.

    Loaded on first use (about 1 s): the folded index answers "which frequent words have the
    same letters but other accents"; the deletion index (symmetric-delete spelling
    correction) finds the frequent words one edit away from an unknown word with a handful
    of dictionary look-ups instead of generating hundreds of candidate strings.
    """

    def __init__(self) -> None:
        import wordfreq  # imported here: the app starts faster when no text is analysed

        self.freq: dict[str, float] = wordfreq.get_frequency_dict("es")
        self.by_fold: dict[str, list[tuple[float, str]]] = {}
        least = 10 ** (KNOWN_ZIPF - 9)
        log10, by_fold = math.log10, self.by_fold
        for word, f in self.freq.items():
            if f >= least and word.isalpha():
                key = word.translate(_FOLD)
                if key in by_fold:
                    by_fold[key].append((log10(f) + 9, word))
                else:
                    by_fold[key] = [(log10(f) + 9, word)]
        for forms in self.by_fold.values():
            forms.sort(reverse=True)
        self.deletes: dict[str, list[str]] = {}
        for key, forms in self.by_fold.items():
            if forms[0][0] < SUGGEST_MIN_ZIPF or len(key) < 3:
                continue
            for variant in {key, *(key[:i] + key[i + 1:] for i in range(len(key)))}:
                self.deletes.setdefault(variant, []).append(key)

        self.sorted_keys = sorted(k for k, forms in self.by_fold.items()
                                  if forms[0][0] >= SUGGEST_MIN_ZIPF)

    def is_prefix(self, folded: str) -> bool:
        """True when `folded` begins (and is shorter than) a frequent word."""
        at = bisect.bisect_right(self.sorted_keys, folded)
        return at < len(self.sorted_keys) and self.sorted_keys[at].startswith(folded)

    def zipf(self, word: str) -> float:
        f = self.freq.get(word)
        return math.log10(f) + 9 if f else 0.0

    def best(self, folded: str) -> tuple[float, str] | None:
        """The most frequent word with these folded letters (zipf >= KNOWN_ZIPF), if any."""
        forms = self.by_fold.get(folded)
        return forms[0] if forms else None

    def folded_zipf(self, folded: str) -> float:
        best = self.best(folded)
        return best[0] if best else 0.0

    def neighbours(self, folded: str) -> Iterator[str]:
        """Folded frequent words one edit (Damerau) from `folded`."""
        seen: set[str] = set()
        for variant in (folded, *(folded[:i] + folded[i + 1:] for i in range(len(folded)))):
            for key in self.deletes.get(variant, ()):
                if key not in seen and key != folded and _one_edit(folded, key):
                    seen.add(key)
                    yield key


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon()

def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one insertion, deletion, substitution or transposition."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1:]
    if a[i + 1:] == b[i + 1:]:
        return True
    return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
