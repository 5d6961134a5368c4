"""Series of sessions: a partnership's town halls, youth session and survey, summarised together.

A series has a short ``name`` (also its folder name in summaries and on the public site), a
title, and its sessions in order. Changing the membership moves the series' ``updated_at``, so a
roll-up is re-rendered when a session joins; each session's own ``updated_at`` covers its data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..clock import utcnow_iso
from ..errors import NotFoundError, ValidationError
from . import schema as t
from .checks import check_storable_text
from .engine import StoreEngine

__all__ = ["SeriesMixin", "SeriesRecord", "SERIES_NAME"]

#: What a series name may be: it names a folder of summaries and a page of the public site.
SERIES_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


@dataclass(frozen=True)
class SeriesRecord:
    """A series as stored: its sessions' ids and join codes in order."""

    id: int
    name: str
    title: str
    session_ids: tuple[int, ...]
    session_codes: tuple[str, ...]
    created_at: str
    updated_at: str

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict."""
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "sessions": list(self.session_codes),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def _check_name(name: str) -> str:
    key = (name or "").strip().lower()
    if not SERIES_NAME.match(key):
        raise ValidationError(
            f"A series name must be 1 to 60 letters, digits, '-' or '_' starting with a letter or "
            f"digit (it names a folder and a web page), got {name!r}; e.g. 'eastside-2026'.",
            field="name",
        )
    return key


class SeriesMixin(StoreEngine):
    """Creating series, adding sessions to them, and reading them back."""

    def create_series(
        self, name: str, sessions: Sequence[int | str] = (), *, title: str = ""
    ) -> SeriesRecord:
        """Create a series of the given sessions (ids or join codes), in that order.

        Raises
        ------
        ValidationError
            A bad or taken name, or a session named twice.
        NotFoundError
            A session that does not exist (nothing is written).
        """
        key = _check_name(name)
        title = (title or "").strip() or key
        check_storable_text(title)
        ids = self._series_session_ids(sessions)
        now = utcnow_iso()
        s = t.series

        def tx(conn: sa.Connection) -> int:
            if conn.execute(sa.select(s.c.id).where(s.c.name == key)).first() is not None:
                raise ValidationError(
                    f"A series named {key!r} already exists; choose another name or add "
                    f"sessions to it with 'pbp series add {key} --session CODE'.",
                    field="name",
                )
            sid = int(
                conn.execute(
                    s.insert().values(name=key, title=title, created_at=now, updated_at=now)
                ).inserted_primary_key[0]
            )
            self._insert_members(conn, sid, ids, 0, now)
            return sid

        return self.get_series(self._run_write(tx))

    def add_to_series(self, ref: int | str, sessions: Sequence[int | str]) -> SeriesRecord:
        """Append sessions to a series (after those it has).

        Raises
        ------
        ValidationError
            A session already in the series, or none given.
        NotFoundError
            The series or a session does not exist (nothing is written).
        """
        current = self.get_series(ref)
        ids = self._series_session_ids(sessions)
        again = [c for i, c in zip(ids, sessions, strict=True) if i in current.session_ids]
        if again:
            raise ValidationError(
                f"Session {again[0]} is already in the series {current.name!r}; expected "
                "sessions not yet in it.",
                field="session",
            )
        now = utcnow_iso()

        def tx(conn: sa.Connection) -> None:
            self._insert_members(conn, current.id, ids, len(current.session_ids), now)
            conn.execute(
                t.series.update().where(t.series.c.id == current.id).values(updated_at=now)
            )

        self._run_write(tx)
        return self.get_series(current.id)

    def get_series(self, ref: int | str) -> SeriesRecord:
        """Return a series by name (case-insensitive) or id.

        Raises
        ------
        NotFoundError
            When no series matches.
        """
        s = t.series
        if isinstance(ref, int) or str(ref).strip().isdigit():
            where = s.c.id == int(ref)
        else:
            where = s.c.name == str(ref).strip().lower()
        row = self._run_read(lambda c: c.execute(sa.select(s).where(where)).first())
        if row is None:
            names = [x.name for x in self.list_series()]
            raise NotFoundError(
                f"No series {ref!r}; expected one of: {', '.join(names) or '(none yet)'}. "
                "Create one with 'pbp series create NAME --session CODE --session CODE'."
            )
        return self._series_record(row)

    def list_series(self) -> list[SeriesRecord]:
        """Return every series, by name."""
        rows = self._run_read(
            lambda c: c.execute(sa.select(t.series).order_by(t.series.c.name)).all()
        )
        return [self._series_record(r) for r in rows]

    # -- helpers -------------------------------------------------------------------------

    def _series_session_ids(self, sessions: Sequence[int | str]) -> list[int]:
        if not sessions:
            raise ValidationError(
                "A series needs at least one session; expected --session CODE (repeatable).",
                field="session",
            )
        ids = [self.get_session(ref).id for ref in sessions]  # type: ignore[attr-defined]
        if len(set(ids)) != len(ids):
            raise ValidationError(
                "The same session is named twice; expected each session once.", field="session"
            )
        return ids

    @staticmethod
    def _insert_members(
        conn: sa.Connection, series_id: int, ids: Sequence[int], start: int, now: str
    ) -> None:
        conn.execute(
            t.series_sessions.insert(),
            [
                {"series_id": series_id, "session_id": i, "position": start + n, "added_at": now}
                for n, i in enumerate(ids)
            ],
        )

    def _series_record(self, row: Any) -> SeriesRecord:
        m, s = t.series_sessions, t.sessions
        members = self._run_read(
            lambda c: c.execute(
                sa.select(s.c.id, s.c.code)
                .join(m, m.c.session_id == s.c.id)
                .where(m.c.series_id == row.id)
                .order_by(m.c.position)
            ).all()
        )
        return SeriesRecord(
            id=int(row.id),
            name=row.name,
            title=row.title,
            session_ids=tuple(int(r.id) for r in members),
            session_codes=tuple(r.code for r in members),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
