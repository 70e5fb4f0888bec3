"""Spelling: the verdict on one word (misspelt, missing_accent, clipped or None).

Verdicts are on the word as written; thresholds are in zipf, wordfreq's log scale, where 3
is a word seen once per million:

1. clipped: texting abbreviations from `CLIPPED` ("q", "xq", "tb", "xfa", "slds"...). One
   letter ("q", "x", "d", "k") only in lower case, so "Rayos X", "vitamina D" and "X" (the
   network) pass; longer ones not in capitals, where they are acronyms ("TB"). "x" or "k"
   next to a number ("3 x 4", "10 k") and "d" before an apostrophe ("d'Hondt") do not count.
2. Not judged: words with digits or underscores, mixed case ("RadarCOVID"), one or two
   letters, capitals under four letters (acronyms).
3. missing_accent: an imperative, gerund or infinitive with enclitic pronouns without the
   accent the stress rules give it ("vacunate" -> "vacúnate", "ponermela" -> "ponérmela"),
   checked on any case. Then, in lower case or capitals only (a capitalised word is a name
   as often as a sentence start: "Lucia", "Lopez"), a plain word whose accented form is
   `ACCENT_MIN_GAIN` more frequent: "informacion" 3.94 vs "información" 5.48; web text is
   full of such forms, so wordfreq knows them and a look-up alone would not catch them.
   Not a plain form that is a word of its own: a regular verb form ("practica", "publica",
   "termino"; only context tells) or one in `LEGIT_UNACCENTED`.
4. misspelt (lower case only): a frequent web misspelling (`KNOWN_MISSPELLINGS`: "osea",
   "fué"); an accent on a word that has none or has it elsewhere ("tambíen", "vácunate");
   or a word one edit (insertion, deletion, substitution, transposition; accents ignored)
   from a frequent word — "vacunasion" -> "vacunación", "aier" -> "ayer" — when the word is
   unknown (zipf < `KNOWN_ZIPF`) or rare (< `ATTESTED_MAX_ZIPF`, then with a larger gap:
   "dede" for "desde"), and not a regular form of a known word (inflection, verb form,
   prefixed word: "aforos", "reúnes", "cogobernanza"). An unknown word with no frequent
   neighbour is taken as a technical term: "fluoroquinolonas", "farmacovigilancia". A
   short unknown word before a period that begins a frequent word is an abbreviation
   ("secr.").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

from audit.measure.text.lexicon import KNOWN_ZIPF, SUGGEST_MIN_ZIPF, Lexicon, fold, lexicon

# ---------------------------------------------------------------------------------------------
# Thresholds. Figures measured with bench/validate_spelling.py on the 1,046 original
# tweets of three Spanish public-health accounts (health-es, 2020 Q4, 30,420 words) and, for
# errors, on the same tweets with planted errors.
# ---------------------------------------------------------------------------------------------

#: ...and this much more frequent than the flagged word (1.5 = 30 times).
NEIGHBOUR_MIN_GAIN = 1.5
#: Attested but rare words (KNOWN_ZIPF <= zipf < ATTESTED_MAX_ZIPF) are often frequent
#: typos that web text made common ("sbre" 1.69, "dede" 2.7, "resposabilidad" 1.86): they
#: are flagged when the neighbour is ATTESTED_MIN_GAIN more frequent (3.0 = 1000 times).
ATTESTED_MAX_ZIPF = 3.0
ATTESTED_MIN_GAIN = 3.0
#: ...except that an accent where the frequent form has none (or has it elsewhere) needs
#: only this gain (2.0 = 100 times): "tambíen" 2.67 vs 6.19, "sóla" 2.82 vs 5.3.
WRONG_ACCENT_MIN_GAIN = 2.0
#: An unknown word that is a regular form of a known word (a verb form, an inflection, a
#: prefixed word) is flagged only if the neighbour is this much more frequent than that
#: base: "fuea" reads as a form of "fuer" but is a typo of "fue"; "podas" (plural of
#: "poda", 3.07) stays, though "todas" (5.78) is one letter away.
FORM_MIN_GAIN = 3.0
#: Missing accent: the accented form must be this much more frequent than the plain one
#: (0.5 = 3.2 times). DESIGN suggested 20x (1.3), which misses the commonest web omissions:
#: "tambien" 4.98 vs "también" 6.19 (16x), "dias" 4.79 vs "días" 5.71 (8x), "aqui" (6x).
#: Legitimate plain forms with close frequencies stay below it: "continua"/"continúa"
#: (0.27), "aun"/"aún" (0.37), "publica"/"pública" (0.62, and a verb form anyway).
ACCENT_MIN_GAIN = 0.5
#: ...and the accented form must itself be a common word.
ACCENT_MIN_ZIPF = 3.0
# Offer a second accented form when it is this close in zipf to the first.
_SUGGEST_BOTH_WITHIN = 0.3
#: Unknown-word analysis (prefixes, inflections) accepts a word when its base is at least
#: this frequent...
MORPH_BASE_ZIPF = 3.0
#: ...and verb forms when the infinitive is ("vacunar" is 2.98) and the verb has another
#: attested form (participle, third person or gerund).
VERB_MIN_ZIPF = 2.5
#: An unknown word of at most this many letters, followed by a period and the beginning of a
#: frequent word, is an abbreviation ("secr." for "secretario"), not a typo.
ABBREVIATION_MAX_LETTERS = 5

# ---------------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------------

#: Texting abbreviations and clipped words -> what to write. Not listed on purpose: "info"
#: ("Más info", standard in institutional posts), "ok", and clippings the DLE records as
#: colloquial words ("finde", "profe", "bici", "foto"); "pa" is listed (lower case only).
CLIPPED = {
    "q": "que", "k": "que", "ke": "que", "qe": "que", "x": "por", "d": "de",
    "xq": "porque / por qué", "pq": "porque / por qué", "xk": "porque / por qué",
    "pk": "porque / por qué", "porq": "porque / por qué",
    "tb": "también", "tmb": "también", "tbn": "también", "tmbn": "también",
    "tambn": "también",
    "xfa": "por favor", "xfavor": "por favor", "porfa": "por favor", "porfis": "por favor",
    "plis": "por favor", "pls": "por favor",
    "dnd": "dónde / donde", "slds": "saludos", "salu2": "saludos", "bss": "besos",
    "toy": "estoy", "bn": "bien", "msj": "mensaje", "msjs": "mensajes", "mje": "mensaje",
    "xa": "para", "pa": "para", "xo": "pero", "dsd": "desde", "cdo": "cuando",
    "qdo": "cuando", "grax": "gracias", "grcs": "gracias", "vdd": "verdad",
    "ntp": "no te preocupes", "aki": "aquí", "kien": "quién / quien", "kiero": "quiero",
    "tqm": "te quiero mucho", "mñn": "mañana", "mñna": "mañana", "xej": "por ejemplo",
    "nd": "nada", "ns": "no sé",
}
#: Clipped single letters that are also units or multipliers next to a number.
NUMERIC_CONTEXT = frozenset({"x", "k"})

#: Frequent web misspellings that wordfreq knows as words.
KNOWN_MISSPELLINGS = {
    "aver": "a ver / haber", "osea": "o sea", "porfavor": "por favor", "enserio": "en serio",
    "apesar": "a pesar", "atravez": "a través", "alomejor": "a lo mejor",
    "sinembargo": "sin embargo", "envez": "en vez", "derrepente": "de repente",
    "hechar": "echar", "haci": "así",
    # Monosyllables take no accent (except the diacritic ones): frequent on the web.
    "fué": "fue", "fuí": "fui", "dió": "dio", "vió": "vio", "tí": "ti", "ví": "vi",
    "fé": "fe", "pié": "pie",
}

#: Plain forms that are words of their own although an accented form is far more frequent
#: (and that the verb-form test does not cover). "guion", "rio": plain since the 2010
#: Ortografía. Not listed, so flagged: "ano"/"anos" (in a public post almost always
#: "año"/"años"), "mas" ("más"), "ingles" ("inglés").
LEGIT_UNACCENTED = frozenset({
    "campana", "campanas", "sabana", "sabanas", "papa", "papas", "secretaria",
    "secretarias", "comisaria", "comisarias", "continuo", "continua", "varias", "seria",
    "serias", "hacia", "este", "esta", "estas", "ese", "esa", "esos", "esas", "aquel",
    "aquella", "solo", "como", "cuando", "donde", "que", "quien", "cual", "cuanto", "cuanta",
    "tu", "el", "mi", "si", "se", "te", "de", "aun", "porque", "guion", "guiones", "rio",
    "cono", "conos", "cana", "canas",
})

# ---------------------------------------------------------------------------------------------
# Spanish word structure: prefixes, clitics, verb endings, stress
# ---------------------------------------------------------------------------------------------

#: Productive prefixes: an unknown word that is prefix + known word is accepted.
PREFIXES = (
    "anti", "auto", "bio", "cardio", "ciber", "co", "contra", "des", "eco", "electro", "endo",
    "entre", "ex", "extra", "geo", "hidro", "hiper", "hipo", "infra", "inmuno", "inter",
    "intra", "macro", "micro", "mini", "mono", "multi", "nano", "neo", "neuro", "para",
    "pluri", "poli", "pos", "post", "pre", "pro", "psico", "re", "semi", "sero", "sobre",
    "socio", "sub", "super", "tele", "termo", "trans", "tri", "ultra", "vice",
)

_CLITICS = ("les", "las", "los", "nos", "me", "te", "se", "le", "la", "lo", "os")

# Verb endings (accents removed) -> the infinitive endings they may come from.
_AR = ("o as a amos ais an e es emos eis en aste asteis aron aba abas abamos abais aban "
       "are aras ara aremos areis aran aria arias ariamos ariais arian ase ases asemos "
       "aseis asen ando ado ada ados adas ad ar").split()
_ER_IR = ("o es e emos imos eis is en a as amos ais an i iste io isteis ieron ia ias iamos "
          "iais ian ere eras era eremos ereis eran ire iras ira iremos ireis iran eria "
          "erias eriamos eriais erian iria irias iriamos iriais irian iera ieras ieramos "
          "ierais ieran iese ieses iesen iendo ido ida idos idas ed id er ir").split()
_UIR = "yo yes ye yen ya yas yamos yais yan yendo yeron yera yeras yeran yese".split()
_VERB_ENDINGS: dict[str, tuple[str, ...]] = {}
for _ending in _AR:
    _VERB_ENDINGS[_ending] = (*_VERB_ENDINGS.get(_ending, ()), "ar")
for _ending in _ER_IR:
    _VERB_ENDINGS[_ending] = (*_VERB_ENDINGS.get(_ending, ()), "er", "ir")
for _ending in _UIR:
    _VERB_ENDINGS[_ending] = (*_VERB_ENDINGS.get(_ending, ()), "ir")
_VERB_ENDINGS_BY_LENGTH = sorted(_VERB_ENDINGS, key=len, reverse=True)
# Endings (accents removed) whose forms always carry a written accent, with the accent:
# imperfect -ía, preterite -í/-ió, conditional -ría, -áis/-éis/-ís, future -é/-á/-án.
# (-ar futures "-ará" look like subjunctives "-ara" and stay out.)
_ACCENTED_ENDINGS = {
    "ia": "ía", "ias": "ías", "iamos": "íamos", "iais": "íais", "ian": "ían", "io": "ió",
    "i": "í", "is": "ís", "ais": "áis", "eis": "éis", "are": "aré", "ere": "eré",
    "ire": "iré", "era": "erá", "eras": "erás", "eran": "erán", "ira": "irá", "iras": "irás",
    "iran": "irán", "areis": "aréis", "ereis": "eréis", "ireis": "iréis",
    **{c + e: c + a for c in ("ar", "er", "ir")
       for e, a in (("ia", "ía"), ("ias", "ías"), ("iamos", "íamos"), ("iais", "íais"),
                    ("ian", "ían"))},
}
# Forms of "estar" that are never plain (esta, este, estas are demonstratives).
_NEVER_PLAIN = frozenset({"estan", "estes", "esten", "estais"})
# Stem alternations undone to find the infinitive: spelling (practiqu-e -> practic-ar,
# llegu-e, organic-e -> organiz-ar, protej-a -> proteg-er) and stem vowels (cuent-a ->
# cont-ar, pierd-a -> perd-er, pid-a -> ped-ir, jueg-a -> jug-ar).
_STEM_ENDINGS = (("qu", "c"), ("gu", "g"), ("c", "z"), ("j", "g"), ("z", "c"), ("g", "gu"))
_STEM_VOWELS = (("ie", "e"), ("ue", "o"), ("i", "e"), ("ue", "u"))
# Short or irregular verb forms that take enclitic pronouns ("dame", "ponte", "hazlo").
_IRREGULAR_BASES = frozenset({
    "da", "di", "haz", "pon", "ten", "ven", "sal", "ve", "se", "dar", "ir", "ver", "ser",
    "oir", "reir", "manten", "sosten", "obten", "deten", "conten", "reten", "diciendo",
    "haciendo", "poniendo", "viendo", "yendo", "siendo", "oyendo",
})

_ACUTE = str.maketrans("aeiou", "áéíóú")
_UNACUTE_STRONG = str.maketrans("áéó", "aeo")
_DIACRITICS = frozenset("áéíóúüàèìòùïñ")
_VOWELS = frozenset("aeiouáéíóúü")
_STRONG = frozenset("aeoáéó")


def _has_diacritic(word: str) -> bool:
    return any(ch in _DIACRITICS for ch in word)


def _nuclei(word: str) -> list[tuple[int, int]]:
    """Spans of the syllable nuclei (vowel groups) of a lower-case Spanish word.

    Two strong vowels (a, e, o) or an accented weak one (í, ú) make a hiatus; other vowel
    runs are diphthongs. A "u" between q/g and e/i is silent. Enough to place an accent.
    """
    spans: list[tuple[int, int]] = []
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        silent_u = (ch == "u" and i > 0 and word[i - 1] in "qg" and i + 1 < n
                    and word[i + 1] in "eiéí")
        if ch not in _VOWELS or silent_u:
            i += 1
            continue
        start = i
        i += 1
        while i < n and word[i] in _VOWELS:
            prev, cur = word[i - 1], word[i]
            if (prev in _STRONG and cur in _STRONG) or cur in "íú" or prev in "íú":
                break
            i += 1
        spans.append((start, i))
    return spans


def _stressed_nucleus(word: str) -> int | None:
    """Index (into _nuclei) of the stressed nucleus: the written accent, else Spanish rules."""
    spans = _nuclei(word)
    if not spans:
        return None
    for k, (a, b) in enumerate(spans):
        if any(ch in "áéíóú" for ch in word[a:b]):
            return k
    if len(spans) == 1:
        return 0
    return len(spans) - 2 if word[-1] in "aeiouns" else len(spans) - 1


def _accent_nucleus(word: str, span: tuple[int, int]) -> str:
    """Put the acute accent on a nucleus: on its strong vowel, else on its last vowel."""
    a, b = span
    group = word[a:b]
    pos = next((a + j for j, ch in enumerate(group) if ch in "aeo"), b - 1)
    return word[:pos] + word[pos].translate(_ACUTE) + word[pos + 1:]


# ---------------------------------------------------------------------------------------------
# Judging one word
# ---------------------------------------------------------------------------------------------


def is_truncation(lower: str) -> bool:
    """A short word that begins a frequent word: "secr." before a period is an abbreviation."""
    return len(lower) <= ABBREVIATION_MAX_LETTERS and lexicon().is_prefix(fold(lower))


class WordVerdict(NamedTuple):
    """Why a word is flagged and what to write instead."""

    reason: str  # "misspelt" | "missing_accent" | "clipped"
    suggestion: str


@lru_cache(maxsize=1 << 18)
def check_word(word: str) -> WordVerdict | None:
    """The verdict on one word as written (case matters: see the module docstring)."""
    word = unicodedata.normalize("NFC", word)
    lower = word.lower()
    if not lower or not any(ch.isalpha() for ch in lower):
        return None
    if lower in CLIPPED and (word.islower() or (len(word) > 1 and not word.isupper())):
        return WordVerdict("clipped", CLIPPED[lower])
    if not lower.isalpha() or len(lower) <= 2:
        return None
    if word.islower():
        shape = "lower"
    elif word[0].isupper() and word[1:].islower():
        shape = "title"
    elif word.isupper():
        shape = "upper"
    else:
        return None  # mixed case: a brand or a compound name
    if shape == "upper" and len(lower) < 4:
        return None
    verdict = _judge_lower(lower, shape)
    if verdict is None or shape == "lower":
        return verdict
    suggestion = verdict.suggestion.upper() if shape == "upper" else \
        verdict.suggestion[:1].upper() + verdict.suggestion[1:]
    return WordVerdict(verdict.reason, suggestion)


def _judge_lower(lower: str, shape: str) -> WordVerdict | None:
    lex = lexicon()
    zipf = lex.zipf(lower)
    folded = fold(lower)
    plain = not _has_diacritic(lower)
    # A known accented word ("sólo", "cuáles") is not re-read as a verb with pronouns.
    accented = None if not plain and zipf >= KNOWN_ZIPF else _clitic_form(lower)
    if accented is not None and accented != lower and lex.zipf(accented) >= zipf:
        return WordVerdict("missing_accent" if plain else "misspelt", accented)
    if shape == "title":
        return None  # a name ("Lucia", "Lopez", "Sant Ramon") or the first word of a sentence
    if plain:
        alt = _accented_variant(lower, folded, zipf)
        if alt is None and zipf < KNOWN_ZIPF and not _verb_evidence(folded, plain_only=True):
            alt = _accented_verb_form(folded) or _prefixed_accent(folded)
        if alt is not None:
            return WordVerdict("missing_accent", alt)
    if shape != "lower":
        return None
    if lower in KNOWN_MISSPELLINGS:
        return WordVerdict("misspelt", KNOWN_MISSPELLINGS[lower])
    if zipf >= ATTESTED_MAX_ZIPF or accented == lower or _inclusive(folded):
        return None
    best = lex.best(folded)
    if best is not None and best[1] != lower and best[0] >= SUGGEST_MIN_ZIPF and (
            zipf < KNOWN_ZIPF or (not plain and best[0] - zipf >= WRONG_ACCENT_MIN_GAIN)):
        # Same letters, other accents: "tambíen" (2.67, a frequent web misspelling).
        return WordVerdict("misspelt" if not plain else "missing_accent", best[1])
    if len(folded) < 4:
        return None
    candidates = [c for c in map(lex.best, lex.neighbours(folded)) if c is not None]
    if not candidates:
        return None
    z, suggestion = max(candidates)
    gain = NEIGHBOUR_MIN_GAIN if zipf < KNOWN_ZIPF else ATTESTED_MIN_GAIN
    if z < SUGGEST_MIN_ZIPF or z - zipf < gain or z - _form_evidence(folded) < FORM_MIN_GAIN:
        return None
    return WordVerdict("misspelt", suggestion)


def _accented_variant(lower: str, folded: str, zipf: float) -> str | None:
    """The accented spelling of a plain word when it is far more frequent (missing accent)."""
    lex = lexicon()
    if lower in LEGIT_UNACCENTED:
        return None
    others = [(z, w) for z, w in lex.forms(folded) if w != lower]
    if not others or others[0][0] < ACCENT_MIN_ZIPF or others[0][0] - zipf < ACCENT_MIN_GAIN:
        return None
    if _verb_evidence(folded, plain_only=True):
        return None
    # Two accented forms of similar frequency are both offered: "envío / envió".
    close = [w for z, w in others[:2] if z >= others[0][0] - _SUGGEST_BOTH_WITHIN]
    return " / ".join(close)


def _clitic_form(lower: str) -> str | None:
    """The correct spelling of a verb form with enclitic pronouns, if `lower` is one.

    "vacunate" -> "vacúnate", "ponermela" -> "ponérmela", "aislarte" -> "aislarte". The base
    (without the pronouns) must be a form of a frequent verb; the stress stays where the base
    has it and the accent is written when it falls three syllables or more from the end (an
    accent the base needed only as an oxytone goes: "mantén" + "te" -> "mantente").
    """
    lex = lexicon()
    first = None
    for base, clitics in _clitic_splits(lower):
        form = _with_clitics(lex, base, clitics)
        if form == lower:
            return form
        if first is None:
            first = form
    return first


def _with_clitics(lex: Lexicon, base: str, clitics: tuple[str, ...]) -> str | None:
    """base + clitics spelt with the accent the stress rules give, or None if no verb base."""
    folded = fold(base)
    if folded not in _IRREGULAR_BASES and _verb_evidence(folded) == 0.0:
        return None
    best = lex.best(folded)  # the base as written, with its own accent ("mantén")
    base_word = best[1] if best is not None else folded
    if base_word.endswith("n") and clitics[0] in ("te", "os"):
        return None  # "importan" + "te": an adjective in -nte, not an imperative
    stress = _stressed_nucleus(base_word)
    if stress is None:
        return None
    spans = _nuclei(base_word)
    after = len(spans) - 1 - stress + sum(len(_nuclei(c)) for c in clitics)
    if after < 2:
        return base_word.translate(_UNACUTE_STRONG) + "".join(clitics)
    a, b = spans[stress]
    body = base_word
    if not any(ch in "áéíóú" for ch in base_word[a:b]):
        body = _accent_nucleus(base_word, spans[stress])
    return body + "".join(clitics)


def _clitic_splits(lower: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Ways to read `lower` as base + one or two enclitic pronouns (one first)."""
    for first in _CLITICS:
        if lower.endswith(first) and len(lower) - len(first) >= 2:
            yield lower[: -len(first)], (first,)
    for first in _CLITICS:
        if lower.endswith(first):
            rest = lower[: -len(first)]
            for second in _CLITICS:
                if rest.endswith(second) and len(rest) - len(second) >= 2:
                    yield rest[: -len(second)], (second, first)


