"""Engagement checks on tiny hand-built inputs: interaction rate, Bonsón's indices and the
coverage of the content uses of seed 004."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from factories import features

from audit import load_rubric
from audit.ingest.contract import strip_accents
from audit.measure.checks import measure
from audit.measure.checks.engagement import (
    _term_candidates,
    _use_hits,
    _use_pattern,
    bonson_indices,
    fold_accents,
)

PROFILES = [["institution", "network", "handle", "followers"],
            ["A", "facebook", "a", 2000], ["A", "instagram", "a", 1000],
            ["B", "facebook", "b", None]]
POSTS = [["network", "handle", "published_at", "likes", "comments", "shares"],
         ["facebook", "a", "2026-10-01", 10, 2, 0],
         ["facebook", "a", "2026-10-02", 0, 0, 4],
         ["facebook", "a", "2026-10-03", 5, 1, None],      # shares unknown
         ["facebook", "a", "2026-01-03", 900, 900, 900],   # older than 90 days: left out
         ["instagram", "a", "2026-10-04", 3, None, None],
         ["facebook", "b", "2026-10-04", 3, 1, 1]]


# --- Bonsón, Royo & Ratkai (2015) ----------------------------------------------------------

def test_bonson_indices_hand_computed():
    # Profile facebook/a, F = 2,000 followers, three posts (likes, comments, shares):
    #   (10, 2, 0), (0, 0, 4), (5, 1, blank)
    # popularity  N = 3: P1 = 2 liked / 3 = 0.667; P2 = 15 / 3 = 5; P3 = 5 / 2000 x 1000 = 2.5
    # commitment  N = 3: C1 = 2 commented / 3;     C2 = 3 / 3 = 1; C3 = 1 / 2000 x 1000 = 0.5
    # virality    N = 2 (one blank): V1 = 1 / 2;   V2 = 4 / 2 = 2; V3 = 2 / 2000 x 1000 = 1.0
    # engagement  E = P3 + C3 + V3 = 2.5 + 0.5 + 1.0 = 4.0
    # Profile x/b has no followers: P1, P2 known, P3 and E NaN.
    posts = pd.DataFrame({
        "network": ["facebook"] * 3 + ["x"],
        "handle": ["a"] * 3 + ["b"],
        "likes": [10, 0, 5, 7], "comments": [2, 0, 1, 0], "shares": [0, 4, np.nan, 1],
    })
    followers = pd.Series([2000.0, np.nan], index=pd.MultiIndex.from_tuples(
        [("facebook", "a"), ("x", "b")], names=["network", "handle"]))
    table = bonson_indices(posts, followers)
    a = table.loc[("facebook", "a")]
    expected = {"P1": 2 / 3, "P2": 5, "P3": 2.5, "C1": 2 / 3, "C2": 1, "C3": 0.5,
                "V1": 0.5, "V2": 2, "V3": 1.0, "E": 4.0}
    assert a[list(expected)].to_dict() == pytest.approx(expected)
    b = table.loc[("x", "b")]
    assert b["P1"] == 1 and b["P2"] == 7 and np.isnan(b["P3"]) and np.isnan(b["E"])
    assert list(table.columns[:10]) == ["P1", "P2", "P3", "C1", "C2", "C3", "V1", "V2", "V3",
                                        "E"]


def test_bonson_family_without_counts_is_left_out_of_e():
    posts = pd.DataFrame({"network": ["x", "x"], "handle": ["a", "a"], "likes": [4, 0],
                          "comments": [1, 1], "shares": [np.nan, np.nan]})
    followers = pd.Series([1000.0], index=pd.MultiIndex.from_tuples([("x", "a")]))
    row = bonson_indices(posts, followers).iloc[0]
    # P3 = (4 / 2) / 1000 x 1000 = 2; C3 = (2 / 2) / 1000 x 1000 = 1; no shares at all
    assert np.isnan(row["V1"]) and row["E"] == pytest.approx(3.0)


def test_bonson_engagement_metric():
    m = measure(features(PROFILES, POSTS), "bonson_engagement", {})
    # facebook/a: E = 4.0 (above, within the 90-day window); instagram/a: P3 = 3 / 1000 x 1000
    # = 3, no comments nor shares known -> E = 3. Mean = 3.5.
    assert m.value["A"] == pytest.approx(3.5)
    assert np.isnan(m.value["B"])  # no followers
    assert m.text("es")["B"] == "Falta el número de seguidores de los perfiles con publicaciones"
    assert m.text("es")["A"].startswith("Engagement E medio 3,50 por cada 1.000 seguidores")


# --- interaction_rate ----------------------------------------------------------------------

def test_interaction_rate_median_over_profiles():
    m = measure(features(PROFILES, POSTS), "interaction_rate", {"default_median": 1})
    # facebook/a: (12 + 4 + 6) / 3 posts / 2000 x 1000 = 3.667; instagram/a: 3 / 1 / 1000 x
    # 1000 = 3. Median of two = 3.333 (times a typical rate of 1).
    assert m.value["A"] == pytest.approx(3.3333333)
    assert m.text("es")["A"] == (
        "Mediana 3,33 veces la tasa típica de su red (2 perfiles); la más baja: Instagram @a, "
        "3 interacciones por publicación por cada 1.000 seguidores (típica de la red: 1)")


def test_interaction_rate_per_network_typical_rate():
    # Instagram rates run higher: its 3 is half its typical 6, while facebook/a's 3.667 is
    # 3.667 times the default 1. Median of 0.5 and 3.667 = 2.083; the lowest is Instagram.
    m = measure(features(PROFILES, POSTS), "interaction_rate",
                {"medians_by_network": {"instagram": 6}, "default_median": 1})
    assert m.value["A"] == pytest.approx(2.0833333)
    assert m.text("en")["A"].endswith("lowest: Instagram @a, 3 interactions per post per "
                                      "1,000 followers (network's typical: 6)")


def test_interaction_rate_reads_the_audit_window():
    m = measure(features(PROFILES, POSTS, window_days=365), "interaction_rate",
                {"default_median": 1})
    # The January post now counts: facebook/a (22 + 2700) / 4 / 2000 x 1000 = 340.25
    assert m.value["A"] == pytest.approx(171.625)


@pytest.mark.parametrize("profiles,posts", [
    # no followers
    ([["institution", "network", "handle"], ["A", "facebook", "a"]],
     [["network", "handle", "published_at", "likes"], ["facebook", "a", "2026-10-01", 5]]),
    # no engagement counts
    ([["institution", "network", "handle", "followers"], ["A", "facebook", "a", 100]],
     [["network", "handle", "published_at", "text"], ["facebook", "a", "2026-10-01", "Hola"]]),
    # no posts at all
    ([["institution", "network", "handle", "followers"], ["A", "facebook", "a", 100]], None),
])
def test_engagement_rates_not_evaluated(profiles, posts):
    f = features(profiles, posts)
    for metric in ("interaction_rate", "bonson_engagement"):
        assert measure(f, metric, {}).value.isna().all(), metric


# --- content_uses_coverage -----------------------------------------------------------------

USES = {"uses": [
    {"id": "events", "label": {"es": "eventos", "en": "events"},
     "terms": r"\b(taller(es)?|presentación)\b"},
    {"id": "live", "label": {"es": "en vivo", "en": "live"}, "terms": "en directo|en vivo",
     "formats": ["live"]},
    {"id": "event_photos", "label": {"es": "fotos de eventos", "en": "event photos"},
     "terms": "taller", "formats": ["photo"], "match": "all"},
    {"id": "hashtags", "label": {"es": "hashtags", "en": "hashtags"},
     "terms": r"(^|[^&\w])#[a-z]"},
]}
TEXTS = ["network", "handle", "published_at", "text", "format"]


def _posts(*rows) -> list[list]:
    return [TEXTS, *[["facebook", "a", "2026-10-01", text, fmt] for text, fmt in rows]]


@pytest.mark.parametrize("rows,found", [
    # accents and case folded both ways: "PRESENTACION" matches "presentación"
    ([("PRESENTACION del libro", "text")], {"events"}),
    ([("Ven al Taller", "photo")], {"events", "event_photos"}),
    ([("Ven al taller", "text"), ("Sesión", "live")], {"events", "live"}),
    ([("Hoy EN DIRECTO #Villa", "video")], {"live", "hashtags"}),
    ([("Mi tallerista &#39;s", "video"), ("Nada", "photo")], set()),  # \b, HTML entity
])
def test_content_uses_found(rows, found):
    f = features(PROFILES[:2], _posts(*rows))
    m = measure(f, "content_uses_coverage", USES)
    assert m.value["A"] == pytest.approx(len(found) / 4)
    assert set(m.details.set_index("institution").loc["A"].pipe(
        lambda r: r[r > 0].index)) == found


def test_content_uses_evidence_found_and_missing():
    f = features(PROFILES[:2], _posts(("Taller de lectura", "photo"), ("Otro taller", "text")))
    m = measure(f, "content_uses_coverage", USES)
    assert m.text("es")["A"] == ("Presentes 2 de 4: eventos (2), fotos de eventos (1); "
                                  "ausentes: en vivo, hashtags")
    assert m.text("en")["A"] == ("Present 2 of 4: events (2), event photos (1); "
                                  "missing: live, hashtags")


def test_content_uses_min_posts():
    f = features(PROFILES[:2], _posts(("Taller de lectura", "photo"), ("Otro taller", "text")))
    m = measure(f, "content_uses_coverage", {**USES, "min_posts": 2})
    assert m.value["A"] == pytest.approx(1 / 4)  # only events has two posts


def test_content_uses_unmeasurable_without_formats():
    # No format column: event photos (terms AND photo) cannot be shown; live still can (OR).
    posts = [["network", "handle", "published_at", "text"],
             ["facebook", "a", "2026-10-01", "Taller en vivo"]]
    m = measure(features(PROFILES[:2], posts), "content_uses_coverage", USES)
    assert m.value["A"] == pytest.approx(2 / 3)
    assert m.text("es")["A"].endswith("no medibles con estos datos: fotos de eventos")


def test_content_uses_not_evaluated_without_posts():
    m = measure(features(PROFILES), "content_uses_coverage", USES)
    assert m.value.isna().all()


def test_content_uses_window():
    posts = [TEXTS, ["facebook", "a", "2024-10-01", "Taller", "text"]]
    m = measure(features(PROFILES[:2], posts), "content_uses_coverage", USES)
    assert np.isnan(m.value["A"])  # the only post is two years old


def test_content_uses_bad_pattern_is_explained():
    f = features(PROFILES[:2], _posts(("Taller", "text")))
    with pytest.raises(ValueError, match="'broken'"):
        measure(f, "content_uses_coverage", {"uses": [{"id": "broken", "terms": "(taller"}]})


def test_rubric_content_uses_compile_and_find_examples():
    """The rubric's 17 default uses: valid patterns, labels in both languages, and each one
    finds a post written for it."""
    rubric = load_rubric()
    params = next(c["params"] for _, c in rubric.criteria()
                  if c["metric"] == "content_uses_coverage")
    uses = params["uses"]
    assert len(uses) == 17
    assert all(u["label"]["es"] and u["label"]["en"] for u in uses)
    examples = [
        ("Te esperamos en el taller de escritura", "text"),
        ("Así fue la presentación del libro", "photo"),
        ("Nuevo horario de atención al público", "text"),
        ("Conoce las nuevas adquisiciones de la colección", "text"),
        ("Descarga el informe anual en PDF", "link"),
        ("¿Qué opinas? Déjanos tu comentario", "text"),
        ("Feria organizada por la asociación de vecinos del barrio", "text"),
        ("Exposición de ilustraciones infantiles", "photo"),
        ("Corte de tráfico en la plaza mayor", "text"),
        ("¿Sabías que puedes pedir cita? Te ayudamos paso a paso", "text"),
        ("Día del libro: literatura y música en el museo", "text"),
        ("Así trabajamos: conoce a nuestro equipo", "text"),
        ("Hoy #DiaDelLibro", "text"),
        ("Participa en la encuesta", "text"),
        ("Gracias a los voluntarios y al personal", "text"),
        ("Síguenos en directo", "live"),
        ("Día internacional de la igualdad: defendemos el acceso a la información", "text"),
    ]
    posts = [TEXTS, *[["facebook", "a", f"2026-10-{i + 1:02d}", text, fmt]
                      for i, (text, fmt) in enumerate(examples)]]
    m = measure(features(PROFILES[:2], posts), "content_uses_coverage",
                {**params, "min_posts": 1})
    assert m.value["A"] == 1.0, m.text("en")["A"]


def _rubric_params(name: str = "gobierno") -> dict:
    return next(c["params"] for _, c in load_rubric(name).criteria()
                if c["metric"] == "content_uses_coverage")


def _uses_found(text: str, fmt: str = "text", params: dict | None = None) -> set[str]:
    """The uses one post counts toward, with the shipped rubric's term lists."""
    params = {**(params or _rubric_params()), "min_posts": 1}
    m = measure(features(PROFILES[:2], _posts((text, fmt))), "content_uses_coverage", params)
    counts = m.details.set_index("institution").loc["A"]
    return set(counts[counts > 0].index)


