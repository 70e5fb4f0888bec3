"""Transparency checks and term matching on tiny hand-built inputs."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import yaml
from factories import features

from audit.measure.checks import measure
from audit.measure.checks.transparency import (
    JOINED_MAX_CHARS,
    _joined,
    accent_insensitive,
    find_terms,
    matches_terms,
    term_label,
)
from audit.score.curves import score_values
from audit.score.rubric import RUBRICS_DIR

PROFILES = [["institution", "network", "handle"],
            ["A", "facebook", "a"], ["B", "facebook", "b"], ["C", "facebook", "c"]]
HEADER = ["network", "handle", "published_at", "text"]

SERVICE = [
    "Mañana se corta el agua en el barrio norte de nueve a doce.",
    "La biblioteca amplía su horario durante los exámenes.",
    "Abierta la inscripción a los talleres de verano para mayores.",
    "Recuerda: el plazo del impuesto de vehículos termina el viernes.",
]
ACCOUNTS = [
    "Aprobado el PRESUPUESTO municipal de 2027: 45 millones de euros, un 8 % más.",
    "Adjudicado el contrato de limpieza viaria; consulta los pliegos en la web.",
    "Hoy, sesión de rendición de cuentas en el salón de plenos a las 19 h.",
]
CAMPAIGN = [
    "Gracias a la gestión de nuestro alcalde el polideportivo ya es una realidad.",
    "El 28 de mayo vota a quien cumple. #VotaJuan",
]


def _posts(*rows: tuple[str, str]) -> list[list]:
    """(handle, text) rows on Facebook -> a posts sheet, one post a day back from the audit."""
    return [HEADER, *[["facebook", handle, f"2026-10-{30 - i:02d} 10:00", text]
                      for i, (handle, text) in enumerate(rows)]]


def _criterion(metric: str) -> dict:
    rubric = yaml.safe_load((RUBRICS_DIR / "gobierno.yaml").read_text(encoding="utf-8"))
    dimension = next(d for d in rubric["dimensions"] if d["id"] == "transparency")
    return next(c for c in dimension["criteria"] if c["metric"] == metric)


def _measure(f, metric: str):
    return measure(f, metric, _criterion(metric)["params"])


def test_campaign_posts_raise_political_share_and_lower_the_score():
    f = features(PROFILES, _posts(*[("a", t) for t in SERVICE],
                                  *[("b", t) for t in SERVICE + CAMPAIGN]))
    m = _measure(f, "political_share")
    assert m.value.to_dict() == pytest.approx({"A": 0, "B": 2 / 6, "C": math.nan}, nan_ok=True)
    scores = score_values(m.value, _criterion("political_share")["scoring"])
    assert scores["A"] == 1 > scores["B"]
    assert "gracias a la gestión de 1 (p. ej. «Gracias a la gestión de nuestro alcalde" \
        in m.text("es")["B"]
    assert "etiqueta de voto 1" in m.text("es")["B"]
    assert set(m.details["institution"]) == {"B"}


def test_accountability_share_counts_terms_with_examples():
    f = features(PROFILES, _posts(*[("a", t) for t in SERVICE + ACCOUNTS],
                                  *[("b", t) for t in SERVICE]))
    m = _measure(f, "accountability_share")
    assert m.value.to_dict() == pytest.approx({"A": 3 / 7, "B": 0, "C": math.nan}, nan_ok=True)
    assert m.text("es")["A"].startswith(
        "3 de 7 publicaciones (42,9 %) de rendición de cuentas; términos: ")
    assert "presupuesto 1 (p. ej. «Aprobado el PRESUPUESTO municipal de 2027" \
        in m.text("es")["A"]
    assert "decisiones 1 (p. ej. «Aprobado el PRESUPUESTO" in m.text("es")["A"]
    # six terms match (presupuesto, importe, decisiones, contrato, licitación, rendición de
    # cuentas); the evidence names the first evidence_terms = 5, in the rubric's order on ties
    assert m.text("es")["A"].count("(p. ej.") == 5
    assert "rendición de cuentas 1" not in m.text("es")["A"]
    assert m.text("en")["B"] == "0 of 4 posts (0%) about accountability"


@pytest.mark.parametrize("metric", ["accountability_share", "political_share"])
def test_not_evaluated_without_texts(metric):
    posts = [["network", "handle", "published_at"], ["facebook", "a", "2026-10-30 10:00"]]
    assert _measure(features(PROFILES, posts), metric).value.isna().all()


def test_terms_must_be_given():
    f = features(PROFILES, _posts(("a", SERVICE[0])))
    with pytest.raises(ValueError, match="expected a list of terms"):
        measure(f, "accountability_share", {})


@pytest.mark.parametrize(("term", "text", "hit"), [
    ("dias", "Llevo tres DÍAS esperando", True),           # accents and case ignored
    ("días", "llevo tres dias esperando", True),           # ...both ways
    ("vergüenza", "¡Qué verguenza!", True),
    ("presupuest\\w*", "Los presupuestos participativos", True),
    ("presupuest\\w*", "presupuestó", True),             # \w takes accented letters
    ("gasto", "Se desgastó el firme", False),              # whole words only
    ("gasto", "el gasto, por partidas", True),
    ("inversion(es)?", "Inversiones en barrios", True),
    ("#vota\\w*", "Este domingo #VotaJuan", True),         # a term may start with "#"
    ("sin (agua|luz)", "seguimos SIN LUZ en la calle", True),
    ("llev(o|amos) .{0,30}(dias|semanas)", "Llevamos ya dos semanas así", True),
    ("metas? cumplidas?", "Meta cumplida", True),
    ("[oa]tro", "ótro", True),                             # classes gain accented forms
    ("a\\.m\\.", "a las 9 a.m.", True),                    # escapes stay escapes
    ("pleno", "plenos", False),
])
def test_term_matching(term, text, hit):
    found, table = find_terms(pd.Series([text], dtype="str"), [term])
    assert bool(found[0]) is hit
    assert list(table.columns) == [term_label(term)]


def test_find_terms_reports_each_term_and_labels():
    texts = pd.Series(["Presupuesto y contrato", "Nada que ver", None, "Contratos"],
                      dtype="str")
    found, table = find_terms(texts, {"presupuesto": "presupuest\\w*",
                                      "contrato": "contratos?"})
    assert found.tolist() == [True, False, False, True]
    assert table.to_dict("list") == {"presupuesto": [True, False], "contrato": [True, True]}
    assert list(table.index) == [0, 3]


def test_long_term_lists_are_split_into_passes_that_find_the_same_texts():
    terms = {f"t{k}": f"palabra{k}(es)?|" + "|".join(f"relleno{k}x{j}" for j in range(120))
             for k in range(12)}
    patterns = [accent_insensitive(t) for t in terms.values()]
    passes = _joined(patterns)
    assert len(passes) > 1
    assert all(len(p) <= JOINED_MAX_CHARS + 10 * len(patterns) for p in passes)
    assert "|".join(passes) == "|".join(f"(?:{p})" for p in patterns)
    texts = pd.Series(["palabra3 sí", "nada", "PALABRA11ES", "xpalabra5", "relleno7x99"],
                      dtype="str")
    found, table = find_terms(texts, terms)
    assert found.tolist() == [True, False, True, False, True]
    assert table.sum().to_dict() == {f"t{k}": int(k in (3, 7, 11)) for k in range(12)}


def test_a_bad_term_is_named():
    with pytest.raises(ValueError, match=r"'roto' .*'rot\(o'"):
        find_terms(pd.Series(["x"], dtype="str"), {"roto": "rot(o", "bien": "bien"})
    with pytest.raises(ValueError, match=r"'roto' .*'rot\(o'"):
        matches_terms(pd.Series(["x"], dtype="str"), {"roto": "rot(o", "bien": "bien"})


def test_matches_terms_is_find_terms_first_answer():
    texts = pd.Series(ACCOUNTS + CAMPAIGN + SERVICE + [None, "", "PRESUPUESTO"], dtype="str")
    for metric in ("accountability_share", "political_share"):
        terms = _criterion(metric)["params"]["terms"]
        assert matches_terms(texts, terms).tolist() == find_terms(texts, terms)[0].tolist()
    many = [f"palabra{k}" for k in range(400)]  # several passes (JOINED_MAX_CHARS)
    texts = pd.Series(["palabra3 sí", "nada", "PALABRA399", "xpalabra5"], dtype="str")
    assert matches_terms(texts, many).tolist() == [True, False, True, False]


def test_accent_insensitive_rewrites_letters_not_syntax():
    assert accent_insensitive("dia") == "d[iíìï][aáàä]"
    assert accent_insensitive("(?:x)\\w+\\d") == "(?:x)[\\p{L}\\p{N}_]+\\d"
    assert accent_insensitive("[a-z]") == "[a-záàäéèëíìïóòöúùüñ]"


def test_rubric_terms_compile_and_catch_their_examples():
    for metric, examples in (("accountability_share", ACCOUNTS),
                             ("political_share", CAMPAIGN)):
        found, _ = find_terms(pd.Series(examples + SERVICE, dtype="str"),
                              _criterion(metric)["params"]["terms"])
        assert found.tolist() == [True] * len(examples) + [False] * len(SERVICE)


@pytest.mark.parametrize(("text", "reported"), [
    ("El Ayuntamiento pone en marcha el plan de empleo local para 2027", True),
    ("La junta de gobierno local aprueba las ayudas al alquiler joven", True),
    ("Invertimos 1.250.000 euros en el nuevo colegio", True),
    ("Entradas a 5 euros para el concierto del sábado", False),  # a price is not spending
    ("Concierto de la banda municipal el sábado a las 20 h", False),
])
def test_reported_decisions_count_as_accountability(text, reported):
    found, _ = find_terms(pd.Series([text], dtype="str"),
                          _criterion("accountability_share")["params"]["terms"])
    assert bool(found[0]) is reported
