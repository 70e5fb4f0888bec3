"""Personal data in a text: found, counted and masked before any text is quoted.

An audit quotes texts as evidence (a complaint left unanswered, a post in capitals); a
citizen's identity number or phone in that quote would leave the tool with the report. This
module finds the personal data of the Spanish-speaking countries in a text and masks each
piece with its kind, in the reader's language ("[documento]", "[teléfono]"):

    national_id  Spain DNI and NIE (check letter, Real Decreto 1553/2005 and Orden
                 INT/2058/2008: number mod 23 over TRWAGMYFPDXBNJZSQVHLCKE; NIE's X/Y/Z
                 read as 0/1/2); Mexico CURP (18 characters: name letters, birth date, sex,
                 state, consonants; RENAPO's Instructivo normativo) and a person's RFC (13
                 characters, SAT; a company's has 12 and is not personal); Argentina
                 CUIL/CUIT of a person (prefix 20, 23, 24 or 27, mod 11 check digit over
                 weights 5432765432, AFIP); Chile RUT/RUN (mod 11 over weights 2-7, "K" for
                 10, Servicio de Registro Civil; below 50 million, since companies' are
                 above); any number of six digits or more written after the name of a
                 document (DNI, NIE, cédula, C.C., C.I., RUT, CURP, pasaporte...): the
                 Argentine and Peruvian DNI, the Colombian, Ecuadorian, Uruguayan or
                 Venezuelan cédula carry no check that a text keeps
    phone        numbers with a country code (+34, 0052...), and numbers of 8 to 11 digits
                 grouped as phones are written (612 345 678, (55) 1234-5678, 4123-4567) or
                 after a word that announces one (teléfono, llame al, WhatsApp, celular);
                 not an amount (a currency or a unit beside it), nor a service line of an
                 institution (Spain 800/900, Mexico 800, Colombia 01 8000, 0800 numbers)
    email        every address, except a public body's (gob, gov, gouv, edu domains) and a
                 service mailbox (info@, contacto@, prensa@, citas@...)
    handle       an @user that is not one of the audited institutions' own handles
    record       a clinical record, case or file number: "historia clínica 12345",
                 "HC 12345", "NHC: 998877", "nº de expediente 2026/1234", "radicado 2026..."
    name         a name after an introduction or before a signature ("Hola, soy María
                 Pérez", "Atentamente, Juan García", "Fdo.: Ana Ruiz"), after a relative
                 ("mi hijo Pablo") or a patient ("paciente Juan Pérez"), with its capitals

Each piece found is a ``Found`` that says whether it ``exposes`` someone: every kind but
handles, and names only after a relative or a patient. Masking hides every piece (a quote
never repeats a mention nor a signature), while a post of the institution is reported as
exposing personal data only for the pieces that do (mentioning an account or signing as the
librarian is what official accounts do; showing a patient's name or a citizen's phone is
not). On the Ministry of Health's 1,552 real tweets no post exposes anything
(``bench/validate_privacy.py`` prints the count and a sample of masked posts).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.messages import LANGS, text

__all__ = ["KINDS", "Found", "exposed_kinds", "exposing_posts", "find", "mask", "masked",
           "masks", "may_expose", "may_hold"]

#: The kinds of personal data, in the order evidence lists them; each has its mask in the
#: catalogue (privacy.mask_<kind>).
KINDS = ("national_id", "phone", "email", "handle", "record", "name")

#: Contact data: it exposes someone only beside a piece that identifies a person (an
#: institution's post gives its own phones and addresses; a patient's phone comes with the
#: patient's name or record).
_CONTACT = ("phone", "email")
#: Digits a phone number has without its country code (Spain 9; Mexico, Colombia 10;
#: Chile, Peru 9; Argentina 10-11 with its 9 or 15; Central America 8).
PHONE_DIGITS = (8, 11)
#: Digits of a number with its country code (E.164 allows up to 15).
INTERNATIONAL_DIGITS = (9, 15)
#: Digits a number written after a document's name must have to be taken for its number.
ID_MIN_DIGITS = 6

_UPPER = "A-ZÁÉÍÓÚÑÜ"
_LOWER = "a-záéíóúñüç"
_WORD = rf"(?:[{_UPPER}][{_LOWER}]+|[{_UPPER}]{{2,}})"
#: A name: one to three capitalised words, maybe joined by "de", "del", "de la".
_NAME = (rf"{_WORD}(?:[ \t]+(?:de(?:l| la| los)?[ \t]+)?{_WORD}){{0,2}}")
#: Words that start with a capital at the start of a clause but are no name.
_NOT_NAMES = frozenset("""
a al ante bajo con contra de del desde el ella en entre es esta este esto ha hace hay la
las le les lo los me mi mis muy nada ni no nos nuestra nuestro o para pero por porque que
qué se si sin sobre su sus también te tiene todo todos tras tu un una y ya yo hoy ayer
mañana usted ustedes gracias hola buenos buenas días tardes noches saludos covid
""".split())

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_CURP = re.compile(r"\b[A-Z][AEIOUX][A-Z]{2}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
                   r"[HMX](?:AS|BC|BS|CC|CL|CM|CS|CH|DF|DG|GT|GR|HG|JC|MC|MN|MS|NT|NL|OC|PL|"
                   r"QT|QR|SP|SL|SR|TC|TS|TL|VZ|YN|ZS|NE)[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d\b")
_RFC = re.compile(r"\b[A-ZÑ&]{4}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[A-Z\d]{2}[A\d]\b")
_DNI = re.compile(r"(?<![\w.-])(?:([XYZ])[ .-]?)?(\d{1,2}\.?\d{3}\.?\d{3})[ -]?([A-Z])\b")
_CUIL = re.compile(r"(?<![\w.-])(20|23|24|27)[ -]?(\d{8})[ -]?(\d)(?![\w-])")
_RUT = re.compile(r"(?<![\w.-])(\d{1,2}\.?\d{3}\.?\d{3})-([\dkK])(?![\w-])")
#: What comes between a document's or a record's name and its number: "nº", "número", ":".
_NUMBERED = r"(?i:\s*(?:n[º°o.]*|n[uú]mero|no\.|es\b|#|:|-)\s*)*"
_ID_AFTER_NAME = re.compile(
    r"(?:\b(?:DNI|D\.N\.I\.?|NIE|NIF|CURP|RFC|CUIL|CUIT|RUT|RUN|C\.C\.?|CC|C\.I\.?|CI|DUI|DPI|"
    r"CIP|INE)|(?i:\bc[ée]dula(?:\s+de\s+(?:ciudadan[ií]a|identidad))?|\bpasaporte|"
    r"\bdocumento(?:\s+(?:de\s+identidad|nacional\s+de\s+identidad))?|"
    r"\bcarn[eé]t?\s+de\s+identidad))"
    + _NUMBERED + r"\s*"
    r"((?:[VE]-?)?\d(?:[.-]?\d| \d){4,16}(?:-?[A-Za-z])?)(?![\w])")
_PHONE_CUE = re.compile(r"(?i:tel[ée]fono|\btel\b|\btlf|\btfno|\bll[aá]m\w*|whats\s?app|\bwsp|"
                        r"\bm[oó]vil|\bcelular|\bcel\b|\bfijo|\bcontacto|\bn[uú]mero|\bnro|"
                        r"\bn[º°])")
_INTERNATIONAL = re.compile(r"(?<![\w+])(?:\+|00)(\d{1,3})(?:[ .-]?\(?\d{1,5}\)?){2,6}"
                            r"(?![\w])")
_NATIONAL = re.compile(r"(?<![\w.,/+:-])\(?\d{2,4}\)?(?:[ .-]?\d{2,4}){1,4}(?![\w]|[.,/:-]\d)")
#: Years and dates that a run of digits may be: "2020-2021", "1897 - 1957", "06-07-22".
_NOT_PHONE = re.compile(r"\(?(?:1[5-9]|20)\d\d\)?\s*[-/ ]\s*(?:(?:1[5-9]|20)\d\d|\d\d)\b.*|"
                        r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b.*")
_SERVICE_LINE = re.compile(r"^(?:8\d\d|90\d|0800|01800|018000|1800)")
_AMOUNT_AFTER = re.compile(r"^\s*(?:€|\$|%|(?i:eur|euros|pesos|soles|d[oó]lares|millones|"
                           r"mil\b|habitantes|personas|casos|dosis|vacunas|kg|km|m2|ha\b|"
                           r"toneladas|litros|unidades|visitas|euros))")
_AMOUNT_BEFORE = re.compile(r"(?:€|\$|US\$|S/\.?|(?i:\bEUR|\bCLP|\bMXN|\bCOP|\bARS))\s*$")
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)")
_PUBLIC_DOMAIN = re.compile(r"(?i)(?:^|\.)(?:gob|gov|gouv|edu)(?:\.|$)")
_SERVICE_MAILBOX = re.compile(
    r"(?i)^(?:info|informaci[oó]n|contact|contacto|prensa|comunicaci[oó]n|atenci[oó]n|cita|"
    r"registro|secretar[ií]a|oficina|buz[oó]n|sugerencias|participaci[oó]n|transparencia|"
    r"administraci[oó]n|admin|consultas|soporte|ayuda|web|noticias|cultura|biblioteca|"
    r"turismo|empleo|alcald[ií]a|ayuntamiento|sac|pqr|quejas|reclamaciones|protocolo|"
    r"gabinete|no-?reply|noreply|sanidad|salud|farmacovigilancia|suscripciones)")
_HANDLE = re.compile(r"(?<![\w@.])@(\w{2,30})\b(?!\.\w)")
_RECORD = re.compile(
    r"(?:(?i:\bhistorias?\s+cl[ií]nicas?|\bexpedientes?\s+(?:m[ée]dico|cl[ií]nico)s?|"
    r"\bn[uú]mero\s+de\s+(?:paciente|historia|afiliaci[oó]n|afiliado|seguridad\s+social)|"
    r"\btarjeta\s+sanitaria)|\bN\.?H\.?C\.?|\bH\.?C\.?|\bNSS)"
    + _NUMBERED + r"\s*([A-Z]{0,3}[-/ ]?\d(?:[./-]?\d| \d){2,18})")
_CASE = re.compile(
    r"(?i:\bn[º°o.]*\s*(?:de\s+)?(?:expediente|caso|radicado|solicitud|reclamo|reclamaci[oó]n|"
    r"ticket|tr[aá]mite)|\b(?:expediente|radicado|ticket))"
    + _NUMBERED + r"\s*([A-Z]{0,3}[-/ ]?\d(?:[./-]?\d| \d){2,18})")
_RELATIVE = re.compile(
    r"(?i:\b(mi|su|nuestr[oa])\s+(?:hij[oa]|niñ[oa]|beb[ée]|niet[oa]|madre|padre|mam[aá]|"
    r"pap[aá]|marido|espos[oa]|mujer|herman[oa]|abuel[oa]|pareja|sobrin[oa]|t[ií][oa]))"
    rf"\s*,?\s+({_NAME})")
_PATIENT = re.compile(rf"(?i:\b(paciente|usuari[oa]|menor|beb[ée]|niñ[oa]))\s+({_NAME})")
_INTRODUCTION = re.compile(rf"(?i:\b(?:soy|me\s+llamo|mi\s+nombre\s+es))\s+({_NAME})")
_SIGNATURE = re.compile(
    r"(?i:\b(?:atentamente|cordialmente|saludos\s+cordiales|un\s+saludo|firmado|fdo\.?)|"
    r"\b(?:don|doña|sr\.|sra\.|srta\.|dña\.))"
    rf"\s*[,:.-]?\s*({_NAME})")

#: Texts with none of these cannot hold personal data: most posts are skipped with one search.
_MAYBE = re.compile(r"\d{3}|@|(?i:soy|llamo|nombre|atentamente|cordialmente|saludo|firmado|"
                    r"fdo|don|doña|sr|paciente|usuari|menor|beb|niñ|mi |su |nuestr)")

#: What a text must hold for any pattern above to find something in it, as one RE2
#: expression (pyarrow's) that scans a million texts in a fraction of a second, so that the
#: exact search runs only on the few texts that pass. Each branch is looser than the patterns
#: it stands for, never tighter: RE2 has no look-behind, so "not after a letter, digit, "_",
#: "." or "-"" is written as the text's start or one character that is none of the ASCII
#: ones (``_AFTER``), which every character Python's look-behind accepts is; word
#: boundaries are dropped; what may come between a cue and its number ("nº", "número", ":",
#: spaces, up to three capitals) is widened to any run without a digit, since none of it is
#: a digit. The branches:
#:   - an identity number (``_ID_NUMBERS``): four capitals and six digits (CURP, RFC); after
#:     ``_AFTER``, seven or eight digits with dots between (DNI, NIE, RUT), then a letter or
#:     a "-" and a check character; a CUIL's prefix and its digits; a document's name, then
#:     five digits with one ".", "-" or space between two;
#:   - a clinical record or a case: its cue, then three digits with at most one separator
#:     between two (``_RECORD``, ``_CASE``);
#:   - a phone: "+" and a digit, "00" not after a letter, digit, "_" or "+", or, not after
#:     a letter, digit, "_", ".", ",", "/", "+", ":" or "-", the eight digits a phone
#:     without its country code has at least (``PHONE_DIGITS``), maybe with a bracket and
#:     one ".", "-" or space between two (``_PHONES``);
#:   - "@": e-mail addresses and handles;
#:   - a name's cue (its last word), then no letter or digit, then a capital: names.
#: ``\p{Nd}`` is the set of digits Python's ``\d`` matches; the capitals are those of
#: ``_UPPER``, matched with case as the name patterns match them. Numbers inside links
#: ("bit.ly/a4cd5899") mostly follow a letter, "/" or ".", and are left out.
_AFTER = r"(?:^|[^A-Za-z0-9_.\-])"
_THREE_DIGITS = r"\p{Nd}[./\- ]?\p{Nd}[./\- ]?\p{Nd}"
_DOCUMENT_CUE = (r"(?:DNI|D\.N\.I|NIE|NIF|CURP|RFC|CUIL|CUIT|RUT|RUN|C\.C|CC|C\.I|CI|DUI|DPI|"
                 r"CIP|INE|(?i:c[ée]dula|pasaporte|documento|carn[eé]))")
_ID_NUMBERS = (
    r"[A-ZÑ&]{4}\p{Nd}{6}|"
    rf"{_AFTER}(?:[XYZ][ .\-]?)?\p{{Nd}}(?:\.?\p{{Nd}}){{6,7}}(?:[ \-]?[A-Z]|-[\p{{Nd}}kK])|"
    rf"{_AFTER}2[0347][ \-]?\p{{Nd}}{{8}}[ \-]?\p{{Nd}}|"
    rf"{_DOCUMENT_CUE}[^\p{{Nd}}]*\p{{Nd}}(?:[.\- ]?\p{{Nd}}){{4}}")
_RECORD_CUE = (r"(?:(?i:historia|expediente|paciente|afiliaci[oó]n|afiliado|seguridad|"
               r"sanitaria)|H\.?C|NSS)")
_CASE_CUE = (r"(?i:expediente|caso|radicado|solicitud|reclamo|reclamaci[oó]n|ticket|"
             r"tr[aá]mite)")
_PHONES = (r"\+\p{Nd}|(?:^|[^A-Za-z0-9_+])00|"
           r"(?:^|[^A-Za-z0-9_.,/+:\-])\(?\p{Nd}"
           rf"(?:\)?[ .\-]?\p{{Nd}}){{{PHONE_DIGITS[0] - 1}}}")
_NAME_CUE = (
    r"(?i:hij[oa]|niñ[oa]|beb[ée]|niet[oa]|madre|padre|mam[aá]|pap[aá]|marido|espos[oa]|"
    r"mujer|herman[oa]|abuel[oa]|pareja|sobrin[oa]|t[ií][oa]|paciente|usuari[oa]|menor|soy|"
    r"me[^\p{L}\p{N}]+llamo|nombre[^\p{L}\p{N}]+es|atentamente|cordialmente|cordiales|"
    r"saludo|firmado|fdo|don|doña|sr\.|sra\.|srta\.|dña\.)"
    rf"[^\p{{L}}\p{{N}}]*[{_UPPER}]")
#: The branches by the searches they stand for (``_SEARCHES``): a text that passes none of
#: a search's branches gets nothing from that search, which is skipped.
_GATES = {"national_id": _ID_NUMBERS, "phone": _PHONES, "at": "@",
          "record": rf"{_RECORD_CUE}[^\p{{Nd}}]*{_THREE_DIGITS}|"
                    rf"{_CASE_CUE}[^\p{{Nd}}]*{_THREE_DIGITS}",
          "name": _NAME_CUE}
_CANDIDATE = "|".join(_GATES.values())
_ALL = frozenset(_GATES)
#: The same for the pieces that expose someone (``Found.exposes`` before contact data join
#: them), which are all a post needs to be reported: an identity number, a clinical record
#: and a name after "mi" and a relative or after a patient's cue.
_EXPOSING = (
    rf"{_ID_NUMBERS}|{_RECORD_CUE}[^\p{{Nd}}]*{_THREE_DIGITS}|"
    r"(?i:mi[^\p{L}\p{N}]+(?:hij[oa]|niñ[oa]|beb[ée]|niet[oa]|madre|padre|mam[aá]|pap[aá]|"
    r"marido|espos[oa]|mujer|herman[oa]|abuel[oa]|pareja|sobrin[oa]|t[ií][oa])|paciente|"
    r"usuari[oa])"
    rf"[^\p{{L}}\p{{N}}]*[{_UPPER}]")
#: The cues' letters: Python matches a few other characters to them when case is ignored
#: ("ſ" to "s", "K" to "k", "İ" and "ı" to "i"), some of which RE2 does not; a text holding
#: one of these goes to the exact search whatever the expression says.
_CUE_LETTERS = "a-zñáéíóúü"


@cache
def _odd_letters() -> str:
    """Alternatives of every character other than the cues' letters that Python, ignoring
    case, takes for one of them (found by asking Python about every character of the Basic
    Multilingual Plane, where all such characters are; the tests check the other planes)."""
    same = re.compile(rf"(?i)[{_CUE_LETTERS}]")
    odd = [c for c in map(chr, range(128, 0x10000))
           if same.fullmatch(c) and not re.fullmatch(rf"[{_CUE_LETTERS}{_CUE_LETTERS.upper()}]",
                                                     c)]
    return "".join(f"|\\x{{{ord(c):x}}}" for c in odd)


def _matches(texts: pd.Series, pattern: str) -> np.ndarray:
    arr = pc.fill_null(pa.array(texts, type=pa.large_string(), from_pandas=True), "")
    return pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False).astype(bool)


def may_hold(texts: pd.Series) -> np.ndarray:
    """Which texts may hold personal data: a boolean array aligned with ``texts``, true for
    every text in which ``find`` finds something (and a few more), false for missing ones."""
    return _matches(texts, _CANDIDATE + _odd_letters())


def may_expose(texts: pd.Series) -> np.ndarray:
    """Which texts may expose someone's personal data: true for every text whose
    ``exposed_kinds`` is not empty (and a few more)."""
    return _matches(texts, _EXPOSING + _odd_letters())


def exposing_posts(texts: pd.Series) -> pd.Series:
    """The kinds of personal data each text exposes (``exposed_kinds``), only for the texts
    that expose some, with their index: the exact search runs on the texts ``may_expose``
    lets through, since the others expose nothing."""
    kinds = texts[may_expose(texts)].map(exposed_kinds)
    return kinds[kinds.map(bool).to_numpy(dtype=bool)]


@dataclass(frozen=True)
class Found:
    """One piece of personal data: its kind, where it is and whether it exposes someone."""

    kind: str
    start: int
    end: int
    exposes: bool = True


def find(text: str, own_handles: Iterable[str] = ()) -> list[Found]:
    """Every piece of personal data in ``text``, by position, overlaps resolved in favour of
    the longer piece. ``own_handles`` are the audited institutions' handles (lower case,
    without "@"), which are no one's personal data."""
    if not isinstance(text, str) or not _may_hold_one(text):
        return []
    own = _own(own_handles if isinstance(own_handles, frozenset) else frozenset(own_handles))
    return list(_found(text, own))


