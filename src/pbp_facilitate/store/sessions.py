"""Sessions, their join codes and their prompts."""

from __future__ import annotations

import json
import secrets
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa

from ..clock import utcnow_iso
from ..errors import NotFoundError, ValidationError
from ..surveys import Survey
from . import schema as t
from .audit import audit, touch
from .checks import check_storable_text
from .engine import StoreEngine
from .records import PromptRecord, SessionRecord, prompt_from_row, session_from_row

__all__ = ["SESSION_CODE_ALPHABET", "SessionsMixin"]

SESSION_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Letters of generated join codes (no 0/O, 1/I/L look-alikes)."""


class SessionsMixin(StoreEngine):
    """Creating, finding, opening and closing sessions and their prompts."""

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
        check_storable_text(title or "", field="title")
        title = unicodedata.normalize("NFC", title or "").strip()
        if not title:
            raise ValidationError(
                "A session needs a title; pass --title 'Eastside visioning'.", field="title"
            )
        langs = tuple(languages or survey.languages)
        now = utcnow_iso()

        def tx(conn: sa.Connection) -> int:
            c = code.upper() if code else None
            for _ in range(20):
                candidate = c or "".join(secrets.choice(SESSION_CODE_ALPHABET) for _ in range(6))
                exists = conn.execute(
                    sa.select(t.sessions.c.id).where(t.sessions.c.code == candidate)
                ).first()
                if exists is None:
                    c = candidate
                    break
                if code:
                    raise ValidationError(
                        f"Session code {candidate!r} is taken; choose another.", field="code"
                    )
            sid = conn.execute(
                t.sessions.insert().values(
                    code=c,
                    title=title,
                    survey_key=survey.key,
                    survey_json=survey.to_json(),
                    languages=",".join(langs),
                    status="open",
                    created_at=now,
                    updated_at=now,
                )
            ).inserted_primary_key[0]
            conn.execute(
                t.prompts.insert(),
                [
                    {
                        "session_id": sid,
                        "position": i,
                        "key": p.key,
                        "kind": p.kind,
                        "text_json": json.dumps(p.text, ensure_ascii=False),
                        "is_open": bool(open_first_prompt and i == 0),
                    }
                    for i, p in enumerate(survey.prompts)
                ],
            )
            return int(sid)

        sid = self._run_write(tx)
        return self.get_session(sid)

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
                f"No session {ref!r} in the database {self.display_url}; run 'pbp session list' "
                "to see its sessions, or pass --db URL for another database."
            )
        return session_from_row(row)

    def list_sessions(self) -> list[SessionRecord]:
        """Return all sessions, newest first."""
        s = t.sessions
        rows = self._run_read(lambda c: c.execute(sa.select(s).order_by(s.c.id.desc())).all())
        return [session_from_row(r) for r in rows]

    def set_session_status(
        self, session_id: int, status: str, *, actor: str = "facilitator"
    ) -> None:
        """Open or close a session (``"open"`` or ``"closed"``)."""
        if status not in ("open", "closed"):
            raise ValidationError(
                f"Session status must be 'open' or 'closed', got {status!r}.", field="status"
            )

        def tx(conn: sa.Connection) -> None:
            touch(conn, session_id)
            conn.execute(
                t.sessions.update().where(t.sessions.c.id == session_id).values(status=status)
            )
            audit(conn, session_id, actor, f"session_{status}", str(session_id), {})

        self._run_write(tx)

    def list_prompts(self, session_id: int) -> list[PromptRecord]:
        """Return the prompts of a session in order."""
        p = t.prompts
        rows = self._run_read(
            lambda c: c.execute(
                sa.select(p).where(p.c.session_id == session_id).order_by(p.c.position)
            ).all()
        )
        return [prompt_from_row(r) for r in rows]

    def set_prompt_open(
        self, prompt_id: int, is_open: bool, *, actor: str = "facilitator"
    ) -> PromptRecord:
        """Open or close one prompt; return it."""
        p = t.prompts

        def tx(conn: sa.Connection) -> int:
            row = conn.execute(sa.select(p.c.session_id).where(p.c.id == prompt_id)).first()
            if row is None:
                raise NotFoundError(f"No prompt with id {prompt_id}.")
            conn.execute(p.update().where(p.c.id == prompt_id).values(is_open=bool(is_open)))
            touch(conn, row.session_id)
            action = "prompt_open" if is_open else "prompt_close"
            audit(conn, row.session_id, actor, action, str(prompt_id), {})
            return int(row.session_id)

        sid = self._run_write(tx)
        return next(x for x in self.list_prompts(sid) if x.id == prompt_id)

    def open_only(
        self, session_id: int, prompt_id: int | None, *, actor: str = "facilitator"
    ) -> None:
        """Open exactly one prompt of the session (``None`` closes them all)."""
        p = t.prompts

        def tx(conn: sa.Connection) -> None:
            touch(conn, session_id)
            conn.execute(p.update().where(p.c.session_id == session_id).values(is_open=False))
            if prompt_id is not None:
                n = conn.execute(
                    p.update()
                    .where(p.c.session_id == session_id, p.c.id == prompt_id)
                    .values(is_open=True)
                ).rowcount
                if n == 0:
                    raise NotFoundError(f"Prompt {prompt_id} is not part of session {session_id}.")
            audit(conn, session_id, actor, "prompt_focus", str(prompt_id), {})

        self._run_write(tx)
