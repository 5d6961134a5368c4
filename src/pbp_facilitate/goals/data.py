"""Partners' indicator data: the rows of a ``goal,period,group,value,n`` file, checked.

:func:`read_indicator_rows` takes the rows of a CSV (decoded and split by the importers' one
CSV rule) and returns the values to store, or raises one
:class:`~pbp_facilitate.errors.ValidationError` that lists every problem with its line, so an
import writes all rows or none.

Columns (case and accents ignored, in any order; Spanish names too): ``goal`` (the goal's id,
``meta``), ``period`` (``periodo``, ``year``, ``año``), ``group`` (``grupo``; empty is
everyone), ``value`` (``valor``) and optionally ``n`` (``people``, ``personas``: the people
behind the value). Numbers may carry ``%``, thousands separators (``1,200``) or a decimal
comma (``40,5``), as spreadsheets export them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import ValidationError
from ..text import fold
from .indicator import parse_period

__all__ = ["COLUMNS", "read_indicator_rows", "parse_number"]

COLUMNS = ("goal", "period", "group", "value", "n")
"""The columns of an indicator file (``n`` optional)."""

_ALIASES = {
    "goal": ("goal", "goal_id", "goal id", "meta", "objetivo"),
    "period": ("period", "periodo", "year", "ano", "fecha", "date"),
    "group": ("group", "grupo", "subgroup", "subgrupo"),
    "value": ("value", "valor"),
    "n": ("n", "people", "personas", "count", "denominator"),
}
_EVERYONE = ("all", "everyone", "total", "todos", "todas")
_MAX_LISTED = 12
_MAX_GROUP = 200


def parse_number(raw: str) -> float:
    """Read a spreadsheet number: ``42``, ``42.5``, ``42,5``, ``1,200``, ``1.200,5``, ``40%``.

    Raises
    ------
    ValueError
        When it is not a finite number.
    """
    try:  # the common case: a plain number
        value = float(raw)
    except ValueError:
        pass
    else:
        if math.isfinite(value) and "_" not in raw:
            return value
    s = str(raw).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if not s:
        raise ValueError("empty")
    if "," in s and "." in s:
        s = (
            s.replace(".", "").replace(",", ".")
            if s.rfind(",") > s.rfind(".")
            else s.replace(",", "")
        )
    elif "," in s:
        s = s.replace(",", "") if re.fullmatch(r"-?\d{1,3}(,\d{3})+", s) else s.replace(",", ".")
    value = float(s)
    if not math.isfinite(value):
        raise ValueError("not finite")
    return value


def _columns(header: Sequence[str], name: str) -> dict[str, int]:
    folded = [fold(h).strip().lower() for h in header]
    out: dict[str, int] = {}
    for col, names in _ALIASES.items():
        for i, h in enumerate(folded):
            if h in names and col not in out:
                out[col] = i
    missing = [c for c in ("goal", "period", "value") if c not in out]
    if missing:
        raise ValidationError(
            f"{name}: the first line must name the columns goal,period,group,value,n; "
            f"missing {', '.join(missing)} (found: {', '.join(h for h in header if h) or 'none'}). "
            "Add a header line such as: goal,period,group,value,n",
            field="columns",
            code="bad_columns",
        )
    return out


def read_indicator_rows(
    rows: Sequence[Sequence[str]],
    goal_ids: Iterable[int],
    *,
    name: str = "<file>",
) -> list[dict[str, Any]]:
    """Check the rows of an indicator file and return the values to store.

    Parameters
    ----------
    rows : sequence of sequence of str
        The CSV rows, header first.
    goal_ids : iterable of int
        The ids of the session's goals (any other goal is an error).
    name : str
        File name for messages.

    Returns
    -------
    list of dict
        ``{"goal_id", "period", "period_at", "group", "value", "n", "line"}`` per data row.

    Raises
    ------
    ValidationError
        Listing every problem (unknown goals, bad numbers or periods, duplicates), by line.
    """
    known = {int(g) for g in goal_ids}
    if not rows:
        raise ValidationError(
            f"{name} is empty; expected a header goal,period,group,value,n and one row per value.",
            code="empty",
        )
    cols = _columns(rows[0], name)
    problems: list[str] = []
    out: list[dict[str, Any]] = []
    seen: dict[tuple[int, str, str], int] = {}
    period_cache: dict[str, tuple[str, float] | None] = {}
    width = max(cols.values()) + 1
    group_names: dict[str, str] = {}

    def cell(row: Sequence[str], col: str) -> str:
        i = cols.get(col)
        return row[i].strip() if i is not None and i < len(row) else ""

    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue  # blank lines and Excel's trailing ",,,," rows
        if len(row) < width and not cell(row, "value"):
            problems.append(f"line {line}: cells: {len(row)}; expected goal,period,group,value,n")
            continue
        goal_raw = cell(row, "goal").lstrip("#")
        try:
            goal_id = int(parse_number(goal_raw))
            if goal_id != parse_number(goal_raw):
                raise ValueError
        except ValueError:
            problems.append(f"line {line}: goal {goal_raw!r} is not a goal id (a whole number)")
            continue
        if goal_id not in known:
            problems.append(f"line {line}: goal {goal_id} is not a goal of this session")
            continue
        p_raw = cell(row, "period")
        if p_raw not in period_cache:
            try:
                period_cache[p_raw] = parse_period(p_raw)
            except ValidationError:
                period_cache[p_raw] = None
        period = period_cache[p_raw]
        if period is None:
            problems.append(
                f"line {line}: period {p_raw!r} is not a year (2024), school or fiscal year "
                "(2024-25, FY2025), quarter (2024-Q3), month (2024-09) or date (2024-09-30)"
            )
            continue
        v_raw = cell(row, "value")
        try:
            value = parse_number(v_raw)
        except ValueError:
            problems.append(f"line {line}: value {v_raw!r} is not a number (e.g. 42 or 42.5)")
            continue
        n_raw = cell(row, "n")
        n: int | None = None
        if n_raw:
            try:
                # a count has no decimals: "1.200" is Spanish or German for 1,200 people
                nf = parse_number(
                    n_raw.replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", n_raw) else n_raw
                )
            except ValueError:
                nf = -1.0
            if nf < 0 or not nf.is_integer():
                problems.append(
                    f"line {line}: n {n_raw!r} is not a count of people (a whole number, or empty)"
                )
                continue
            n = int(nf)
        raw_group = cell(row, "group")
        group = group_names.get(raw_group)
        if group is None:
            everyone = fold(raw_group).strip().lower() in _EVERYONE
            group = group_names[raw_group] = "" if everyone else raw_group
        if len(group) > _MAX_GROUP or not group.isprintable():
            problems.append(f"line {line}: group name too long or with control characters")
            continue
        key = (goal_id, period[0], group)
        if key in seen:
            problems.append(
                f"line {line}: goal {goal_id}, period {period[0]}, group "
                f"{group or '(everyone)'} already given on line {seen[key]}"
            )
            continue
        seen[key] = line
        out.append(
            {
                "goal_id": goal_id,
                "period": period[0],
                "period_at": period[1],
                "group": group,
                "value": value,
                "n": n,
                "line": line,
            }
        )
    if problems:
        more = len(problems) - _MAX_LISTED
        listed = "; ".join(problems[:_MAX_LISTED]) + (f"; and {more} more" if more > 0 else "")
        raise ValidationError(
            f"{name}: nothing was imported, {len(problems)} row(s) need fixing: {listed}. "
            "Correct the file and import it again (see the goal ids with pbp goals list CODE).",
            code="bad_rows",
        )
    if not out:
        raise ValidationError(f"{name} has a header but no values; add one row per value.")
    return out
