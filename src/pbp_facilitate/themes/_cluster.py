"""Clusters of the usable texts and their stable theme ids.

:func:`cluster` runs Ward's agglomerative clustering on a first semantic fit of
up to :data:`WARD_MAX` texts, k-means otherwise (from the previous fit's centres
on a refit), splits grab-bag themes, and runs the Naive Bayes self-training
rounds of the word methods; :func:`theme_ids` turns the
clusters into stable ids (:func:`match_ids`: by member overlap with the
previous fit) and sends to "other" (-1) the texts that share no word with
the rest of their theme (:func:`off_topic`) and the themes that are too small.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.naive_bayes import ComplementNB

__all__ = [
    "GRAB_BAG_SHARE",
    "WARD_MAX",
    "auto_k",
    "cluster",
    "match_ids",
    "n_distinct_rows",
    "off_topic",
    "off_topic_semantic",
    "theme_ids",
]

WARD_MAX = 3000
"""Largest first fit clustered by Ward's method (its distance matrix grows with n squared)."""

GRAB_BAG_SHARE = 0.25
"""A theme above this share of the usable texts is split unless it is as tight as the others."""

OFF_TOPIC_COS = 0.3
"""Sentence-vector cosine a text must reach with some other member of its theme to stay in it."""


def auto_k(n: int) -> int:
    """Size-based default number of themes: ``clamp(round(1.6 * n ** 0.4), 3, 30)``.

    About 10 themes for 100 ideas, 12 for 150, 16 for 300, 25 for 1,000 and the
    cap of 30 from about 1,600 on: as many as a facilitator can read on cards,
    growing slowly with the input.

    Parameters
    ----------
    n : int
        Number of usable texts.

    Returns
    -------
    int

    Examples
    --------
    >>> auto_k(10), auto_k(100), auto_k(400), auto_k(10_000)
    (4, 10, 18, 30)
    """
    return int(min(30, max(3, round(1.6 * max(n, 0) ** 0.4))))


def n_distinct_rows(Z: np.ndarray) -> int:
    """Number of distinct rows (vectors equal to 5 decimals count once)."""
    if len(Z) == 0:
        return 0
    proj = np.round(Z, 5) @ np.random.RandomState(0).rand(Z.shape[1]).astype(Z.dtype)
    return int(len(np.unique(proj)))


def cluster(
    Zv: np.ndarray,
    Xv: sp.csr_matrix | None,
    prev: np.ndarray | None,
    *,
    seed: int,
    n_themes: int | None,
    max_themes: int,
    refine: bool,
    Sv: np.ndarray | None = None,
    prev_nv: int = 0,
    ward: bool = False,
    n_unique: int | None = None,
) -> tuple[np.ndarray, dict[int, float]]:
    """Return a cluster number per usable text, and the silhouette per candidate k.

    Parameters
    ----------
    Zv : ndarray, shape (nv, d)
        Rows of the usable texts (:func:`~.embed.embed`).
    Xv : sparse matrix or None
        Their TF-IDF clustering words, for self-training.
    prev : ndarray of int, optional
        Each text's theme id in the previous fit (-1: new or other); None on a first fit.
    seed : int
        Random seed.
    n_themes : int or None
        Fixed number of themes, or None to choose.
    max_themes : int
        Most themes when choosing.
    refine : bool
        Run the Naive Bayes self-training rounds.
    Sv : ndarray, optional
        Static embedding rows: the number of themes is then refined by silhouette.
    prev_nv : int
        Usable texts of the previous fit (themes are added as the session grows).
    ward : bool
        Cluster a first fit of at most :data:`WARD_MAX` texts with Ward's method
        (deterministic, and it keeps translations together better than k-means).
    n_unique : int, optional
        Distinct texts (by their words), which bound k; default: distinct rows of ``Zv``.

    Returns
    -------
    labels : ndarray of int, shape (nv,)
    k_scores : dict
        Silhouette per candidate number of themes, when it was chosen (else empty).
    """
    nv = len(Zv)
    if nv == 0:
        return np.array([], dtype=np.int64), {}
    if n_unique is None:
        n_unique = n_distinct_rows(Zv)  # distinct texts bound k
    if n_unique <= 1:
        return np.zeros(nv, dtype=np.int64), {}
    cap = min(n_unique, int(max_themes) if n_themes is None else n_unique)
    scores: dict[int, float] = {}
    init, init_ids = None, []
    if prev is not None:
        init, init_ids = _warm_start(Zv, prev, seed, n_themes, n_unique, cap, nv, prev_nv)
    if init is not None and init.shape[0] > len(init_ids):
        # the session grew: k-means from the previous centres plus new ones
        km = KMeans(init.shape[0], init=init, n_init=1, random_state=seed, max_iter=50)
        labels = km.fit_predict(Zv)
        rounds = 2
    elif init is not None:
        # keep previous assignments, place new items at the nearest centre;
        # the self-training rounds below then let the evidence move items
        col = {t: j for j, t in enumerate(init_ids)}
        labels = np.array([col.get(int(t), -1) for t in prev], dtype=np.int64)
        new = labels < 0
        if new.any():
            labels[new] = np.argmax(Zv[new] @ init.T, axis=1)
        rounds = 2
    else:
        tree = linkage(Zv, "ward") if ward and nv <= WARD_MAX else None
        if n_themes is not None:
            k = int(min(n_themes, n_unique))
        else:
            k, scores = _choose_k(Sv, nv, cap, seed, tree)
        labels = _first_clusters(Zv, k, seed, tree)
        if n_themes is None:
            labels = _split_grab_bags(Zv, labels, seed, cap)
        rounds = 5
    if refine and Xv is not None and nv >= 30 and labels.max() > 0:
        labels = _self_train(Xv, labels, rounds)
    return labels.astype(np.int64), scores


