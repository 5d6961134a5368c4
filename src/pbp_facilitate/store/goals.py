"""Goals drafted from themes, with their latest check and their indicator."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from ..clock import utcnow_iso
from ..errors import NotFoundError, ValidationError
from . import schema as t
from .audit import audit, touch
from .checks import check_storable_text
from .engine import StoreEngine
from .records import GoalRecord, goal_from_row

__all__ = ["GoalsMixin"]


class GoalsMixin(StoreEngine):
    """Saving, listing and deleting goals."""

    def save_goal(
        self,
        session_id: int,
        text: str,
        *,
        status: str = "draft",
        theme_ids: Sequence[int] = (),
        check: Mapping[str, Any] | None = None,
        goal_id: int | None = None,
        indicator: Mapping[str, Any] | None = None,
        actor: str = "facilitator",
    ) -> GoalRecord:
        """Create or update a goal with its latest check; return it.

        ``indicator`` (the JSON of :class:`pbp_facilitate.goals.Indicator`) replaces the stored
        one when given; ``None`` keeps it on an update and stores ``{}`` for a new goal.
        """
        if status not in ("draft", "agreed"):
            raise ValidationError(
                f"Goal status must be 'draft' or 'agreed', got {status!r}.", field="status"
            )
        check_storable_text(text or "")
        text = unicodedata.normalize("NFC", text or "").strip()
        if not text:
            raise ValidationError("A goal needs some text.", field="text")
        g = t.goals
        now = utcnow_iso()
        values = {
            "text": text,
            "status": status,
            "theme_ids_json": json.dumps([int(x) for x in theme_ids]),
            "check_json": json.dumps(dict(check or {}), ensure_ascii=False),
            "updated_at": now,
        }
        if indicator is not None:
            values["indicator_json"] = json.dumps(dict(indicator), ensure_ascii=False)

        def tx(conn: sa.Connection) -> int:
            touch(conn, session_id)
            if goal_id is None:
                ins = g.insert().values(session_id=session_id, created_at=now, **values)
                gid = int(conn.execute(ins).inserted_primary_key[0])
            else:
                upd = g.update().where(g.c.id == goal_id, g.c.session_id == session_id)
                if conn.execute(upd.values(**values)).rowcount == 0:
                    raise NotFoundError(f"No goal {goal_id} in session {session_id}.")
                gid = goal_id
            audit(conn, session_id, actor, "goal_save", str(gid), {"status": status})
            return gid

        gid = self._run_write(tx)
        return next(x for x in self.list_goals(session_id) if x.id == gid)

    def get_goal(self, goal_id: int) -> GoalRecord:
        """Return one goal by id.

        Raises
        ------
        NotFoundError
            When there is no such goal.
        """
        g = t.goals
        row = self._run_read(lambda c: c.execute(sa.select(g).where(g.c.id == goal_id)).first())
        if row is None:
            raise NotFoundError(
                f"No goal with id {goal_id}; see the ids with: pbp goals list CODE."
            )
        return goal_from_row(row)

    def list_goals(self, session_id: int) -> list[GoalRecord]:
        """Return a session's goals, oldest first."""
        g = t.goals
        rows = self._run_read(
            lambda c: c.execute(
                sa.select(g).where(g.c.session_id == session_id).order_by(g.c.id)
            ).all()
        )
        return [goal_from_row(r) for r in rows]

    def delete_goal(self, goal_id: int, *, actor: str = "facilitator") -> None:
        """Delete a goal."""
        g = t.goals

        def tx(conn: sa.Connection) -> None:
            row = conn.execute(sa.select(g.c.session_id).where(g.c.id == goal_id)).first()
            if row is None:
                raise NotFoundError(f"No goal with id {goal_id}.")
            conn.execute(g.delete().where(g.c.id == goal_id))
            touch(conn, row.session_id)
            audit(conn, row.session_id, actor, "goal_delete", str(goal_id), {})

        self._run_write(tx)
