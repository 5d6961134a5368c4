"""Goals as records: add, correct and list a session's goals with their checks and indicators.

The CLI (``pbp goals add|list|set``) and the goals workbook both call these, so a goal saved
from either is the same record: its text, its status (draft or agreed), its latest check
(:func:`~.checker.check_goal`) and its indicator (:func:`~.indicator.parse_indicator`, with
what a person set kept across text edits).
"""

from __future__ import annotations

from typing import Any

from ..errors import PbpError
from .checker import check_goal
from .indicator import Indicator, parse_indicator
from .report import GoalReport

__all__ = ["add_goal", "update_goal", "goal_to_dict", "indicator_for", "INDICATOR_OPTIONS"]

INDICATOR_OPTIONS = (
    "name",
    "unit",
    "baseline",
    "baseline_year",
    "target",
    "target_year",
    "direction",
    "by",
)
"""The indicator parts :func:`add_goal` and :func:`update_goal` accept (see Indicator.updated)."""


def _changes(options: dict[str, Any]) -> dict[str, Any]:
    unknown = set(options) - set(INDICATOR_OPTIONS)
    if unknown:
        raise TypeError(f"unknown indicator option(s): {', '.join(sorted(unknown))}")
    return {k: v for k, v in options.items() if v is not None}


def add_goal(
    store: Any,
    session_id: int,
    text: str,
    *,
    agreed: bool = False,
    themes: Any = None,
    actor: str = "facilitator",
    **indicator: Any,
) -> Any:
    """Check ``text``, read its indicator, apply ``indicator`` corrections and save a new goal.

    Returns the stored :class:`~pbp_facilitate.store.GoalRecord`.
    """
    changes = _changes(indicator)
    ind = parse_indicator(text)
    if changes:
        ind = ind.updated(**changes)
    report = check_goal(text, themes=themes)
    return store.save_goal(
        session_id,
        text,
        status="agreed" if agreed else "draft",
        check=report.to_dict(),
        indicator=ind.to_dict(),
        actor=actor,
    )


def update_goal(
    store: Any,
    goal_id: int,
    *,
    text: str | None = None,
    agreed: bool | None = None,
    themes: Any = None,
    actor: str = "facilitator",
    **indicator: Any,
) -> Any:
    """Correct a stored goal: its text (re-checked, indicator re-read), status or indicator."""
    changes = _changes(indicator)
    rec = store.get_goal(goal_id)
    ind = Indicator.from_dict(rec.indicator) if rec.indicator else parse_indicator(rec.text)
    check = rec.check
    new_text = rec.text
    if text is not None and text.strip() != rec.text:
        new_text = text
        ind = ind.reparsed(text)
        check = check_goal(text, themes=themes).to_dict()
    if changes:
        ind = ind.updated(**changes)
    status = rec.status if agreed is None else ("agreed" if agreed else "draft")
    return store.save_goal(
        rec.session_id,
        new_text,
        status=status,
        theme_ids=rec.theme_ids,
        check=check,
        indicator=ind.to_dict(),
        goal_id=goal_id,
        actor=actor,
    )


def indicator_for(text: str, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The indicator to store with ``text``: read from it, keeping what a person set before."""
    if previous:
        return Indicator.from_dict(previous).reparsed(text).to_dict()
    return parse_indicator(text).to_dict()


def goal_to_dict(record: Any) -> dict[str, Any]:
    """The JSON of a goal record (``goals list --json``)."""
    ind = record.indicator or parse_indicator(record.text).to_dict()
    return {
        "id": record.id,
        "session_id": record.session_id,
        "text": record.text,
        "status": record.status,
        "verdict": _verdict(record.check),
        "indicator": ind,
        "updated_at": record.updated_at,
    }


def _verdict(check: dict[str, Any]) -> str | None:
    if not check:
        return None
    try:
        return GoalReport.from_dict(check).verdict
    except PbpError:  # a check stored by an older kit: no verdict to show
        return None
