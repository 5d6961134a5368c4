"""The bookkeeping of every write: the session's ``updated_at`` and the audit trail."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from ..clock import utcnow_iso
from ..errors import NotFoundError
from . import schema as t
from .engine import StoreEngine, display_url

__all__ = ["touch", "audit", "AuditMixin"]


def touch(conn: sa.Connection, session_id: int) -> None:
    """Mark the session changed (``updated_at``) inside the current write.

    Raises
    ------
    NotFoundError
        When the session does not exist (the write is rolled back).
    """
    n = conn.execute(
        t.sessions.update().where(t.sessions.c.id == session_id).values(updated_at=utcnow_iso())
    ).rowcount
    if n == 0:
        raise NotFoundError(
            f"No session with id {session_id} in the database {display_url(conn.engine.url)}; "
            "run 'pbp session list' to see its sessions."
        )


def audit(
    conn: sa.Connection,
    session_id: int | None,
    actor: str,
    action: str,
    target: str | None,
    detail: Mapping[str, Any],
) -> None:
    """Append who did what to which target, and when, to the audit trail of the current write."""
    conn.execute(
        t.audit_log.insert().values(
            session_id=session_id,
            at=utcnow_iso(),
            actor=actor[:100],
            action=action,
            target=target,
            detail_json=json.dumps(dict(detail), ensure_ascii=False),
        )
    )


class AuditMixin(StoreEngine):
    """Reading the audit trail."""

    def audit_log(self, session_id: int) -> list[dict[str, Any]]:
        """Return the audit trail of a session (who did what, when), oldest first."""
        a = t.audit_log
        rows = self._run_read(
            lambda c: c.execute(
                sa.select(a).where(a.c.session_id == session_id).order_by(a.c.id)
            ).all()
        )
        return [
            {
                "at": r.at,
                "actor": r.actor,
                "action": r.action,
                "target": r.target,
                "detail": json.loads(r.detail_json),
            }
            for r in rows
        ]
