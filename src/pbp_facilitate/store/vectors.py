"""Sentence vectors of ideas, kept so that each idea's text is encoded only once.

The store keeps the bytes an encoder produced, per idea and per ``model`` (a
short name of the encoder and its storage format), with a digest of the text
they were computed from. It never reads inside the bytes and knows nothing of
themes: what a vector means, how the digest is made and when a stored vector is
stale are the caller's business.

Vectors are a derived cache: writing them changes neither the session's
``updated_at`` nor the audit log. A submission's vectors are deleted with it
(``ON DELETE CASCADE``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from ..errors import StoreError, ValidationError
from . import schema as t
from .engine import StoreEngine, is_sqlite

__all__ = ["VectorsMixin", "MODEL_MAX_LEN", "DIGEST_MIN_LEN", "DIGEST_MAX_LEN"]

MODEL_MAX_LEN = 40
"""Longest model name the ``submission_vectors.model`` column holds."""
DIGEST_MIN_LEN = 16
"""Shortest text digest accepted (shorter ones would collide too easily)."""
DIGEST_MAX_LEN = 40
"""Longest text digest the ``submission_vectors.text_digest`` column holds."""

_CHUNK = 500
"""Rows per statement (4 parameters each: well under SQLite's limit of bound parameters)."""
_ATTEMPTS = 3
"""Tries of a write that lost a submission to a concurrent delete (PostgreSQL only)."""


def _check_printable(value: str, what: str, field: str, *, ascii_only: bool = False) -> None:
    """Raise :class:`ValidationError` when ``value`` holds control, NUL or unpaired characters.

    Such characters cannot be stored on every backend (PostgreSQL refuses NUL) and are
    never part of a model name, a digest or an id the store hands out.
    """
    if value.isprintable() and (not ascii_only or value.isascii()):
        return
    kind = "printable ASCII characters" if ascii_only else "printable characters"
    raise ValidationError(
        f"{what} must consist of {kind}, got {value!r}; pass the value as its producer wrote "
        "it, without control or NUL characters.",
        field=field,
        code="characters",
    )


def _check_model(model: Any) -> None:
    """Raise :class:`ValidationError` unless ``model`` is a usable model name."""
    if not isinstance(model, str) or not model.strip():
        raise ValidationError(
            f"The vector model must be a non-empty short name such as 'use-m3-f16', got "
            f"{model!r}; pass the name of the encoder that made the vectors.",
            field="model",
            code="type" if not isinstance(model, str) else "empty",
        )
    if len(model) > MODEL_MAX_LEN:
        raise ValidationError(
            f"The vector model name may have at most {MODEL_MAX_LEN} characters, got "
            f"{len(model)} ({model[:50]!r}...); use a shorter name such as 'use-m3-f16'.",
            field="model",
            code="too_long",
        )
    _check_printable(model, "The vector model name", "model")


def _check_row(submission_id: Any, value: Any) -> tuple[str, bytes]:
    """Return ``(text_digest, vector)`` of one row of :meth:`VectorsMixin.save_vectors`.

    Raises
    ------
    ValidationError
        When the id, the pair, the digest or the vector is not what the table holds.
    """
    if not isinstance(submission_id, str) or not submission_id:
        raise ValidationError(
            f"Vectors are keyed by submission id (a non-empty string), got {submission_id!r}; "
            "key each vector by SubmissionRecord.id.",
            field="submission_id",
            code="type",
        )
    _check_printable(submission_id, "A submission id", "submission_id")
    if not isinstance(value, tuple) or len(value) != 2:
        raise ValidationError(
            f"The vector of submission {submission_id!r} must be a (text_digest, vector_bytes) "
            f"tuple, got {type(value).__name__}; pass both the digest and the bytes.",
            field="vector",
            code="type",
        )
    digest, vector = value
    if not isinstance(digest, str) or not DIGEST_MIN_LEN <= len(digest) <= DIGEST_MAX_LEN:
        got = f"{len(digest)} characters" if isinstance(digest, str) else type(digest).__name__
        raise ValidationError(
            f"The text digest of submission {submission_id!r} must be a string of "
            f"{DIGEST_MIN_LEN} to {DIGEST_MAX_LEN} characters, got {got}; pass a digest of the "
            "text the vector was computed from (e.g. a hex BLAKE2b or SHA-1 digest).",
            field="text_digest",
            code="type" if not isinstance(digest, str) else "length",
        )
    _check_printable(
        digest, f"The text digest of submission {submission_id!r}", "text_digest", ascii_only=True
    )
    if not isinstance(vector, bytes | bytearray | memoryview):
        raise ValidationError(
            f"The vector of submission {submission_id!r} must be bytes, got "
            f"{type(vector).__name__}; convert it first (e.g. array.astype('<f2').tobytes()).",
            field="vector",
            code="type",
        )
    vector = bytes(vector)
    if not vector:
        raise ValidationError(
            f"The vector of submission {submission_id!r} is empty (0 bytes); encode the text "
            "again and pass the encoder's output.",
            field="vector",
            code="empty",
        )
    return digest, vector


class VectorsMixin(StoreEngine):
    """Saving and reading the sentence vectors of ideas, per encoder model."""

    def save_vectors(self, model: str, rows: Mapping[str, tuple[str, bytes]]) -> int:
        """Store (insert or replace) the vectors of ideas for one encoder model.

        All rows are written in one transaction, committed before this returns.
        A row whose submission no longer exists (deleted while its text was being
        encoded) is skipped, not an error, so a theme refit racing a deletion
        still succeeds; the return value counts only the rows written.

        Parameters
        ----------
        model : str
            Short name of the encoder and storage format (at most 40 characters),
            e.g. ``"use-m3-f16"``. Vectors of different models are kept apart.
        rows : Mapping[str, tuple[str, bytes]]
            ``{submission_id: (text_digest, vector_bytes)}``. ``text_digest`` (16 to 40
            characters of printable ASCII) identifies the text the vector was computed
            from; ``vector_bytes`` is non-empty ``bytes`` (``bytearray`` and
            ``memoryview`` are copied to ``bytes``). A stored vector of the same
            submission and model is replaced.

        Returns
        -------
        int
            How many vectors were written (``len(rows)`` less the skipped unknown ids).

        Raises
        ------
        ValidationError
            When ``model`` or any row is invalid (nothing is written then).
        StoreError
            When the database cannot complete the write.

        Notes
        -----
        An empty ``rows`` (or one with only unknown ids) writes nothing. Any write
        moves :meth:`data_version`, which live views poll; save only new vectors.
        """
        _check_model(model)
        if not isinstance(rows, Mapping):
            raise ValidationError(
                f"Vectors must come as a mapping {{submission_id: (text_digest, vector_bytes)}}, "
                f"got {type(rows).__name__}; build a dict keyed by submission id.",
                field="vector",
                code="type",
            )
        checked = {sid: _check_row(sid, value) for sid, value in rows.items()}
        if not checked:
            return 0
        s, v = t.submissions, t.submission_vectors
        ids = list(checked)

        def tx(conn: sa.Connection) -> int:
            known: set[str] = set()
            for i in range(0, len(ids), _CHUNK):
                known.update(
                    conn.execute(sa.select(s.c.id).where(s.c.id.in_(ids[i : i + _CHUNK])))
                    .scalars()
                    .all()
                )
            values = [
                {"submission_id": sid, "model": model, "text_digest": d, "vector": vec}
                for sid, (d, vec) in checked.items()
                if sid in known
            ]
            if not values:
                return 0
            ins = (sqlite_dialect.insert if is_sqlite(conn) else pg_dialect.insert)(v)
            upsert = ins.on_conflict_do_update(
                index_elements=[v.c.submission_id, v.c.model],
                set_={"text_digest": ins.excluded.text_digest, "vector": ins.excluded.vector},
            )
            for i in range(0, len(values), _CHUNK):
                conn.execute(upsert, values[i : i + _CHUNK])
            return len(values)

        # On SQLite the write lock is held from the first read, so the ids found stay valid.
        # On PostgreSQL a submission deleted between the read and the insert fails the
        # foreign key; the next try no longer finds it and skips it.
        for attempt in range(_ATTEMPTS):
            try:
                return self._run_write(tx)
            except sa.exc.IntegrityError as exc:
                if attempt == _ATTEMPTS - 1:
                    raise StoreError(
                        f"The database refused the vectors ({str(exc.orig).splitlines()[0]}); "
                        "nothing was saved. Ideas were being deleted meanwhile; try again."
                    ) from exc
        raise AssertionError("unreachable")

    def load_vectors(self, session_id: int, model: str) -> dict[str, tuple[str, bytes]]:
        """Return every stored vector of a session's ideas (hidden ones too) for one model.

        Parameters
        ----------
        session_id : int
            The session whose ideas' vectors to read.
        model : str
            The encoder model name the vectors were saved under.

        Returns
        -------
        dict[str, tuple[str, bytes]]
            ``{submission_id: (text_digest, vector_bytes)}``; ideas without a vector
            for ``model`` are absent (an unknown session gives ``{}``).

        Raises
        ------
        ValidationError
            When ``model`` is not a valid model name.
        """
        _check_model(model)
        s, v = t.submissions, t.submission_vectors
        q = (
            sa.select(v.c.submission_id, v.c.text_digest, v.c.vector)
            .join(s, s.c.id == v.c.submission_id)
            .where(s.c.session_id == session_id, v.c.model == model)
        )
        rows = self._run_read(lambda c: c.execute(q).all())
        return {r.submission_id: (r.text_digest, bytes(r.vector)) for r in rows}
