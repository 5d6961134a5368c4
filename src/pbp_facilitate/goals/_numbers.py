"""Quantities in a goal: targets, baselines and the numbers that are neither.

A number is a *target* unless its neighbours say otherwise: a year, a code or
a grade ("Title 1", "8th-grade"), an age, a scope ("all 12 schools"), a count
of partners, a denominator ("per 1,000"), a duration, a time of day, or a
*baseline* ("up from 41%"). "from X to Y" makes X the baseline and Y the
target. Ratios ("in half", "1 in 3"), zero and "every ..." are countable end
states that set a target without a number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from . import lexicon as lx
from . import patterns as rx
from ._goal import GoalText

__all__ = [
    "Quantity",
    "find_quantities",
    "find_ratios",
    "find_zeros",
    "find_everys",
    "is_relative",
    "number_value",
]

_SERVICE_LINES = (211, 311, 411, 511, 611, 711, 811, 911)


@dataclass(slots=True)
class Quantity:
    """A number in the goal and what it is.

    Attributes
    ----------
    start, end : int
        Offsets of the number (with its unit) in the goal.
    value : float
        The number (NaN when it cannot be read).
    pct : bool
        On a 0-100 scale: %, percent, (percentage) points.
    kind : str
        ``"target"``, ``"baseline"``, ``"year"`` or ``"excluded"``.
    """

    start: int
    end: int
    value: float
    pct: bool
    kind: str


def number_value(raw: str) -> float:
    """Return the value of a folded number: ``"1,200"``, ``"2.5"``, ``"3,5"``, ``"five"``."""
    if raw in lx.NUMBER_WORDS:
        return float(lx.NUMBER_WORDS[raw])
    if rx.THOUSANDS_RX.fullmatch(raw):
        return float(re.sub(r"[.,]", "", raw))
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        try:
            return float(raw.replace(",", ""))
        except ValueError:
            return math.nan


def find_quantities(goal: GoalText) -> list[Quantity]:
    """Return every number of ``goal`` in order, each with its kind."""
    out: list[Quantity] = []
    for m in rx.QTY_RX.finditer(goal.folded):
        value = number_value(m.group(2))
        kind = "excluded" if math.isnan(value) else _kind(goal, m, value)
        out.append(Quantity(m.start(), m.end(), value, bool(m.group(3)), kind))
    _pair_from_to(goal.folded, out)
    return out


def _kind(goal: GoalText, m: re.Match[str], value: float) -> str:
    """What a number is, from its unit and its neighbours (first rule that applies)."""
    f = goal.folded
    s, e = m.span()
    cur, raw, unit = m.group(1), m.group(2), m.group(3)
    prev = f[max(0, s - 45) : s]
    nxt = f[e : e + 40]
    if not unit and not cur and not raw.isalpha() and len(raw) == 4 and 1900 <= value <= 2100:
        return "year"
    if not unit and rx.PREV_YEAR_RANGE_RX.search(prev):
        return "year"
    if f.startswith("fy", max(0, s - 2)) and s >= 2:
        return "year"
    if rx.PREV_CODE_RX.search(prev):
        return "excluded"
    if not unit and _is_ordinal(goal, e, prev, nxt):
        return "excluded"
    if not unit and (
        rx.PREV_AGE_RX.search(prev)
        or rx.NEXT_AGE_RX.match(nxt)
        or rx.PREV_UNDER_PERSON_RX.search(prev)
    ):
        return "excluded"
    if not unit and not cur and value in _SERVICE_LINES:
        return "excluded"
    if rx.PREV_SCOPE_RX.search(prev):
        return "excluded"  # "all 12 high schools": the scope, not the target
    if rx.PREV_POSSESSIVE_RX.search(prev):
        return "excluded"
    if rx.PREV_OF_RX.search(prev) and rx.NEXT_ORG_RX.match(nxt):
        return "excluded"
    if not unit and rx.PREV_DENOM_RX.search(prev):
        return "excluded"
    if not unit and rx.NEXT_DURATION_RX.match(nxt):
        cue = rx.PREV_TARGET_CUE_RX.search(prev) or (goal.es and prev.endswith((" a ", " al ")))
        return "target" if cue else "excluded"
    if not unit and (prev.endswith(":") or rx.NEXT_CLOCK_RX.match(nxt)):
        return "excluded"  # a time of day: 8:30 a.m.
    if rx.PREV_BASELINE_RX.search(prev):
        return "baseline"
    return "target"


def _is_ordinal(goal: GoalText, end: int, prev: str, nxt: str) -> bool:
    return bool(
        rx.NEXT_ORDINAL_RX.match(nxt)
        or rx.ORDINAL_SIGN_RX.match(goal.text, end)
        or rx.PREV_GRADE_RX.search(prev)
    )


def _pair_from_to(f: str, quantities: list[Quantity]) -> None:
    """Mark "from X to Y": X is the baseline, Y the target."""
    for a, b in zip(quantities, quantities[1:], strict=False):
        if a.kind in ("year", "excluded") or b.kind == "year":
            continue
        before = f[max(0, a.start - 12) : a.start]
        if rx.PAIR_FROM_RX.search(before) and rx.PAIR_BETWEEN_RX.fullmatch(f[a.end : b.start]):
            a.kind = "baseline"
            b.kind = "target"


def find_ratios(goal: GoalText) -> list[tuple[int, int]]:
    """Spans of ratios: "in half", "a third", "1 in 3", "la mitad", "2/3"."""
    return [m.span() for m in rx.RATIO_RX.finditer(goal.folded)]


def find_zeros(goal: GoalText) -> list[tuple[int, int]]:
    """Spans of zero end states: "functional zero", "no family will ..."."""
    return [m.span() for m in rx.ZERO_RX.finditer(goal.folded)]


def find_everys(goal: GoalText) -> list[tuple[int, int]]:
    """Spans of "every ..." end states, unless a vague predicate follows ("every child thrives")."""
    out = []
    for m in rx.EVERY_RX.finditer(goal.folded):
        span = m.span(1) if m.group(1) else m.span(2)
        if not rx.VAGUE_PRED_NEXT_RX.match(goal.folded, span[1]):
            out.append(span)
    return out


def is_relative(goal: GoalText, q: Quantity) -> bool:
    """Whether ``q`` is a relative change: "by 25%", "en un 25 %"."""
    return bool(rx.RELATIVE_CUE_RX.search(goal.folded, max(0, q.start - 6), q.start))
