"""Facilitator JSON endpoints and the printable join poster (token or login cookie required).

Every handler here is marked ``access = "facilitator-only"`` and derives from
jupyter_server's handlers, so authentication is Jupyter's own: a token in the
``Authorization: token ...`` header or ``?token=``, or the login cookie a
dashboard tab already holds (cookie-authenticated POSTs also need the
``X-XSRFToken`` header, as with any Jupyter API).

Endpoints (all JSON, under ``/pbp/api``)::

    GET  /pbp/api/status                               server, kernels, culling
    GET  /pbp/api/sessions                             sessions with counts
    GET  /pbp/api/sessions/<sid>                       state: session, prompts, counts, voting, URLs
    POST /pbp/api/sessions/<sid>/status   {"status": "open"|"closed"}
    POST /pbp/api/sessions/<sid>/focus    {"prompt_id": 12 | null}   open only this prompt
    POST /pbp/api/prompts/<pid>/open      (no body)
    POST /pbp/api/prompts/<pid>/close     (no body)
    GET  /pbp/api/sessions/<sid>/submissions?since=<seq>&limit=<n>&include_hidden=1
    POST /pbp/api/submissions/<id>/hide   {"reason": "..."}
    POST /pbp/api/submissions/<id>/restore
    GET  /pbp/api/sessions/<sid>/themes?lang=es  {"version": n, "themes": [...], "edits": [...]}
    POST /pbp/api/sessions/<sid>/themes/edits {"op": "rename", "theme_id": 3, "label": "..."}
                                              (ops: rename merge split move pin unpin undo)
    POST /pbp/api/sessions/<sid>/themes/refit {"force": false}  the dashboards' refits, here once
    POST /pbp/api/sessions/<sid>/voting   {"from_themes": true, "dots": 3}
                                          or {"options": [{"id": 1, "label": "..."}], "dots": 3}
    POST /pbp/api/voting/<rid>/close
    GET  /pbp/api/voting/<rid>/totals?lang=es&headcount=40   (headcount optional)
    POST /pbp/api/sessions/<sid>/reactions  {"open": true, "prompt_id": 12 | null} | {"open": false}
    GET  /pbp/api/sessions/<sid>/reactions  (see reactions_api.py)
    GET  /pbp/api/sessions/<sid>/qr.png  |  qr.svg   (?scale=10&target=session|join)
    GET  /pbp/sessions/<sid>/poster                   printable page (HTML)
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from tornado import web

from ..errors import (
    ClosedError,
    ConflictError,
    NotFoundError,
    PbpError,
    StoreError,
    ValidationError,
)
from ..qr import QR_FORMATS, qr_png, qr_svg
from ..store import SessionRecord, VotingRound
from ..themes.current import current_themes, round_totals, start_theme_vote
from .context import IntakeContext
from .turnout import turnout_signal

__all__ = [
    "FACILITATOR_CSP",
    "FACILITATOR_HEADERS",
    "LOGIN_COOKIE_OPTIONS",
    "FacilitatorAPIHandler",
    "throttled_login",
    "StatusHandler",
    "SessionsHandler",
    "SessionStateHandler",
    "SessionStatusHandler",
    "FocusPromptHandler",
    "PromptOpenHandler",
    "SubmissionsHandler",
    "HideHandler",
    "ThemesHandler",
    "ThemeEditsHandler",
    "ThemeRefitHandler",
    "VotingStartHandler",
    "VotingCloseHandler",
    "VotingTotalsHandler",
    "QRHandler",
    "PosterHandler",
    "facilitator_routes",
]


def _round_dict(r: VotingRound | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "id": r.id,
        "session_id": r.session_id,
        "status": r.status,
        "dots": r.dots,
        "options": r.options,
        "created_at": r.created_at,
        "closed_at": r.closed_at,
        "from_themes": r.from_themes,
    }


@contextmanager
def _http_errors() -> Iterator[None]:
    """Turn the kit's errors into HTTP errors that carry their message."""
    try:
        yield
    except NotFoundError as exc:
        raise web.HTTPError(404, str(exc)) from exc
    except (ClosedError, ConflictError) as exc:
        raise web.HTTPError(409, str(exc)) from exc
    except ValidationError as exc:
        raise web.HTTPError(400, str(exc)) from exc
    except StoreError as exc:
        raise web.HTTPError(503, str(exc)) from exc
    except PbpError as exc:
        raise web.HTTPError(400, str(exc)) from exc


