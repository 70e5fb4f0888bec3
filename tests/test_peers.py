"""Peers: clusters on constructed scores, the missing-dimension rule, names, percentiles and
the best peer of a sector."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from audit import load_rubric, run_audit
from audit.peers.clusters import (
    HIGH,
    LOW,
    SIZE_COVARIATE,
    ClusterSettings,
    best_peers,
    cluster_institutions,
    cluster_name,
    dendrogram_data,
    percentiles,
    size_covariate,
)
from audit.pipeline import recluster, rescore
from audit.report.research_exports import methods_appendix
from audit.score.rubric import DIMENSIONS

DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo_auditoria_sintetica.xlsx"


def _table(rows: dict[str, list[float]], sectors: list[str] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(DIMENSIONS))
    frame.index.name = "institution"
    frame.insert(0, "sector", sectors or ["health"] * len(frame))
    frame.insert(1, "overall_score", frame[list(DIMENSIONS)].mean(axis=1))
    return frame


def _two_groups(n: int = 6, seed: int = 1) -> pd.DataFrame:
    """Group A above B on every dimension but governance, most of all in responsiveness;
    governance the reverse. (Standardising gives each dimension equal weight, so groups
    apart on only two of seven dimensions would be drowned in the noise of the other five.)"""
    rng = np.random.default_rng(seed)
    rows = {}
    for i in range(n):
        base = [80, 80, 80, 95, 80, 80, 15]
        rows[f"A{i}"] = list(np.clip(np.array(base) + rng.normal(0, 3, 7), 0, 100))
        base = [40, 40, 40, 15, 40, 40, 95]
        rows[f"B{i}"] = list(np.clip(np.array(base) + rng.normal(0, 3, 7), 0, 100))
    return _table(rows)


def test_two_separated_groups_are_recovered_with_k_2():
    clusters = cluster_institutions(_two_groups())
    assert clusters.ok and clusters.k == 2
    got = clusters.assignments["cluster"]
    a = {got[f"A{i}"] for i in range(6)}
    b = {got[f"B{i}"] for i in range(6)}
    assert len(a) == 1 and len(b) == 1 and a != b
    assert clusters.silhouette > 0.7
    assert clusters.agreement > 0.9
    labels = clusters.assignments.drop_duplicates("cluster").set_index("cluster")
    # Numbered by the alphabetically first member: A0 comes before B0.
    assert a == {1} and b == {2}
    assert labels.loc[1, "cluster_label_es"] == ("Alto en actividad, identidad, tono, "
                                                 "respuesta, transparencia, interacción; "
                                                 "bajo en gobernanza")
    assert labels.loc[2, "cluster_label_en"] == ("High in governance; low in activity, "
                                                 "identity, tone, responsiveness, "
                                                 "transparency, engagement")
    assert set(clusters.map.columns) >= {"x", "y", "cluster"} and len(clusters.map) == 12
    assert sum(clusters.explained) > 0.8
    # Profiles are in the original 0-100 units.
    assert clusters.profiles["responsiveness"].max() > 90
    assert clusters.profiles["size"].sum() == 12


def test_ward_recovers_the_groups_and_keeps_a_tree():
    clusters = cluster_institutions(_two_groups(), method="ward")
    assert clusters.k == 2 and clusters.linkage is not None
    assert clusters.assignments["cluster"].nunique() == 2


def test_deterministic_across_runs():
    table = _two_groups(8, seed=3)
    first, second = cluster_institutions(table, k=3), cluster_institutions(table, k=3)
    pd.testing.assert_frame_equal(first.assignments, second.assignments)
    pd.testing.assert_frame_equal(first.map, second.map)
    assert first.agreement == second.agreement and first.silhouette == second.silhouette
    assert first.settings() == second.settings()


def test_fixed_k_is_kept():
    clusters = cluster_institutions(_two_groups(), k=3)
    assert clusters.k == 3 and clusters.k_fixed
    assert clusters.assignments["cluster"].nunique() == 3
    assert list(clusters.silhouette_by_k) == [3]


def test_fewer_than_four_institutions_no_clusters_with_reason():
    clusters = cluster_institutions(_two_groups().iloc[:3])
    assert not clusters.ok and clusters.assignments.empty
    assert "al menos 4" in clusters.reason_es and "at least 4" in clusters.reason_en
    assert clusters.settings()["k"] is None


def test_missing_dimensions_imputed_with_median_or_excluded():
    table = _two_groups()
    table.loc["A0", "governance"] = np.nan  # 6 of 7 evaluated: imputed
    table.loc["B0", ["activity", "identity", "tone"]] = np.nan  # 4 of 7: excluded
    clusters = cluster_institutions(table)
    assert list(clusters.excluded["institution"]) == ["B0"]
    assert "4 de 7" in clusters.excluded["reason_es"].iloc[0]
    assert "B0" not in clusters.assignments.index and "A0" in clusters.assignments.index
    imputed = clusters.imputed.set_index(["institution", "dimension"])["value"]
    kept = table.drop(index="B0")
    assert imputed[("A0", "governance")] == pytest.approx(kept["governance"].median())
    # Excluded institutions are listed in the settings audit.json records.
    assert clusters.settings("en")["excluded"][0]["institution"] == "B0"


# --- names and numbers: the same membership, the same name and number ---------------------

# Centroids on the seven dimensions in the rubric's order: activity, identity, tone,
# responsiveness, transparency, engagement, governance.
@pytest.mark.parametrize("centroid,es,en", [
    ([80, 60, 60, 90, 60, 60, 30], "Alto en actividad, respuesta; bajo en gobernanza",
     "High in activity, responsiveness; low in governance"),
    ([80, 60, 60, 74.9, 60, 60, 55], "Alto en actividad", "High in activity"),
    ([60, 60, 60, 60, 49.9, 60, 55], "Bajo en transparencia", "Low in transparency"),
    ([60, 60, 60, 60, 60, 60, 50], "Sin dimensiones destacadas", "No dimension stands out"),
    ([74.9, 74.9, 74.9, 74.9, 74.9, 74.9, 50], "Sin dimensiones destacadas",
     "No dimension stands out"),  # the bands' edges: 75 is high, 50 is not low
    ([75, 75, 75, 75, 75, 75, 75], "Alto en todo", "High across the board"),
    ([99.5, 99.8, 99.6, 99.9, 99.4, 98.9, 99.7], "Alto en todo", "High across the board"),
    ([99.5, 99.8, 60, 99.9, 99.4, 98.9, 60], "Alto en actividad, identidad, respuesta, "
     "transparencia, interacción", "High in activity, identity, responsiveness, transparency, "
     "engagement"),
    ([10, 20, 30, 40, 49.9, 0, 5], "Bajo en todo", "Low across the board"),
    ([90, 60, 30, 60, 60, 98.9, 60], "Alto en actividad, interacción; bajo en tono",
     "High in activity, engagement; low in tone"),
])
def test_cluster_name_from_fixed_bands(centroid, es, en):
    name = cluster_name(pd.Series(centroid, index=list(DIMENSIONS), dtype="float64"))
    assert (name.render("es"), name.render("en")) == (es, en)
    assert (HIGH, LOW) == (75.0, 50.0)


def test_two_close_dimensions_swapping_places_keep_the_name():
    """A week later activity 25.8 -> 29.3 passes governance 28.5: still the same name."""
    before = pd.Series([25.8, 49.0, 78.4, 41.8, 60.5, 73.6, 28.5], index=list(DIMENSIONS))
    after = pd.Series([29.3, 49.0, 78.3, 41.6, 60.9, 73.9, 28.5], index=list(DIMENSIONS))
    assert cluster_name(before) == cluster_name(after)
    assert cluster_name(after).render("en") == ("High in tone; low in activity, identity, "
                                                "responsiveness, governance")


def test_a_group_with_mean_engagement_98_9_is_never_low_in_engagement():
    """Three groups, all near the top in engagement; the one with the least (98.9) used to
    be named weak in engagement because the others were higher still."""
    rng = np.random.default_rng(4)
    rows = {}
    for group, base in enumerate(([95, 90, 85, 90, 30, 99.6, 80],
                                  [40, 45, 60, 30, 90, 99.3, 85],
                                  [70, 70, 35, 85, 60, 98.9, 20])):
        for i in range(5):
            rows[f"{'PQR'[group]}{i}"] = list(np.clip(np.array(base) + rng.normal(0, 0.4, 7),
                                                      0, 100))
    clusters = cluster_institutions(_table(rows), k=3)
    assert clusters.profiles["engagement"].min() == pytest.approx(98.9, abs=0.3)
    for es, en in clusters.profiles[["label_es", "label_en"]].itertuples(index=False):
        assert "bajo en interacción" not in es and "low in engagement" not in en
    assert list(clusters.profiles["label_en"]) == [
        "High in activity, identity, tone, responsiveness, engagement, governance; "
        "low in transparency",
        "High in transparency, engagement, governance; low in activity, identity, "
        "responsiveness",
        "High in responsiveness, engagement; low in tone, governance"]


def _named(clusters) -> dict[str, tuple]:
    return {i: (row.cluster, row.cluster_label_es, row.cluster_label_en)
            for i, row in clusters.assignments.iterrows()}


def test_the_same_membership_gets_the_same_names_and_numbers_in_any_row_order():
    table = _two_groups(8, seed=3)
    first = cluster_institutions(table, k=3)
    for seed in (1, 2, 3):
        shuffled = table.sample(frac=1, random_state=seed)
        again = cluster_institutions(shuffled, k=3)
        assert _named(again) == _named(first)
        pd.testing.assert_frame_equal(again.profiles, first.profiles)
    # The number follows the alphabetically first member, whatever the scores.
    firsts = first.assignments.reset_index().groupby("cluster")["institution"].min()
    assert list(firsts) == sorted(firsts)


def test_a_small_shift_that_keeps_membership_keeps_names_and_numbers():
    """What an audit date a week later does: every score moves a little, nobody changes
    group, so no group changes name or number."""
    table = _two_groups()
    before = cluster_institutions(table)
    rng = np.random.default_rng(7)
    shifted = table.copy()
    shifted[list(DIMENSIONS)] = (table[list(DIMENSIONS)]
                                 + rng.uniform(-2, 2, (len(table), 7))).clip(0, 95)
    after = cluster_institutions(shifted)
    assert after.assignments["cluster"].equals(before.assignments["cluster"])
    assert _named(after) == _named(before)
    # Even when the groups' means swap order: group 2 now scores above group 1 overall.
    lifted = shifted.copy()
    lifted.loc[[f"B{i}" for i in range(6)], list(DIMENSIONS)] += 5
    after = cluster_institutions(lifted)
    assert _named(after) == _named(before)


def test_percentiles_within_sector_and_cluster():
    table = _table({"a": [10] * 7, "b": [20] * 7, "c": [30] * 7, "d": [40] * 7},
                   sectors=["x", "x", "x", "y"])
    table.loc["a", "tone"] = np.nan
    by_sector = percentiles(table, "sector")
    assert list(by_sector["overall_score"]) == [33, 67, 100, 100]
    assert np.isnan(by_sector.loc["a", "tone"])
    assert by_sector.loc["b", "tone"] == 50  # a is not evaluated: b is the lower of two
    table["cluster"] = [1, 2, 2, 2]
    by_cluster = percentiles(table, "cluster")
    assert list(by_cluster["activity"]) == [100, 33, 67, 100]
    assert list(by_cluster["cluster"]) == [1, 2, 2, 2]


def test_best_peer_is_the_highest_of_the_same_sector_at_target():
    scores = pd.DataFrame({
        "institution": ["Weak", "Good", "Best", "OtherSector", "Below"],
        "dimension": "responsiveness", "criterion": "complaint_response",
        "score": [20.0, 85.0, 92.0, 100.0, 60.0], "target": 80.0,
        "evidence_es": ["e0", "e1", "Responde el 92 % de las quejas en 24 h", "e3", "e4"],
        "evidence_en": ["e0", "e1", "Answers 92% of complaints within 24 h", "e3", "e4"],
    })
    institutions = pd.DataFrame({"sector": ["s", "s", "s", "t", "s"]},
                                index=pd.Index(["Weak", "Good", "Best", "OtherSector", "Below"],
                                               name="institution"))
    actions = pd.DataFrame({"institution": ["Weak", "Below", "Best"],
                            "dimension": "responsiveness",
                            "criterion": "complaint_response"})
    out = best_peers(scores, institutions, actions)
    assert list(out["best_peer"][:2]) == ["Best", "Best"]
    assert out.loc[0, "best_peer_phrase_es"] == \
        "Best lo logra: Responde el 92 % de las quejas en 24 h"
    assert out.loc[0, "best_peer_phrase_en"].startswith("Best achieves it: Answers 92%")
    assert out.loc[2, "best_peer"] == "Good"  # not itself: the next best
    # No peer at target in the sector: nothing.
    alone = best_peers(scores[scores["institution"] != "Good"].assign(
        score=lambda f: f["score"].where(f["institution"] != "Best", 50.0)),
        institutions, actions)
    assert alone["best_peer"].isna().all()


def _best_peers_row_by_row(scores, institutions, recommendations):
    """The best peers as first written, one row at a time (itertuples, ``Series.get``): the
    reference the faster lookup must equal, values and dtypes."""
    out = recommendations.copy()
    cols = ["best_peer", "best_peer_score", "best_peer_evidence_es", "best_peer_evidence_en",
            "best_peer_phrase_es", "best_peer_phrase_en"]
    sector = institutions["sector"]
    good = scores[scores["score"].notna() & (scores["score"] >= scores["target"])]
    good = good.assign(sector=good["institution"].map(sector))
    good = good.sort_values(["score", "institution"], ascending=[False, True], kind="stable")
    top = good.groupby(["sector", "dimension", "criterion"], sort=False).head(2)
    leaders = {}
    for row in top.itertuples():
        leaders.setdefault((row.sector, row.dimension, row.criterion), []).append(row)
    found = []
    for inst, dim, crit in zip(out["institution"], out["dimension"], out["criterion"],
                               strict=True):
        peer = next((r for r in leaders.get((sector.get(inst), dim, crit), [])
                     if r.institution != inst), None)
        if peer is None:
            found.append([None, np.nan, None, None, None, None])
        else:
            found.append([peer.institution, float(peer.score), peer.evidence_es,
                          peer.evidence_en, f"{peer.institution} lo logra: {peer.evidence_es}",
                          f"{peer.institution} achieves it: {peer.evidence_en}"])
    peers = pd.DataFrame(found, columns=cols, index=out.index)
    peers["best_peer_score"] = peers["best_peer_score"].astype("float64")
    return pd.concat([out, peers], axis=1)


@pytest.mark.parametrize("seed", range(200))
def test_best_peers_equal_the_row_by_row_lookup(seed):
    """Ties, scores below target or missing, sectors missing, evidence missing, actions of an
    institution not in the table and a shuffled action index: the same frame, dtypes too."""
    rng = np.random.default_rng(seed)
    names = [f"inst {i:02d}" for i in range(int(rng.integers(2, 12)))]
    sectors = rng.choice(["health", "water", None], size=len(names), p=[0.5, 0.35, 0.15])
    institutions = pd.DataFrame({"sector": pd.array(sectors, dtype="str")},
                                index=pd.Index(names, name="institution"))
    rows = [(name, dim, crit) for name in names for dim, crit in
            [("tone", "a"), ("tone", "b"), ("governance", "a")] if rng.random() < 0.8]
    score = rng.choice([40.0, 80.0, 90.0, 100.0, np.nan], size=len(rows))
    evidence = [None if rng.random() < 0.1 else f"e{i}" for i in range(len(rows))]
    scores = pd.DataFrame({
        "institution": pd.array([r[0] for r in rows], dtype="str"),
        "dimension": pd.array([r[1] for r in rows], dtype="str"),
        "criterion": pd.array([r[2] for r in rows], dtype="str"),
        "score": score, "target": 80.0,
        "evidence_es": pd.array(evidence, dtype="str"),
        "evidence_en": pd.array([e and e.upper() for e in evidence], dtype="str")})
    asked = [*rng.choice(names, size=int(rng.integers(1, 15))), "not audited"]
    actions = pd.DataFrame({"institution": pd.array(asked, dtype="str"),
                            "dimension": pd.array(rng.choice(["tone", "governance"],
                                                             size=len(asked)), dtype="str"),
                            "criterion": pd.array(rng.choice(["a", "b"], size=len(asked)),
                                                  dtype="str")},
                           index=rng.permutation(len(asked)) * 3)
    if scores.empty:
        return
    pd.testing.assert_frame_equal(best_peers(scores, institutions, actions),
                                  _best_peers_row_by_row(scores, institutions, actions))


# --- settings chosen by the user: method, k, size ------------------------------------------


@pytest.mark.parametrize("kwargs", [{"method": "dbscan"}, {"k": 1}, {"k": 9}, {"k": True},
                                    {"k": 3.0}])
def test_cluster_settings_reject_what_cannot_be_clustered(kwargs):
    with pytest.raises(ValueError):
        ClusterSettings(**kwargs)


def test_size_covariate_is_log10_of_one_plus_summed_followers():
    profiles = pd.DataFrame({"institution": ["A", "A", "B", "C", "C"],
                             "followers": [9.0, 90.0, np.nan, 999.0, np.nan]})
    size = size_covariate(profiles)
    assert list(size.columns) == [SIZE_COVARIATE]
    assert size.loc["A", SIZE_COVARIATE] == pytest.approx(2.0)  # log10(1 + 99)
    assert size.loc["C", SIZE_COVARIATE] == pytest.approx(3.0)  # a missing count adds nothing
    assert np.isnan(size.loc["B", SIZE_COVARIATE])  # no count at all: the median, later
    table = _two_groups()
    covariates = pd.DataFrame({SIZE_COVARIATE: np.arange(len(table), dtype=float)},
                              index=table.index)
    settings = cluster_institutions(table, covariates=covariates).settings()
    assert list(settings["covariates"]) == [SIZE_COVARIATE]
    assert "log10(1 + sum of followers" in settings["covariates"][SIZE_COVARIATE]
    assert cluster_institutions(table).settings()["covariates"] == {}


def test_ward_dendrogram_has_every_institution_once_and_kmeans_none():
    clusters = cluster_institutions(_two_groups(), method="ward", k=3)
    tree = dendrogram_data(clusters)
    n = len(clusters.assignments)
    assert list(tree.segments.columns) == ["x", "y", "x2", "y2"]
    assert len(tree.segments) == 3 * (n - 1)  # a "⊓" of three lines per merge
    assert list(tree.leaves.columns) == ["institution", "position", "cluster"]
    assert set(tree.leaves["institution"]) == set(clusters.assignments.index)
    assert list(tree.leaves["position"]) == list(range(n))
    assigned = clusters.assignments["cluster"]
    assert (tree.leaves["cluster"].to_numpy()
            == assigned[tree.leaves["institution"]].to_numpy()).all()
    assert tree.segments[["x", "x2"]].stack().between(0, n - 1).all()
    assert tree.segments[["y", "y2"]].stack().max() == pytest.approx(clusters.linkage[:, 2].max())
    # Leaves of one cluster sit next to each other under the cut.
    runs = (tree.leaves["cluster"] != tree.leaves["cluster"].shift()).sum()
    assert runs == 3
    for empty in (cluster_institutions(_two_groups()), cluster_institutions(_two_groups()[:3],
                                                                            method="ward")):
        tree = dendrogram_data(empty)
        assert tree.segments.empty and tree.leaves.empty
        assert list(tree.leaves.columns) == ["institution", "position", "cluster"]


@pytest.fixture(scope="module")
def ward_demo():
    return run_audit([str(DEMO)], clustering=ClusterSettings("ward", 3, size=True))


def test_settings_pass_through_run_audit_rescore_and_recluster(ward_demo):
    wanted = ClusterSettings("ward", 3, size=True)
    for result in (ward_demo, rescore(ward_demo, load_rubric("salud"))):
        assert result.clustering == wanted
        peers = result.peers
        assert (peers.method, peers.k, peers.k_fixed) == ("ward", 3, True)
        assert peers.covariates == [SIZE_COVARIATE] and peers.linkage is not None
        recorded = result.manifest()["clustering"]
        assert recorded["method"] == "ward" and recorded["k"] == 3 and recorded["k_fixed"]
        assert SIZE_COVARIATE in recorded["covariates"]
    appendix = methods_appendix(ward_demo)
    assert '- method: "ward"' in appendix and SIZE_COVARIATE in appendix
    back = recluster(ward_demo, ClusterSettings())
    assert back.clustering == ClusterSettings()
    assert back.peers.method == "kmeans" and not back.peers.k_fixed
    assert back.peers.covariates == [] and back.peers.linkage is None
    # Only the clusters ran again: scores and actions are the same objects.
    assert back.scorecard is ward_demo.scorecard
    assert back.recommendations is ward_demo.recommendations
    assert ward_demo.peers.method == "ward"  # the input result is not modified


def test_size_changes_the_distances_on_the_demo(ward_demo):
    without = recluster(ward_demo, ClusterSettings("ward", 3))
    assert without.peers.covariates == []
    size = size_covariate(ward_demo.data.profiles)
    assert set(size.index) == set(ward_demo.scorecard.institutions.index)
    assert without.peers.linkage.tolist() != ward_demo.peers.linkage.tolist()
