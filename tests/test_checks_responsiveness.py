"""Responsiveness checks on tiny hand-built inputs."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest
import yaml
from factories import dimension_score, features

from audit.measure.checks import measure
from audit.measure.privacy import Privacy
from audit.score.rubric import RUBRICS_DIR

METRICS = ("response_rate", "median_first_reply_hours", "replied_within_24h_share",
           "complaint_response_rate")
PROFILES = [["institution", "network", "handle"],
            ["A", "facebook", "a"], ["A", "x", "a"],
            ["B", "facebook", "b"],
            ["C", "facebook", "c"]]
HEADER = ["network", "handle", "received_at", "replied_at", "is_complaint", "text"]


def _dimension() -> dict:
    rubric = yaml.safe_load((RUBRICS_DIR / "gobierno.yaml").read_text(encoding="utf-8"))
    return next(d for d in rubric["dimensions"] if d["id"] == "responsiveness")


def _criterion(metric: str) -> dict:
    return next(c for c in _dimension()["criteria"] if c["metric"] == metric)


def _message(handle: str, day: int, reply_hours: float | None, complaint=None,
             text: str = "Consulta", network: str = "facebook") -> list:
    received = pd.Timestamp("2026-10-01 09:00") + pd.Timedelta(days=day)
    replied = None if reply_hours is None else received + pd.Timedelta(hours=reply_hours)
    return [network, handle, received.strftime("%Y-%m-%d %H:%M:%S"),
            None if replied is None else replied.strftime("%Y-%m-%d %H:%M:%S"), complaint, text]


# A answers 19 of 20 messages within 2 hours; B answers 4 of 20, three days later.
PLANTED = [HEADER,
           *[_message("a", day % 25, 2 if day < 19 else None) for day in range(20)],
           *[_message("b", day % 25, 72 if day < 4 else None) for day in range(20)]]


def test_fast_answers_score_higher_than_late_few():
    f = features(PROFILES, interactions=PLANTED)
    values = {m: measure(f, m, _criterion(m).get("params") or {}).value for m in METRICS[:3]}
    assert values["response_rate"]["A"] == pytest.approx(0.95)
    assert values["response_rate"]["B"] == pytest.approx(0.20)
    assert values["median_first_reply_hours"].to_dict() == {"A": 2, "B": 72, "C": pytest.approx(
        math.nan, nan_ok=True)}
    assert values["replied_within_24h_share"]["A"] == pytest.approx(0.95)
    assert values["replied_within_24h_share"]["B"] == 0
    score = dimension_score(f, "responsiveness")
    assert score["A"] > 85
    assert score["B"] < 30
    assert math.isnan(score["C"])  # no interaction rows: not evaluated, not zero


@pytest.mark.parametrize("metric", METRICS)
def test_no_interaction_data_is_not_evaluated(metric):
    posts = [["network", "handle", "published_at"], ["facebook", "a", "2026-10-30 10:00"]]
    m = measure(features(PROFILES, posts), metric, _criterion(metric).get("params") or {})
    assert m.value.isna().all()


@pytest.mark.parametrize("metric", METRICS)
def test_institution_without_interactions_is_not_evaluated(metric):
    rows = [HEADER, _message("a", 1, 1, "sí"), _message("b", 1, None, "sí")]
    m = measure(features(PROFILES, interactions=rows), metric,
                _criterion(metric).get("params") or {})
    assert math.isnan(m.value["C"])


@pytest.mark.parametrize(("rows", "params", "expected"), [
    # (reply hours per message, params) -> share answered within the window
    ([1, 23, 25, None], {}, 0.5),
    ([1, 23, 25, None], {"hours": 48}, 0.75),
    ([1, 200, None, None], {"hours": 240, "max_days": 7}, 0.25),  # 200 h > 7 days: no reply
    ([1, 200, None, None], {"hours": 240, "max_days": 10}, 0.5),
])
def test_replied_within_window(rows, params, expected):
    sheet = [HEADER, *[_message("b", i, h) for i, h in enumerate(rows)]]
    m = measure(features(PROFILES, interactions=sheet), "replied_within_24h_share", params)
    assert m.value["B"] == pytest.approx(expected)


def test_late_replies_evidence_and_optional_cap_on_response_rate():
    sheet = [HEADER, _message("b", 0, 1), _message("b", 1, 200)]
    f = features(PROFILES, interactions=sheet)
    within = measure(f, "replied_within_24h_share", {})
    assert "1 respuestas después de 7 días cuentan como no respondidas" in within.text("es")["B"]
    assert measure(f, "response_rate", {}).value["B"] == 1.0
    assert measure(f, "response_rate", {"max_days": 7}).value["B"] == 0.5


def test_median_is_the_median_and_evidence_reads_in_spanish():
    # The Fanpage Karma example of DESIGN.md: median 0.88 h, not the mean 4.76 h.
    hours = [0.17, 0.75, 2, 20, 0.88]
    sheet = [HEADER, *[_message("b", i, h) for i, h in enumerate(hours)], _message("b", 9, None)]
    m = measure(features(PROFILES, interactions=sheet), "median_first_reply_hours", {})
    assert m.value["B"] == pytest.approx(0.88)
    assert m.text("es")["B"] == "Mediana 0,9 h sobre 5 respuestas"
    assert m.text("en")["B"] == "Median 0.9 h over 5 replies"


def test_median_by_network_and_in_days_when_long():
    sheet = [HEADER, _message("a", 0, 2), _message("a", 1, 96, network="x")]
    m = measure(features(PROFILES, interactions=sheet), "median_first_reply_hours", {})
    assert m.value["A"] == 49
    assert m.text("es")["A"] == ("Mediana 49 h (2 días) sobre 2 respuestas; por red: "
                                  "Facebook 2 h, X 96 h (4 días)")


def test_median_not_evaluated_when_nothing_was_answered():
    sheet = [HEADER, _message("b", 0, None), _message("b", 1, None)]
    f = features(PROFILES, interactions=sheet)
    m = measure(f, "median_first_reply_hours", {})
    assert math.isnan(m.value["B"])
    assert m.text("es")["B"].startswith("Ninguna respuesta con fecha")
    assert measure(f, "response_rate", {}).value["B"] == 0


@pytest.mark.parametrize(("is_complaint", "text", "complaint"), [
    ("sí", "¿A qué hora abre la biblioteca?", True),      # the sheet says so
    ("no", "Llevo tres días sin agua, qué vergüenza", False),  # the sheet wins over the text
    (None, "Llevo tres días sin agua, qué vergüenza", True),   # empty: detected from the text
    (None, "LLEVAMOS DOS SEMANAS CON LA FAROLA ROTA", True),
    (None, "Nadie contesta al teléfono de la oficina", True),
    (None, "La fuente del parque no funciona", True),
    (None, "¿A qué hora abre la biblioteca?", False),     # a question, not a demand
    (None, "¿Para cuándo vais a arreglar la farola de mi calle?", True),
    (None, "Sois unos ineptos, la plaza sigue igual", True),
    (None, "Retiren el contenedor que han puesto en la acera", True),
    (None, "Muchas gracias por la información", False),
    (None, None, False),
])
def test_complaint_detection(is_complaint, text, complaint):
    sheet = [HEADER, _message("b", 0, None, is_complaint, text)]
    m = measure(features(PROFILES, interactions=sheet), "complaint_response_rate",
                _criterion("complaint_response_rate")["params"])
    assert (m.value["B"] == 0) if complaint else math.isnan(m.value["B"])


def test_complaint_rate_evidence_counts_unanswered_complaints_without_quoting_them():
    sheet = [HEADER,
             _message("a", 0, 3, None, "Es una vergüenza el estado del parque"),
             _message("a", 1, None, "sí", "La farola de mi calle sigue apagada"),
             _message("a", 2, None, None, "Llevo una semana sin recogida de basura",
                      network="x"),
             _message("a", 3, None, None, "Gracias por avisar"),
             _message("b", 0, 1, "no", "Gracias")]
    params = _criterion("complaint_response_rate")["params"]
    f = features(PROFILES, interactions=sheet)
    m = measure(f, "complaint_response_rate", params)
    assert m.value["A"] == pytest.approx(1 / 3)
    assert m.text("es")["A"] == (
        "1 de 3 quejas respondidas (2 reconocidas por el texto); 2 sin respuesta, la más "
        "antigua de hace 29 días (filas 3, 4 de interacciones); textos no citados (privacidad)")
    assert math.isnan(m.value["B"])
    assert m.text("es")["B"] == "Ninguna queja entre 1 interacciones"
    assert "text" not in m.details and list(m.details["source_row"]) == [4, 3]
    # quoted only when the auditor asks, then masked
    quoted = measure(replace(f, privacy=Privacy(quote_citizens=True)),
                     "complaint_response_rate", params)
    assert quoted.text("es")["A"] == (
        "1 de 3 quejas respondidas (2 reconocidas por el texto); sin respuesta: "
        "2026-10-03, X: «Llevo una semana sin recogida de basura»; "
        "2026-10-02, Facebook: «La farola de mi calle sigue apagada»")
    assert list(quoted.details["text"]) == ["Llevo una semana sin recogida de basura",
                                            "La farola de mi calle sigue apagada"]


def test_complaints_only_from_the_sheet_without_terms():
    sheet = [HEADER, _message("b", 0, None, None, "Qué vergüenza"),
             _message("b", 1, 2, "sí", "Queja")]
    m = measure(features(PROFILES, interactions=sheet), "complaint_response_rate", {})
    assert m.value["B"] == 1.0


def test_response_rate_evidence_by_network():
    sheet = [HEADER, _message("a", 0, 1), _message("a", 1, None),
             _message("a", 2, 1, network="x")]
    m = measure(features(PROFILES, interactions=sheet), "response_rate", {})
    assert m.value["A"] == pytest.approx(2 / 3)
    assert m.text("es")["A"] == "2 de 3 interacciones respondidas; por red: Facebook 50 %, X 100 %"
    assert m.text("en")["A"] == "2 of 3 interactions answered; by network: Facebook 50%, X 100%"
