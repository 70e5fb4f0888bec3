"""Tone checks on tiny hand-built inputs."""

from __future__ import annotations

import math

import pytest
import yaml
from factories import dimension_score, features

from audit.measure.checks import measure
from audit.score.rubric import RUBRICS_DIR

METRICS = ("spelling_error_rate", "clipped_words_rate", "readability", "warmth_share",
           "shouting_share", "hashtag_overload_share", "cross_posting_share")
PROFILES = [["institution", "network", "handle"],
            ["A", "facebook", "a"], ["A", "x", "a"],
            ["B", "facebook", "b"],
            ["C", "facebook", "c"]]
HEADER = ["network", "handle", "published_at", "text"]

CLEAN = [  # warm, correct: 13, 14 and 14 words
    "Hola, vecinos. Mañana abrimos la biblioteca municipal con un horario nuevo para todos.",
    "Gracias a todas las personas que participaron en la jornada de limpieza del río.",
    "Te esperamos el sábado en la plaza mayor para celebrar las fiestas del barrio.",
]
SLOPPY = [  # 16 words each: 3 clipped words in the first, 5 spelling errors in the second
    "Mañana abre la biblioteca municipal con horario nuevo xq q tb hay obras en la sala",
    "Consulta la informacion del padron aqui, el plazo termina el viernes y aier no habia cita",
]
CATALAN = "Avui obrim la biblioteca amb un horari nou per a tots els veïns i veïnes del barri"


def _posts(*rows: tuple[str, str, str]) -> list[list]:
    """(network, handle, text) rows -> a posts sheet, one post a day back from the audit."""
    return [HEADER, *[[net, handle, f"2026-10-{30 - i:02d} 10:00", text]
                      for i, (net, handle, text) in enumerate(rows)]]


def _dimension() -> dict:
    rubric = yaml.safe_load((RUBRICS_DIR / "gobierno.yaml").read_text(encoding="utf-8"))
    return next(d for d in rubric["dimensions"] if d["id"] == "tone")


def test_clipped_misspelt_posts_score_lower_than_clean_ones():
    f = features(PROFILES, _posts(*[("facebook", "a", t) for t in CLEAN],
                                  *[("facebook", "b", t) for t in SLOPPY]))
    spelling = measure(f, "spelling_error_rate", {}).value
    clipped = measure(f, "clipped_words_rate", {}).value
    assert spelling.to_dict() == pytest.approx({"A": 0, "B": 5 / 32, "C": math.nan},
                                               nan_ok=True)
    assert clipped.to_dict() == pytest.approx({"A": 0, "B": 1000 * 3 / 32, "C": math.nan},
                                              nan_ok=True)
    score = dimension_score(f, "tone")
    assert score["A"] > 90
    assert score["B"] < 60
    assert math.isnan(score["C"])  # no posts: not evaluated, not zero


@pytest.mark.parametrize(("metric", "texts", "params", "expected"), [
    ("warmth_share", [CLEAN[0], "Mañana abre la piscina municipal"], {}, 0.5),
    ("warmth_share", [CLEAN[2], CATALAN], {}, 1.0),  # only posts in Spanish are read
    ("shouting_share", ["ATENCIÓN: MAÑANA CORTE DE AGUA EN TODO EL MUNICIPIO", CLEAN[0]], {},
     0.5),
    ("shouting_share", ["¡GOL!", "OMS y COVID: la vacuna llega a los centros de salud"], {}, 0),
    ("hashtag_overload_share", ["Feria del libro #a #b #c #d", "Feria #a #b #c"], {}, 0.5),
    ("hashtag_overload_share", ["Feria del libro #a #b #c #d", "Feria #a #b #c"],
     {"max_hashtags": 2}, 1.0),
    ("readability", [CLEAN[1], CLEAN[2], "Hola a todos"], {}, 77.135),  # short one left out
    ("readability", [CLEAN[1]], {"min_words": 20}, math.nan),
    ("spelling_error_rate", [CATALAN], {}, math.nan),  # no post in Spanish
    ("clipped_words_rate", [SLOPPY[0], CATALAN], {}, 1000 * 3 / 16),
])
def test_metric_values(metric, texts, params, expected):
    f = features(PROFILES, _posts(*[("facebook", "b", t) for t in texts]))
    value = measure(f, metric, params).value["B"]
    assert value == pytest.approx(expected, abs=1e-3, nan_ok=True)


@pytest.mark.parametrize("metric", METRICS)
def test_not_evaluated_without_texts(metric):
    posts = [["network", "handle", "published_at"], ["facebook", "a", "2026-10-30 10:00"]]
    m = measure(features(PROFILES, posts), metric, {})
    assert m.value.isna().all()


@pytest.mark.parametrize("metric", METRICS)
def test_blank_texts_are_no_texts(metric):
    m = measure(features(PROFILES, _posts(("facebook", "a", "   "))), metric, {})
    assert m.value.isna().all()


def test_spelling_evidence_names_words_and_suggestions():
    f = features(PROFILES, _posts(("facebook", "b", SLOPPY[1]), ("facebook", "b", CATALAN),
                                  ("facebook", "c", CATALAN)))
    m = measure(f, "spelling_error_rate", {"evidence_words": 2})
    assert m.text("es")["B"] == ("5 errores de ortografía en 16 palabras; las más frecuentes: "
                                  "«aier» → «ayer» (1 publ.), «aqui» → «aquí» (1 publ.)")
    assert m.text("en")["B"].startswith("5 spelling errors in 16 words; most frequent: ")
    assert math.isnan(m.value["C"])
    assert m.text("es")["C"] == "Ninguna publicación en castellano: no se evalúa"


