"""The *achievable* criterion: is the pace of change plausible?

Advice, not part of the verdict's core. A change is judged when the goal has
a target, a starting point (a baseline, or a relative change such as "by
25%", "in half", "to zero") and a time frame: a percentage may move at most
:data:`PACE_MAX_POINTS_PER_YEAR` points a year, a count or amount may at most
double or halve :data:`PACE_MAX_DOUBLINGS_PER_YEAR` times a year. A deadline
in the past, or a share outside 0-100 %, is flagged too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..i18n import format_number, ngettext
from . import patterns as rx
from ._dates import TimeAnchor
from ._findings import Findings
from ._goal import GoalText
from ._numbers import Quantity, is_relative
from .messages import message
from .report import CriterionResult

__all__ = ["PACE_MAX_POINTS_PER_YEAR", "PACE_MAX_DOUBLINGS_PER_YEAR", "achievable", "horizon"]

PACE_MAX_POINTS_PER_YEAR = 10.0
"""Achievable: a percentage may move at most this many points a year."""

PACE_MAX_DOUBLINGS_PER_YEAR = 1.0
"""Achievable: a count or amount may at most double (or halve) once a year."""


@dataclass(frozen=True, slots=True)
class _Change:
    """The change a goal asks for: percentage points, or a factor (0 for "to zero")."""

    points: float | None
    ratio: float | None
    spans: list[tuple[int, int]]


def achievable(goal: GoalText, found: Findings) -> CriterionResult:
    """Judge the pace of change (see the module); passes when it cannot be judged."""
    lang = goal.lang
    past = _past_deadline(goal, found.times)
    if past is not None:
        return past
    if not found.is_goal or not (found.targets or found.ratios or found.zeros):
        return CriterionResult("achievable", True, (), message(lang, "ach_nothing"), None)
    out_of_range = _share_out_of_range(goal, found.targets)
    if out_of_range is not None:
        return out_of_range
    years = horizon(goal, found)
    change = _change(goal, found)
    if change is None:
        return CriterionResult(
            "achievable",
            True,
            (),
            message(lang, "ach_nobaseline"),
            message(lang, "ach_nobaseline_sug"),
        )
    if years is None:
        return CriterionResult(
            "achievable", True, (), message(lang, "ach_notime"), message(lang, "ach_notime_sug")
        )
    return _judge(goal, change, years)


def _past_deadline(goal: GoalText, times: list[TimeAnchor]) -> CriterionResult | None:
    for t in times:
        if t.year is not None and t.lead and t.year < goal.ref_year:
            return CriterionResult(
                "achievable",
                False,
                (goal.evidence(t.start, t.end),),
                message(goal.lang, "ach_past", year=t.year),
                message(goal.lang, "ach_past_sug"),
            )
    return None


def _share_out_of_range(goal: GoalText, targets: list[Quantity]) -> CriterionResult | None:
    """A target share outside 0-100 % (a relative "by 150%" or "points" is fine)."""
    for q in targets:
        unit_text = goal.folded[q.start : q.end]
        if (
            q.pct
            and not (0 <= q.value <= 100)
            and not is_relative(goal, q)
            and "point" not in unit_text
            and "punto" not in unit_text
        ):
            return CriterionResult(
                "achievable",
                False,
                (goal.evidence(q.start, q.end),),
                message(goal.lang, "ach_bad_pct", val=_num(goal.lang, q.value)),
                message(goal.lang, "ach_fast_sug"),
            )
    return None


def _change(goal: GoalText, found: Findings) -> _Change | None:
    """The change asked for, from a baseline, a relative amount, a ratio word or zero."""
    f = goal.folded
    baselines = found.baselines
    target = found.targets[0] if found.targets else None
    dec = bool(rx.DEC_VERBS_RX.search(f))
    inc = bool(rx.INC_VERBS_RX.search(f))
    points: float | None = None
    ratio: float | None = None
    spans: list[tuple[int, int]] = []
    if baselines and target is not None:
        b = baselines[0]
        spans = [(b.start, b.end), (target.start, target.end)]
        if b.pct and target.pct:
            points = abs(target.value - b.value)
        elif b.value > 0 and target.value > 0:
            ratio = target.value / b.value
        elif target.value == 0:
            ratio = 0.0
    elif target is not None and is_relative(goal, target) and (dec or inc):
        # relative change: "reduce ... by 25%", "en un 25 %"
        spans = [(target.start, target.end)]
        unit_text = f[target.start : target.end]
        if "point" in unit_text or "punto" in unit_text:
            points = target.value
        elif target.pct and dec and target.value >= 100:
            ratio = 0.0  # "reduce by 100%": to zero
        elif target.pct:
            ratio = 1 - target.value / 100 if dec else 1 + target.value / 100
    elif found.ratios:
        s, e = found.ratios[0]
        spans = [(s, e)]
        ratio = _ratio_factor(f[s:e], dec)
    elif found.zeros and not found.targets:
        spans = [found.zeros[0]]
        ratio = 0.0
    if points is None and ratio is None:
        return None
    return _Change(points, ratio, spans)


def _ratio_factor(word: str, decrease: bool) -> float | None:
    for pattern, factor in rx.RATIO_VALUES:
        if pattern.search(word):
            return factor
    if decrease and rx.THIRD_RX.search(word):
        return 2 / 3
    return None


def horizon(goal: GoalText, found: Findings) -> float | None:
    """Years between the baseline (or now) and the furthest deadline, or None without one."""
    f = goal.folded
    base_year = goal.ref_year
    # a baseline year stated in the text ("up from 41% in 2023")
    years_past = [int(y) for y in rx.YEAR_WORD_RX.findall(f) if int(y) < goal.ref_year]
    if rx.BASELINE_YEAR_CUE_RX.search(f) and years_past and found.baselines:
        base_year = max(years_past)
    best: float | None = None
    for t in found.times:
        h = float(t.year - base_year) if t.year is not None else t.horizon
        if h is None:
            continue
        h = max(h, 0.5 if t.year is None else 1.0)
        best = h if best is None else max(best, h)
    return best


def _judge(goal: GoalText, change: _Change, years: float) -> CriterionResult:
    lang = goal.lang
    ev = goal.evidences(change.spans)
    span = ngettext(lang, "goals.pace_years", years, n=_num(lang, years))
    fast = message(lang, "ach_fast_sug")
    if change.points is not None:
        per = change.points / years
        pace = ngettext(
            lang,
            "goals.pace_points",
            change.points,
            n=_num(lang, change.points),
            span=span,
            per=_num(lang, per, 1),
        )
        if per > PACE_MAX_POINTS_PER_YEAR:
            reason = message(
                lang, "ach_fast_pts", pace=pace, lim=_num(lang, PACE_MAX_POINTS_PER_YEAR)
            )
            return CriterionResult("achievable", False, ev, reason, fast)
        return CriterionResult("achievable", True, ev, message(lang, "ach_ok", pace=pace))
    ratio = change.ratio
    assert ratio is not None
    if ratio == 0.0:
        if years < 1:
            return CriterionResult("achievable", False, ev, message(lang, "ach_fast_zero"), fast)
        pace = message(lang, "pace_zero", span=span)
        return CriterionResult("achievable", True, ev, message(lang, "ach_ok", pace=pace))
    doublings = abs(math.log2(ratio)) / years
    pace = message(lang, "pace_ratio", ratio=_num(lang, ratio, _two_significant(ratio)), span=span)
    if doublings > PACE_MAX_DOUBLINGS_PER_YEAR:
        return CriterionResult(
            "achievable", False, ev, message(lang, "ach_fast_rel", pace=pace), fast
        )
    return CriterionResult("achievable", True, ev, message(lang, "ach_ok", pace=pace))


def _num(lang: str, value: float, digits: int = 2) -> str:
    """A number in ``lang``'s writing, trailing zeros dropped (``2.5`` / ``2,5``; ``4``)."""
    return format_number(lang, value, digits, trim=True)


def _two_significant(value: float) -> int:
    """Decimal places that keep two significant digits of ``value`` (``0.25`` -> 2, ``12`` -> 0)."""
    if value == 0 or not math.isfinite(value):
        return 0
    return max(0, 1 - math.floor(math.log10(abs(value))))
