"""Participant pages: join by code, answer the open prompts, vote. No kernel, no account.

Every handler here is marked ``access = "participant-public"``. Pages are
server-rendered (Jinja2, autoescaped) and work with JavaScript off: a plain
POST, then a 303 redirect to the confirmation. Database work runs in
:class:`~pbp_facilitate.intake.dbwork.DbWorker` threads.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import tornado.web
from markupsafe import Markup

from ..errors import ClosedError, NotFoundError, StoreError, StoreFullError, ValidationError
from ..i18n import gettext, negotiate, offered_languages
from ..store import NewSubmission, PromptRecord, SessionRecord, SubmissionRecord, VotingRound
from .context import STATIC_DIR, IntakeContext
from .validation import (
    FormData,
    check_form_key,
    check_idea_text,
    is_participant_key,
    new_form_key,
    new_participant_key,
    normalise_code,
    parse_ballot,
    parse_form,
)

__all__ = [
    "ParticipantHandler",
    "RootHandler",
    "JoinHandler",
    "SessionPageHandler",
    "VoteHandler",
    "ParticipantStaticHandler",
    "ParticipantNotFoundHandler",
    "PARTICIPANT_COOKIE",
    "LANG_COOKIE",
    "CSP",
    "participant_routes",
]

PARTICIPANT_COOKIE = "pbp_participant"
LANG_COOKIE = "pbp_lang"
CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def _security_headers(handler: tornado.web.RequestHandler) -> None:
    handler.set_header("Content-Security-Policy", CSP)
    handler.set_header("X-Content-Type-Options", "nosniff")
    handler.set_header("Referrer-Policy", "same-origin")
    handler.set_header("X-Frame-Options", "DENY")
    handler.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=()")


@dataclass
class _Problem:
    """A readable problem shown at the top of the form and next to its field."""

    message: str
    status: int
    field: str | None = None
    prompt_id: int | None = None


def view_version(
    rec: SessionRecord, prompts: list[PromptRecord], vround: VotingRound | None
) -> str:
    """A short token that changes whenever what the participant page shows changes.

    It covers the session status, which prompts are open and the voting round (id and status);
    the page's script polls it and reloads when it changes, so phones follow the facilitator.
    """
    parts = [
        rec.status,
        ",".join(str(p.id) for p in prompts if p.is_open),
        f"{vround.id}:{vround.status}" if vround is not None else "-",
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


@tornado.web.stream_request_body
class ParticipantHandler(tornado.web.RequestHandler):
    """Base of the participant pages: headers, participant key, language, body limit, forms.

    The body is streamed so an oversized one is refused (413) from its
    ``Content-Length`` before anything is parsed; the form is then parsed
    strictly (invalid UTF-8 gives 400).
    """

    access = "participant-public"
    ctx: IntakeContext

    def initialize(self, ctx: IntakeContext) -> None:
        self.ctx = ctx
        self._chunks: list[bytes] = []
        self._size = 0
        self._too_large = False
        self.lang = "en"
        self.languages: list[str] = list(ctx.settings.languages)

    # -- plumbing ----------------------------------------------------------------------------

    def set_default_headers(self) -> None:
        _security_headers(self)
        self.set_header("Cache-Control", "no-store")

    def prepare(self) -> None:
        if self.request.method in ("POST", "PUT", "PATCH"):
            limit = self.ctx.settings.max_body_bytes
            declared = self.request.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                # Refused from the header alone: nothing is buffered or parsed. The body is still
                # drained (up to the connection's cap) so the phone receives the 413 page
                # instead of a reset connection.
                self._too_large = True
            self.request.connection.set_max_body_size(max(limit * 16, 4 << 20))  # type: ignore[union-attr]
        self.participant_key = self._participant_key()
        self.lang = self._pick_language(self.languages)

    def data_received(self, chunk: bytes) -> None:
        if self._too_large:
            return
        self._size += len(chunk)
        if self._size > self.ctx.settings.max_body_bytes:
            self._too_large = True
            self._chunks = []
            return
        self._chunks.append(chunk)

    def _participant_key(self) -> str:
        key = self.get_cookie(PARTICIPANT_COOKIE)
        if not is_participant_key(key):
            key = new_participant_key()
            self.set_cookie(
                PARTICIPANT_COOKIE, key, httponly=True, samesite="Lax", path="/", expires_days=30
            )
        return str(key)

    def _pick_language(self, available: list[str], explicit: str | None = None) -> str:
        explicit = explicit or self.get_query_argument("lang", None)
        lang = negotiate(
            available,
            explicit=explicit,
            cookie=self.get_cookie(LANG_COOKIE),
            accept_language=self.request.headers.get("Accept-Language"),
        )
        if explicit and explicit == lang and self.get_cookie(LANG_COOKIE) != lang:
            self.set_cookie(
                LANG_COOKIE, lang, httponly=True, samesite="Lax", path="/", expires_days=30
            )
        return lang

    def t(self, key: str, **values: Any) -> str:
        """Return the participant string ``key`` in the page language."""
        return gettext(self.lang, key, **values)

    def read_form(self) -> FormData:
        """Parse the streamed body, then check the XSRF token and the Origin.

        Raises
        ------
        tornado.web.HTTPError
            400 for an unreadable body, 403 for a failed XSRF or Origin check,
            413 when the body was too large.
        """
        if self._too_large:
            raise tornado.web.HTTPError(413)
        try:
            form = parse_form(b"".join(self._chunks), self.request.headers.get("Content-Type"))
        except ValidationError as exc:
            raise tornado.web.HTTPError(400, reason="Bad form") from exc
        self.request.arguments = form.as_arguments()
        self.request.body_arguments = form.as_arguments()
        return form

    def read_form_or_error(self) -> FormData | None:
        """Parse the form; on a body that cannot be read, write its error page and return None."""
        try:
            return self.read_form()
        except tornado.web.HTTPError as exc:
            self.set_status(exc.status_code)
            self.write_error(exc.status_code)
            return None

    def origin_ok(self) -> bool:
        """True when the POST comes from this server's own pages (Origin, else Referer, else
        absent).
        """
        origin = self.request.headers.get("Origin")
        source = origin if origin is not None else self.request.headers.get("Referer")
        if source is None:
            return True  # not a browser form; the XSRF token still protects
        if source == "null":
            return False
        netloc = urlsplit(source).netloc.lower()
        allowed = {self.request.host.lower(), self.ctx.public_netloc}
        return netloc in allowed

    def xsrf_ok(self) -> bool:
        """True when the form's ``_xsrf`` matches the cookie (Tornado's double-submit check)."""
        try:
            self.check_xsrf_cookie()
        except tornado.web.HTTPError:
            return False
        return True

    def render_page(self, template: str, **values: Any) -> None:
        """Render a participant template with the shared values and finish."""
        lang = values.pop("lang", self.lang)
        tmpl = self.ctx.jinja.get_template(template)
        html = tmpl.render(
            lang=lang,
            t=lambda key, **kw: gettext(lang, key, **kw),
            static=lambda name: f"/pbp/static/{name}?v={self.ctx.static_version}",
            switch=[
                (code, name, self._switch_url(code))
                for code, name in offered_languages(self.languages)
            ],
            **values,
        )
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(html)

    def _switch_url(self, code: str) -> str:
        path = self.request.path
        return f"{quote(path)}?lang={code}"

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.clear_header("Content-Type")
        key = (
            "err_too_large"
            if status_code == 413
            else "err_bad_request"
            if status_code == 400
            else "error_generic"
        )
        if status_code == 404:
            self.render_page(
                "error.html",
                title=gettext(self.lang, "not_found_title"),
                message=gettext(self.lang, "not_found"),
            )
            return
        limit = self.ctx.settings.max_body_bytes // 1024
        self.render_page(
            "error.html",
            title=gettext(self.lang, "error_title"),
            message=gettext(self.lang, key, status=status_code, limit=limit),
        )

    # -- lookups -----------------------------------------------------------------------------

    async def session_view(
        self, code: str
    ) -> tuple[SessionRecord, list[PromptRecord], VotingRound | None]:
        """Return the session with code ``code``, its prompts and voting round (one thread hop), or
        404.
        """
        code = code.upper()
        store = self.ctx.store
        hit, view = self.ctx.cached_view(code)
        if hit:
            if view is None:
                raise tornado.web.HTTPError(404)
            self.languages = list(view[0].languages) or list(self.ctx.settings.languages)
            return view  # type: ignore[no-any-return]

        def q() -> tuple[SessionRecord, list[PromptRecord], VotingRound | None] | None:
            rec = _session_by_code(store, code)
            if rec is None:
                return None
            return rec, store.list_prompts(rec.id), store.current_voting_round(rec.id)

        try:
            view = await self.ctx.db.read(q)
        except StoreError as exc:
            raise tornado.web.HTTPError(503, reason="Database unavailable") from exc
        self.ctx.remember_view(code, view)
        if view is None:
            raise tornado.web.HTTPError(404)
        self.languages = list(view[0].languages) or list(self.ctx.settings.languages)
        return view

    def _about_html(
        self, rec: SessionRecord, form: dict[str, Any], demographics: list[dict[str, Any]]
    ) -> Any:
        """The "about you" block; the untouched one is rendered once per session, prompt and
        language.
        """
        lang = self.lang

        def render() -> Any:
            tmpl = self.ctx.jinja.get_template("_about.html")
            return Markup(
                tmpl.render(
                    f=form,
                    demographics=demographics,
                    lang=lang,
                    t=lambda key, **kw: gettext(lang, key, **kw),
                )
            )

        if form["consent"] or form["demo_values"]:
            return render()
        return self.ctx.fragment(("about", rec.id, form["prompt"].id, lang), render)

    async def find_session(self, code: str) -> SessionRecord | None:
        """Return the session with join code ``code`` (never by numeric id), or None."""
        return await self.ctx.db.read(_session_by_code, self.ctx.store, code)

    async def show_session(
        self,
        rec: SessionRecord,
        prompts: list[PromptRecord],
        vround: VotingRound | None,
        *,
        saved: SubmissionRecord | None = None,
        note: str | None = None,
        problem: _Problem | None = None,
        values: dict[str, Any] | None = None,
        ballot: dict[int, int] | None = None,
        vote_problem: _Problem | None = None,
        voted: bool = False,
    ) -> None:
        """Render the session page: confirmation, open prompts' forms, voting, problems."""
        values = values or {}
        open_prompts = [p for p in prompts if p.is_open] if rec.status == "open" else []
        if (
            problem is not None
            and problem.prompt_id is not None
            and all(p.id != problem.prompt_id for p in open_prompts)
        ):
            # the prompt closed under the participant: still show their text so they can copy it
            closed = next((p for p in prompts if p.id == problem.prompt_id), None)
            if closed is not None:
                open_prompts = [*open_prompts, closed]
        demographics = [
            {
                "key": q.key,
                "label": q.label.get(self.lang) or next(iter(q.label.values()), q.key),
                "multiple": q.multiple,
                "options": [(o.value, o.label.get(self.lang) or o.value) for o in q.options],
            }
            for q in rec.survey.demographics
        ]
        forms = []
        for i, p in enumerate(open_prompts):
            mine = problem is not None and problem.prompt_id == p.id
            forms.append(
                {
                    "prompt": p,
                    "text_label": p.text_for(self.lang),
                    "text": values.get("text", "") if mine else "",
                    "idem": values.get("idem") if mine and values.get("idem") else new_form_key(),
                    "problem": problem if mine else None,
                    "demographics": i == 0,
                    "demo_values": values.get("demo", {}) if mine else {},
                    "consent": bool(values.get("consent")) if mine else False,
                    "closed": not p.is_open or rec.status != "open",
                    "about_html": None,
                }
            )
            if i == 0 and demographics:
                forms[-1]["about_html"] = self._about_html(rec, forms[-1], demographics)
        vote = None
        if vround is not None and rec.status == "open":
            if ballot is None and vround.status == "open":
                ballot = await self.ctx.db.read(
                    self.ctx.store.ballot, vround.id, self.participant_key
                )
            vote = {
                "round": vround,
                "ballot": ballot or {},
                "problem": vote_problem,
                "saved": voted,
            }
        self.render_page(
            "session.html",
            session=rec,
            title=rec.title,
            forms=forms,
            saved=saved,
            note=note,
            problem=problem,
            demographics=demographics,
            vote=vote,
            limit=self.ctx.settings.max_text_chars,
            xsrf_html=self.xsrf_form_html(),
            session_closed=rec.status != "open",
            state=view_version(rec, prompts, vround),
        )