def test_clipped_evidence_counts_posts_per_word():
    f = features(PROFILES, _posts(("facebook", "b", SLOPPY[0]),
                                  ("facebook", "b", "Abrimos xq es festivo en la ciudad")))
    m = measure(f, "clipped_words_rate", {})
    assert "«xq» → «porque / por qué» (2 publ.)" in m.text("es")["B"]


def test_readability_evidence_gives_the_band():
    f = features(PROFILES, _posts(("facebook", "b", CLEAN[1])))
    m = measure(f, "readability", {})
    assert m.text("es")["B"] == ("INFLESZ medio 77,1 (bastante fácil) en 1 publicación de 10 "
                                  "palabras o más")
    assert m.text("en")["B"] == "Mean INFLESZ 77.1 (fairly easy) over 1 post of 10 words or more"


def test_cross_posting_folds_case_spaces_and_links():
    text = "Abierto el plazo de inscripción en las escuelas deportivas municipales"
    f = features(PROFILES, _posts(
        ("facebook", "a", f"{text} https://t.co/abc"),
        ("x", "a", "ABIERTO el plazo de inscripción en las  escuelas deportivas municipales "
                   "https://bit.ly/xyz"),
        ("facebook", "a", "Hoy hay pleno municipal a las diez de la mañana en el salón"),
        ("facebook", "a", "Corte de agua mañana"), ("x", "a", "Corte de agua mañana"),  # short
        ("facebook", "b", text), ("facebook", "b", text)))
    m = measure(f, "cross_posting_share", {})
    assert m.value["A"] == pytest.approx(2 / 5)
    assert m.text("es")["A"] == ("2 de 5 publicaciones con el mismo texto en otra red; p. ej. "
                                  f"«{text} https://…» en Facebook, X")
    assert math.isnan(m.value["B"])  # one network: it cannot cross-post
    assert m.text("es")["B"] == "Publica con texto en una sola red: no aplica"
    assert measure(f, "cross_posting_share", {"min_chars": 10}).value["A"] == pytest.approx(4 / 5)


def test_tone_dimension_in_rubric_is_complete():
    dimension = _dimension()
    assert dimension["weight"] == 15
    assert {c["metric"] for c in dimension["criteria"]} == set(METRICS)


CAMPAIGN = {"llamada al voto": "vota (a|al)"}
VOTE = "Este domingo vota al partido del cambio #a #b #c #d #e #f"  # campaign, 6 hashtags
PLAIN = "Feria del libro en la plaza #a #b #c #d #e"  # 5 hashtags


def test_hashtag_example_is_a_plain_post_not_a_campaign_one():
    f = features(PROFILES, _posts(("facebook", "b", VOTE), ("facebook", "b", PLAIN)))
    m = measure(f, "hashtag_overload_share", {"exclude_examples": CAMPAIGN})
    assert m.value["B"] == 1.0  # the campaign post still counts in the share
    assert m.text("es")["B"] == f"2 de 2 publicaciones con más de 3 etiquetas; p. ej. «{PLAIN}»"
    # Without the option, the post with the most hashtags is the example.
    assert VOTE in measure(f, "hashtag_overload_share", {}).text("es")["B"]


def test_example_is_the_clearest_case_with_the_earliest_on_a_tie():
    three = "Feria del libro #a #b #c #d"
    f = features(PROFILES, _posts(("facebook", "b", three), ("facebook", "b", PLAIN),
                                  ("facebook", "b", PLAIN.replace("libro", "arte"))))
    assert f"«{PLAIN}»" in measure(f, "hashtag_overload_share", {}).text("es")["B"]
    loud = "ATENCIÓN: MAÑANA CORTE DE AGUA EN TODO EL MUNICIPIO"
    f = features(PROFILES, _posts(("facebook", "b", "ATENCIÓN: Mañana CORTE DE AGUA EN EL PUEBLO"),
                                  ("facebook", "b", loud)))
    assert f"«{loud}»" in measure(f, "shouting_share", {}).text("es")["B"]


def test_cross_posting_example_is_not_a_campaign_post():
    vote = "Este domingo vota al partido del cambio en tu colegio electoral de siempre"
    plain = "Abierto el plazo de inscripción en las escuelas deportivas municipales"
    f = features(PROFILES, _posts(*[(net, "a", vote) for net in ("facebook", "x", "facebook")],
                                  ("facebook", "a", plain), ("x", "a", plain)))
    m = measure(f, "cross_posting_share", {"exclude_examples": CAMPAIGN})
    assert m.value["A"] == 1.0
    assert f"«{plain}» en Facebook, X" in m.text("es")["A"]
    assert vote in measure(f, "cross_posting_share", {}).text("es")["A"]


def test_tone_examples_leave_out_the_rubric_campaign_terms():
    criteria = {c["metric"]: c for c in _dimension()["criteria"]}
    rubric = yaml.safe_load((RUBRICS_DIR / "gobierno.yaml").read_text(encoding="utf-8"))
    for metric in ("shouting_share", "hashtag_overload_share", "cross_posting_share"):
        assert criteria[metric]["params"]["exclude_examples"] == \
            rubric["term_lists"]["campaign"]
