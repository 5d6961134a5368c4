"""The base of every participant page: security headers, the participant key and language
cookies, the body limit, form parsing and page rendering.

Every handler built on :class:`ParticipantHandler` is marked ``access = "participant-public"``;
its pages are server-rendered (Jinja2, autoescaped) and work with JavaScript off.

A ballot opened from the themes names its options by the session's current themes
(:func:`pbp_facilitate.themes.current.ballot_options`: the theme's label in the page's
language, one example quote, merged themes folded into one line); :mod:`.current` and
:mod:`.display` are the only, light, parts of :mod:`pbp_facilitate.themes` the intake imports.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlsplit

import tornado.web
from markupsafe import Markup

from ..errors import NotFoundError, StoreError, ValidationError
from ..i18n import gettext, negotiate, ngettext, offered_languages
from ..store import PromptRecord, SessionRecord, SubmissionRecord, VotingRound
from ..themes.current import BallotOption, ThemeState, ballot_options, current_themes
from .context import IntakeContext
from .validation import (
    FormData,
    is_participant_key,
    new_form_key,
    parse_form,
)

__all__ = [
    "ParticipantHandler",
    "PARTICIPANT_COOKIE",
    "LANG_COOKIE",
    "CSP",
    "Problem",
    "view_version",
    "session_by_code",
    "security_headers",
]

_DRAIN_CAP = 256 << 20
"""Largest oversized body a participant route reads and drops to answer with its 413 page."""
PARTICIPANT_COOKIE = "pbp_key"
"""The signed participant key's cookie (``Path=/s/<code>``; the unsigned ``pbp_participant``
cookie of earlier versions, ``Path=/``, is ignored)."""
_SESSION_PATH = re.compile(r"^/s/([A-Za-z0-9]{1,12})(?:/|$)")
LANG_COOKIE = "pbp_lang"
CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def security_headers(handler: tornado.web.RequestHandler) -> None:
    handler.set_header("Content-Security-Policy", CSP)
    handler.set_header("X-Content-Type-Options", "nosniff")
    handler.set_header("Referrer-Policy", "same-origin")
    handler.set_header("X-Frame-Options", "DENY")
    handler.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=()")


@dataclass
class Problem:
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
    mints_key = True
    """Whether a request without a valid key is handed one (not the page's state poll)."""

    def initialize(self, ctx: IntakeContext) -> None:
        self.ctx = ctx
        self._chunks: list[bytes] = []
        self._size = 0
        self._too_large = False
        self._retry_after = 0
        self._retry_key = "err_codes_rate"
        self.key_issued = False
        self.key_refused = 0
        self.lang = "en"
        self.languages: list[str] = list(ctx.settings.languages)

    # -- plumbing ----------------------------------------------------------------------------

    def set_default_headers(self) -> None:
        security_headers(self)
        self.set_header("Cache-Control", "no-store")

    def prepare(self) -> None:
        if self.request.method in ("POST", "PUT", "PATCH"):
            limit = self.ctx.settings.max_body_bytes
            declared = self.request.headers.get("Content-Length", "")
            drain = max(limit * 16, 4 << 20)
            if declared.isdigit() and int(declared) > limit:
                # Refused from the header alone: nothing is buffered or parsed. The body is still
                # drained and dropped (within body_timeout_s, up to _DRAIN_CAP) so the phone
                # receives the 413 page instead of a reset connection or Tornado's bare 400.
                self._too_large = True
                drain = max(drain, min(int(declared), _DRAIN_CAP))
            self.request.connection.set_max_body_size(drain)  # type: ignore[union-attr]
        self.lang = self._pick_language(self.languages)
        self.participant_key = self._participant_key()

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
        """This participant's server-signed key for the session in the URL (issued when absent).

        The cookie is scoped to ``/s/<code>``, so one device is not linkable across sessions;
        pages outside a session get no key. ``key_issued`` tells a POST that it came without a
        valid key (it is then answered with the page and the fresh key, nothing stored).
        A new key counts against the address's ``new_keys_per_ip_per_minute``
        (:mod:`.admission`); over it no key is handed out (``key_refused`` holds the seconds
        to wait) and :meth:`session_view` answers the 429 page. Handlers with
        ``mints_key = False`` hand out none (the key is then empty).
        """
        m = _SESSION_PATH.match(self.request.path)
        if m is None:
            return ""
        key = self.get_cookie(PARTICIPANT_COOKIE)
        if is_participant_key(key) and self.ctx.keys.valid(key):
            return str(key)
        if not self.mints_key:
            return ""
        verdict = self.ctx.admission.may_mint(self.request.remote_ip or "?")
        if not verdict.allowed:
            # too many new keys from this address in the last minute (intake/admission.py):
            # no key; session_view answers 429 once the body is read (refusing here, before
            # the body, would make Tornado drop the keep-alive connection)
            self.key_refused = verdict.retry_after
            return ""
        key = self.ctx.keys.new()
        self.ctx.admission.minted(key)
        self.key_issued = True
        self.set_cookie(
            PARTICIPANT_COOKIE,
            key,
            httponly=True,
            samesite="Lax",
            path=f"/s/{m.group(1)}",
            expires_days=30,
        )
        return key

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

    def tn(self, key: str, n: int, **values: Any) -> str:
        """Return the counted participant string ``key`` for ``n`` in the page language."""
        return ngettext(self.lang, key, n, **values)

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
            tn=lambda key, n, **kw: ngettext(lang, key, n, **kw),
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
        if status_code == 429 and self._retry_after:
            self.set_header("Retry-After", str(self._retry_after))  # send_error cleared it
            self.render_page(
                "error.html",
                title=gettext(self.lang, "error_title"),
                message=ngettext(self.lang, self._retry_key, self._retry_after),
            )
            return
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
        self.check_code_throttle()
        hit, view = self.ctx.cached_view(code)
        if hit:
            if view is None:
                self.code_missed()
                raise tornado.web.HTTPError(404)
            self.languages = list(view[0].languages) or list(self.ctx.settings.languages)
            self._refuse_without_key()
            return view  # type: ignore[no-any-return]

        def q() -> tuple[SessionRecord, list[PromptRecord], VotingRound | None] | None:
            rec = session_by_code(store, code)
            if rec is None:
                return None
            return rec, store.list_prompts(rec.id), store.current_voting_round(rec.id)

        try:
            view = await self.ctx.db.read(q)
        except StoreError as exc:
            raise tornado.web.HTTPError(503, reason="Database unavailable") from exc
        self.ctx.remember_view(code, view)
        if view is None:
            self.code_missed()
            raise tornado.web.HTTPError(404)
        self.languages = list(view[0].languages) or list(self.ctx.settings.languages)
        self._refuse_without_key()
        return view

    def _refuse_without_key(self) -> None:
        """Raise 429 (``Retry-After``, "many new phones") when this request needed a new key
        and the address may be handed none now.
        """
        if self.key_refused:
            self._retry_after, self._retry_key = self.key_refused, "err_keys_rate"
            raise tornado.web.HTTPError(429)

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

    async def ballot_lines(self, rec: SessionRecord, vround: VotingRound) -> list[BallotOption]:
        """Return the lines of ``vround``'s ballot as the themes are now, in the page's language.

        The current themes and edits are read in a reader thread and cached like the page
        state (``page_cache_s``), so a rename reaches every phone within that time; when they
        cannot be read, every option shows the label it had when the round opened.
        """
        key = f"{rec.code}#themes"
        hit, got = self.ctx.cached_view(key)
        if not hit:
            try:
                got = await self.ctx.db.read(_themes_and_edits, self.ctx.store, rec.id)
            except StoreError:
                got = None
            self.ctx.remember_view(key, got)
        if got is None:
            return ballot_options(replace(vround, from_themes=False), ThemeState(rec.id, 0))
        state, edits = got
        return ballot_options(vround, state, self.lang, edits)

    async def find_session(self, code: str) -> SessionRecord | None:
        """Return the session with join code ``code`` (never by numeric id), or None (a miss
        counted against this address, see :meth:`check_code_throttle`).
        """
        self.check_code_throttle()
        rec = await self.ctx.db.read(session_by_code, self.ctx.store, code)
        if rec is None:
            self.code_missed()
        return rec

    def check_code_throttle(self) -> None:
        """Raise 429 (with ``Retry-After``) while this address has tried too many unknown codes.

        Raises
        ------
        tornado.web.HTTPError
            429 when ``code_misses_per_minute`` is used up.
        """
        wait = self.ctx.code_misses.retry_after(self.request.remote_ip or "?")
        if wait:
            self._retry_after = wait
            raise tornado.web.HTTPError(429)

    def code_missed(self) -> None:
        """Count an unknown session code against this address (and give back the new key's
        token: no key was needed)."""
        self.ctx.code_misses.failed(self.request.remote_ip or "?")
        if self.key_issued:
            self.ctx.admission.unmint(self.request.remote_ip or "?")

    async def show_session(
        self,
        rec: SessionRecord,
        prompts: list[PromptRecord],
        vround: VotingRound | None,
        *,
        saved: SubmissionRecord | None = None,
        note: str | None = None,
        problem: Problem | None = None,
        values: dict[str, Any] | None = None,
        ballot: dict[int, int] | None = None,
        vote_problem: Problem | None = None,
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
            lines: list[BallotOption] = []
            if vround.status == "open":
                lines = await self.ballot_lines(rec, vround)
            given = ballot or {}
            vote = {
                "round": vround,
                "lines": lines,
                # a line counts the dots of every option folded into it (a merged theme)
                "ballot": {ln.id: sum(given.get(i, 0) for i in ln.option_ids) for ln in lines},
                "problem": vote_problem,
                "saved": voted,
            }
        from .reactions import reactions_for_page  # the reactions link (intake/reactions.py)

        reactions = await reactions_for_page(self, rec)
        self.render_page(
            "session.html",
            reactions=reactions,
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


def _themes_and_edits(store: Any, session_id: int) -> tuple[Any, list[dict[str, Any]]]:
    """The session's current themes and active edits (runs in a reader thread)."""
    return current_themes(store, session_id), store.list_theme_edits(session_id)


def session_by_code(store: Any, code: str) -> SessionRecord | None:
    """The session whose join code is ``code``; never by numeric id (runs in a reader thread)."""
    try:
        return store.get_session(code, by="code")
    except NotFoundError:
        return None
