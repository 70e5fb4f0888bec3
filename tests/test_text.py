"""Text measures of the tone dimension: tokens, spelling, clipped words, readability, warmth."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.measure.text import (
    POST_COLUMNS,
    check_word,
    fernandez_huerta,
    flagged_words,
    inflesz_band,
    szigriszt_pazos,
    text_features,
)
from audit.measure.text.shouting import shouts


def features(*texts: str | None) -> pd.DataFrame:
    return text_features(pd.Series(list(texts), dtype="str")).posts


def one(text: str) -> pd.Series:
    return features(text).iloc[0]


# --- tokens ------------------------------------------------------------------------------

@pytest.mark.parametrize(("decorated", "plain", "hashtags"), [
    ("Consulta https://t.co/AbC123 la web", "Consulta la web", 0),
    ("Más info en www.sanidad.gob.es hoy", "Más info en hoy", 0),
    ("Más info en sanidad.gob.es/vacunas hoy", "Más info en hoy", 0),
    ("Gracias @sanidadgob por todo", "Gracias por todo", 0),
    ("Vacúnate #GripeYoMeVacuno #COVID19 ya", "Vacúnate ya", 2),
    (":red_circle:Información sobre:link: vacunas", "Información sobre vacunas", 0),
    ("Salud &amp; consumo", "Salud consumo", 0),
    ("En 2020 hubo 1.552 casos, un 3,5%", "En hubo casos un", 0),
    ("Escríbenos a buzon@sanidad.gob.es 💉🙂", "Escríbenos a", 0),
])
def test_tokens_are_words_only(decorated: str, plain: str, hashtags: int) -> None:
    got, want = one(decorated), one(plain)
    assert got["words"] == want["words"] == len(plain.split())
    assert got["syllables"] == want["syllables"]
    assert got["hashtags"] == hashtags
    assert got["misspelt"] == got["clipped"] == 0


# --- spelling ----------------------------------------------------------------------------

EVERYDAY = """está qué años dónde información ayuntamiento vacunación también mañana días
    según médico público pública practica publica termino cambio continúa aún solo cómo
    vacúnate infórmate descárgatela ponérmela aislarte síguenos cuéntanos instálala
    sociosanitario cogobernanza reúnes contribuyas designarán aforos fluoroquinolonas
    farmacovigilancia hidroalcohólicos voluntarixs comisaria campana tomate importante
    vale dime ponte hazlo mantente sólo cuáles""".split()


@pytest.mark.parametrize("word", EVERYDAY)
def test_everyday_words_are_not_flagged(word: str) -> None:
    assert check_word(word) is None


@pytest.mark.parametrize(("word", "reason", "suggestion"), [
    ("informacion", "missing_accent", "información"),
    ("tambien", "missing_accent", "también"),
    ("dias", "missing_accent", "días"),
    ("hipertension", "missing_accent", "hipertensión"),
    ("vacunate", "missing_accent", "vacúnate"),
    ("ponermela", "missing_accent", "ponérmela"),
    ("saludeis", "missing_accent", "saludéis"),
    ("INFORMACION", "missing_accent", "INFORMACIÓN"),
    ("Informate", "missing_accent", "Infórmate"),
    ("q", "clipped", "que"),
    ("xq", "clipped", "porque / por qué"),
    ("tb", "clipped", "también"),
    ("Slds", "clipped", "saludos"),
    ("vacunasion", "misspelt", "vacunación"),
    ("aier", "misspelt", "ayer"),
    ("tambíen", "misspelt", "también"),
    ("vácunate", "misspelt", "vacúnate"),
    ("slaud", "misspelt", "salud"),
    ("porfavor", "misspelt", "por favor"),
    ("fué", "misspelt", "fue"),
])
def test_errors_are_flagged(word: str, reason: str, suggestion: str) -> None:
    verdict = check_word(word)
    assert verdict is not None
    assert (verdict.reason, verdict.suggestion) == (reason, suggestion)


@pytest.mark.parametrize("word", [
    "X", "Q", "TB", "D",          # capitals: the network X, Rayos X, tuberculosis, vitamina D
    "Lucia", "Lopez", "Ramon",    # capitalised: names are not judged
    "COVID", "AEMPS",             # acronyms
    "covid19", "H1N1", "2x1",     # digits
    "RadarCOVID",                 # mixed case
])
def test_names_acronyms_and_codes_are_not_judged(word: str) -> None:
    assert check_word(word) is None


@pytest.mark.parametrize(("text", "misspelt", "clipped", "flagged"), [
    ("Gracias x venir, q bueno", 0, 2, ["x", "q"]),
    ("La sala mide 3 x 4 metros y corre 10 k", 0, 0, []),
    ("Pruebas de Rayos X en el hospital", 0, 0, []),
    ("Os esperamos en la secr. gral. del ayuntamiento", 0, 0, []),
    ("Toda la informacion y el calendario de vacunasion", 2, 0,
     ["informacion", "vacunasion"]),
    ("Recuerda la Ley d'Hondt", 0, 0, []),
])
def test_post_counts_and_evidence(text: str, misspelt: int, clipped: int,
                                  flagged: list[str]) -> None:
    posts = features(text)
    assert (posts.loc[0, "misspelt"], posts.loc[0, "clipped"]) == (misspelt, clipped)
    assert flagged_words(pd.Series([text], dtype="str")).iloc[0] == flagged


def test_flagged_table_counts_distinct_words() -> None:
    texts = pd.Series(["la informacion q", "Más informacion", "sin errores", None],
                      dtype="str")
    table = text_features(texts).flagged
    assert list(table.columns) == ["word", "reason", "suggestion", "count"]
    assert table.to_dict("records") == [
        {"word": "informacion", "reason": "missing_accent", "suggestion": "información",
         "count": 2},
        {"word": "q", "reason": "clipped", "suggestion": "que", "count": 1},
    ]


@pytest.mark.parametrize("text", [
    "Hoxe é o último día para anotarse na xornada de unha carreira solidaria",  # Galician
    "Avui celebrem el dia del comerç local amb totes les botigues",             # Catalan
    "Join us for the new season of concerts at the town hall",                  # English
])
def test_posts_in_other_languages_are_not_judged(text: str) -> None:
    post = one(text)
    assert not post["spanish"]
    assert post["misspelt"] == post["clipped"] == 0
    assert math.isnan(post["inflesz"])
    assert flagged_words(pd.Series([text], dtype="str")).iloc[0] == []


# --- readability -------------------------------------------------------------------------

PARAGRAPHS = [
    "El ayuntamiento abre el plazo de inscripción para las actividades de verano. Las "
    "familias pueden presentar la solicitud en la sede electrónica o en las oficinas de "
    "atención ciudadana. Recuerda que las plazas son limitadas.",
    "La campaña de vacunación contra la gripe comienza el lunes en todos los centros de "
    "salud de la comunidad. Pide tu cita por teléfono o en la aplicación. La vacuna es "
    "gratuita para las personas mayores, las embarazadas y quienes tienen enfermedades "
    "crónicas.",
    "Gracias a todos los vecinos que participaron ayer en la jornada de limpieza del río. "
    "Entre todos retiramos más de trescientos kilos de residuos. ¡Os esperamos en la "
    "próxima!",
    "La comisión de seguimiento del plan estratégico de subvenciones analizó ayer el grado "
    "de cumplimiento de los objetivos establecidos, la ejecución presupuestaria de las "
    "convocatorias tramitadas durante el ejercicio y las propuestas de modificación "
    "presentadas por las distintas áreas de gobierno.",
]


@pytest.mark.parametrize("text", PARAGRAPHS)
def test_readability_agrees_with_textstat(text: str) -> None:
    from textstat.backend import counts, metrics

    post = one(text)
    assert post["words"] == counts.count_words(text)
    assert post["sentences"] == counts.count_sentences(text)
    assert post["syllables"] == counts.count_syllables(text, "es")
    assert post["fernandez_huerta"] == pytest.approx(metrics.fernandez_huerta(text, "es"),
                                                     abs=0.01)
    # textstat uses 206.84 as the base of both formulas; Szigriszt-Pazos published 206.835.
    assert post["inflesz"] == pytest.approx(metrics.szigriszt_pazos(text, "es"), abs=0.01)


@pytest.mark.parametrize(("text", "sentences"), [
    ("Hola.", 1),                                       # a post with words has a sentence
    ("¡Hola! Abrimos el plazo hoy. Consulta las bases aquí.", 2),  # "¡Hola!" is too short
    ("Evita complicaciones en personas vulnerables\nAyuda a no saturar el sistema", 2),
    ("Más información sobre las vacunas de la gripe en https://t.co/x", 1),
    ("Más información en https://t.co/x sobre las vacunas de la gripe", 2),  # a link ends one
    ("Los EE.UU. han aprobado hoy la nueva vacuna", 1),
])
def test_sentences(text: str, sentences: int) -> None:
    assert one(text)["sentences"] == sentences


@pytest.mark.parametrize(("score", "band"), [
    (-10.0, ("very_difficult", "muy difícil", "very difficult")),
    (39.99, ("very_difficult", "muy difícil", "very difficult")),
    (40.0, ("somewhat_difficult", "algo difícil", "somewhat difficult")),
    (54.9, ("somewhat_difficult", "algo difícil", "somewhat difficult")),
    (55.0, ("normal", "normal", "normal")),
    (65.0, ("fairly_easy", "bastante fácil", "fairly easy")),
    (80.0, ("very_easy", "muy fácil", "very easy")),
    (120.0, ("very_easy", "muy fácil", "very easy")),
    (float("nan"), ("", "", "")),
])
def test_inflesz_band(score: float, band: tuple[str, str, str]) -> None:
    assert inflesz_band(score) == band


def test_syllables_are_textstats() -> None:
    from textstat.backend.counts import count_syllables

    from audit.measure.text import syllable_count

    words = ("ayuntamiento vacunación información agua leer aéreo prehistóricos país "
             "construidas ciudadanía transparencia biblioteca participación").split()
    assert [syllable_count(w) for w in words] == [count_syllables(w, "es") for w in words]


def test_scores_from_summed_counts() -> None:
    words, sentences, syllables = np.array([100, 0]), np.array([5, 0]), np.array([200, 0])
    assert fernandez_huerta(words, sentences, syllables)[0] == pytest.approx(
        206.84 - 60 * 2.0 - 1.02 * 20)
    assert szigriszt_pazos(words, sentences, syllables)[0] == pytest.approx(
        206.835 - 62.3 * 2.0 - 20)
    assert np.isnan(fernandez_huerta(words, sentences, syllables)[1])
    assert fernandez_huerta(10, 2, 20) == pytest.approx(206.84 - 120 - 5.1)


# --- shouting and warmth -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "shouting", "nan_ratio"), [
    ("ATENCIÓN VECINOS: MAÑANA SE CORTA EL AGUA EN TODO EL MUNICIPIO", True, False),
    ("La AEMPS y la OMS informan sobre la vacuna frente a la COVID", False, False),
    ("¡¡GOL!!", False, True),      # fewer than 20 letters: not measured
    ("Aviso: CORTE DE AGUA MAÑANA EN EL CENTRO", True, False),
])
def test_shouting(text: str, shouting: bool, nan_ratio: bool) -> None:
    post = one(text)
    assert bool(shouts(np.array([post["caps_ratio"]]))[0]) == shouting
    assert math.isnan(post["caps_ratio"]) == nan_ratio


@pytest.mark.parametrize(("text", "greeting", "thanks", "second", "invitation"), [
    ("¡Hola! Hoy abrimos la biblioteca", True, False, False, False),
    ("Buenos días, la piscina abre a las diez", True, False, False, False),
    ("Feliz Navidad a todos los vecinos", True, False, False, False),
    ("Gracias a los voluntarios por su trabajo", False, True, False, False),
    ("El Ministerio agradece la colaboración ciudadana", False, True, False, False),
    ("¿Sabías que puedes pedir cita por internet?", False, False, True, False),
    ("Vacúnate y protege a los tuyos", False, False, True, False),
    ("Consulta los horarios en la web", False, False, True, False),
    ("La consulta de enfermería cierra hoy", False, False, False, False),
    ("Te invitamos a la presentación del libro", False, False, True, True),
    ("Participa en la encuesta sobre movilidad", False, False, True, True),
    ("El alcalde participa en la reunión", False, False, False, False),
    ("Os esperamos el sábado en la plaza", False, False, True, True),
    ("¿Qué opinas del nuevo parque?", False, False, True, True),
    ("Se publica el presupuesto municipal de este año", False, False, False, False),
    ("Buenos\nDías del libro en la biblioteca", False, False, False, False),
])
def test_warmth_markers(text: str, greeting: bool, thanks: bool, second: bool,
                        invitation: bool) -> None:
    post = one(text)
    got = (post["greeting"], post["thanks"], post["second_person"], post["invitation"])
    assert got == (greeting, thanks, second, invitation)


# --- shape of the result -----------------------------------------------------------------

def test_na_and_empty_texts() -> None:
    posts = features(None, "", "   ", "#SoloHashtag @mencion https://t.co/x")
    assert list(posts.columns) == list(POST_COLUMNS)
    counts = ["words", "sentences", "syllables", "misspelt", "clipped"]
    assert (posts[counts] == 0).all().all()
    assert posts["hashtags"].tolist() == [0, 0, 0, 1]
    assert posts[["fernandez_huerta", "inflesz", "caps_ratio"]].isna().all().all()
    assert not posts[["greeting", "spanish"]].any().any()


def test_index_and_dtypes_follow_the_input() -> None:
    texts = pd.Series(["Hola, vecinos", None, 42], index=[10, 3, 7], dtype=object)
    result = text_features(texts)
    assert result.posts.index.tolist() == [10, 3, 7]
    assert result.posts["words"].dtype == np.int64
    assert flagged_words(texts).index.tolist() == [10, 3, 7]
    empty = text_features(pd.Series([], dtype="str"))
    assert len(empty.posts) == 0 and len(empty.flagged) == 0


def test_rejects_what_is_not_a_series() -> None:
    with pytest.raises(TypeError):
        text_features(["hola"])  # type: ignore[arg-type]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=120)), max_size=5))
def test_arbitrary_unicode_never_raises(texts: list[str | None]) -> None:
    series = pd.Series(texts, dtype="str")
    result = text_features(series)
    counts = result.posts[["words", "sentences", "syllables", "misspelt", "clipped",
                           "hashtags"]]
    assert len(result.posts) == len(texts)
    assert (counts >= 0).all().all()
    assert (result.posts["sentences"] <= result.posts["words"]).all()
    assert len(flagged_words(series)) == len(texts)
    # Posts are measured independently: the batch equals the posts one by one.
    for i, text in enumerate(texts):
        alone = features(text).iloc[0]
        pd.testing.assert_series_equal(result.posts.iloc[i], alone, check_names=False)


# --- homophones and h-errors in context -------------------------------------------------------

#: Institutional sentences with a homophone or h-error (the phrase flagged) and without one
#: (None): the precision and recall of spelling.CONFUSABLES quoted in docs/methodology.md.
HOMOPHONE_CASES = [
    ("La campaña de vacunación a sido un éxito en todo el municipio.", "a sido"),
    ("El ayuntamiento a publicado las bases de las ayudas al comercio.", "a publicado"),
    ("Este año se a ampliado el horario de la biblioteca.", "a ampliado"),
    ("Hoy e visto la nueva plaza y está preciosa.", "e visto"),
    ("Abierto el plazo de inscripción ha partir del lunes.", "ha partir"),
    ("El centro de salud permanecerá abierto asta las 20:00.", "asta"),
    ("Asta mañana no se podrá circular por la avenida.", "asta"),
    ("La piscina municipal estará serrada por obras hasta el viernes.", "serrada"),
    ("LAS OBRAS QUE SE ASEN EN LA CALLE MAYOR TERMINAN EL JUEVES", "asen"),
    ("Ya emos echo todo lo posible para abrir el parque.", None),  # "emos": the word check
    ("Ya hemos echo todo lo posible para abrir el parque.", "hemos echo"),
    ("El echo de que llueva no cambia el horario del mercado.", "el echo"),
    ("Haber si este fin de semana mejora el tiempo para la feria.", "haber si"),
    ("En la zona puede a ver cortes de agua durante la mañana.", "puede a ver"),
    ("Te pedimos que no valla al centro de salud sin cita.", "no valla"),
    ("Se instalará una vaya en el perímetro del parque infantil.", "una vaya"),
    ("Os esperamos por hay el sábado.", "por hay"),
    ("Esperamos que no aya incidencias durante la cabalgata.", "no aya"),
    ("El acto tubo lugar en el salón de plenos.", "tubo lugar"),
    ("Ola a todos, mañana empieza la semana cultural.", "ola"),
    # Errors no rule reads (recall below 1): kept to show what is missed.
    ("Os hecho de menos en la biblioteca.", "hecho"),
    ("Esperamos que halla buena participación.", "halla"),
    ("Ahí que pedir cita previa en la web.", "ahí"),
    ("Valla usted al centro de salud con mascarilla.", "valla"),
    ("Se ha inaugurado el nuevo centro de día.", None),
    ("El pleno ha aprobado el presupuesto de 2025.", None),
    ("Hemos pasado a estado de alerta por lluvias.", None),
    ("Atendemos a pedido de los vecinos la reforma de la plaza.", None),
    ("Hay olor a quemado en la zona del polígono.", None),
    ("Avisos de #olor a quemado por el incendio de la planta.", None),
    ("Lo comunicamos a Alumbrado Público para su reparación.", None),
    ("Padres e hijos pueden participar en el taller.", None),
    ("La bandera ondea a media asta por el luto oficial.", None),
    ("El asta de la bandera se cambiará el lunes.", None),
    ("La madera serrada se retirará del parque mañana.", None),
    ("Recomendamos que asen bien la carne en las barbacoas.", None),
    ("Echo de menos las fiestas del barrio.", None),
    ("De hecho, el horario se amplía en verano.", None),
    ("Que no se te olvide: mañana hay pleno.", None),
    ("Cuando vaya al centro de salud, lleve la tarjeta sanitaria.", None),
    ("La valla del parque se reparará esta semana.", None),
    ("¡Vaya semana de actividades en la biblioteca!", None),
    ("La segunda ola obliga a reforzar las medidas.", None),
    ("Vamos a ver la exposición con los escolares.", None),
    ("No ha lugar a la reclamación presentada.", None),
    ("El tubo de escape de los autobuses se revisará.", None),
    ("Puede haber retrasos en la línea 3 por obras.", None),
]


def test_homophones_in_context_precision_and_recall() -> None:
    found = flagged_words(pd.Series([text for text, _ in HOMOPHONE_CASES], dtype="str"))
    table = text_features(pd.Series([t for t, _ in HOMOPHONE_CASES], dtype="str")).flagged
    homophones = set(table.loc[table["reason"] == "homophone", "word"])
    tp = fp = fn = 0
    for (_text, expected), words in zip(HOMOPHONE_CASES, found, strict=True):
        flagged = set(words) & homophones
        tp += expected in flagged
        fp += len(flagged - {expected})
        fn += expected is not None and expected not in flagged
    assert (tp, fp, fn) == (19, 0, 4)  # precision 19/19, recall 19/23


@pytest.mark.parametrize(("text", "suggestion"), [
    ("Hoy a sido un gran día", "ha sido"),
    ("VACUNACIÓN ABIERTA ASTA EL VIERNES", "hasta"),
    ("Haber si nos vemos en la feria", "a ver si"),
    ("El consultorio estará serrada", "cerrada"),
])
def test_homophones_name_the_word_to_write(text: str, suggestion: str) -> None:
    table = text_features(pd.Series([text], dtype="str")).flagged
    assert table.loc[table["reason"] == "homophone", "suggestion"].tolist() == [suggestion]
    assert one(text)["misspelt"] == 1


def test_post_words_are_what_flagged_words_finds() -> None:
    """The evidence reads the words of the analysis already done; they must be the words a
    fresh tokenisation of each post finds (homophones, a clipped x beside a number, posts in
    another language, blanks and repeats included)."""
    texts = pd.Series([text for text, _ in HOMOPHONE_CASES] + [
        "Esto a sido un error, ke tal xq 3 x 4", "q q q tb", None, "",
        "Bon dia a tothom, avui la festa major", "Ola k ase asta mañana"], dtype="str")
    texts.index = range(100, 100 + len(texts))
    expected = {(post, word) for post, words in enumerate(flagged_words(texts))
                for word in words}
    found = text_features(texts).post_words
    assert set(zip(found["post"].tolist(), found["word"].tolist(), strict=True)) == expected
    assert len(found) == len(expected)  # each word once per post
    assert len(expected) >= 10


# --- homophones judged once per distinct context ---------------------------------------------

def _spelling_words() -> set[str]:
    """Every word of the spelling module's lists: the words a rule may compare with."""
    from audit.measure.text import spelling

    words: set[str] = set()
    for value in vars(spelling).values():
        if isinstance(value, (set, frozenset, dict)):
            words |= {w for w in value if isinstance(w, str)}
    return words


