"""The rewrite: the goal recast in the template of docs/goals.md.

"By [date], [indicator] for [population] moves from [baseline] to [target],
reported by [groups]." Each slot takes what the goal already says; a
bracketed placeholder marks what is missing.
"""

from __future__ import annotations

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
    pop = signals.population
    population = goal.text[pop[0] : pop[1]] if pop else ph["population"]
    if pop and spec.passed and population in indicator:
        population = ""  # the indicator already names who
    baselines = found.baselines
    baseline = goal.text[baselines[0].start : baselines[0].end] if baselines else ph["baseline"]
    values = {
        "when": when,
        "indicator": indicator,
        "baseline": baseline,
        "target": _target(goal, found, ph["target"]),
        "groups": signals.groups or ph["groups"],
    }
    if population:
        return message(lang, "rewrite_for", population=population, **values)
    return message(lang, "rewrite", **values)


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