FACILITATOR_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)
"""Content-Security-Policy of the facilitator pages: what Voilà's page and its widgets need
(inline scripts, inline styles, data:/blob: images and workers, a websocket to this
server), and no other origin: no request leaves the machine."""
FACILITATOR_HEADERS = {
    "Content-Security-Policy": FACILITATOR_CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
"""Headers on every Jupyter/Voilà response (the kit's facilitator API adds ``no-store``)."""
LOGIN_COOKIE_OPTIONS = {"samesite": "Lax", "expires_days": 1}
"""The facilitator login cookie: same-site only, kept for one day (Jupyter's default is 30)."""


def _no_store(handler: web.RequestHandler) -> None:
    handler.set_header("Cache-Control", "no-store")
    handler.set_header("Referrer-Policy", "no-referrer")


class FacilitatorAPIHandler(APIHandler):
    """Base of the facilitator JSON endpoints: Jupyter auth, JSON in and out, readable errors."""

    access = "facilitator-only"
    ctx: IntakeContext

    def initialize(self, ctx: IntakeContext) -> None:
        self.ctx = ctx

    def set_default_headers(self) -> None:  # noqa: D102
        super().set_default_headers()
        _no_store(self)

    @property
    def actor(self) -> str:
        """Who acts, for the audit log (a dashboard passes the name typed on it as
        ``X-PBP-Actor``)."""
        given = " ".join(self.request.headers.get("X-PBP-Actor", "").split())
        if given:
            return given[:100]
        user = self.current_user
        name = getattr(user, "username", None) or "facilitator"
        return f"facilitator:{name}"[:100]

    def body_json(self) -> dict[str, Any]:
        """Return the JSON object body (``{}`` when empty)."""
        if not self.request.body:
            return {}
        try:
            data = json.loads(self.request.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise web.HTTPError(
                400, f"Expected a JSON object body, got unreadable JSON ({exc})."
            ) from exc
        if not isinstance(data, dict):
            raise web.HTTPError(400, f"Expected a JSON object body, got {type(data).__name__}.")
        return data

    def send(self, data: Any, status: int = 200) -> None:
        """Write ``data`` as JSON."""
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps(data, ensure_ascii=False))

    async def call(self, write: bool, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a store call off the event loop and turn kit errors into HTTP errors with their
        message.
        """
        with _http_errors():
            if write:
                try:
                    return await self.ctx.db.write(fn, *args, **kwargs)
                finally:
                    self.ctx.invalidate()  # participants see the change on their next page
            return await self.ctx.db.read(fn, *args, **kwargs)

    def view_lang(self, rec: SessionRecord) -> str:
        """The language labels are returned in: ``?lang=``, else the session's first."""
        return self.get_query_argument("lang", "") or (rec.languages or ["en"])[0]

    async def session(self, sid: str) -> SessionRecord:
        """Return the session with numeric id ``sid``."""
        return await self.call(False, self.ctx.store.get_session, int(sid))


class StatusHandler(FacilitatorAPIHandler):
    """``GET /pbp/api/status``: version, URLs, kernel counts and culling settings."""

    access = "facilitator-only"

    @web.authenticated
    def get(self) -> None:
        from .. import __version__ as version  # noqa: PLC0415

        km = self.settings.get("kernel_manager")
        kernels: list[str] = list(km.list_kernel_ids()) if km is not None else []
        pooled: list[str] = []
        pools = getattr(km, "_pools", {}) or {}
        for pool in pools.values():
            for fut in pool:
                if fut.done() and not fut.cancelled() and fut.exception() is None:
                    kid = fut.result().get("kernel_id")
                    if kid:
                        pooled.append(kid)
        self.send(
            {
                "version": version,
                "join_url": self.ctx.join_url(),
                "kernels": len(kernels),
                "pooled_kernels": len(pooled),
                "busy_kernels": len([k for k in kernels if k not in pooled]),
                "cull_idle_timeout": getattr(km, "cull_idle_timeout", None),
                "cull_interval": getattr(km, "cull_interval", None),
                "database": self.ctx.store.dialect,
                # pbp serve --workers N: which worker answered ({index, workers, pid})
                **({"worker": w} if (w := self.settings.get("pbp_worker")) else {}),
            }
        )


class SessionsHandler(FacilitatorAPIHandler):
    """``GET /pbp/api/sessions``: every session, newest first, with idea counts and join URLs."""

    access = "facilitator-only"

    @web.authenticated
    async def get(self) -> None:
        store = self.ctx.store

        def q() -> list[dict[str, Any]]:
            out = []
            for s in store.list_sessions():
                d = s.to_dict()
                d["submissions"] = store.count_submissions(s.id)
                d["join_url"] = self.ctx.join_url(s.code)
                out.append(d)
            return out

        self.send({"sessions": await self.call(False, q)})


class SessionStateHandler(FacilitatorAPIHandler):
    """``GET /pbp/api/sessions/<sid>``: the session, its prompts, counts, voting round and URLs."""

    access = "facilitator-only"

    @web.authenticated
    async def get(self, sid: str) -> None:
        store = self.ctx.store
        rec = await self.session(sid)

        def q() -> dict[str, Any]:
            prompts = store.list_prompts(rec.id)
            subs = store.list_submissions(rec.id, include_hidden=True)
            per_prompt: dict[int | None, int] = {}
            for s in subs:
                if not s.hidden:
                    per_prompt[s.prompt_id] = per_prompt.get(s.prompt_id, 0) + 1
            vround = store.current_voting_round(rec.id)
            return {
                "session": rec.to_dict(),
                "prompts": [
                    {
                        "id": p.id,
                        "position": p.position,
                        "key": p.key,
                        "kind": p.kind,
                        "text": p.text,
                        "is_open": p.is_open,
                        "submissions": per_prompt.get(p.id, 0),
                    }
                    for p in prompts
                ],
                "submissions": sum(1 for s in subs if not s.hidden),
                "hidden": sum(1 for s in subs if s.hidden),
                "participants": len({s.participant_key for s in subs if s.participant_key}),
                "cursor": max((s.seq for s in subs), default=0),
                "voting": _round_dict(vround),
                "join_url": self.ctx.join_url(),
                "session_url": self.ctx.join_url(rec.code),
                "qr_png": f"/pbp/api/sessions/{rec.id}/qr.png",
                "qr_svg": f"/pbp/api/sessions/{rec.id}/qr.svg",
                "poster": f"/pbp/sessions/{rec.id}/poster",
            }

        self.send(await self.call(False, q))


class SessionStatusHandler(FacilitatorAPIHandler):
    """``POST /pbp/api/sessions/<sid>/status`` with ``{"status": "open"|"closed"}``."""

    access = "facilitator-only"

    @web.authenticated
    async def post(self, sid: str) -> None:
        status = self.body_json().get("status")
        rec = await self.session(sid)
        await self.call(
            True, self.ctx.store.set_session_status, rec.id, str(status), actor=self.actor
        )
        self.send((await self.session(sid)).to_dict())


class FocusPromptHandler(FacilitatorAPIHandler):
    """``POST /pbp/api/sessions/<sid>/focus`` with ``{"prompt_id": n}``: open only that prompt (null
    closes all).
    """

    access = "facilitator-only"

    @web.authenticated
    async def post(self, sid: str) -> None:
        body = self.body_json()
        if "prompt_id" not in body:
            raise web.HTTPError(400, 'Expected {"prompt_id": <id or null>}, got no prompt_id.')
        pid = body["prompt_id"]
        if pid is not None and not isinstance(pid, int):
            raise web.HTTPError(400, f"Expected prompt_id to be an integer or null, got {pid!r}.")
        rec = await self.session(sid)
        await self.call(True, self.ctx.store.open_only, rec.id, pid, actor=self.actor)
        prompts = await self.call(False, self.ctx.store.list_prompts, rec.id)
        self.send({"prompts": [{"id": p.id, "key": p.key, "is_open": p.is_open} for p in prompts]})


class PromptOpenHandler(FacilitatorAPIHandler):
    """``POST /pbp/api/prompts/<pid>/(open|close)``."""

    access = "facilitator-only"

    @web.authenticated
    async def post(self, pid: str, action: str) -> None:
        p = await self.call(
            True, self.ctx.store.set_prompt_open, int(pid), action == "open", actor=self.actor
        )
        self.send({"id": p.id, "session_id": p.session_id, "key": p.key, "is_open": p.is_open})


class SubmissionsHandler(FacilitatorAPIHandler):
    """``GET /pbp/api/sessions/<sid>/submissions?since=<seq>``: new submissions after a cursor.

    Returns ``{"items": [...], "cursor": <largest seq seen>, "more": bool}``;
    pass ``cursor`` back as ``since`` to get only newer ones. Hidden ones are
    included (with ``"hidden": true``) when ``include_hidden=1``.
    """

    access = "facilitator-only"

    @web.authenticated
    async def get(self, sid: str) -> None:
        try:
            since = int(self.get_query_argument("since", "0"))
            limit = min(max(int(self.get_query_argument("limit", "500")), 1), 5000)
        except ValueError as exc:
            raise web.HTTPError(400, "Expected integer 'since' and 'limit' query values.") from exc
        include_hidden = self.get_query_argument("include_hidden", "0") in ("1", "true", "yes")
        rec = await self.session(sid)
        items = await self.call(
            False,
            self.ctx.store.list_submissions,
            rec.id,
            include_hidden=include_hidden,
            since_seq=since,
            limit=limit + 1,
        )
        more = len(items) > limit
        items = items[:limit]
        self.send(
            {
                "items": [s.to_dict() for s in items],
                "cursor": items[-1].seq if items else since,
                "more": more,
            }
        )


class HideHandler(FacilitatorAPIHandler):
    """``POST /pbp/api/submissions/<id>/(hide|restore)`` with optional ``{"reason": "..."}``
    (audited).
    """

    access = "facilitator-only"

    @web.authenticated
    async def post(self, submission_id: str, action: str) -> None:
        reason = str(self.body_json().get("reason") or "")[:500]
        rec = await self.call(
            True,
            self.ctx.store.set_hidden,
            submission_id,
            action == "hide",
            actor=self.actor,
            reason=reason,
        )
        self.send(rec.to_dict())


class ThemesHandler(FacilitatorAPIHandler):
    """``GET /pbp/api/sessions/<sid>/themes``: the session's current themes and their version.

    ``{"version": n, "themes": [{"id", "label", "labels", "label_source", "size", "quotes",
    "pinned", "terms"}], "edits": [...]}``; ``label`` is in ``?lang=`` (default the session's
    first language), ``edits`` the trail (undone ones with ``_undone_at``).
    """

    access = "facilitator-only"

    @web.authenticated
    async def get(self, sid: str) -> None:
        from ..themes.session import warm_up

        rec = await self.session(sid)
        # whoever reads the themes is about to edit them: load the model meanwhile
        self.ctx.db.submit_compute(warm_up)
        state = await self.call(False, current_themes, self.ctx.store, rec.id)
        trail = await self.call(False, self.ctx.store.list_theme_edits, rec.id, include_undone=True)
        self.send(state.to_dict(self.view_lang(rec)) | {"edits": trail})


class ThemeEditsHandler(FacilitatorAPIHandler):
    """``POST /pbp/api/sessions/<sid>/themes/edits`` with one edit: the new themes.

    The same path as the dashboard's edit buttons
    (:func:`pbp_facilitate.themes.session.edit_themes`); the refit runs in the compute
    thread. A malformed edit, or one naming a theme that is not there now, gets 400 with
    what was expected; ``{"op": "undo"}`` with nothing to undo gets 404.
    """

    access = "facilitator-only"

    @web.authenticated
    async def post(self, sid: str) -> None:
        from ..themes.session import edit_themes  # the model loads on the first edit

        edit = self.body_json()
        rec = await self.session(sid)
        try:
            with _http_errors():
                await self.ctx.db.compute(
                    edit_themes, self.ctx.store, rec.id, edit, actor=self.actor
                )
        finally:
            self.ctx.invalidate()
        state = await self.call(False, current_themes, self.ctx.store, rec.id)
        self.send(state.to_dict(self.view_lang(rec)))


class ThemeRefitHandler(FacilitatorAPIHandler):
    """``POST /pbp/api/sessions/<sid>/themes/refit`` (``{"force": false}``): the dashboards'
    refits, done here once for every screen.

    Under ``pbp serve`` a dashboard kernel does not fit (the model and the fit were ~300 MiB in
    every kernel): it asks here when its visible ideas differ from the themes it shows, then
    reads the stored version. One refit per session at a time runs in the compute thread; a
    request that waited for another finds the version it needed stored and returns at once.
    A refit is skipped (``"refitted": false``) when the latest version was fitted on exactly
    the session's visible ideas, unless ``force``. Returns ``{"version": n, "refitted": bool}``.
    """

    access = "facilitator-only"
    _locks: ClassVar[dict[tuple[int, int], asyncio.Lock]] = {}
    # (context, session) -> (visible ids, version) of the last refit done here
    _fitted: ClassVar[dict[tuple[int, int], tuple[frozenset[str], int]]] = {}

    @web.authenticated
    async def post(self, sid: str) -> None:
        from ..themes.session import compute_themes  # the model loads on the first refit

        force = self.body_json().get("force") is True
        rec = await self.session(sid)
        key = (id(self.ctx), rec.id)
        lock = self._locks.setdefault(key, asyncio.Lock())
        refitted = False
        async with lock:
            store = self.ctx.store
            subs = await self.call(False, store.list_submissions, rec.id)
            visible = frozenset(s.id for s in subs)
            got = await self.call(False, store.theme_state, rec.id)
            version, data = got if got else (0, {})
            done = self._fitted.get(key) == (visible, version) or (
                version > 0 and frozenset(str(i) for i in data.get("ids", [])) == visible
            )
            if force or not done:
                with _http_errors():
                    fit = await self.ctx.db.compute(compute_themes, store, rec.id, clouds=False)
                version, refitted = fit.version, True
                self._fitted[key] = (visible, version)
                self.ctx.invalidate()  # ballots name the themes: participants see the labels
        self.send({"version": version, "refitted": refitted})


class VotingStartHandler(FacilitatorAPIHandler):
    """``POST /pbp/api/sessions/<sid>/voting`` with ``{"from_themes": true, "dots": n}`` (the
    current themes, by id: labels follow the themes) or ``{"options": [{"id", "label"}],
    "dots": n}`` (fixed labels).
    """

    access = "facilitator-only"

    @web.authenticated
    async def post(self, sid: str) -> None:
        body = self.body_json()
        dots = body.get("dots", self.ctx.settings.dots_per_participant)
        if not isinstance(dots, int) or isinstance(dots, bool):
            raise web.HTTPError(400, f"Expected an integer 'dots', got {dots!r}.")
        rec = await self.session(sid)
        if body.get("from_themes") is True:
            if "options" in body:
                raise web.HTTPError(400, 'Give "from_themes": true or "options": [...], not both.')
            r = await self.call(
                True, start_theme_vote, self.ctx.store, rec.id, dots=dots, actor=self.actor
            )
            self.send(_round_dict(r), status=201)
            return
        options = body.get("options")
        if not isinstance(options, list) or not all(
            isinstance(o, dict) and "id" in o and "label" in o for o in options
        ):
            raise web.HTTPError(
                400,
                'Expected "from_themes": true (vote on the current themes) or "options": '
                '[{"id": 1, "label": "..."}, ...].',
            )
        r = await self.call(
            True, self.ctx.store.start_voting_round, rec.id, options, dots=dots, actor=self.actor
        )
        self.send(_round_dict(r), status=201)


class VotingCloseHandler(FacilitatorAPIHandler):
    """``POST /pbp/api/voting/<rid>/close``."""

    access = "facilitator-only"

    @web.authenticated
    async def post(self, rid: str) -> None:
        await self.call(True, self.ctx.store.close_voting_round, int(rid), actor=self.actor)
        self.send(_round_dict(await self.call(False, self.ctx.store.get_voting_round, int(rid))))


class VotingTotalsHandler(FacilitatorAPIHandler):
    """``GET /pbp/api/voting/<rid>/totals?lang=``: the round's results as the themes are now.

    ``{"round", "totals": [{"id", "label", "labels", "dots", "voters", "theme_id",
    "merged_into"}] (one per option), "themes": [{"id", "label", "quote", "dots", "voters",
    "option_ids"}] (one per ballot line, largest first), "voters", "dots_cast", "turnout"}``;
    ``turnout`` compares the ballots with the people seen before the round (or with
    ``?headcount=``) and carries the facilitator's warning in ``lang``
    (:func:`pbp_facilitate.turnout.turnout_signal`).
    """

    access = "facilitator-only"

    @web.authenticated
    async def get(self, rid: str) -> None:
        store = self.ctx.store
        r = await self.call(False, store.get_voting_round, int(rid))
        rec = await self.call(False, store.get_session, r.session_id)
        lang = self.view_lang(rec)

        raw = self.get_query_argument("headcount", "") or "0"
        if not raw.isdigit() or len(raw) > 7:
            raise web.HTTPError(400, "headcount must be a whole number of people (0: not counted).")

        def q() -> tuple[dict[str, Any], dict[str, int]]:
            got = round_totals(store, r, current_themes(store, r.session_id), lang)
            return got, store.round_turnout(r.id)

        got, turnout = await self.call(False, q)
        self.send(
            {
                "round": _round_dict(r),
                "totals": got["options"],
                "themes": got["themes"],
                "voters": got["voters"],
                "dots_cast": got["dots_cast"],
                "turnout": turnout_signal(turnout, int(raw), lang),
            }
        )


class QRHandler(JupyterHandler):
    """``GET /pbp/api/sessions/<sid>/qr.(png|svg)``: QR code of the session's join URL.

    ``?target=join`` encodes the generic ``/join`` page instead of ``/s/<code>``;
    ``?scale=`` sets pixels (PNG) or units (SVG) per module.
    """

    access = "facilitator-only"
    ctx: IntakeContext

    def initialize(self, ctx: IntakeContext) -> None:
        self.ctx = ctx

    @web.authenticated
    async def get(self, sid: str, fmt: str) -> None:
        try:
            rec = await self.ctx.db.read(self.ctx.store.get_session, int(sid))
        except NotFoundError as exc:
            raise web.HTTPError(404, str(exc)) from exc
        try:
            scale = int(self.get_query_argument("scale", "10"))
        except ValueError as exc:
            raise web.HTTPError(400, "Expected an integer 'scale' from 1 to 40.") from exc
        url = (
            self.ctx.join_url()
            if self.get_query_argument("target", "session") == "join"
            else self.ctx.join_url(rec.code)
        )
        data = qr_png(url, scale=scale) if fmt == "png" else qr_svg(url, scale=scale, title=url)
        self.set_header("Content-Type", QR_FORMATS[fmt])
        _no_store(self)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Content-Disposition", f'inline; filename="join-{rec.code}.{fmt}"')
        self.finish(data)


class PosterHandler(JupyterHandler):
    """``GET /pbp/sessions/<sid>/poster``: a printable page with the QR code, join URL and code."""

    access = "facilitator-only"
    ctx: IntakeContext

    def initialize(self, ctx: IntakeContext) -> None:
        self.ctx = ctx

    @web.authenticated
    async def get(self, sid: str) -> None:
        try:
            rec = await self.ctx.db.read(self.ctx.store.get_session, int(sid))
        except NotFoundError as exc:
            raise web.HTTPError(404, str(exc)) from exc
        url = self.ctx.join_url(rec.code)
        svg = qr_svg(url, scale=12, title=url).decode("utf-8")
        html = self.ctx.jinja.get_template("poster.html").render(
            session=rec,
            url=url,
            join_url=self.ctx.join_url(),
            svg=svg,
            css=f"/pbp/static/app.css?v={self.ctx.static_version}",
        )
        self.set_header(
            "Content-Security-Policy",
            "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'",
        )
        self.set_header("X-Content-Type-Options", "nosniff")
        _no_store(self)
        self.finish(html)


def throttled_login(base: type, ctx: IntakeContext) -> type:
    """Return a subclass of the login handler ``base`` that throttles failed logins per address.

    After ``login_failures_per_minute`` failed attempts from one address, every further POST
    from it gets 429 with ``Retry-After`` (the password is not even checked) until its bucket
    refills; a successful login costs nothing.
    """
    from jupyter_server.auth.decorator import allow_unauthenticated

    class ThrottledLoginHandler(base):  # type: ignore[misc, valid-type]
        access = "facilitator-only"

        @allow_unauthenticated
        def post(self) -> None:
            address = self.request.remote_ip or "?"
            wait = ctx.login_failures.retry_after(address)
            if wait:
                self.set_status(429)
                self.set_header("Retry-After", str(wait))
                self._render(
                    message={"error": f"Too many failed logins; wait {wait} s and try again."}
                )
                return
            super().post()
            if self.get_status() == 401:
                ctx.login_failures.failed(address)

    ThrottledLoginHandler.__name__ = f"Throttled{base.__name__}"
    return ThrottledLoginHandler


def facilitator_routes(ctx: IntakeContext) -> list[tuple[str, type, dict[str, Any]]]:
    """Return the facilitator routes (Tornado rules), each handler marked facilitator-only."""
    kw = {"ctx": ctx}
    n = r"(\d{1,9})"
    return [
        (r"/pbp/api/status", StatusHandler, kw),
        (r"/pbp/api/sessions", SessionsHandler, kw),
        (rf"/pbp/api/sessions/{n}", SessionStateHandler, kw),
        (rf"/pbp/api/sessions/{n}/status", SessionStatusHandler, kw),
        (rf"/pbp/api/sessions/{n}/focus", FocusPromptHandler, kw),
        (rf"/pbp/api/prompts/{n}/(open|close)", PromptOpenHandler, kw),
        (rf"/pbp/api/sessions/{n}/submissions", SubmissionsHandler, kw),
        (r"/pbp/api/submissions/([0-9a-f]{1,40})/(hide|restore)", HideHandler, kw),
        (rf"/pbp/api/sessions/{n}/themes", ThemesHandler, kw),
        (rf"/pbp/api/sessions/{n}/themes/edits", ThemeEditsHandler, kw),
        (rf"/pbp/api/sessions/{n}/themes/refit", ThemeRefitHandler, kw),
        (rf"/pbp/api/sessions/{n}/voting", VotingStartHandler, kw),
        (rf"/pbp/api/voting/{n}/close", VotingCloseHandler, kw),
        (rf"/pbp/api/voting/{n}/totals", VotingTotalsHandler, kw),
        (rf"/pbp/api/sessions/{n}/qr\.(png|svg)", QRHandler, kw),
        (rf"/pbp/sessions/{n}/poster", PosterHandler, kw),
        *_reaction_api_routes(ctx),
    ]


def _reaction_api_routes(ctx: IntakeContext) -> list[tuple[str, type, dict[str, Any]]]:
    from .reactions_api import reaction_api_routes  # imports this module's base handler

    return reaction_api_routes(ctx)
