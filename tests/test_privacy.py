"""Privacy: personal data masked in every quote, citizens' texts quoted only on request,
authors as keyed pseudonyms, posts that expose personal data reported as a risk; and no
planted identity number, phone or e-mail in any output file or page."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from factories import workbook
from streamlit.testing.v1 import AppTest

from audit import run_audit, write_outputs
from audit.measure.privacy import Privacy
from audit.measure.text.personal_data import exposed_kinds, find, mask, masked

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = Path(__file__).parent / "data" / "personal_data_examples.csv"


def _examples() -> list[dict]:
    with EXAMPLES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("row", _examples(), ids=lambda r: r["text"][:40])
def test_spanish_examples_are_masked_as_the_table_says(row):
    assert mask(row["text"], "es", ["ayto_villa"]) == row["masked"]
    assert ";".join(sorted(exposed_kinds(row["text"]))) == row["exposes"]


def test_the_examples_cover_every_kind_and_both_outcomes():
    rows = _examples()
    kinds = {p.kind for r in rows for p in find(r["text"], ["ayto_villa"])}
    assert kinds == {"national_id", "phone", "email", "handle", "record", "name"}
    assert sum(r["text"] == r["masked"] for r in rows) >= 10  # texts left alone
    assert sum(r["text"] != r["masked"] for r in rows) >= 30


def test_masks_follow_the_reader_and_tables_get_the_kind_ids():
    said = "Soy Ana Ruiz, mi DNI es 12345678Z y mi correo ana.ruiz@gmail.com"
    assert masked(said) == {
        "es": "Soy [nombre], mi DNI es [documento] y mi correo [correo]",
        "en": "Soy [name], mi DNI es [ID number] y mi correo [e-mail]"}
    assert mask(said, None) == "Soy [name], mi DNI es [national_id] y mi correo [email]"


def test_check_digits_decide_a_number_without_a_document_name():
    assert mask("el 12345678Z", "es") == "el [documento]"  # 12345678 mod 23 -> Z
    assert mask("el 12345678A", "es") == "el 12345678A"
    assert mask("cuenta 20-12345678-6", "es") == "cuenta [documento]"  # CUIL check 6
    assert mask("cuenta 20-12345678-5", "es") == "cuenta 20-12345678-5"
    assert mask("dato 12.345.678-5 ok", "es") == "dato [documento] ok"  # RUT check 5
    assert mask("dato 12.345.678-4 ok", "es") == "dato 12.345.678-4 ok"


def test_pseudonyms_are_keyed_per_audit_and_stable_within_one():
    one, other = Privacy(), Privacy()
    assert one.code("@Vecina_Ana") == one.code("vecina_ana")
    assert one.code("vecina_ana") != other.code("vecina_ana")
    assert len(one.code("vecina_ana")) == 8 and one.code(" ") is None
    assert "key" not in repr(one) and one.key.hex() not in repr(one)


# --- a workbook full of personal data --------------------------------------------------------

#: What must never leave the tool: citizens' identity numbers, phones, e-mails, handles,
#: names, and a patient's data in a hospital's post.
PLANTED = ["12345678Z", "GODE561231HDFRRN09", "9.876.543-3", "612 345 678", "612345678",
           "300 123 4567", "juana.perez@gmail.com", "vecina_ana", "maria_zubi",
           "Maricruz", "Zubizarreta", "Eleuterio", "7788990", "699 887 766", "ZUBIZARRETA"]
PROFILES = [["institution", "network", "handle", "sector"],
            ["Ayuntamiento de Villa", "facebook", "ayto_villa", "local_government"],
            ["Ayuntamiento de Villa", "x", "ayto_villa", "local_government"],
            ["Hospital del Valle", "facebook", "hosp_valle", "health"],
            ["Hospital del Valle", "x", "hosp_valle", "health"]]
POSTS = [["network", "handle", "published_at", "text"],
         ["facebook", "ayto_villa", "2026-10-30 10:00", "Abrimos el plazo de las ayudas al "
          "alquiler: presupuesto de 2 millones de euros"],
         ["x", "ayto_villa", "2026-10-29 10:00", "Hoy pleno municipal a las 18:00"],
         ["facebook", "hosp_valle", "2026-10-30 10:00",
          "PACIENTE MARICRUZ ZUBIZARRETA, HISTORIA CLÍNICA 7788990, TEL 699 887 766, "
          "YA PUEDE RECOGER SUS RESULTADOS EN ADMISIÓN"],
         ["x", "hosp_valle", "2026-10-29 10:00", "Campaña de vacunación de la gripe"]]
COMPLAINTS = [
    "Soy Maricruz Zubizarreta, DNI 12345678Z, llamadme al 612 345 678, nadie contesta",
    "Mi hijo Eleuterio no tiene plaza; mi correo es juana.perez@gmail.com",
    "@vecina_ana y yo (CURP GODE561231HDFRRN09) seguimos sin luz, cel 300 123 4567",
    "Queja: mi rut 9.876.543-3 aparece mal y llamo al 612345678 sin respuesta",
]
INTERACTIONS = [["network", "handle", "received_at", "replied_at", "is_complaint", "text",
                 "author"]] + [
    ["facebook", handle, f"2026-10-{10 + i:02d} 09:00", None, "sí", said, author]
    for handle in ("ayto_villa", "hosp_valle")
    for i, (said, author) in enumerate(zip(COMPLAINTS, ["@maria_zubi", "Maricruz Zubizarreta",
                                                       "@vecina_ana", "maria_zubi"],
                                           strict=True))]


def _planted_book() -> bytes:
    return workbook(PROFILES, POSTS, INTERACTIONS)


def _leaks(text: str) -> list[str]:
    return [value for value in PLANTED if value in text]


def _written(result, folder: Path) -> dict[str, str]:
    write_outputs(result, folder)
    files = {p.name: p.read_text(encoding="utf-8", errors="replace")
             for p in sorted(folder.iterdir()) if p.is_file()}
    assert {"scores.csv", "recommendations.csv", "audit.json", "problems.csv"} <= set(files)
    return files


@pytest.mark.parametrize("quote_citizens", [False, True])
def test_no_planted_personal_data_in_any_output_file(tmp_path, quote_citizens):
    result = run_audit([("planted.xlsx", _planted_book())], quote_citizens=quote_citizens,
                       rubric="salud")
    files = _written(result, tmp_path)
    assert {name: _leaks(body) for name, body in files.items() if _leaks(body)} == {}
    assert result.features.privacy.key.hex() not in "".join(files.values())
    record = json.loads(files["audit.json"])["privacy"]
    assert record["quote_citizens"] is quote_citizens
    scores = files["scores.csv"]
    if quote_citizens:  # quoted, masked, with pseudonyms
        assert "[documento]" in scores and "[teléfono]" in scores and "ciudadano-" in scores
    else:  # counted and located, never quoted
        assert "4 sin respuesta" in scores and "textos no citados (privacidad)" in scores
        assert "[documento]" not in scores and "ciudadano-" not in scores
    # the hospital's post is reported as exposing a patient's data, masked
    assert "PACIENTE [nombre], HISTORIA CLÍNICA [expediente], TEL [teléfono]" in scores


def test_posts_exposing_personal_data_are_a_compliance_risk_in_every_rubric():
    book = [("planted.xlsx", _planted_book())]
    for rubric, criterion in (("gobierno", "personal_data"), ("bibliotecas", "personal_data"),
                              ("salud", "patient_privacy")):
        result = run_audit(book, rubric=rubric)
        scores = result.scorecard.scores.set_index(["institution", "criterion"])
        assert scores.loc[("Hospital del Valle", criterion), "value"] == 0.5
        assert scores.loc[("Ayuntamiento de Villa", criterion), "value"] == 0.0
        actions = result.recommendations
        mine = actions[(actions["institution"] == "Hospital del Valle")
                       & (actions["action_id"] == criterion)]
        assert list(mine["tier"]) == ["compliance"] and list(mine["rank"]) == [1]
    # under the health rubric it is a knock-out: level 1 at most
    assert result.scorecard.institutions.loc["Hospital del Valle", "maturity_level"] <= 1


def test_the_demo_audit_quotes_no_citizen_text(tmp_path, demo_audit):
    """The demo's citizens' texts are templates filled per message: none of their fixed
    words may appear in an output, and no e-mail or pseudonym either."""
    files = _written(demo_audit, tmp_path)
    with (ROOT / "sample_data" / "demo" / "citizen_texts.csv").open(encoding="utf-8") as f:
        fragments = [max(row["text"].split("{")[0].split("}")[-1].split(","), key=len).strip()
                     for row in csv.DictReader(f)]
    fragments = [x for x in fragments if len(x) >= 25]
    assert len(fragments) > 10
    body = "".join(files.values())
    assert [x for x in fragments if x in body] == []
    assert "ciudadano-" not in body and "citizen-" not in body


def test_cli_records_the_quote_option(tmp_path):
    from audit.cli import main

    book = tmp_path / "planted.xlsx"
    book.write_bytes(_planted_book())
    assert main(["run", str(book), "--out", str(tmp_path / "out"), "--quote-citizens"]) == 0
    record = json.loads((tmp_path / "out" / "audit.json").read_text(encoding="utf-8"))
    assert record["privacy"]["quote_citizens"] is True


@pytest.mark.parametrize("quote_citizens", [False, True])
def test_app_pages_show_no_planted_personal_data(quote_citizens):
    data = _planted_book()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["files"] = [("planted.xlsx", data)]
    at.session_state["files_digest"] = hashlib.sha256(data).hexdigest()
    at.run()
    if quote_citizens:
        at.sidebar.checkbox(key="quote_citizens").check().run()
    shown = []
    for page in ("scorecard", "dimensions", "plan"):
        for institution in ("Ayuntamiento de Villa", "Hospital del Valle"):
            at.session_state["institution"] = institution
            at.switch_page(f"app_pages/{page}.py").run()
            assert not at.exception, [e.value for e in at.exception]
            shown += [e.value for e in (*at.markdown, *at.caption, *at.info, *at.warning)]
            shown += [e.value.to_csv() for e in at.dataframe]
    text = "\n".join(str(s) for s in shown)
    assert "PACIENTE [nombre]" in text or "PACIENTE [name]" in text  # the pages were read
    assert _leaks(text) == []


def test_pieces_found_again_are_the_same_and_each_caller_gets_its_own_list():
    text = "Llame al 612 345 678, soy Ana Ruiz, @vecina_ana"
    first = find(text, ["ayto_villa"])
    first.clear()  # a caller that changes its list changes no other caller's
    again = find(text, frozenset({"@Vecina_Ana"}))
    assert [p.kind for p in find(text, ["ayto_villa"])] == ["phone", "name", "handle"]
    assert [p.kind for p in again] == ["phone", "name"]  # own handles are part of the key


def test_the_cache_of_pieces_found_is_bounded_in_texts_and_in_characters():
    from audit.measure.text import personal_data as pd_module

    assert (pd_module._found.max_texts, pd_module._found.max_chars) == (
        pd_module.FOUND_CACHE_TEXTS, pd_module.FOUND_CACHE_CHARS)
    own = frozenset()
    texts = [f"Llame al 612 345 67{i}, soy Ana Ruiz" for i in range(10)]  # 34 characters each
    cache = pd_module._FoundCache(max_texts=4, max_chars=100)
    for text in texts[:3]:
        assert cache(text, own) == pd_module._search(text, own)
    assert cache.sizes() == (2, 68)  # a third text would pass 100 characters: the first went
    cache(texts[1], own)  # used again: now the most recent
    cache(texts[3], own)
    assert cache.sizes() == (2, 68)
    assert list(cache._entries) == [(texts[1], own), (texts[3], own)]
    long_text = "Hola, soy Ana Ruiz. " * 10  # 200 characters, more than the whole cache
    assert cache(long_text, own) == pd_module._search(long_text, own)
    assert cache.sizes() == (2, 68)  # not kept, and nothing let go for it
    by_count = pd_module._FoundCache(max_texts=4, max_chars=10_000)
    for text in texts:
        by_count(text, own)
    assert by_count.sizes() == (4, 4 * 34)
    by_count.cache_clear()
    assert by_count.sizes() == (0, 0)
