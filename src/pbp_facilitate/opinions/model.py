"""``OpinionModel``: Polis's opinion groups as a scikit-learn clusterer.

The steps follow Polis's math (``polismath.math.conversation``, ``pca``, ``clusters``):

1. **Matrix.** Participants x ideas, 1 agree / -1 disagree / 0 pass / NaN not seen.
2. **Imputation and PCA.** Each idea's missing reactions are filled with the idea's mean
   reaction; two principal components are fitted on that matrix.
3. **Sparsity-aware projection.** A participant is projected from the ideas they reacted to only
   (centred by the ideas' means), then scaled by ``sqrt(n_ideas / n_reacted)`` so that someone
   who reacted to few ideas is not pulled into the centre.
4. **Who is placed.** Participants with at least ``min(min_votes, n_ideas)`` reactions (Polis:
   7), topped up with the most active others until ``min_placed`` (Polis: 15) where possible.
5. **Clustering.** k-means into up to ``base_k`` (Polis: 100) base clusters, then k-means of the
   base-cluster centres into ``k`` groups for every ``k`` in ``k_range``
   (Polis: 2-5); the ``k`` whose grouping of the base clusters has the best silhouette
   wins.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import eigh
from scipy.sparse.linalg import eigsh
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.utils.validation import check_is_fitted

from ..errors import ValidationError

__all__ = ["OpinionModel"]


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
    """

    def __init__(
        self,
        *,
        min_votes: int = 7,
        min_placed: int = 15,
        k_range: tuple[int, int] = (2, 5),
        base_k: int = 100,
        random_state: int = 0,
    ) -> None:
        self.min_votes = min_votes
        self.min_placed = min_placed
        self.k_range = k_range
        self.base_k = base_k
        self.random_state = random_state

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
        lo, hi = self.k_range
        if not 2 <= lo <= hi:
            raise ValidationError(
                f"k_range must be (low, high) with 2 <= low <= high; got {self.k_range!r}.",
                field="k_range",
            )
        return X

    def fit(self, X: np.ndarray, y: None = None) -> OpinionModel:
        """Fit on a participants x ideas matrix (1, -1, 0, NaN)."""
        X = self._check(X)
        n, m = X.shape
        seen = ~np.isnan(X)
        n_votes = seen.sum(axis=1)
        voted_cols = seen.any(axis=0)
        with np.errstate(invalid="ignore"):
            center = np.where(voted_cols, np.nanmean(np.where(seen, X, np.nan), axis=0), 0.0)
        center = np.nan_to_num(center)
        centred = np.where(seen, X - center, 0.0)  # = mean-imputed matrix, centred
        self.center_ = center
        self.components_ = self._pca(centred)
        m_active = int(voted_cols.sum())
        scale = np.sqrt(m_active / np.maximum(n_votes, 1)) if m_active else np.ones(n)
        self.projection_ = (centred @ self.components_.T) * scale[:, None]
        self.placed_ = self._placed(n_votes, m_active)
        self.labels_ = np.full(n, -1, dtype=int)
        self.silhouettes_: dict[int, float] = {}
        self.n_groups_ = 0
        self.group_centers_ = np.zeros((0, 2))
        self._cluster()
        return self

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

    def _cluster(self) -> None:
        idx = np.flatnonzero(self.placed_)
        pts = self.projection_[idx]
        distinct = len(np.unique(np.round(pts, 9), axis=0)) if len(pts) else 0
        lo, hi = self.k_range
        if distinct <= lo:
            return
        base_k = min(self.base_k, distinct)
        base = KMeans(n_clusters=base_k, n_init=1, random_state=self.random_state).fit(pts)
        centers = base.cluster_centers_
        best: tuple[float, int, np.ndarray, np.ndarray] | None = None
        for k in range(lo, min(hi, base_k - 1) + 1):
            km = KMeans(n_clusters=k, n_init=5, random_state=self.random_state).fit(centers)
            if len(np.unique(km.labels_)) < 2:
                continue
            # as Polis: the silhouette of the grouping of the base clusters
            s = float(silhouette_score(centers, km.labels_))
            self.silhouettes_[k] = s
            if best is None or s > best[0] + 1e-12:
                best = (s, k, km.labels_[base.labels_], km.cluster_centers_)
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
        seen = ~np.isnan(X)
        centred = np.where(seen, X - self.center_, 0.0)
        m_active = max(1, int((self.components_ != 0).any(axis=0).sum()))
        scale = np.sqrt(m_active / np.maximum(seen.sum(axis=1), 1))
        proj = (centred @ self.components_.T) * scale[:, None]
        d = ((proj[:, None, :] - self.group_centers_[None, :, :]) ** 2).sum(axis=2)
        out = d.argmin(axis=1)
        out[seen.sum(axis=1) == 0] = -1
        return out
