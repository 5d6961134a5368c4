"""The rewrite: the goal recast in the template of docs/goals.md.

"By [date], [indicator] for [population] moves from [baseline] to [target],
reported by [groups]." Each slot takes what the goal already says; a
bracketed placeholder marks what is missing.

The rewrite keeps the goal's meaning: its place stays with the indicator
("chronic absenteeism in Eastside schools"), a population named only in a gap
to close ("closing the gap for Black and Latino students") stays in that gap
clause instead of becoming the population the target is for, and a goal that
names the groups whose gap it closes is not asked for [groups].
"""

from __future__ import annotations

import re
from functools import cache

from . import patterns as rx
from ._criteria import EquitySignals
from ._findings import Findings
from ._goal import GoalText
from ._numbers import is_relative
from .messages import message
from .report import CriterionResult

__all__ = ["rewrite", "empty_rewrite", "indicator_phrase"]


def empty_rewrite(lang: str) -> str:
    """The template with every slot a placeholder (for empty text)."""
    ph = _placeholders(lang)
    when = message(lang, "rewrite_when", date=ph["date"])
    return message(
        lang,
        "rewrite_for",
        when=when,
        indicator=ph["indicator"],
        population=ph["population"],
        baseline=ph["baseline"],
        target=ph["target"],
        groups=ph["groups"],
    )


def rewrite(goal: GoalText, found: Findings, spec: CriterionResult, signals: EquitySignals) -> str:
    """Fill the template from the goal's deadline, indicator, population, numbers and groups."""
    lang = goal.lang
    ph = _placeholders(lang)
    indicator = indicator_phrase(goal, found, spec)
    if indicator is None:
        indicator = ph["indicator"]
    when = _when(goal, found)
    if when is None:
        when = message(lang, "rewrite_when", date=ph["date"])
    if indicator != ph["indicator"]:
        indicator = _with_place(goal, indicator)
    gap = _gap_clause(goal, signals)
    pop = signals.population
    if gap is not None and pop is not None and gap[0] <= pop[0] < gap[1]:
        pop = None  # named in the gap to close, not the population the target is for
    population = goal.text[pop[0] : pop[1]] if pop else ph["population"]
    if pop and spec.passed and population in indicator:
        population = ""  # the indicator already names who
    if gap is not None and not pop:
        population = ""
    baselines = found.baselines
    baseline = goal.text[baselines[0].start : baselines[0].end] if baselines else ph["baseline"]
    values = {
        "when": when,
        "indicator": indicator,
        "baseline": baseline,
        "target": _target(goal, found, ph["target"]),
        "groups": signals.groups or ph["groups"],
    }
    if gap is not None and _inside(goal, indicator, gap):
        # the gap is what is measured: "the gap in kindergarten readiness between ..."
        noun = _GAP_NOUN_RX.search(goal.folded, gap[0], gap[1])
        start = noun.start() if noun else gap[0]
        values["indicator"] = _with_place(goal, goal.text[start : gap[1]].strip(" ,.;"))
        return message(lang, "rewrite" if signals.groups else "rewrite_plain", **values)
    if gap is not None:
        gap_text = goal.text[gap[0] : gap[1]].strip(" ,.;")
        key = "rewrite_gap_groups" if signals.groups else "rewrite_gap"
        if population:
            values["indicator"] = f"{values['indicator']} {_for(lang)} {population}"
        return message(lang, key, gap=gap_text, **values)
    if population:
        return message(lang, "rewrite_for", population=population, **values)
    return message(lang, "rewrite", **values)


def _for(lang: str) -> str:
    return "de" if lang == "es" else "for"


