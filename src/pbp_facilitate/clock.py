"""The one time source and id scheme of the kit."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime

__all__ = ["utcnow", "utcnow_iso", "to_iso", "parse_iso", "new_id"]


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def to_iso(dt: datetime) -> str:
    """Format ``dt`` as a sortable ISO-8601 UTC string (microseconds, ``Z``)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utcnow_iso() -> str:
    """Return :func:`utcnow` formatted by :func:`to_iso`."""
    return to_iso(utcnow())


def parse_iso(text: str) -> datetime:
    """Parse a string written by :func:`to_iso` (or any ISO-8601 form) to an aware datetime."""
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def new_id() -> str:
    """Return a new stable, time-ordered, URL-safe id (20 hex characters)."""
    return f"{time.time_ns() // 1_000_000:012x}{secrets.token_hex(4)}"
