"""A re-score (the Rubric page's edit) is the audit a fresh run with the edited rubric gives:
reusing the features, the measures and their evidence must change no number and no text."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import pandas as pd
import pytest

from audit import ClusterSettings, load_rubric, recluster, rescore, run_audit
from audit.score.rubric import rubric_from_data

DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo_auditoria_sintetica.xlsx"


def _edited(change) -> object:
    data = copy.deepcopy(load_rubric("gobierno").data)
    change(data)
    return rubric_from_data(data, "gobierno.yaml")


def _weights(data: dict) -> None:
    data["dimensions"][0]["weight"] = 35
    criterion = data["dimensions"][1]["criteria"][0]
    criterion["weight"] = float(criterion["weight"]) + 2
    criterion["target"] = 0.5


def _curve(data: dict) -> None:
    data["dimensions"][0]["criteria"][0]["scoring"]["target"] = 0.6


def _status_days(data: dict) -> None:
    data["profile_status"]["days"].update(active=7, irregular=21)


def _same(again, fresh) -> None:
    pd.testing.assert_frame_equal(again.scorecard.scores, fresh.scorecard.scores)
    pd.testing.assert_frame_equal(again.scorecard.institutions, fresh.scorecard.institutions)
    pd.testing.assert_frame_equal(again.recommendations, fresh.recommendations)
    pd.testing.assert_frame_equal(again.profiles, fresh.profiles)
    pd.testing.assert_frame_equal(again.peers.assignments, fresh.peers.assignments)
    assert again.peers.settings() == fresh.peers.settings()
    assert again.manifest()["rubric"] == fresh.manifest()["rubric"]


@pytest.mark.parametrize("change", [_weights, _curve, _status_days],
                         ids=["weights and targets", "scoring curve", "status days"])
def test_rescore_equals_a_fresh_audit_with_the_edited_rubric(demo_audit, change):
    rubric = _edited(change)
    again = rescore(demo_audit, rubric)
    _same(again, run_audit([DEMO], rubric=rubric))
    # a weight edit leaves features and measures as they were: nothing is measured again
    if change is _weights:
        assert again.features is demo_audit.features
        assert set(again.scorecard.measures) == set(demo_audit.scorecard.measures)


def test_rescoring_a_rescored_audit_reuses_every_measure(demo_audit):
    """The app re-scores each edit from the last result: the measures and their evidence
    travel with it, so a second edit still finds them all."""
    once = rescore(demo_audit, _edited(_weights))
    back = rescore(once, demo_audit.rubric)
    assert set(once.scorecard.evidence) == set(demo_audit.scorecard.evidence)
    pd.testing.assert_frame_equal(back.scorecard.scores, demo_audit.scorecard.scores)
    pd.testing.assert_frame_equal(back.recommendations, demo_audit.recommendations)


@pytest.mark.parametrize("settings", [ClusterSettings("ward", 4), ClusterSettings("kmeans", 5),
                                      ClusterSettings("kmeans", None, size=True)])
def test_recluster_equals_a_fresh_audit_with_those_settings(demo_audit, settings):
    again = recluster(demo_audit, settings).peers
    fresh = run_audit([DEMO], clustering=settings).peers
    assert again.settings() == fresh.settings()
    pd.testing.assert_frame_equal(again.assignments, fresh.assignments)
    pd.testing.assert_frame_equal(again.map, fresh.map)


def test_a_dimension_weight_keeps_the_clusters(demo_audit):
    """Clusters are computed from the dimension scores, which a dimension's weight does not
    move: the re-score keeps them, and they are those of a fresh audit."""
    rubric = _edited(lambda data: data["dimensions"][0].update(weight=35))
    again = rescore(demo_audit, rubric)
    assert again.peers is demo_audit.peers
    _same(again, run_audit([DEMO], rubric=rubric))


def test_a_dimension_weight_rescores_only_above_the_criteria(demo_audit):
    """Dimension weights act after the dimension scores: the criterion rows and dimension
    scores are the audit's own (not computed again), and every number above them, overall
    score, coverage and level, is a fresh audit's."""
    rubric = _edited(lambda data: data["dimensions"][2].update(weight=3))
    again = rescore(demo_audit, rubric)
    assert again.scorecard.scores is demo_audit.scorecard.scores
    assert again.scorecard.dimensions is demo_audit.scorecard.dimensions
    fresh = run_audit([DEMO], rubric=rubric)
    assert not again.scorecard.institutions["overall_score"].equals(
        demo_audit.scorecard.institutions["overall_score"])
    pd.testing.assert_frame_equal(again.scorecard.dimensions, fresh.scorecard.dimensions)
    _same(again, fresh)


def test_a_whole_number_written_as_an_int_is_the_same_criterion(demo_audit):
    """The app's rubric editor writes a target of 1.0 back as 1 (and 3 as 3): the same
    criteria, so a dimension weight edited there still keeps the criterion rows."""
    def ints_and_a_weight(data: dict) -> None:
        for dimension in data["dimensions"]:
            for criterion in dimension["criteria"]:
                for key, value in criterion["scoring"].items():
                    if isinstance(value, float) and value.is_integer():
                        criterion["scoring"][key] = int(value)
        data["dimensions"][2]["weight"] = 3

    rubric = _edited(ints_and_a_weight)
    assert any(isinstance(v, int) and not isinstance(v, bool)
               for _, c in rubric.criteria() for v in c["scoring"].values())
    again = rescore(demo_audit, rubric)
    assert again.scorecard.scores is demo_audit.scorecard.scores


@pytest.mark.parametrize("change", [_weights, _curve, _status_days],
                         ids=["weights and targets", "scoring curve", "status days"])
def test_an_edited_rubric_keeps_the_sha256_of_its_yaml_text(change):
    """The app hashes an edited rubric with libyaml's emitter; its text, hence the sha256
    recorded in audit.json, is the pure-Python ``yaml.safe_dump``'s."""
    yaml = pytest.importorskip("yaml")
    edited = _edited(change)
    text = yaml.safe_dump(edited.data, sort_keys=True, allow_unicode=True)
    assert edited.sha256 == hashlib.sha256(text.encode()).hexdigest()


def test_the_sector_and_country_tests_do_not_depend_on_the_clusters(demo_audit):
    """The app files its sector and country tests under the audit and rubric only, not the
    cluster settings (ui/state.py ``group_tests``): another clustering gives the same
    tables, and only the clusters' own tests change."""
    from ui import views

    again = recluster(demo_audit, ClusterSettings("ward", 4))
    for by in ("sector", "country"):
        pd.testing.assert_frame_equal(views.group_comparison(again, by),
                                      views.group_comparison(demo_audit, by))
    assert not views.group_comparison(again, "cluster").equals(
        views.group_comparison(demo_audit, "cluster"))