class RootHandler(ParticipantHandler):
    """``/``: send participants to the join page."""

    access = "participant-public"

    def get(self) -> None:
        self.redirect("/join", status=302)


class ParticipantNotFoundHandler(ParticipantHandler):
    """Readable 404 for unknown participant paths under ``/s/``."""

    access = "participant-public"

    def get(self, *_: Any) -> None:
        raise tornado.web.HTTPError(404)

    def post(self, *_: Any) -> None:
        raise tornado.web.HTTPError(404)


class JoinHandler(ParticipantHandler):
    """``/join``: type a session code (``GET /join?code=...`` goes to the session)."""

    access = "participant-public"

    async def get(self) -> None:
        raw = self.get_query_argument("code", None)
        if raw is None:
            self.render_page("join.html", code="", error=None)
            return
        error = None
        try:
            code = normalise_code(raw)
        except ValidationError:
            code, error = "", self.t("join_unknown", code=raw[:40])
        if not code and error is None:
            error = self.t("join_empty")
        if error is None:
            rec = await self.find_session(code)
            if rec is not None:
                self.redirect(f"/s/{quote(rec.code)}", status=303)
                return
            error = self.t("join_unknown", code=code)
        self.set_status(404 if code else 400)
        self.render_page("join.html", code=raw[:40], error=error)


