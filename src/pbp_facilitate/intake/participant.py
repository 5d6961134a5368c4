"""Participant pages: join by code, answer the open prompts, vote. No kernel, no account.

Every handler here is marked ``access = "participant-public"``. Pages are
server-rendered (Jinja2, autoescaped) and work with JavaScript off: a plain
POST, then a 303 redirect to the confirmation. Database work runs in
:class:`~pbp_facilitate.intake.dbwork.DbWorker` threads.
"""

from __future__ import annotations

import hmac
import json
from typing import Any
from urllib.parse import quote

import tornado.web

from ..errors import (
    ClosedError,
    ConflictError,
    NotFoundError,
    StoreError,
    StoreFullError,
    ValidationError,
)
from ..store import NewSubmission, PromptRecord, SessionRecord, SubmissionRecord, VotingRound
from .context import STATIC_DIR, IntakeContext
from .handler import (
    CSP,
    LANG_COOKIE,
    PARTICIPANT_COOKIE,
    ParticipantHandler,
    Problem,
    security_headers,
    view_version,
)
from .reactions import reaction_routes
from .validation import (
    check_form_key,
    check_idea_text,
    normalise_code,
    parse_ballot,
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

        async def fail(problem: Problem) -> None:
            self.set_status(problem.status)
            await self.show_session(rec, prompts, vround, problem=problem, values=values)

        if not self.origin_ok() or not self.xsrf_ok():
            values["idem"] = None
            await fail(Problem(self.t("err_form_expired"), 403, "text", prompt_id))
            return
        if self.key_issued:
            # no valid signed key came with the POST: the page again, with the key just issued
            # and the text kept; nothing is stored (a plain reload-and-send works without JS)
            await fail(Problem(self.t("err_form_expired"), 403, "text", prompt_id))
            return
        if prompt is None:
            await fail(Problem(self.t("err_unknown_prompt"), 400, None, None))
            return
        try:
            idem = check_form_key(form.get("idem"))
        except ValidationError:
            values["idem"] = None
            await fail(Problem(self.t("err_form_expired"), 400, "text", prompt_id))
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
            await fail(Problem(msg, 400, "text", prompt_id))
            return
        verdict = self.ctx.admission.idea(
            self.ctx.limiter, rec.id, self.participant_key, self.request.remote_ip or "?"
        )
        if not verdict.allowed:
            self.set_header("Retry-After", str(verdict.retry_after))
            msg = self.tn("err_crowd_rate" if verdict.crowd else "err_rate", verdict.retry_after)
            await fail(Problem(msg, 429, "text", prompt_id))
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
            await fail(Problem(self.t(key), 409, "text", prompt_id))
            return
        except NotFoundError:
            await fail(Problem(self.t("err_unknown_prompt"), 409, None, None))
            return
        except ConflictError:
            # the form key was used for another text (or by another participant): nothing stored
            values["idem"] = None
            await fail(Problem(self.t("err_idem_reused"), 409, "text", prompt_id))
            return
        except ValidationError:
            # the form key belongs to another session: a stale page
            values["idem"] = None
            await fail(Problem(self.t("err_form_expired"), 400, "text", prompt_id))
            return
        except (StoreFullError, StoreError):
            await fail(Problem(self.t("err_not_saved"), 503, "text", prompt_id))
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
        if not self.origin_ok() or not self.xsrf_ok() or self.key_issued:
            # a ballot needs the signed key the session page handed out
            await shower.fail(Problem(self.t("err_form_expired"), 403, "dots"))
            return
        if (
            vround is None
            or vround.status != "open"
            or str(vround.id) != (form.get("round_id") or "")
        ):
            # The cache may be behind.
            vround = await self.ctx.db.read(store.current_voting_round, rec.id)
            shower.vround = vround
        if (
            vround is None
            or vround.status != "open"
            or str(vround.id) != (form.get("round_id") or "")
        ):
            await shower.fail(Problem(self.t("err_vote_closed"), 409, "dots"))
            return
        option_ids = [int(o["id"]) for o in vround.options]
        raw = {f"dots_{i}": form.get(f"dots_{i}") or "0" for i in option_ids}
        # a merged theme's options share one ballot line: dots sent for any of them (a page
        # loaded before the merge) go on that line, so none is lost
        line_of = {
            oid: line.id for line in await self.ballot_lines(rec, vround) for oid in line.option_ids
        }
        try:
            alloc = parse_ballot(raw, option_ids, vround.dots)
        except ValidationError as exc:
            used = 0
            for v in raw.values():
                used += int(v) if v.isascii() and v.isdigit() and len(v) <= 4 else 0
            key = "err_vote_too_many" if exc.code == "vote_too_many" else "err_vote_invalid"
            await shower.fail(
                Problem(self.t(key, used=used, dots=vround.dots), 400, exc.field),
                ballot={
                    i: int(v)
                    for i, v in ((int(k[5:]), v) for k, v in raw.items())
                    if v.isascii() and v.isdigit() and len(v) <= 4
                },
            )
            return
        had = await self.ctx.db.read(store.ballot, vround.id, self.participant_key)
        verdict = self.ctx.admission.ballot(
            self.ctx.limiter,
            vround.id,
            self.participant_key,
            self.request.remote_ip or "?",
            first=not had,
        )
        if not verdict.allowed:
            self.set_header("Retry-After", str(verdict.retry_after))
            key = "err_ballots_rate" if verdict.crowd else "err_rate"
            await shower.fail(Problem(self.tn(key, verdict.retry_after), 429, "dots"), ballot=alloc)
            return
        folded: dict[int, int] = {}
        for oid, n in alloc.items():
            folded[line_of.get(oid, oid)] = folded.get(line_of.get(oid, oid), 0) + n
        alloc = folded
        try:
            await self.ctx.db.write(store.cast_ballot, vround.id, self.participant_key, alloc)
        except ClosedError:
            await shower.fail(Problem(self.t("err_vote_closed"), 409, "dots"))
            return
        except ValidationError:
            await shower.fail(
                Problem(self.t("err_vote_invalid", dots=vround.dots), 400, "dots"), ballot=alloc
            )
            return
        except StoreError:
            await shower.fail(Problem(self.t("err_not_saved"), 503, "dots"), ballot=alloc)
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

    async def fail(self, problem: Problem, ballot: dict[int, int] | None = None) -> None:
        self.h.set_status(problem.status)
        await self.h.show_session(
            self.rec, self.prompts, self.vround, vote_problem=problem, ballot=ballot
        )


class SessionStateHandler(ParticipantHandler):
    """``/s/<code>/state``: ``{"state": token}`` for the page's poll (no participant data; no
    key is handed out here, so a poll never uses up the address's new keys).
    """

    access = "participant-public"
    mints_key = False

    async def get(self, code: str) -> None:
        rec, prompts, vround = await self.session_view(code)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"state": view_version(rec, prompts, vround)}))


class ParticipantStaticHandler(tornado.web.StaticFileHandler):
    """``/pbp/static/...``: the participant CSS and JS (public, cacheable, nosniff)."""

    access = "participant-public"

    def set_default_headers(self) -> None:
        security_headers(self)

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
        *reaction_routes(ctx),
        (r"/s/(.*)", ParticipantNotFoundHandler, kw),
        (r"/pbp/static/(.*)", ParticipantStaticHandler, {"path": str(STATIC_DIR)}),
    ]