def _may_hold_one(text: str) -> bool:
    """``_MAYBE.search``, an "@" first: a text with a mention or an address (most of those
    a detail table masks) holds one of ``_MAYBE``'s branches, found without the slower
    search of its case-insensitive words."""
    return "@" in text or bool(_MAYBE.search(text))


#: Texts whose pieces are kept in memory: a check searches the same text for its quoted
#: example and for its details table, and the political and accountability checks quote
#: many of the same posts.
FOUND_CACHE_TEXTS = 1 << 14
#: Characters of those texts, all together: the memory they hold stays bounded whatever their
#: length (16,384 posts of a few hundred characters fit; a few very long texts push older
#: ones out instead of holding hundreds of megabytes). A text longer than this is not kept.
FOUND_CACHE_CHARS = 1 << 22


class _FoundCache:
    """The pieces found in the texts searched last, keyed by text and own handles, the least
    recently used let go first once either bound is passed. ``functools.lru_cache`` bounds
    entries only; one lock keeps the count of characters right when the app's sessions
    search from several threads."""

    def __init__(self, max_texts: int, max_chars: int) -> None:
        self.max_texts, self.max_chars = max_texts, max_chars
        self._entries: OrderedDict[tuple[str, frozenset[str]], tuple[Found, ...]] = (
            OrderedDict())
        self._chars = 0
        self._lock = threading.Lock()

    def __call__(self, text: str, own: frozenset[str],
                 searches: frozenset[str] = _ALL) -> tuple[Found, ...]:
        key = (text, own)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        found = _search(text, own, searches)
        if len(text) <= self.max_chars:
            with self._lock:
                if key not in self._entries:
                    self._entries[key] = found
                    self._chars += len(text)
                    while len(self._entries) > self.max_texts or self._chars > self.max_chars:
                        (old, _), _ = self._entries.popitem(last=False)
                        self._chars -= len(old)
        return found

    def sizes(self) -> tuple[int, int]:
        """The texts kept and their characters."""
        with self._lock:
            return len(self._entries), self._chars

    def cache_clear(self) -> None:
        """Let every text go (a benchmark measuring a fresh process's work starts here)."""
        with self._lock:
            self._entries.clear()
            self._chars = 0


