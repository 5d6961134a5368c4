"""``/s/<code>/react``: agree / disagree / pass on other people's ideas, one idea at a time.

Works with JavaScript off: each idea is one small form with three submit buttons (a plain POST,
then a 303 redirect to the next idea). The next idea is one the participant has not reacted to,
not their own, never a hidden one, and among those one with the fewest reactions so far (so
every idea gets seen), preferring ideas in the page's language. A reaction is stored with the
next group commit of reactions (:meth:`DbWorker.add_reaction`) and acknowledged only after
COMMIT; sending the same form twice changes nothing, and a participant may change a reaction
by reacting again (the form of an idea they already answered is accepted). The same rate limit,
participant key cookie, XSRF and Origin checks as the idea form apply.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from ..errors import ClosedError, NotFoundError, StoreError, ValidationError
from ..i18n import ngettext
from ..store import REACTION_VALUES, NewReaction, ReactionRound, SessionRecord
from .handler import ParticipantHandler, Problem

__all__ = ["ReactHandler", "reactions_for_page", "reaction_routes"]

_IDEA_ID = re.compile(r"^[0-9a-f]{1,40}$")


async def reactions_for_page(handler: ParticipantHandler, rec: SessionRecord) -> dict[str, Any]:
    """What the session page shows about reactions: ``{"open": bool, "url": str}`` (cached
    like the rest of the page state)."""
    key = f"{rec.code}#reactions"
    hit, rnd = handler.ctx.cached_view(key)
    if not hit:
        try:
            rnd = await handler.ctx.db.read(handler.ctx.store.current_reactions_round, rec.id)
        except StoreError:
            rnd = None
        handler.ctx.remember_view(key, rnd)
    is_open = rnd is not None and rnd.status == "open" and rec.status == "open"
    return {"open": is_open, "url": f"/s/{quote(rec.code)}/react"}


class ReactHandler(ParticipantHandler):
    """``/s/<code>/react``: the next idea to react to (GET) and a reaction (POST)."""

    access = "participant-public"

    async def _round(self, rec: SessionRecord) -> ReactionRound | None:
        rnd = await self.ctx.db.read(self.ctx.store.current_reactions_round, rec.id)
        if rnd is None or rnd.status != "open" or rec.status != "open":
            return None
        return rnd

    async def _show(
        self,
        rec: SessionRecord,
        rnd: ReactionRound | None,
        *,
        saved: bool = False,
        problem: Problem | None = None,
    ) -> None:
        idea, left = None, 0
        if rnd is not None:
            todo, left = await self.ctx.db.read(
                self.ctx.store.ideas_to_react,
                rec.id,
                self.participant_key,
                prompt_id=rnd.prompt_id,
                language=self.lang,
                limit=1,
            )
            idea = todo[0] if todo else None
        self.render_page(
            "react.html",
            session=rec,
            title=self.t("opinions.react_title"),
            round=rnd,
            idea=idea,
            left=ngettext(self.lang, "opinions.left", left) if idea is not None else "",
            saved=saved,
            problem=problem,
            choices=[(v, self.t(f"opinions.{v}")) for v in ("agree", "disagree", "pass")],
            xsrf_html=self.xsrf_form_html(),
            back=f"/s/{quote(rec.code)}",
        )

    async def get(self, code: str) -> None:
        rec, _, _ = await self.session_view(code)
        self.lang = self._pick_language(self.languages)
        rnd = await self._round(rec)
        await self._show(rec, rnd, saved=self.get_query_argument("saved", None) == "1")

    async def post(self, code: str) -> None:
        rec, _, _ = await self.session_view(code)
        form = self.read_form_or_error()
        if form is None:
            return
        self.lang = self._pick_language(self.languages, explicit=form.get("lang"))
        rnd = await self._round(rec)

        async def fail(key: str, status: int) -> None:
            self.set_status(status)
            await self._show(rec, rnd, problem=Problem(self.t(key), status, "value"))

        if not self.origin_ok() or not self.xsrf_ok() or self.key_issued:
            # no valid signed key came with the POST: the idea again, with the key just issued;
            # nothing is stored (as for ideas and ballots)
            await fail("err_form_expired", 403)
            return
        if rnd is None:
            await fail("opinions.closed", 409)
            return
        idea_id = form.get("idea_id") or ""
        value = REACTION_VALUES.get(form.get("value") or "")
        if value is None or not _IDEA_ID.match(idea_id):
            await fail("opinions.err_choice", 400)
            return
        verdict = self.ctx.limiter.check(self.participant_key, self.request.remote_ip or "?")
        if not verdict.allowed:
            self.set_header("Retry-After", str(verdict.retry_after))
            self.set_status(429)
            await self._show(
                rec,
                rnd,
                problem=Problem(self.tn("err_rate", verdict.retry_after), 429, "value"),
            )
            return
        try:
            await self.ctx.db.add_reaction(
                rec.id, NewReaction(idea_id, self.participant_key, value)
            )
        except ClosedError:
            self.ctx.invalidate()
            await fail("opinions.closed", 409)
            return
        except NotFoundError:
            await fail("opinions.err_gone", 409)
            return
        except ValidationError:
            await fail("opinions.err_own", 400)
            return
        except StoreError:
            await fail("err_not_saved", 503)
            return
        self.redirect(f"/s/{quote(rec.code)}/react?saved=1#idea", status=303)


def reaction_routes(ctx: Any) -> list[tuple[str, type, dict[str, Any]]]:
    """The reactions route (before the ``/s/(.*)`` catch-all)."""
    return [(r"/s/([A-Za-z0-9]{1,12})/react", ReactHandler, {"ctx": ctx})]
