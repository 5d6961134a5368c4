"""Partners' indicator values for goals: one value per goal, period and group.

An import replaces, in one transaction, every stored value of each ``(goal, period)`` it
contains (a partner's file is the whole picture of that period), so re-importing a corrected
file is safe and a failed import leaves nothing behind. Values go with their goal
(``ON DELETE CASCADE``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from ..clock import utcnow_iso
from ..errors import NotFoundError
from . import schema as t
from .audit import audit, touch
from .engine import StoreEngine, is_sqlite

__all__ = ["IndicatorsMixin"]

_CHUNK = 400
"""(goal, period) pairs per delete statement (2 parameters each: under SQLite's limit)."""


class IndicatorsMixin(StoreEngine):
    """Storing and reading the values partners report for each goal's indicator."""

    def replace_indicator_values(
        self,
        session_id: int,
        rows: Sequence[Mapping[str, Any]],
        *,
        actor: str = "facilitator",
        source: str = "",
    ) -> dict[str, int]:
        """Store checked indicator values, replacing each ``(goal, period)`` they cover.

        Parameters
        ----------
        session_id : int
            The session the goals belong to.
        rows : sequence of mapping
            ``goal_id, period, period_at, group, value, n`` each (already validated by
            :func:`pbp_facilitate.goals.read_indicator_csv`).
        actor, source : str
            Who imported, and the file name (for the audit trail).

        Returns
        -------
        dict
            ``{"rows": ..., "replaced": ..., "goals": ...}``.

        Raises
        ------
        NotFoundError
            When a row names a goal that is not in the session (nothing is written).
        """
        iv = t.indicator_values
        g = t.goals
        now = utcnow_iso()
        goal_ids = sorted({int(r["goal_id"]) for r in rows})
        pairs = sorted({(int(r["goal_id"]), str(r["period"])) for r in rows})
        records = [
            {
                "goal_id": int(r["goal_id"]),
                "period": str(r["period"]),
                "period_at": float(r["period_at"]),
                "grp": str(r.get("group") or ""),
                "value": float(r["value"]),
                "n": None if r.get("n") is None else int(r["n"]),
                "imported_at": now,
            }
            for r in rows
        ]

        def tx(conn: sa.Connection) -> dict[str, int]:
            touch(conn, session_id)
            known = {
                int(x)
                for x in conn.execute(
                    sa.select(g.c.id).where(g.c.session_id == session_id)
                ).scalars()
            }
            missing = [x for x in goal_ids if x not in known]
            if missing:
                raise NotFoundError(
                    f"Goal {missing[0]} is not a goal of this session; see the ids with "
                    "pbp goals list CODE."
                )
            replaced = 0
            for i in range(0, len(pairs), _CHUNK):
                chunk = pairs[i : i + _CHUNK]
                res = conn.execute(
                    iv.delete().where(sa.tuple_(iv.c.goal_id, iv.c.period).in_(chunk))
                )
                replaced += max(res.rowcount or 0, 0)
            if records:
                _insert(conn, records)
            detail = {"rows": len(records), "replaced": replaced, "source": source[:200]}
            audit(conn, session_id, actor, "indicator_import", None, detail)
            return {"rows": len(records), "replaced": replaced, "goals": len(goal_ids)}

        return self._run_write(tx)

    def list_indicator_values(self, goal_ids: Iterable[int]) -> list[dict[str, Any]]:
        """Return the stored values of these goals, by goal, period (as stored) and group.

        Each value is ``{"goal_id", "period", "period_at", "group", "value", "n"}``.
        """
        iv = t.indicator_values
        ids = sorted({int(x) for x in goal_ids})
        if not ids:
            return []

        def q(conn: sa.Connection) -> list[Any]:
            out: list[Any] = []
            for i in range(0, len(ids), _CHUNK):
                stmt = (
                    sa.select(
                        iv.c.goal_id, iv.c.period, iv.c.period_at, iv.c.grp, iv.c.value, iv.c.n
                    )
                    .where(iv.c.goal_id.in_(ids[i : i + _CHUNK]))
                    .order_by(iv.c.goal_id, iv.c.period_at, iv.c.grp)
                )
                out.extend(conn.execute(stmt).all())
            return out

        return [
            {
                "goal_id": r[0],
                "period": r[1],
                "period_at": r[2],
                "group": r[3],
                "value": r[4],
                "n": r[5],
            }
            for r in self._run_read(q)
        ]


_COLUMNS = ("goal_id", "period", "period_at", "grp", "value", "n", "imported_at")
_INSERT_SQLITE = (
    "INSERT INTO indicator_values (goal_id, period, period_at, grp, value, n, imported_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_PG = (
    "INSERT INTO indicator_values (goal_id, period, period_at, grp, value, n, imported_at) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s)"
)


def _insert(conn: sa.Connection, records: list[dict[str, Any]]) -> None:
    """Insert many values in one driver-level executemany (the rows are already checked).

    Going under SQLAlchemy's per-row parameter processing halves the time of a 100,000-row
    import; the statement names only this table's columns and binds every value.
    """
    sql = _INSERT_SQLITE if is_sqlite(conn) else _INSERT_PG
    conn.exec_driver_sql(sql, [tuple(r[c] for c in _COLUMNS) for r in records])