def _search(text: str, own: frozenset[str], searches: frozenset[str] = _ALL
            ) -> tuple[Found, ...]:
    """``find`` for a text that may hold personal data, with the own handles normalised.
    Only the ``searches`` named run (``_GATES``' names): the others are known to find
    nothing in it, and the pieces keep their order either way."""
    found = [*(_national_ids(text) if "national_id" in searches else ()),
             *(_phones(text) if "phone" in searches else ()),
             *(_emails(text) if "at" in searches else ()),
             *(_records(text) if "record" in searches else ()),
             *(_names(text) if "name" in searches else ())]
    if "at" in searches:
        found += [Found("handle", m.start(), m.end(), exposes=False)
                  for m in _HANDLE.finditer(text) if m.group(1).lower() not in own]
    kept: list[Found] = []
    for piece in sorted(found, key=lambda p: (p.start, -(p.end - p.start))):
        if kept and piece.start < kept[-1].end:
            continue
        kept.append(piece)
    if any(p.exposes for p in kept):  # a phone or an address beside a person is theirs
        kept = [replace(p, exposes=True) if p.kind in _CONTACT else p for p in kept]
    return tuple(kept)


_found = _FoundCache(FOUND_CACHE_TEXTS, FOUND_CACHE_CHARS)


@lru_cache(maxsize=8)
def _own(handles: frozenset[str]) -> frozenset[str]:
    """The handles as mentions are compared: lower case, without "@" (once per set of
    handles, not once per text: an audit quotes thousands of texts with the same set)."""
    return frozenset(h.lower().lstrip("@") for h in handles)