@lru_cache(maxsize=1 << 16)
def _verb_analyses(folded: str) -> tuple[tuple[str, float], ...]:
    """(ending, zipf of the infinitive) for each reading of `folded` as a regular form of a
    frequent verb: "reunes" -> (("es", zipf of "reunir"),).

    The infinitive must be frequent and the verb attested in another form too (participle,
    third person or gerund), which keeps out look-alikes from the English words in
    wordfreq's list ("noviembe" is not a form of "november").
    """
    lex = lexicon()
    found = []
    for ending in _VERB_ENDINGS_BY_LENGTH:
        if not folded.endswith(ending) or len(folded) - len(ending) < 3:
            continue
        for stem in _stem_variants(folded[: -len(ending)]):
            for inf in _VERB_ENDINGS[ending]:
                z = lex.zipf(stem + inf)
                if z < VERB_MIN_ZIPF:
                    continue
                vowel = "a" if inf == "ar" else "e"
                others = (stem + ("ado" if inf == "ar" else "ido"), stem + vowel,
                          stem + ("ando" if inf == "ar" else "iendo"))
                if any(lex.folded_zipf(o) >= 2.0 for o in others):
                    found.append((ending, z))
                    break
    return tuple(found)


def _verb_evidence(folded: str, plain_only: bool = False) -> float:
    """Zipf of the verb `folded` is a form of (0 if none).

    With plain_only, only forms that are right WITHOUT an accent count: not the endings
    that always carry one ("tenía", "vivió", "vacunaría", "coméis"), nor a stem in i/u
    before a vowel, since verbs like enviar or actuar write "envío", "actúa" while cambiar
    writes "cambio" (only frequencies can tell those apart).
    """
    if plain_only and folded in _NEVER_PLAIN:
        return 0.0
    best = 0.0
    for ending, z in _verb_analyses(folded):
        stem = folded[: -len(ending)]
        if plain_only and (ending in _ACCENTED_ENDINGS
                           or (stem[-1] in "iu" and ending[0] in "aeio")):
            continue
        best = max(best, z)
    return best


