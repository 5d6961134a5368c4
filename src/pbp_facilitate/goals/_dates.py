"""Time in a goal: deadlines and time frames ahead, dates of the past or of context.

Three kinds of anchor: durations ("within 18 months", "en un plazo de 2
años"), relative periods ("next year", "el próximo otoño", "the end of the
decade") and dates ("June 2028", "FY27", "2026-27 school year"). A date with
a deadline cue before it ("by", "para", "antes de que termine") is a
deadline whatever its year; without a cue, a year before the reference year,
or one in a past or context phrase ("since 2015", "our 2019 plan"), is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import patterns as rx
from ._goal import GoalText
from ._numbers import number_value

__all__ = ["TimeAnchor", "find_times", "duration_years"]


@dataclass(slots=True)
class TimeAnchor:
    """A deadline or time frame found in the goal.

    Attributes
    ----------
    start, end : int
        Offsets of the anchor, with its deadline cue when it has one.
    year : int or None
        The year it names, if any.
    horizon : float or None
        Years from the reference year, when known.
    lead : bool
        Whether it starts with a deadline cue ("by", "para").
    """

    start: int
    end: int
    year: int | None
    horizon: float | None
    lead: bool


def find_times(goal: GoalText) -> tuple[list[TimeAnchor], list[tuple[int, int]]]:
    """Return the future anchors of ``goal`` (in order) and the spans of its past/context dates."""
    durations = _durations(goal.folded)
    relatives = _relatives(goal.folded)
    taken = [(t.start, t.end) for t in durations] + [span for _, span in relatives]
    found = durations + [t for t, _ in relatives]
    dated, past = _dated(goal, taken)
    found += dated
    found.sort(key=lambda t: t.start)
    return found, past


def duration_years(phrase: str) -> float | None:
    """Return the length in years of a folded duration phrase ("within 18 months" -> 1.5)."""
    m = rx.DURATION_AMOUNT_RX.search(phrase)
    if not m:
        return None
    n_raw, unit = m.groups()
    n = 1.0 if n_raw in ("a", "one", "un", "una") else number_value(n_raw)
    if unit.startswith(("day", "dia")):
        return n / 365
    if unit.startswith(("week", "seman")):
        return n / 52
    if unit.startswith(("mes", "month")):
        return n / 12
    if unit.startswith(("quarter", "trimes")):
        return n / 4
    return n


def _durations(f: str) -> list[TimeAnchor]:
    """ "within 18 months", unless it defines the indicator ("within 12 months of placement")."""
    out = []
    for m in rx.DURATION_RX.finditer(f):
        if rx.DURATION_DEF_NEXT_RX.match(f, m.end()):
            continue
        out.append(TimeAnchor(m.start(), m.end(), None, duration_years(m.group(0)), False))
    return out


def _relatives(f: str) -> list[tuple[TimeAnchor, tuple[int, int]]]:
    """ "next year", "this winter", "the end of the decade", each with the span it takes."""
    out = []
    for m in rx.RELATIVE_RX.finditer(f):
        s, e = m.span()
        cue = rx.DEADLINE_CUE_RX.search(f, max(0, s - 40), s)
        start = cue.start() if cue else s
        anchor = TimeAnchor(start, e, None, _relative_horizon(m.group(0)), bool(cue))
        out.append((anchor, (s, e)))
    return out


def _relative_horizon(phrase: str) -> float:
    if "decad" in phrase:
        return 4.0
    if any(w in phrase for w in ("next", "proxim", "siguiente", "viene")):
        return 1.0
    return 0.5


def _dated(
    goal: GoalText, taken: list[tuple[int, int]]
) -> tuple[list[TimeAnchor], list[tuple[int, int]]]:
    """Months, seasons, years and fiscal years not inside a duration or relative period."""
    f = goal.folded
    found: list[TimeAnchor] = []
    past: list[tuple[int, int]] = []
    for m in rx.DATED_RX.finditer(f):
        s, e = m.span()
        if any(s < te and e > ts for ts, te in taken):
            continue
        year = _year_of(m)
        prev = f[max(0, s - 40) : s]
        cue = rx.DEADLINE_CUE_RX.search(prev)
        if cue:
            horizon = None if year is None else float(year - goal.ref_year)
            found.append(TimeAnchor(max(0, s - 40) + cue.start(), e, year, horizon, True))
        elif year is None:
            # a month or season without a year needs a cue ("in June", "this winter")
            if (m.group("month") or m.group("season")) and rx.IN_PERIOD_CUE_RX.search(prev):
                start = s - len(prev) + prev.rfind(" ", 0, len(prev) - 1) + 1
                found.append(TimeAnchor(start, e, None, 0.5, False))
        elif _is_past(goal, prev, e, year):
            past.append((s, e))
        else:
            found.append(TimeAnchor(s, e, year, float(year - goal.ref_year), False))
    return found, past


def _year_of(m: re.Match[str]) -> int | None:
    if m.group("fy2"):
        return 2000 + int(m.group("fy2"))
    for g in ("my", "sy", "y"):
        if m.group(g):
            return int(m.group(g))
    return None


def _is_past(goal: GoalText, prev: str, end: int, year: int) -> bool:
    """A year without a deadline cue that is past, or part of a past or context phrase."""
    return bool(
        rx.PAST_CUE_RX.search(prev)
        or rx.PAST_CONTEXT_NEXT_RX.match(goal.folded, end)
        or rx.BASELINE_WINDOW_RX.search(prev)
        or year < goal.ref_year
    )
