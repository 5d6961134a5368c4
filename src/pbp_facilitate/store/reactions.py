"""Reactions: rounds in which participants agree / disagree / pass on each other's ideas.

One reaction per participant key and idea; a new one replaces the old (the same reaction again
changes nothing, so a retried form is harmless). Writes are acknowledged only after COMMIT;
:meth:`ReactionsMixin.add_reaction_group` commits many participants' reactions at once (a
savepoint each), as ideas are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from ..clock import utcnow_iso
from ..errors import ClosedError, NotFoundError, PbpError, ValidationError
from . import schema as t
from .audit import audit, touch
from .engine import StoreEngine, is_sqlite
from .records import SubmissionRecord, submission_from_row

__all__ = ["ReactionsMixin", "ReactionRound", "NewReaction", "REACTION_VALUES"]

REACTION_VALUES = {"agree": 1, "disagree": -1, "pass": 0}
"""Form value -> stored value."""


@dataclass(frozen=True)
class ReactionRound:
    """A reactions round: participants react to the ideas of ``prompt_id`` (all when None)."""

    id: int
    session_id: int
    prompt_id: int | None
    status: str
    created_at: str
    closed_at: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict."""
        return {
            "id": self.id,
            "session_id": self.session_id,
            "prompt_id": self.prompt_id,
            "status": self.status,
            "created_at": self.created_at,
            "closed_at": self.closed_at,
        }


@dataclass(frozen=True)
class NewReaction:
    """A reaction to store: ``value`` 1 agree, -1 disagree, 0 pass."""

    submission_id: str
    participant_key: str
    value: int
    participant_ref: str | None = None
    created_at: str | None = None


def _round(row: Any) -> ReactionRound:
    return ReactionRound(
        id=row.id,
        session_id=row.session_id,
        prompt_id=row.prompt_id,
        status=row.status,
        created_at=row.created_at,
        closed_at=row.closed_at,
    )


def _check_value(value: int) -> int:
    if value not in (1, -1, 0) or isinstance(value, bool):
        raise ValidationError(
            f"A reaction is 1 (agree), -1 (disagree) or 0 (pass); got {value!r}.", field="value"
        )
    return int(value)


def _upsert(conn: sa.Connection, session_id: int, item: NewReaction, now: str) -> bool:
    """Insert or replace one reaction; return True when something changed."""
    r = t.reactions
    old = conn.execute(
        sa.select(r.c.value).where(
            r.c.submission_id == item.submission_id, r.c.participant_key == item.participant_key
        )
    ).first()
    if old is not None and int(old.value) == item.value:
        return False
    ins = (sqlite_dialect.insert if is_sqlite(conn) else pg_dialect.insert)(r)
    conn.execute(
        ins.values(
            session_id=session_id,
            submission_id=item.submission_id,
            participant_key=item.participant_key,
            participant_ref=item.participant_ref,
            value=item.value,
            created_at=item.created_at or now,
            updated_at=item.created_at or now,
        ).on_conflict_do_update(
            index_elements=["submission_id", "participant_key"],
            set_={"value": item.value, "updated_at": item.created_at or now},
        )
    )
    return True


def _check_live(conn: sa.Connection, session_id: int, item: NewReaction) -> None:
    """Raise unless the session has an open round this idea belongs to, and the idea is
    visible, of this session and not the participant's own."""
    rr, s = t.reaction_rounds, t.submissions
    rnd = conn.execute(
        sa.select(rr).where(rr.c.session_id == session_id).order_by(rr.c.id.desc()).limit(1)
    ).first()
    if rnd is None or rnd.status != "open":
        raise ClosedError("Reactions are closed; the facilitator has moved on.")
    sub = conn.execute(
        sa.select(s.c.session_id, s.c.prompt_id, s.c.hidden, s.c.participant_key).where(
            s.c.id == item.submission_id
        )
    ).first()
    if sub is None or sub.session_id != session_id or sub.hidden:
        raise NotFoundError("This idea is not available to react to.")
    if rnd.prompt_id is not None and sub.prompt_id != rnd.prompt_id:
        raise ClosedError("This idea is not part of the open reactions round.")
    if sub.participant_key and sub.participant_key == item.participant_key:
        raise ValidationError("You cannot react to your own idea.", field="value")