def _accented_verb_form(folded: str) -> str | None:
    """The accented spelling of a verb form whose ending needs one ("saludeis" -> "saludéis")."""
    for ending, _z in _verb_analyses(folded):
        if ending in _ACCENTED_ENDINGS:
            return folded[: -len(ending)] + _ACCENTED_ENDINGS[ending]
    return None


def _stem_variants(stem: str) -> Iterator[str]:
    yield stem
    for old, new in _STEM_ENDINGS:
        if stem.endswith(old):
            yield stem[: -len(old)] + new
    for old, new in _STEM_VOWELS:
        at = stem.rfind(old)
        if at > 0:
            yield stem[:at] + new + stem[at + len(old):]


_INFLECTIONS = (("es", ""), ("s", ""), ("a", "o"), ("as", "os"), ("o", "a"), ("os", "as"),
                ("mente", ""), ("isimo", "o"), ("isima", "a"), ("isimos", "os"),
                ("isimas", "as"), ("ito", "o"), ("ita", "a"), ("itos", "os"), ("itas", "as"))


def _form_evidence(folded: str) -> float:
    """How well an unknown word is explained as made from a known one: the zipf of the
    known base (0 if none) for a verb form, an inflection ("aforos"), an adverb in -mente
    or a prefixed word ("cogobernanza", "sociosanitario")."""
    lex = lexicon()
    best = _verb_evidence(folded)
    for suffix, replacement in _INFLECTIONS:
        if folded.endswith(suffix):
            stem = folded[: -len(suffix)] + replacement
            z = lex.folded_zipf(stem)
            if len(stem) >= 4 and z >= MORPH_BASE_ZIPF:
                best = max(best, z)
    for prefix in PREFIXES:
        rest = folded[len(prefix):]
        if folded.startswith(prefix) and len(rest) >= 4:
            z = lex.folded_zipf(rest)
            best = max(best, z if z >= KNOWN_ZIPF else 0.0, _verb_evidence(rest))
    return best


