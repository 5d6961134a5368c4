"""The session store: the only SQL in the kit, on SQLite (default) or PostgreSQL.

Every write runs in one transaction and returns only after COMMIT, so an
acknowledged write is durable (SQLite runs in WAL mode with
``synchronous=FULL``). Opening a database upgrades an older schema in place.
"""

from __future__ import annotations

import json
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from ..clock import new_id, utcnow_iso
from ..errors import (
    ClosedError,
    NotFoundError,
    PbpError,
    StoreError,
    StoreFullError,
    ValidationError,
)
from ..surveys import Survey
from . import schema as t
from .migrate import HEAD, current_version, upgrade

__all__ = [
    "Store",
    "open_store",
    "SessionRecord",
    "PromptRecord",
    "SubmissionRecord",
    "NewSubmission",
    "VotingRound",
    "GoalRecord",
    "SOURCES",
    "SESSION_CODE_ALPHABET",
    "check_storable_text",
]

SOURCES = ("form", "notes", "survey", "import")
SESSION_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_T = TypeVar("_T")


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
    """A dot-voting round: ``options`` are ``{"id": int, "label": str}`` dicts."""

    id: int
    session_id: int
    status: str
    dots: int
    options: list[dict[str, Any]]
    created_at: str
    closed_at: str | None


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


@dataclass
class _Cache:
    sessions: dict[int, SessionRecord] = field(default_factory=dict)


