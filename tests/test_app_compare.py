"""The Streamlit app driven headless, the Compare and Research pages: peer clusters,
content coding, group comparison, and user data that must never render as Markdown.

The demo audit runs once per test process (``st.cache_resource``, see app_driver.py).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from app_driver import (
    PAGES,
    metrics_of,
    no_failure,
    open_app,
    open_demo,
    switch_to,
)
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import AlertBase, HeadingBase, Markdown

from ui.i18n import TEXT

# --- peers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "en"])
def test_compare_shows_cluster_map_profiles_and_percentiles(lang):
    at = switch_to(open_demo(lang), "compare")
    no_failure(at)
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
    no_failure(at)
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
    at = switch_to(open_demo(lang), "compare")
    at.radio(key=f"cluster_method_{lang}").set_value("ward")
    at.selectbox(key=f"cluster_k_{lang}").set_value(3)
    at.checkbox(key=f"cluster_size_{lang}").check()
    at.run()
    no_failure(at)
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
    no_failure(at)
    titles = _chart_titles(at)
    assert t["dendrogram_title"] not in titles and t["cluster_map"] in titles


def test_cluster_choices_survive_a_page_visit_and_a_language_switch():
    def summary(at, lang):
        head = TEXT[lang]["cluster_summary"].split("{")[0]
        return next(c.value for c in at.caption if c.value.startswith(head))

    at = switch_to(open_demo(), "compare")
    at.radio(key="cluster_method_es").set_value("ward")
    at.selectbox(key="cluster_k_es").set_value(3)
    at.run()
    assert "Ward" in summary(at, "es") and "k = 3" in summary(at, "es")
    switch_to(at, "plan")
    switch_to(at, "compare")
    no_failure(at)
    assert "Ward" in summary(at, "es") and "k = 3" in summary(at, "es")
    at.sidebar.radio(key="lang").set_value("en").run()
    no_failure(at)
    assert "Ward" in summary(at, "en") and "k = 3" in summary(at, "en")
    assert at.radio(key="cluster_method_en").value == "ward"


def test_cluster_stability_is_shown_on_request_and_the_request_is_remembered(demo_audit):
    from ui import fmt

    t = TEXT["es"]
    head = t["cluster_agreement"].split("{")[0]

    def shown(at):
        return [c.value for c in at.caption if c.value.startswith(head)]

    at = switch_to(open_demo(), "compare")
    no_failure(at)
    assert shown(at) == []  # not asked: the refits do not run
    at.toggle(key="cluster_stability_es").set_value(True).run()
    no_failure(at)
    clusters = demo_audit.peers
    assert shown(at) == [t["cluster_agreement"].format(
        n=clusters.bootstraps, agreement=fmt.number(clusters.agreement, "es", digits=2))]
    at.selectbox(key="cluster_k_es").set_value(3).run()
    switch_to(at, "plan")
    switch_to(at, "compare")
    no_failure(at)
    assert len(shown(at)) == 1 and at.toggle(key="cluster_stability_es").value


def test_compare_offers_the_research_exports():
    at = switch_to(open_demo(), "compare")
    no_failure(at)
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
    at = open_app()
    if lang == "en":
        at.sidebar.radio(key="lang").set_value("en").run()
    return switch_to(at, "research")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_research_page_renders_without_an_audit(lang):
    at = _research(lang)
    no_failure(at)
    assert at.title[0].value == TEXT[lang]["research_title"]
    assert any("README" in c.value for c in at.caption)
    assert at.info[0].value == TEXT[lang]["research_waiting"]


def test_research_page_evaluates_a_coded_sample_with_two_coders():
    at = _research()
    at.file_uploader[0].set_value(("muestra.csv", _coded_csv(), "text/csv")).run()
    no_failure(at)
    t = TEXT["es"]
    at.selectbox[0].set_value("texto")
    at.selectbox[1].set_value("categoria")
    at.selectbox[2].set_value("codificador2")
    at.number_input[0].set_value(3)
    at.button[0].click().run()
    no_failure(at)
    metrics = metrics_of(at)
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
    no_failure(at)
    assert TEXT["en"]["research_percent_agreement"] in metrics_of(at)
    assert at.dataframe[1].value.to_numpy().sum() == 45


def test_research_page_repeats_the_cross_validation():
    at = _research()
    at.file_uploader[0].set_value(("muestra.csv", _coded_csv(), "text/csv")).run()
    at.selectbox[0].set_value("texto")
    at.selectbox[1].set_value("categoria")
    at.number_input[0].set_value(3)
    at.number_input(key="research_repeats").set_value(3)
    at.button[0].click().run()
    no_failure(at)
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
    at = switch_to(open_demo(lang), "compare")
    no_failure(at)
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
    no_failure(at)
    table = _table_with(at, "epsilon_squared")
    assert (table["k"] == 6).all() and "n · España" in table.columns
    assert table["small_groups"].iloc[0] == "Mexico, Peru"  # spelled once without accent
    assert t["groups_plural"]["country"] in _reading(at)
    assert len(_table_with(at, "cliffs_delta")) == 15

    at.selectbox(key=f"groups_score_{lang}").set_value("governance").run()
    no_failure(at)
    assert f"{dimensions['governance']} " in _reading(at)
    pairs = _table_with(at, "cliffs_delta")
    assert (pairs["n_a"] + pairs["n_b"]).max() <= 34  # six have governance not evaluated

    at.radio(key=f"groups_by_{lang}").set_value("cluster").run()
    no_failure(at)
    assert t["groups_cluster_caveat"] in [c.value for c in at.caption]
    assert _table_with(at, "epsilon_squared")["score"].iloc[0] == t["groups_overall"]
    assert (_table_with(at, "epsilon_squared")["k"] == 2).all()  # the demo's k-means k

    # The comparison follows the clusters chosen above it, not the audit's default ones.
    at.selectbox(key=f"cluster_k_{lang}").set_value(4).run()
    no_failure(at)
    table = _table_with(at, "epsilon_squared")
    assert table["k"].iloc[0] == 4  # overall: every cluster takes part
    assert table["k"].between(2, 4).all()  # a dimension may leave out a cluster too small


def test_compare_says_why_there_are_no_clusters_and_nothing_to_test(spanish_xlsx):
    """Two institutions of two sectors: no clusters, no group comparison, each said why."""
    at = open_app()
    at.file_uploader[0].set_value(
        (spanish_xlsx.name, spanish_xlsx.read_bytes(), "application/vnd.ms-excel")).run()
    switch_to(at, "compare")
    no_failure(at)
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
    at = open_app()
    at.file_uploader[0].set_value(("perfiles.csv", sheet, "text/csv")).run()
    for page in PAGES:
        switch_to(at, page)
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
    at = open_app()
    at.file_uploader[0].set_value(_hostile_files()).run()
    no_failure(at)
    assert metrics_of(at)["Instituciones"] == "6"
    seen = False
    for page in PAGES:
        switch_to(at, page)
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
    at = open_demo("en")
    no_failure(at)
    assert TEXT["en"]["download_report"] in [b.proto.label for b in at.get("download_button")]
    make, mime = made["report.xlsx"]
    assert mime.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(make()))
    assert len(book.sheetnames) >= 5
    institutions = book[book.sheetnames[1]]
    assert institutions.max_row == 41 and institutions.auto_filter.ref