def masks(texts: pd.Series, lang: str | None, own_handles: Iterable[str] = ()
          ) -> dict[str, str]:
    """``mask`` of every text of ``texts`` that may hold personal data, by text (the others
    are returned as they are by ``mask``). Each gate of ``_GATES`` is one RE2 pass over the
    column, and each text is searched only for the kinds whose gate it passes: most texts a
    detail table masks pass one gate ("@") and skip the other searches."""
    arr = pc.fill_null(pa.array(texts, type=pa.large_string(), from_pandas=True), "")
    odd = _odd_letters()[1:]
    every = (pc.match_substring_regex(arr, odd).to_numpy(zero_copy_only=False).astype(bool)
             if odd else np.zeros(len(arr), dtype=bool))
    gates = {name: pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False)
             .astype(bool) | every for name, pattern in _GATES.items()}
    passed = np.logical_or.reduce(list(gates.values()))
    own = _own(own_handles if isinstance(own_handles, frozenset) else frozenset(own_handles))
    values = texts.to_numpy(dtype="object")
    changed: dict[str, str] = {}
    for i in np.flatnonzero(passed).tolist():
        text = values[i]
        if not isinstance(text, str) or text in changed:
            continue
        searches = frozenset(name for name, hit in gates.items() if hit[i])
        pieces = list(_found(text, own, searches)) if _may_hold_one(text) else []
        changed[text] = _masked_with(text, pieces, lang)
    return changed