def _inclusive(folded: str) -> bool:
    """Inclusive-language forms with x: "voluntarixs", "todxs", "niñx"."""
    lex = lexicon()
    return (folded.endswith("xs") and lex.folded_zipf(folded[:-2] + "os") >= KNOWN_ZIPF) or (
        folded.endswith("x") and lex.folded_zipf(folded[:-1] + "o") >= KNOWN_ZIPF)


def _prefixed_accent(folded: str) -> str | None:
    """prefix + a word missing its accent: "biomedico" -> "biomédico"."""
    for prefix in PREFIXES:
        rest = folded[len(prefix):]
        if folded.startswith(prefix) and len(rest) >= 4:
            alt = _accented_variant(rest, rest, lexicon().zipf(rest))
            if alt is not None and " / " not in alt:
                return prefix + alt
    return None


# ---------------------------------------------------------------------------------------------
# Homophones and h-errors, judged by the words around them
# ---------------------------------------------------------------------------------------------
# "asta", "serrada", "echo", "valla" are words, so no look-up can flag them; the words next to
# them can. Each rule below reads the word before and the word after (None across a sentence
# break or at the edge of the post) and names the whole phrase and what to write: "a sido" ->
# "ha sido". Only rules with no common correct reading are kept; the reading each rule leaves
# alone is named in its docstring. Measured with bench/validate_spelling.py: 0 flags on the
# 30,420 words of the health-es tweets, precision and recall on the sentences of
# tests/test_text.py (HOMOPHONE_CASES).