_PLACE_RX = re.compile(
    r"\s*,?\s*((?:in|at|across|throughout|en|de|del)\s+(?:the\s+|el\s+|la\s+|los\s+|las\s+)?"
    r"(?:[A-Z][\w'\u00c0-\u024f-]*\s*){1,4}(?:schools?|neighbou?rhoods?|county|district|city|"
    r"escuelas?|barrios?|condado|distrito|ciudad)?)"
)
_GAP_RX = re.compile(
    r"(?:(?:while\s+|and\s+|y\s+)?(?:closing|close|closes|narrowing|narrow|eliminating|"
    r"cerrando|cerrar|reduciendo|reducir)\s+(?:the\s+|la\s+)?)?"
    r"(?:gap|gaps|disparit(?:y|ies)|brecha|brechas|disparidad(?:es)?)",
)


def _with_place(goal: GoalText, indicator: str) -> str:
    """The indicator with the place that follows it in the goal ("... in Eastside schools")."""
    at = goal.text.find(indicator)
    if at < 0:
        return indicator
    m = _PLACE_RX.match(goal.text, at + len(indicator))
    if not m:
        return indicator
    place = m.group(1).strip()
    words = rx.lx.MONTHS.split("|")
    if any(w.lower() in words for w in re.findall(r"[A-Za-z]+", place)[1:2]):
        return indicator  # "in June": a date, not a place
    return f"{indicator} {place}"


_GAP_NOUN_RX = re.compile(r"(?:the |la |las )?(?:gap|brecha|disparit|disparidad)")


def _inside(goal: GoalText, indicator: str, span: tuple[int, int]) -> bool:
    at = goal.text.find(indicator)
    return at >= 0 and span[0] <= at < span[1]


def _gap_clause(goal: GoalText, signals: EquitySignals) -> tuple[int, int] | None:
    """The span of "closing the gap for X" (through the population it names), if any."""
    f = goal.folded
    if "gap" not in f and "brecha" not in f and "dispar" not in f:
        return None
    for m in _GAP_RX.finditer(goal.folded):
        end = m.end()
        for s, e in signals.spans:
            between = goal.folded[m.end() : s]
            if m.end() <= s <= m.end() + 45 and e > end and not re.search(r"[,.;]", between):
                end = e
        if end > m.end():
            return m.start(), end
    return None


@cache
def _placeholders(lang: str) -> dict[str, str]:
    """The bracketed placeholders in ``lang`` (the catalogue does not change: read once)."""
    names = ("date", "indicator", "population", "baseline", "target", "groups")
    return {n: message(lang, f"ph_{n}") for n in names}


def _when(goal: GoalText, found: Findings) -> str | None:
    """The deadline: "By June 2028" from "by June 2028"; a time frame as written."""
    if not found.times:
        return None
    t = next((t for t in found.times if t.lead), found.times[0])
    raw = goal.text[t.start : t.end].strip(" ,.")
    if t.lead:
        return message(goal.lang, "rewrite_when", date=rx.TIME_LEAD_RX.sub("", raw))
    return raw[:1].upper() + raw[1:]


def indicator_phrase(goal: GoalText, found: Findings, spec: CriterionResult) -> str | None:
    """The longest evidence of *specific* that is not just a number."""
    if not spec.passed:
        return None
    targets = found.targets
    candidates = [
        e for e in spec.evidence if not any(e.start <= q.start < e.end for q in targets)
    ] or list(spec.evidence)
    best = max(candidates, key=lambda e: len(e.text))
    indicator = best.text
    for q in targets:
        if q.start == best.start:  # "1,000 units of housing" -> "units of housing"
            rest = rx.LEAD_QTY_RX.sub("", goal.text[q.end : best.end])
            indicator = rest or indicator
    return indicator


def _target(goal: GoalText, found: Findings, placeholder: str) -> str:
    """The target as written, or a placeholder with the relative change or ratio as a hint."""
    text = goal.text
    targets = found.targets
    if targets:
        q = targets[0]
        if found.baselines or not is_relative(goal, q):
            return text[q.start : q.end]
        return f"{placeholder} ({text[max(0, q.start - 3) : q.end].strip()})"
    if found.ratios:
        s, e = found.ratios[0]
        return f"{placeholder} ({text[s:e]})"
    if found.zeros:
        s, e = found.zeros[0]
        return f"{placeholder} ({text[s:e]})"
    return placeholder
