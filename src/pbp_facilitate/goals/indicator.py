"""A goal's indicator: what is measured, from where, to where, by when, and by which groups.

:func:`parse_indicator` reads it from the goal's own words, with the same one pass the checker
makes (:mod:`._findings`): "from 40% in 2024 to 60% by 2030" gives the baseline 40 (2024), the
target 60 (2030) and the direction *up*; "cut ... in half by 2028" gives a relative target that
becomes a value once a baseline is set. :meth:`Indicator.updated` sets or corrects any part;
what a person set is kept when the goal's text is edited (:meth:`Indicator.reparsed`).

Periods (of a baseline, a target or a partner's value) are read by :func:`parse_period`:
``2024``, ``2024-25`` (a school or fiscal year, placed at its end), ``FY2025``, ``2024-Q3``,
``2024-09`` and ``2024-09-30``; each is also a decimal year for the target path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..errors import ValidationError
from ..text import fold
from . import patterns as rx
from ._criteria import equity_signals, specific
from ._findings import Findings, find
from ._goal import GoalText
from ._numbers import Quantity, is_relative
from ._rewrite import indicator_phrase
from .messages import detect_language

__all__ = ["Point", "Indicator", "parse_indicator", "parse_period", "DIRECTIONS"]

DIRECTIONS = ("up", "down")
"""Which way an indicator should move."""

_FIELDS = ("name", "unit", "baseline", "target", "direction", "by")

_DOWN_RX = re.compile(
    r"(?<!\w)(?:reduc\w*|cut\w*|decreas\w*|lower\w*|halv\w*|drop\w*|shrink\w*|end(?:ing)?|"
    r"eliminat\w*|prevent\w*|minimi[sz]\w*|clos\w* the gap|reducir\w*|reduzca\w*|disminu\w*|"
    r"bajar\w*|recort\w*|eliminar\w*|cerrar la brecha|menos)(?!\w)"
)
_UP_RX = re.compile(
    r"(?<!\w)(?:increas\w*|rais\w*|grow\w*|expand\w*|doubl\w*|tripl\w*|boost\w*|improv\w*|"
    r"lift\w*|add\w*|aument\w*|increment\w*|elev\w*|ampli\w*|duplic\w*|tripli\w*|mejor\w*|"
    r"subir\w*|crec\w*|more)(?!\w)"
)
_FROM_BEFORE_RX = re.compile(r"(?:from|de|del|desde)\s*$")
_FROM_TO_BETWEEN_RX = re.compile(
    r"\s*(?:\(?\s*(?:in|en(?: el)?|as of)?\s*(?:19|20)\d\d\s*\)?\s*)?,?\s*(?:to|a|al|hasta)\s*"
)
_BASE_YEAR_AFTER_RX = re.compile(
    r"\s*\(?\s*(?:in|en(?: el(?: ano)?)?|as of|during|durante|for|\()?\s*((?:19|20)\d\d)(?!\d)"
)
_MONTH_YEAR_RX = re.compile(rf"({rx.lx.MONTHS})\.?(?: de)?\s+(?:del?\s+)?((?:19|20)\d\d)")
_RANGE_RX = re.compile(r"((?:19|20)\d\d)\s*[-/]\s*(\d{4}|\d{2})(?!\d)")
_FY_RX = re.compile(r"(?<!\w)fy\s?-?(\d{4}|\d{2})(?!\d)")
_COUNT_NAME_RX = re.compile(r"(?<!\w)(?:number|count|numero|cantidad|total)(?!\w)")
_YEAR_RX = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")

_MONTH_NUMBER = {
    **{m: i + 1 for i, m in enumerate(
        "january february march april may june july august september october november december"
        .split())},  # fmt: skip
    **{m: i + 1 for i, m in enumerate(
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
        .split())},  # fmt: skip
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12, "setiembre": 9,
}  # fmt: skip

_RATIOS = (  # (folded words, factor when the goal goes down, factor when it goes up)
    (("in half", "by half", "halve", "la mitad", "a la mitad", "por la mitad"), 0.5, 1.5),
    (("double", "duplicar", "twice"), 0.5, 2.0),
    (("triple", "triplicar"), 1 / 3, 3.0),
    (("a third", "one third", "one-third", "un tercio", "1/3"), 2 / 3, 4 / 3),
    (("a quarter", "one quarter", "one-quarter", "una cuarta parte", "1/4"), 0.75, 1.25),
    (("a fifth", "one fifth", "one-fifth", "una quinta parte", "1/5"), 0.8, 1.2),
)


def _number(value: float) -> int | float:
    """A value as JSON shows it: ``40`` rather than ``40.0``."""
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else round(value, 6)


@dataclass(frozen=True, slots=True)
class Point:
    """A value at a time: a baseline or a target.

    Attributes
    ----------
    value : float or None
        The value (None when only the time is known).
    year : int or None
        Its year.
    date : str or None
        A finer period when known (``"2028-06"``, ``"2024-25"``): see :func:`parse_period`.
    """

    value: float | None = None
    year: int | None = None
    date: str | None = None

    @property
    def at(self) -> float | None:
        """The time as a decimal year (None when unknown)."""
        if self.date:
            return parse_period(self.date)[1]
        return None if self.year is None else float(self.year)

    def to_dict(self) -> dict[str, Any]:
        """``{"value": 40, "year": 2024}`` (with ``"date"`` when finer than a year)."""
        out: dict[str, Any] = {
            "value": None if self.value is None else _number(self.value),
            "year": self.year,
        }
        if self.date:
            out["date"] = self.date
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Point | None:
        """Rebuild a point from :meth:`to_dict` (None stays None)."""
        if not data:
            return None
        value = data.get("value")
        return cls(
            None if value is None else float(value),
            None if data.get("year") is None else int(data["year"]),
            data.get("date") or None,
        )


@dataclass(frozen=True, slots=True)
class Indicator:
    """What a goal measures and the change it commits to.

    Attributes
    ----------
    name : str or None
        The indicator as the goal names it ("chronic absenteeism").
    unit : str
        ``"%"`` for percentages and points, ``"$"`` for money, ``""`` for counts and others.
    baseline, target : Point or None
        Where it starts and where it should be (value and year or date).
    direction : {"up", "down"} or None
        Which way is better.
    by : tuple of str
        The groupings it is reported by ("race and ethnicity").
    change : dict or None
        A relative target waiting for a baseline: ``{"factor": 0.5}`` ("in half") or
        ``{"points": -5}`` ("by 5 points"); the target value is computed from the baseline.
    set_fields : tuple of str
        The parts a person set (kept when the goal's text changes).
    """

    name: str | None = None
    unit: str = ""
    baseline: Point | None = None
    target: Point | None = None
    direction: str | None = None
    by: tuple[str, ...] = ()
    change: dict[str, float] | None = None
    set_fields: tuple[str, ...] = field(default=())

    @property
    def target_value(self) -> float | None:
        """The target value, computed from a relative change once the baseline is known."""
        if self.target is not None and self.target.value is not None:
            return self.target.value
        if self.change and self.baseline is not None and self.baseline.value is not None:
            b = self.baseline.value
            if "factor" in self.change:
                return b * self.change["factor"]
            if "points" in self.change:
                return b + self.change["points"]
        return None

    @property
    def is_count(self) -> bool:
        """Whether it counts people or things ("the number of families"): groups of different
        sizes cannot be compared by their counts, so progress shows no gaps between them."""
        return not self.unit and bool(_COUNT_NAME_RX.search(fold(self.name or "")))

    @property
    def resolved_direction(self) -> str:
        """The direction, else from baseline and target, else ``"up"``."""
        if self.direction in DIRECTIONS:
            return self.direction
        t = self.target_value
        if t is not None and self.baseline is not None and self.baseline.value is not None:
            return "down" if t < self.baseline.value else "up"
        return "up"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``goals list --json``): baseline and target as ``{"value", "year"}``."""
        target = self.target
        tv = self.target_value
        if tv is not None and (target is None or target.value is None):
            target = Point(tv, target.year if target else None, target.date if target else None)
        return {
            "name": self.name,
            "unit": self.unit,
            "baseline": None if self.baseline is None else self.baseline.to_dict(),
            "target": None if target is None else target.to_dict(),
            "direction": self.resolved_direction if (self.direction or tv is not None) else None,
            "by": list(self.by),
            "change": self.change,
            "set": list(self.set_fields),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Indicator:
        """Rebuild an indicator from :meth:`to_dict` (``{}`` is an empty indicator)."""
        data = data or {}
        change = data.get("change")
        target = Point.from_dict(data.get("target"))
        if change and target is not None and target.value is not None:
            # the stored target value was computed from the change: keep the rule, not the number
            if "target" not in (data.get("set") or ()):
                target = Point(None, target.year, target.date)
        return cls(
            name=data.get("name"),
            unit=str(data.get("unit") or ""),
            baseline=Point.from_dict(data.get("baseline")),
            target=target,
            direction=data.get("direction") if data.get("direction") in DIRECTIONS else None,
            by=tuple(str(x) for x in data.get("by") or ()),
            change=dict(change) if change else None,
            set_fields=tuple(str(x) for x in data.get("set") or ()),
        )

    def updated(
        self,
        *,
        name: str | None = None,
        unit: str | None = None,
        baseline: float | None = None,
        baseline_year: str | int | None = None,
        target: float | None = None,
        target_year: str | int | None = None,
        direction: str | None = None,
        by: Iterable[str] | None = None,
    ) -> Indicator:
        """Return a copy with the given parts set (and remembered as set by a person).

        ``baseline_year`` and ``target_year`` take a year or a period (``"2028-06"``,
        ``"2027-28"``). Raises :class:`~pbp_facilitate.errors.ValidationError` for a bad
        direction, year or number.
        """
        out = self
        marks = set(self.set_fields)
        if name is not None:
            out = replace(out, name=name.strip() or None)
            marks.add("name")
        if unit is not None:
            out = replace(out, unit=unit.strip())
            marks.add("unit")
        if baseline is not None or baseline_year is not None:
            old = out.baseline or Point()
            year, when = _year_and_date(baseline_year, "baseline_year", old)
            value = _finite(baseline, "baseline") if baseline is not None else old.value
            out = replace(out, baseline=Point(value, year, when))
            marks.add("baseline")
        if target is not None or target_year is not None:
            old = out.target or Point()
            year, when = _year_and_date(target_year, "target_year", old)
            value = _finite(target, "target") if target is not None else old.value
            out = replace(out, target=Point(value, year, when))
            if target is not None:
                out = replace(out, change=None)
            marks.add("target")
        if direction is not None:
            if direction not in DIRECTIONS:
                raise ValidationError(
                    f"direction must be 'up' or 'down'; got {direction!r}. Say which way is "
                    "better for this indicator.",
                    field="direction",
                )
            out = replace(out, direction=direction)
            marks.add("direction")
        if by is not None:
            groups = tuple(g.strip() for g in by if g and g.strip())
            out = replace(out, by=groups)
            marks.add("by")
        return replace(out, set_fields=tuple(f for f in _FIELDS if f in marks))

    def reparsed(self, text: str, *, reference_year: int | None = None) -> Indicator:
        """The indicator of an edited goal text: parts a person set are kept, the rest re-read."""
        fresh = parse_indicator(text, reference_year=reference_year)
        keep = set(self.set_fields)
        parts = {f: getattr(self if f in keep else fresh, f) for f in _FIELDS}
        change = self.change if "target" in keep else fresh.change
        return Indicator(**parts, change=change, set_fields=self.set_fields)


def _finite(value: Any, what: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        out = math.nan
    if not math.isfinite(out):
        raise ValidationError(
            f"{what} must be a number such as 40 or 12.5; got {value!r}.", field=what
        )
    return out


def _year_and_date(raw: Any, what: str, old: Point) -> tuple[int | None, str | None]:
    if raw is None:
        return old.year, old.date
    label, at = parse_period(str(raw), field=what)
    if re.fullmatch(r"\d{4}", label):
        return int(label), None
    if label.startswith("FY"):
        return int(at), None
    if re.fullmatch(r"\d{4}-\d{2}", label) and at.is_integer():
        return int(at), label  # a school year: its end
    return int(label[:4]), label


def parse_period(raw: str, *, field: str = "period") -> tuple[str, float]:
    """Read a period: return its normal label and its time as a decimal year.

    Accepted: ``2024`` (also ``2024.0`` from a spreadsheet), ``2024-25`` or ``2024-2025`` (a
    school or fiscal year, at its end: 2025.0), ``FY2025`` / ``FY25``, ``2024-Q3`` (2024.5),
    ``2024-09`` (2024 + 8/12) and ``2024-09-30``. A two-digit second part equal to the next
    year ("2024-25") is a school year, any other from 01 to 12 is a month.

    Raises
    ------
    ValidationError
        For anything else, saying what is accepted.
    """
    s = str(raw).strip().upper().replace(" ", "")
    m = re.fullmatch(r"((?:19|20)\d\d)(?:\.0+)?", s)
    if m:
        return m.group(1), float(m.group(1))
    m = re.fullmatch(r"FY-?(\d{4}|\d{2})", s)
    if m:
        y = int(m.group(1)) if len(m.group(1)) == 4 else 2000 + int(m.group(1))
        return f"FY{y}", float(y)
    m = re.fullmatch(r"((?:19|20)\d\d)-?Q([1-4])", s)
    if m:
        return f"{m.group(1)}-Q{m.group(2)}", int(m.group(1)) + (int(m.group(2)) - 1) / 4
    m = re.fullmatch(r"((?:19|20)\d\d)[-/](\d{4}|\d{2})", s)
    if m:
        y, tail = int(m.group(1)), m.group(2)
        end = int(tail) if len(tail) == 4 else (y // 100) * 100 + int(tail)
        if len(tail) == 2 and end < y:
            end += 100
        if end == y + 1:
            return f"{y}-{str(end)[2:]}", float(end)
        if len(tail) == 2 and 1 <= int(tail) <= 12:
            return f"{y}-{tail}", y + (int(tail) - 1) / 12
    m = re.fullmatch(r"((?:19|20)\d\d)-(\d{2})-(\d{2})", s)
    if m:
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            d = None
        if d is not None:
            days = (date(d.year + 1, 1, 1) - date(d.year, 1, 1)).days
            return d.isoformat(), d.year + (d.timetuple().tm_yday - 1) / days
    raise ValidationError(
        f"{field} {raw!r} is not a period the kit reads; write a year (2024), a school or fiscal "
        "year (2024-25, FY2025), a quarter (2024-Q3), a month (2024-09) or a date (2024-09-30).",
        field=field,
        code="bad_period",
    )


def parse_indicator(
    text: str, *, reference_year: int | None = None, language: str | None = None
) -> Indicator:
    """Read a goal's indicator from its words (English or Spanish).

    >>> ind = parse_indicator("Raise the third-grade reading rate from 40% in 2024 to 60% by 2030.")
    >>> ind.to_dict()["baseline"], ind.to_dict()["target"], ind.direction
    ({'value': 40, 'year': 2024}, {'value': 60, 'year': 2030}, 'up')

    Parameters
    ----------
    text : str
        The goal.
    reference_year : int, optional
        The "current" year (default: today's), as for the checker.
    language : {"en", "es"}, optional
        Detected when omitted.

    Returns
    -------
    Indicator
        What the text states; parts it does not state are None (set them with
        :meth:`Indicator.updated`).
    """
    lang = language or detect_language(text or "")
    goal = GoalText.of(text or "", lang, reference_year or date.today().year)
    if not goal.text.strip():
        return Indicator()
    found = find(goal)
    spec = specific(goal, found)
    signals = equity_signals(goal)
    name = indicator_phrase(goal, found, spec)
    baseline_q, target_q = _baseline_and_target(goal, found)
    unit = _unit(goal, target_q or baseline_q)
    baseline = None
    if baseline_q is not None:
        baseline = Point(baseline_q.value, _baseline_year(goal, baseline_q), None)
    year, when = _deadline(goal, found)
    direction = _direction(goal, baseline_q, target_q)
    change = None
    target_value = None
    if target_q is not None and (baseline_q is not None or not is_relative(goal, target_q)):
        target_value = target_q.value
    elif target_q is not None:  # "by 25%", "by 5 points"
        sign = -1 if direction == "down" else 1
        if _is_points(goal, target_q) or (not target_q.pct):
            change = {"points": sign * target_q.value}
        else:
            change = {"factor": 1 + sign * target_q.value / 100}
    elif found.ratios:
        change = _ratio_change(goal, found, direction)
    target = None
    if target_value is not None or year is not None or change:
        target = Point(target_value, year, when)
    groups = (signals.groups,) if signals.groups else ()
    return Indicator(name, unit, baseline, target, direction, groups, change)


def _baseline_and_target(
    goal: GoalText, found: Findings
) -> tuple[Quantity | None, Quantity | None]:
    nums = [q for q in found.quantities if q.kind in ("target", "baseline")]
    nums = [q for q in nums if not any(s <= q.start < e for s, e in found.ratios)]
    f = goal.folded
    for a, b in zip(nums, nums[1:], strict=False):
        if _FROM_BEFORE_RX.search(
            f[max(0, a.start - 8) : a.start]
        ) and _FROM_TO_BETWEEN_RX.fullmatch(f[a.end : b.start]):
            return a, b
    base = next((q for q in nums if q.kind == "baseline"), None)
    target = next((q for q in nums if q.kind == "target"), None)
    return base, target


def _baseline_year(goal: GoalText, q: Quantity) -> int | None:
    m = _BASE_YEAR_AFTER_RX.match(goal.folded, q.end)
    return int(m.group(1)) if m else None


def _unit(goal: GoalText, q: Quantity | None) -> str:
    if q is None:
        return ""
    if q.pct:
        return "%"
    if "$" in goal.text[q.start : q.end]:
        return "$"
    return ""


def _is_points(goal: GoalText, q: Quantity) -> bool:
    return "punt" in goal.folded[q.start : q.end] or "point" in goal.folded[q.start : q.end]


def _direction(goal: GoalText, base: Quantity | None, target: Quantity | None) -> str | None:
    if base is not None and target is not None and base.value != target.value:
        return "down" if target.value < base.value else "up"
    f = goal.folded
    down = _DOWN_RX.search(f)
    up = _UP_RX.search(f)
    if down and (not up or down.start() < up.start()):
        return "down"
    if up:
        return "up"
    return None


def _ratio_change(goal: GoalText, found: Findings, direction: str | None) -> dict[str, float]:
    s, e = found.ratios[0]
    words = goal.folded[max(0, s - 8) : e + 8]
    for names, down, up in _RATIOS:
        if any(n in words for n in names):
            if names[0] in ("double", "triple"):
                return {"factor": up}
            return {"factor": down if direction != "up" else up}
    return {}


def _deadline(goal: GoalText, found: Findings) -> tuple[int | None, str | None]:
    """The target's year and, when finer, its period ("2028-06", "2027-28")."""
    if not found.times:
        return None, None
    t = next((t for t in found.times if t.lead and t.year is not None), None)
    t = t or next((t for t in found.times if t.year is not None), None) or found.times[0]
    phrase = goal.folded[t.start : t.end]
    m = _RANGE_RX.search(phrase)
    if m:
        try:
            label, at = parse_period(f"{m.group(1)}-{m.group(2)}")
        except ValidationError:
            label = ""
        if label and re.fullmatch(r"\d{4}-\d{2}", label) and at.is_integer():
            return int(at), label
    m = _FY_RX.search(phrase)
    if m:
        y = int(m.group(1)) if len(m.group(1)) == 4 else 2000 + int(m.group(1))
        return y, None
    m = _MONTH_YEAR_RX.search(phrase)
    if m and m.group(1) in _MONTH_NUMBER:
        return int(m.group(2)), f"{m.group(2)}-{_MONTH_NUMBER[m.group(1)]:02d}"
    if t.year is not None:
        return t.year, None
    if t.horizon is not None:
        return math.ceil(goal.ref_year + t.horizon), None
    return None, None
