"""The Streamlit app driven headless: the data page, every page in both languages, the
per-institution pages, a rubric edit that changes the scores, and the safety of what it shows.
The peers, research and group-comparison pages are in test_app_compare.py (a second file, so
that the two halves run on different test processes).

The demo audit runs once per test process: the app keeps it in ``st.cache_resource``, which
AppTest instances in one process share, so later tests reuse it.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import yaml
from app_driver import (
    FIRST,
    PAGES,
    ROOT,
    TITLES,
    WEAK,
    metrics_of,
    no_failure,
    open_app,
    open_demo,
    switch_to,
)
from streamlit.testing.v1 import AppTest

from ui.i18n import TEXT

# --- Data page -----------------------------------------------------------------------------


def test_start_page_offers_demo_and_template():
    at = open_app()
    assert not at.exception
    assert at.button[0].label == "Cargar datos de demostración"
    assert at.get("download_button")[0].proto.label == "Descargar plantilla en blanco"
    assert "suba archivos" in at.info[0].value


def test_demo_data_shows_summary_problems_and_statuses():
    at = open_demo()
    no_failure(at)
    metrics = metrics_of(at)
    assert metrics["Instituciones"] == "40"
    assert metrics["Publicaciones"] == "8.674"  # Spanish thousands separator
    assert metrics["Fecha de auditoría"] == "31 de octubre de 2026"
    rows, inputs, problems, profiles = (d.value for d in at.dataframe)
    assert set(rows["read"]) >= {170, 8677}
    assert inputs["sha256"][0] == "4076ca6481f8a92d6887d36ac201572da2e1922f25949a7fa62365551bcdd9ce"
    assert "duplicate_profile" in set(problems["code"])
    assert problems["message"].str.len().min() > 10  # every problem explained
    assert "⛔ abandonado" in set(profiles["status"])
    assert at.sidebar.text[0].value == "demo_auditoria_sintetica.xlsx"


def test_the_data_page_does_not_compute_the_clusters_stability(monkeypatch):
    """The summary reads the audit's record without its clusters: their stability (30
    bootstrap refits) is read only where it is shown, on request on the Compare page."""
    from audit.peers.clusters import Clusters

    reads = []
    stability = Clusters.agreement
    monkeypatch.setattr(Clusters, "agreement",
                        property(lambda self: reads.append(1) or stability.fget(self)))
    at = open_demo()
    no_failure(at)
    assert metrics_of(at)["Instituciones"] == "40"
    switch_to(at, "methodology")
    switch_to(at, "data")
    no_failure(at)
    assert reads == []


def test_problem_filters_narrow_the_table():
    at = open_demo()
    total = len(at.dataframe[2].value)
    _filter(at, "severity").set_value(["error"]).run()
    errors = at.dataframe[2].value
    assert 0 < len(errors) < total
    assert set(errors["severity"]) == {"⛔ error"}
    _filter(at, "sheet").set_value(["perfiles"]).run()
    assert set(at.dataframe[2].value["sheet"]) == {"perfiles"}


def _filter(at: AppTest, name: str):
    """The Data page's problem filter ``name`` (severity or sheet), whatever data it is for."""
    return next(m for m in at.multiselect if m.key.startswith(f"filter_{name}_"))


def test_problem_filters_reset_when_the_data_change(spanish_xlsx):
    at = open_demo()
    _filter(at, "severity").set_value(["error"]).run()
    assert len(_filter(at, "severity").value) == 1
    at.file_uploader[0].set_value(
        (spanish_xlsx.name, spanish_xlsx.read_bytes(), "application/vnd.ms-excel")).run()
    no_failure(at)
    assert len(_filter(at, "severity").value) == len(_filter(at, "severity").options) > 1
    assert set(at.dataframe[2].value["severity"]) >= {"⛔ error", "⚠️ aviso"}


def test_a_good_upload_after_a_broken_one_is_audited(spanish_xlsx):
    """A broken file, then the right one added: the right one is audited, the broken one
    is set aside (and said so) until it leaves the uploader."""
    broken = ("roto.xlsx", b"PK\x03\x04 not a workbook", "application/octet-stream")
    good = (spanish_xlsx.name, spanish_xlsx.read_bytes(), "application/vnd.ms-excel")
    at = open_app()
    at.file_uploader[0].set_value(broken).run()
    assert at.error[0].value.startswith("No se puede auditar")
    at.file_uploader[0].set_value([broken, good]).run()
    no_failure(at)
    assert metrics_of(at)["Instituciones"] == "2"
    assert at.sidebar.text[0].value == spanish_xlsx.name
    assert "roto\\.xlsx" in at.warning[0].value  # escaped: a file name is user text
    switch_to(at, "scorecard")
    no_failure(at)
    assert at.title[0].value == "Ayuntamiento de Prueba"
    switch_to(at, "data")
    at.file_uploader[0].set_value(good).run()  # the broken one removed from the uploader
    no_failure(at)
    assert not at.warning and metrics_of(at)["Instituciones"] == "2"