class SessionPageHandler(ParticipantHandler):
    """``/s/<code>``: the session's open prompts (GET) and idea submission (POST)."""

    access = "participant-public"

    async def _load(
        self, code: str
    ) -> tuple[SessionRecord, list[PromptRecord], VotingRound | None]:
        return await self.session_view(code)

    async def get(self, code: str) -> None:
        rec, prompts, vround = await self._load(code)
        self.lang = self._pick_language(self.languages)
        saved: SubmissionRecord | None = None
        saved_id = self.get_query_argument("saved", None)
        if saved_id and len(saved_id) <= 40:
            try:
                sub = await self.ctx.db.read(self.ctx.store.get_submission, saved_id)
            except NotFoundError:
                sub = None
            if (
                sub is not None
                and sub.session_id == rec.id
                and hmac.compare_digest(sub.participant_key or "", self.participant_key)
            ):
                saved = sub
        note_key = {"dropped": "demo_dropped", "invalid": "demo_invalid"}.get(
            self.get_query_argument("note", "")
        )
        note = self.t(note_key, detail="?") if note_key else None
        await self.show_session(
            rec,
            prompts,
            vround,
            saved=saved,
            note=note,
            voted=self.get_query_argument("voted", None) == "1",
        )

    async def post(self, code: str) -> None:
        rec, prompts, vround = await self._load(code)
        form = self.read_form_or_error()
        if form is None:
            return
        self.lang = self._pick_language(self.languages, explicit=form.get("lang"))
        text = form.get("text")
        raw_pid = form.get("prompt_id") or ""
        demo = {
            q.key: (
                form.getlist(f"demo_{q.key}") if q.multiple else (form.get(f"demo_{q.key}") or "")
            )
            for q in rec.survey.demographics
        }
        demo = {k: v for k, v in demo.items() if v not in ("", [], None)}
        consent = form.get("consent") == "yes"
        values: dict[str, Any] = {
            "text": text or "",
            "idem": form.get("idem"),
            "demo": demo,
            "consent": consent,
        }
        prompt_id = int(raw_pid) if raw_pid.isdigit() and len(raw_pid) < 10 else None
        prompt = next((p for p in prompts if p.id == prompt_id), None)

        async def fail(problem: _Problem) -> None:
            self.set_status(problem.status)
            await self.show_session(rec, prompts, vround, problem=problem, values=values)

        if not self.origin_ok() or not self.xsrf_ok():
            values["idem"] = None
            await fail(_Problem(self.t("err_form_expired"), 403, "text", prompt_id))
            return
        if prompt is None:
            await fail(_Problem(self.t("err_unknown_prompt"), 400, None, None))
            return
        try:
            idem = check_form_key(form.get("idem"))
        except ValidationError:
            values["idem"] = None
            await fail(_Problem(self.t("err_form_expired"), 400, "text", prompt_id))
            return
        try:
            check_idea_text(text, self.ctx.settings.max_text_chars)
        except ValidationError as exc:
            if exc.code == "too_long":
                from .validation import nfc_length

                msg = self.t(
                    "err_too_long",
                    count=nfc_length(text or ""),
                    limit=self.ctx.settings.max_text_chars,
                )
            elif exc.code == "empty":
                msg = self.t("err_empty")
            else:
                msg = self.t("err_bad_request")
            await fail(_Problem(msg, 400, "text", prompt_id))
            return
        verdict = self.ctx.limiter.check(self.participant_key, self.request.remote_ip or "?")
        if not verdict.allowed:
            self.set_header("Retry-After", str(verdict.retry_after))
            await fail(
                _Problem(self.t("err_rate", seconds=verdict.retry_after), 429, "text", prompt_id)
            )
            return
        try:
            sub, _created = await self.ctx.db.add_idea(
                rec.id,
                NewSubmission(
                    text=text or "",
                    prompt_id=prompt_id,
                    language=self.lang,
                    source="form",
                    participant_key=self.participant_key,
                    idempotency_key=idem,
                ),
            )
        except ClosedError:
            self.ctx.invalidate()
            closed_session = await self.ctx.db.read(self.ctx.store.get_session, rec.id)
            key = "err_closed_session" if closed_session.status != "open" else "err_closed_prompt"
            prompts = await self.ctx.db.read(self.ctx.store.list_prompts, rec.id)
            await fail(_Problem(self.t(key), 409, "text", prompt_id))
            return
        except NotFoundError:
            await fail(_Problem(self.t("err_unknown_prompt"), 409, None, None))
            return
        except ValidationError:
            # the form key belongs to another session: a stale page
            values["idem"] = None
            await fail(_Problem(self.t("err_form_expired"), 400, "text", prompt_id))
            return
        except (StoreFullError, StoreError):
            await fail(_Problem(self.t("err_not_saved"), 503, "text", prompt_id))
            return
        note = None
        if consent or demo:
            note = await self.ctx.db.write(
                _save_profile, self.ctx, rec.id, self.participant_key, consent, demo
            )
        target = f"/s/{quote(rec.code)}?saved={quote(sub.id)}"
        if note:
            target += f"&note={note}"
        self.redirect(target + "#saved", status=303)


