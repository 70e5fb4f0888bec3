"""Rubric loading: the shipped rubric loads; mistakes name the file, the key and the fix."""

from __future__ import annotations

import pytest

from audit import RubricError, load_rubric


def test_default_rubric_loads_with_hash():
    rubric = load_rubric()
    assert rubric.id == "gobierno"
    assert rubric.status_days == {"active": 14, "irregular": 30, "inactive": 90}
    assert len(rubric.sha256) == 64


@pytest.mark.parametrize("text,expected", [
    ("- a\n- b\n", "mapping"),
    ("id: x\nversion: '1'\nlabel: {es: a, en: b}\n", "profile_status"),
    ("id: x\nversion: '1'\nlabel: {es: a}\nprofile_status: {days: {}, window_days: 90}\n",
     "'label'"),
    ("id: x\nversion: '1'\nlabel: {es: a, en: b}\n"
     "profile_status: {days: {active: 40, irregular: 30, inactive: 90}, window_days: 90}\n",
     "active <= irregular"),
    ("id: x\nversion: '1'\nlabel: {es: a, en: b}\n"
     "profile_status: {days: {active: 14, irregular: 30, inactive: 90}, window_days: -1}\n",
     "window_days"),
    ("id: [unclosed\n", "not valid YAML"),
])
def test_mistakes_are_explained(tmp_path, text, expected):
    path = tmp_path / "r.yaml"
    path.write_text(text)
    with pytest.raises(RubricError) as err:
        load_rubric(str(path))
    assert "r.yaml" in str(err.value) and expected in str(err.value)


def test_unknown_name_lists_known_rubrics():
    with pytest.raises(RubricError, match="gobierno"):
        load_rubric("no_such_rubric")


def test_sector_rubrics_extend_the_default():
    base, health, libraries = (load_rubric(n) for n in ("gobierno", "salud", "bibliotecas"))
    weights = {r.id: {d["id"]: d["weight"] for d in r.dimensions}
               for r in (base, health, libraries)}
    assert weights["salud"]["responsiveness"] == 22 and weights["gobierno"]["responsiveness"] == 20
    assert weights["bibliotecas"]["engagement"] == 20
    health_ids = {c["id"] for _, c in health.criteria()}
    assert {"patient_privacy", "blog_hub"} <= health_ids
    # the health rubric's patient_privacy replaces the base rubric's personal_data
    assert health_ids - {"patient_privacy", "blog_hub"} == {
        c["id"] for _, c in base.criteria()} - {"personal_data"}
    uses = next(c for _, c in libraries.criteria() if c["id"] == "content_uses")
    assert uses["weight"] == 4 and uses["action"] == next(
        c for _, c in base.criteria() if c["id"] == "content_uses")["action"]
    assert len({base.sha256, health.sha256, libraries.sha256}) == 3


def test_criterion_mistakes_name_the_key(tmp_path):
    import copy

    import yaml

    data = copy.deepcopy(load_rubric().data)
    criterion = data["dimensions"][0]["criteria"][0]
    criterion["metric"] = "no_such_metric"
    criterion["horizon"] = "someday"
    criterion["source"] = {"id": "guia-inexistente", "quote": "x"}
    criterion["scoring"] = {"type": "lognormal", "good": 5, "median": 5}
    path = tmp_path / "mala.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RubricError) as err:
        load_rubric(str(path))
    message = str(err.value)
    where = f"dimensions.activity.criteria.{criterion['id']}"
    for key in ("metric", "horizon", "source", "scoring"):
        assert f"{where}.{key}:" in message, key


def test_rubric_pages_are_generated_and_in_sync():
    from audit.report.rubric_doc import DOCS_DIR, render
    from audit.score.rubric import rubric_names

    assert rubric_names() == ["bibliotecas", "gobierno", "salud"]
    for name in rubric_names():
        page = (DOCS_DIR / f"{name}.md").read_text(encoding="utf-8")
        assert page == render(load_rubric(name)), \
            f"docs/rubrics/{name}.md is stale: run python -m audit.report.rubric_doc"


def _edited(tmp_path, name: str, edit) -> str:
    """The default rubric, changed by ``edit(criteria by id)``, saved as ``name``."""
    import copy

    import yaml

    data = copy.deepcopy(load_rubric().data)
    edit({c["id"]: c for d in data["dimensions"] for c in d["criteria"]})
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_unknown_option_is_refused_with_its_path(tmp_path):
    def misspell(criteria):
        criteria["readability"]["params"] = {"min_wrods": 10}

    with pytest.raises(RubricError) as err:
        load_rubric(_edited(tmp_path, "gobierno.yaml", misspell))
    assert ("gobierno.yaml: dimensions.tone.criteria.readability.params.min_wrods: "
            "unknown option; accepted: min_words") in str(err.value).splitlines()