def test_rules_read_the_word_before_only_as_one_they_declare() -> None:
    """A rule given a word before that it does not declare (`spelling._rule`) answers as it
    does for a non-word, so the homophones may be judged once for all such words."""
    from audit.measure.text.spelling import CONFUSABLES

    befores = sorted(_spelling_words() | {"casa", "vecinos", "Hoy"})
    afters = [None, "", "sido", "visto", "hecho", "partir", "ver", "lugar", "la", "carne",
              "madera", "de", "si", "a", "todos", "estado", "publicado", "menos"]
    for word, rules in CONFUSABLES.items():
        for rule in rules:
            assert rule.before <= _spelling_words() | {"vamos", "por"}
            for after in afters:
                as_non_word = rule("", word, after)
                for before in befores:
                    if before not in rule.before:
                        assert rule(before, word, after) == as_non_word, (rule, before)


_CONTEXT_WORDS = ["a", "A", "ha", "e", "haber", "Haber", "asta", "Asta", "hay", "por", "olor",
                  "puede", "vamos", "ver", "sido", "sido.", "Alumbrado", "la", "el", "que",
                  "valla", "vaya", "una", "echo", "de", "tubo", "lugar", "ola", "Ola", "todos",
                  "#asta", "a,", "(a", "a/ha", "hay.", "¡Hola", "@sanidad", "3", ":pill:",
                  "serrada", "madera", "asen", "carne", "x", "no", "se", "visto", "partir"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_CONTEXT_WORDS), max_size=12), min_size=1,
                max_size=30))
def test_homophones_grouped_by_context_are_judged_as_each_token_alone(posts) -> None:
    from audit.measure.text import tokens
    from audit.measure.text.spelling import homophones_between, word_after, word_before

    an = tokens.analyse(pd.Series([" ".join(words) for words in posts], dtype="str"))
    at, found = tokens.homophones(an)
    candidates = an.rare[an.at(tokens._T_CONFUSABLE, an.rare) > 0]
    raw = [*an.raws, ""]
    expected = {}
    for pos, prev, nxt in zip(candidates.tolist(),
                              tokens._neighbour(an, candidates, -1).tolist(),
                              tokens._neighbour(an, candidates, +1).tolist(), strict=True):
        flags = homophones_between(word_before(raw[an.codes[prev]] if prev >= 0 else ""),
                                   raw[an.codes[pos]],
                                   word_after(raw[an.codes[nxt]] if nxt >= 0 else ""))
        if flags:
            expected[pos] = flags
    assert dict(zip(at.tolist(), found, strict=True)) == expected
