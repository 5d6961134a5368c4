"""Honest small numbers: when suppression would hide most of a breakdown, say so and show the
next coarser view that can be shown (groups pooled until every shown count reaches the
threshold), never a table of ``"<5"``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ...equity import COMPLEMENT_MARK

__all__ = ["hidden_cells", "mostly_hidden", "collapse_counts"]


def hidden_cells(values: Iterable[Any], k: int) -> tuple[int, int]:
    """``(hidden, cells)``: how many of the shown cells read ``"<k"`` or the complement mark."""
    cells = [str(v) for v in values]
    hidden = sum(1 for v in cells if v == f"<{k}" or v.startswith("<") or v == COMPLEMENT_MARK)
    return hidden, len(cells)


def mostly_hidden(values: Iterable[Any], k: int) -> tuple[bool, int, int]:
    """``(True, hidden, cells)`` when more than half of the cells are hidden."""
    hidden, cells = hidden_cells(values, k)
    return (cells > 0 and 2 * hidden > cells), hidden, cells


def collapse_counts(counts: Mapping[str, int], k: int) -> tuple[list[tuple[str, int]], int]:
    """Keep groups of ``k`` or more people, pool the rest; the pool is never between 1 and k-1.

    The smallest kept group joins the pool until the pool reaches ``k`` (so no small
    count can be worked out as the total minus the groups shown).

    Returns
    -------
    (kept, pooled)
        ``kept`` is ``[(group, count)]`` largest first; ``pooled`` the others together (0 when
        there are none). When everything together is under ``k``, ``kept`` is empty and
        ``pooled`` is under ``k``: show nothing.
    """
    kept = sorted(((g, int(n)) for g, n in counts.items() if n >= k), key=lambda x: -x[1])
    pooled = sum(int(n) for n in counts.values() if n < k)
    while 0 < pooled < k and kept:
        pooled += kept.pop()[1]
    return kept, pooled
