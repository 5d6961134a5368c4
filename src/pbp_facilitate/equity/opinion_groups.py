"""Who is in each opinion group: consented demographics by opinion group, people counted once.

Answers "are the groups just neighbourhoods?" and "whose voice is each group?". The table
counts participants (not reactions), only through :func:`~.groups.shared_groups` (consented
answers, else "not shared"), and is shown through :func:`~.disclosure.suppress` like every
other table of the equity lens, so no count under ``small_count`` is shown or derivable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from .groups import NOT_SHARED, group_order, shared_groups

__all__ = ["opinion_group_breakdown"]


def opinion_group_breakdown(
    opinion_groups: Mapping[str, int | None],
    participants: pd.DataFrame,
    dimension: str,
    *,
    group_names: Mapping[int, str] | None = None,
    groups: Sequence[str] | None = None,
    small_count: int = 5,
) -> pd.DataFrame:
    """People in each opinion group, by demographic group on ``dimension``.

    Parameters
    ----------
    opinion_groups : mapping
        ``{participant_key: opinion group or None}``; participants not placed are left out.
    participants : pandas.DataFrame
        As :meth:`Store.participants_frame` returns it (``participant_key``, ``consented``,
        one column per dimension).
    dimension : str
        Dimension key (``neighbourhood``, ``age_band``...).
    group_names : mapping, optional
        ``{opinion group: row label}`` (default ``"Group 1"``, ...).
    groups : sequence of str, optional
        Column order (e.g. the survey's categories).
    small_count : int
        Disclosure threshold, used by :func:`suppress`.

    Returns
    -------
    pandas.DataFrame
        Exact counts, rows opinion groups, columns demographic groups then "not shared".
        Show it through :func:`~pbp_facilitate.equity.suppress`.
    """
    placed = {str(k): int(g) for k, g in opinion_groups.items() if g is not None}
    of = shared_groups(participants, dimension)
    pairs = pd.DataFrame(
        {
            "participant_key": list(placed),
            "opinion_group": list(placed.values()),
        }
    )
    pairs["group"] = pairs["participant_key"].map(of).fillna(NOT_SHARED)
    columns = [c for c in group_order(pairs["group"], groups) if c != NOT_SHARED] + [NOT_SHARED]
    rows = sorted(set(placed.values()))
    table = (
        pairs.groupby(["opinion_group", "group"])["participant_key"].nunique().unstack(fill_value=0)
        if len(pairs)
        else pd.DataFrame()
    )
    table = table.reindex(index=rows, columns=columns, fill_value=0).astype(int)
    names = group_names or {}
    table.index = pd.Index([names.get(g, f"Group {g + 1}") for g in rows], name="opinion group")
    table.columns = pd.Index(columns, name="group")
    table.attrs.update(
        {
            "kind": "breakdown",
            "measure": "people",
            "dimension": dimension,
            "small_count": int(small_count),
        }
    )
    return table