#: Forms of "haber" that take a participle ("a" included: it is often "ha" misspelt).
_HABER = frozenset({
    "he", "ha", "has", "hemos", "habéis", "han", "había", "habías", "habíamos", "habían",
    "haber", "habría", "habrían", "hubiera", "hubieran", "haya", "hayan", "hayamos", "habrá",
    "habrán", "hubo", "a",
})
#: Irregular participles (regular ones end in -ado/-ido).
_IRREGULAR_PARTICIPLES = frozenset({
    "sido", "ido", "hecho", "dicho", "visto", "abierto", "escrito", "vuelto", "devuelto",
    "resuelto", "cubierto", "descubierto", "roto", "muerto",
})
#: Words in -ado/-ido that are also nouns after the preposition "a" ("pasar a estado de
#: alarma", "a pedido de los vecinos", "acceso a contenido"): never read as participles.
_PARTICIPLE_NOUNS = frozenset({
    "estado", "partido", "sentido", "contenido", "pedido", "cuidado", "resultado", "mercado",
    "lado", "pasado", "grado", "significado", "apartado", "llamado", "mandado", "comunicado",
    "juzgado", "abogado", "delegado", "diputado", "empleado", "jubilado", "afectado",
    "invitado", "helado", "pescado", "ruido", "sonido", "vestido", "tejido", "marido",
    "apellido", "olvido", "senado", "soldado", "cuñado", "agrado", "nado", "dado", "puesto",
    "impuesto",
})
#: Verbs after which "a ver" is "haber" ("puede a ver" -> "puede haber"); "va a ver" is
#: left, since it may mean "will see".
_MODALS = frozenset({"puede", "pueden", "podría", "podrían", "debe", "deben", "debería",
                     "deberían", "suele", "suelen"})
