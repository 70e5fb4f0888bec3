"""The Streamlit app driven headless: every page, demo data, uploads, broken files, both
languages, a rubric edit that changes the scores.

The demo audit runs once per test session: the app keeps it in ``st.cache_resource``, which
AppTest instances in one process share, so later tests reuse it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import AlertBase, HeadingBase, Markdown

from ui.i18n import TEXT

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["data", "scorecard", "dimensions", "compare", "plan", "rubric", "methodology"]
TITLES = {"es": {"data": "Auditoría de redes sociales de instituciones públicas",
                 "scorecard": None, "dimensions": "Dimensiones y evidencia",
                 "compare": "Comparar", "plan": "Plan de acción", "rubric": "Rúbrica",
                 "methodology": "Metodología"},
          "en": {"data": "Social media audit of public institutions", "scorecard": None,
                 "dimensions": "Dimensions and evidence", "compare": "Compare",
                 "plan": "Action plan", "rubric": "Rubric", "methodology": "Methodology"}}
FIRST = "Agencia Estatal de Ventanilla Única"  # first institution of the demo, alphabetically
WEAK = "Gobierno Regional de Alto Marañón"  # abandoned profile, unanswered complaints


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=90).run()


def _demo(lang: str = "es") -> AppTest:
    at = _app()
    if lang == "en":
        at.sidebar.radio(key="lang").set_value("en").run()
    at.button[0].click().run()
    assert not at.exception
    return at


def _page(at: AppTest, page: str) -> AppTest:
    return at.switch_page(f"app_pages/{page}.py").run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _no_failure(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# --- Data page -----------------------------------------------------------------------------


def test_start_page_offers_demo_and_template():
    at = _app()
    assert not at.exception
    assert at.button[0].label == "Cargar datos de demostración"
    assert at.get("download_button")[0].proto.label == "Descargar plantilla en blanco"
    assert "suba archivos" in at.info[0].value


def test_demo_data_shows_summary_problems_and_statuses():
    at = _demo()
    _no_failure(at)
    metrics = _metrics(at)
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


def test_problem_filters_narrow_the_table():
    at = _demo()
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
    at = _demo()
    _filter(at, "severity").set_value(["error"]).run()
    assert len(_filter(at, "severity").value) == 1
    at.file_uploader[0].set_value(
        (spanish_xlsx.name, spanish_xlsx.read_bytes(), "application/vnd.ms-excel")).run()
    _no_failure(at)
    assert len(_filter(at, "severity").value) == len(_filter(at, "severity").options) > 1
    assert set(at.dataframe[2].value["severity"]) >= {"⛔ error", "⚠️ aviso"}


def test_a_good_upload_after_a_broken_one_is_audited(spanish_xlsx):
    """A broken file, then the right one added: the right one is audited, the broken one
    is set aside (and said so) until it leaves the uploader."""
    broken = ("roto.xlsx", b"PK\x03\x04 not a workbook", "application/octet-stream")
    good = (spanish_xlsx.name, spanish_xlsx.read_bytes(), "application/vnd.ms-excel")
    at = _app()
    at.file_uploader[0].set_value(broken).run()
    assert at.error[0].value.startswith("No se puede auditar")
    at.file_uploader[0].set_value([broken, good]).run()
    _no_failure(at)
    assert _metrics(at)["Instituciones"] == "2"
    assert at.sidebar.text[0].value == spanish_xlsx.name
    assert "roto\\.xlsx" in at.warning[0].value  # escaped: a file name is user text
    _page(at, "scorecard")
    _no_failure(at)
    assert at.title[0].value == "Ayuntamiento de Prueba"
    _page(at, "data")
    at.file_uploader[0].set_value(good).run()  # the broken one removed from the uploader
    _no_failure(at)
    assert not at.warning and _metrics(at)["Instituciones"] == "2"


def test_uploading_a_workbook_through_the_uploader(spanish_xlsx):
    at = _app()
    at.file_uploader[0].set_value(
        (spanish_xlsx.name, spanish_xlsx.read_bytes(), "application/vnd.ms-excel")).run()
    _no_failure(at)
    assert _metrics(at)["Instituciones"] == "2"
    assert "duplicate_profile" in set(at.dataframe[2].value["code"])
    _page(at, "scorecard")
    _no_failure(at)
    assert at.title[0].value == "Ayuntamiento de Prueba"


@pytest.mark.parametrize("name,data,expected_code", [
    ("roto.xlsx", b"PK\x03\x04 not a workbook", "file_unreadable"),
    ("vacio.csv", b"", "file_empty"),
])
def test_broken_upload_shows_its_problems_not_a_traceback(name, data, expected_code):
    at = _app()
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception
    assert at.error[0].value.startswith("No se puede auditar")
    assert expected_code in set(at.dataframe[0].value["code"])
    for page in ("scorecard", "compare", "rubric", "methodology"):
        _page(at, page)
        assert not at.exception


def test_audit_date_from_the_sidebar():
    at = _demo()
    at.sidebar.date_input(key="as_of").set_value(dt.date(2026, 9, 30)).run()
    _no_failure(at)
    assert _metrics(at)["Fecha de auditoría"] == "30 de septiembre de 2026"
    assert "fijada a mano" in at.sidebar.caption[-1].value


def test_posts_marked_as_a_sample_leave_activity_unmeasured():
    at = _page(_demo(), "dimensions")
    at.sidebar.selectbox(key="institution").set_value(FIRST).run()
    before = " ".join(" ".join(d.value["evidence"].astype(str)) for d in at.dataframe
                      if "evidence" in d.value.columns)
    assert "Muestra de publicaciones" not in before
    at.sidebar.checkbox(key="posts_sample").check().run()
    _no_failure(at)
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
    at = _demo()
    assert at.error[0].value.startswith("La auditoría falló por un error interno")
    _page(at, "scorecard")
    assert not at.exception
    assert at.error[0].value.startswith("La auditoría falló")


# --- every page, both languages ------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_page_renders_in_both_languages(lang):
    at = _demo(lang)
    for page in PAGES:
        _page(at, page)
        _no_failure(at)
        expected = TITLES[lang][page] or FIRST
        assert at.title[0].value == expected, page
    _page(at, "scorecard")
    assert TEXT[lang]["level"] in _metrics(at)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.dumps(json.loads(charts[0].proto.spec), ensure_ascii=False)
    assert TEXT[lang]["chart_x"] in spec
    assert TEXT[lang]["dimensions_vs_peers"] in spec


def test_pages_without_data_point_to_the_data_page():
    at = _app()
    for page in PAGES[1:]:
        _page(at, page)
        assert not at.exception
    _page(at, "scorecard")
    assert at.info[0].value.startswith("Aún no hay una auditoría")


def test_switching_language_translates_labels_numbers_and_dates():
    at = _demo()
    at.sidebar.radio(key="lang").set_value("en").run()
    _no_failure(at)
    assert at.title[0].value == "Social media audit of public institutions"
    metrics = _metrics(at)
    assert metrics["Posts"] == "8,674"
    assert metrics["Audit date"] == "31 October 2026"
    assert "⛔ abandoned" in set(at.dataframe[3].value["status"])


# --- per-institution pages -----------------------------------------------------------------


def test_scorecard_shows_level_risks_actions_and_median():
    at = _page(_demo(), "scorecard")
    at.sidebar.selectbox(key="institution").set_value(WEAK).run()
    _no_failure(at)
    assert at.title[0].value == WEAK
    metrics = _metrics(at)
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
    at = _page(_demo(), "scorecard")
    at.sidebar.selectbox(key="institution").set_value(WEAK).run()
    _page(at, "compare")
    _page(at, "plan")
    assert at.subheader[0].value.replace("\\", "") == WEAK


def test_dimensions_say_not_evaluated_and_show_evidence():
    at = _page(_demo(), "dimensions")
    _no_failure(at)
    tabs = [tab.label for tab in at.tabs]
    assert "Gobernanza · sin evaluar" in tabs  # the first institution has no governance
    criteria = at.dataframe[0].value
    assert {"criterion", "value", "score", "evidence"} <= set(criteria.columns)
    assert len(at.expander) > 0  # evidence rows


def test_compare_ranks_within_the_sector():
    at = _page(_demo(), "compare")
    _no_failure(at)
    table = at.dataframe[0].value
    assert len(table) == 40
    assert table["percentile"].between(0, 100).all()
    assert table.groupby("sector")["percentile"].max().eq(100).all()


def test_action_plan_shows_seven_then_an_appendix():
    at = _page(_demo(), "plan")
    at.sidebar.selectbox(key="institution").set_value(WEAK).run()
    _no_failure(at)
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
    _page(at, "scorecard")
    at.sidebar.selectbox(key="institution").set_value(institution).run()
    return _metrics(at)["Puntuación global"]


def test_changing_a_weight_changes_the_scores():
    at = _demo()
    before = _overall(at, WEAK)
    _page(at, "rubric")
    editor = next(e for e in at.data_editor if e.key.startswith("edit_dimensions_"))
    governance = list(editor.value["dimension"]).index("governance")
    at.session_state[editor.key] = {"edited_rows": {governance: {"weight": 80}},
                                    "added_rows": [], "deleted_rows": []}
    at.run()
    _no_failure(at)
    assert at.sidebar.selectbox(key="rubric_choice_es").value == "custom"
    impact = next(d.value for d in at.dataframe if "change" in d.value.columns)
    assert (impact["change"].abs() > 0).any()
    after = _overall(at, WEAK)
    assert after != before
    _page(at, "rubric")
    assert at.button(key=None) is not None
    reset = next(b for b in at.button if b.label.startswith("Volver"))
    reset.click().run()
    assert at.sidebar.selectbox(key="rubric_choice_es").value == "gobierno"
    assert _overall(at, WEAK) == before


def test_an_invalid_edit_is_explained_not_applied():
    at = _page(_demo(), "rubric")
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
    at = _page(_demo(), "rubric")
    editor = next(e for e in at.data_editor if e.key.startswith("edit_status_"))
    at.session_state[editor.key] = {"edited_rows": {0: {"active": 45, "irregular": 45}},
                                    "added_rows": [], "deleted_rows": []}
    at.run()
    _no_failure(at)
    assert at.sidebar.selectbox(key="rubric_choice_es").value == "custom"
    criteria = next(d.value for d in at.dataframe if "description" in d.value.columns)
    live = criteria.loc[criteria["metric"] == "active_profiles_share", "description"].iloc[0]
    assert live == ("Proporción de perfiles activos o irregulares (última publicación hace "
                    "45 días o menos).")
    _page(at, "dimensions")
    at.sidebar.selectbox(key="institution").set_value(FIRST).run()
    _no_failure(at)
    evidence = " ".join(" ".join(d.value["evidence"].astype(str)) for d in at.dataframe
                        if "evidence" in d.value.columns)
    assert "en los últimos 45 días" in evidence
    assert "últimos 30 días" not in evidence


def test_uploading_a_rubric_yaml():
    at = _page(_demo(), "rubric")
    broken = yaml.safe_dump({"id": "mia", "version": "1"}).encode()
    at.file_uploader(key="rubric_upload").set_value(("mia.yaml", broken, "application/x-yaml"))
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("El archivo subido no es una rúbrica válida")
    assert "'label'" in at.code[0].value
    good = (ROOT / "rubrics" / "salud.yaml").read_bytes()  # uses extends: gobierno
    at.file_uploader(key="rubric_upload").set_value(("salud.yaml", good, "application/x-yaml"))
    at.run()
    _no_failure(at)
    assert at.sidebar.selectbox(key="rubric_choice_es").value == "custom"


def test_sector_rubric_from_the_sidebar():
    at = _page(_demo(), "methodology")
    at.sidebar.selectbox(key="rubric_choice_es").set_value("salud").run()
    _no_failure(at)
    facts = at.dataframe[0].value
    assert facts["value"].str.startswith("salud").any()


def test_a_malformed_rubric_file_is_left_out_with_a_warning(monkeypatch, tmp_path):
    import audit.score.rubric

    for path in (ROOT / "rubrics").glob("*.yaml"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "rota.yaml").write_text("id: rota\nlabel: [sin cerrar\n", encoding="utf-8")
    monkeypatch.setattr(audit.score.rubric, "RUBRICS_DIR", tmp_path)
    at = _page(_demo(), "scorecard")
    assert not at.exception and not at.error
    warnings = [w.value for w in at.sidebar.warning]
    assert len(warnings) == 1 and "rubrics/rota.yaml" in warnings[0]
    assert "rota" not in at.sidebar.selectbox(key="rubric_choice_es").options
    assert _metrics(at)


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


# --- peers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "en"])
def test_compare_shows_cluster_map_profiles_and_percentiles(lang):
    at = _page(_demo(lang), "compare")
    _no_failure(at)
    specs = [json.dumps(json.loads(c.proto.spec), ensure_ascii=False)
             for c in at.get("vega_lite_chart")]
    assert any(TEXT[lang]["cluster_map"] in s for s in specs)
    assert any(TEXT[lang]["cluster_stability"] in s for s in specs)
    assert at.header[0].value == TEXT[lang]["peers_header"]
    profiles = at.dataframe[1].value
    assert profiles["name"].is_unique and profiles["size"].sum() <= 40
    percentiles = at.dataframe[2].value
    assert len(percentiles) == 40
    assert percentiles["overall"].dropna().between(0, 100).all()
    at.radio(key=f"percentiles_by_{lang}").set_value("cluster").run()
    _no_failure(at)
    assert at.dataframe[2].value["group"].str.match(r"^\d · ").any()


def _chart_data(chart) -> list:
    """The rows of every dataset a chart carries (Streamlit sends data apart from the spec)."""
    import pyarrow as pa

    return [row for dataset in chart.proto.datasets
            for row in pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()]


def _chart_titles(at: AppTest) -> dict:
    """Each chart on the page by its title text."""
    titles = {}
    for chart in at.get("vega_lite_chart"):
        title = json.loads(chart.proto.spec).get("title")
        titles[title.get("text") if isinstance(title, dict) else title] = chart
    return titles


@pytest.mark.parametrize("lang", ["es", "en"])
def test_compare_reclusters_with_ward_a_fixed_k_and_size(lang, demo_audit):
    t = TEXT[lang]
    at = _page(_demo(lang), "compare")
    at.radio(key=f"cluster_method_{lang}").set_value("ward")
    at.selectbox(key=f"cluster_k_{lang}").set_value(3)
    at.checkbox(key=f"cluster_size_{lang}").check()
    at.run()
    _no_failure(at)
    tree = _chart_titles(at)[t["dendrogram_title"]]
    labels = [row["label"] for row in _chart_data(tree) if "label" in row]
    # every demo institution clustered is a leaf; the one silent in the audit window has too
    # few dimensions evaluated to be clustered, and is listed as excluded
    excluded = demo_audit.peers.excluded["institution"].tolist()
    assert excluded == ["Consultorio Médico Familiar Las Jacarandas"]
    assert len(labels) == 39 and not any(label.startswith(excluded[0]) for label in labels)
    assert any(label.endswith(f" · {t['cluster']} 3") for label in labels)
    summary = next(c.value for c in at.caption if c.value.startswith(
        t["cluster_summary"].split("{")[0]))
    assert "Ward" in summary and "k = 3" in summary and t["cluster_k_fixed"] in summary
    assert t["cluster_size_note"] in summary
    profiles = next(d.value for d in at.dataframe if {"name", "size"} <= set(d.value.columns))
    assert len(profiles) == 3
    at.radio(key=f"cluster_method_{lang}").set_value("kmeans").run()
    _no_failure(at)
    titles = _chart_titles(at)
    assert t["dendrogram_title"] not in titles and t["cluster_map"] in titles


def test_cluster_choices_survive_a_page_visit_and_a_language_switch():
    def summary(at, lang):
        head = TEXT[lang]["cluster_summary"].split("{")[0]
        return next(c.value for c in at.caption if c.value.startswith(head))

    at = _page(_demo(), "compare")
    at.radio(key="cluster_method_es").set_value("ward")
    at.selectbox(key="cluster_k_es").set_value(3)
    at.run()
    assert "Ward" in summary(at, "es") and "k = 3" in summary(at, "es")
    _page(at, "plan")
    _page(at, "compare")
    _no_failure(at)
    assert "Ward" in summary(at, "es") and "k = 3" in summary(at, "es")
    at.sidebar.radio(key="lang").set_value("en").run()
    _no_failure(at)
    assert "Ward" in summary(at, "en") and "k = 3" in summary(at, "en")
    assert at.radio(key="cluster_method_en").value == "ward"


def test_compare_offers_the_research_exports():
    at = _page(_demo(), "compare")
    _no_failure(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert TEXT["es"]["download_research"] in labels




# --- research: content coding --------------------------------------------------------------


def _coded_csv(single_label: bool = False) -> bytes:
    """45 short Spanish posts, 3 labels with their own vocabularies, and a second coder who
    disagrees on 3 of them."""
    words = {"obras": ["asfaltado", "calle", "obras", "acera", "pavimento"],
             "cultura": ["concierto", "teatro", "festival", "exposición", "música"],
             "servicios": ["trámite", "cita", "registro", "padrón", "certificado"]}
    rows = ["texto,categoria,codificador2"]
    for label, vocab in words.items():
        for i in range(15):
            text = f"{vocab[i % 5]} {vocab[(i + 1) % 5]} {vocab[(i + 2) % 5]} hoy {i}"
            coded = "obras" if single_label else label
            second = "cultura" if (label == "obras" and i < 3) else coded
            rows.append(f"{text},{coded},{second}")
    return "\n".join(rows).encode("utf-8")


def _research(lang: str = "es") -> AppTest:
    at = _app()
    if lang == "en":
        at.sidebar.radio(key="lang").set_value("en").run()
    return _page(at, "research")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_research_page_renders_without_an_audit(lang):
    at = _research(lang)
    _no_failure(at)
    assert at.title[0].value == TEXT[lang]["research_title"]
    assert any("README" in c.value for c in at.caption)
    assert at.info[0].value == TEXT[lang]["research_waiting"]


def test_research_page_evaluates_a_coded_sample_with_two_coders():
    at = _research()
    at.file_uploader[0].set_value(("muestra.csv", _coded_csv(), "text/csv")).run()
    _no_failure(at)
    t = TEXT["es"]
    at.selectbox[0].set_value("texto")
    at.selectbox[1].set_value("categoria")
    at.selectbox[2].set_value("codificador2")
    at.number_input[0].set_value(3)
    at.button[0].click().run()
    _no_failure(at)
    metrics = _metrics(at)
    assert float(metrics[t["research_macro_f1"]].replace(",", ".")) >= 0.9
    assert metrics[t["research_n"]] == "45"
    assert metrics[t["research_folds_used"]] == "3"
    per_class, confusion = (d.value for d in at.dataframe)
    assert set(per_class["label"]) == {"obras", "cultura", "servicios"}
    assert list(confusion.columns) == ["cultura", "obras", "servicios"]
    assert confusion.to_numpy().sum() == 45
    assert at.subheader[-1].value == t["research_agreement"]
    assert metrics[t["research_percent_agreement"]] == "93,3 %"
    assert t["research_alpha"] in metrics
    download = at.get("download_button")[0].proto
    assert download.label == t["research_download"]
    at.sidebar.radio(key="lang").set_value("en").run()  # same choices, the cached result
    _no_failure(at)
    assert TEXT["en"]["research_percent_agreement"] in _metrics(at)
    assert at.dataframe[1].value.to_numpy().sum() == 45


def test_research_page_repeats_the_cross_validation():
    at = _research()
    at.file_uploader[0].set_value(("muestra.csv", _coded_csv(), "text/csv")).run()
    at.selectbox[0].set_value("texto")
    at.selectbox[1].set_value("categoria")
    at.number_input[0].set_value(3)
    at.number_input(key="research_repeats").set_value(3)
    at.button[0].click().run()
    _no_failure(at)
    note = next(c.value for c in at.caption if c.value.startswith("Con 3 repeticiones"))
    assert "F1 macro medio" in note and "kappa media" in note


def test_research_page_explains_a_sample_with_one_label():
    at = _research("en")
    at.file_uploader[0].set_value(("one.csv", _coded_csv(single_label=True), "text/csv")).run()
    at.selectbox[0].set_value("texto")
    at.selectbox[1].set_value("categoria")
    at.button[0].click().run()
    assert not at.exception
    assert at.error[0].value.startswith(TEXT["en"]["research_failed"])
    assert "At least 2 classes" in at.error[0].value
    assert not at.metric


def test_research_page_reports_an_unreadable_file():
    at = _research()
    at.file_uploader[0].set_value(("roto.xlsx", b"PK\x03\x04 not a workbook",
                                   "application/octet-stream")).run()
    assert not at.exception
    assert at.error[0].value.startswith(TEXT["es"]["research_unreadable"])


# --- group comparison ----------------------------------------------------------------------


def _table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table of the page with that column (the Compare page shows several)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _reading(at: AppTest) -> str:
    """The one-line reading of the group comparison, without its Markdown escapes."""
    return at.info[-1].value.replace("\\", "")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_compare_tests_the_differences_between_groups(lang):
    from audit import load_rubric
    from ui import fmt

    t = TEXT[lang]
    at = _page(_demo(lang), "compare")
    _no_failure(at)
    assert t["groups_header"] in [h.value for h in at.header]
    table = _table_with(at, "epsilon_squared")
    dimensions = fmt.dimension_labels(load_rubric("gobierno"), lang)
    assert list(table["score"]) == [t["groups_overall"], *dimensions.values()]
    assert (table["k"] == 5).all() and table["n"].iloc[0] == 40
    assert f"n · {fmt.sector('local_government', lang)}" in table.columns
    code = {word: c for c, word in t["groups_effect"].items()}[table["effect"].iloc[0]]
    reading = _reading(at)
    assert t["groups_plural"]["sector"] in reading and t["groups_overall_phrase"] in reading
    assert f" {t['groups_effect_plural'][code]} " in reading
    assert f"ε² = {table['epsilon_squared'].iloc[0]};" in reading
    assert len(_table_with(at, "cliffs_delta")) == 10  # every pair of 5 sectors
    labels = [b.proto.label for b in at.get("download_button")]
    assert t["groups_download"] in labels and t["groups_pairs_download"] in labels

    at.radio(key=f"groups_by_{lang}").set_value("country").run()
    _no_failure(at)
    table = _table_with(at, "epsilon_squared")
    assert (table["k"] == 6).all() and "n · España" in table.columns
    assert table["small_groups"].iloc[0] == "Mexico, Peru"  # spelled once without accent
    assert t["groups_plural"]["country"] in _reading(at)
    assert len(_table_with(at, "cliffs_delta")) == 15

    at.selectbox(key=f"groups_score_{lang}").set_value("governance").run()
    _no_failure(at)
    assert f"{dimensions['governance']} " in _reading(at)
    pairs = _table_with(at, "cliffs_delta")
    assert (pairs["n_a"] + pairs["n_b"]).max() <= 34  # six have governance not evaluated

    at.radio(key=f"groups_by_{lang}").set_value("cluster").run()
    _no_failure(at)
    assert t["groups_cluster_caveat"] in [c.value for c in at.caption]
    assert _table_with(at, "epsilon_squared")["score"].iloc[0] == t["groups_overall"]
    assert (_table_with(at, "epsilon_squared")["k"] == 2).all()  # the demo's k-means k

    # The comparison follows the clusters chosen above it, not the audit's default ones.
    at.selectbox(key=f"cluster_k_{lang}").set_value(4).run()
    _no_failure(at)
    table = _table_with(at, "epsilon_squared")
    assert table["k"].iloc[0] == 4  # overall: every cluster takes part
    assert table["k"].between(2, 4).all()  # a dimension may leave out a cluster too small


def test_compare_says_why_there_are_no_clusters_and_nothing_to_test(spanish_xlsx):
    """Two institutions of two sectors: no clusters, no group comparison, each said why."""
    at = _app()
    at.file_uploader[0].set_value(
        (spanish_xlsx.name, spanish_xlsx.read_bytes(), "application/vnd.ms-excel")).run()
    _page(at, "compare")
    _no_failure(at)
    assert any("al menos 4" in i.value for i in at.info)
    assert len(at.dataframe[1].value) == 2  # percentiles within the sector still shown
    assert not any("epsilon_squared" in d.value.columns for d in at.dataframe)
    assert "hacen falta al menos dos sectores" in _reading(at)
    assert _reading(at).endswith("tienen menos: Gobierno local, Salud.")


def test_the_research_zip_carries_the_clusters_chosen_on_the_page(demo_audit):
    import io
    import json
    import zipfile

    from audit.peers.clusters import ClusterSettings
    from audit.pipeline import recluster
    from ui import state

    result = demo_audit
    ctx = state.Context(lang="es", digest="demo", result=result)
    ward = recluster(result, ClusterSettings("ward", 3))

    def appendix(data: bytes) -> str:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("methods_appendix.md").decode("utf-8")

    default, chosen = appendix(state.research_zip(ctx)), appendix(state.research_zip(ctx, ward))
    assert chosen != default
    assert json.dumps("ward") in chosen and json.dumps("ward") not in default


def test_every_page_opens_on_a_profiles_sheet_without_a_sector_column():
    sheet = ("institución,red,usuario,última_publicación\n"
             "Ayto Norte,Facebook,@norte,2026-10-01\nAyto Sur,Facebook,@sur,2026-09-01\n"
             "Ayto Este,X,@este,2026-10-20\n").encode()
    at = _app()
    at.file_uploader[0].set_value(("perfiles.csv", sheet, "text/csv")).run()
    for page in PAGES:
        _page(at, page)
        assert not at.exception, (page, [e.value for e in at.exception])


# --- user data never renders as Markdown ---------------------------------------------------

EVIL = "![t](http://evil.example/t.png) **bold**"


def _hostile_files() -> list[tuple[str, bytes, str]]:
    """Five ordinary town halls and one named EVIL, with only a profile: it is left out of
    the peer clusters, so the Compare page names it in its caption."""
    towns = [f"Ayuntamiento {c}" for c in "ABCDE"]
    profiles = ["institución,red,usuario,sector,país,seguidores,última_publicación"]
    posts, replies = ["red,usuario,fecha,texto,me_gusta"], [
        "red,usuario,fecha_recibido,texto,es_queja,fecha_respuesta"]
    for i, town in enumerate(towns):
        profiles.append(f"{town},Facebook,@t{i},Gobierno local,España,{1000 * (i + 1)},"
                        "2026-10-01")
        posts += [f"Facebook,@t{i},2026-09-{d:02d},Presupuesto y obras del mes {d},{i * d}"
                  for d in range(1, 28, 3 + i)]
        replies += [f"Facebook,@t{i},2026-09-{d:02d} 10:00,¿Horario?,no,"
                    + (f"2026-09-{d:02d} {11 + i}:00" if d % (i + 2) else "")
                    for d in range(2, 28, 4)]
    profiles.append(f'"{EVIL}",Facebook,@malo,Gobierno local,España,10,2026-10-01')
    return [(name, "\n".join(rows).encode("utf-8") + b"\n", "text/csv") for name, rows in
            (("perfiles.csv", profiles), ("publicaciones.csv", posts),
             ("interacciones.csv", replies))]


def _rendered_texts(at: AppTest) -> list[str]:
    """Every text Streamlit renders as Markdown: the bodies of Markdown, captions, headings
    and alerts, and the labels and help of every element (a widget's value is not one)."""
    found = []

    def walk(node) -> None:
        attrs = ("label", "help")
        if isinstance(node, Markdown | HeadingBase | AlertBase):  # Markdown includes captions
            attrs = ("value", *attrs)
        for attr in attrs:
            try:
                value = getattr(node, attr)
            except (AttributeError, KeyError):  # elements without a label or help
                continue
            if isinstance(value, str):
                found.append(value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return found


def test_an_institution_named_like_markdown_is_shown_as_text_on_every_page():
    at = _app()
    at.file_uploader[0].set_value(_hostile_files()).run()
    _no_failure(at)
    assert _metrics(at)["Instituciones"] == "6"
    seen = False
    for page in PAGES:
        _page(at, page)
        if page in ("scorecard", "dimensions", "plan"):
            at.sidebar.selectbox(key="institution").set_value(EVIL).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        for text in _rendered_texts(at):
            assert "](http://evil.example" not in text, (page, text)
            assert "**bold**" not in text, (page, text)
            seen = seen or r"\!\[t\]\(http\://evil\.example" in text
    assert seen  # the name was shown (escaped), so the check above had something to check


def test_the_data_page_offers_the_excel_report(monkeypatch):
    """report.xlsx as the command line writes it: a workbook with a cover and the tables."""
    import io

    from openpyxl import load_workbook
    from streamlit.runtime.media_file_manager import MediaFileManager

    made = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = (data_callable, mimetype)
        return original(self, data_callable, mimetype, coordinates, file_name=file_name,
                        **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    at = _demo("en")
    _no_failure(at)
    assert TEXT["en"]["download_report"] in [b.proto.label for b in at.get("download_button")]
    make, mime = made["report.xlsx"]
    assert mime.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(make()))
    assert len(book.sheetnames) >= 5
    institutions = book[book.sheetnames[1]]
    assert institutions.max_row == 41 and institutions.auto_filter.ref
