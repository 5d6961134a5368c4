"""The one check of text and new ideas that every write path of the store runs."""

from __future__ import annotations

from typing import Any

from ..errors import ValidationError
from .records import NewSubmission

__all__ = ["SOURCES", "check_storable_text", "check_item"]

SOURCES = ("form", "notes", "survey", "import")
"""Where an idea may come from (``NewSubmission.source``)."""


def check_storable_text(text: Any, field: str = "text") -> None:
    """Raise :class:`ValidationError` unless ``text`` can be stored byte-for-byte on every backend.

    NUL characters (PostgreSQL cannot store them) and lone surrogates (not
    encodable as UTF-8) are refused rather than silently altered.

    Parameters
    ----------
    text : Any
        The value to store; anything but a ``str`` is refused (``code="type"``).
    field : str
        Form field named in the error.

    Raises
    ------
    ValidationError
        With ``code`` ``"type"``, ``"nul"`` or ``"encoding"``.
    """
    if not isinstance(text, str):
        raise ValidationError(
            f"Text must be a string, got {type(text).__name__}.", field=field, code="type"
        )
    if "\x00" in text:
        raise ValidationError(
            "The text contains a NUL (\\x00) character, which cannot be stored; remove it "
            "and try again.",
            field=field,
            code="nul",
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError(
            "The text contains an invalid character (a lone surrogate) that is not valid "
            "Unicode; retype it and try again.",
            field=field,
            code="encoding",
        ) from exc


def check_item(item: NewSubmission) -> None:
    """Validate one new submission the same way on every write path (source and text)."""
    if item.source not in SOURCES:
        raise ValidationError(
            f"Submission source must be one of {SOURCES}, got {item.source!r}.", field="source"
        )
    check_storable_text(item.text)