def test_uploading_a_workbook_through_the_uploader(spanish_xlsx):
    at = open_app()
    at.file_uploader[0].set_value(
        (spanish_xlsx.name, spanish_xlsx.read_bytes(), "application/vnd.ms-excel")).run()
    no_failure(at)
    assert metrics_of(at)["Instituciones"] == "2"
    assert "duplicate_profile" in set(at.dataframe[2].value["code"])
    switch_to(at, "scorecard")
    no_failure(at)
    assert at.title[0].value == "Ayuntamiento de Prueba"


@pytest.mark.parametrize("name,data,expected_code", [
    ("roto.xlsx", b"PK\x03\x04 not a workbook", "file_unreadable"),
    ("vacio.csv", b"", "file_empty"),
])
def test_broken_upload_shows_its_problems_not_a_traceback(name, data, expected_code):
    at = open_app()
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception
    assert at.error[0].value.startswith("No se puede auditar")
    assert expected_code in set(at.dataframe[0].value["code"])
    for page in ("scorecard", "compare", "rubric", "methodology"):
        switch_to(at, page)
        assert not at.exception


def test_audit_date_from_the_sidebar():
    at = open_demo()
    at.sidebar.date_input(key="as_of").set_value(dt.date(2026, 9, 30)).run()
    no_failure(at)
    assert metrics_of(at)["Fecha de auditoría"] == "30 de septiembre de 2026"
    assert "fijada a mano" in at.sidebar.caption[-1].value


def test_posts_marked_as_a_sample_leave_activity_unmeasured():
    at = switch_to(open_demo(), "dimensions")
    at.sidebar.selectbox(key="institution").set_value(FIRST).run()
    before = " ".join(" ".join(d.value["evidence"].astype(str)) for d in at.dataframe
                      if "evidence" in d.value.columns)
    assert "Muestra de publicaciones" not in before
    at.sidebar.checkbox(key="posts_sample").check().run()
    no_failure(at)
    after = " ".join(" ".join(d.value["evidence"].astype(str)) for d in at.dataframe
                     if "evidence" in d.value.columns)
    assert "Muestra de publicaciones: no permite medir la actividad" in after
    at.sidebar.checkbox(key="posts_sample").uncheck().run()  # the first audit comes back
    again = " ".join(" ".join(d.value["evidence"].astype(str)) for d in at.dataframe
                     if "evidence" in d.value.columns)
    assert again == before


def test_a_library_failure_is_a_message_not_a_traceback(monkeypatch):
    from ui import state

    def boom(*args, **kwargs):
        raise RuntimeError("bug in the library")

    monkeypatch.setattr(state, "_base_audit", boom)
    at = open_demo()
    assert at.error[0].value.startswith("La auditoría falló por un error interno")
    switch_to(at, "scorecard")
    assert not at.exception
    assert at.error[0].value.startswith("La auditoría falló")


# --- every page, both languages ------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_page_renders_in_both_languages(lang):
    at = open_demo(lang)
    for page in PAGES:
        switch_to(at, page)
        no_failure(at)
        expected = TITLES[lang][page] or FIRST
        assert at.title[0].value == expected, page
    switch_to(at, "scorecard")
    assert TEXT[lang]["level"] in metrics_of(at)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.dumps(json.loads(charts[0].proto.spec), ensure_ascii=False)
    assert TEXT[lang]["chart_x"] in spec
    assert TEXT[lang]["dimensions_vs_peers"] in spec


def test_pages_without_data_point_to_the_data_page():
    at = open_app()
    for page in PAGES[1:]:
        switch_to(at, page)
        assert not at.exception
    switch_to(at, "scorecard")
    assert at.info[0].value.startswith("Aún no hay una auditoría")


def test_switching_language_translates_labels_numbers_and_dates():
    at = open_demo()
    at.sidebar.radio(key="lang").set_value("en").run()
    no_failure(at)
    assert at.title[0].value == "Social media audit of public institutions"
    metrics = metrics_of(at)
    assert metrics["Posts"] == "8,674"
    assert metrics["Audit date"] == "31 October 2026"
    assert "⛔ abandoned" in set(at.dataframe[3].value["status"])


# --- per-institution pages -----------------------------------------------------------------