def _session_by_code(store: Any, code: str) -> SessionRecord | None:
    """The session whose join code is ``code``; never by numeric id (runs in a reader thread)."""
    try:
        return store.get_session(code, by="code")
    except NotFoundError:
        return None


def _save_profile(
    ctx: IntakeContext, session_id: int, participant_key: str, consent: bool, demo: dict[str, Any]
) -> str | None:
    """Record consent and (only with it) the answers; return a note key for the confirmation."""
    try:
        if consent:
            ctx.store.save_profile(session_id, participant_key, consented=True, demographics=demo)
            return None
        ctx.store.save_profile(session_id, participant_key, consented=False)
        return "dropped"
    except (ValidationError, StoreError):
        return "invalid" if consent else "dropped"


class VoteHandler(ParticipantHandler):
    """``POST /s/<code>/vote``: replace this participant's ballot in the open round."""

    access = "participant-public"

    def get(self, code: str) -> None:
        self.redirect(f"/s/{quote(code.upper())}#vote", status=303)

    async def post(self, code: str) -> None:
        rec, prompts, vround = await self.session_view(code)
        form = self.read_form_or_error()
        if form is None:
            return
        self.lang = self._pick_language(self.languages, explicit=form.get("lang"))
        store = self.ctx.store
        shower = _Shower(self, rec, prompts, vround)
        if not self.origin_ok() or not self.xsrf_ok():
            await shower.fail(_Problem(self.t("err_form_expired"), 403, "dots"))
            return
        if (
            vround is None
            or vround.status != "open"
            or str(vround.id) != (form.get("round_id") or "")
        ):
            vround = await self.ctx.db.read(
                store.current_voting_round, rec.id
            )  # the cache may be behind
            shower.vround = vround
        if (
            vround is None
            or vround.status != "open"
            or str(vround.id) != (form.get("round_id") or "")
        ):
            await shower.fail(_Problem(self.t("err_vote_closed"), 409, "dots"))
            return
        option_ids = [int(o["id"]) for o in vround.options]
        raw = {f"dots_{i}": form.get(f"dots_{i}") or "0" for i in option_ids}
        try:
            alloc = parse_ballot(raw, option_ids, vround.dots)
        except ValidationError as exc:
            used = 0
            for v in raw.values():
                used += int(v) if v.isascii() and v.isdigit() and len(v) <= 4 else 0
            key = "err_vote_too_many" if exc.code == "vote_too_many" else "err_vote_invalid"
            await shower.fail(
                _Problem(self.t(key, used=used, dots=vround.dots), 400, exc.field),
                ballot={
                    i: int(v)
                    for i, v in ((int(k[5:]), v) for k, v in raw.items())
                    if v.isascii() and v.isdigit() and len(v) <= 4
                },
            )
            return
        verdict = self.ctx.limiter.check(self.participant_key, self.request.remote_ip or "?")
        if not verdict.allowed:
            self.set_header("Retry-After", str(verdict.retry_after))
            await shower.fail(
                _Problem(self.t("err_rate", seconds=verdict.retry_after), 429, "dots"), ballot=alloc
            )
            return
        try:
            await self.ctx.db.write(store.cast_ballot, vround.id, self.participant_key, alloc)
        except ClosedError:
            await shower.fail(_Problem(self.t("err_vote_closed"), 409, "dots"))
            return
        except ValidationError:
            await shower.fail(
                _Problem(self.t("err_vote_invalid", dots=vround.dots), 400, "dots"), ballot=alloc
            )
            return
        except StoreError:
            await shower.fail(_Problem(self.t("err_not_saved"), 503, "dots"), ballot=alloc)
            return
        self.redirect(f"/s/{quote(rec.code)}?voted=1#vote", status=303)


