"""The session's themes: versioned snapshots (latest fit + edits) and the edit log with undo.

The *themes version* of a session is the id of its latest snapshot: it grows with every
change (a refit, an edit, an undo) and is cheap to read, so every screen can poll it.
A snapshot is saved with the version it was computed from (``expect_version``): when
someone else saved first, :class:`~pbp_facilitate.errors.ConflictError` says so and
nothing is written (the session row is locked for the check, on SQLite and PostgreSQL).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from ..clock import utcnow_iso
from ..errors import ConflictError, NotFoundError
from . import schema as t
from .audit import audit, touch
from .engine import StoreEngine

__all__ = ["ThemesMixin"]


class ThemesMixin(StoreEngine):
    """Saving and reading theme snapshots and the edit log that replays over them."""

    def save_theme_snapshot(
        self, session_id: int, data: Mapping[str, Any], *, expect_version: int | None = None
    ) -> int:
        """Store a JSON-able theme snapshot as the session's current themes; return its version.

        Parameters
        ----------
        session_id : int
            The session.
        data : mapping
            :func:`~pbp_facilitate.themes.themes_to_json` output.
        expect_version : int, optional
            The version the snapshot was computed from (0: none yet). When given and the
            session's version moved on meanwhile, nothing is stored.

        Raises
        ------
        ConflictError
            When ``expect_version`` is given and is no longer the current version.
        """
        ts = t.theme_snapshots
        payload = json.dumps(data, ensure_ascii=False)

        def tx(conn: sa.Connection) -> int:
            touch(conn, session_id)  # locks the session row: one snapshot at a time
            if expect_version is not None:
                now = _version(conn, session_id)
                if now != expect_version:
                    raise ConflictError(
                        f"The themes changed while they were being computed (version "
                        f"{expect_version} expected, {now} found); read them again and retry."
                    )
            ins = ts.insert().values(
                session_id=session_id, created_at=utcnow_iso(), data_json=payload
            )
            return int(conn.execute(ins).inserted_primary_key[0])

        return self._run_write(tx)

    def theme_version(self, session_id: int) -> int:
        """Return the session's themes version (0 before the first fit); a cheap read."""
        return self._run_read(lambda c: _version(c, session_id))

    def latest_theme_snapshot(self, session_id: int) -> dict[str, Any] | None:
        """Return the newest theme snapshot of a session, or None."""
        got = self.theme_state(session_id)
        return got[1] if got else None

    def theme_state(self, session_id: int) -> tuple[int, dict[str, Any]] | None:
        """Return ``(version, snapshot)`` of the session's current themes, or None."""
        ts = t.theme_snapshots
        row = self._run_read(
            lambda c: c.execute(
                sa.select(ts.c.id, ts.c.data_json)
                .where(ts.c.session_id == session_id)
                .order_by(ts.c.id.desc())
                .limit(1)
            ).first()
        )
        return (int(row.id), json.loads(row.data_json)) if row else None

    def theme_snapshot(self, session_id: int, version: int) -> dict[str, Any] | None:
        """Return the session's snapshot of one version, or None."""
        ts = t.theme_snapshots
        row = self._run_read(
            lambda c: c.execute(
                sa.select(ts.c.data_json).where(ts.c.session_id == session_id, ts.c.id == version)
            ).first()
        )
        return json.loads(row.data_json) if row else None

    def add_theme_edit(
        self,
        session_id: int,
        edit: Mapping[str, Any],
        *,
        actor: str = "facilitator",
        base_version: int | None = None,
    ) -> int:
        """Store a facilitator's theme edit (rename, merge, split, move, pin, unpin).

        Edits replay in the order they were stored; ``base_version`` is the themes version
        the edit was made on (an undo returns to it).
        """
        te = t.theme_edits
        payload = json.dumps(dict(edit), ensure_ascii=False)

        def tx(conn: sa.Connection) -> int:
            touch(conn, session_id)
            eid = conn.execute(
                te.insert().values(
                    session_id=session_id,
                    created_at=utcnow_iso(),
                    actor=actor,
                    edit_json=payload,
                    base_version=base_version,
                )
            ).inserted_primary_key[0]
            audit(conn, session_id, actor, "theme_edit", str(eid), dict(edit))
            return int(eid)

        return self._run_write(tx)

    def list_theme_edits(
        self, session_id: int, *, include_undone: bool = False
    ) -> list[dict[str, Any]]:
        """Return the session's theme edits that replay (not undone), oldest first.

        With ``include_undone``, every edit, each with ``"_id"``, ``"_at"``, ``"_actor"`` and
        ``"_undone_at"`` added (the trail the dashboard shows).
        """
        te = t.theme_edits
        q = sa.select(te).where(te.c.session_id == session_id).order_by(te.c.id)
        if not include_undone:
            q = q.where(te.c.undone_at.is_(None))
        rows = self._run_read(lambda c: c.execute(q).all())
        if not include_undone:
            return [json.loads(r.edit_json) for r in rows]
        return [
            {
                **json.loads(r.edit_json),
                "_id": int(r.id),
                "_at": r.created_at,
                "_actor": r.actor,
                "_undone_at": r.undone_at,
            }
            for r in rows
        ]

    def undo_theme_edit(self, session_id: int, *, actor: str = "facilitator") -> dict[str, Any]:
        """Mark the session's latest edit that still replays as undone; return it.

        The returned dict is the edit plus ``"_id"`` and ``"_base_version"`` (the themes
        version it was made on, or None). The edit stays in the trail.

        Raises
        ------
        NotFoundError
            When there is no edit left to undo.
        """
        te = t.theme_edits

        def tx(conn: sa.Connection) -> dict[str, Any]:
            touch(conn, session_id)
            row = conn.execute(
                sa.select(te)
                .where(te.c.session_id == session_id, te.c.undone_at.is_(None))
                .order_by(te.c.id.desc())
                .limit(1)
            ).first()
            if row is None:
                raise NotFoundError(
                    "There is no theme edit left to undo in this session; every edit has "
                    "been undone already (or none was made)."
                )
            conn.execute(
                te.update().where(te.c.id == row.id).values(undone_at=utcnow_iso(), undone_by=actor)
            )
            edit = json.loads(row.edit_json)
            audit(conn, session_id, actor, "theme_edit_undo", str(row.id), edit)
            return {**edit, "_id": int(row.id), "_base_version": row.base_version}

        return self._run_write(tx)


def _version(conn: sa.Connection, session_id: int) -> int:
    ts = t.theme_snapshots
    got = conn.execute(
        sa.select(sa.func.max(ts.c.id)).where(ts.c.session_id == session_id)
    ).scalar()
    return int(got or 0)
