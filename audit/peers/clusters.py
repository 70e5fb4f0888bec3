"""Peers: which institutions look alike, where each stands in its group, whom to learn from.

    dimension scores ─standardise─▶ z-scores ─k-means (k by silhouette) or Ward─▶ clusters
        ─centroid scores (0-100) in fixed bands─▶ a name per cluster (es/en)
        ─PCA─▶ a 2-D map;  bootstrap resamples ─adjusted Rand index─▶ stability
    percentiles within sector or cluster;  best peer of the same sector per weak criterion

Why these choices:

* Dimensions are standardised (z-scores) so that one with a wide spread (governance) does
  not outweigh one where institutions differ little (tone) only because of its units.
* A dimension that was not evaluated is not a zero. An institution with at least
  ``MIN_EVALUATED`` of the 7 dimensions keeps its place and each missing one is imputed
  with that dimension's median among the clustered institutions (recorded in ``imputed``):
  the median puts it at the centre, so it pulls the institution towards no cluster in
  particular. With fewer evaluated dimensions the position would be mostly invented: the
  institution is excluded and listed with the reason.
* k-means is the default (simple centroids that name the clusters); Ward hierarchical
  clustering is the alternative whose tree (``linkage``) can be drawn as a dendrogram
  (``dendrogram_data``). k is the one with the best mean silhouette between 2 and 8 (and
  below the number of institutions) unless the user fixes it. ``ClusterSettings`` holds
  these choices so that the app, the command line and a re-scored audit ask for the same.
* Size is optional (``ClusterSettings.size``): scores alone may group a ministry with a
  village library. With it, log10(1 + followers of all the institution's profiles) joins
  the distances (``size_covariate``), so that peers are also of a similar audience.
* Every random step takes ``seed``, so the same scores give the same clusters, numbers and
  names, and institutions are clustered in the order of their names, so that the order of
  the input rows changes nothing.
* A cluster's number depends on its membership only: clusters are numbered 1..k in the
  order of their alphabetically first member. Ordering by mean score would make 1 "the
  best", but two groups with close means swap numbers when an audit date moves scores a
  little while no institution changes group; the name already says how a group scores.
* A cluster's name describes its own centroid, in the original 0-100 units, against fixed
  bands: a dimension is high at or above ``HIGH`` and low below ``LOW``. The name lists its
  high and its low dimensions ("Alto en tono, interacción; bajo en gobernanza"), "high
  (low) across the board" when every dimension is, and a neutral name when none is high or
  low. Names from z-scores or from the rank among the other clusters flip when the other
  clusters move: a group with mean engagement 98.9 was called weak in engagement because
  the others were higher still. Naming only the single highest and lowest dimension would
  flip too, whenever two close dimensions swap places. With bands, the same membership
  keeps its name unless a centroid crosses a band. Two clusters of similar profile may share
  a name; their numbers tell them apart. The words are in the message catalogue
  (``peers.*``).
* Stability: the mean adjusted Rand index between the clustering of all institutions and
  the clustering refitted on ``BOOTSTRAPS`` resamples (1 = identical, about 0 = chance).
  It is computed the first time it is read (``Clusters.agreement``), not with the clusters:
  the refits are most of a clustering's cost, and the app shows it only when asked, so a
  user trying methods and k waits for the groups alone. The number is the same whenever it
  is read: it depends only on the clustered scores, the labels, k, the method and the seed.
* With fewer than ``MIN_INSTITUTIONS`` usable institutions there are no clusters: a
  silhouette needs at least two clusters of which one has two members, and splitting three
  institutions says nothing a table does not. ``reason_es``/``reason_en`` say so.

Pure functions: inputs are never modified.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from audit.messages import Message, msg
from audit.score.rubric import DIMENSIONS

__all__ = ["BOOTSTRAPS", "HIGH", "K_RANGE", "LOW", "MIN_EVALUATED", "MIN_INSTITUTIONS",
           "SIZE_COVARIATE", "ClusterSettings", "Clusters", "Dendrogram", "best_peers",
           "cluster_institutions", "cluster_name", "dendrogram_data", "percentiles",
           "size_covariate"]

MIN_INSTITUTIONS = 4
MIN_EVALUATED = 5
K_RANGE = (2, 8)
BOOTSTRAPS = 30
# Score bands of a cluster's name, on the 0-100 scale of a dimension score: a centroid at or
# above HIGH is high (three quarters of the scale: most criteria at target), below LOW is low
# (under half). Between them a dimension is not named.
HIGH = 75.0
LOW = 50.0
SIZE_COVARIATE = "log10_followers"
# How each known covariate is computed, for audit.json and the methods appendix.
COVARIATE_RULES = {
    SIZE_COVARIATE: "log10(1 + sum of followers of the institution's profiles); standardised; "
                    "missing: median of the clustered institutions",
}


@dataclass(frozen=True)
class ClusterSettings:
    """What the user chose: ``method`` "kmeans" or "ward", ``k`` None (best silhouette) or
    a fixed number in ``K_RANGE``, ``size`` whether audience size joins the distances.

    Frozen (hashable) so that it can key the app's cache and be kept as is by a re-scored
    audit; checked here so that the app and the command line share one rule."""

    method: str = "kmeans"
    k: int | None = None
    size: bool = False

    def __post_init__(self) -> None:
        if self.method not in ("kmeans", "ward"):
            raise ValueError(f"method must be 'kmeans' or 'ward', not {self.method!r}")
        if self.k is not None and not (isinstance(self.k, int) and not isinstance(self.k, bool)
                                       and K_RANGE[0] <= self.k <= K_RANGE[1]):
            raise ValueError(f"k must be None or an integer from {K_RANGE[0]} to "
                             f"{K_RANGE[1]}, not {self.k!r}")


def size_covariate(profiles: pd.DataFrame) -> pd.DataFrame:
    """One row per institution (index), column ``SIZE_COVARIATE``: log10(1 + the followers
    of all its profiles). The log because audiences differ by orders of magnitude and one
    giant would otherwise be a cluster of its own; the sum because an institution's audience
    is spread over its networks. Without any follower count the value is NaN, which
    ``cluster_institutions`` fills with the median (the centre pulls towards no cluster)."""
    followers = profiles.groupby("institution")["followers"].sum(min_count=1)
    return np.log10(1.0 + followers.astype("float64")).to_frame(SIZE_COVARIATE)


@dataclass
class Clusters:
    """The clustering of an audit's institutions, or why there is none (``ok`` False)."""

    method: str
    seed: int
    k: int | None = None
    k_fixed: bool = False
    dimensions: list[str] = field(default_factory=list)
    assignments: pd.DataFrame = field(default_factory=pd.DataFrame)  # institution: cluster, ...
    profiles: pd.DataFrame = field(default_factory=pd.DataFrame)  # cluster: size, labels, dims
    map: pd.DataFrame = field(default_factory=pd.DataFrame)  # institution: x, y, cluster, ...
    explained: tuple[float, float] = (np.nan, np.nan)  # variance share of the two map axes
    silhouette: float | None = None
    silhouette_by_k: dict[int, float] = field(default_factory=dict)
    bootstraps: int = BOOTSTRAPS
    excluded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["institution", "reason_es", "reason_en"]))
    imputed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["institution", "dimension", "value"]))
    linkage: np.ndarray | None = None  # Ward merge tree (scipy format), for a dendrogram
    covariates: list[str] = field(default_factory=list)  # extra columns in the distances
    reason_es: str = ""
    reason_en: str = ""
    # What the stability is computed from (matrix in z units, labels), until it is read.
    resampled: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False,
                                                             compare=False)
    _agreement: float | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.k is not None

    @property
    def agreement(self) -> float | None:
        """Mean adjusted Rand index over the bootstrap resamples (None without clusters),
        computed the first time it is read and then kept (module docstring). Two readers at
        once both compute it and find the same number."""
        inputs = self.resampled
        if self._agreement is None and inputs is not None and self.ok:
            with _one_thread():
                self._agreement = _bootstrap_agreement(*inputs, self.k, self.method,
                                                       self.seed)
        return self._agreement

    def reason(self, lang: str) -> str:
        return self.reason_es if lang == "es" else self.reason_en

    def settings(self, lang: str = "es") -> dict:
        """What audit.json records: enough to reproduce and judge the clustering."""
        def r(x):
            return None if x is None or np.isnan(x) else round(float(x), 4)
        return {
            "method": self.method, "seed": self.seed, "k": self.k, "k_fixed": self.k_fixed,
            "k_range": list(K_RANGE), "dimensions": list(self.dimensions),
            "standardised": True, "min_evaluated_dimensions": MIN_EVALUATED,
            "imputation": "median of the dimension among clustered institutions",
            "covariates": {c: COVARIATE_RULES.get(c, "supplied by the caller")
                           for c in self.covariates},
            "silhouette": r(self.silhouette),
            "silhouette_by_k": {str(k): r(v) for k, v in self.silhouette_by_k.items()},
            "bootstrap_agreement": r(self.agreement), "bootstraps": self.bootstraps,
            "excluded": [{"institution": row.institution,
                          "reason": row.reason_es if lang == "es" else row.reason_en}
                         for row in self.excluded.itertuples()],
            "imputed": [{"institution": row.institution, "dimension": row.dimension}
                        for row in self.imputed.itertuples()],
            "reason": self.reason(lang) or None,
        }