def _warm_start(
    Zv: np.ndarray,
    prev: np.ndarray,
    seed: int,
    n_themes: int | None,
    n_unique: int,
    cap: int,
    nv: int,
    prev_nv: int,
) -> tuple[np.ndarray | None, list[int]]:
    """Centres of the previous themes (plus new far-away ones as the session grows).

    Returns the centres and the previous theme ids of the first ones (the
    new centres come last); ``(None, [])`` when the previous fit cannot seed this one.
    """
    init_ids: list[int] = []
    cents = []
    for t in sorted({int(t) for t in prev if t >= 0}):
        c = Zv[prev == t].mean(0)
        nrm = np.linalg.norm(c)
        if nrm > 0:
            cents.append(c / nrm)
            init_ids.append(t)
    target = len(cents)
    if n_themes is not None:
        target = min(int(n_themes), n_unique)
    else:
        # add themes only as the session grows (edits such as merges
        # changed the count on purpose and are respected)
        grown = min(auto_k(nv), cap) - min(auto_k(prev_nv), cap)
        if grown > 0:
            target = min(target + grown, cap)
    if not cents or target < len(cents):
        return None, []
    init = np.array(cents, dtype=np.float32)
    if target > len(cents):
        init = _add_farthest(Zv, init, target - len(cents), seed)
    return init, init_ids


