"""Citations a reader can follow: every work in the bibliography, every quotation verbatim,
every threshold with its origin, and no guideline file name in anything a user reads.

The verbatim checks need the guideline texts, which are not part of the repository: they
read the folder ``shared/seeds`` beside the repository (see ``_seeds_dir``) and skip when it
is absent.
"""

from __future__ import annotations

import copy
import os
import re
import zipfile
from pathlib import Path

import pytest

from audit import RubricError, load_rubric, rubric_from_data, rubric_names, write_outputs
from audit.report.rubric_doc import DOCS_DIR, render
from audit.score.sources import bibliography, citation, passage, quote_fragments, reference

ROOT = Path(__file__).resolve().parent.parent


def _seeds_dir() -> Path:
    """``shared/seeds`` beside the repository; from a linked git worktree, beside the main
    checkout (its ``.git`` file names it); ``AUDIT_SEEDS_DIR`` overrides both."""
    if os.environ.get("AUDIT_SEEDS_DIR"):
        return Path(os.environ["AUDIT_SEEDS_DIR"])
    root, git = ROOT, ROOT / ".git"
    if git.is_file() and git.read_text(encoding="utf-8").startswith("gitdir:"):
        root = Path(git.read_text(encoding="utf-8").split(":", 1)[1].strip()).parents[2]
    return root.parent / "shared" / "seeds"


SEEDS = _seeds_dir()
SEED_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="guideline texts not at hand")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _source_blocks():
    """(rubric, where, source block) of every citation in every rubric."""
    for name in rubric_names():
        rubric = load_rubric(name)
        yield name, "profile_status", rubric.data["profile_status"]["source"]
        for _, criterion in rubric.criteria():
            yield name, criterion["id"], criterion["source"]


def test_bibliography_entries_are_complete():
    works = bibliography()
    assert len(works) == 7
    for sid, entry in works.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", sid), sid
        assert entry.title and not SEED_NAME.search(entry.title)
        assert entry.file is None or SEED_NAME.fullmatch(entry.file), sid
    mejia = works["mejia-redes-entidades-publicas"]
    assert (mejia.author, mejia.year) == ("Juan Carlos Mejía", None)
    assert works["bonson-royo-ratkai-2015"].address == "https://doi.org/10.1016/j.giq.2014.11.001"


def test_citation_is_title_author_year_in_the_reader_language():
    assert citation("mejia-redes-entidades-publicas", "es") == (
        "Estrategia de redes sociales para entidades públicas y del estado "
        "(Juan Carlos Mejía, s. f.)")
    assert citation("gestion-redes-administraciones-publicas", "en") == (
        "Recomendaciones para la gestión de redes sociales en administraciones públicas "
        "(author not stated, n.d.)")
    assert citation("bmn-red-social-2020", "en").endswith("(Biblioteca Médica Nacional (Cuba), "
                                                         "2013-2020)")
    assert reference("bonson-royo-ratkai-2015", "es").startswith(
        "Bonsón, Royo y Ratkai (2015). Citizens' engagement")


def test_every_criterion_cites_a_known_work_with_a_quote_or_a_paraphrase():
    known = set(bibliography())
    seen = 0
    for name, where, source in _source_blocks():
        assert source["id"] in known, (name, where)
        assert ("quote" in source) != ("paraphrase" in source), (name, where)
        seen += 1
    assert seen == 109  # criteria and profile status: gobierno 36, salud 37, bibliotecas 36


def test_quote_in_quotation_marks_paraphrase_labelled():
    criteria = {c["id"]: c for _, c in load_rubric("gobierno").criteria()}
    frequency = criteria["frequency"]["source"]
    assert passage(frequency, "es") == ("«¿Con qué frecuencia vamos a publicar? Hay que definir "
                                        "un calendario de publicaciones.»")
    assert passage(frequency, "en").startswith("“¿Con qué") and passage(frequency, "en")[-1] == "”"
    recency = passage(criteria["recency"]["source"], "es")
    assert "AUSENTES. […] Es muy importante" in recency
    display = criteria["same_display_name"]["source"]
    assert passage(display, "es").startswith("Paráfrasis: La guía recomienda un mismo nombre de "
                                             "usuario")
    assert passage(display, "en").startswith("Paraphrase: ")