@pytest.mark.parametrize("text", [
    "¡Vota por el cambio!",
    "Este domingo, todos a las urnas #VotaCambio",
    "Gracias a nuestro alcalde, el taller de lectura vuelve este sábado #YoVoto",
    "Ven al mitin: charla con los vecinos del barrio",
])
def test_campaign_posts_count_toward_no_content_use(text):
    assert _uses_found(text) == set()


def test_a_campaign_term_removes_a_post_that_shows_a_use():
    # The same post shows events and hashtags; with the campaign terms it shows nothing.
    assert _uses_found("Taller de escritura #VotaX", params=USES) == {"events", "hashtags"}
    assert _uses_found("Taller de escritura #VotaX",
                       params={**USES, "exclude": {"etiqueta": r"#vota\w*"}}) == set()
    assert _uses_found("Taller de escritura #Villa",
                       params={**USES, "exclude": {"etiqueta": r"#vota\w*"}}) == \
        {"events", "hashtags"}


@pytest.mark.parametrize("text,found", [
    ("Comienzan las obras de pavimentación de la avenida", set()),
    ("Restauramos dos obras de arte", {"illustrations", "culture_news"}),  # "arte": culture
    ("Nuevo sistema de citas para usuarios", set()),
    ("Los usuarios reportan fallas en la página web", set()),
    ("Conoce a nuestros usuarios más fieles", {"people", "behind_scenes"}),
    ("Vota tu favorito en la encuesta", {"engagement"}),
])
def test_ambiguous_terms_match_what_the_use_means(text, found):
    assert _uses_found(text) == found


