"""The lexicon: wordfreq's Spanish list, loaded once, with the indexes suggestions need.

Zipf = log10(frequency per billion words), wordfreq's scale: 7 is "de", 3 is a word seen
once per million words. The two thresholds here decide what the indexes hold; the spelling
rules that read them keep their own thresholds (`spelling`).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator
from functools import cached_property, lru_cache

import pyarrow as pa
import pyarrow.compute as pc

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

_ACCENTED, _PLAIN = "áéíóúüàèìòùïñ", "aeiouuaeiouin"
_FOLD = str.maketrans(_ACCENTED, _PLAIN)


def fold(word: str) -> str:
    """A lower-case word without accents, diaeresis or tilde: the key for "same letters"."""
    return word.translate(_FOLD)


class Lexicon:
    """wordfreq's Spanish frequencies, their words grouped by folded form, and an index by
    one deletion.

    The folded forms answer "which known words have the same letters but other accents":
    the known words (zipf >= KNOWN_ZIPF, letters only) sorted by folded form in C, each
    form's words read (and kept) when first asked for. A dictionary of lists, one per
    folded form, took 0.45 s to build for 190,000 forms, in every process that analyses
    text, although a process whose verdicts all come from the cache asks for a few hundred.
    The deletion index (symmetric-delete spelling correction) finds the frequent words one
    edit away from an unknown word with a handful of look-ups instead of generating
    hundreds of candidate strings; it is built when a word is first judged (about 0.1 s).
    """

    def __init__(self) -> None:
        import wordfreq  # imported here: the app starts faster when no text is analysed

        self.freq: dict[str, float] = wordfreq.get_frequency_dict("es")
        least = 10 ** (KNOWN_ZIPF - 9)
        words = pa.array([w for w, f in self.freq.items() if f >= least and w.isalpha()],
                         type=pa.string())
        # Folded in C, and only the words with something to fold (one in six).
        marked = pc.match_substring_regex(words, f"[{_ACCENTED}]")
        plain = words.filter(marked)
        for accented, unaccented in zip(_ACCENTED, _PLAIN, strict=True):
            plain = pc.replace_substring(plain, accented, unaccented)
        folded = pc.replace_with_mask(words, marked, plain)
        order = pc.sort_indices(folded)  # stable: a form's words stay in the list's order
        #: Folded forms of the known words, sorted (repeated once per word).
        self._keys: list[str] = folded.take(order).to_pylist()
        self._words = words.take(order)
        self._forms: dict[str, tuple[tuple[float, str], ...]] = {}

    def forms(self, folded: str) -> tuple[tuple[float, str], ...]:
        """(zipf, word) of the known words with these folded letters, most frequent first."""
        found = self._forms.get(folded)
        if found is None:
            lo = bisect.bisect_left(self._keys, folded)
            hi = bisect.bisect_right(self._keys, folded, lo)
            found = tuple(sorted(((self.zipf(w), w) for w in self._words[lo:hi].to_pylist()),
                                 reverse=True))
            self._forms[folded] = found
        return found

    @cached_property
    def sorted_keys(self) -> list[str]:
        """The folded forms whose most frequent word is frequent enough to be suggested,
        sorted."""
        # A bound a little below the threshold picks the candidates; zipf decides exactly.
        near = 10 ** (SUGGEST_MIN_ZIPF - 9) * 0.999
        zipf = self.zipf
        return sorted({fold(w) for w, f in self.freq.items()
                       if f >= near and w.isalpha() and zipf(w) >= SUGGEST_MIN_ZIPF})

    @cached_property
    def deletes(self) -> dict[str, list[str]]:
        """Each frequent folded form (3 letters or more) and its one-letter deletions -> the
        forms they come from."""
        deletes: dict[str, list[str]] = {}
        for key in self.sorted_keys:
            if len(key) < 3:
                continue
            for variant in {key, *(key[:i] + key[i + 1:] for i in range(len(key)))}:
                deletes.setdefault(variant, []).append(key)
        return deletes

    def is_prefix(self, folded: str) -> bool:
        """True when `folded` begins (and is shorter than) a frequent word."""
        at = bisect.bisect_right(self.sorted_keys, folded)
        return at < len(self.sorted_keys) and self.sorted_keys[at].startswith(folded)

    def zipf(self, word: str) -> float:
        f = self.freq.get(word)
        return math.log10(f) + 9 if f else 0.0

    def best(self, folded: str) -> tuple[float, str] | None:
        """The most frequent word with these folded letters (zipf >= KNOWN_ZIPF), if any."""
        forms = self.forms(folded)
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
