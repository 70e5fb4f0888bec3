"""The stability of the peer clusters (mean adjusted Rand index over bootstrap resamples) is
computed without scikit-learn's input checks, and must be scikit-learn's number to the bit;
it is computed when first read, not with the clusters, and is the same number either way."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from audit.peers import clusters
from audit.peers.clusters import _adjusted_rand
from audit.score.rubric import DIMENSIONS

labellings = st.integers(1, 60).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 8), min_size=n, max_size=n),
    st.lists(st.integers(0, 8), min_size=n, max_size=n)))


@settings(max_examples=300, deadline=None)
@given(labellings)
def test_adjusted_rand_is_scikit_learns_to_the_bit(pair):
    first, second = (np.array(labels) for labels in pair)
    assert _adjusted_rand(first, second) == adjusted_rand_score(first, second)


def test_adjusted_rand_reads_labels_not_their_names():
    labels = np.array([0, 0, 1, 1, 2, 2])
    assert _adjusted_rand(labels, np.array([7, 7, 3, 3, 5, 5])) == 1.0
    assert _adjusted_rand(labels, np.array([0, 1, 0, 1, 0, 1])) < 0


def _scores(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame(rng.uniform(0, 100, (n, len(DIMENSIONS))), columns=DIMENSIONS,
                        index=[f"inst {i:02d}" for i in range(n)])


def test_stability_is_computed_when_first_read_and_then_kept(monkeypatch):
    calls = []
    fit = clusters._fit
    monkeypatch.setattr(clusters, "_fit", lambda *args: calls.append(args[1]) or fit(*args))
    found = clusters.cluster_institutions(_scores(), k=3)
    assert calls == [3]  # the clusters alone: no bootstrap refit yet
    matrix, labels = found.resampled
    expected = clusters._bootstrap_agreement(matrix, labels, 3, "kmeans", 0)
    calls.clear()
    assert found.agreement == expected
    assert len(calls) == clusters.BOOTSTRAPS
    assert found.agreement == expected and len(calls) == clusters.BOOTSTRAPS  # kept
    assert found.settings()["bootstrap_agreement"] == round(expected, 4)


def test_stability_read_late_is_the_number_read_at_once():
    first = clusters.cluster_institutions(_scores(), method="ward")
    at_once = first.agreement
    second = clusters.cluster_institutions(_scores(), method="ward")
    clusters.cluster_institutions(_scores(), k=5)  # other fits between: no shared state
    assert second.agreement == at_once and 0 < at_once <= 1


def test_no_clusters_no_stability():
    found = clusters.cluster_institutions(_scores(3))
    assert not found.ok and found.agreement is None
