"""Dot-voting rounds, ballots and totals."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from ..clock import utcnow_iso
from ..errors import ClosedError, NotFoundError, ValidationError
from . import schema as t
from .audit import audit, touch
from .engine import StoreEngine
from .records import VotingRound, round_from_row

__all__ = ["VotingMixin", "MAX_BALLOT_OPTIONS"]

MAX_BALLOT_OPTIONS = 150
"""Most options a voting round may have: every one is a field of the participant's ballot form,
and the form parser refuses more than 200 fields (``intake.validation.MAX_FIELDS``), so a longer
ballot could never be cast."""


class VotingMixin(StoreEngine):
    """Opening and closing voting rounds, casting ballots, counting dots."""

    def start_voting_round(
        self,
        session_id: int,
        options: Sequence[Mapping[str, Any]],
        *,
        dots: int = 3,
        actor: str = "facilitator",
        from_themes: bool = False,
    ) -> VotingRound:
        """Open a dot-voting round over ``options`` (``{"id", "label"}``); closes any open round.

        With ``from_themes``, the option ids are theme ids and the labels only what the themes
        were called when the round opened: every screen names them by the themes' labels at
        display time (:func:`pbp_facilitate.themes.ballot_options`).
        """
        if dots < 1:
            raise ValidationError(
                f"Each participant needs at least 1 dot, got {dots}.", field="dots"
            )
        opts = [{"id": int(o["id"]), "label": str(o["label"])} for o in options]
        if not opts:
            raise ValidationError(
                "A voting round needs at least one option (theme).", field="options"
            )
        if len(opts) > MAX_BALLOT_OPTIONS:
            raise ValidationError(
                f"A voting round may have at most {MAX_BALLOT_OPTIONS} options, got {len(opts)}; "
                "merge or drop themes (a phone's ballot could not hold more).",
                field="options",
            )
        vr = t.voting_rounds
        now = utcnow_iso()

        def tx(conn: sa.Connection) -> int:
            touch(conn, session_id)
            conn.execute(
                vr.update()
                .where(vr.c.session_id == session_id, vr.c.status == "open")
                .values(status="closed", closed_at=now)
            )
            rid = conn.execute(
                vr.insert().values(
                    session_id=session_id,
                    status="open",
                    dots=dots,
                    options_json=json.dumps(opts, ensure_ascii=False),
                    created_at=now,
                    from_themes=bool(from_themes),
                )
            ).inserted_primary_key[0]
            detail = {"dots": dots, "options": len(opts), "from_themes": bool(from_themes)}
            audit(conn, session_id, actor, "voting_start", str(rid), detail)
            return int(rid)

        rid = self._run_write(tx)
        return self.get_voting_round(rid)

    def get_voting_round(self, round_id: int) -> VotingRound:
        """Return a voting round by id."""
        vr = t.voting_rounds
        row = self._run_read(lambda c: c.execute(sa.select(vr).where(vr.c.id == round_id)).first())
        if row is None:
            raise NotFoundError(f"No voting round with id {round_id}.")
        return round_from_row(row)

    def current_voting_round(self, session_id: int) -> VotingRound | None:
        """Return the session's latest voting round (open or closed), or None."""
        vr = t.voting_rounds
        row = self._run_read(
            lambda c: c.execute(
                sa.select(vr).where(vr.c.session_id == session_id).order_by(vr.c.id.desc()).limit(1)
            ).first()
        )
        return round_from_row(row) if row is not None else None

    def close_voting_round(self, round_id: int, *, actor: str = "facilitator") -> None:
        """Close a voting round; ballots can no longer change."""
        vr = t.voting_rounds
        r = self.get_voting_round(round_id)

        def tx(conn: sa.Connection) -> None:
            touch(conn, r.session_id)
            conn.execute(
                vr.update()
                .where(vr.c.id == round_id)
                .values(status="closed", closed_at=utcnow_iso())
            )
            audit(conn, r.session_id, actor, "voting_close", str(round_id), {})

        self._run_write(tx)

    def cast_ballot(
        self, round_id: int, participant_key: str, allocation: Mapping[int, int]
    ) -> None:
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
            raise ValidationError(
                "A vote names a theme that is not in this round; reload the page.", field="dots"
            )
        if sum(alloc.values()) > r.dots:
            raise ValidationError(
                f"Too many dots: {sum(alloc.values())} placed, and the most is {r.dots}.",
                field="dots",
            )
        v, vr = t.votes, t.voting_rounds
        now = utcnow_iso()

        def tx(conn: sa.Connection) -> None:
            status = conn.execute(sa.select(vr.c.status).where(vr.c.id == round_id)).scalar()
            if status != "open":
                raise ClosedError("Voting has closed; your ballot was not changed.")
            touch(conn, r.session_id)
            conn.execute(
                v.delete().where(v.c.round_id == round_id, v.c.participant_key == participant_key)
            )
            if alloc:
                conn.execute(
                    v.insert(),
                    [
                        {
                            "round_id": round_id,
                            "participant_key": participant_key,
                            "option_id": k,
                            "dots": n,
                            "created_at": now,
                        }
                        for k, n in alloc.items()
                    ],
                )

        self._run_write(tx)

    def ballot(self, round_id: int, participant_key: str) -> dict[int, int]:
        """Return a participant's current ballot ``{option id: dots}``."""
        v = t.votes
        rows = self._run_read(
            lambda c: c.execute(
                sa.select(v.c.option_id, v.c.dots).where(
                    v.c.round_id == round_id, v.c.participant_key == participant_key
                )
            ).all()
        )
        return {int(r.option_id): int(r.dots) for r in rows}

    def vote_totals(self, round_id: int) -> dict[int, dict[str, int]]:
        """Return ``{option id: {"dots": n, "voters": m}}`` for every option of the round."""
        r = self.get_voting_round(round_id)
        v = t.votes
        rows = self._run_read(
            lambda c: c.execute(
                sa.select(
                    v.c.option_id,
                    sa.func.sum(v.c.dots),
                    sa.func.count(sa.distinct(v.c.participant_key)),
                )
                .where(v.c.round_id == round_id)
                .group_by(v.c.option_id)
            ).all()
        )
        out = {o["id"]: {"dots": 0, "voters": 0} for o in r.options}
        for oid, dots, voters in rows:
            out[int(oid)] = {"dots": int(dots or 0), "voters": int(voters or 0)}
        return out

    def round_turnout(self, round_id: int) -> dict[str, int]:
        """Return who voted in a round against who was seen in its session before it opened.

        ``people_seen`` counts the distinct participant keys that took part in the session
        before the round opened: sent an idea, answered "about you", reacted, or voted in an
        earlier round. ``voters`` counts the round's ballots (one per key) and
        ``voters_unseen`` those whose key was not seen before the round (someone who only
        votes, or a fresh browser). Nothing about a key is returned.

        Returns
        -------
        dict
            ``{"voters": n, "people_seen": m, "voters_unseen": k}``.
        """
        r = self.get_voting_round(round_id)
        sub, prof, rea, v, vr = (
            t.submissions,
            t.participant_profiles,
            t.reactions,
            t.votes,
            t.voting_rounds,
        )
        before = r.created_at
        earlier_rounds = sa.select(vr.c.id).where(
            vr.c.session_id == r.session_id, vr.c.id < round_id
        )
        seen_q = sa.union(
            sa.select(sub.c.participant_key).where(
                sub.c.session_id == r.session_id,
                sub.c.participant_key.is_not(None),
                sub.c.created_at < before,
            ),
            sa.select(prof.c.participant_key).where(
                prof.c.session_id == r.session_id, prof.c.updated_at < before
            ),
            sa.select(rea.c.participant_key).where(
                rea.c.session_id == r.session_id, rea.c.created_at < before
            ),
            sa.select(v.c.participant_key).where(v.c.round_id.in_(earlier_rounds)),
        )

        def q(c: sa.Connection) -> tuple[set[str], set[str]]:
            seen = {str(x) for x in c.execute(seen_q).scalars()}
            voters = {
                str(x)
                for x in c.execute(
                    sa.select(v.c.participant_key).where(v.c.round_id == round_id).distinct()
                ).scalars()
            }
            return seen, voters

        seen, voters = self._run_read(q)
        return {
            "voters": len(voters),
            "people_seen": len(seen),
            "voters_unseen": len(voters - seen),
        }

    def vote_rows(self, round_id: int) -> list[tuple[str, int, int]]:
        """Return the round's cast dots as ``(participant key, option id, dots)`` rows."""
        v = t.votes
        rows = self._run_read(
            lambda c: c.execute(
                sa.select(v.c.participant_key, v.c.option_id, v.c.dots)
                .where(v.c.round_id == round_id)
                .order_by(v.c.id)
            ).all()
        )
        return [(str(r.participant_key), int(r.option_id), int(r.dots)) for r in rows]

    def votes_frame(self, round_id: int) -> Any:
        """Return the round's votes as a DataFrame: ``participant_key``, ``theme_id``, ``dots``."""
        import pandas as pd

        rows = self.vote_rows(round_id)
        return pd.DataFrame(rows, columns=["participant_key", "theme_id", "dots"])