def test_content_uses_exclude_the_terms_of_political_content_in_every_rubric():
    """The campaign terms are written once (term_lists) and named by both criteria: a post
    penalised as political can never be rewarded as a content use."""
    for name in ("gobierno", "salud", "bibliotecas"):
        rubric = load_rubric(name)
        political = next(c["params"]["terms"] for _, c in rubric.criteria()
                         if c["metric"] == "political_share")
        assert _rubric_params(name)["exclude"] == political, name


# --- folding -------------------------------------------------------------------------------

def test_fold_accents():
    texts = pd.Series(["Canción Ñandú ÁRBOL pingüino", None, "", "e\u0301xito", "× ß 🎉"],
                      dtype="str")
    assert fold_accents(texts).to_pylist() == ["Cancion Nandu ARBOL pinguino", "", "",
                                               "exito", "× ß 🎉"]
    assert fold_accents(texts.iloc[2:]).to_pylist() == ["", "exito", "× ß 🎉"]
    assert fold_accents(pd.Series([None, "abc"], dtype="str")).to_pylist() == ["", "abc"]


def test_content_uses_read_on_the_candidates_equal_a_pass_over_every_post():
    """Each use's terms matched only on the posts that match some use (``_term_candidates``)
    find what one pass over every post finds: on the demo's posts and interactions, with
    the uses of every rubric."""
    demo = Path(__file__).resolve().parent.parent / "sample_data" / "demo_auditoria_sintetica.xlsx"
    texts = pd.concat([pd.read_excel(demo, sheet_name=sheet, dtype=str,
                                     engine="calamine")["texto"]
                       for sheet in ("publicaciones", "interacciones")], ignore_index=True)
    texts = pd.concat([texts, pd.Series(["#Cultura2025 en directo", "Taller, ¿qué opinas?",
                                         None, ""])], ignore_index=True)
    folded = fold_accents(texts)
    formats = pd.Series([None] * len(texts), dtype="object")
    checked = 0
    for name in ("gobierno", "bibliotecas", "salud"):
        for _, criterion in load_rubric(name).criteria():
            if criterion["metric"] != "content_uses_coverage":
                continue
            uses = [u for u in criterion["params"]["uses"] if u.get("terms")]
            patterns = [_use_pattern(u) for u in uses]
            candidates = _term_candidates(folded, patterns)
            rows = np.flatnonzero(candidates)
            subset = pc.filter(folded, pa.array(candidates))
            for use, pattern in zip(uses, patterns, strict=True):
                alone = pc.match_substring_regex(folded, strip_accents(use["terms"]),
                                                 ignore_case=True)
                terms_only = {k: v for k, v in use.items() if k != "formats"}
                got = _use_hits(terms_only, pattern, subset, rows, formats)
                assert got.tolist() == alone.to_pylist(), use["id"]
                checked += int(got.sum())
    assert checked > 500
