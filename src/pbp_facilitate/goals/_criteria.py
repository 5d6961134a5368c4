"""The criteria that read the words of a goal: specific, measurable, time-bound, equity, relevant.

One function per criterion, each returning its :class:`~.report.CriterionResult`
with evidence spans and a reason in the goal's language. *Achievable* (the
pace of change) is in :mod:`._pace`. docs/goals.md states these rules in
plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lx
from . import patterns as rx
from ._findings import Findings
from ._goal import GoalText, dedupe
from ._themes import Theme, theme_hits
from .messages import message, quote
from .report import CriterionResult

__all__ = [
    "EquitySignals",
    "specific",
    "measurable",
    "time_bound",
    "equity_signals",
    "equity",
    "relevant",
]

Span = tuple[int, int]


# -- specific ---------------------------------------------------------------------------


def specific(goal: GoalText, found: Findings) -> CriterionResult:
    """Names a concrete outcome: an indicator, the object of a change verb, a counted noun."""
    countables = found.zeros + found.everys
    spans = (
        _indicator_spans(goal)
        + _change_object_spans(goal)
        + _es_counted_object_spans(goal, found)
        + _counted_noun_spans(goal, [(q.start, q.end) for q in found.targets] + found.ratios)
        + _countable_population_spans(goal, countables)
    )
    spans = [_without_goal_verb(goal, s, e) for s, e in dedupe(spans, goal.folded)]
    if spans:
        ev = goal.evidences(spans[:4])
        reason = message(goal.lang, "spec_pass", ev=quote(e.text for e in ev[:3]))
        return CriterionResult("specific", True, ev, reason)
    return CriterionResult(
        "specific", False, (), message(goal.lang, "spec_fail"), message(goal.lang, "spec_sug")
    )


def _indicator_spans(goal: GoalText) -> list[Span]:
    """Indicator terms ("graduation rate"), unless a vague head precedes them."""
    f = goal.folded
    out = []
    for m in rx.INDICATOR_RX.finditer(f):
        s, e = m.span()
        if not rx.VAGUE_HEAD_PREV_RX.search(f, max(0, s - 45), s):
            out.append((s, e))
    return out


def _change_object_spans(goal: GoalText) -> list[Span]:
    """The object of a change verb, unless its head is vague.

    "reduce lead poisoning" passes; "improve quality of life" and "increase
    civic engagement" do not.
    """
    f = goal.folded
    out = []
    for m in rx.CHANGE_OBJECT_RX.finditer(f):
        s, e = m.span(1)
        stop = rx.OBJECT_STOP_RX.search(f, s, e)
        if stop:
            e = stop.start()
        words = [w for w in f[s:e].split() if w not in lx.STOPWORDS]
        if not words:
            continue
        head = words[0] if goal.es else words[-1]
        if head in lx.VAGUE_OBJECT_HEADS or head in lx.VAGUE_NOUNS:
            continue
        if rx.QTY_RX.fullmatch(words[-1]) or rx.RATIO_RX.search(f, s, e):
            continue
        out.append((s, e))
    return out


_ES_COUNTED_OBJECT_RX = re.compile(
    r"\s+((?:los|las|el|la)\s+(?!de\b|que\b)[a-z][\w-]+(?:\s+(?!que\b)[a-z][\w-]+){0,4}"
    r"\s+que\s+[a-z][\w-]+(?:\s+(?!para\b|antes\b|hasta\b|despues\b)[a-z][\w-]+){0,4})"
)


def _es_counted_object_spans(goal: GoalText, found: Findings) -> list[Span]:
    """Spanish "aumentar de 40% a 60% los estudiantes ... que participan en X": what is counted.

    After the target of a "de X a Y" change, an article, a noun phrase and a relative clause
    name the indicator (the students who take part in free programs), as "the share of ... who"
    does in English.
    """
    out = []
    for q in found.targets:
        m = _ES_COUNTED_OBJECT_RX.match(goal.folded, q.end)
        if not m:
            continue
        noun = m.group(1).split()[1]
        if noun in lx.VAGUE_NOUNS or noun in lx.STOPWORDS:
            continue
        out.append(m.span(1))
    return out


def _counted_noun_spans(goal: GoalText, amounts: list[Span]) -> list[Span]:
    """A counted noun is a concrete outcome: "500 more children", "1 in 3 residents"."""
    f = goal.folded
    out = []
    for s, e in amounts:
        m = rx.QTY_NOUN_NEXT_RX.match(f, e)
        if not m:
            continue
        noun = m.group(1).split()[0]
        if noun in lx.VAGUE_NOUNS or noun in lx.STOPWORDS or rx.ORG_NOUN_RX.match(m.group(1)):
            continue
        out.append((s, m.end(1)))
    return out


def _countable_population_spans(goal: GoalText, countables: list[Span]) -> list[Span]:
    """ "every third grader", "ninguna familia": a countable population."""
    out = []
    for s, e in countables:
        noun = goal.folded[s:e].split()[-1]
        if (
            rx.NOUN_RX.fullmatch(noun)
            and noun not in lx.STOPWORDS
            and noun not in ("zero", "cero")
            and noun not in lx.VAGUE_NOUNS
        ):
            out.append((s, e))
    return out


def _without_goal_verb(goal: GoalText, s: int, e: int) -> Span:
    """Drop a leading goal verb from a span ("reduce lead poisoning" -> "lead poisoning")."""
    first = rx.WORD_RX.match(goal.folded, s)
    if first and first.group(0) in lx.EN_GOAL_VERBS and first.end() < e:
        return first.end(), e
    return s, e


# -- measurable -------------------------------------------------------------------------


def measurable(goal: GoalText, found: Findings) -> CriterionResult:
    """Sets a quantified target: a number, a ratio, zero or every."""
    lang = goal.lang
    spans = dedupe(
        [(q.start, q.end) for q in found.targets] + found.ratios + found.zeros + found.everys
    )
    if found.is_goal and spans:
        ev = goal.evidences(spans[:4])
        reason = message(lang, "meas_pass", ev=quote(e.text for e in ev))
        return CriterionResult("measurable", True, ev, reason)
    suggestion = message(lang, "meas_sug")
    if not found.is_goal:
        reason = message(lang, "meas_fail_notgoal")
        return CriterionResult("measurable", False, (), reason, suggestion)
    others = [q for q in found.quantities if q.kind in ("baseline", "excluded")]
    if others:
        ev = goal.evidences((q.start, q.end) for q in others[:4])
        only = message(lang, "meas_fail_only", ev=quote(e.text for e in ev))
        reason = message(lang, "meas_fail") + " " + only
        return CriterionResult("measurable", False, ev, reason, suggestion)
    return CriterionResult("measurable", False, (), message(lang, "meas_fail"), suggestion)


# -- time-bound -------------------------------------------------------------------------


def time_bound(goal: GoalText, found: Findings) -> CriterionResult:
    """Has a future deadline or time frame; names the vague word or past date otherwise."""
    lang = goal.lang
    if found.times:
        ev = goal.evidences((t.start, t.end) for t in found.times[:3])
        reason = message(lang, "time_pass", ev=quote(e.text for e in ev))
        return CriterionResult("time_bound", True, ev, reason)
    suggestion = message(lang, "time_sug")
    vague = [m.span() for m in rx.VAGUE_TIME_RX.finditer(goal.folded)]
    if vague:
        ev = goal.evidences(vague[:2])
        reason = message(lang, "time_fail_vague", vague=ev[0].text)
        return CriterionResult("time_bound", False, ev, reason, suggestion)
    if found.past_dates:
        ev = goal.evidences(found.past_dates[:3])
        reason = message(lang, "time_fail_past", ev=quote(e.text for e in ev))
        return CriterionResult("time_bound", False, ev, reason, suggestion)
    return CriterionResult("time_bound", False, (), message(lang, "time_fail"), suggestion)


# -- equity -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EquitySignals:
    """What a goal says about who is most impacted.

    Attributes
    ----------
    spans : list of (int, int)
        Populations, disparities and disaggregation, joined where they overlap.
    population : (int, int) or None
        The first population named (not just "racial"), for the rewrite.
    groups : str or None
        The groups it reports by ("race and ethnicity"), from the original text.
    """

    spans: list[Span]
    population: Span | None
    groups: str | None


def equity_signals(goal: GoalText) -> EquitySignals:
    """Find the populations, disparities and disaggregation of ``goal``."""
    pop_spans, population = _population_spans(goal)
    dis_spans, groups = _disaggregation_spans(goal)
    spans = dedupe(pop_spans + _disparity_spans(goal) + dis_spans)
    return EquitySignals(spans, population, groups)


def _population_spans(goal: GoalText) -> tuple[list[Span], Span | None]:
    """Population terms widened to their noun phrase ("students experiencing homelessness")."""
    f = goal.folded
    spans: list[Span] = []
    first: Span | None = None
    for m in rx.POP_RX.finditer(f):
        s, e = m.span()
        left = rx.POP_LEFT_RX.search(f, max(0, s - 40), s)
        if left:
            s = left.start(1)
        right = rx.POP_RIGHT_RX.search(f[e : e + 40])
        if right:
            e = e + right.end(1)
        spans.append((s, e))
        if first is None and not rx.POP_ADJ_RX.fullmatch(f[s:e]):
            first = (s, e)
    return spans, first


def _disparity_spans(goal: GoalText) -> list[Span]:
    """Gaps and disparities, but not a funding or skills gap."""
    f = goal.folded
    out = []
    for m in rx.DISP_RX.finditer(f):
        if rx.DISP_EXCLUDE_RX.fullmatch(m.group(0).strip()) or rx.DISP_EXCLUDE_RX.search(
            f, max(0, m.start() - 12), m.end()
        ):
            continue
        out.append(m.span())
    return out


def _disaggregation_spans(goal: GoalText) -> tuple[list[Span], str | None]:
    """Reporting by group ("by race and ethnicity"), and the first groups named."""
    spans: list[Span] = []
    groups: str | None = None
    for m in rx.DISAGG_RX.finditer(goal.folded):
        spans.append(m.span())
        g = rx.DISAGG_GROUPS_RX.search(m.group(0))
        if g and groups is None:
            groups = goal.text[m.start() + g.start(1) : m.end()].strip(" ,")
    return spans, groups


def equity(goal: GoalText, signals: EquitySignals) -> CriterionResult:
    """Centers those most impacted; names a generic equity word that does not."""
    lang = goal.lang
    if signals.spans:
        ev = goal.evidences(signals.spans[:4])
        reason = message(lang, "eq_pass", ev=quote(e.text for e in ev[:3]))
        return CriterionResult("equity", True, ev, reason)
    suggestion = message(lang, "eq_sug")
    generic = [m.span() for m in rx.GENERIC_EQ_RX.finditer(goal.folded)]
    if generic:
        ev = goal.evidences(generic[:3])
        reason = message(lang, "eq_fail") + " " + message(lang, "eq_fail_generic", gen=ev[0].text)
        return CriterionResult("equity", False, ev, reason, suggestion)
    return CriterionResult("equity", False, (), message(lang, "eq_fail"), suggestion)


# -- relevant ---------------------------------------------------------------------------


def relevant(
    goal: GoalText,
    themes: list[Theme],
    not_topic: list[Span] = (),  # type: ignore[assignment]
) -> tuple[CriterionResult, tuple[str, ...]]:
    """Addresses a session theme; not judged (passes) without themes.

    ``not_topic``: spans that do not say what the goal is about (populations, gaps, dates).

    Returns
    -------
    (CriterionResult, tuple of str)
        The result and the labels of the themes matched.
    """
    lang = goal.lang
    if not themes:
        return CriterionResult("relevant", True, (), message(lang, "rel_none"), None), ()
    matched, spans = theme_hits(goal, themes, not_topic)
    if matched:
        ev = goal.evidences(dedupe(spans)[:4])
        reason = message(lang, "rel_pass", themes=quote(matched))
        return CriterionResult("relevant", True, ev, reason), tuple(matched)
    labels = quote(t.label for t in themes)
    reason = message(lang, "rel_fail", themes=labels)
    return CriterionResult(
        "relevant", False, (), reason, message(lang, "rel_sug", themes=labels)
    ), ()
