"""Theme snapshots (the previous fit of a refit) and facilitators' theme edits."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from ..clock import utcnow_iso
from . import schema as t
from .audit import audit, touch
from .engine import StoreEngine

__all__ = ["ThemesMixin"]


class ThemesMixin(StoreEngine):
    """Saving and reading theme snapshots and the edit log that replays over them."""

    def save_theme_snapshot(self, session_id: int, data: Mapping[str, Any]) -> int:
        """Store a JSON-able theme snapshot (the latest is the ``previous`` of the next refit)."""
        ts = t.theme_snapshots
        payload = json.dumps(data, ensure_ascii=False)

        def tx(conn: sa.Connection) -> int:
            ins = ts.insert().values(
                session_id=session_id, created_at=utcnow_iso(), data_json=payload
            )
            return int(conn.execute(ins).inserted_primary_key[0])

        return self._run_write(tx)

    def latest_theme_snapshot(self, session_id: int) -> dict[str, Any] | None:
        """Return the newest theme snapshot of a session, or None."""
        ts = t.theme_snapshots
        row = self._run_read(
            lambda c: c.execute(
                sa.select(ts.c.data_json)
                .where(ts.c.session_id == session_id)
                .order_by(ts.c.id.desc())
                .limit(1)
            ).first()
        )
        return json.loads(row.data_json) if row else None

    def add_theme_edit(
        self, session_id: int, edit: Mapping[str, Any], *, actor: str = "facilitator"
    ) -> int:
        """Store a facilitator's theme edit (rename, merge, split, move, pin).

        Edits replay in the order they were stored.
        """
        te = t.theme_edits
        payload = json.dumps(dict(edit), ensure_ascii=False)

        def tx(conn: sa.Connection) -> int:
            touch(conn, session_id)
            eid = conn.execute(
                te.insert().values(
                    session_id=session_id, created_at=utcnow_iso(), actor=actor, edit_json=payload
                )
            ).inserted_primary_key[0]
            audit(conn, session_id, actor, "theme_edit", str(eid), dict(edit))
            return int(eid)

        return self._run_write(tx)

    def list_theme_edits(self, session_id: int) -> list[dict[str, Any]]:
        """Return the session's theme edits, oldest first."""
        te = t.theme_edits
        rows = self._run_read(
            lambda c: c.execute(
                sa.select(te.c.edit_json).where(te.c.session_id == session_id).order_by(te.c.id)
            ).all()
        )
        return [json.loads(r.edit_json) for r in rows]
