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