class _Shower:
    """Render the session page from a VoteHandler with a vote problem."""

    def __init__(
        self,
        handler: VoteHandler,
        rec: SessionRecord,
        prompts: list[PromptRecord],
        vround: VotingRound | None,
    ) -> None:
        self.h, self.rec, self.prompts, self.vround = handler, rec, prompts, vround

    async def fail(self, problem: _Problem, ballot: dict[int, int] | None = None) -> None:
        self.h.set_status(problem.status)
        await self.h.show_session(
            self.rec, self.prompts, self.vround, vote_problem=problem, ballot=ballot
        )


class SessionStateHandler(ParticipantHandler):
    """``/s/<code>/state``: ``{"state": token}`` for the page's poll (no participant data)."""

    access = "participant-public"

    async def get(self, code: str) -> None:
        rec, prompts, vround = await self.session_view(code)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"state": view_version(rec, prompts, vround)}))


class ParticipantStaticHandler(tornado.web.StaticFileHandler):
    """``/pbp/static/...``: the participant CSS and JS (public, cacheable, nosniff)."""

    access = "participant-public"

    def set_default_headers(self) -> None:
        _security_headers(self)

    def set_extra_headers(self, path: str) -> None:
        if self.get_query_argument("v", None):
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")


def participant_routes(ctx: IntakeContext) -> list[tuple[str, type, dict[str, Any]]]:
    """Return the participant routes (Tornado rules), each handler marked participant-public."""
    kw = {"ctx": ctx}
    return [
        (r"/", RootHandler, kw),
        (r"/join/?", JoinHandler, kw),
        (r"/s/([A-Za-z0-9]{1,12})/?", SessionPageHandler, kw),
        (r"/s/([A-Za-z0-9]{1,12})/vote", VoteHandler, kw),
        (r"/s/([A-Za-z0-9]{1,12})/state", SessionStateHandler, kw),
        (r"/s/(.*)", ParticipantNotFoundHandler, kw),
        (r"/pbp/static/(.*)", ParticipantStaticHandler, {"path": str(STATIC_DIR)}),
    ]
