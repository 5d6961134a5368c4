"""What each group thinks: representative ideas, group-informed consensus, divisive ideas.

Polis's statistics (``polismath.math.repness``), per group ``g`` and idea ``i`` with ``na``
agrees, ``nd`` disagrees and ``ns`` reactions (passes count as seen):

* ``pa = (na + 1) / (ns + 2)`` (and ``pd`` alike), the smoothed share agreeing;
* ``ra = pa / pa_rest``, how much more the group agrees than everyone else;
* ``pat``, a one-proportion z-test that the group leans one way
  (``2 sqrt(ns + 1) ((na + 1) / (ns + 1) - 1/2)``), and ``rat``, a two-proportion z-test that it
  differs from the rest;
* representativeness ``ra * rat * pa * pat``; an idea represents a group when it leans the
  group's way (``p > 0.5``) and both tests pass at 90% (z > 1.2816).

Group-informed consensus is the product over groups of each group's ``pa`` (so an idea scores
high only when every group agrees, whatever their sizes); an idea is *agreed across all groups*
when every group's ``pa`` is above one half. Divisive ideas are those where one group agrees
and another disagrees: the spread of ``pa - pd`` across groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["GroupStats", "group_stats", "representative", "consensus", "divisive", "Z90"]

Z90 = 1.2816


@dataclass(frozen=True)
class GroupStats:
    """Counts per group (rows) and idea (columns): agrees, disagrees, reactions seen."""

    agree: np.ndarray
    disagree: np.ndarray
    seen: np.ndarray

    @property
    def pa(self) -> np.ndarray:
        """Smoothed share agreeing."""
        return (self.agree + 1) / (self.seen + 2)

    @property
    def pd(self) -> np.ndarray:
        """Smoothed share disagreeing."""
        return (self.disagree + 1) / (self.seen + 2)


def group_stats(values: np.ndarray, labels: np.ndarray, n_groups: int) -> GroupStats:
    """Count agrees, disagrees and reactions per group from a vote matrix and group labels."""
    shape = (n_groups, values.shape[1])
    agree, disagree, seen = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for g in range(n_groups):
        rows = values[labels == g]
        agree[g] = (rows == 1).sum(axis=0)
        disagree[g] = (rows == -1).sum(axis=0)
        seen[g] = (~np.isnan(rows)).sum(axis=0)
    return GroupStats(agree, disagree, seen)


def _prop_test(succ: np.ndarray, n: np.ndarray) -> np.ndarray:
    return 2 * np.sqrt(n + 1) * ((succ + 1) / (n + 1) - 0.5)


def _two_prop_test(s1: np.ndarray, n1: np.ndarray, s2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    s1, n1, s2, n2 = s1 + 1, n1 + 1, s2 + 1, n2 + 1
    p1, p2 = s1 / n1, s2 / n2
    p = (s1 + s2) / (n1 + n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (p1 - p2) / np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return np.where(p1 == p2, 0.0, np.nan_to_num(z))


def representative(stats: GroupStats, *, limit: int = 5) -> list[list[dict[str, float | int]]]:
    """Return each group's representative ideas, best first.

    Each item is ``{"idea": column, "direction": "agree"|"disagree", "p": share, "repness":
    score, "significant": bool}``. When no idea passes both tests for a group, its single best
    idea is returned with ``significant`` False, as Polis does, so every group says something.
    """
    total_a, total_d, total_s = (
        stats.agree.sum(axis=0),
        stats.disagree.sum(axis=0),
        stats.seen.sum(axis=0),
    )
    out: list[list[dict[str, float | int]]] = []
    for g in range(stats.agree.shape[0]):
        na, nd, ns = stats.agree[g], stats.disagree[g], stats.seen[g]
        ra_, rd_, rs_ = total_a - na, total_d - nd, total_s - ns
        pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
        pa_rest, pd_rest = (ra_ + 1) / (rs_ + 2), (rd_ + 1) / (rs_ + 2)
        pat, pdt = _prop_test(na, ns), _prop_test(nd, ns)
        rat, rdt = _two_prop_test(na, ns, ra_, rs_), _two_prop_test(nd, ns, rd_, rs_)
        agree_score = (pa / pa_rest) * rat * pa * pat
        disagree_score = (pd / pd_rest) * rdt * pd * pdt
        agree_ok = (pa > 0.5) & (pat > Z90) & (rat > Z90) & (ns > 0)
        disagree_ok = (pd > 0.5) & (pdt > Z90) & (rdt > Z90) & (ns > 0)
        items: list[dict[str, float | int]] = []
        for i in range(len(na)):
            for ok, score, p, d in (
                (agree_ok[i], agree_score[i], pa[i], "agree"),
                (disagree_ok[i], disagree_score[i], pd[i], "disagree"),
            ):
                if ok:
                    items.append(
                        {"idea": i, "direction": d, "p": float(p), "repness": float(score)}
                    )
        items.sort(key=lambda it: (-float(it["repness"]), int(it["idea"])))
        seen_once: set[int] = set()
        chosen = []
        for it in items:
            if it["idea"] not in seen_once:
                seen_once.add(int(it["idea"]))
                chosen.append({**it, "significant": True})
        if not chosen and (ns > 0).any():
            score = np.where(ns > 0, np.maximum(agree_score, disagree_score), -np.inf)
            i = int(np.argmax(score))
            agree = agree_score[i] >= disagree_score[i]
            chosen = [
                {
                    "idea": i,
                    "direction": "agree" if agree else "disagree",
                    "p": float(pa[i] if agree else pd[i]),
                    "repness": float(score[i]),
                    "significant": False,
                }
            ]
        out.append(chosen[:limit])
    return out


def consensus(stats: GroupStats) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(score, agreed)``: group-informed consensus per idea and whether every group's
    smoothed share agreeing is above one half (ideas no group has seen are never agreed).
    """
    pa = stats.pa
    score = np.prod(pa, axis=0)
    agreed = (pa > 0.5).all(axis=0) & (stats.seen > 0).all(axis=0)
    return score, agreed


def divisive(stats: GroupStats) -> np.ndarray:
    """Return each idea's divisiveness: the spread of ``pa - pd`` across groups (0 to 2)."""
    lean = stats.pa - stats.pd
    seen = stats.seen > 0
    hi = np.where(seen, lean, -np.inf).max(axis=0)
    lo = np.where(seen, lean, np.inf).min(axis=0)
    return np.where(seen.any(axis=0), hi - lo, 0.0)