def cluster_institutions(institutions: pd.DataFrame, k: int | None = None,
                         method: str = "kmeans", seed: int = 0,
                         covariates: pd.DataFrame | None = None) -> Clusters:
    """Cluster institutions (index) on their dimension columns (0-100, NaN = not evaluated).

    ``k`` fixes the number of clusters (kept between 2 and the number of institutions - 1);
    by default the best silhouette between 2 and 8 decides. ``covariates`` (index
    institution, numeric columns such as log followers) are standardised and added to the
    dimensions; they take part in the distances but not in names or profiles.
    """
    if method not in ("kmeans", "ward"):
        raise ValueError(f"method must be 'kmeans' or 'ward', not {method!r}")
    with _one_thread():
        return _cluster(institutions, k, method, seed, covariates)


def _one_thread():
    """The context every fit runs in: one thread. On tens of rows, starting threads costs 20x
    the work (9 s instead of 0.4 s). scikit-learn loads its OpenMP runtime when imported, and
    a limit entered before that does not reach it: import first, then limit."""
    import sklearn.cluster  # noqa: F401
    from threadpoolctl import threadpool_limits
    return threadpool_limits(limits=1)


def _cluster(institutions: pd.DataFrame, k: int | None, method: str, seed: int,
             covariates: pd.DataFrame | None) -> Clusters:
    dims = [d for d in DIMENSIONS if d in institutions.columns]
    scores = institutions[dims].astype("float64").sort_index(kind="stable")
    result = Clusters(method=method, seed=seed, k_fixed=k is not None,
                      covariates=[] if covariates is None else [str(c) for c in covariates])
    evaluated = scores.notna().sum(axis=1)
    low = evaluated < MIN_EVALUATED
    result.excluded = pd.DataFrame({
        "institution": scores.index[low],
        "reason_es": [f"solo {n} de {len(dims)} dimensiones evaluadas (mínimo {MIN_EVALUATED})"
                      for n in evaluated[low]],
        "reason_en": [f"only {n} of {len(dims)} dimensions evaluated (at least {MIN_EVALUATED})"
                      for n in evaluated[low]],
    })
    kept = scores[~low]
    if len(kept) < MIN_INSTITUTIONS:
        result.reason_es = (f"No se forman grupos: hacen falta al menos {MIN_INSTITUTIONS} "
                            f"instituciones con {MIN_EVALUATED} o más dimensiones evaluadas, "
                            f"y hay {len(kept)}.")
        result.reason_en = (f"No clusters: at least {MIN_INSTITUTIONS} institutions with "
                            f"{MIN_EVALUATED} or more dimensions evaluated are needed, and "
                            f"there are {len(kept)}.")
        return result
    kept = kept.dropna(axis="columns", how="all")
    medians = kept.median()
    missing = kept.isna()
    rows, cols = np.nonzero(missing.to_numpy())
    result.imputed = pd.DataFrame({
        "institution": kept.index[rows], "dimension": kept.columns[cols],
        "value": [float(medians.iloc[c]) for c in cols]})
    filled = kept.fillna(medians)
    spread = filled.std(ddof=0)
    used = [d for d in filled.columns if spread[d] > 1e-9]
    result.dimensions = used
    if not used:
        result.reason_es = "No se forman grupos: todas las instituciones puntúan igual."
        result.reason_en = "No clusters: every institution has the same scores."
        return result
    z = (filled[used] - filled[used].mean()) / spread[used]
    matrix = z.to_numpy()
    if covariates is not None and not covariates.empty:
        extra = covariates.reindex(kept.index).astype("float64")
        extra = extra.fillna(extra.median()).fillna(0.0)
        sd = extra.std(ddof=0).replace(0.0, 1.0)
        matrix = np.hstack([matrix, ((extra - extra.mean()) / sd).to_numpy()])

    n = len(matrix)
    top = min(K_RANGE[1], n - 1)
    candidates = [min(max(int(k), 2), n - 1)] if k is not None else list(range(K_RANGE[0],
                                                                               top + 1))
    labels_by_k = {}
    for c in candidates:
        labels = _fit(matrix, c, method, seed)[0]
        labels_by_k[c] = labels
        result.silhouette_by_k[c] = _silhouette(matrix, labels)
    best = max(candidates, key=lambda c: (result.silhouette_by_k[c], -c))
    labels = labels_by_k[best]
    result.k = best
    result.silhouette = result.silhouette_by_k[best]
    result.resampled = (matrix, labels)  # the stability, when read (``Clusters.agreement``)
    if method == "ward":
        from scipy.cluster.hierarchy import linkage
        result.linkage = linkage(matrix, method="ward")

    # Number clusters 1..k by their alphabetically first member (module docstring).
    first = {lab: min(filled.index[labels == lab]) for lab in np.unique(labels)}
    number = {lab: i + 1 for i, lab in enumerate(sorted(first, key=first.get))}
    clusters = np.array([number[lab] for lab in labels])
    profiles = filled[used].assign(cluster=clusters).groupby("cluster")[used].mean()
    names = {}
    for c, centroid in profiles.iterrows():
        name = cluster_name(centroid)
        names[c] = (name.render("es"), name.render("en"))
    profiles.insert(0, "size", pd.Series(clusters).value_counts().reindex(profiles.index))
    profiles.insert(1, "label_es", [names[c][0] for c in profiles.index])
    profiles.insert(2, "label_en", [names[c][1] for c in profiles.index])
    result.profiles = profiles
    result.assignments = pd.DataFrame({
        "cluster": clusters,
        "cluster_label_es": [names[c][0] for c in clusters],
        "cluster_label_en": [names[c][1] for c in clusters],
    }, index=kept.index.rename("institution"))
    result.map, result.explained = _map(matrix, result.assignments)
    return result


