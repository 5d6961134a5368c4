"""The goal checker: :class:`GoalChecker`, :func:`check_goal` and :func:`check_goals`.

A check validates its input, reads the goal once (:mod:`._findings`), judges
each criterion (:mod:`._criteria`, :mod:`._pace`), fills the rewrite
(:mod:`._rewrite`) and returns a :class:`~.report.GoalReport`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from ..errors import ValidationError
from ._criteria import equity, equity_signals, measurable, relevant, specific, time_bound
from ._findings import find
from ._goal import GoalText
from ._pace import achievable
from ._rewrite import empty_rewrite, rewrite
from ._themes import Theme, normalize_themes
from .messages import LANGUAGES, detect_language, message
from .report import ADVICE_CRITERIA, CRITERIA, CriterionResult, GoalReport

__all__ = ["MAX_GOAL_CHARS", "GoalChecker", "check_goal", "check_goals"]

MAX_GOAL_CHARS = 2000
"""Longest text accepted as one goal."""

Themes = Sequence[str | Mapping[str, Any]] | None


class GoalChecker:
    """Reusable checker; :func:`check_goal` uses a shared default instance.

    Parameters
    ----------
    reference_year : int, optional
        The "current" year used to tell future from past years that carry
        no cue ("in 2027" vs "in 2019") and to judge the pace of change.
        Default: today's year, read at each check.
    """

    def __init__(self, *, reference_year: int | None = None) -> None:
        if reference_year is not None and not isinstance(reference_year, int):
            raise ValidationError(
                f"reference_year must be a whole year such as 2026; got {reference_year!r}.",
                field="reference_year",
                code="bad_year",
            )
        self.reference_year = reference_year

    def check(self, text: str, *, themes: Themes = None, language: str | None = None) -> GoalReport:
        """Check one goal. See :func:`check_goal`."""
        _check_text(text)
        lang = _language(text, language)
        theme_list = normalize_themes(themes)
        ref = self.reference_year or date.today().year
        return _analyse(GoalText.of(text, lang, ref), theme_list)

    def check_many(
        self, texts: Iterable[str], *, themes: Themes = None, language: str | None = None
    ) -> list[GoalReport]:
        """Check several goals with the same options."""
        return [self.check(t, themes=themes, language=language) for t in texts]


def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise ValidationError(
            f"A goal must be text; got {type(text).__name__}. Pass the goal as a string.",
            field="text",
            code="not_text",
        )
    if len(text) > MAX_GOAL_CHARS:
        raise ValidationError(
            f"A goal must be at most {MAX_GOAL_CHARS} characters; got {len(text)}. "
            "Check one goal at a time (one per line with --file).",
            field="text",
            code="too_long",
        )


def _language(text: str, language: str | None) -> str:
    if language is None:
        return detect_language(text)
    if language in LANGUAGES:
        return language
    raise ValidationError(
        f"language must be 'en', 'es' or None (detect); got {language!r}.",
        field="language",
        code="unsupported_language",
    )


def _analyse(goal: GoalText, themes: list[Theme]) -> GoalReport:
    """Judge every criterion of ``goal`` and build its report."""
    if not goal.text.strip():
        empty = message(goal.lang, "empty")
        crit = {n: CriterionResult(n, n in ADVICE_CRITERIA, (), empty, None) for n in CRITERIA}
        return GoalReport(goal.text, goal.lang, False, crit, empty_rewrite(goal.lang), ())
    found = find(goal)
    signals = equity_signals(goal)
    spec = specific(goal, found)
    # what the goal is about excludes whom and when, but not an indicator that names a group
    not_topic: list[tuple[int, int]] = []
    if themes:
        named = [(e.start, e.end) for e in spec.evidence]
        not_topic = (
            [sp for sp in signals.spans if not any(a < sp[1] and sp[0] < b for a, b in named)]
            + [(t.start, t.end) for t in found.times]
            + list(found.past_dates)
        )
    rel, matched = relevant(goal, themes, not_topic)
    crit = {
        "specific": spec,
        "measurable": measurable(goal, found),
        "achievable": achievable(goal, found),
        "relevant": rel,
        "time_bound": time_bound(goal, found),
        "equity": equity(goal, signals),
    }
    text = rewrite(goal, found, spec, signals)
    return GoalReport(goal.text, goal.lang, found.is_goal, crit, text, matched)


_DEFAULT = GoalChecker()


def check_goal(text: str, *, themes: Themes = None, language: str | None = None) -> GoalReport:
    """Check a goal against the six criteria of docs/goals.md.

    Parameters
    ----------
    text : str
        One goal statement (at most :data:`MAX_GOAL_CHARS` characters).
    themes : list of str or of dict, optional
        The session's themes, as labels or as ``{"label": ..., "terms":
        [...]}``; when given, ``relevant`` says which ones the goal
        addresses. Without themes ``relevant`` is not judged (passes).
    language : {"en", "es"}, optional
        Language of the reasons and the rewrite; detected when omitted.
        The rules themselves understand both languages either way.

    Returns
    -------
    GoalReport

    Raises
    ------
    ValidationError
        If ``text`` is not a string or is too long, ``themes`` is malformed,
        or ``language`` is not supported.
    """
    return _DEFAULT.check(text, themes=themes, language=language)


def check_goals(
    texts: Iterable[str], *, themes: Themes = None, language: str | None = None
) -> list[GoalReport]:
    """Check several goals; see :func:`check_goal`."""
    return _DEFAULT.check_many(texts, themes=themes, language=language)