#: Words before "a" + a participle used as an adjective: "olor a quemado", "huele a podrido".
_SMELL = frozenset({"olor", "olores", "huele", "huelen", "olía", "sabe", "saben", "sabor",
                    "suena"})
#: Short infinitives the verb analysis leaves out (stems of under three letters).
_SHORT_INFINITIVES = frozenset({"ver", "ser", "dar", "ir", "oír", "reír", "leer", "creer"})
#: Words that ask: "a ver si", "a ver qué", "a ver cómo".
_QUESTION_WORDS = frozenset({
    "si", "qué", "que", "cómo", "como", "cuándo", "cuando", "dónde", "donde", "quién", "quien",
    "cuál", "cuánto", "cuánta", "cuántos", "cuántas",
})
#: Words before "hasta" but never before "asta" (a flagpole, a horn): the article-like words
#: "asta" takes ("el asta", "a media asta") stay out.
_ASTA_KEEPS = frozenset({
    "el", "un", "del", "al", "media", "su", "sus", "cada", "este", "ese", "aquel", "otro",
    "las", "los", "la", "una",
})
#: Words next to "serrada" when it means sawn or serrated (wood, a blade, a leaf).
_SAWN = frozenset({"madera", "maderas", "hoja", "hojas", "borde", "bordes", "cuchilla",
                   "cuchillas", "tabla", "tablas", "tronco", "troncos", "sierra"})
#: What follows "asen" when it is "asar" (to roast): an object or "bien" ("asen la carne").
_ROAST_OBJECTS = frozenset({"bien", "la", "el", "las", "los", "su", "sus", "carne", "pollo",
                            "pescado", "verduras", "castañas"})
#: Words before the noun "hecho" but never before the verb "echo" ("lo echo" is left).
_HECHO_DETERMINERS = frozenset({"el", "un", "este", "ese", "de"})
#: Words before a subjunctive ("que vaya", "no vaya", "que haya").
_SUBJUNCTIVE_CUES = frozenset({"que", "no", "lo", "le", "les", "me", "te", "nos", "quien",
                               "cuando", "ojalá"})
#: Determiners before a noun "valla" but never before the verb "vaya" ("la" is left out:
#: "no la vaya a perder").
_VALLA_DETERMINERS = frozenset({"una", "unas", "esta", "estas", "esa", "esas", "nueva",
                                "nuevas"})
#: Greetings-to words after a sentence-initial "Ola" ("Ola a todos", "Ola vecinos").
_GREETED = frozenset({"a", "vecinos", "vecinas", "amigos", "amigas", "todos", "todas",
                      "familia", "buenos", "buenas"})
#: Before "tubo" when it is "tuvo" ("no tubo", "se tubo que"): not a determiner.
_TUVO_CUES = frozenset({"no", "se", "lo", "le", "ya", "nunca", "también", "quien", "que"})


Rule = Callable[[str | None, str, str | None], tuple[str, str] | None]


def _rule(*before: Iterable[str]) -> Callable[[Rule], Rule]:
    """Name the words before it that a rule compares the word before with (``prev``):
    a rule reads the word before only as one of these, None (a break or the post's edge)
    or anything else, so every other word before reads as a non-word and the homophones of
    a middle token are judged once for all of them (`homophones_between`)."""
    def mark(rule: Rule) -> Rule:
        rule.before = frozenset().union(*before)  # type: ignore[attr-defined]
        return rule
    return mark