def _cut(tree: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` clusters of a Ward tree, numbered from 0 (fewer only where merges tie)."""
    lab = fcluster(tree, t=int(k), criterion="maxclust")
    return np.unique(lab, return_inverse=True)[1].astype(np.int64)


def _first_clusters(Zv: np.ndarray, k: int, seed: int, tree: np.ndarray | None) -> np.ndarray:
    """``k`` clusters of a first fit: a cut of the Ward tree when given, else k-means."""
    if tree is not None:
        return _cut(tree, k)
    nv = len(Zv)
    km = KMeans(int(k), n_init=3 if nv <= 20000 else 1, random_state=seed, max_iter=100)
    return km.fit_predict(Zv).astype(np.int64)


SILHOUETTE_MIN_N = 300
"""Fewest usable texts for which silhouette may move the size-based number of themes."""

_K_PENALTY = 0.05
"""Silhouette given up per unit of ``|ln(k / auto_k)|`` when choosing among peaks."""


def _choose_k(
    Sv: np.ndarray | None, nv: int, cap: int, seed: int, tree: np.ndarray | None = None
) -> tuple[int, dict[int, float]]:
    """Number of themes: :func:`auto_k`, moved to a silhouette peak on the sentence vectors.

    Silhouette (cosine, on the sentence or static vectors ``Sv``, for the cuts
    of the Ward ``tree`` when there is one, else k-means per candidate) is
    computed for every k from half to twice the size-based default, one step
    further on each side, and smoothed over neighbours.
    Each local peak inside the range counts, at its edges too (a peak at the
    edge is real when the step beyond it scores lower); among the peaks the
    best score wins, less :data:`_K_PENALTY` per unit of log-distance from the
    default, so a flat or noisy curve keeps the default. Below
    :data:`SILHOUETTE_MIN_N` texts, silhouette was measured to be noise (on
    100-text sets with 8-12 topics it picked k 3 off the truth on average, 9 at
    worst, against 2 at worst for the default), so the default stands.
    """
    k0 = max(1, min(auto_k(nv), cap))
    if Sv is None or nv < SILHOUETTE_MIN_N:
        return k0, {}
    lo, hi = max(2, k0 // 2), min(cap, 2 * k0)
    if hi <= lo:
        return k0, {}
    rs = np.random.RandomState(seed)
    sample = np.sort(rs.choice(nv, 2000, replace=False)) if nv > 2000 else np.arange(nv)
    S = Sv[sample]
    D = np.clip(1.0 - S @ S.T, 0.0, 2.0)  # cosine distances, computed once
    np.fill_diagonal(D, 0.0)
    ks = list(range(max(2, lo - 1), min(len(S) - 1, hi + 1) + 1))
    scores: dict[int, float] = {}
    for k in ks:
        if tree is not None:
            lab = _cut(tree, k)[sample]
        else:
            lab = KMeans(k, n_init=1, random_state=seed, max_iter=50).fit_predict(S)
        if len(set(lab.tolist())) >= 2:
            scores[k] = float(silhouette_score(D, lab, metric="precomputed"))
    ks = sorted(scores)
    if not ks:
        return k0, scores
    smooth = {k: float(np.mean([scores[j] for j in (k - 1, k, k + 1) if j in scores])) for k in ks}
    peaks = [
        k
        for k in ks
        if lo <= k <= hi
        and smooth[k] >= smooth.get(k - 1, -np.inf)
        and smooth[k] >= smooth.get(k + 1, -np.inf)
    ]
    if not peaks:
        return k0, scores
    best = max(peaks, key=lambda k: smooth[k] - _K_PENALTY * abs(math.log(k / k0)))
    return int(best), scores


def _split_grab_bags(Zv: np.ndarray, labels: np.ndarray, seed: int, cap: int) -> np.ndarray:
    """Split themes holding over :data:`GRAB_BAG_SHARE` of the texts unless they are tight.

    A theme that large is kept whole only when its members sit as close to
    its centre as the other themes' members do to theirs (mean cosine at
    least the median of the others): then they truly share one topic.
    Otherwise it is cut (k-means) into as many parts as it is times the
    median theme, two to four.
    """
    nv = len(Zv)
    if nv < 20:
        return labels
    labels = labels.copy()
    for _ in range(8):
        ids, sizes = np.unique(labels, return_counts=True)
        if len(ids) >= cap:
            break
        cohesion = {}
        for t in ids:
            V = Zv[labels == t]
            c = V.mean(0)
            nrm = float(np.linalg.norm(c))
            cohesion[int(t)] = float((V @ (c / nrm)).mean()) if nrm > 0 else 0.0
        big = [int(t) for t, n in zip(ids, sizes, strict=True) if n > GRAB_BAG_SHARE * nv]
        others = [cohesion[int(t)] for t in ids if int(t) not in big]
        if not big or not others:
            break
        t = max(big, key=lambda b: int((labels == b).sum()))
        if cohesion[t] >= float(np.median(others)):
            break  # as tight as the rest: one topic that many people raised
        rows = np.flatnonzero(labels == t)
        median_size = float(np.median(sizes[ids != t]))
        parts = int(min(4, max(2, round(len(rows) / max(median_size, 1.0))), cap - len(ids) + 1))
        if parts < 2 or n_distinct_rows(Zv[rows]) < parts:
            break
        sub = KMeans(parts, n_init=3, random_state=seed, max_iter=100).fit_predict(Zv[rows])
        nxt = int(labels.max()) + 1
        for p in range(1, parts):
            labels[rows[sub == p]] = nxt + p - 1
    return labels


def _add_farthest(Zv: np.ndarray, init: np.ndarray, extra: int, seed: int) -> np.ndarray:
    rs = np.random.RandomState(seed)
    idx = rs.choice(len(Zv), min(len(Zv), 5000), replace=False)
    S = Zv[idx]
    cents = list(init)
    best = (S @ init.T).max(1)
    for _ in range(extra):
        j = int(np.argmin(best))
        cents.append(S[j])
        best = np.maximum(best, S @ S[j])
    return np.array(cents, dtype=np.float32)


def _self_train(Xv: sp.csr_matrix, labels: np.ndarray, rounds: int) -> np.ndarray:
    """Relabel with a Complement NB classifier fit on the current labels."""
    for _ in range(rounds):
        clf = ComplementNB(alpha=0.3).fit(Xv, labels)
        new = clf.predict(Xv)
        changed = float((new != labels).mean())
        labels = new
        if changed < 0.005:
            break
    return labels


def match_ids(
    clusters_of: np.ndarray, prev: np.ndarray | None, next_id: int
) -> tuple[dict[int, int], int]:
    """Map positional clusters to stable ids by member overlap with the previous fit.

    Parameters
    ----------
    clusters_of : ndarray of int
        Cluster number per usable text.
    prev : ndarray of int, optional
        Previous theme id per usable text (-1: none); None on a first fit.
    next_id : int
        The smallest id never given out.

    Returns
    -------
    mapping : dict
        ``{cluster: stable id}``; a cluster that took over most of a previous
        theme keeps its id, the others get new ones.
    next_id : int
        The updated smallest unused id.
    """
    clusters = sorted(set(clusters_of.tolist()))
    mapping: dict[int, int] = {}
    prev_ids = sorted({int(t) for t in prev if t >= 0}) if prev is not None else []
    if prev_ids:
        pidx = {t: j for j, t in enumerate(prev_ids)}
        overlap = np.zeros((len(clusters), len(prev_ids)))
        cidx = {c: j for j, c in enumerate(clusters)}
        for c, p in zip(clusters_of, prev, strict=True):
            if p >= 0:
                overlap[cidx[c], pidx[int(p)]] += 1
        r, cc = linear_sum_assignment(-overlap)
        csize = np.bincount([cidx[c] for c in clusters_of], minlength=len(clusters))
        for a, b in zip(r, cc, strict=True):
            if overlap[a, b] > 0 and overlap[a, b] >= 0.2 * min(csize[a], overlap[:, b].sum()):
                mapping[clusters[a]] = prev_ids[b]
        next_id = max(next_id, max(prev_ids) + 1)
    for c in clusters:
        if c not in mapping:
            mapping[c] = next_id
            next_id += 1
    return mapping, next_id


def off_topic(Xv: sp.csr_matrix, clusters_of: np.ndarray) -> np.ndarray:
    """Mask of texts that share no word (or prefix, or gloss) with another member of their theme."""
    B = Xv.copy()
    B.data = np.ones_like(B.data)
    off = np.zeros(B.shape[0], bool)
    for c in np.unique(clusters_of):
        rows = np.flatnonzero(clusters_of == c)
        Bc = B[rows]
        df = np.asarray(Bc.sum(0)).ravel() - 1.0  # other members using each word
        off[rows] = (Bc @ df) <= 0
    return off


def off_topic_semantic(Sv: np.ndarray, clusters_of: np.ndarray) -> np.ndarray:
    """Mask of texts whose sentence vector is within :data:`OFF_TOPIC_COS` of no other member.

    The word test (:func:`off_topic`) cannot see that a Spanish idea and its
    English neighbours say the same; the sentence vectors can.
    """
    off = np.zeros(len(Sv), bool)
    for c in np.unique(clusters_of):
        rows = np.flatnonzero(clusters_of == c)
        if len(rows) < 2:
            continue
        S = Sv[rows]
        for s in range(0, len(rows), 2000):
            G = S[s : s + 2000] @ S.T
            G[np.arange(G.shape[0]), np.arange(s, s + G.shape[0])] = -np.inf
            off[rows[s : s + 2000]] = G.max(1) < OFF_TOPIC_COS
    return off


def theme_ids(
    n: int,
    valid: np.ndarray,
    clusters_of: np.ndarray,
    prev: np.ndarray | None,
    next_id: int,
    *,
    Xv: sp.csr_matrix | None = None,
    Sv: np.ndarray | None = None,
    min_theme_size: int | None = None,
) -> tuple[np.ndarray, int]:
    """Return the stable theme id of every text (-1: other) and the next unused id.

    Parameters
    ----------
    n : int
        Number of texts.
    valid : ndarray of int
        Positions of the usable texts.
    clusters_of : ndarray of int
        Their clusters (:func:`cluster`).
    prev : ndarray of int, optional
        Their previous theme ids (:func:`match_ids`).
    next_id : int
        The smallest id never given out.
    Xv : sparse matrix, optional
        Their TF-IDF clustering words: with at least 40 usable texts, texts that
        share no word with the rest of their theme become "other".
    Sv : ndarray, optional
        Their sentence vectors: used instead of the words for that test
        (:func:`off_topic_semantic`).
    min_theme_size : int, optional
        Themes with fewer texts become "other"; default 2 from 40 usable texts on, else 1.
    """
    tid = np.full(n, -1, np.int64)
    if len(valid):
        mapping, next_id = match_ids(clusters_of, prev, next_id)
        tid[valid] = [mapping[c] for c in clusters_of.tolist()]
        if Sv is not None and len(valid) >= 40:
            tid[valid[off_topic_semantic(Sv, clusters_of)]] = -1
        elif Xv is not None and len(valid) >= 40:
            tid[valid[off_topic(Xv, clusters_of)]] = -1
    min_size = min_theme_size or (2 if len(valid) >= 40 else 1)
    if min_size > 1:
        counts = Counter(tid[tid >= 0].tolist())
        small = [t for t, c in counts.items() if c < min_size]
        if small:
            tid[np.isin(tid, small)] = -1
    return tid, next_id