def test_scorecard_shows_level_risks_actions_and_median():
    at = switch_to(open_demo(), "scorecard")
    at.sidebar.selectbox(key="institution").set_value(WEAK).run()
    no_failure(at)
    assert at.title[0].value == WEAK
    metrics = metrics_of(at)
    assert re.fullmatch(r"\d de 5", metrics["Nivel de madurez"])
    assert metrics["Puntuación global"].endswith("/ 100")
    markdown = " ".join(m.value for m in at.markdown)
    assert "Perfil abandonado" in markdown  # a top risk, in words
    assert "Atención de quejas" in markdown
    assert "Las 7 acciones del plan" in [h.value for h in at.subheader]
    assert "Nivel 4 no alcanzado: perfiles abandonados" in at.info[0].value.replace("\\", "")
    assert "abandonado" in markdown and ":material/block:" in markdown  # icon and word
    assert len(at.get("flex_container")) > 0
    table = at.dataframe[0].value  # the chart as a table: score and sector median
    assert list(table.columns) == ["label", "score_text", "median_text"]
    assert len(table) == 7


def test_institution_choice_survives_a_page_switch():
    at = switch_to(open_demo(), "scorecard")
    at.sidebar.selectbox(key="institution").set_value(WEAK).run()
    switch_to(at, "compare")
    switch_to(at, "plan")
    assert at.subheader[0].value.replace("\\", "") == WEAK


def test_dimensions_say_not_evaluated_and_show_evidence():
    at = switch_to(open_demo(), "dimensions")
    no_failure(at)
    tabs = [tab.label for tab in at.tabs]
    assert "Gobernanza · sin evaluar" in tabs  # the first institution has no governance
    criteria = at.dataframe[0].value
    assert {"criterion", "value", "score", "evidence"} <= set(criteria.columns)
    assert len(at.expander) > 0  # evidence rows


def test_compare_ranks_within_the_sector():
    at = switch_to(open_demo(), "compare")
    no_failure(at)
    table = at.dataframe[0].value
    assert len(table) == 40
    assert table["percentile"].between(0, 100).all()
    assert table.groupby("sector")["percentile"].max().eq(100).all()


def test_action_plan_shows_seven_then_an_appendix():
    at = switch_to(open_demo(), "plan")
    at.sidebar.selectbox(key="institution").set_value(WEAK).run()
    no_failure(at)
    action = re.compile(r"\*\*(\d+)\. ")
    ranks = [int(action.match(m.value).group(1)) for m in at.markdown if action.match(m.value)]
    appendix = at.expander[0]
    inside = [m.value for m in appendix.markdown if action.match(m.value)]
    assert len(ranks) - len(inside) == 7  # the plan
    assert len(inside) > 0 and appendix.label == f"Apéndice: {len(inside)} acciones más"
    assert ranks == list(range(1, len(ranks) + 1))
    captions = [c.value for c in at.caption]
    tiers = ["Incumplimiento", "Ciudadanía esperando", "Perfiles", "Mejora"]
    shown = [c.split(" · ")[0] for c in captions if c.split(" · ")[0] in tiers]
    assert shown[0] == "Incumplimiento"  # rank 1: its campaign posts, before its complaints
    assert "Ciudadanía esperando" in shown
    assert shown == sorted(shown, key=tiers.index)  # tiers in order down the plan
    assert any("Fuente:" in c for c in captions)
    assert len(at.get("download_button")) == 2


# --- rubric --------------------------------------------------------------------------------


def _overall(at: AppTest, institution: str) -> str:
    switch_to(at, "scorecard")
    at.sidebar.selectbox(key="institution").set_value(institution).run()
    return metrics_of(at)["Puntuación global"]


def test_changing_a_weight_changes_the_scores():
    at = open_demo()
    before = _overall(at, WEAK)
    switch_to(at, "rubric")
    editor = next(e for e in at.data_editor if e.key.startswith("edit_dimensions_"))
    governance = list(editor.value["dimension"]).index("governance")
    at.session_state[editor.key] = {"edited_rows": {governance: {"weight": 80}},
                                    "added_rows": [], "deleted_rows": []}
    at.run()
    no_failure(at)
    assert at.sidebar.selectbox(key="rubric_choice_es").value == "custom"
    impact = next(d.value for d in at.dataframe if "change" in d.value.columns)
    assert (impact["change"].abs() > 0).any()
    after = _overall(at, WEAK)
    assert after != before
    switch_to(at, "rubric")
    assert at.button(key=None) is not None
    reset = next(b for b in at.button if b.label.startswith("Volver"))
    reset.click().run()
    assert at.sidebar.selectbox(key="rubric_choice_es").value == "gobierno"
    assert _overall(at, WEAK) == before


def test_an_invalid_edit_is_explained_not_applied():
    at = switch_to(open_demo(), "rubric")
    editor = next(e for e in at.data_editor if e.key.startswith("edit_status_"))
    at.session_state[editor.key] = {"edited_rows": {0: {"active": 60}}, "added_rows": [],
                                    "deleted_rows": []}
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("La rúbrica tiene errores")
    assert "active <= irregular <= inactive" in at.code[0].value
    assert at.sidebar.selectbox(key="rubric_choice_es").value == "gobierno"


