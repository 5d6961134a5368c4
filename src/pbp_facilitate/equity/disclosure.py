"""Disclosure control: :func:`suppress` turns any table of the equity lens into one safe to show.

Counts under ``small_count`` people read ``"<5"`` and enough further cells read
:data:`~pbp_facilitate.equity.COMPLEMENT_MARK` that no hidden count can be
worked out from what is shown (the search is in :mod:`._protection`); the
representation, re-weighted, priorities and sources tables are formatted by
:mod:`.display`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..i18n import gettext
from ._protection import COMPLEMENT_MARK, protect_table
from ._words import attr_text, check_lang
from .display import plain_display, representation_display, reweighted_display

__all__ = ["suppress"]


def suppress(
    table: pd.DataFrame | pd.Series,
    small_count: int | None = None,
    *,
    totals: bool = True,
    show_zeros: bool = False,
    lang: str = "en",
) -> pd.DataFrame:
    """Display table of strings with small counts protected.

    Any count under ``small_count`` people reads ``"<5"``; wherever that
    count could then be worked out from a row, column or grand total (or
    from other hidden cells and the known ranges), further cells read
    :data:`~pbp_facilitate.equity.COMPLEMENT_MARK` (``"*"``). Totals take part too: a total under
    the threshold is hidden like a cell, and every other total is treated
    as known to the reader even when ``totals=False`` leaves it out here, so
    the protection holds wherever the totals are published.

    Works on any table of the equity lens: a count Series or DataFrame (1-D
    or 2-D), :func:`~pbp_facilitate.equity.theme_breakdown`,
    :func:`~pbp_facilitate.equity.vote_breakdown` (cells are dots; a cell
    from fewer than ``small_count`` people reads ``"<5 people"``),
    :func:`~pbp_facilitate.equity.representation`,
    :func:`~pbp_facilitate.equity.reweighted_theme_shares`,
    :func:`~pbp_facilitate.equity.group_priorities` and
    :func:`~pbp_facilitate.equity.theme_sources`.

    Parameters
    ----------
    table : pandas.Series or pandas.DataFrame
        Exact, non-negative integer counts, or a table from this module.
    small_count : int, optional
        Disclosure threshold; defaults to the table's own (from the function
        that built it) or 5. Pass ``Settings.small_count``.
    totals : bool
        Add a ``Total`` row (and column, for 2-D).
    show_zeros : bool
        Show true zeros as ``0`` instead of ``"<5"`` (off by default: the
        issue's rule hides every count under the threshold).
    lang : {"en", "es"}
        Language of headings, marks and the note.

    Returns
    -------
    pandas.DataFrame
        Strings only. ``attrs["note"]`` explains the marks; ``attrs["hidden"]``
        lists hidden cells as ``(row, column)`` labels; ``attrs["derivable"]``
        is empty unless the table cannot be protected at all.
    """
    check_lang(lang)
    k = int(small_count if small_count is not None else table.attrs.get("small_count", 5))
    if k < 1:
        raise ValidationError(f"small_count is {k}; expected 1 or more.", field="small_count")
    kind = table.attrs.get("kind")
    if kind == "representation":
        return representation_display(table, k, lang)
    if kind == "reweighted":
        return reweighted_display(table, k, lang)
    if kind in ("priorities", "sources"):
        return plain_display(table, lang)
    values = table.to_numpy()
    if values.size and (
        not np.all(np.isfinite(values.astype(float)))
        or (values < 0).any()
        or not np.all(np.equal(np.mod(values.astype(float), 1), 0))
    ):
        raise ValidationError(
            "suppress() expected whole counts of zero or more; got negative, fractional or missing "
            "values. Pass counts, not shares.",
            code="not_counts",
        )
    two_d = isinstance(table, pd.DataFrame)
    total_word = gettext(lang, "equity.total")
    if table.size == 0:
        out = pd.DataFrame(table.astype(str)) if two_d else table.astype(str).to_frame("count")
        message = attr_text(table.attrs, lang)
        out.attrs.update(
            {
                "note": message or gettext(lang, "equity.nothing_to_show"),
                "hidden": [],
                "derivable": [],
            }
        )
        return out
    res = protect_table(table, k, show_zeros=show_zeros)
    value_table = table.attrs.get("people") is not None
    small = gettext(lang, "equity.small_people", k=k) if value_table else f"<{k}"

    def fmt(i: int) -> str:
        if res.primary[i]:
            return small
        if res.complement[i]:
            return COMPLEMENT_MARK
        return str(int(res.values[i]))

    hidden_labels: list[tuple[Any, Any]] = []
    if two_d:
        r, c = table.shape
        n = r * c
        grid = [[fmt(i * c + j) for j in range(c)] for i in range(r)]
        for i in range(r):
            for j in range(c):
                if res.hidden[i * c + j]:
                    hidden_labels.append((table.index[i], table.columns[j]))
        out = pd.DataFrame(grid, index=table.index, columns=table.columns)
        if totals:
            out[total_word] = [fmt(n + i) for i in range(r)]
            out.loc[total_word] = [fmt(n + r + j) for j in range(c)] + [fmt(n + r + c)]
    else:
        r = len(table)
        n = r
        col = table.name if table.name is not None else "count"
        out = pd.DataFrame({col: [fmt(i) for i in range(r)]}, index=table.index)
        for i in range(r):
            if res.hidden[i]:
                hidden_labels.append((table.index[i], col))
        if totals:
            out.loc[total_word] = [fmt(n)]
    key = "equity.suppress_note_dots" if value_table else "equity.suppress_note"
    note = gettext(lang, key, k=k, small=small, mark=COMPLEMENT_MARK)
    out.attrs.update(
        {
            "note": note,
            "hidden": hidden_labels,
            "derivable": [int(i) for i in res.derivable],
            "small_count": k,
        }
    )
    return out