def test_option_kinds_and_required_options_are_checked(tmp_path):
    def spoil(criteria):
        criteria["same_handle"]["params"]["threshold"] = "alta"
        criteria["same_handle"]["params"]["exclude_networks"] = "blog"
        del criteria["owner"]["params"]["item"]

    with pytest.raises(RubricError) as err:
        load_rubric(_edited(tmp_path, "r.yaml", spoil))
    lines = str(err.value).splitlines()
    where = "r.yaml: dimensions.identity.criteria.same_handle.params"
    assert f"{where}.threshold: expected a number, got text" in lines
    assert f"{where}.exclude_networks: expected a list, got text" in lines
    assert "r.yaml: dimensions.governance.criteria.owner.params.item: required option " \
           "missing" in lines
    assert len(lines) == 3


def test_default_applies_when_the_rubric_is_silent(tmp_path):
    def silence(criteria):
        del criteria["readability"]["params"]
        criteria["same_handle"]["params"] = {"exclude_networks": []}

    rubric = load_rubric(_edited(tmp_path, "r.yaml", silence))
    criteria = {c["id"]: c for _, c in rubric.criteria()}
    assert rubric.params(criteria["readability"]) == {"min_words": 10}
    assert rubric.params(criteria["same_handle"]) == {"threshold": 0.85, "exclude_networks": []}
    assert "params" not in criteria["readability"]  # the rubric's own data stay as written


def test_text_templates_are_filled_and_checked(tmp_path):
    def reword(criteria):
        criteria["readability"]["params"] = {"min_words": 13}
        criteria["readability"]["action"]["es"] = "Al menos {min_words} palabras; activo ≤ " \
                                                 "{active_days}; {window_days} días"
        criteria["same_handle"]["description"]["en"] = "At least {threshold:pct} alike."

    rubric = load_rubric(_edited(tmp_path, "r.yaml", reword))
    criteria = {c["id"]: c for _, c in rubric.criteria()}
    assert criteria["regularity"]["description"]["es"] == (
        "Proporción de las semanas completas de los últimos 90 días con al menos una "
        "publicación (media de perfiles).")
    assert criteria["readability"]["action"]["es"] == \
        "Al menos 13 palabras; activo ≤ 14; 90 días"
    assert criteria["same_handle"]["description"]["en"] == "At least 85% alike."

    def misspell(criteria):
        criteria["readability"]["description"]["en"] = "Posts of {min_wrods} words"

    with pytest.raises(RubricError) as err:
        load_rubric(_edited(tmp_path, "r.yaml", misspell))
    assert str(err.value) == (
        "r.yaml: dimensions.tone.criteria.readability.description.en: unknown placeholder "
        "{min_wrods}; known: active_days, inactive_days, irregular_days, min_words, "
        "status_window_days, window_days")


def test_risks_and_horizons_are_rubric_data(tmp_path):
    health = load_rubric("salud")
    assert health.risks == [("responsiveness", "complaint_response"),
                            ("transparency", "political_content"),
                            ("governance", "patient_privacy")]
    assert load_rubric().risks == [*health.risks[:2], ("transparency", "personal_data")]
    assert {h: (v["days"], v["span"]["es"], v["span"]["en"])
            for h, v in health.horizons.items()} == {
        "short": (30, "30 días", "30 days"), "medium": (90, "90 días", "90 days"),
        "long": (365, "12 meses", "12 months")}

    import copy

    import yaml

    data = copy.deepcopy(load_rubric().data)
    data["horizons"]["short"]["days"] = 45
    data["dimensions"][0]["criteria"][0]["risk"] = "sí"
    edited = tmp_path / "r.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RubricError, match=r"criteria\.active_profiles\.risk: expected true"):
        load_rubric(str(edited))
    data["dimensions"][0]["criteria"][0]["risk"] = True
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rubric = load_rubric(str(edited))
    assert rubric.horizons["short"]["span"] == {"es": "45 días", "en": "45 days"}
    assert rubric.risks[0] == ("activity", "active_profiles")
    del data["horizons"]["long"]
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RubricError, match="'horizons': expected a mapping with short, medium"):
        load_rubric(str(edited))
