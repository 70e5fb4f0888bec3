"""Readability: syllables, the Fernández-Huerta and Szigriszt-Pazos scores, INFLESZ bands.

Fernández-Huerta (corrected) L = 206.84 - 60 S/W - 1.02 W/F and Szigriszt-Pazos / INFLESZ
I = 206.835 - 62.3 S/W - W/F, with S syllables, W words, F sentences, counted as textstat
counts them: syllables by textstat's Spanish counter (pyphen hyphenation), a sentence ends
at ".", "!", "?" or "…" (here also at a line break or a link, which end sentences in posts),
and a sentence of two words or fewer is not one (its words still count; the sentences are
counted over the token stream, in `tokens`). On textstat's long Spanish test text this
gives its figures, 65.967 and 62.16. Scores of corpora should come from summed counts
(`fernandez_huerta` and `szigriszt_pazos` take arrays), not from the mean of per-post scores.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

#: textstat's rule: a "sentence" of two words or fewer (an abbreviation, "¡Hola!") does not
#: count as a sentence (its words still count).
MIN_SENTENCE_WORDS = 3

#: INFLESZ bands (Barrio-Cantalejo et al. 2008) for the Szigriszt-Pazos score: upper bound,
#: id, label es, label en.
INFLESZ_BANDS = (
    (40.0, "very_difficult", "muy difícil", "very difficult"),
    (55.0, "somewhat_difficult", "algo difícil", "somewhat difficult"),
    (65.0, "normal", "normal", "normal"),
    (80.0, "fairly_easy", "bastante fácil", "fairly easy"),
    (math.inf, "very_easy", "muy fácil", "very easy"),
)


@lru_cache(maxsize=1)
def _hyphenator():
    import pyphen  # imported here: only needed once texts are analysed

    return pyphen.Pyphen(lang="es")


@lru_cache(maxsize=1 << 18)
def syllable_count(word: str) -> int:
    """Syllables of one word as textstat counts them for Spanish: pyphen's hyphenation
    points + 1 (textstat's own counter, called without loading textstat and nltk; the tests
    check that both agree).

    textstat's counter is used, not a better one, so that readability scores agree with
    textstat's and with the tools built on it. It undercounts words with a one-vowel
    syllable at either end or a hiatus ("agua" 1, "leer" 1, "ayuntamiento" 4).
    """
    letters = "".join(ch for ch in word.lower() if ch.isalpha())
    if not letters:
        return 0
    return len(_hyphenator().positions(letters)) + 1


def fernandez_huerta(words, sentences, syllables):
    """Fernández-Huerta (corrected) from counts: 206.84 - 60 S/W - 1.02 W/F; NaN if W = 0.

    Takes scalars or arrays, so a corpus score is computed from summed counts.
    """
    w, f, s = (np.asarray(x, dtype=float) for x in (words, sentences, syllables))
    with np.errstate(divide="ignore", invalid="ignore"):
        score = 206.84 - 60.0 * s / w - 1.02 * w / f
    return np.where(w > 0, score, np.nan)[()]


def szigriszt_pazos(words, sentences, syllables):
    """Szigriszt-Pazos perspicuity (INFLESZ) from counts: 206.835 - 62.3 S/W - W/F."""
    w, f, s = (np.asarray(x, dtype=float) for x in (words, sentences, syllables))
    with np.errstate(divide="ignore", invalid="ignore"):
        score = 206.835 - 62.3 * s / w - w / f
    return np.where(w > 0, score, np.nan)[()]


def inflesz_band(score: float) -> tuple[str, str, str]:
    """(band id, label es, label en) of a Szigriszt-Pazos score; ("", "", "") for NaN."""
    if score is None or pd.isna(score):
        return ("", "", "")
    for upper, band, es, en in INFLESZ_BANDS:
        if score < upper:
            return (band, es, en)
    return INFLESZ_BANDS[-1][1:]
