"""``OpinionModel``: Polis's opinion groups as a scikit-learn clusterer.

The steps follow Polis's math (``polismath.math.conversation``, ``pca``, ``clusters``):

1. **Matrix.** Participants x ideas, 1 agree / -1 disagree / 0 pass / NaN not seen. Ideas
   moderated out keep their column, set to 0 (pass) for every participant, as Polis's
   ``:rating-mat`` does (``named-matrix/zero-out-columns``): they add nothing to the map, but
   count among the ideas and each participant's votes in step 3.
2. **Imputation and PCA.** Each idea's missing reactions are filled with the idea's mean
   reaction; two principal components are fitted on that matrix (``small-conv-update-graph``
   ``:mat``, ``pca/powerit-pca``).
3. **Sparsity-aware projection.** A participant is projected from the ideas they reacted to only
   (centred by the ideas' means), then scaled by ``sqrt(n_ideas / n_reacted)`` so that someone
   who reacted to few ideas is not pulled into the centre (``pca/sparsity-aware-project-ptpt``;
   both counts include the zeroed, moderated-out columns).
4. **Who is placed.** Participants with at least ``min(min_votes, n_ideas)`` reactions (Polis:
   7), counted on the raw matrix, votes on moderated-out ideas included (``:user-vote-counts``
   from ``:raw-rating-mat``, ``:in-conv``), topped up with the most active others until
   ``min_placed`` (Polis: 15) where possible.
5. **Clustering.** k-means into up to ``base_k`` (Polis: 100) base clusters, then k-means of the
   base-cluster centres, **weighted by each base cluster's size**, into ``k`` groups for every
   ``k`` from ``k_range[0]`` to ``min(k_range[1], 2 + n_base_clusters // 12)`` (Polis:
   ``:group-clusterings`` with ``:weights base-clusters-weights``, and ``max-k-fn``); the ``k``
   whose grouping of the base clusters has the best (unweighted) silhouette wins
   (``clusters/silhouette`` on ``:bucket-dists``).

Not reproduced: Polis updates incrementally, starting each k-means from the previous update's
clusters (``:last-clusters``; from scratch it takes the first k distinct points,
``clusters/init-clusters``) and keeps a new k only after it has won 4 updates in a row
(``:group-k-smoother``); here every fit starts afresh from k-means++ seeds (``random_state``).
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import eigh
from scipy.sparse.linalg import eigsh
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from ..errors import ValidationError

__all__ = ["OpinionModel", "PARAMS"]

PARAMS: dict[str, tuple[str, object]] = {
    "min_votes": ("int >= 1", lambda v: _is_int(v) and v >= 1),
    "min_placed": ("int >= 0", lambda v: _is_int(v) and v >= 0),
    "k_range": (
        "(low, high) with 2 <= low <= high",
        lambda v: (
            isinstance(v, tuple | list)
            and len(v) == 2
            and all(_is_int(x) for x in v)
            and 2 <= v[0] <= v[1]
        ),
    ),
    "base_k": ("int >= 2", lambda v: _is_int(v) and v >= 2),
    "init": ('"k-means++" or "polis"', lambda v: v in ("k-means++", "polis")),
    "random_state": ("int >= 0", lambda v: _is_int(v) and v >= 0),
}
"""Every parameter of :class:`OpinionModel`: ``{name: (what is allowed, check)}``; ``fit``
validates them all from this one table."""


def _is_int(v: object) -> bool:
    return isinstance(v, int | np.integer) and not isinstance(v, bool)


def _first_distinct(points: np.ndarray, k: int) -> np.ndarray:
    """The first ``k`` distinct rows of ``points``, in order (Polis's ``init-clusters``)."""
    _, first = np.unique(np.round(points, 12), axis=0, return_index=True)
    return points[np.sort(first)[:k]]


class OpinionModel(ClusterMixin, BaseEstimator):
    """Opinion groups of participants from their reactions (Polis's method).

    Parameters
    ----------
    min_votes : int
        Reactions a participant needs to be placed in a group (fewer when there are fewer
        ideas). Polis: 7.
    min_placed : int
        Top up the placed participants with the most active others to at least this many.
    k_range : tuple of int
        Smallest and largest number of groups tried (inclusive). Polis: (2, 5).
    base_k : int
        Base clusters before grouping. Polis: 100.
    init : {"k-means++", "polis"}
        How each k-means starts. ``"k-means++"`` (default): k-means++ seeds from
        ``random_state`` (best of 5 for the grouping). ``"polis"``: as Polis starts a clustering
        it has no earlier result for (``clusters/init-clusters``): the first k distinct points
        in row order, one run; deterministic, ``random_state`` unused. Polis itself seldom runs
        that cold start: each update starts from the previous update's clusters, which a fit on
        the final data cannot reproduce (docs/opinions.md gives both figures).
    random_state : int
        Seed for k-means (results are reproducible).

    Attributes
    ----------
    labels_ : ndarray of int
        Group of each participant, -1 for participants not placed.
    projection_ : ndarray of shape (n_participants, 2)
        Each participant's position on the opinion map.
    placed_ : ndarray of bool
        Who was placed in a group.
    n_groups_ : int
        Number of groups (0 when too few participants could be placed).
    silhouettes_ : dict
        ``{k: silhouette}`` for every k tried.
    center_, components_ : ndarray
        Ideas' mean reactions and the two principal axes.
    group_centers_ : ndarray of shape (n_groups_, 2)
        Groups' centres on the map.
    moderated_out_ : ndarray of bool
        Ideas (columns) moderated out and reacted to: set to 0 for everyone.
    n_ideas_voted_ : int
        Ideas with at least one reaction (Polis's ``n-cmts``).
    """

    def __init__(
        self,
        *,
        min_votes: int = 7,
        min_placed: int = 15,
        k_range: tuple[int, int] = (2, 5),
        base_k: int = 100,
        init: str = "k-means++",
        random_state: int = 0,
    ) -> None:
        self.min_votes = min_votes
        self.min_placed = min_placed
        self.k_range = k_range
        self.base_k = base_k
        self.init = init
        self.random_state = random_state

    def _check_params(self) -> None:
        for name, (allowed, ok) in PARAMS.items():
            value = getattr(self, name)
            if not ok(value):  # type: ignore[operator]
                raise ValidationError(f"{name} must be {allowed}; got {value!r}.", field=name)

    def _check(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise ValidationError(
                f"Reactions must be a 2-D matrix (participants x ideas); got {X.ndim} "
                "dimension(s).",
                field="X",
            )
        seen = X[~np.isnan(X)]
        if seen.size and not np.isin(seen, (-1.0, 0.0, 1.0)).all():
            raise ValidationError(
                "Reactions must be 1 (agree), -1 (disagree), 0 (pass) or NaN (not seen).",
                field="X",
            )
        return X

    @staticmethod
    def _check_out(moderated_out: np.ndarray | None, m: int) -> np.ndarray:
        if moderated_out is None:
            return np.zeros(m, dtype=bool)
        out = np.asarray(moderated_out)
        if out.dtype != bool or out.shape != (m,):
            raise ValidationError(
                f"moderated_out must be one True/False per idea (column), {m} in all; got an "
                f"array of shape {out.shape} and type {out.dtype}.",
                field="moderated_out",
            )
        return out

    def fit(
        self, X: np.ndarray, y: None = None, *, moderated_out: np.ndarray | None = None
    ) -> OpinionModel:
        """Fit on a participants x ideas matrix (1, -1, 0, NaN).

        Parameters
        ----------
        X : array of shape (n_participants, n_ideas)
            1 agree, -1 disagree, 0 pass, NaN not seen.
        y : None
            Ignored.
        moderated_out : array of bool of shape (n_ideas,), optional
            Ideas moderated out (hidden): their column is set to 0 for everyone, as in Polis.
        """
        self._check_params()
        X = self._check(X)
        # one thread for BLAS and OpenMP while fitting: the matrices are small (ideas x ideas,
        # 100 base clusters), so thread start-up and spin-waits cost more than they gain, far
        # more on a shared machine (2,000 x 900 under load: 2.6-3.0 s against 6.5-8.5 s)
        with threadpool_limits(limits=1):
            self._fit(X, moderated_out)
        return self

    def _fit(self, X: np.ndarray, moderated_out: np.ndarray | None) -> None:
        n, m = X.shape
        out = self._check_out(moderated_out, m)
        raw_votes = (~np.isnan(X)).sum(axis=1)  # Polis's user-vote-counts (raw matrix)
        voted_cols = (~np.isnan(X)).any(axis=0)
        if out.any():
            X = X.copy()
            X[:, out & voted_cols] = 0.0  # Polis's zero-out-columns (columns with votes only)
        seen = ~np.isnan(X)
        n_votes = seen.sum(axis=1)
        with np.errstate(invalid="ignore"):
            center = np.where(voted_cols, np.nanmean(np.where(seen, X, np.nan), axis=0), 0.0)
        center = np.nan_to_num(center)
        centred = np.where(seen, X - center, 0.0)  # = mean-imputed matrix, centred
        self.center_ = center
        self.components_ = self._pca(centred)
        m_active = int(voted_cols.sum())
        self.moderated_out_ = out & voted_cols
        self.n_ideas_voted_ = m_active
        scale = np.sqrt(m_active / np.maximum(n_votes, 1)) if m_active else np.ones(n)
        self.projection_ = (centred @ self.components_.T) * scale[:, None]
        self.placed_ = self._placed(raw_votes, m_active)
        self.labels_ = np.full(n, -1, dtype=int)
        self.silhouettes_: dict[int, float] = {}
        self.n_groups_ = 0
        self.group_centers_ = np.zeros((0, 2))
        self._cluster()

    @staticmethod
    def _pca(centred: np.ndarray) -> np.ndarray:
        """Two principal axes of the centred, imputed matrix (zero rows where undefined)."""
        comps = np.zeros((2, centred.shape[1]))
        if centred.shape[0] < 2 or not centred.any():
            return comps
        # the principal axes are the top eigenvectors of the (ideas x ideas) scatter matrix:
        # exact, and far cheaper than a full SVD when there are many more participants
        c = centred - centred.mean(axis=0)
        m = c.shape[1]
        k = min(2, m)
        scatter = c.T @ c
        if m > 50:  # Lanczos for the top two only (deterministic start vector)
            w, v = eigsh(scatter, k=k, which="LA", v0=np.linspace(1.0, 2.0, m))
            order = np.argsort(w)
            w, v = w[order], v[:, order]
        else:
            w, v = eigh(scatter, subset_by_index=(m - k, m - 1))
        vt = v[:, ::-1].T
        w = w[::-1]
        k = int((w > 1e-12).sum())
        comps[:k] = vt[:k]
        for i in range(k):  # a fixed sign, so reruns draw the same map
            j = int(np.argmax(np.abs(comps[i])))
            if comps[i, j] < 0:
                comps[i] = -comps[i]
        return comps

    def _placed(self, n_votes: np.ndarray, m_active: int) -> np.ndarray:
        need = max(1, min(self.min_votes, m_active))
        placed = n_votes >= need
        short = self.min_placed - int(placed.sum())
        if short > 0:
            # greedy top-up with the most active of the others (ties: earlier first)
            others = np.flatnonzero(~placed & (n_votes > 0))
            order = others[np.argsort(-n_votes[others], kind="stable")]
            placed[order[:short]] = True
        return placed

    def _kmeans(
        self, k: int, n_init: int, *, max_iter: int, data: np.ndarray | None = None
    ) -> KMeans:
        """A k-means started as ``init`` asks (``data``: the points it will be fitted on)."""
        if self.init == "polis":
            return _FirstDistinctKMeans(n_clusters=k, max_iter=max_iter)
        return KMeans(
            n_clusters=k, n_init=n_init, max_iter=max_iter, random_state=self.random_state
        )

    def _cluster(self) -> None:
        idx = np.flatnonzero(self.placed_)
        pts = self.projection_[idx]
        distinct = len(np.unique(np.round(pts, 9), axis=0)) if len(pts) else 0
        lo, hi = self.k_range
        if distinct <= lo:
            return
        base_k = min(self.base_k, distinct)
        base = self._kmeans(base_k, 1, max_iter=100).fit(pts)  # Polis: :base-iters 100
        # a cluster k-means left empty is dropped, as Polis's cluster-step drops it
        used = np.unique(base.labels_)
        centers = base.cluster_centers_[used]
        base_labels = np.searchsorted(used, base.labels_)
        base_k = len(used)
        # Polis weights each base cluster by its members (:base-clusters-weights) and tries k
        # up to 2 + n_base // 12 (max-k-fn), never fewer than the smallest k asked for
        weights = np.bincount(base_labels, minlength=base_k).astype(float)
        top = max(lo, min(hi, 2 + base_k // 12))
        best: tuple[float, int, np.ndarray, np.ndarray] | None = None
        for k in range(lo, min(top, base_k - 1) + 1):
            km = self._kmeans(k, 5, max_iter=300, data=centers)
            km.fit(centers, sample_weight=weights)
            if len(np.unique(km.labels_)) < 2:
                continue
            # as Polis: the silhouette of the grouping of the base clusters
            s = float(silhouette_score(centers, km.labels_))
            self.silhouettes_[k] = s
            if best is None or s > best[0] + 1e-12:
                best = (s, k, km.labels_[base_labels], km.cluster_centers_)
        if best is None:
            return
        _, k, labels, group_centers = best
        # number groups by size (largest first) so ids read the same across reruns
        order = np.argsort(-np.bincount(labels, minlength=k), kind="stable")
        remap = np.empty(k, dtype=int)
        remap[order] = np.arange(k)
        self.labels_[idx] = remap[labels]
        self.group_centers_ = group_centers[order]
        self.n_groups_ = k

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Return the nearest group of each row of ``X`` (same ideas as fitted), -1 if none."""
        check_is_fitted(self, "labels_")
        X = self._check(X)
        if X.shape[1] != self.center_.shape[0]:
            raise ValidationError(
                f"Expected as many ideas (columns) as fitted, {self.center_.shape[0]}; "
                f"got {X.shape[1]}.",
                field="X",
            )
        if self.n_groups_ == 0:
            return np.full(X.shape[0], -1, dtype=int)
        none = (~np.isnan(X)).sum(axis=1) == 0
        if self.moderated_out_.any():
            X = X.copy()
            X[:, self.moderated_out_] = 0.0
        seen = ~np.isnan(X)
        centred = np.where(seen, X - self.center_, 0.0)
        m_active = max(1, self.n_ideas_voted_)
        scale = np.sqrt(m_active / np.maximum(seen.sum(axis=1), 1))
        proj = (centred @ self.components_.T) * scale[:, None]
        d = ((proj[:, None, :] - self.group_centers_[None, :, :]) ** 2).sum(axis=2)
        out = d.argmin(axis=1)
        out[none] = -1
        return out


class _FirstDistinctKMeans(KMeans):
    """k-means started from the first ``n_clusters`` distinct rows it is fitted on (Polis)."""

    def __init__(self, n_clusters: int = 2, max_iter: int = 300) -> None:
        super().__init__(n_clusters=n_clusters, n_init=1, max_iter=max_iter)

    def fit(
        self, X: np.ndarray, y: None = None, sample_weight: np.ndarray | None = None
    ) -> _FirstDistinctKMeans:
        """Fit from the first distinct rows of ``X``."""
        self.init = _first_distinct(np.asarray(X, dtype=float), self.n_clusters)
        return super().fit(X, sample_weight=sample_weight)