def mask(text: str, lang: str | None, own_handles: Iterable[str] = ()) -> str:
    """``text`` with each piece of personal data replaced by its kind: "[teléfono]" in
    Spanish, "[phone]" in English, "[phone]" (the kind's id) without a language, for tables
    that hold data rather than prose."""
    return _masked_with(text, find(text, own_handles), lang)


def _masked_with(text: str, pieces: list[Found], lang: str | None) -> str:
    """``text`` with ``pieces`` (what ``find`` found in it) masked in ``lang``."""
    if not pieces:
        return text
    out, last = [], 0
    for piece in pieces:
        shown = _mask_text(piece.kind, lang) if lang else f"[{piece.kind}]"
        out += [text[last:piece.start], shown]
        last = piece.end
    out.append(text[last:])
    return "".join(out)


def masked(text: str, own_handles: Iterable[str] = ()) -> dict[str, str]:
    """``text`` masked in every language: a value a message renders in its reader's."""
    pieces = find(text, own_handles)
    return {lang: _masked_with(text, pieces, lang) for lang in LANGS}


def exposed_kinds(text: str) -> set[str]:
    """The kinds of personal data that ``text`` exposes (handles and signatures do not).

    Only identity numbers, clinical records and the names after a relative or a patient
    expose someone by themselves (contact data only beside one of them), so a text without
    any of these exposes nothing and skips the other searches (phones cost the most)."""
    if not isinstance(text, str) or not _MAYBE.search(text) or not _may_expose_one(text):
        return set()
    return {p.kind for p in find(text) if p.exposes}


