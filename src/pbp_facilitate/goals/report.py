"""What the goal checker returns, and its JSON, text and HTML forms.

:class:`GoalReport` holds one :class:`CriterionResult` per name in
:data:`CRITERIA`, each with the :class:`Evidence` spans that carried it.
:meth:`GoalReport.to_dict` is the JSON of the spec (and of
``pbp goals check --json``), :meth:`GoalReport.format_text` the report the
CLI prints, and :func:`criteria_html` the chips the goal editor shows for a
stored check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ValidationError
from ..text import esc, text_html
from .messages import detect_language, label, message

__all__ = [
    "CRITERIA",
    "CORE_CRITERIA",
    "ADVICE_CRITERIA",
    "Evidence",
    "CriterionResult",
    "GoalReport",
    "criteria_html",
]

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound", "equity")
"""The six criteria, in the order of the JSON object."""

CORE_CRITERIA = ("specific", "measurable", "time_bound", "equity")
"""The criteria that decide the verdict; achievable and relevant are advice."""

ADVICE_CRITERIA = ("achievable", "relevant")
"""The criteria that only advise: a failure is a warning, not a missing piece."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the goal that carried a criterion.

    Attributes
    ----------
    text : str
        ``goal[start:end]``, exactly.
    start, end : int
        Character offsets into the goal text.
    """

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"text": ..., "start": ..., "end": ...}``."""
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """Outcome of one criterion.

    Attributes
    ----------
    name : str
        One of :data:`CRITERIA`.
    passed : bool
        Whether the goal meets the criterion (see docs/goals.md for
        ``achievable`` and ``relevant``, which are advice).
    evidence : tuple of Evidence
        Spans of the goal that carried the decision (may be empty).
    reason : str
        Plain-words explanation, in the goal's language.
    suggestion : str or None
        A concrete next step; ``None`` when there is nothing to add.
    """

    name: str
    passed: bool
    evidence: tuple[Evidence, ...]
    reason: str
    suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form ``{"passed", "evidence", "reason", "suggestion"}``."""
        return {
            "passed": self.passed,
            "evidence": [e.to_dict() for e in self.evidence],
            "reason": self.reason,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True, slots=True)
class GoalReport:
    """Everything the checker found in one goal.

    Attributes
    ----------
    text : str
        The goal as given.
    language : str
        ``"en"`` or ``"es"``: the language of the reasons and the rewrite.
    is_goal : bool
        False for a statement of past fact, a slogan, or empty text.
    criteria : dict of str to CriterionResult
        One entry per name in :data:`CRITERIA`, in that order.
    rewrite : str
        The goal recast in the template "By [date], [indicator] for
        [population] moves from [baseline] to [target], reported by
        [groups]." with what the text already has; brackets mark what is
        missing.
    matched_themes : tuple of str
        Labels of the session themes the goal addresses.
    """

    text: str
    language: str
    is_goal: bool
    criteria: dict[str, CriterionResult]
    rewrite: str
    matched_themes: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> bool:
        """True when it is a goal and every core criterion passes."""
        return self.is_goal and all(self.criteria[n].passed for n in CORE_CRITERIA)

    @property
    def score(self) -> int:
        """How many of the four core criteria pass (0-4)."""
        return sum(self.criteria[n].passed for n in CORE_CRITERIA)

    @property
    def verdict(self) -> str:
        """``"not a goal"``, ``"ready"`` or ``"needs work"``.

        "ready" needs all four core criteria and no achievability or
        relevance warning.
        """
        if not self.is_goal:
            return "not a goal"
        if self.passed and all(self.criteria[n].passed for n in ADVICE_CRITERIA):
            return "ready"
        return "needs work"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of the spec (and of ``pbp goals check --json``).

        Returns
        -------
        dict
            ``{"text", "is_goal", "criteria": {name: {...}}, "rewrite"}``, exactly.
        """
        return {
            "text": self.text,
            "is_goal": self.is_goal,
            "criteria": {n: self.criteria[n].to_dict() for n in CRITERIA},
            "rewrite": self.rewrite,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, language: str | None = None) -> GoalReport:
        """Rebuild a report from :meth:`to_dict` output (e.g. as kept by the store).

        Parameters
        ----------
        data : mapping
            An object of the JSON shape returned by :meth:`to_dict`.
        language : {"en", "es"}, optional
            Language of the stored reasons; detected from the text when omitted.

        Returns
        -------
        GoalReport
            ``matched_themes`` is not part of the JSON and comes back empty.

        Raises
        ------
        ValidationError
            If ``data`` does not have the shape of :meth:`to_dict`.
        """
        try:
            text = data["text"]
            crit = {name: _criterion_from_dict(name, data["criteria"][name]) for name in CRITERIA}
            return cls(
                text,
                language or detect_language(text),
                bool(data["is_goal"]),
                crit,
                str(data["rewrite"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                "A stored goal check must have the shape of GoalReport.to_dict() "
                f"(text, is_goal, criteria with all six criteria, rewrite); {exc!r} is missing "
                "or malformed. Re-run check_goal on the text to rebuild it.",
                field="check",
                code="bad_goal_check",
            ) from exc

    def format_text(self) -> str:
        """Return the readable report printed by ``pbp goals check``."""
        lang = self.language
        verdict = message(lang, "verdict_" + self.verdict.replace(" ", "_"))
        is_goal = message(lang, "report_yes" if self.is_goal else "report_no")
        lines = [
            message(lang, "report_goal", text=self.text),
            message(lang, "report_verdict", verdict=verdict, score=self.score, is_goal=is_goal),
        ]
        for name in CRITERIA:
            res = self.criteria[name]
            if name in ADVICE_CRITERIA:
                mark = "OK  " if res.passed else "WARN"
            else:
                mark = "PASS" if res.passed else "FAIL"
            lines.append(f"  [{mark}] {label(lang, name):<13} {res.reason}")
            if res.evidence:
                shown = ", ".join(f'"{e.text}"' for e in res.evidence)
                lines.append("         " + message(lang, "report_evidence", evidence=shown))
            if res.suggestion:
                suggestion = message(lang, "report_suggestion", suggestion=res.suggestion)
                lines.append("         " + suggestion)
        lines.append(message(lang, "report_rewrite", rewrite=self.rewrite))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format_text()


def _criterion_from_dict(name: str, data: Mapping[str, Any]) -> CriterionResult:
    evidence = tuple(Evidence(e["text"], int(e["start"]), int(e["end"])) for e in data["evidence"])
    return CriterionResult(
        name, bool(data["passed"]), evidence, str(data["reason"]), data["suggestion"]
    )


def criteria_html(report: Mapping[str, Any], *, language: str = "en") -> str:
    """Return chips with reasons for a :meth:`GoalReport.to_dict` result (all text escaped).

    Parameters
    ----------
    report : mapping
        A stored check (the JSON of :meth:`GoalReport.to_dict`); missing
        criteria are left out.
    language : {"en", "es"}, default "en"
        Language of the criterion names (the reasons are stored in theirs).

    Returns
    -------
    str
        A ``<div>`` of chips (✓ passed, ✗ missing, ! advice) and a
        ``<ul class="pbp-reasons">`` of reasons and suggestions.
    """
    crit = report.get("criteria", {})
    chips, reasons = [], []
    for name in CRITERIA:
        c = crit.get(name)
        if c is None:
            continue
        name_text = esc(label(language, name).capitalize())
        ok = bool(c.get("passed"))
        advice = name in ADVICE_CRITERIA
        cls = "pbp-chip-ok" if ok else ("pbp-chip-warn" if advice else "pbp-chip-bad")
        mark = "✓" if ok else ("!" if advice else "✗")
        chips.append(
            f'<span class="pbp-chip {cls} pbp-crit pbp-crit-{name}" '
            f'title="{esc(c.get("reason", ""))}">{mark} {name_text}</span>'
        )
        line = f"<b>{name_text}</b>: {text_html(c.get('reason', ''))}"
        if c.get("suggestion"):
            line += f' <span class="pbp-muted">→ {text_html(c["suggestion"])}</span>'
        reasons.append(f"<li>{line}</li>")
    if not report.get("is_goal", True):
        not_yet = esc(message(language, "chip_not_a_goal"))
        chips.insert(0, f'<span class="pbp-chip pbp-chip-bad">{not_yet}</span>')
    return f'<div>{"".join(chips)}</div><ul class="pbp-reasons">{"".join(reasons)}</ul>'
