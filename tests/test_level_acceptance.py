"""Levels a public-sector auditor would accept, end to end through the pipeline: whatever the
governance answers, campaign content on an official account keeps an institution below level
4, and an institution whose every profile has been silent for a year does not reach level 2.

Three institutions answer "yes", with evidence, to every governance question and answer every
citizen within the hour; they differ only in what they post and when."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import AS_OF, workbook

from audit import run_audit
from audit.ingest.contract import GOVERNANCE_ITEMS

NAMES = ("Modelo", "Campaña", "Silencio")
NEWS = ["Abrimos inscripciones para el taller de empleo. ¡Te esperamos, vecinos!",
        "Hoy se aprobó el presupuesto municipal 2027: consulta el detalle en la web.",
        "Gracias a todos por participar en la jornada de limpieza del río.",
        "Aviso: corte de agua el jueves de 9 a 12 h en el centro. Disculpen las molestias."]
CAMPAIGN = "¡Vota al candidato del partido! Cumplimos lo prometido, #VotaCambio"


def _when(days_ago: int, hour: int = 10) -> str:
    return f"{AS_OF - dt.timedelta(days=days_ago)} {hour:02d}:00"


def _sheets() -> bytes:
    profiles = [["institution", "network", "handle", "sector", "followers", "display_name"]]
    posts = [["network", "handle", "published_at", "text", "likes", "comments", "shares"]]
    interactions = [["network", "handle", "received_at", "text", "is_complaint", "replied_at"]]
    governance = [["institution", "item", "answer", "evidence"]]
    for name in NAMES:
        handle = name.lower().replace("ñ", "n")
        for network in ("facebook", "x"):
            profiles.append([name, network, handle, "local_government", 5000, f"Ayto {name}"])
            start = 365 if name == "Silencio" else 0  # silent for a year
            for day in range(start, start + 90, 3):
                text = NEWS[day % len(NEWS)]
                if name == "Campaña" and day % 2 == 0:  # about half the posts campaign
                    text = CAMPAIGN
                posts.append([network, handle, _when(day), text, 40, 5, 3])
            for day in range(1, 60, 6):
                interactions.append([network, handle, _when(day, 9), "¿A qué hora abre?",
                                     "no", _when(day, 9)[:-2] + "30"])
        governance += [[name, item, "sí", "Resolución 5/2026"] for item in GOVERNANCE_ITEMS]
    return workbook(profiles, posts, interactions, governance)


@pytest.fixture(scope="module")
def institutions():
    result = run_audit([("tres.xlsx", _sheets())], as_of=AS_OF)
    assert result.usable and not result.check_errors
    return result.scorecard.institutions


def test_the_model_institution_reaches_a_high_level(institutions):
    assert institutions.loc["Modelo", "maturity_level"] >= 4
    assert institutions.loc["Modelo", "coverage"] > 0.8


def test_campaign_content_keeps_an_institution_below_level_4(institutions):
    row = institutions.loc["Campaña"]
    assert row["maturity_level"] <= 2
    assert row["governance"] == 100  # every answer "yes" with evidence: it does not help
    assert "Contenido político" in row["maturity_capped_es"]
    assert "limita el nivel a 2" in row["maturity_capped_es"]


def test_a_year_of_silence_keeps_an_institution_below_level_2(institutions):
    row = institutions.loc["Silencio"]
    assert row["maturity_level"] == 1
    assert row["governance"] == 100
    assert row["maturity_capped_en"] == (
        "Level 2 not reached: 0 live profiles (at least 1 required)")
    # its tone, transparency and engagement have nothing in the window to judge: what would
    # complete them is posts inside the window, not a sheet it already sent
    assert row["coverage"] < 0.7
    assert row["missing_inputs"] == "posts_in_window"
