"""The connection layer of the store: engines, retries, transactions, error translation.

SQLite runs in WAL mode with ``synchronous=FULL`` and foreign keys on; writers
take the lock up front (``BEGIN IMMEDIATE``) so a busy database makes them wait
instead of failing half-way. PostgreSQL uses a pre-pinged connection pool.
Transient failures (locked, busy, deadlock, serialisation) are retried with
jittered back-off; every other database error becomes a :class:`StoreError`
(:class:`StoreFullError` when the disk is full).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self, TypeVar

import sqlalchemy as sa
from sqlalchemy import event

from ..errors import StoreError, StoreFullError
from .migrate import current_version, upgrade

__all__ = ["StoreEngine", "display_url", "make_engine", "is_sqlite", "translate", "retry"]

_T = TypeVar("_T")


def is_sqlite(engine: sa.Engine | sa.Connection) -> bool:
    """Return True when ``engine`` (or a connection of it) talks to SQLite."""
    return engine.dialect.name == "sqlite"


def display_url(url: str | sa.URL) -> str:
    """Return ``url`` for messages: any password masked, a relative SQLite path made absolute
    (so a "not found" error says exactly which database was searched).
    """
    u = sa.engine.make_url(url)
    db = u.database
    if (
        u.get_backend_name() == "sqlite"
        and db
        and db != ":memory:"
        and not db.startswith("file:")
        and not Path(db).is_absolute()
    ):
        u = u.set(database=str(Path(db).resolve()))
    return u.render_as_string(hide_password=True)


def make_engine(url: str, busy_timeout_ms: int) -> sa.Engine:
    """Create the engine for a SQLite or PostgreSQL URL.

    Parameters
    ----------
    url : str
        ``sqlite:///FILE`` (the folder is created) or ``postgresql+psycopg://...``.
    busy_timeout_ms : int
        How long a SQLite writer waits for the write lock.

    Raises
    ------
    StoreError
        For any other kind of URL.
    """
    u = sa.engine.make_url(url)
    if u.get_backend_name() == "sqlite":
        db = u.database or ""
        if db and db != ":memory:" and not db.startswith("file:"):
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            u, connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False}
        )
        timeout = int(busy_timeout_ms)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={timeout}")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: sa.Connection) -> None:
            if conn.get_execution_options().get("pbp_write"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")

        return engine
    if u.get_backend_name() == "postgresql":
        return sa.create_engine(u, pool_pre_ping=True, pool_size=10, max_overflow=20)
    raise StoreError(
        f"Database URL {url!r} is not supported; expected sqlite:///FILE or "
        "postgresql+psycopg://..."
    )


def translate(exc: sa.exc.DBAPIError) -> StoreError:
    """Turn a driver error into the kit's :class:`StoreError` (or :class:`StoreFullError`)."""
    msg = str(exc.orig) if exc.orig is not None else str(exc)
    low = msg.lower()
    if "full" in low and ("disk" in low or "database" in low) or "no space" in low:
        return StoreFullError(
            "The database is full (no space left); nothing was saved. Free disk space and try "
            "again."
        )
    return StoreError(
        f"The database could not complete the operation ({msg.splitlines()[0]}); try again."
    )


def retry(fn: Callable[[], _T], attempts: int = 8) -> _T:
    """Run ``fn``, retrying transient lock/serialisation failures with jittered back-off.

    Integrity errors pass through unchanged (callers decide what they mean);
    every other database error is raised as :func:`translate` makes it.
    """
    delay = 0.05
    for i in range(attempts):
        try:
            return fn()
        except sa.exc.OperationalError as exc:
            low = str(exc.orig).lower()
            transient = (
                "locked" in low
                or "busy" in low
                or "deadlock" in low
                or "could not serialize" in low
            )
            if not transient or i == attempts - 1:
                raise translate(exc) from exc
            time.sleep(delay + secrets.randbelow(50) / 1000)
            delay = min(delay * 2, 1.0)
        except sa.exc.DBAPIError as exc:
            if isinstance(exc, sa.exc.IntegrityError):
                raise
            raise translate(exc) from exc
    raise AssertionError("unreachable")


class StoreEngine:
    """The engine of a store and its read/write transactions (the base of every store area).

    Parameters
    ----------
    url : str
        SQLAlchemy URL (``sqlite:///path.sqlite3`` or ``postgresql+psycopg://...``).
    busy_timeout_ms : int
        How long a SQLite writer waits for the write lock.
    upgrade_schema : bool
        Upgrade an older schema on open (default True).
    """

    def __init__(
        self, url: str, *, busy_timeout_ms: int = 30000, upgrade_schema: bool = True
    ) -> None:
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms
        self.engine = make_engine(url, busy_timeout_ms)
        self._version_conn: Any = None
        if upgrade_schema:
            retry(lambda: upgrade(self.engine))

    def _run_write(self, fn: Callable[[sa.Connection], _T]) -> _T:
        """Run ``fn`` in one write transaction (committed before this returns), with retries."""

        def once() -> _T:
            with self.engine.connect().execution_options(pbp_write=True) as conn, conn.begin():
                return fn(conn)

        return retry(once)

    def _run_read(self, fn: Callable[[sa.Connection], _T]) -> _T:
        """Run ``fn`` on a read connection, with retries."""

        def once() -> _T:
            with self.engine.connect() as conn:
                return fn(conn)

        return retry(once)

    def close(self) -> None:
        """Release every connection."""
        if self._version_conn is not None:
            self._version_conn.close()
            self._version_conn = None
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def display_url(self) -> str:
        """The database URL for messages (see :func:`display_url`)."""
        return display_url(self.url)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def schema_version(self) -> str | None:
        """Return the schema version of the database (``HEAD`` after an upgrade)."""
        return current_version(self.engine)

    def data_version(self) -> int:
        """Return a number that changes whenever any session's data changes.

        On SQLite this is ``PRAGMA data_version`` on a connection kept for the
        purpose (nearly free when idle), plus that connection's own view; on
        PostgreSQL a cheap aggregate over the tables.
        """
        if is_sqlite(self.engine):
            if self._version_conn is None:
                self._version_conn = self.engine.raw_connection()
            cur = self._version_conn.cursor()
            try:
                return int(cur.execute("PRAGMA data_version").fetchone()[0])
            finally:
                cur.close()

        def q(conn: sa.Connection) -> int:
            row = conn.execute(
                sa.text(
                    "SELECT (SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
                    "FROM pg_stat_xact_user_tables) + "
                    "(SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
                    "FROM pg_stat_user_tables)"
                )
            ).scalar()
            return int(row or 0)

        return self._run_read(q)

    def integrity_check(self) -> str:
        """Return SQLite's ``PRAGMA integrity_check`` (``"ok"`` when healthy).

        PostgreSQL has no such check; there this returns ``"ok"``.
        """
        if not is_sqlite(self.engine):
            return "ok"
        return str(self._run_read(lambda c: c.exec_driver_sql("PRAGMA integrity_check").scalar()))
