"""The cheap pre-filter of personal data (``may_hold``) never drops a text in which the exact
search (``find``) finds something: over every example of the patterns, generated texts made
of the pieces the patterns read, the demo's texts and every Unicode character the two
regular-expression engines could read differently."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.measure.text.personal_data import (
    _CUE_LETTERS,
    _found,
    exposed_kinds,
    exposing_posts,
    find,
    mask,
    masks,
    may_expose,
    may_hold,
)

EXAMPLES = Path(__file__).parent / "data" / "personal_data_examples.csv"
DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo_auditoria_sintetica.xlsx"
#: Texts the privacy tests plant in an audit's posts and complaints.
PLANTED = ["12345678Z", "GODE561231HDFRRN09", "9.876.543-3", "612 345 678", "612345678",
           "+34 612 345 678", "ana.ruiz@gmail.com", "historia clínica 123456",
           "mi hijo Pablo García", "paciente Juan Pérez", "Atentamente, Juan García",
           "Fdo.: Ana Ruiz", "(55) 1234-5678", "4123-4567 llame", "0052 55 1234 5678",
           "DNI 1 2 3 4 5 6", "expediente 2026/1234", "nº de radicado 20261234",
           "@vecina_ana", "Sr. López", "Me llamo\u00a0Ana", "mi nombre\u2003es Lucía",
           "ſoy Ana", "Soy Ana", "tel\u0130fono 55 12 34 56 78", "usuarıa Marta Gil"]


def _examples() -> list[str]:
    with EXAMPLES.open(encoding="utf-8", newline="") as f:
        return [row["text"] for row in csv.DictReader(f)] + PLANTED


def _missed(texts: list[str]) -> list[str]:
    """Texts with personal data that a pre-filter would drop: ``may_hold`` (any piece) or
    ``may_expose`` (a piece that exposes someone)."""
    series = pd.Series(texts, dtype="object")
    held, exposing = may_hold(series), may_expose(series)
    return [t for t, h, e in zip(texts, held, exposing, strict=True)
            if (not h and (find(t) or find(t, ["ayto_villa"]))) or (not e and exposed_kinds(t))]


def test_every_example_of_every_pattern_passes_the_prefilter():
    texts = _examples()
    assert sum(bool(find(t)) for t in texts) >= 40  # the examples do hold personal data
    assert sum(bool(exposed_kinds(t)) for t in texts) >= 20
    assert _missed(texts) == []


def test_most_texts_without_personal_data_are_left_out():
    plain = pd.Series(["Hoy abrimos la biblioteca de 10 a 14 h", "Gracias a todos",
                       "Donde siempre, el parque", "Su opinión cuenta", None,
                       "Horario 9-14 h", "Aforo de 1500 personas", "Desde 1889",
                       "https://bit.ly/440be86989", "Más en https://t.co/12345678",
                       "#Fiestas2025", "Caso resuelto, ver https://bit.ly/a4cd5899"])
    assert not may_hold(plain).any()
    mentions = pd.Series(["Gracias @vecina por la foto", "Escriba a ana@correo.es",
                          "Atentamente, Ana Ruiz", "Tu hijo Pablo", "Llame al 612 345 678"])
    assert may_hold(mentions).all()
    assert not may_expose(mentions).any()
    numbers = pd.Series(["DNI 12.345.678", "X-1234567-L", "historia clínica 123456",
                         "(55) 1234-5678", "0052 55 1234 5678"])
    assert may_hold(numbers).all()
    assert may_expose(numbers[:3]).all()


#: The pieces the patterns are made of: digits and separators, cues, capitals, odd spaces
#: and the characters Python folds to a cue's letter.
_PIECES = st.sampled_from([
    "0", "1", "2", "5", "6", "9", "12", "345", "678", "2026", "12345678", "Z", "K", "X",
    " ", "  ", "-", ".", "/", "(", ")", "+", "00", ":", ",", "º", "nº", "@", "\u00a0", "\n",
    "\u2003", "\u0660", "\u0967", "a", "de", "la", "Ana", "ANA", "Pérez", "García", "María",
    "soy", "Soy", "me llamo", "mi nombre es", "mi hijo", "su hija", "paciente", "usuaria",
    "atentamente", "Un saludo", "Fdo.", "Sr.", "doña", "don", "DNI", "NIE", "RUT", "CURP",
    "cédula", "pasaporte", "teléfono", "llame al", "WhatsApp", "historia clínica", "HC",
    "expediente", "radicado", "gmail.com", "info", ".gob.mx", "€", "euros", "\u017f", "\u0131",
    "\u0130", "\u212a", "ó", "Ñ",
    # what the look-behinds read before a number, and the numbers of links
    "_", "b", "y", "#", "/", "https://bit.ly/", "20", "27", "1234567", "12.345.678", "V-",
    "CI", "C.C.", "NHC", "NSS", "caso", "solicitud", "tarjeta sanitaria", "k", "L",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=14).map("".join))
def test_generated_texts_with_personal_data_pass_the_prefilter(text):
    assert _missed([text]) == []


def test_the_demo_texts_give_the_same_posts_as_the_exact_search():
    found = 0
    for sheet in ("publicaciones", "interacciones"):
        texts = pd.read_excel(DEMO, sheet_name=sheet, dtype=str, engine="calamine")["texto"]
        texts = texts.dropna()
        exact = texts.map(exposed_kinds)
        assert exposing_posts(texts).to_dict() == exact[exact.map(bool)].to_dict()
        found += sum(bool(find(t)) for t in texts)
        assert _missed(texts.tolist()) == []
    assert found > 500  # phones, handles, signatures the pre-filter must let through


def test_re2_digits_cover_every_digit_python_reads():
    digits = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isdecimal()]
    matched = pc.match_substring_regex(pa.array(digits), r"^\p{Nd}$").to_pylist()
    assert all(matched)


def test_no_character_beyond_the_basic_plane_folds_to_a_cue_letter():
    same = re.compile(rf"(?i)[{_CUE_LETTERS}]")
    assert not [c for c in range(0x10000, sys.maxunicode + 1) if same.fullmatch(chr(c))]


def _exposed_by_full_search(text: str) -> set[str]:
    """What ``exposed_kinds`` must return: the exposing kinds of every piece ``find`` keeps,
    without its shortcut for texts holding no piece that exposes by itself."""
    return {p.kind for p in find(text) if p.exposes}


def test_exposed_kinds_equals_the_full_search_on_every_example():
    texts = [*_examples(), "mi hijo Pablo, teléfono 612 345 678", "llame al 612 345 678",
             "DNI 12345678Z y móvil 612 345 678", "Atentamente, Juan García"]
    assert [exposed_kinds(t) for t in texts] == [_exposed_by_full_search(t) for t in texts]
    assert exposed_kinds("mi hijo Pablo, teléfono 612 345 678") == {"name", "phone"}
    assert exposed_kinds("llame al 612 345 678") == set()


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=14).map("".join))
def test_exposed_kinds_equals_the_full_search_on_generated_texts(text):
    assert exposed_kinds(text) == _exposed_by_full_search(text)


def _masks_agree(texts: list[str]) -> bool:
    """``masks`` (each text searched only for the kinds whose gate it passes) masks every
    text as ``mask`` does with every search, in both orders of filling the pieces' cache."""
    series = pd.Series(texts, dtype="object")
    for lang, own in ((None, ()), ("es", frozenset({"ayto_villa"}))):
        _found.cache_clear()
        batch = masks(series, lang, own)
        _found.cache_clear()
        one_by_one = [mask(t, lang, own) for t in texts]
        if [batch.get(t, t) for t in texts] != one_by_one:
            return False
        again = masks(series, lang, own)
        if [again.get(t, t) for t in texts] != one_by_one:
            return False
    return True


def test_masks_equal_mask_on_every_example_and_the_demo():
    assert _masks_agree(_examples())
    for sheet in ("publicaciones", "interacciones"):
        texts = pd.read_excel(DEMO, sheet_name=sheet, dtype=str, engine="calamine")["texto"]
        assert _masks_agree(texts.dropna().tolist())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=14).map("".join), max_size=6))
def test_masks_equal_mask_on_generated_texts(texts):
    assert _masks_agree(texts)
