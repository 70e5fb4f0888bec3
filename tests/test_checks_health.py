"""Health-sector checks: personal data in posts, a blog as the hub."""

from __future__ import annotations

from factories import features

from audit.measure.checks import measure

PROFILES = [["institution", "network", "handle"],
            ["Hospital", "facebook", "hosp"], ["Hospital", "blog", "blog.hosp.example"],
            ["Consultorio", "facebook", "consul"]]
POSTS = [["network", "handle", "published_at", "text"],
         ["facebook", "hosp", "2026-10-30 10:00",
          "Paciente Juana Pérez, historia clínica 123456: llame a su hija al 612 345 678"],
         ["facebook", "hosp", "2026-10-29 10:00", "Horario de vacunación"],
         ["facebook", "hosp", "2026-10-28 10:00", "Campaña de donación"],
         ["facebook", "hosp", "2026-10-27 10:00", "Pida su historia clínica: info@hosp.example"],
         ["blog", "blog.hosp.example", "2026-10-20 10:00", "Nuevo artículo"],
         ["facebook", "consul", "2026-10-30 10:00", "Abrimos el lunes"]]


def test_personal_data_share_and_evidence():
    m = measure(features(PROFILES, POSTS), "personal_data_share", {})
    assert m.value.to_dict() == {"Consultorio": 0.0, "Hospital": 0.2}
    assert m.text("es")["Hospital"] == (
        "1 de 5 publicaciones muestran datos personales (teléfono 1, historia clínica o "
        "expediente 1, nombre de un paciente o familiar 1), p. ej. «Paciente [nombre], "
        "historia clínica [expediente]: llame a su hija al [teléfono]»")
    assert "Juana" not in m.text("en")["Hospital"] and "Juana" not in m.details.to_string()
    assert m.text("en")["Consultorio"] == "No post shows personal data"


def test_blog_hub():
    m = measure(features(PROFILES, POSTS), "blog_hub", {})
    assert m.value.to_dict() == {"Consultorio": 0.0, "Hospital": 1.0}
    assert m.text("en")["Consultorio"] == "No blog of its own"
