"""Warmth: greetings, thanks, second person and invitations (guideline 001's "cálida y cercana").

A word is a marker alone ("hola", "gracias", "puedes"), only at the start of a sentence
("Consulta", "Participa", which are also nouns or third-person forms), or as the second
word of a pair ("buenos días", "te esperamos"). Each distinct token gets marker bits here;
`tokens` combines them across token boundaries and sentence starts.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

# On lower-case words. Second person and invitation words that are also
# third-person forms or nouns ("consulta", "participa") count only at the start of a sentence.
# "buenos", "buenas" and "feliz" greet only before días, tardes, Navidad...: see _PAIRS.
_GREETING = {"hola", "saludos", "saludamos", "bienvenido", "bienvenida", "bienvenidos",
             "bienvenidas"}
_THANKS = {"gracias", "agradecemos", "agradece", "agradecen", "agradecer", "agradecido",
           "agradecida", "agradecidos", "agradecidas", "agradecimiento", "agradecimientos",
           "agradezco"}
_SECOND = {
    "te", "ti", "tu", "tú", "tus", "contigo", "usted", "ustedes", "vosotros", "vosotras",
    "os", "vuestro", "vuestra", "vuestros", "vuestras", "tuyo", "tuya", "tuyos", "tuyas",
    "puedes", "tienes", "quieres", "sabes", "debes", "necesitas", "estás", "eres", "vas",
    "has", "sabías", "conoces", "buscas", "vives", "podéis", "tenéis", "queréis", "sabéis",
    "estáis", "sois", "podés", "tenés", "querés", "sabés", "vení", "mirá", "fijate",
    "acordate", "consultá", "llamá", "escribinos", "seguinos", "ponte", "hazte", "mantente",
    "vete", "cuéntanos", "escríbenos", "síguenos", "llámanos", "déjanos", "ayúdanos",
    "visítanos", "contanos", "sumate", "anotate", "inscribite", "participá",
}
_SECOND_INITIAL = {
    "consulta", "visita", "descarga", "llama", "recuerda", "sigue", "pide", "ven", "mira",
    "lee", "escribe", "comparte", "accede", "busca", "conoce", "descubre", "haz", "pon",
    "usa", "utiliza", "evita", "mantén", "lava", "respeta", "protege", "solicita", "acude",
    "cuida", "ayuda", "colabora", "disfruta", "infórmate", "consulte", "visite", "descargue",
    "llame", "recuerde", "siga", "pida", "venga", "mire", "lea", "escriba", "comparta",
    "acceda", "busque", "conozca", "haga", "utilice", "evite", "mantenga", "respete",
    "proteja", "solicite", "acuda", "cuide", "ayude", "colabore", "disfrute", "consultad",
    "visitad", "descargad", "recordad", "seguid", "participad",
}
_INVITATION = {
    "invitamos", "inscríbete", "inscribete", "inscríbase", "inscribite", "apúntate",
    "apuntate", "únete", "unete", "súmate", "sumate", "anímate", "animate", "cuéntanos",
    "cuentanos", "cuéntenos", "contanos", "escríbenos", "escribinos", "déjanos", "opinas",
    "opináis", "opinan", "pierdas", "pierdan", "participad", "participá", "compártelo",
    "compártela", "compártenos", "anotate", "anótate",
}
_INVITATION_INITIAL = {"participa", "participe", "comenta", "comente", "comparte",
                       "comparta", "opina", "opine", "ven", "venga", "vení", "inscríbete"}
# Two-word markers: first word -> second words.
_PAIRS = {
    "greeting": ({"buenos", "buenas", "buen", "buena"},
                 {"días", "dias", "día", "dia", "tardes", "noches", "fin", "finde",
                  "semana"}),
    "greeting_feliz": ({"feliz", "felices"},
                       {"día", "dia", "días", "navidad", "navidades", "año", "fiestas",
                        "semana", "fin", "finde", "lunes", "martes", "miércoles", "jueves",
                        "viernes", "sábado", "domingo", "verano", "puente", "pascua",
                        "jornada", "cumpleaños"}),
    "invitation": ({"te", "os", "les", "los", "las", "lo", "la"},
                   {"esperamos", "animamos", "invitamos"}),
}
_PAIR_REASON = {"greeting": "greeting", "greeting_feliz": "greeting",
                "invitation": "invitation"}
# Imperatives with an enclitic pronoun address the reader: "vacúnate", "infórmese".
_CLITIC_IMPERATIVE = re.compile(r"^\w*[áéíóú]\w*(?:te|ese|ase)$")

# Marker bits in the per-token table (and in each post's markers); pair bits by pair name.
M_GREETING, M_THANKS, M_SECOND, M_INVITATION = 1, 2, 4, 8
_MARKER_BITS = {"greeting": M_GREETING, "thanks": M_THANKS, "second_person": M_SECOND,
                "invitation": M_INVITATION}
_PAIR_BITS = {name: 1 << k for k, name in enumerate(_PAIRS)}


def word_markers(lower: str) -> int:
    """Marker bits of a word wherever it stands."""
    bits = 0
    if lower in _GREETING:
        bits |= M_GREETING
    if lower in _THANKS:
        bits |= M_THANKS
    if lower in _SECOND or (_CLITIC_IMPERATIVE.match(lower) and not lower.endswith("mente")
                            and not lower.endswith("ndose")):
        bits |= M_SECOND
    if lower in _INVITATION:
        bits |= M_INVITATION | M_SECOND
    return bits


def initial_markers(lower: str) -> int:
    """Marker bits of a word that count only at the start of a sentence."""
    bits = 0
    if lower in _SECOND_INITIAL:
        bits |= M_SECOND
    if lower in _INVITATION_INITIAL:
        bits |= M_INVITATION | M_SECOND
    return bits


def pair_bits(lower: str, side: int) -> int:
    """Pair bits of a word as the first (side 0) or second (side 1) word of a pair."""
    return sum(bit for name, bit in _PAIR_BITS.items() if lower in _PAIRS[name][side])


def pair_markers(first: int, second: int) -> int:
    """Marker bits of two adjacent words from their pair bits (first side, second side)."""
    bits = 0
    for name, bit in _PAIR_BITS.items():
        if first & bit and second & bit:
            bits |= _MARKER_BITS[_PAIR_REASON[name]]
            if name == "invitation":
                bits |= M_SECOND
    return bits


@lru_cache(maxsize=1)
def pair_marker_table() -> np.ndarray:
    """pair_markers of every (first side, second side) pair of bit sets, as an array, so
    that the pairs of a whole column are looked up at once rather than one call each."""
    size = 1 << len(_PAIR_BITS)
    return np.array([[pair_markers(a, b) for b in range(size)] for a in range(size)],
                    dtype=np.int64)
