"""Coverage: how much of the rubric was evaluated, and the rule that missing data never
raises an overall score or a rank."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import DEMO

from audit import load_rubric, run_audit
from audit.score.rubric import DIMENSIONS
from audit.score.scorecard import coverage, overall_scores


def test_removing_any_dimension_never_raises_an_overall_score(demo_audit):
    dimensions = demo_audit.scorecard.dimensions
    rubric = demo_audit.rubric
    full = overall_scores(dimensions, rubric)
    for dimension in DIMENSIONS:
        fewer = overall_scores(dimensions.assign(**{dimension: np.nan}), rubric)
        assert (fewer.fillna(0) <= full + 1e-9).all(), dimension


def test_an_institution_never_climbs_the_ranking_by_losing_one_of_its_dimensions(demo_audit):
    dimensions = demo_audit.scorecard.dimensions
    rubric = demo_audit.rubric
    ranks = overall_scores(dimensions, rubric).rank(ascending=False, method="min")
    for dimension in DIMENSIONS:
        for name in dimensions.index[dimensions[dimension].notna()]:
            fewer = dimensions.copy()
            fewer.loc[name, dimension] = np.nan
            rank = overall_scores(fewer, rubric).rank(ascending=False, method="min")[name]
            assert rank >= ranks[name], (name, dimension)


def test_overall_counts_a_dimension_not_evaluated_as_zero():
    rubric = load_rubric()
    weights = {d["id"]: d["weight"] for d in rubric.dimensions}
    scores = pd.DataFrame([{d: 80.0 for d in DIMENSIONS},
                           {**{d: 80.0 for d in DIMENSIONS}, "governance": np.nan},
                           {d: np.nan for d in DIMENSIONS}], index=["all", "no_gov", "none"])
    got = overall_scores(scores, rubric)
    total = sum(weights.values())
    assert got["all"] == pytest.approx(80.0)
    assert got["no_gov"] == pytest.approx(80.0 * (total - weights["governance"]) / total)
    assert np.isnan(got["none"])


@pytest.fixture(scope="module")
def without_interactions():
    """The demo workbook with its interactions sheet removed."""
    book = openpyxl.load_workbook(DEMO)
    del book["interacciones"]
    buffer = io.BytesIO()
    book.save(buffer)
    return run_audit([("sin_interacciones.xlsx", buffer.getvalue())])


def test_leaving_out_a_sheet_lowers_coverage_and_never_raises_a_score_or_a_rank(
        demo_audit, without_interactions):
    full = demo_audit.scorecard.institutions
    fewer = without_interactions.scorecard.institutions.reindex(full.index)
    assert (fewer["overall_score"] <= full["overall_score"] + 1e-9).all()
    had = full["responsiveness"].notna()  # some demo institutions have no interactions at all
    assert had.sum() >= 30
    assert (fewer.loc[had, "coverage"] < full.loc[had, "coverage"]).all()
    assert (fewer.loc[~had, "coverage"] == full.loc[~had, "coverage"]).all()
    assert fewer["missing_inputs"].str.contains("interactions").all()
    assert (fewer.loc[~had, "overall_score"] == full.loc[~had, "overall_score"]).all()


def test_institutions_csv_has_coverage_and_says_what_is_missing(demo_audit):
    institutions = demo_audit.scorecard.institutions
    assert institutions["coverage"].between(0, 1).all()
    complete = institutions[institutions["coverage"] == 1.0]
    assert len(complete) > 0 and (complete["missing_inputs"] == "").all()
    short = institutions[institutions["coverage"] < demo_audit.rubric.maturity["min_coverage"]]
    assert len(short) > 0
    # below the minimum coverage: no level, or level 1 when level 2 fails on what is known
    no_level = short["maturity_level"].isna()
    assert short.loc[no_level, "maturity_capped_es"].str.startswith("Datos insuficientes").all()
    assert (short.loc[~no_level, "maturity_level"] == 1).all()
    assert short.loc[~no_level, "maturity_capped_es"].str.startswith(
        "Nivel 2 no alcanzado").all()


def test_coverage_weighs_each_criterion_by_its_dimension_and_its_share_within_it():
    rubric = load_rubric()
    weights = {d["id"]: float(d["weight"]) for d in rubric.dimensions}
    total = sum(weights.values())
    # x: two of the three activity criteria rows (weights 3 and 1) and governance; y: the
    # weight-3 activity criterion only. Dimensions without rows count as not evaluated.
    scores = pd.DataFrame({
        "institution": ["x", "x", "x", "y", "y"],
        "dimension": ["activity", "activity", "governance", "activity", "activity"],
        "weight": [3.0, 1.0, 1.0, 3.0, 1.0],
        "score": [80.0, 60.0, 50.0, 70.0, np.nan]})
    got = coverage(scores, rubric, pd.Index(["x", "y", "z"]))
    assert got["x"] == pytest.approx((weights["activity"] + weights["governance"]) / total)
    assert got["y"] == pytest.approx(weights["activity"] * 3 / 4 / total)
    assert got["z"] == 0.0


def test_a_post_based_criterion_of_a_silent_institution_says_why_it_has_no_value(demo_audit):
    scores = demo_audit.scorecard.scores
    silent = scores[scores["institution"] == "Consultorio Médico Familiar Las Jacarandas"]
    spelling = silent[silent["criterion"] == "spelling"].iloc[0]
    assert spelling["status"] == "not_evaluated"
    assert spelling["evidence_en"] == ("No post in the audit window (90 days): nothing to "
                                       "evaluate")
    owner = silent[silent["criterion"] == "owner"].iloc[0]  # no questionnaire: no data
    assert owner["evidence_en"] == "No data to evaluate"
