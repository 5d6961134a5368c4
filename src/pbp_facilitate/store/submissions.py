"""Ideas: single, grouped and bulk writes (idempotent), reading, and moderation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from ..clock import new_id, utcnow_iso
from ..errors import (
    ClosedError,
    ConflictError,
    NotFoundError,
    PbpError,
    StoreError,
    ValidationError,
)
from . import schema as t
from .audit import audit, touch
from .checks import check_item
from .engine import StoreEngine, display_url, is_sqlite, translate
from .records import NewSubmission, SubmissionRecord, submission_from_row

__all__ = ["SubmissionsMixin"]

_Result = tuple[SubmissionRecord, bool]


def _row_values(session_id: int, item: NewSubmission, now: str) -> dict[str, Any]:
    """The ``submissions`` row for a new item (a fresh id; ``now`` unless the item has its time)."""
    return {
        "id": new_id(),
        "session_id": session_id,
        "prompt_id": item.prompt_id,
        "text": item.text,
        "language": item.language,
        "source": item.source,
        "participant_key": item.participant_key,
        "created_at": item.created_at or now,
        "hidden": False,
        "idempotency_key": item.idempotency_key,
    }


def _check_open(conn: sa.Connection, session_id: int, prompt_id: int | None) -> None:
    """Raise unless the session (and the prompt, if any) takes ideas right now."""
    srow = conn.execute(sa.select(t.sessions.c.status).where(t.sessions.c.id == session_id)).first()
    if srow is None:
        raise NotFoundError(
            f"No session with id {session_id} in the database {display_url(conn.engine.url)}."
        )
    if srow.status != "open":
        raise ClosedError("This session is closed and no longer takes ideas.")
    if prompt_id is not None:
        prow = conn.execute(
            sa.select(t.prompts.c.is_open).where(
                t.prompts.c.id == prompt_id, t.prompts.c.session_id == session_id
            )
        ).first()
        if prow is None:
            raise NotFoundError(f"Prompt {prompt_id} is not part of this session.")
        if not prow.is_open:
            raise ClosedError("This question is closed; the facilitator has moved on.")


def _insert(
    conn: sa.Connection,
    session_id: int,
    items: Sequence[NewSubmission],
    *,
    touch_session: bool = True,
) -> list[_Result]:
    """Insert ``items`` one by one; a stored idempotency key returns the stored record.

    ``touch_session=False`` leaves marking the session changed to the caller (a group commit
    does it once, at the end of its transaction).
    """
    s = t.submissions
    if touch_session:
        touch(conn, session_id)
    out: list[_Result] = []
    ins = (sqlite_dialect.insert if is_sqlite(conn) else pg_dialect.insert)(s)
    for it in items:
        check_item(it)
        values = _row_values(session_id, it, utcnow_iso())
        if it.idempotency_key:
            res = conn.execute(
                ins.values(**values)
                .on_conflict_do_nothing(index_elements=["idempotency_key"])
                .returning(s.c.seq)
            )
            created = res.first() is not None
            row = conn.execute(
                sa.select(s).where(s.c.idempotency_key == it.idempotency_key)
            ).first()
            if row.session_id != session_id:
                raise ValidationError(
                    "This form key belongs to another session; reload the page.",
                    field="idempotency_key",
                )
            if not created and (
                row.text != it.text
                or row.participant_key != it.participant_key
                or row.prompt_id != it.prompt_id
            ):
                # a retry repeats the same idea; anything else reusing the key would be
                # acknowledged while its text is silently dropped
                raise ConflictError(
                    f"The form key {it.idempotency_key!r} was already used for another idea "
                    "(different text, question or participant); nothing was saved. Reload the "
                    "page to get a fresh form and send the idea again."
                )
        else:
            seq = conn.execute(s.insert().values(**values)).inserted_primary_key[0]
            created = True
            row = conn.execute(sa.select(s).where(s.c.seq == seq)).first()
        out.append((submission_from_row(row), created))
    return out


class SubmissionsMixin(StoreEngine):
    """Storing, reading and moderating ideas."""

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
        item = NewSubmission(
            text=text,
            prompt_id=prompt_id,
            language=language,
            source=source,
            participant_key=participant_key,
            idempotency_key=idempotency_key,
        )

        def tx(conn: sa.Connection) -> _Result:
            if require_open:
                _check_open(conn, session_id, prompt_id)
            return _insert(conn, session_id, [item])[0]

        return self._run_write(tx)

    def add_submissions(
        self,
        session_id: int,
        items: Iterable[NewSubmission],
        *,
        actor: str = "import",
        detail: Mapping[str, Any] | None = None,
    ) -> list[tuple[SubmissionRecord, bool]]:
        """Store many ideas in ONE transaction (all or nothing); return ``(record, created)``s."""
        items = list(items)

        def tx(conn: sa.Connection) -> list[_Result]:
            out = _insert(conn, session_id, items)
            added = sum(1 for _, c in out if c)
            audit(conn, session_id, actor, "import", None, {"added": added, **dict(detail or {})})
            return out

        return self._run_write(tx)

    def add_submission_group(
        self, items: Sequence[tuple[int, NewSubmission]], *, require_open: bool = True
    ) -> list[tuple[SubmissionRecord, bool] | PbpError]:
        """Store ideas of independent participants in ONE transaction (group commit).

        Each ``(session_id, item)`` runs in its own savepoint, so a closed prompt or
        a stale form key fails only that item: its slot in the result holds the
        error (``ClosedError``, ``NotFoundError`` or ``ValidationError``) instead of
        ``(record, created)``. Everything else is committed together, once, before
        this returns; if the COMMIT fails, the StoreError is raised for all.

        With ``require_open`` (the intake's case: each item's session is checked first) each
        session is marked changed once, in id order, at the end of the transaction, so its
        row lock is held only for the COMMIT: the group commits of several ``pbp serve
        --workers`` processes on one session overlap instead of queueing whole groups.
        """

        def tx(conn: sa.Connection) -> list[_Result | PbpError]:
            out: list[_Result | PbpError] = []
            stored: set[int] = set()
            for session_id, item in items:
                try:
                    with conn.begin_nested():
                        if require_open:
                            _check_open(conn, session_id, item.prompt_id)
                        out.append(
                            _insert(conn, session_id, [item], touch_session=not require_open)[0]
                        )
                        stored.add(session_id)
                except (ClosedError, ConflictError, NotFoundError, ValidationError) as exc:
                    out.append(exc)
            if require_open:
                for session_id in sorted(stored):
                    touch(conn, session_id)
            return out

        return self._run_write(tx)

    def import_submissions(
        self,
        session_id: int,
        items: Iterable[NewSubmission],
        *,
        actor: str = "import",
        detail: Mapping[str, Any] | None = None,
        chunk: int = 500,
    ) -> tuple[int, int]:
        """Store many keyed ideas in ONE transaction with batched statements.

        Same guarantees as :meth:`add_submissions` (all or nothing, idempotency keys
        deduplicate, one audit entry) without returning the records, so a file of
        tens of thousands of ideas costs a few statements per ``chunk`` instead of
        two per idea. Every item needs an ``idempotency_key``.

        Returns
        -------
        tuple of int
            ``(added, already_present)``.
        """
        items = list(items)
        for it in items:
            check_item(it)
            if not it.idempotency_key:
                raise ValidationError(
                    "Bulk imports need text and an idempotency key on every item.", field="text"
                )
        s = t.submissions

        def tx(conn: sa.Connection) -> tuple[int, int]:
            touch(conn, session_id)
            keys = [it.idempotency_key for it in items]
            present: set[str] = set()
            for i in range(0, len(keys), chunk):
                found = conn.execute(
                    sa.select(s.c.idempotency_key, s.c.session_id).where(
                        s.c.idempotency_key.in_(keys[i : i + chunk])
                    )
                ).all()
                for key, sid in found:
                    if sid != session_id:
                        raise ValidationError(
                            f"Idempotency key {key!r} belongs to another session.",
                            field="idempotency_key",
                        )
                    present.add(key)
            now = utcnow_iso()
            rows: list[dict[str, Any]] = []
            for it in items:
                if it.idempotency_key in present:
                    continue
                present.add(it.idempotency_key)  # type: ignore[arg-type]
                rows.append(_row_values(session_id, it, now))
            for i in range(0, len(rows), chunk):
                conn.execute(s.insert(), rows[i : i + chunk])
            audit(
                conn, session_id, actor, "import", None, {"added": len(rows), **dict(detail or {})}
            )
            return len(rows), len(items) - len(rows)

        try:
            return self._run_write(tx)
        except sa.exc.IntegrityError as exc:
            raise StoreError(
                f"The database refused the import ({str(exc.orig).splitlines()[0]}); nothing was "
                f"saved. If another import of the same file ran at the same time, run this import "
                f"again."
            ) from exc

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
        return [submission_from_row(r) for r in rows]

    def iter_submissions(
        self, session_id: int, *, include_hidden: bool = False, chunk_size: int = 1000
    ) -> Iterator[SubmissionRecord]:
        """Yield the submissions of a session in order, ``chunk_size`` rows in memory at a time.

        One read on one connection: a consistent snapshot however long the consumer takes,
        streamed from a server-side cursor on PostgreSQL and from SQLite's own stepping
        cursor. Memory stays bounded whatever the session size (exports use this). Close the
        generator (or exhaust it) to release the connection.

        Parameters
        ----------
        session_id : int
            The session.
        include_hidden : bool
            Also yield moderated (hidden) submissions.
        chunk_size : int
            Rows fetched from the database per round trip.
        """
        s = t.submissions
        q = sa.select(s).where(s.c.session_id == session_id)
        if not include_hidden:
            q = q.where(s.c.hidden == sa.false())
        q = q.order_by(s.c.seq)
        try:
            with self.engine.connect() as conn:
                result = conn.execution_options(
                    stream_results=True, yield_per=max(1, int(chunk_size))
                ).execute(q)
                for row in result:
                    yield submission_from_row(row)
        except sa.exc.DBAPIError as exc:
            raise translate(exc) from exc

    def get_submission(self, submission_id: str) -> SubmissionRecord:
        """Return one submission by its id."""
        s = t.submissions
        row = self._run_read(
            lambda c: c.execute(sa.select(s).where(s.c.id == submission_id)).first()
        )
        if row is None:
            raise NotFoundError(f"No submission with id {submission_id!r}.")
        return submission_from_row(row)

    def count_submissions(self, session_id: int, *, include_hidden: bool = False) -> int:
        """Return how many submissions a session has."""
        s = t.submissions
        q = sa.select(sa.func.count()).select_from(s).where(s.c.session_id == session_id)
        if not include_hidden:
            q = q.where(s.c.hidden == sa.false())
        return int(self._run_read(lambda c: c.execute(q).scalar() or 0))

    def set_hidden(
        self, submission_id: str, hidden: bool, *, actor: str = "facilitator", reason: str = ""
    ) -> SubmissionRecord:
        """Hide (moderate) or restore a submission, recording who and when in the audit log."""
        s = t.submissions

        def tx(conn: sa.Connection) -> None:
            row = conn.execute(sa.select(s.c.session_id).where(s.c.id == submission_id)).first()
            if row is None:
                raise NotFoundError(f"No submission with id {submission_id!r}.")
            conn.execute(s.update().where(s.c.id == submission_id).values(hidden=bool(hidden)))
            touch(conn, row.session_id)
            audit(
                conn,
                row.session_id,
                actor,
                "hide" if hidden else "restore",
                submission_id,
                {"reason": reason} if reason else {},
            )

        self._run_write(tx)
        return self.get_submission(submission_id)
