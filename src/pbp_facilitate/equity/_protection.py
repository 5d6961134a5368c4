"""The protection search behind disclosure control: which cells to hide, and proof it is enough.

Cells under the threshold are hidden first (*primary* suppression); then
further cells and totals are hidden (*complementary* suppression, marked
:data:`COMPLEMENT_MARK`) until no hidden value can be worked out exactly from
what is shown, the row/column/grand-total sums and the known ranges -- checked
by linear programming. :func:`protect` works on arrays; :func:`protect_table`
on the tables of this package.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ValidationError

__all__ = ["COMPLEMENT_MARK", "Protection", "protect", "protect_table"]

#: Mark of a cell hidden only so that a small cell cannot be worked out.
COMPLEMENT_MARK = "*"


@dataclass
class Protection:
    """Result of the search over every published item: cells (row-major), then margins.

    Attributes
    ----------
    values : numpy.ndarray
        Exact value of each item.
    primary, complement : numpy.ndarray
        Boolean masks: hidden because small, hidden to protect a small one.
    relations : list
        Sum relations ``[(item, coefficient), ...]`` (each sums to zero).
    lower, upper : numpy.ndarray
        What a reader knows about each hidden item's range.
    derivable : list of int
        Hidden items that could still be worked out (empty unless protection failed).
    """

    values: np.ndarray  # every item: cells (row-major), then margins
    primary: np.ndarray
    complement: np.ndarray
    relations: list[list[tuple[int, int]]]
    lower: np.ndarray
    upper: np.ndarray
    derivable: list[int]

    @property
    def hidden(self) -> np.ndarray:
        """Mask of every hidden item (primary or complementary)."""
        return self.primary | self.complement


def _items(cells: np.ndarray, two_d: bool) -> tuple[np.ndarray, list[list[tuple[int, int]]], int]:
    """All published items (cells then margins) and the sum relations between them."""
    r, c = cells.shape
    n = r * c

    def cell(i: int, j: int) -> int:
        return i * c + j

    if not two_d:
        values = np.concatenate([cells.ravel(), [cells.sum()]])
        rel = [[(cell(i, 0), 1) for i in range(r)] + [(n, -1)]]
        return values, rel, n
    row_tot = cells.sum(axis=1)
    col_tot = cells.sum(axis=0)
    values = np.concatenate([cells.ravel(), row_tot, col_tot, [cells.sum()]])
    R = n
    C = n + r
    G = n + r + c
    rel = []
    for i in range(r):
        rel.append([(cell(i, j), 1) for j in range(c)] + [(R + i, -1)])
    for j in range(c):
        rel.append([(cell(i, j), 1) for i in range(r)] + [(C + j, -1)])
    rel.append([(R + i, 1) for i in range(r)] + [(G, -1)])
    rel.append([(C + j, 1) for j in range(c)] + [(G, -1)])
    return values, rel, n


def _pinned(p: Protection) -> list[int]:
    """Hidden items a reader could work out exactly from what is shown (by linear programming)."""
    from scipy.optimize import linprog

    hidden = np.flatnonzero(p.hidden)
    if len(hidden) == 0:
        return []
    pos = {int(h): t for t, h in enumerate(hidden)}
    # connected components of hidden items through relations
    parent = list(range(len(hidden)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    rel_rows = []
    for rel in p.relations:
        hs = [pos[i] for i, _ in rel if i in pos]
        if not hs:
            continue
        for a in hs[1:]:
            parent[find(a)] = find(hs[0])
        rel_rows.append(rel)
    comps: dict[int, list[int]] = {}
    for t in range(len(hidden)):
        comps.setdefault(find(t), []).append(t)
    out: list[int] = []
    for members in comps.values():
        local = {m: q for q, m in enumerate(members)}
        a_rows, b = [], []
        for rel in rel_rows:
            row = np.zeros(len(members))
            rhs = 0.0
            touched = False
            for i, coef in rel:
                if i in pos and pos[i] in local:
                    row[local[pos[i]]] += coef
                    touched = True
                elif i in pos:
                    touched = False
                    break
                else:
                    rhs -= coef * p.values[i]
            if touched:
                a_rows.append(row)
                b.append(rhs)
        items = [int(hidden[m]) for m in members]
        bounds = [
            (float(p.lower[i]), None if math.isinf(p.upper[i]) else float(p.upper[i]))
            for i in items
        ]
        if not a_rows:
            for i in items:
                if p.upper[i] - p.lower[i] < 0.5:
                    out.append(i)
            continue
        A = np.vstack(a_rows)
        bb = np.asarray(b)
        # every feasible solution found so far; an item taking two values in them is not pinned,
        # which spares most of the linear programs (the true values are the first solution)
        low = p.values[items].astype(float).copy()
        high = low.copy()
        for q, i in enumerate(items):
            if high[q] - low[q] >= 0.5:
                continue
            cvec = np.zeros(len(members))
            cvec[q] = 1.0
            spread = False
            for sign in (1.0, -1.0):
                res = linprog(sign * cvec, A_eq=A, b_eq=bb, bounds=bounds, method="highs")
                if res.status == 3:  # unbounded: certainly not pinned
                    spread = True
                    break
                if res.status == 0:
                    low = np.minimum(low, res.x)
                    high = np.maximum(high, res.x)
                    if high[q] - low[q] >= 0.5:
                        spread = True
                        break
            if not spread:
                out.append(i)
    return out


def protect(
    cells: np.ndarray,
    people: np.ndarray,
    k: int,
    *,
    two_d: bool,
    show_zeros: bool = False,
    people_table: bool = True,
    max_per_person: float | None = None,
) -> Protection:
    """Primary and complementary suppression over cells and margins.

    A reader is assumed to know every shown value, every sum relation
    (rows, columns, totals), that a ``<k`` item lies in ``[0, k-1]`` (in
    ``[1, k-1]`` when zeros are shown; for value tables ``[0, (k-1) *
    max_per_person]``) and that a ``*`` item is at least ``k``.
    """
    values, relations, n = _items(cells.astype(float), two_d)
    ppl, _, _ = _items(people.astype(float), two_d)
    primary = ppl < k
    if show_zeros:
        primary &= ppl > 0
    complement = np.zeros_like(primary)
    lower = np.zeros(len(values))
    upper = np.full(len(values), math.inf)
    lb0 = 1.0 if show_zeros else 0.0
    if people_table:
        upper[primary] = k - 1
        lower[primary] = lb0
    else:
        lower[primary] = lb0
        if max_per_person:
            upper[primary] = (k - 1) * max_per_person
    p = Protection(values, primary, complement, relations, lower, upper, [])
    item_rels: dict[int, list[int]] = {}
    for ri, rel in enumerate(relations):
        for i, _ in rel:
            item_rels.setdefault(i, []).append(ri)

    def pick(rel: list[tuple[int, int]], inner_only: bool = False) -> int | None:
        best = None
        for i, _ in rel:
            if p.hidden[i] or values[i] <= 0 or (inner_only and i >= n):
                continue
            helps = sum(
                1 for ri in item_rels[i] if sum(1 for j, _ in relations[ri] if p.hidden[j]) == 1
            )
            key = (i >= n, -helps, values[i], i)
            if best is None or key < best[0]:
                best = (key, i)
        return None if best is None else best[1]

    def hide(i: int) -> None:
        p.complement[i] = True
        p.lower[i] = float(k)
        p.upper[i] = math.inf

    for _ in range(len(values) + 1):  # each round hides at least one more item, or stops
        changed = False
        for rel in relations:
            if sum(1 for i, _ in rel if p.hidden[i]) == 1:
                cand = pick(rel)
                if cand is not None:
                    hide(cand)
                    changed = True
        if changed:
            continue
        pinned = _pinned(p)
        if not pinned:
            break
        touched: set[int] = set()
        for i in pinned:
            rels = sorted(item_rels.get(i, []), key=lambda r: min(j for j, _ in relations[r]) >= n)
            if touched.intersection(rels):
                continue  # a complement was just added next to it; check again first
            for ri in rels:
                cand = pick(relations[ri], inner_only=True)
                if cand is not None:
                    hide(cand)
                    touched.update(item_rels[cand])
                    changed = True
                    break
        if not changed:
            # the derivation runs through other rows or columns: hide the smallest shown cell that
            # shares a row or column with a hidden item
            near = {
                j
                for rel in relations
                if any(p.hidden[x] for x, _ in rel)
                for j, _ in rel
                if j < n and not p.hidden[j] and values[j] > 0
            }
            if near:
                hide(min(near, key=lambda j: (values[j], j)))
                changed = True
        if not changed:
            # last resort: hide a total
            for i in pinned:
                for ri in item_rels.get(i, []):
                    cand = pick(relations[ri])
                    if cand is not None:
                        hide(cand)
                        changed = True
                        break
                if changed:
                    break
        if not changed:
            p.derivable = pinned
            break
    else:  # pragma: no cover - the loop always stops earlier
        p.derivable = _pinned(p)
    if not p.derivable:
        _prune(p, relations, n)
    return p


def _prune(p: Protection, relations: list[list[tuple[int, int]]], n: int, limit: int = 24) -> None:
    """Show again any complementary cell that is not needed (totals first, then the largest cells).

    The greedy pass can hide more than it must; each candidate is put back on show and kept there
    only if nothing hidden becomes derivable.
    """
    margins = [int(i) for i in np.flatnonzero(p.complement) if i >= n]
    if len(margins) > 1:  # totals often only work as a set (rows add up to the grand total)
        p.complement[margins] = False
        if any(sum(1 for j, _ in rel if p.hidden[j]) == 1 for rel in relations) or _pinned(p):
            p.complement[margins] = True
    comps = sorted(np.flatnonzero(p.complement), key=lambda i: (i < n, -p.values[i], i))
    for i in comps[:limit]:
        p.complement[i] = False
        lonely = any(
            sum(1 for j, _ in rel if p.hidden[j]) == 1
            for rel in relations
            if any(j == i for j, _ in rel)
        )
        if lonely or _pinned(p):
            p.complement[i] = True


def protect_table(
    table: pd.DataFrame | pd.Series, k: int, *, show_zeros: bool = False
) -> Protection:
    """Run the protection search on a count table, or on a vote table by its voter counts.

    Parameters
    ----------
    table : pandas.Series or pandas.DataFrame
        Counts; a :func:`~pbp_facilitate.equity.vote_breakdown` table (dots, with
        ``attrs["people"]``) is protected by the number of people behind each cell.
    k : int
        Disclosure threshold.
    show_zeros : bool
        True zeros are shown (not hidden) and known to be zeros.

    Returns
    -------
    Protection
    """
    two_d = isinstance(table, pd.DataFrame)
    cells = table.to_numpy(dtype=float)
    if not two_d:
        cells = cells.reshape(-1, 1)
    if table.attrs.get("people") is not None:
        people = np.asarray(table.attrs["people"], dtype=float)
        if people.shape != cells.shape:
            raise ValidationError(
                f"The vote table is {cells.shape[0]}x{cells.shape[1]} but its voter counts are "
                f"{people.shape[0]}x{people.shape[1] if people.ndim > 1 else 1}; "
                "pass the whole table from vote_breakdown() to suppress(), "
                "or rebuild it for the themes you want.",
                code="shape",
            )
        return protect(
            cells,
            people,
            k,
            two_d=two_d,
            show_zeros=show_zeros,
            people_table=False,
            max_per_person=table.attrs.get("max_per_person"),
        )
    return protect(cells, cells, k, two_d=two_d, show_zeros=show_zeros)