class ReactionsMixin(StoreEngine):
    """Opening and closing reactions rounds, storing and reading reactions."""

    def open_reactions(
        self, session_id: int, prompt_id: int | None, *, actor: str = "facilitator"
    ) -> ReactionRound:
        """Open a reactions round over the ideas of ``prompt_id`` (every prompt when None);
        closes any open round."""
        rr = t.reaction_rounds
        now = utcnow_iso()

        def tx(conn: sa.Connection) -> int:
            touch(conn, session_id)
            if prompt_id is not None:
                ok = conn.execute(
                    sa.select(t.prompts.c.id).where(
                        t.prompts.c.id == prompt_id, t.prompts.c.session_id == session_id
                    )
                ).first()
                if ok is None:
                    raise NotFoundError(
                        f"Prompt {prompt_id} is not part of session {session_id}; list the "
                        f"session's prompts with 'pbp session show CODE'."
                    )
            conn.execute(
                rr.update()
                .where(rr.c.session_id == session_id, rr.c.status == "open")
                .values(status="closed", closed_at=now)
            )
            rid = conn.execute(
                rr.insert().values(
                    session_id=session_id, prompt_id=prompt_id, status="open", created_at=now
                )
            ).inserted_primary_key[0]
            audit(conn, session_id, actor, "reactions_open", str(rid), {"prompt_id": prompt_id})
            return int(rid)

        rid = self._run_write(tx)
        rnd = self.current_reactions_round(session_id)
        assert rnd is not None and rnd.id == rid
        return rnd

    def close_reactions(
        self, session_id: int, *, actor: str = "facilitator"
    ) -> ReactionRound | None:
        """Close the session's open reactions round (if any); return the latest round."""
        rr = t.reaction_rounds

        def tx(conn: sa.Connection) -> None:
            touch(conn, session_id)
            n = conn.execute(
                rr.update()
                .where(rr.c.session_id == session_id, rr.c.status == "open")
                .values(status="closed", closed_at=utcnow_iso())
            ).rowcount
            if n:
                audit(conn, session_id, actor, "reactions_close", None, {})

        self._run_write(tx)
        return self.current_reactions_round(session_id)

    def current_reactions_round(self, session_id: int) -> ReactionRound | None:
        """Return the session's latest reactions round (open or closed), or None."""
        rr = t.reaction_rounds
        row = self._run_read(
            lambda c: c.execute(
                sa.select(rr).where(rr.c.session_id == session_id).order_by(rr.c.id.desc()).limit(1)
            ).first()
        )
        return _round(row) if row is not None else None

    def add_reaction(
        self, session_id: int, item: NewReaction, *, require_open: bool = True
    ) -> bool:
        """Store one reaction (replacing the participant's earlier one); True when it changed.

        Raises
        ------
        ValidationError
            A value other than 1, -1, 0, or the participant's own idea.
        NotFoundError
            An idea not of this session, or hidden.
        ClosedError
            With ``require_open``, when no round is open or the idea is not in it.
        """
        item = NewReaction(**{**item.__dict__, "value": _check_value(item.value)})

        def tx(conn: sa.Connection) -> bool:
            if require_open:
                _check_live(conn, session_id, item)
            touch(conn, session_id)
            return _upsert(conn, session_id, item, utcnow_iso())

        return self._run_write(tx)

    def add_reaction_group(self, items: Sequence[tuple[int, NewReaction]]) -> list[bool | PbpError]:
        """Store reactions of independent participants in ONE transaction (group commit).

        Each ``(session_id, item)`` runs in its own savepoint: a closed round, a hidden idea
        or a bad value fails only that item (its slot holds the error). Everything else is
        committed together before this returns.
        """

        def tx(conn: sa.Connection) -> list[bool | PbpError]:
            out: list[bool | PbpError] = []
            now = utcnow_iso()
            touched: set[int] = set()
            for session_id, item in items:
                try:
                    with conn.begin_nested():
                        it = NewReaction(**{**item.__dict__, "value": _check_value(item.value)})
                        _check_live(conn, session_id, it)
                        if session_id not in touched:
                            touch(conn, session_id)
                            touched.add(session_id)
                        out.append(_upsert(conn, session_id, it, now))
                except (ClosedError, NotFoundError, ValidationError) as exc:
                    out.append(exc)
            return out

        return self._run_write(tx)

    def import_reactions(
        self,
        session_id: int,
        items: Iterable[NewReaction],
        *,
        actor: str = "import",
        detail: Mapping[str, Any] | None = None,
    ) -> tuple[int, int]:
        """Store many reactions in ONE transaction (all or nothing), no round needed.

        Returns
        -------
        tuple of int
            ``(changed, unchanged)``: reactions added or replaced, and those already stored
            with the same value (importing a file twice changes nothing).
        """
        items = [NewReaction(**{**i.__dict__, "value": _check_value(i.value)}) for i in items]
        r, s = t.reactions, t.submissions

        def tx(conn: sa.Connection) -> tuple[int, int]:
            touch(conn, session_id)
            ids = sorted({i.submission_id for i in items})
            ok: set[str] = set()
            for n in range(0, len(ids), 500):
                ok |= {
                    row.id
                    for row in conn.execute(
                        sa.select(s.c.id).where(
                            s.c.id.in_(ids[n : n + 500]), s.c.session_id == session_id
                        )
                    )
                }
            if set(ids) - ok:
                raise NotFoundError(
                    f"{len(set(ids) - ok)} reacted-to idea(s) are not in session {session_id}; "
                    f"nothing was imported."
                )
            stored: dict[tuple[str, str], int] = {}
            for n in range(0, len(ids), 500):
                for row in conn.execute(
                    sa.select(r.c.submission_id, r.c.participant_key, r.c.value).where(
                        r.c.submission_id.in_(ids[n : n + 500])
                    )
                ):
                    stored[(row.submission_id, row.participant_key)] = int(row.value)
            now = utcnow_iso()
            latest: dict[tuple[str, str], NewReaction] = {}
            for it in items:
                latest[(it.submission_id, it.participant_key)] = it
            new_rows, changed = [], []
            for key, it in latest.items():
                if key not in stored:
                    new_rows.append(
                        {
                            "session_id": session_id,
                            "submission_id": it.submission_id,
                            "participant_key": it.participant_key,
                            "participant_ref": it.participant_ref,
                            "value": it.value,
                            "created_at": it.created_at or now,
                            "updated_at": it.created_at or now,
                        }
                    )
                elif stored[key] != it.value:
                    changed.append(it)
            for n in range(0, len(new_rows), 500):
                conn.execute(r.insert(), new_rows[n : n + 500])
            for it in changed:
                conn.execute(
                    r.update()
                    .where(
                        r.c.submission_id == it.submission_id,
                        r.c.participant_key == it.participant_key,
                    )
                    .values(value=it.value, updated_at=it.created_at or now)
                )
            n_changed = len(new_rows) + len(changed)
            audit(
                conn,
                session_id,
                actor,
                "import_reactions",
                None,
                {"changed": n_changed, **dict(detail or {})},
            )
            return n_changed, len(latest) - n_changed

        return self._run_write(tx)

    def list_reactions(
        self, session_id: int, *, prompt_id: int | None = None, include_hidden: bool = False
    ) -> list[tuple[str, str | None, str, int]]:
        """Return ``(participant_key, participant_ref, submission_id, value)`` of a session's
        reactions (to visible ideas unless ``include_hidden``), oldest first."""
        r, s = t.reactions, t.submissions
        q = (
            sa.select(r.c.participant_key, r.c.participant_ref, r.c.submission_id, r.c.value)
            .join(s, s.c.id == r.c.submission_id)
            .where(r.c.session_id == session_id)
        )
        if not include_hidden:
            q = q.where(s.c.hidden == sa.false())
        if prompt_id is not None:
            q = q.where(s.c.prompt_id == prompt_id)
        rows = self._run_read(lambda c: c.execute(q.order_by(r.c.id)).all())
        return [(a, b, c_, int(v)) for a, b, c_, v in rows]

    def reaction_counts(
        self, session_id: int, *, prompt_id: int | None = None
    ) -> dict[str, dict[str, int]]:
        """Return ``{submission id: {"agree", "disagree", "pass"}}`` for reacted-to ideas."""
        r, s = t.reactions, t.submissions
        q = (
            sa.select(r.c.submission_id, r.c.value, sa.func.count())
            .join(s, s.c.id == r.c.submission_id)
            .where(r.c.session_id == session_id)
            .group_by(r.c.submission_id, r.c.value)
        )
        if prompt_id is not None:
            q = q.where(s.c.prompt_id == prompt_id)
        out: dict[str, dict[str, int]] = {}
        names = {1: "agree", -1: "disagree", 0: "pass"}
        for sid, value, n in self._run_read(lambda c: c.execute(q).all()):
            out.setdefault(sid, {"agree": 0, "disagree": 0, "pass": 0})[names[int(value)]] = int(n)
        return out

    def participant_reactions(self, session_id: int, participant_key: str) -> dict[str, int]:
        """Return ``{submission id: value}`` of one participant's reactions in a session."""
        r = t.reactions
        rows = self._run_read(
            lambda c: c.execute(
                sa.select(r.c.submission_id, r.c.value).where(
                    r.c.session_id == session_id, r.c.participant_key == participant_key
                )
            ).all()
        )
        return {sid: int(v) for sid, v in rows}

    def ideas_to_react(
        self,
        session_id: int,
        participant_key: str,
        *,
        prompt_id: int | None,
        language: str | None = None,
        limit: int = 1,
    ) -> tuple[list[SubmissionRecord], int]:
        """Return the next ideas for a participant to react to, and how many remain.

        Visible ideas of the prompt, not the participant's own, not yet reacted to by them.
        Ideas with the fewest reactions so far come first (so every idea gets seen, as in
        Polis), then ideas in the participant's ``language`` (or of no known language), with
        ties spread across participants by a hash of key and idea.
        """
        s, r = t.submissions, t.reactions

        def q(conn: sa.Connection) -> tuple[list[Any], dict[str, int], set[str]]:
            sel = sa.select(s).where(s.c.session_id == session_id, s.c.hidden == sa.false())
            if prompt_id is not None:
                sel = sel.where(s.c.prompt_id == prompt_id)
            subs = conn.execute(sel.order_by(s.c.seq)).all()
            counts = dict(
                conn.execute(
                    sa.select(r.c.submission_id, sa.func.count())
                    .where(r.c.session_id == session_id)
                    .group_by(r.c.submission_id)
                ).all()
            )
            mine = {
                row.submission_id
                for row in conn.execute(
                    sa.select(r.c.submission_id).where(
                        r.c.session_id == session_id, r.c.participant_key == participant_key
                    )
                )
            }
            return subs, counts, mine

        subs, counts, mine = self._run_read(q)
        todo = [
            row
            for row in subs
            if row.id not in mine
            and not (row.participant_key and row.participant_key == participant_key)
        ]

        def order(row: Any) -> tuple[int, int, str]:
            other_lang = int(bool(language and row.language and row.language != language))
            tie = hashlib.sha256(f"{participant_key}:{row.id}".encode()).hexdigest()
            return (int(counts.get(row.id, 0)), other_lang, tie)

        todo.sort(key=order)
        return [submission_from_row(row) for row in todo[:limit]], len(todo)
