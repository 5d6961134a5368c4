"""Facilitator JSON endpoints of reactions rounds (token or login cookie required)::

    POST /pbp/api/sessions/<sid>/reactions   {"open": true, "prompt_id": 12 | null}
                                             {"open": false}
    GET  /pbp/api/sessions/<sid>/reactions   the round and each idea's agree/disagree/pass

Opening a round closes any other; ``prompt_id`` null (or absent) opens every prompt's ideas.
"""

from __future__ import annotations

from typing import Any

from tornado import web

from .context import IntakeContext
from .facilitator import FacilitatorAPIHandler

__all__ = ["ReactionsAPIHandler", "reaction_api_routes"]


class ReactionsAPIHandler(FacilitatorAPIHandler):
    """``/pbp/api/sessions/<sid>/reactions``: open or close the round (POST), read it (GET)."""

    access = "facilitator-only"

    @web.authenticated
    async def post(self, sid: str) -> None:
        body = self.body_json()
        want = body.get("open")
        if not isinstance(want, bool):
            raise web.HTTPError(
                400,
                'Expected {"open": true, "prompt_id": <id or null>} or {"open": false}; '
                f"got open={want!r}.",
            )
        rec = await self.session(sid)
        store = self.ctx.store
        if want:
            pid = body.get("prompt_id")
            if pid is not None and (not isinstance(pid, int) or isinstance(pid, bool)):
                raise web.HTTPError(400, f"Expected an integer 'prompt_id' or null, got {pid!r}.")
            rnd = await self.call(True, store.open_reactions, rec.id, pid, actor=self.actor)
            self.send(rnd.to_dict(), status=201)
            return
        rnd = await self.call(True, store.close_reactions, rec.id, actor=self.actor)
        self.send(rnd.to_dict() if rnd is not None else None)

    @web.authenticated
    async def get(self, sid: str) -> None:
        rec = await self.session(sid)
        store = self.ctx.store

        def q() -> dict[str, Any]:
            rnd = store.current_reactions_round(rec.id)
            pid = rnd.prompt_id if rnd is not None else None
            counts = store.reaction_counts(rec.id, prompt_id=pid)
            people = {k for k, _, _, _ in store.list_reactions(rec.id, prompt_id=pid)}
            return {
                "round": rnd.to_dict() if rnd is not None else None,
                "participants": len(people),
                "reactions": sum(sum(c.values()) for c in counts.values()),
                "ideas": [{"id": sid_, **c} for sid_, c in sorted(counts.items())],
            }

        self.send(await self.call(False, q))


def reaction_api_routes(ctx: IntakeContext) -> list[tuple[str, type, dict[str, Any]]]:
    """The reactions endpoints (facilitator-only)."""
    return [(r"/pbp/api/sessions/(\d{1,9})/reactions", ReactionsAPIHandler, {"ctx": ctx})]