def _may_expose_one(text: str) -> bool:
    """Whether ``text`` holds a piece that exposes someone before overlaps are resolved."""
    return bool(_national_ids(text) or _RECORD.search(text)
                or any(p.exposes for p in _names(text, _NAME_CUES[:2])))


@cache
def _mask_text(kind: str, lang: str) -> str:
    return text(f"privacy.mask_{kind}", lang)


# --- national identity numbers ----------------------------------------------------------------


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def _dni_valid(prefix: str | None, number: str, letter: str) -> bool:
    digits = _digits(number)
    if prefix:  # NIE: X, Y or Z and seven digits
        if len(digits) != 7:
            return False
        digits = str("XYZ".index(prefix)) + digits
    elif len(digits) != 8:
        return False
    return _DNI_LETTERS[int(digits) % 23] == letter


def _cuil_valid(prefix: str, number: str, check: str) -> bool:
    digits = prefix + number
    total = sum(int(d) * w for d, w in zip(digits, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    expected = 11 - total % 11
    expected = 0 if expected == 11 else 9 if expected == 10 else expected
    return expected == int(check)


def _rut_valid(number: str, check: str) -> bool:
    digits = _digits(number)
    if int(digits) >= 50_000_000:  # a company's RUT, not a person's RUN
        return False
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(digits)))
    expected = 11 - total % 11
    shown = "0" if expected == 11 else "K" if expected == 10 else str(expected)
    return shown == check.upper()


