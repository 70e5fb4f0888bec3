"""Health-sector checks: personal data in posts, a blog as the hub."""

from __future__ import annotations

from factories import features

from audit.measure.checks import measure

PATTERNS = {"email": r"[\w.+-]+@[\w-]+\.[\w.]+", "historia_clinica": r"historia cl[ií]nica"}
PROFILES = [["institution", "network", "handle"],
            ["Hospital", "facebook", "hosp"], ["Hospital", "blog", "blog.hosp.example"],
            ["Consultorio", "facebook", "consul"]]
POSTS = [["network", "handle", "published_at", "text"],
         ["facebook", "hosp", "2026-10-30 10:00", "Escriba a juana.perez@correo.example"],
         ["facebook", "hosp", "2026-10-29 10:00", "Horario de vacunación"],
         ["facebook", "hosp", "2026-10-28 10:00", "Campaña de donación"],
         ["facebook", "hosp", "2026-10-27 10:00", "Pida su historia clínica en ventanilla"],
         ["blog", "blog.hosp.example", "2026-10-20 10:00", "Nuevo artículo"],
         ["facebook", "consul", "2026-10-30 10:00", "Abrimos el lunes"]]


def test_personal_data_share_and_evidence():
    m = measure(features(PROFILES, POSTS), "personal_data_share", {"patterns": PATTERNS})
    assert m.value.to_dict() == {"Consultorio": 0.0, "Hospital": 0.4}
    assert "email (1)" in m.text("es")["Hospital"]
    assert "juana" not in m.text("es")["Hospital"]  # the evidence does not repeat the data


def test_blog_hub():
    m = measure(features(PROFILES, POSTS), "blog_hub", {})
    assert m.value.to_dict() == {"Consultorio": 0.0, "Hospital": 1.0}
    assert m.text("en")["Consultorio"] == "No blog of its own"