def _is_participle(word: str | None) -> bool:
    """A singular masculine participle: "sido", "publicado", "hecho" (not a noun like "estado")."""
    if word is None or word in _PARTICIPLE_NOUNS:
        return False
    if word in _IRREGULAR_PARTICIPLES:
        return True
    return word.endswith(("ado", "ido")) and any(
        ending in ("ado", "ido") for ending, _z in _verb_analyses(fold(word)))


def _is_infinitive(word: str | None) -> bool:
    """An infinitive ("partir", "ver"), not "lugar" ("no ha lugar")."""
    if word is None or word == "lugar":
        return False
    return word in _SHORT_INFINITIVES or (word.endswith(("ar", "er", "ir")) and any(
        ending in ("ar", "er", "ir") for ending, _z in _verb_analyses(fold(word))))


@_rule(_SMELL)
def _a_ha(prev: str | None, word: str, nxt: str | None) -> tuple[str, str] | None:
    """a/ha: "a sido" -> "ha sido" (a participle after "a"; "a estado de alarma" is left,
    see _PARTICIPLE_NOUNS); "ha partir" -> "a partir" (an infinitive after "ha"); "e visto"
    -> "he visto" ("e" before a participle that does not begin with i: "padres e hijos")."""
    if word == "a" and _is_participle(nxt) and prev not in _SMELL:
        return f"a {nxt}", f"ha {nxt}"
    if word == "ha" and _is_infinitive(nxt):
        return f"ha {nxt}", f"a {nxt}"
    if word == "e" and _is_participle(nxt) and not nxt.startswith(("i", "hi")):
        return f"e {nxt}", f"he {nxt}"
    return None


@_rule(_MODALS, {"vamos"})
def _haber_a_ver(prev: str | None, word: str, nxt: str | None) -> tuple[str, str] | None:
    """haber/a ver: "Haber si..." -> "A ver si" (at a sentence start, before a question
    word), "vamos haber" -> "vamos a ver"; "puede a ver" -> "puede haber" (after poder or
    deber, "a ver" is never "to see")."""
    if word == "haber" and prev is None and nxt in _QUESTION_WORDS:
        return f"haber {nxt}", f"a ver {nxt}"
    if word == "haber" and prev == "vamos":
        return "vamos haber", "vamos a ver"
    if word == "a" and nxt == "ver" and prev in _MODALS:
        return f"{prev} a ver", f"{prev} haber"
    return None


@_rule(_ASTA_KEEPS)
def _asta(prev: str | None, word: str, nxt: str | None) -> tuple[str, str] | None:
    """asta/hasta: "asta" is "hasta" unless an article or "media" comes before it."""
    return None if prev in _ASTA_KEEPS else (word, "h" + word)


@_rule(_SAWN)
def _serrada(prev: str | None, word: str, nxt: str | None) -> tuple[str, str] | None:
    """serrada/cerrada: sawn only next to wood, a blade or a leaf (_SAWN)."""
    if prev in _SAWN or nxt in _SAWN:
        return None
    return word, "c" + word[1:]


@_rule()
def _asen(prev: str | None, word: str, nxt: str | None) -> tuple[str, str] | None:
    """hacen/asen: "asen" is "hacen" unless an object or "bien" follows ("asen la carne")."""
    return None if nxt in _ROAST_OBJECTS else (word, "hacen")


@_rule(_HABER, _HECHO_DETERMINERS)
def _echo(prev: str | None, word: str, nxt: str | None) -> tuple[str, str] | None:
    """echo/hecho: after a form of haber ("ha echo") or a determiner or "de" ("el echo de
    que", "de echo"); "echo de menos" (from echar) is left."""
    if prev in _HABER or prev in _HECHO_DETERMINERS:
        return f"{prev} echo", f"{prev} hecho"
    return None


@_rule(_SUBJUNCTIVE_CUES, _VALLA_DETERMINERS)
def _vaya_valla(prev: str | None, word: str, nxt: str | None) -> tuple[str, str] | None:
    """vaya/valla: "que valla", "no valla" -> "vaya" (subjunctive; "¡Valla!" alone too);
    "que baya" -> "vaya"; "una vaya" -> "una valla" (a noun after a determiner)."""
    if word in ("valla", "baya") and (prev in _SUBJUNCTIVE_CUES or (
            prev is None and nxt is None)):
        return (f"{prev} {word}", f"{prev} vaya") if prev else (word, "vaya")
    if word in ("vaya", "vayas") and prev in _VALLA_DETERMINERS:
        return f"{prev} {word}", f"{prev} {word.replace('y', 'll')}"
    return None


@_rule(_SUBJUNCTIVE_CUES)
def _aya(prev: str | None, word: str, nxt: str | None) -> tuple[str, str] | None:
    """haya/aya: "que aya", "no aya" -> "haya" ("aya", a governess, takes an article)."""
    return (f"{prev} aya", f"{prev} haya") if prev in _SUBJUNCTIVE_CUES else None


@_rule({"por"})
def _hay_ahi(prev: str | None, word: str, nxt: str | None) -> tuple[str, str] | None:
    """ahí/hay: "por hay" -> "por ahí"."""
    return ("por hay", "por ahí") if prev == "por" else None


@_rule(_TUVO_CUES)
def _tubo(prev: str | None, word: str, nxt: str | None) -> tuple[str, str] | None:
    """tuvo/tubo: "tubo lugar" -> "tuvo lugar"; "no tubo", "se tubo" -> "tuvo"."""
    if nxt == "lugar":
        return "tubo lugar", "tuvo lugar"
    return (f"{prev} tubo", f"{prev} tuvo") if prev in _TUVO_CUES else None


