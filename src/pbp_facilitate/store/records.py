"""What the store hands out: frozen record dataclasses, and the builders from table rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..surveys import Survey

__all__ = [
    "PromptRecord",
    "SessionRecord",
    "SubmissionRecord",
    "NewSubmission",
    "VotingRound",
    "GoalRecord",
    "prompt_from_row",
    "session_from_row",
    "submission_from_row",
    "round_from_row",
    "goal_from_row",
]


@dataclass(frozen=True)
class PromptRecord:
    """A prompt of a session."""

    id: int
    session_id: int
    position: int
    key: str
    kind: str
    text: dict[str, str]
    is_open: bool

    def text_for(self, language: str) -> str:
        """Return the prompt text in ``language``, falling back to the first language."""
        return self.text.get(language) or next(iter(self.text.values()), "")


@dataclass(frozen=True)
class SessionRecord:
    """A session as stored."""

    id: int
    code: str
    title: str
    survey_key: str
    languages: tuple[str, ...]
    status: str
    created_at: str
    updated_at: str
    survey: Survey

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict (without the survey definition)."""
        return {
            "id": self.id,
            "code": self.code,
            "title": self.title,
            "survey": self.survey_key,
            "languages": list(self.languages),
            "status": self.status,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class SubmissionRecord:
    """One idea, as stored."""

    seq: int
    id: str
    session_id: int
    prompt_id: int | None
    text: str
    language: str | None
    source: str
    participant_key: str | None
    created_at: str
    hidden: bool
    idempotency_key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict (no idempotency key)."""
        return {
            "id": self.id,
            "seq": self.seq,
            "session_id": self.session_id,
            "prompt_id": self.prompt_id,
            "text": self.text,
            "language": self.language,
            "source": self.source,
            "participant_key": self.participant_key,
            "created_at": self.created_at,
            "hidden": self.hidden,
        }


@dataclass(frozen=True)
class NewSubmission:
    """A submission to add (importers build lists of these)."""

    text: str
    prompt_id: int | None = None
    language: str | None = None
    source: str = "import"
    participant_key: str | None = None
    idempotency_key: str | None = None
    created_at: str | None = None


@dataclass(frozen=True)
class VotingRound:
    """A dot-voting round: ``options`` are ``{"id": int, "label": str}`` dicts.

    With ``from_themes`` the option ids are theme ids and ``label`` is only the name the theme
    had when the round opened; screens show the theme's current label
    (:func:`pbp_facilitate.themes.ballot_options`).
    """

    id: int
    session_id: int
    status: str
    dots: int
    options: list[dict[str, Any]]
    created_at: str
    closed_at: str | None
    from_themes: bool = False


@dataclass(frozen=True)
class GoalRecord:
    """A draft or agreed goal with its latest check."""

    id: int
    session_id: int
    text: str
    status: str
    theme_ids: list[int]
    check: dict[str, Any]
    created_at: str
    updated_at: str
    indicator: dict[str, Any] = field(default_factory=dict)
    """The goal's indicator (``goals.indicator.Indicator.to_dict()``); ``{}`` when none."""


def prompt_from_row(row: Any) -> PromptRecord:
    """Build a :class:`PromptRecord` from a ``prompts`` row."""
    return PromptRecord(
        id=row.id,
        session_id=row.session_id,
        position=row.position,
        key=row.key,
        kind=row.kind,
        text=json.loads(row.text_json),
        is_open=bool(row.is_open),
    )


def session_from_row(row: Any) -> SessionRecord:
    """Build a :class:`SessionRecord` (with its survey snapshot) from a ``sessions`` row."""
    return SessionRecord(
        id=row.id,
        code=row.code,
        title=row.title,
        survey_key=row.survey_key,
        languages=tuple(x for x in row.languages.split(",") if x),
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        survey=Survey.from_json(row.survey_json),
    )


def submission_from_row(row: Any) -> SubmissionRecord:
    """Build a :class:`SubmissionRecord` from a ``submissions`` row."""
    return SubmissionRecord(
        seq=row.seq,
        id=row.id,
        session_id=row.session_id,
        prompt_id=row.prompt_id,
        text=row.text,
        language=row.language,
        source=row.source,
        participant_key=row.participant_key,
        created_at=row.created_at,
        hidden=bool(row.hidden),
        idempotency_key=row.idempotency_key,
    )


def round_from_row(row: Any) -> VotingRound:
    """Build a :class:`VotingRound` from a ``voting_rounds`` row."""
    return VotingRound(
        id=row.id,
        session_id=row.session_id,
        status=row.status,
        dots=row.dots,
        options=json.loads(row.options_json),
        created_at=row.created_at,
        closed_at=row.closed_at,
        from_themes=bool(getattr(row, "from_themes", False)),
    )


def goal_from_row(row: Any) -> GoalRecord:
    """Build a :class:`GoalRecord` from a ``goals`` row."""
    return GoalRecord(
        id=row.id,
        session_id=row.session_id,
        text=row.text,
        status=row.status,
        theme_ids=json.loads(row.theme_ids_json),
        check=json.loads(row.check_json),
        created_at=row.created_at,
        updated_at=row.updated_at,
        indicator=json.loads(row.indicator_json or "{}"),
    )