@needs_seeds
def test_every_quote_is_verbatim_in_its_guideline():
    works = bibliography()
    texts = {sid: _flat((SEEDS / entry.file).read_text(encoding="utf-8"))
             for sid, entry in works.items() if entry.file}
    checked = 0
    for name, where, source in _source_blocks():
        for fragment in quote_fragments(source):
            assert fragment in texts[source["id"]], f"{name} {where}: not verbatim: {fragment}"
            checked += 1
    assert checked > 100


@needs_seeds
def test_the_verbatim_check_catches_the_old_display_name_passage():
    """The passage once shown in quotation marks for the display name, which made the
    guideline speak of the same name where it speaks of the same username."""
    text = _flat((SEEDS / bibliography()["mejia-redes-entidades-publicas"].file)
                 .read_text(encoding="utf-8"))
    assert "Conviene usar el mismo nombre en todas las redes elegidas" not in text
    assert "escoger un mismo nombre de usuario en todas las redes sociales" in text


def test_every_numeric_threshold_says_where_it_comes_from():
    rubric = load_rubric("gobierno")
    for _, criterion in rubric.criteria():
        if criterion["scoring"]["type"] != "identity":
            assert set(criterion["threshold_source"]) == {"es", "en"}, criterion["id"]
    criteria = {c["id"]: c for _, c in rubric.criteria()}
    # filled from the rubric's own values, so an edited threshold changes the text
    assert "Las 24 horas, los 7 días" in criteria["replied_within_24h"]["threshold_source"]["es"]
    assert "percentil 75 (10 %)" in criteria["accountability"]["threshold_source"]["es"]
    assert "set by the audit team" in criteria["frequency"]["threshold_source"]["en"]
    assert "equipo de auditoría" in rubric.profile_status["threshold_source"]["es"]


@pytest.mark.parametrize("edit, key, expected", [
    (lambda s: s.update(id="guia-inexistente"), "source", "expected 'id', a source of"),
    (lambda s: s.update(paraphrase="otra cosa"), "source", "not both"),
    (lambda s: s.update(seed="001_23e5581ff11aacb0.txt", passage="x"), "source",
     "no longer read"),
    (lambda s: s.update(quote=[]), "source.quote", "expected a text or a list"),
])
def test_the_loader_rejects_a_bad_source_with_its_path(edit, key, expected):
    data = copy.deepcopy(load_rubric().data)
    criterion = data["dimensions"][0]["criteria"][1]
    edit(criterion["source"])
    with pytest.raises(RubricError) as err:
        rubric_from_data(data, "mala.yaml")
    assert f"mala.yaml: dimensions.activity.criteria.recency.{key}: " in str(err.value)
    assert expected in str(err.value)


def test_the_loader_requires_threshold_source_where_there_are_thresholds():
    data = copy.deepcopy(load_rubric().data)
    del data["dimensions"][0]["criteria"][1]["threshold_source"]
    del data["profile_status"]["threshold_source"]
    data["profile_status"]["source"]["id"] = "no-existe"
    with pytest.raises(RubricError) as err:
        rubric_from_data(data, "mala.yaml")
    message = str(err.value)
    assert "dimensions.activity.criteria.recency.threshold_source: expected texts" in message
    assert "profile_status.threshold_source: expected texts" in message
    assert "profile_status.source: expected 'id'" in message


def test_no_output_or_page_shows_a_guideline_file_name(demo_audit, tmp_path):
    written = write_outputs(demo_audit, tmp_path)
    assert len(written) > 10
    for path in written:
        if path.suffix == ".xlsx":  # a zip of XML parts: search their text
            with zipfile.ZipFile(path) as book:
                content = "".join(book.read(n).decode("utf-8") for n in book.namelist())
        else:
            content = path.read_text(encoding="utf-8")
        assert not SEED_NAME.search(content), path.name
    actions = demo_audit.recommendations
    actions = actions[actions["source"] != ""]  # a data request cites no work
    assert len(actions) > 40
    for column in ("source_es", "source_en", "source_passage_es", "source_passage_en"):
        assert not actions[column].str.contains(SEED_NAME).any(), column
        assert actions[column].str.len().gt(20).all(), column
    assert actions["source_passage_es"].str.match(r"«|Paráfrasis: ").all()
    for name in rubric_names():
        page = render(load_rubric(name))
        assert not SEED_NAME.search(page) and "Obras citadas / Works cited" in page
        assert not SEED_NAME.search((DOCS_DIR / f"{name}.md").read_text(encoding="utf-8"))
