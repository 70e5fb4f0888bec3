"""The stability of the peer clusters (mean adjusted Rand index over bootstrap resamples) is
computed without scikit-learn's input checks; it must be scikit-learn's number to the bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from audit.peers.clusters import _adjusted_rand

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