@_rule()
def _ola(prev: str | None, word: str, nxt: str | None) -> tuple[str, str] | None:
    """hola/ola: "Ola" opening a sentence that greets ("Ola a todos", "¡Ola!"); "segunda
    ola", "ola de calor" are left."""
    if prev is None and (nxt is None or nxt in _GREETED):
        return word, "hola"
    return None


#: Written word -> the rules that may flag it (each pair's rule is one function above).
CONFUSABLES = {
    "a": (_a_ha, _haber_a_ver), "ha": (_a_ha,), "e": (_a_ha,), "haber": (_haber_a_ver,),
    "asta": (_asta,), "serrada": (_serrada,), "serrado": (_serrada,),
    "serradas": (_serrada,), "serrados": (_serrada,), "asen": (_asen,), "echo": (_echo,),
    "valla": (_vaya_valla,), "baya": (_vaya_valla,), "vaya": (_vaya_valla,),
    "vayas": (_vaya_valla,), "aya": (_aya,), "hay": (_hay_ahi,), "tubo": (_tubo,),
    "ola": (_ola,),
}

# Pieces of a raw token for context: words, hashtags of letters (a neighbour reads them as
# their word: "#olor a quemado"), breaks (and the edges of the post), and the things that
# are neither (numbers, mentions, emoji names), which stand between two words.
_CONTEXT_PIECES = re.compile(
    r"(?P<tag>#[^\W\d_]+(?!\w))|(?P<other>[@#]\w+|:[^\s:]*[A-Za-z][^\s:]*:|&#?\w+;|\w*\d\w*)"
    r"|(?P<word>[^\W\d_]+)|(?P<brk>[.!?…¡¿\n])")
_OTHER = ""
_EDGE = ((None, ""),)  # the edge of a post reads as a break


@lru_cache(maxsize=1 << 18)
def _context_items(raw: str) -> tuple[tuple[str | None, str], ...]:
    """(lower-case word, "" for a non-word, None for a break; the word as written).

    Cached: a token is read once for every distinct (previous, token, next) triple it is
    part of, and a frequent word ("a", "de") stands in hundreds of thousands of them."""
    items: list[tuple[str | None, str]] = []
    for m in _CONTEXT_PIECES.finditer(unicodedata.normalize("NFKC", raw)):
        piece = m.group()
        kind = m.lastgroup
        lower = piece.lstrip("#").lower() if kind in ("word", "tag") else None
        items.append((_OTHER if kind == "other" else lower, piece))
    return tuple(items)


def word_before(prev: str) -> str | None:
    """What the first word of a raw token reads as the word before it when the raw token
    `prev` comes before: its last word in lower case, "" for a non-word, None for a break,
    a token without pieces and the post's edge ("")."""
    items = _context_items(prev) if prev else _EDGE
    return items[-1][0] if items else None


def word_after(nxt: str) -> str | None:
    """What the last word of a raw token reads as the word after it when the raw token
    `nxt` follows: as `word_before`, and a capitalised word is a name, not a neighbour the
    rules read ("a Alumbrado Público"): a non-word."""
    items = _context_items(nxt) if nxt else _EDGE
    if not items:
        return None
    lower, written = items[0]
    if lower and written[0].isupper() and written[1:].islower():
        return _OTHER
    return lower


def context_read(raw: str) -> tuple[frozenset[str] | None, bool]:
    """What the homophones of the raw token `raw` read around it: the words before it its
    first word's rules compare with (None when its first word reads nothing before it: it
    is no word of CONFUSABLES), and whether its last word reads the word after it. Any
    other word before reads as a non-word (see `_rule`)."""
    items = _context_items(raw)
    if not items:
        return None, False
    first, last = items[0], items[-1]
    before = frozenset().union(*(rule.before for rule in CONFUSABLES[first[0]])) \
        if _may_flag(first) else None
    return before, _may_flag(last)


def _may_flag(item: tuple[str | None, str]) -> bool:
    lower, written = item
    return bool(lower) and lower in CONFUSABLES and not written.startswith("#")


@lru_cache(maxsize=1 << 16)
def homophones_between(before: str | None, raw: str,
                       after: str | None) -> tuple[tuple[str, str, str], ...]:
    """(phrase, "homophone", suggestion) for each word of the raw token `raw` that a rule of
    CONFUSABLES flags, given the word before it and the word after it (`word_before`,
    `word_after`).

    Words in lower case or capitals are judged ("ASEN"); a capitalised one only at a
    sentence start ("Asta mañana"), since mid-sentence it is a name ("Serrada", a village).
    A word the spelling check already flags is left to it, and a capitalised word after
    it is a name, not a neighbour the rules read ("a Alumbrado Público").
    """
    here = _context_items(raw)
    found = []
    for k, (lower, written) in enumerate(here):
        if not _may_flag((lower, written)):
            continue
        left = here[k - 1][0] if k > 0 else before
        if k + 1 < len(here):
            right = here[k + 1][0]
            if right and here[k + 1][1][0].isupper() and here[k + 1][1][1:].islower():
                right = _OTHER
        else:
            right = after
        shape_ok = written.islower() or written.isupper() or (
            left is None and written[0].isupper() and written[1:].islower())
        if not shape_ok or check_word(written) is not None:
            continue
        for rule in CONFUSABLES[lower]:
            verdict = rule(left, lower, right)
            if verdict is not None:
                found.append((verdict[0], "homophone", verdict[1]))
                break
    return tuple(found)