def _national_ids(text: str) -> list[Found]:
    found = [Found("national_id", m.start(), m.end())
             for rx in (_CURP, _RFC) for m in rx.finditer(text)]
    found += [Found("national_id", m.start(), m.end()) for m in _DNI.finditer(text)
              if _dni_valid(m.group(1), m.group(2), m.group(3))]
    found += [Found("national_id", m.start(), m.end()) for m in _CUIL.finditer(text)
              if _cuil_valid(*m.groups())]
    found += [Found("national_id", m.start(), m.end()) for m in _RUT.finditer(text)
              if _rut_valid(*m.groups())]
    found += [Found("national_id", m.start(1), m.end(1)) for m in _ID_AFTER_NAME.finditer(text)
              if len(_digits(m.group(1))) >= ID_MIN_DIGITS]
    return found


# --- phones and e-mail addresses ----------------------------------------------------------------


def _is_amount(text: str, start: int, end: int) -> bool:
    return bool(_AMOUNT_AFTER.match(text[end:end + 15])
                or _AMOUNT_BEFORE.search(text[max(0, start - 5):start]))


def _phones(text: str) -> list[Found]:
    found = []
    for m in _INTERNATIONAL.finditer(text):
        digits = _digits(m.group(0))
        local = digits[len(m.group(1)) + (2 if m.group(0).startswith("00") else 0):]
        if (INTERNATIONAL_DIGITS[0] <= len(digits) <= INTERNATIONAL_DIGITS[1]
                and not _SERVICE_LINE.match(local) and not _is_amount(text, *m.span())):
            found.append(Found("phone", m.start(), m.end(), exposes=False))
    cue_ends = None  # the cues' ends, searched only for a number that may be a phone
    for m in _NATIONAL.finditer(text):
        written = m.group(0)
        digits = _digits(written)
        if not PHONE_DIGITS[0] <= len(digits) <= PHONE_DIGITS[1] or _SERVICE_LINE.match(digits):
            continue
        if _is_amount(text, *m.span()) or _NOT_PHONE.fullmatch(written):
            continue
        if cue_ends is None:
            cue_ends = [c.end() for c in _PHONE_CUE.finditer(text)]
        cued = any(0 <= m.start() - end <= 25 for end in cue_ends)
        if cued or _looks_like_phone(written, digits):
            found.append(Found("phone", m.start(), m.end(), exposes=False))
    return found