def test_a_status_threshold_edited_on_the_rubric_page_reaches_every_text_that_states_it():
    """Live is 'latest post within the irregular bound' (30 days in the file): set to 45 on
    the Rubric page, the criterion's description there and the evidence on the Dimensions
    page say 45, and no text still says 30."""
    at = switch_to(open_demo(), "rubric")
    editor = next(e for e in at.data_editor if e.key.startswith("edit_status_"))
    at.session_state[editor.key] = {"edited_rows": {0: {"active": 45, "irregular": 45}},
                                    "added_rows": [], "deleted_rows": []}
    at.run()
    no_failure(at)
    assert at.sidebar.selectbox(key="rubric_choice_es").value == "custom"
    criteria = next(d.value for d in at.dataframe if "description" in d.value.columns)
    live = criteria.loc[criteria["metric"] == "active_profiles_share", "description"].iloc[0]
    assert live == ("Proporción de perfiles activos o irregulares (última publicación hace "
                    "45 días o menos).")
    switch_to(at, "dimensions")
    at.sidebar.selectbox(key="institution").set_value(FIRST).run()
    no_failure(at)
    evidence = " ".join(" ".join(d.value["evidence"].astype(str)) for d in at.dataframe
                        if "evidence" in d.value.columns)
    assert "en los últimos 45 días" in evidence
    assert "últimos 30 días" not in evidence


def test_uploading_a_rubric_yaml():
    at = switch_to(open_demo(), "rubric")
    broken = yaml.safe_dump({"id": "mia", "version": "1"}).encode()
    at.file_uploader(key="rubric_upload").set_value(("mia.yaml", broken, "application/x-yaml"))
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("El archivo subido no es una rúbrica válida")
    assert "'label'" in at.code[0].value
    good = (ROOT / "rubrics" / "salud.yaml").read_bytes()  # uses extends: gobierno
    at.file_uploader(key="rubric_upload").set_value(("salud.yaml", good, "application/x-yaml"))
    at.run()
    no_failure(at)
    assert at.sidebar.selectbox(key="rubric_choice_es").value == "custom"


def test_sector_rubric_from_the_sidebar():
    at = switch_to(open_demo(), "methodology")
    at.sidebar.selectbox(key="rubric_choice_es").set_value("salud").run()
    no_failure(at)
    facts = at.dataframe[0].value
    assert facts["value"].str.startswith("salud").any()


def test_a_malformed_rubric_file_is_left_out_with_a_warning(monkeypatch, tmp_path):
    import audit.score.rubric

    for path in (ROOT / "rubrics").glob("*.yaml"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "rota.yaml").write_text("id: rota\nlabel: [sin cerrar\n", encoding="utf-8")
    monkeypatch.setattr(audit.score.rubric, "RUBRICS_DIR", tmp_path)
    at = switch_to(open_demo(), "scorecard")
    assert not at.exception and not at.error
    warnings = [w.value for w in at.sidebar.warning]
    assert len(warnings) == 1 and "rubrics/rota.yaml" in warnings[0]
    assert "rota" not in at.sidebar.selectbox(key="rubric_choice_es").options
    assert metrics_of(at)


# --- safety --------------------------------------------------------------------------------


def test_no_html_rendering_and_texts_in_both_languages():
    sources = [ROOT / "app.py", *ROOT.glob("app_pages/*.py"), *ROOT.glob("ui/*.py")]
    assert not any("unsafe_allow_html" in p.read_text(encoding="utf-8") for p in sources)
    assert not any("st.html" in p.read_text(encoding="utf-8") for p in sources)
    assert set(TEXT["es"]) == set(TEXT["en"])


def test_an_edited_rubric_downloads_as_yaml_that_loads_again():
    from audit import load_rubric
    from ui import rubric_edit

    salud = load_rubric("salud")  # extends gobierno: the export must stand alone
    criteria = rubric_edit.criteria_frame(salud, "es")
    criteria.loc[criteria["criterion"] == "reply_time", "median"] = 12.0
    edited = rubric_edit.apply_edits(salud, rubric_edit.status_frame(salud),
                                     rubric_edit.dimension_frame(salud, "es"), criteria,
                                     version="1.0.0+edited")
    again = rubric_edit.from_upload("salud_editada.yaml", rubric_edit.to_yaml(edited))
    assert "extends" not in again.data
    assert again.version == "1.0.0+edited"
    reply = next(c for _, c in again.criteria() if c["id"] == "reply_time")
    assert reply["scoring"]["median"] == 12
    assert [c["id"] for _, c in again.criteria()] == [c["id"] for _, c in salud.criteria()]