def _fit(matrix: np.ndarray, k: int, method: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels and centroids (in z units) of one clustering."""
    from sklearn.cluster import AgglomerativeClustering, KMeans
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate points in a resample: fewer distinct
        if method == "kmeans":
            model = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(matrix)
            return model.labels_, model.cluster_centers_
        labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(matrix)
    centres = np.vstack([matrix[labels == c].mean(axis=0) for c in range(k)])
    return labels, centres


def _silhouette(matrix: np.ndarray, labels: np.ndarray) -> float:
    from sklearn.metrics import silhouette_score
    if len(set(labels)) < 2 or len(set(labels)) >= len(labels):
        return float("nan")
    return float(silhouette_score(matrix, labels))


def _bootstrap_agreement(matrix: np.ndarray, labels: np.ndarray, k: int, method: str,
                         seed: int) -> float:
    """Mean adjusted Rand index between ``labels`` and the clustering refitted on each
    bootstrap resample, every institution assigned to the nearest refitted centroid."""
    rng = np.random.default_rng(seed)
    n = len(matrix)
    agreements = []
    for b in range(BOOTSTRAPS):
        sample = rng.integers(0, n, size=n)
        if len(np.unique(matrix[sample], axis=0)) <= k:
            continue  # too few distinct institutions drawn to form k clusters
        _, centres = _fit(matrix[sample], k, method, seed + b)
        distances = ((matrix[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        agreements.append(_adjusted_rand(labels, distances.argmin(axis=1)))
    return float(np.mean(agreements)) if agreements else float("nan")


def _adjusted_rand(first: np.ndarray, second: np.ndarray) -> float:
    """The adjusted Rand index of two labellings of the same institutions, from the pair
    counts of their contingency table: the formula of scikit-learn's
    ``adjusted_rand_score`` in whole numbers, so the same value to the last bit, without
    its input checks (which cost ten times the sum on forty institutions, thirty times a
    clustering)."""
    _, a = np.unique(first, return_inverse=True)
    _, b = np.unique(second, return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1), dtype=np.int64)
    np.add.at(table, (a, b), 1)
    n = len(a)
    squares = int((table ** 2).sum())
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    tp = squares - n
    fp = int((table @ cols).sum()) - squares
    fn = int((table.T @ rows).sum()) - squares
    tn = n * n - fp - fn - squares
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def cluster_name(centroid: pd.Series) -> Message:
    """The name of a cluster from its centroid (dimension -> mean score 0-100): the
    dimensions at or above ``HIGH`` and those below ``LOW``, in the rubric's order, or the
    whole profile when every dimension is in one band. Every dimension in a band is named,
    not only the highest or lowest, so that two close dimensions swapping places does not
    rename the cluster: only a centroid crossing a band does."""
    high = [d for d in centroid.index if centroid[d] >= HIGH]
    low = [d for d in centroid.index if centroid[d] < LOW]
    if len(high) == len(centroid):
        return msg("peers.all_high")
    if len(low) == len(centroid):
        return msg("peers.all_low")
    if high and low:
        return msg("peers.high_and_low", high=_dimensions(high), low=_dimensions(low))
    if high:
        return msg("peers.high", high=_dimensions(high))
    if low:
        return msg("peers.low", low=_dimensions(low))
    return msg("peers.middle")


def _dimensions(dimensions: list[str]) -> Message:
    """'tono, transparencia, interacción' (commas only: no conjunction to inflect)."""
    first = msg(f"peers.dimension_{dimensions[0]}")
    return first if len(dimensions) == 1 else msg("peers.comma", first=first,
                                                   rest=_dimensions(dimensions[1:]))


def _map(matrix: np.ndarray, assignments: pd.DataFrame) -> tuple[pd.DataFrame, tuple]:
    """PCA to two axes; each axis' sign fixed so that the heaviest loading is positive."""
    from sklearn.decomposition import PCA
    components = min(2, matrix.shape[1])
    pca = PCA(n_components=components, random_state=0).fit(matrix)
    coords = pca.transform(matrix)
    signs = np.sign(pca.components_[np.arange(components),
                                    np.abs(pca.components_).argmax(axis=1)])
    coords = coords * signs
    if components == 1:
        coords = np.hstack([coords, np.zeros((len(coords), 1))])
    ratio = list(pca.explained_variance_ratio_) + [0.0] * (2 - components)
    frame = assignments.assign(x=coords[:, 0], y=coords[:, 1])
    return frame[["x", "y", "cluster", "cluster_label_es", "cluster_label_en"]], \
        (float(ratio[0]), float(ratio[1]))


class Dendrogram(NamedTuple):
    """A Ward tree ready to draw with straight lines: ``segments`` (x, y, x2, y2) and
    ``leaves`` (institution, position, cluster). ``position`` is the leaf's place 0..n-1
    along the leaf axis, ``y`` the merge height (Ward distance in z units)."""

    segments: pd.DataFrame
    leaves: pd.DataFrame


def dendrogram_data(clusters: Clusters) -> Dendrogram:
    """The dendrogram of a Ward clustering as tidy frames, so that any chart library can
    draw it (scipy's own drawing needs matplotlib). Empty frames for k-means or without
    clusters: there is no tree to draw."""
    segments = pd.DataFrame(columns=["x", "y", "x2", "y2"], dtype="float64")
    leaves = pd.DataFrame({"institution": pd.Series(dtype="object"),
                           "position": pd.Series(dtype="int64"),
                           "cluster": pd.Series(dtype="int64")})
    if clusters.linkage is None or not clusters.ok:
        return Dendrogram(segments, leaves)
    from scipy.cluster.hierarchy import dendrogram

    tree = dendrogram(clusters.linkage, no_plot=True,
                      labels=list(clusters.assignments.index))
    # scipy draws each merge as a "⊓" of 4 points, leaves at x = 5, 15, 25...: 3 segments
    # per merge, x rescaled to leaf positions 0, 1, 2...
    rows = [((xs[i] - 5) / 10, ys[i], (xs[i + 1] - 5) / 10, ys[i + 1])
            for xs, ys in zip(tree["icoord"], tree["dcoord"], strict=True) for i in range(3)]
    segments = pd.DataFrame(rows, columns=["x", "y", "x2", "y2"], dtype="float64")
    names = list(tree["ivl"])
    leaves = pd.DataFrame({
        "institution": names, "position": range(len(names)),
        "cluster": clusters.assignments.loc[names, "cluster"].astype("int64").to_numpy()})
    return Dendrogram(segments, leaves)


def percentiles(institutions: pd.DataFrame, by: str = "sector",
                clusters: Clusters | None = None) -> pd.DataFrame:
    """Percentile rank (0-100) of each institution on each dimension and overall within its
    sector or cluster: the share of the group scoring the same or lower, so the best of a
    group is at 100 and a group of one is at 100. Not evaluated stays empty.

    ``by="cluster"`` uses a ``cluster`` column of ``institutions`` or, failing that, the
    assignments of ``clusters``; institutions without a cluster get empty percentiles."""
    if by not in ("sector", "cluster"):
        raise ValueError(f"by must be 'sector' or 'cluster', not {by!r}")
    columns = ["overall_score", *[d for d in DIMENSIONS if d in institutions.columns]]
    table = institutions[columns].astype("float64")
    if by == "sector":
        group = institutions["sector"]
    elif "cluster" in institutions.columns:
        group = institutions["cluster"]
    else:
        assigned = clusters.assignments["cluster"] if clusters is not None and clusters.ok \
            else pd.Series(dtype="float64")
        group = assigned.reindex(institutions.index)
    ranks = table.groupby(group, dropna=True).rank(pct=True, method="max")
    out = (100 * ranks).round().reindex(institutions.index)
    out.insert(0, by, group)
    return out


# What the leaders of a sector's criterion are looked up by, then what each one gives.
_LEADER_COLUMNS = ("sector", "dimension", "criterion", "institution", "score", "evidence_es",
                   "evidence_en")


def best_peers(scores: pd.DataFrame, institutions: pd.DataFrame,
               recommendations: pd.DataFrame) -> pd.DataFrame:
    """``recommendations`` with the best peer for each: the institution of the same sector
    with the highest score on the same criterion, other than itself, and only if that score
    reaches the target (a peer below target shows nothing worth copying). Ties go to the
    first name alphabetically. Adds best_peer, best_peer_score, best_peer_evidence_es/en and
    best_peer_phrase_es/en ('X lo logra: <evidence>'); empty when there is no such peer."""
    out = recommendations.copy()
    cols = ["best_peer", "best_peer_score", "best_peer_evidence_es", "best_peer_evidence_en",
            "best_peer_phrase_es", "best_peer_phrase_en"]
    if out.empty or scores.empty:
        for c in cols:
            out[c] = pd.Series(dtype="float64" if c == "best_peer_score" else "object")
        return out
    sector = institutions["sector"]
    good = scores[scores["score"].notna() & (scores["score"] >= scores["target"])]
    good = good.assign(sector=good["institution"].map(sector))
    good = good.sort_values(["score", "institution"], ascending=[False, True], kind="stable")
    top = good.groupby(["sector", "dimension", "criterion"], sort=False).head(2)
    # Columns read as Python lists and the sectors as a dict: the app re-scores on every
    # edit of a weight, and reading a text column cell by cell (or ``Series.get`` per
    # action) cost more than the rest of this function.
    leaders: dict[tuple, list] = {}
    for row in zip(*(top[c].tolist() for c in _LEADER_COLUMNS), strict=True):
        leaders.setdefault(row[:3], []).append(row[3:])
    sector_of = dict(zip(sector.index.tolist(), sector.tolist(), strict=True))
    found = []
    for inst, dim, crit in zip(out["institution"].tolist(), out["dimension"].tolist(),
                               out["criterion"].tolist(), strict=True):
        peer = next((r for r in leaders.get((sector_of.get(inst), dim, crit), [])
                     if r[0] != inst), None)
        if peer is None:
            found.append([None, np.nan, None, None, None, None])
        else:
            name, score, evidence_es, evidence_en = peer
            found.append([name, float(score), evidence_es, evidence_en,
                          f"{name} lo logra: {evidence_es}",
                          f"{name} achieves it: {evidence_en}"])
    peers = pd.DataFrame(found, columns=cols, index=out.index)
    peers["best_peer_score"] = peers["best_peer_score"].astype("float64")
    return pd.concat([out, peers], axis=1)