def _is_sqlite(engine: sa.Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _translate(exc: sa.exc.DBAPIError) -> StoreError:
    msg = str(exc.orig) if exc.orig is not None else str(exc)
    low = msg.lower()
    if "full" in low and ("disk" in low or "database" in low) or "no space" in low:
        return StoreFullError(
            "The database is full (no space left); nothing was saved. Free disk space and try again."
        )
    return StoreError(f"The database could not complete the operation ({msg.splitlines()[0]}); try again.")


class Store:
    """Session store over SQLAlchemy Core.

    Parameters
    ----------
    url : str
        SQLAlchemy URL (``sqlite:///path.sqlite3`` or ``postgresql+psycopg://...``).
    busy_timeout_ms : int
        How long a SQLite writer waits for the write lock.
    upgrade_schema : bool
        Upgrade an older schema on open (default True).
    """

    def __init__(self, url: str, *, busy_timeout_ms: int = 30000, upgrade_schema: bool = True) -> None:
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms
        self._cache = _Cache()
        self.engine = self._make_engine(url)
        self._version_conn: Any = None
        if upgrade_schema:
            self._retry(lambda: upgrade(self.engine))

    # -- engine and transactions -------------------------------------------------------------

    def _make_engine(self, url: str) -> sa.Engine:
        u = sa.engine.make_url(url)
        if u.get_backend_name() == "sqlite":
            db = u.database or ""
            if db and db != ":memory:" and not db.startswith("file:"):
                Path(db).parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(u, connect_args={"timeout": self.busy_timeout_ms / 1000, "check_same_thread": False})
            timeout = int(self.busy_timeout_ms)

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
            f"Database URL {url!r} is not supported; expected sqlite:///FILE or postgresql+psycopg://..."
        )

    def _retry(self, fn: Callable[[], _T], attempts: int = 8) -> _T:
        delay = 0.05
        for i in range(attempts):
            try:
                return fn()
            except sa.exc.OperationalError as exc:
                low = str(exc.orig).lower()
                transient = "locked" in low or "busy" in low or "deadlock" in low or "could not serialize" in low
                if not transient or i == attempts - 1:
                    raise _translate(exc) from exc
                time.sleep(delay + secrets.randbelow(50) / 1000)
                delay = min(delay * 2, 1.0)
            except sa.exc.DBAPIError as exc:
                if isinstance(exc, sa.exc.IntegrityError):
                    raise
                raise _translate(exc) from exc
        raise AssertionError("unreachable")

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self.engine.connect().execution_options(pbp_write=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            yield conn

    def _run_write(self, fn: Callable[[sa.Connection], _T]) -> _T:
        def once() -> _T:
            with self._write() as conn:
                return fn(conn)

        return self._retry(once)

    def _run_read(self, fn: Callable[[sa.Connection], _T]) -> _T:
        def once() -> _T:
            with self._read() as conn:
                return fn(conn)

        return self._retry(once)

    def close(self) -> None:
        """Release every connection."""
        if self._version_conn is not None:
            self._version_conn.close()
            self._version_conn = None
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
        if _is_sqlite(self.engine):
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
                    "(SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables)"
                )
            ).scalar()
            return int(row or 0)

        return self._run_read(q)

    # -- sessions ----------------------------------------------------------------------------

    def create_session(
        self,
        survey: Survey,
        title: str,
        *,
        languages: Sequence[str] | None = None,
        code: str | None = None,
        open_first_prompt: bool = True,
    ) -> SessionRecord:
        """Create a session from a survey, with its prompts; return it.

        Parameters
        ----------
        survey : Survey
            The survey definition (snapshotted into the session).
        title : str
            Title shown to participants.
        languages : sequence of str, optional
            Defaults to the survey's languages.
        code : str, optional
            Join code; a random 6-character code when absent.
        open_first_prompt : bool
            Open the first prompt so participants can start at once.
        """
        title = unicodedata.normalize("NFC", title or "").strip()
        if not title:
            raise ValidationError("A session needs a title; pass --title 'Eastside visioning'.", field="title")
        langs = tuple(languages or survey.languages)
        now = utcnow_iso()

        def tx(conn: sa.Connection) -> int:
            c = code.upper() if code else None
            for _ in range(20):
                candidate = c or "".join(secrets.choice(SESSION_CODE_ALPHABET) for _ in range(6))
                exists = conn.execute(sa.select(t.sessions.c.id).where(t.sessions.c.code == candidate)).first()
                if exists is None:
                    c = candidate
                    break
                if code:
                    raise ValidationError(f"Session code {candidate!r} is taken; choose another.", field="code")
            sid = conn.execute(
                t.sessions.insert().values(
                    code=c, title=title, survey_key=survey.key, survey_json=survey.to_json(),
                    languages=",".join(langs), status="open", created_at=now, updated_at=now,
                )
            ).inserted_primary_key[0]
            conn.execute(
                t.prompts.insert(),
                [
                    {
                        "session_id": sid, "position": i, "key": p.key, "kind": p.kind,
                        "text_json": json.dumps(p.text, ensure_ascii=False),
                        "is_open": bool(open_first_prompt and i == 0),
                    }
                    for i, p in enumerate(survey.prompts)
                ],
            )
            return int(sid)

        sid = self._run_write(tx)
        return self.get_session(sid)

    def _session_from_row(self, row: Any) -> SessionRecord:
        return SessionRecord(
            id=row.id, code=row.code, title=row.title, survey_key=row.survey_key,
            languages=tuple(x for x in row.languages.split(",") if x), status=row.status,
            created_at=row.created_at, updated_at=row.updated_at, survey=Survey.from_json(row.survey_json),
        )

    def get_session(self, ref: int | str, *, by: str = "any") -> SessionRecord:
        """Return a session by join code (case-insensitive) or id.

        Parameters
        ----------
        ref : int or str
            An int is an id; a string is a join code, or an id when it is all digits
            and no session has that code (codes may be all digits).
        by : {"any", "code", "id"}
            Restrict the lookup to codes (participant pages) or ids.

        Raises
        ------
        NotFoundError
            When no session matches.
        """
        s = t.sessions
        wheres = []
        if by in ("any", "code") and isinstance(ref, str):
            wheres.append(s.c.code == ref.strip().upper())
        if by in ("any", "id") and (isinstance(ref, int) or str(ref).strip().isdigit()):
            wheres.append(s.c.id == int(ref))
        row = None
        for where in wheres:
            row = self._run_read(lambda c, w=where: c.execute(sa.select(s).where(w)).first())
            if row is not None:
                break
        if row is None:
            raise NotFoundError(
                f"No session {ref!r} in this database; run 'pbp session list' to see the sessions."
            )
        return self._session_from_row(row)

    def list_sessions(self) -> list[SessionRecord]:
        """Return all sessions, newest first."""
        rows = self._run_read(lambda c: c.execute(sa.select(t.sessions).order_by(t.sessions.c.id.desc())).all())
        return [self._session_from_row(r) for r in rows]

    def set_session_status(self, session_id: int, status: str, *, actor: str = "facilitator") -> None:
        """Open or close a session (``"open"`` or ``"closed"``)."""
        if status not in ("open", "closed"):
            raise ValidationError(f"Session status must be 'open' or 'closed', got {status!r}.", field="status")

        def tx(conn: sa.Connection) -> None:
            self._touch(conn, session_id)
            conn.execute(t.sessions.update().where(t.sessions.c.id == session_id).values(status=status))
            self._audit(conn, session_id, actor, f"session_{status}", str(session_id), {})

        self._run_write(tx)

    def _touch(self, conn: sa.Connection, session_id: int) -> None:
        n = conn.execute(
            t.sessions.update().where(t.sessions.c.id == session_id).values(updated_at=utcnow_iso())
        ).rowcount
        if n == 0:
            raise NotFoundError(f"No session with id {session_id}; run 'pbp session list'.")

    def _audit(self, conn: sa.Connection, session_id: int | None, actor: str, action: str,
               target: str | None, detail: Mapping[str, Any]) -> None:
        conn.execute(
            t.audit_log.insert().values(
                session_id=session_id, at=utcnow_iso(), actor=actor[:100], action=action,
                target=target, detail_json=json.dumps(dict(detail), ensure_ascii=False),
            )
        )

    def audit_log(self, session_id: int) -> list[dict[str, Any]]:
        """Return the audit trail of a session (who did what, when), oldest first."""
        a = t.audit_log
        rows = self._run_read(
            lambda c: c.execute(sa.select(a).where(a.c.session_id == session_id).order_by(a.c.id)).all()
        )
        return [
            {"at": r.at, "actor": r.actor, "action": r.action, "target": r.target, "detail": json.loads(r.detail_json)}
            for r in rows
        ]

    # -- prompts -----------------------------------------------------------------------------

    def list_prompts(self, session_id: int) -> list[PromptRecord]:
        """Return the prompts of a session in order."""
        p = t.prompts
        rows = self._run_read(
            lambda c: c.execute(sa.select(p).where(p.c.session_id == session_id).order_by(p.c.position)).all()
        )
        return [
            PromptRecord(id=r.id, session_id=r.session_id, position=r.position, key=r.key, kind=r.kind,
                         text=json.loads(r.text_json), is_open=bool(r.is_open))
            for r in rows
        ]

    def set_prompt_open(self, prompt_id: int, is_open: bool, *, actor: str = "facilitator") -> PromptRecord:
        """Open or close one prompt; return it."""
        p = t.prompts

        def tx(conn: sa.Connection) -> int:
            row = conn.execute(sa.select(p.c.session_id).where(p.c.id == prompt_id)).first()
            if row is None:
                raise NotFoundError(f"No prompt with id {prompt_id}.")
            conn.execute(p.update().where(p.c.id == prompt_id).values(is_open=bool(is_open)))
            self._touch(conn, row.session_id)
            self._audit(conn, row.session_id, actor, "prompt_open" if is_open else "prompt_close", str(prompt_id), {})
            return int(row.session_id)

        sid = self._run_write(tx)
        return next(x for x in self.list_prompts(sid) if x.id == prompt_id)

    def open_only(self, session_id: int, prompt_id: int | None, *, actor: str = "facilitator") -> None:
        """Open exactly one prompt of the session (``None`` closes them all)."""
        p = t.prompts

        def tx(conn: sa.Connection) -> None:
            self._touch(conn, session_id)
            conn.execute(p.update().where(p.c.session_id == session_id).values(is_open=False))
            if prompt_id is not None:
                n = conn.execute(
                    p.update().where(p.c.session_id == session_id, p.c.id == prompt_id).values(is_open=True)
                ).rowcount
                if n == 0:
                    raise NotFoundError(f"Prompt {prompt_id} is not part of session {session_id}.")
            self._audit(conn, session_id, actor, "prompt_focus", str(prompt_id), {})

        self._run_write(tx)

    # -- submissions -------------------------------------------------------------------------

    def add_submission(
        self,
        session_id: int,
        prompt_id: int | None,
        text: str,
        *,
        language: str | None = None,
        source: str = "form",
        participant_key: str | None = None,
        idempotency_key: str | None = None,
        require_open: bool = False,
    ) -> tuple[SubmissionRecord, bool]:
        """Store one idea; return ``(record, created)``.

        The write is committed before this returns. With an ``idempotency_key``
        already stored, nothing new is written and the stored record is
        returned with ``created=False``.

        Raises
        ------
        ClosedError
            With ``require_open`` when the session or prompt is closed.
        """
        item = NewSubmission(text=text, prompt_id=prompt_id, language=language, source=source,
                             participant_key=participant_key, idempotency_key=idempotency_key)

        def tx(conn: sa.Connection) -> tuple[SubmissionRecord, bool]:
            if require_open:
                self._check_open(conn, session_id, prompt_id)
            return self._insert_submissions(conn, session_id, [item])[0]

        return self._run_write(tx)

    def add_submissions(self, session_id: int, items: Iterable[NewSubmission], *,
                        actor: str = "import", detail: Mapping[str, Any] | None = None) -> list[tuple[SubmissionRecord, bool]]:
        """Store many ideas in ONE transaction (all or nothing); return ``(record, created)`` each."""
        items = list(items)

        def tx(conn: sa.Connection) -> list[tuple[SubmissionRecord, bool]]:
            out = self._insert_submissions(conn, session_id, items)
            self._audit(conn, session_id, actor, "import", None,
                        {"added": sum(1 for _, c in out if c), **dict(detail or {})})
            return out

        return self._run_write(tx)

    def add_submission_group(self, items: Sequence[tuple[int, NewSubmission]], *,
                             require_open: bool = True) -> list[tuple[SubmissionRecord, bool] | PbpError]:
        """Store ideas of independent participants in ONE transaction (group commit).

        Each ``(session_id, item)`` runs in its own savepoint, so a closed prompt or
        a stale form key fails only that item: its slot in the result holds the
        error (``ClosedError``, ``NotFoundError`` or ``ValidationError``) instead of
        ``(record, created)``. Everything else is committed together, once, before
        this returns; if the COMMIT fails, the StoreError is raised for all.
        """

        def tx(conn: sa.Connection) -> list[tuple[SubmissionRecord, bool] | PbpError]:
            out: list[tuple[SubmissionRecord, bool] | PbpError] = []
            for session_id, item in items:
                try:
                    with conn.begin_nested():
                        if require_open:
                            self._check_open(conn, session_id, item.prompt_id)
                        out.append(self._insert_submissions(conn, session_id, [item])[0])
                except (ClosedError, NotFoundError, ValidationError) as exc:
                    out.append(exc)
            return out

        return self._run_write(tx)

    def import_submissions(self, session_id: int, items: Iterable[NewSubmission], *, actor: str = "import",
                           detail: Mapping[str, Any] | None = None, chunk: int = 500) -> tuple[int, int]:
        """Store many keyed ideas in ONE transaction with batched statements; return ``(added, already_present)``.

        Same guarantees as :meth:`add_submissions` (all or nothing, idempotency keys
        deduplicate, one audit entry) without returning the records, so a file of
        tens of thousands of ideas costs a few statements per ``chunk`` instead of
        two per idea. Every item needs an ``idempotency_key``.
        """
        items = list(items)
        for it in items:
            _check_item(it)
            if not it.idempotency_key:
                raise ValidationError("Bulk imports need text and an idempotency key on every item.", field="text")
        s = t.submissions

        def tx(conn: sa.Connection) -> tuple[int, int]:
            self._touch(conn, session_id)
            keys = [it.idempotency_key for it in items]
            present: set[str] = set()
            for i in range(0, len(keys), chunk):
                found = conn.execute(sa.select(s.c.idempotency_key, s.c.session_id)
                                     .where(s.c.idempotency_key.in_(keys[i:i + chunk]))).all()
                for key, sid in found:
                    if sid != session_id:
                        raise ValidationError(f"Idempotency key {key!r} belongs to another session.",
                                              field="idempotency_key")
                    present.add(key)
            now = utcnow_iso()
            rows: list[dict[str, Any]] = []
            for it in items:
                if it.idempotency_key in present:
                    continue
                present.add(it.idempotency_key)  # type: ignore[arg-type]
                rows.append(_row_values(session_id, it, now))
            for i in range(0, len(rows), chunk):
                conn.execute(s.insert(), rows[i:i + chunk])
            self._audit(conn, session_id, actor, "import", None, {"added": len(rows), **dict(detail or {})})
            return len(rows), len(items) - len(rows)

        try:
            return self._run_write(tx)
        except sa.exc.IntegrityError as exc:
            raise StoreError(
                f"The database refused the import ({str(exc.orig).splitlines()[0]}); nothing was saved. If another "
                f"import of the same file ran at the same time, run this import again."
            ) from exc

    def _check_open(self, conn: sa.Connection, session_id: int, prompt_id: int | None) -> None:
        srow = conn.execute(sa.select(t.sessions.c.status).where(t.sessions.c.id == session_id)).first()
        if srow is None:
            raise NotFoundError(f"No session with id {session_id}.")
        if srow.status != "open":
            raise ClosedError("This session is closed and no longer takes ideas.")
        if prompt_id is not None:
            prow = conn.execute(
                sa.select(t.prompts.c.is_open).where(t.prompts.c.id == prompt_id, t.prompts.c.session_id == session_id)
            ).first()
            if prow is None:
                raise NotFoundError(f"Prompt {prompt_id} is not part of this session.")
            if not prow.is_open:
                raise ClosedError("This question is closed; the facilitator has moved on.")

    def _insert_submissions(self, conn: sa.Connection, session_id: int,
                            items: Sequence[NewSubmission]) -> list[tuple[SubmissionRecord, bool]]:
        s = t.submissions
        self._touch(conn, session_id)
        out: list[tuple[SubmissionRecord, bool]] = []
        ins = (sqlite_dialect.insert if _is_sqlite(self.engine) else pg_dialect.insert)(s)
        for it in items:
            _check_item(it)
            values = _row_values(session_id, it, utcnow_iso())
            if it.idempotency_key:
                res = conn.execute(ins.values(**values).on_conflict_do_nothing(index_elements=["idempotency_key"])
                                   .returning(s.c.seq))
                created = res.first() is not None
                row = conn.execute(sa.select(s).where(s.c.idempotency_key == it.idempotency_key)).first()
                if row.session_id != session_id:
                    raise ValidationError("This form key belongs to another session; reload the page.", field="idempotency_key")
            else:
                seq = conn.execute(s.insert().values(**values)).inserted_primary_key[0]
                created = True
                row = conn.execute(sa.select(s).where(s.c.seq == seq)).first()
            out.append((_submission(row), created))
        return out

    def list_submissions(
        self,
        session_id: int,
        *,
        include_hidden: bool = False,
        since_seq: int | None = None,
        prompt_id: int | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[SubmissionRecord]:
        """Return the submissions of a session (visible ones unless ``include_hidden``)."""
        s = t.submissions
        q = sa.select(s).where(s.c.session_id == session_id)
        if not include_hidden:
            q = q.where(s.c.hidden == sa.false())
        if since_seq is not None:
            q = q.where(s.c.seq > since_seq)
        if prompt_id is not None:
            q = q.where(s.c.prompt_id == prompt_id)
        q = q.order_by(s.c.seq.desc() if newest_first else s.c.seq)
        if limit is not None:
            q = q.limit(limit)
        rows = self._run_read(lambda c: c.execute(q).all())
        return [_submission(r) for r in rows]

    def get_submission(self, submission_id: str) -> SubmissionRecord:
        """Return one submission by its id."""
        s = t.submissions
        row = self._run_read(lambda c: c.execute(sa.select(s).where(s.c.id == submission_id)).first())
        if row is None:
            raise NotFoundError(f"No submission with id {submission_id!r}.")
        return _submission(row)

    def count_submissions(self, session_id: int, *, include_hidden: bool = False) -> int:
        """Return how many submissions a session has."""
        s = t.submissions
        q = sa.select(sa.func.count()).select_from(s).where(s.c.session_id == session_id)
        if not include_hidden:
            q = q.where(s.c.hidden == sa.false())
        return int(self._run_read(lambda c: c.execute(q).scalar() or 0))

    def set_hidden(self, submission_id: str, hidden: bool, *, actor: str = "facilitator", reason: str = "") -> SubmissionRecord:
        """Hide (moderate) or restore a submission, recording who and when in the audit log."""
        s = t.submissions

        def tx(conn: sa.Connection) -> None:
            row = conn.execute(sa.select(s.c.session_id).where(s.c.id == submission_id)).first()
            if row is None:
                raise NotFoundError(f"No submission with id {submission_id!r}.")
            conn.execute(s.update().where(s.c.id == submission_id).values(hidden=bool(hidden)))
            self._touch(conn, row.session_id)
            self._audit(conn, row.session_id, actor, "hide" if hidden else "restore", submission_id,
                        {"reason": reason} if reason else {})

        self._run_write(tx)
        return self.get_submission(submission_id)

    # -- participant profiles (demographics only with consent) -------------------------------

    def save_profile(self, session_id: int, participant_key: str, *, consented: bool,
                     demographics: Mapping[str, Any] | None = None) -> None:
        """Record a participant's consent and, only if consented, their demographic answers.

        Values are validated against the session's survey questions. Without
        consent no demographic value is stored (any stored before is erased).
        """
        session = self.get_session(session_id)
        clean: dict[str, Any] = {}
        if consented:
            for key, value in (demographics or {}).items():
                if value in (None, "", []):
                    continue
                q = session.survey.question(key)
                if q is None:
                    raise ValidationError(f"Unknown demographic question {key!r}.", field=key)
                allowed = {o.value for o in q.options}
                values = value if isinstance(value, list) else [value]
                if not q.multiple and len(values) > 1:
                    raise ValidationError(f"Question {key!r} takes one answer.", field=key)
                bad = [v for v in values if v not in allowed]
                if bad:
                    raise ValidationError(f"{bad[0]!r} is not an option of {key!r}.", field=key)
                clean[key] = values if q.multiple else values[0]
        now = utcnow_iso()
        p = t.participant_profiles
        values = {"consented": bool(consented), "consent_at": now if consented else None,
                  "demographics_json": json.dumps(clean, ensure_ascii=False), "updated_at": now}

        def tx(conn: sa.Connection) -> None:
            self._touch(conn, session_id)
            n = conn.execute(
                p.update().where(p.c.session_id == session_id, p.c.participant_key == participant_key).values(**values)
            ).rowcount
            if n == 0:
                conn.execute(p.insert().values(session_id=session_id, participant_key=participant_key, **values))

        self._run_write(tx)

    def participants_frame(self, session_id: int) -> Any:
        """Return one row per participant: ``participant_key``, ``consented``, one column per question.

        Participants who submitted without a profile appear with ``consented=False``
        and no values ("not shared"). Values of non-consented rows are always empty.
        """
        import pandas as pd

        session = self.get_session(session_id)
        p, s = t.participant_profiles, t.submissions

        def q(conn: sa.Connection) -> tuple[list[Any], list[Any]]:
            profs = conn.execute(sa.select(p).where(p.c.session_id == session_id)).all()
            keys = conn.execute(
                sa.select(s.c.participant_key).where(s.c.session_id == session_id, s.c.participant_key.is_not(None))
                .distinct()
            ).all()
            return profs, keys

        profs, keys = self._run_read(q)
        dims = [qq.key for qq in session.survey.demographics]
        rows: dict[str, dict[str, Any]] = {}
        for r in profs:
            data = json.loads(r.demographics_json) if r.consented else {}
            rows[r.participant_key] = {"participant_key": r.participant_key, "consented": bool(r.consented),
                                       **{d: data.get(d) for d in dims}}
        for (k,) in keys:
            rows.setdefault(k, {"participant_key": k, "consented": False, **{d: None for d in dims}})
        return pd.DataFrame(list(rows.values()), columns=["participant_key", "consented", *dims])

    # -- voting ------------------------------------------------------------------------------

    def start_voting_round(self, session_id: int, options: Sequence[Mapping[str, Any]], *, dots: int = 3,
                           actor: str = "facilitator") -> VotingRound:
        """Open a dot-voting round over ``options`` (``{"id", "label"}``); closes any open round."""
        if dots < 1:
            raise ValidationError(f"Each participant needs at least 1 dot, got {dots}.", field="dots")
        opts = [{"id": int(o["id"]), "label": str(o["label"])} for o in options]
        if not opts:
            raise ValidationError("A voting round needs at least one option (theme).", field="options")
        vr = t.voting_rounds
        now = utcnow_iso()

        def tx(conn: sa.Connection) -> int:
            self._touch(conn, session_id)
            conn.execute(vr.update().where(vr.c.session_id == session_id, vr.c.status == "open")
                         .values(status="closed", closed_at=now))
            rid = conn.execute(vr.insert().values(session_id=session_id, status="open", dots=dots,
                                                  options_json=json.dumps(opts, ensure_ascii=False),
                                                  created_at=now)).inserted_primary_key[0]
            self._audit(conn, session_id, actor, "voting_start", str(rid), {"dots": dots, "options": len(opts)})
            return int(rid)

        rid = self._run_write(tx)
        return self.get_voting_round(rid)

    def _round(self, row: Any) -> VotingRound:
        return VotingRound(id=row.id, session_id=row.session_id, status=row.status, dots=row.dots,
                           options=json.loads(row.options_json), created_at=row.created_at, closed_at=row.closed_at)

    def get_voting_round(self, round_id: int) -> VotingRound:
        """Return a voting round by id."""
        vr = t.voting_rounds
        row = self._run_read(lambda c: c.execute(sa.select(vr).where(vr.c.id == round_id)).first())
        if row is None:
            raise NotFoundError(f"No voting round with id {round_id}.")
        return self._round(row)

    def current_voting_round(self, session_id: int) -> VotingRound | None:
        """Return the session's latest voting round (open or closed), or None."""
        vr = t.voting_rounds
        row = self._run_read(lambda c: c.execute(
            sa.select(vr).where(vr.c.session_id == session_id).order_by(vr.c.id.desc()).limit(1)).first())
        return self._round(row) if row is not None else None

    def close_voting_round(self, round_id: int, *, actor: str = "facilitator") -> None:
        """Close a voting round; ballots can no longer change."""
        vr = t.voting_rounds
        r = self.get_voting_round(round_id)

        def tx(conn: sa.Connection) -> None:
            self._touch(conn, r.session_id)
            conn.execute(vr.update().where(vr.c.id == round_id).values(status="closed", closed_at=utcnow_iso()))
            self._audit(conn, r.session_id, actor, "voting_close", str(round_id), {})

        self._run_write(tx)

    def cast_ballot(self, round_id: int, participant_key: str, allocation: Mapping[int, int]) -> None:
        """Replace a participant's ballot in an open round: ``{option id: dots}``.

        Raises
        ------
        ValidationError
            Unknown options, negative dots, or more dots than the round allows.
        ClosedError
            When the round is closed.
        """
        r = self.get_voting_round(round_id)
        valid = {o["id"] for o in r.options}
        alloc = {int(k): int(v) for k, v in allocation.items() if int(v) != 0}
        if any(v < 0 for v in alloc.values()):
            raise ValidationError("Dots cannot be negative.", field="dots")
        if set(alloc) - valid:
            raise ValidationError("A vote names a theme that is not in this round; reload the page.", field="dots")
        if sum(alloc.values()) > r.dots:
            raise ValidationError(f"You can place at most {r.dots} dots; you placed {sum(alloc.values())}.", field="dots")
        v, vr = t.votes, t.voting_rounds
        now = utcnow_iso()

        def tx(conn: sa.Connection) -> None:
            status = conn.execute(sa.select(vr.c.status).where(vr.c.id == round_id)).scalar()
            if status != "open":
                raise ClosedError("Voting has closed; your ballot was not changed.")
            self._touch(conn, r.session_id)
            conn.execute(v.delete().where(v.c.round_id == round_id, v.c.participant_key == participant_key))
            if alloc:
                conn.execute(v.insert(), [{"round_id": round_id, "participant_key": participant_key,
                                           "option_id": k, "dots": n, "created_at": now} for k, n in alloc.items()])

        self._run_write(tx)

    def ballot(self, round_id: int, participant_key: str) -> dict[int, int]:
        """Return a participant's current ballot ``{option id: dots}``."""
        v = t.votes
        rows = self._run_read(lambda c: c.execute(sa.select(v.c.option_id, v.c.dots).where(
            v.c.round_id == round_id, v.c.participant_key == participant_key)).all())
        return {int(r.option_id): int(r.dots) for r in rows}

    def vote_totals(self, round_id: int) -> dict[int, dict[str, int]]:
        """Return ``{option id: {"dots": n, "voters": m}}`` for every option of the round."""
        r = self.get_voting_round(round_id)
        v = t.votes
        rows = self._run_read(lambda c: c.execute(
            sa.select(v.c.option_id, sa.func.sum(v.c.dots), sa.func.count(sa.distinct(v.c.participant_key)))
            .where(v.c.round_id == round_id).group_by(v.c.option_id)).all())
        out = {o["id"]: {"dots": 0, "voters": 0} for o in r.options}
        for oid, dots, voters in rows:
            out[int(oid)] = {"dots": int(dots or 0), "voters": int(voters or 0)}
        return out

    def votes_frame(self, round_id: int) -> Any:
        """Return the round's votes as a DataFrame: ``participant_key``, ``theme_id``, ``dots``."""
        import pandas as pd

        v = t.votes
        rows = self._run_read(lambda c: c.execute(sa.select(v.c.participant_key, v.c.option_id, v.c.dots)
                                                  .where(v.c.round_id == round_id).order_by(v.c.id)).all())
        return pd.DataFrame([tuple(r) for r in rows], columns=["participant_key", "theme_id", "dots"])

    # -- themes ------------------------------------------------------------------------------

    def save_theme_snapshot(self, session_id: int, data: Mapping[str, Any]) -> int:
        """Store a JSON-able theme snapshot (the latest is the ``previous`` of the next refit)."""
        ts = t.theme_snapshots
        payload = json.dumps(data, ensure_ascii=False)

        def tx(conn: sa.Connection) -> int:
            return int(conn.execute(ts.insert().values(session_id=session_id, created_at=utcnow_iso(),
                                                       data_json=payload)).inserted_primary_key[0])

        return self._run_write(tx)

    def latest_theme_snapshot(self, session_id: int) -> dict[str, Any] | None:
        """Return the newest theme snapshot of a session, or None."""
        ts = t.theme_snapshots
        row = self._run_read(lambda c: c.execute(sa.select(ts.c.data_json).where(ts.c.session_id == session_id)
                                                 .order_by(ts.c.id.desc()).limit(1)).first())
        return json.loads(row.data_json) if row else None

    def add_theme_edit(self, session_id: int, edit: Mapping[str, Any], *, actor: str = "facilitator") -> int:
        """Store a facilitator's theme edit (rename, merge, split, move, pin); edits replay in order."""
        te = t.theme_edits
        payload = json.dumps(dict(edit), ensure_ascii=False)

        def tx(conn: sa.Connection) -> int:
            self._touch(conn, session_id)
            eid = conn.execute(te.insert().values(session_id=session_id, created_at=utcnow_iso(), actor=actor,
                                                  edit_json=payload)).inserted_primary_key[0]
            self._audit(conn, session_id, actor, "theme_edit", str(eid), dict(edit))
            return int(eid)

        return self._run_write(tx)

    def list_theme_edits(self, session_id: int) -> list[dict[str, Any]]:
        """Return the session's theme edits, oldest first."""
        te = t.theme_edits
        rows = self._run_read(lambda c: c.execute(sa.select(te.c.edit_json).where(te.c.session_id == session_id)
                                                  .order_by(te.c.id)).all())
        return [json.loads(r.edit_json) for r in rows]

    # -- goals -------------------------------------------------------------------------------

    def save_goal(self, session_id: int, text: str, *, status: str = "draft", theme_ids: Sequence[int] = (),
                  check: Mapping[str, Any] | None = None, goal_id: int | None = None,
                  actor: str = "facilitator") -> GoalRecord:
        """Create or update a goal with its latest check; return it."""
        if status not in ("draft", "agreed"):
            raise ValidationError(f"Goal status must be 'draft' or 'agreed', got {status!r}.", field="status")
        text = unicodedata.normalize("NFC", text or "").strip()
        if not text:
            raise ValidationError("A goal needs some text.", field="text")
        g = t.goals
        now = utcnow_iso()
        values = {"text": text, "status": status, "theme_ids_json": json.dumps([int(x) for x in theme_ids]),
                  "check_json": json.dumps(dict(check or {}), ensure_ascii=False), "updated_at": now}

        def tx(conn: sa.Connection) -> int:
            self._touch(conn, session_id)
            if goal_id is None:
                gid = int(conn.execute(g.insert().values(session_id=session_id, created_at=now, **values))
                          .inserted_primary_key[0])
            else:
                n = conn.execute(g.update().where(g.c.id == goal_id, g.c.session_id == session_id)
                                 .values(**values)).rowcount
                if n == 0:
                    raise NotFoundError(f"No goal {goal_id} in session {session_id}.")
                gid = goal_id
            self._audit(conn, session_id, actor, "goal_save", str(gid), {"status": status})
            return gid

        gid = self._run_write(tx)
        return next(x for x in self.list_goals(session_id) if x.id == gid)

    def list_goals(self, session_id: int) -> list[GoalRecord]:
        """Return a session's goals, oldest first."""
        g = t.goals
        rows = self._run_read(lambda c: c.execute(sa.select(g).where(g.c.session_id == session_id)
                                                  .order_by(g.c.id)).all())
        return [GoalRecord(id=r.id, session_id=r.session_id, text=r.text, status=r.status,
                           theme_ids=json.loads(r.theme_ids_json), check=json.loads(r.check_json),
                           created_at=r.created_at, updated_at=r.updated_at) for r in rows]

    def delete_goal(self, goal_id: int, *, actor: str = "facilitator") -> None:
        """Delete a goal."""
        g = t.goals

        def tx(conn: sa.Connection) -> None:
            row = conn.execute(sa.select(g.c.session_id).where(g.c.id == goal_id)).first()
            if row is None:
                raise NotFoundError(f"No goal with id {goal_id}.")
            conn.execute(g.delete().where(g.c.id == goal_id))
            self._touch(conn, row.session_id)
            self._audit(conn, row.session_id, actor, "goal_delete", str(goal_id), {})

        self._run_write(tx)

    def integrity_check(self) -> str:
        """Run SQLite's ``PRAGMA integrity_check`` (``"ok"`` when healthy); ``"ok"`` on PostgreSQL."""
        if not _is_sqlite(self.engine):
            return "ok"
        return str(self._run_read(lambda c: c.exec_driver_sql("PRAGMA integrity_check").scalar()))


def check_storable_text(text: Any, field: str = "text") -> None:
    """Raise :class:`ValidationError` unless ``text`` can be stored byte-for-byte on every backend.

    NUL characters (PostgreSQL cannot store them) and lone surrogates (not
    encodable as UTF-8) are refused rather than silently altered.
    """
    if not isinstance(text, str):
        raise ValidationError(f"Text must be a string, got {type(text).__name__}.", field=field, code="type")
    if "\x00" in text:
        raise ValidationError("The text contains a NUL (\\x00) character, which cannot be stored; remove it "
                              "and try again.", field=field, code="nul")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError("The text contains an invalid character (a lone surrogate) that is not valid "
                              "Unicode; retype it and try again.", field=field, code="encoding") from exc


def _check_item(item: NewSubmission) -> None:
    """Validate one new submission the same way on every write path."""
    if item.source not in SOURCES:
        raise ValidationError(f"Submission source must be one of {SOURCES}, got {item.source!r}.", field="source")
    check_storable_text(item.text)


def _row_values(session_id: int, item: NewSubmission, now: str) -> dict[str, Any]:
    """The ``submissions`` row for a new item (a fresh id; ``now`` unless the item has its time)."""
    return {"id": new_id(), "session_id": session_id, "prompt_id": item.prompt_id, "text": item.text,
            "language": item.language, "source": item.source, "participant_key": item.participant_key,
            "created_at": item.created_at or now, "hidden": False, "idempotency_key": item.idempotency_key}


def _submission(row: Any) -> SubmissionRecord:
    return SubmissionRecord(
        seq=row.seq, id=row.id, session_id=row.session_id, prompt_id=row.prompt_id, text=row.text,
        language=row.language, source=row.source, participant_key=row.participant_key,
        created_at=row.created_at, hidden=bool(row.hidden), idempotency_key=row.idempotency_key,
    )


def open_store(url_or_settings: Any) -> Store:
    """Open (and upgrade) the store for a URL or a :class:`~pbp_facilitate.settings.Settings`."""
    if isinstance(url_or_settings, str):
        return Store(url_or_settings)
    s = url_or_settings
    return Store(s.resolved_database_url, busy_timeout_ms=s.busy_timeout_ms)


HEAD_VERSION = HEAD