def _looks_like_phone(written: str, digits: str) -> bool:
    """A number written as phones are, without a word announcing it: a Spanish number of
    nine digits (6, 7, 8 or 9 first) not grouped in thousands, an area code in brackets,
    or groups joined by dashes or spaces that no amount or date uses."""
    groups = re.split(r"[ .()-]+", written.strip("()"))
    groups = [g for g in groups if g]
    thousands = "." in written and all(len(g) == 3 for g in groups[1:])
    if thousands:
        return False
    if written.startswith("("):
        return True
    if len(digits) == 9 and digits[0] in "6789":
        return True
    if len(groups) >= 2 and ("-" in written or " " in written):
        return len(digits) >= 8 and not re.fullmatch(r"(?:19|20)\d\d[-/]\d{1,2}[-/]\d{1,2}",
                                                     written)
    return len(groups) == 1 and len(digits) == 10 and digits[0] == "3"  # Colombian mobile


def _emails(text: str) -> list[Found]:
    return [Found("email", m.start(), m.end(), exposes=False) for m in _EMAIL.finditer(text)
            if not (_PUBLIC_DOMAIN.search(m.group(2)) or _SERVICE_MAILBOX.match(m.group(1)))]


# --- records and names --------------------------------------------------------------------------


def _records(text: str) -> list[Found]:
    found = [Found("record", m.start(1), m.end(1)) for m in _RECORD.finditer(text)]
    return found + [Found("record", m.start(1), m.end(1), exposes=False)
                    for m in _CASE.finditer(text)]


#: The cues of a name, each with the cue words after which the name exposes someone; the
#: first two (a relative, a patient) are those that can expose.
_NAME_CUES = ((_RELATIVE, ("mi",)), (_PATIENT, ("paciente", "usuario", "usuaria")),
              (_INTRODUCTION, ()), (_SIGNATURE, ()))


def _names(text: str, cues: tuple = _NAME_CUES) -> list[Found]:
    """Names after a cue; a name exposes someone after "mi hijo", "paciente", "usuaria" (a
    citizen's relative, a patient), not after "su hija" or "Sr." (an institution speaking of
    a public figure) nor in an introduction or a signature."""
    found = []
    for rx, exposing in cues:
        for m in rx.finditer(text):
            span = _name_span(m.group(m.lastindex), m.start(m.lastindex))
            if span:
                cue = m.group(1).lower() if m.lastindex > 1 else ""
                found.append(Found("name", *span, exposes=cue in exposing))
    return found


def _name_span(name: str, start: int) -> tuple[int, int] | None:
    """The words of ``name`` up to the first that is no name ("María Pérez y..." keeps
    "María Pérez"); None when the first word is none."""
    end = start
    for word in re.finditer(r"\S+", name):
        if word.group(0).lower() in _NOT_NAMES and word.group(0).lower() not in ("de", "del",
                                                                                  "la", "los"):
            break
        end = start + word.end()
    while True:  # a name does not end on a particle ("Pedro de")
        trimmed = re.sub(r"[ \t]+(?:de|del|la|los)$", "", name[:end - start])
        if len(trimmed) == end - start:
            break
        end = start + len(trimmed)
    first = name.split()[0].lower() if name.split() else ""
    return (start, end) if end > start and first not in _NOT_NAMES else None
