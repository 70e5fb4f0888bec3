"""Text measures of the tone dimension: spelling, clipped words, readability, warmth, shouting.

Guideline 001 asks public institutions to write "cálida y cercana" and "gramaticalmente y
ortográficamente correcto", without the clipped words some community managers use to fit a
tweet. This package turns a column of post texts into per-post counts that the tone checks
score, and keeps the evidence: which words were flagged, why, and what to write instead.

    text_features(texts) -> TextFeatures(posts, flagged)
    flagged_words(texts) -> the flagged words of each post (for the few posts shown)
    check_word(word)     -> the verdict on one word (misspelt, missing_accent, clipped or None)
    inflesz_band(score)  -> (band id, label es, label en)

One module per subject, each with its own thresholds and word lists:

    lexicon      wordfreq's Spanish frequencies and the indexes suggestions are found with
    spelling     the verdict on one word (clipped, misspelt, missing accent)
    readability  syllables, Fernández-Huerta and Szigriszt-Pazos scores, INFLESZ bands
    warmth       greetings, thanks, second person, invitations
    shouting     posts written mostly in capitals
    language     posts in Galician, Catalan, Basque... that are not judged as Spanish
    tokens       texts to tokens, each distinct token judged once, sums per post
    posts        the per-post table (POST_COLUMNS) and the table of flagged words
"""

from audit.measure.text.language import (
    OTHER_LANGUAGE_MIN_WORDS,
    OTHER_LANGUAGE_SHARE,
    OTHER_LANGUAGE_WORDS,
)
from audit.measure.text.lexicon import KNOWN_ZIPF, SUGGEST_MIN_ZIPF
from audit.measure.text.posts import POST_COLUMNS, TextFeatures, flagged_words, text_features
from audit.measure.text.readability import (
    INFLESZ_BANDS,
    MIN_SENTENCE_WORDS,
    fernandez_huerta,
    inflesz_band,
    syllable_count,
    szigriszt_pazos,
)
from audit.measure.text.shouting import SHOUTING_MIN_LETTERS, SHOUTING_RATIO
from audit.measure.text.spelling import (
    ACCENT_MIN_GAIN,
    ACCENT_MIN_ZIPF,
    ATTESTED_MAX_ZIPF,
    ATTESTED_MIN_GAIN,
    CLIPPED,
    FORM_MIN_GAIN,
    KNOWN_MISSPELLINGS,
    LEGIT_UNACCENTED,
    NEIGHBOUR_MIN_GAIN,
    VERB_MIN_ZIPF,
    WRONG_ACCENT_MIN_GAIN,
    WordVerdict,
    check_word,
)

__all__ = [
    "ACCENT_MIN_GAIN",
    "ACCENT_MIN_ZIPF",
    "ATTESTED_MAX_ZIPF",
    "ATTESTED_MIN_GAIN",
    "CLIPPED",
    "FORM_MIN_GAIN",
    "INFLESZ_BANDS",
    "KNOWN_MISSPELLINGS",
    "KNOWN_ZIPF",
    "LEGIT_UNACCENTED",
    "MIN_SENTENCE_WORDS",
    "NEIGHBOUR_MIN_GAIN",
    "OTHER_LANGUAGE_MIN_WORDS",
    "OTHER_LANGUAGE_SHARE",
    "OTHER_LANGUAGE_WORDS",
    "POST_COLUMNS",
    "SHOUTING_MIN_LETTERS",
    "SHOUTING_RATIO",
    "SUGGEST_MIN_ZIPF",
    "VERB_MIN_ZIPF",
    "WRONG_ACCENT_MIN_GAIN",
    "TextFeatures",
    "WordVerdict",
    "check_word",
    "fernandez_huerta",
    "flagged_words",
    "inflesz_band",
    "syllable_count",
    "szigriszt_pazos",
    "text_features",
]
