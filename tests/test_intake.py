"""Participant pages and facilitator endpoints through real HTTP on 127.0.0.1 (no Voilà, no
kernel).
"""

from __future__ import annotations

import html
import re
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import event
from support import intake_servers

from pbp_facilitate.i18n import negotiate, parse_accept_language
from pbp_facilitate.intake import ACCESS_LEVELS, IntakeContext, check_access_marks, intake_routes
from pbp_facilitate.intake.handler import CSP, PARTICIPANT_COOKIE
from pbp_facilitate.intake.ratelimit import RateLimiter
from pbp_facilitate.intake.standalone import IntakeServer
from pbp_facilitate.settings import load_settings
from pbp_facilitate.store import SessionRecord, Store
from pbp_facilitate.surveys import Survey, load_survey

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "test-token-123"


# -- helpers ------------------------------------------------------------------------------------


def form_fields(page: str, prompt_id: int | None = None) -> dict[str, str]:
    """Return the hidden fields of the idea form (the one for ``prompt_id``, else the first)."""
    forms = re.findall(
        r'<form method="post" action="/s/[A-Z0-9]+" class="idea".*?</form>', page, re.S
    )
    assert forms, "no idea form on the page"
    chosen = forms[0]
    if prompt_id is not None:
        chosen = next(f for f in forms if f'name="prompt_id" value="{prompt_id}"' in f)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', chosen))
    return {k: html.unescape(v) for k, v in fields.items()}


class Participant:
    """One phone: its own cookie jar."""

    def __init__(self, base: str, *, lang: str | None = None) -> None:
        headers = {"Accept-Language": lang} if lang else {}
        self.http = httpx.Client(base_url=base, follow_redirects=False, headers=headers, timeout=30)

    def page(self, code: str, **params: Any) -> httpx.Response:
        return self.http.get(f"/s/{code}", params=params)

    def fields(self, code: str, prompt_id: int | None = None) -> dict[str, str]:
        return form_fields(self.page(code).text, prompt_id)

    def submit(
        self, code: str, text: str, *, fields: dict[str, str] | None = None, **extra: Any
    ) -> httpx.Response:
        data = {**(fields or self.fields(code)), "text": text, **extra}
        return self.http.post(f"/s/{code}", data=data)

    def close(self) -> None:
        self.http.close()


@pytest.fixture(scope="module")
def survey() -> Survey:
    return load_survey(ROOT / "surveys" / "visioning.yaml")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, survey: Survey) -> Iterator[dict[str, Any]]:
    """One server for the module on a real SQLite file, with one open session."""
    db = tmp_path_factory.mktemp("intake") / "pbp.sqlite3"
    store = Store(f"sqlite:///{db}")
    settings = load_settings({"page_cache_s": 0}, environ={})  # tests change the store directly
    sess = store.create_session(survey, "Eastside <b>visioning</b>", code="K7QM2P")
    srv = IntakeServer(settings, store, token=TOKEN).start()
    try:
        yield {"store": store, "srv": srv, "session": sess, "base": srv.url, "db": db}
    finally:
        srv.stop()
        store.close()


@pytest.fixture
def fresh(tmp_path: Path, survey: Survey) -> Iterator[Any]:
    """Factory: a server of its own with custom settings and a fresh SQLite store."""
    with intake_servers(
        tmp_path, survey, TOKEN, title="Fresh session", code=lambda i: f"FRESH{i}"
    ) as make:
        yield make


def first_prompt(store: Store, sess: SessionRecord) -> int:
    return store.list_prompts(sess.id)[0].id


def api(base: str, method: str, path: str, **kw: Any) -> httpx.Response:
    with httpx.Client(base_url=base, headers={"Authorization": f"token {TOKEN}"}, timeout=30) as c:
        return c.request(method, path, **kw)


# -- join page ----------------------------------------------------------------------------------


def test_root_and_join_by_code(env: dict[str, Any]) -> None:
    p = Participant(env["base"])
    assert p.http.get("/").headers["location"] == "/join"
    r = p.http.get("/join")
    assert r.status_code == 200 and 'for="code"' in r.text and 'id="code"' in r.text
    r = p.http.get("/join", params={"code": " k7q-m2p "})
    assert r.status_code == 303 and r.headers["location"] == "/s/K7QM2P"


def test_join_unknown_and_empty_codes_are_readable(env: dict[str, Any]) -> None:
    p = Participant(env["base"])
    r = p.http.get("/join", params={"code": "NOPE99"})
    assert r.status_code == 404
    assert "No session has the code “NOPE99”" in r.text
    assert 'aria-describedby="code-hint code-error"' in r.text and 'aria-invalid="true"' in r.text
    r = p.http.get("/join", params={"code": "  "})
    assert r.status_code == 400 and "Type the session code" in r.text
    r = p.http.get("/join", params={"code": "<script>"})
    assert "<script>" not in r.text and "&lt;script&gt;" in r.text
    # a numeric "code" never reaches a session by its database id
    r = p.http.get("/join", params={"code": str(env["session"].id)})
    assert r.status_code == 404
    assert p.http.get(f"/s/{env['session'].id}").status_code == 404


# -- page basics --------------------------------------------------------------------------------


def test_security_headers_cookie_and_size(env: dict[str, Any]) -> None:
    p = Participant(env["base"])
    r = p.page("K7QM2P")
    assert r.status_code == 200
    assert r.headers["content-security-policy"].startswith(
        "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    cookie = next(
        v
        for k, v in r.headers.multi_items()
        if k == "set-cookie" and v.startswith(PARTICIPANT_COOKIE)
    )
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # no inline script or style (the CSP forbids them), and the page plus assets stay small
    assert "<script>" not in r.text and "style=" not in r.text
    css = p.http.get("/pbp/static/app.css")
    js = p.http.get("/pbp/static/app.js")
    assert css.status_code == js.status_code == 200
    assert css.headers["x-content-type-options"] == "nosniff"
    assert len(r.content) + len(css.content) + len(js.content) < 50_000
    # the session title is escaped, not rendered
    assert "Eastside &lt;b&gt;visioning&lt;/b&gt;" in r.text


def test_language_from_browser_switch_and_cookie(env: dict[str, Any]) -> None:
    es = Participant(env["base"], lang="es-MX,es;q=0.9,en;q=0.5")
    r = es.page("K7QM2P")
    assert '<html lang="es">' in r.text and "Enviar mi idea" in r.text
    assert "Imagine nuestra comunidad" in r.text
    en = Participant(env["base"], lang="fr-FR,en;q=0.8")
    assert '<html lang="en">' in en.page("K7QM2P").text
    # visible switch: a link with hreflang; choosing it is remembered
    r = en.page("K7QM2P")
    assert 'href="/s/K7QM2P?lang=es" lang="es" hreflang="es">Español</a>' in r.text
    en.page("K7QM2P", lang="es")
    assert '<html lang="es">' in en.page("K7QM2P").text


def test_negotiation_units() -> None:
    assert parse_accept_language("es-MX,es;q=0.9,en;q=0.8") == ["es", "en"]
    assert parse_accept_language("en;q=0, es") == ["es"]
    assert parse_accept_language("12!;;;,, ,en;q=x") == []
    assert negotiate(["en", "es"], accept_language="de, es;q=0.5") == "es"
    assert negotiate(["en", "es"], explicit="fr", cookie="es") == "es"
    assert negotiate(["es", "en"]) == "es"


def test_no_open_prompt_and_unknown_session(env: dict[str, Any], survey: Survey) -> None:
    store: Store = env["store"]
    s = store.create_session(survey, "Quiet", code="QUIET2", open_first_prompt=False)
    p = Participant(env["base"])
    r = p.page(s.code)
    assert r.status_code == 200 and "There is no open question right now" in r.text
    r = p.page("ZZZZZZ")
    assert r.status_code == 404 and "This page does not exist" in r.text
    assert p.http.get("/s/../../etc/passwd").status_code == 404


# -- submitting ideas ---------------------------------------------------------------------------


def test_submit_confirms_and_stores_as_typed(env: dict[str, Any]) -> None:
    store, sess = env["store"], env["session"]
    p = Participant(env["base"])
    text = "Más parques\r\ny <b>bibliotecas</b> abiertas"
    r = p.submit("K7QM2P", text, lang="es")
    assert r.status_code == 303
    loc = r.headers["location"]
    assert loc.startswith("/s/K7QM2P?saved=") and loc.endswith("#saved")
    sub_id = re.search(r"saved=([0-9a-f]+)", loc).group(1)
    rec = store.get_submission(sub_id)
    assert rec.text == text and rec.language == "es" and rec.source == "form"
    assert rec.participant_key == p.http.cookies[PARTICIPANT_COOKIE]
    page = p.http.get(loc).text
    assert "¡Gracias! Su idea se guardó." in page and "Añadir otra idea" in page
    assert "&lt;b&gt;bibliotecas&lt;/b&gt;" in page and "<b>bibliotecas" not in page
    # the confirmation comes with a fresh form (another key) for the next idea
    assert form_fields(page)["idem"] != ""
    # someone else cannot read it back through ?saved=
    other = Participant(env["base"])
    assert "bibliotecas" not in other.http.get(loc).text
    assert rec.seq in [s.seq for s in store.list_submissions(sess.id)]


@pytest.mark.parametrize("text", ["", "   ", "\n\t \u3000", "\u200b\u200d", None])
def test_empty_idea_is_refused_and_nothing_stored(env: dict[str, Any], text: str | None) -> None:
    store, sess = env["store"], env["session"]
    before = store.count_submissions(sess.id, include_hidden=True)
    p = Participant(env["base"])
    fields = p.fields("K7QM2P")
    data = dict(fields) if text is None else {**fields, "text": text}
    r = p.http.post("/s/K7QM2P", data=data)
    assert r.status_code == 400
    pid = fields["prompt_id"]
    assert "Your idea is empty" in r.text
    # the message is tied to the field and summarised with a link to it
    assert f'id="err-{pid}"' in r.text
    assert f'aria-describedby="hint-{pid} err-{pid}" aria-invalid="true"' in r.text
    assert f'href="#text-{pid}"' in r.text and 'role="alert"' in r.text
    assert store.count_submissions(sess.id, include_hidden=True) == before


def test_length_limit_counts_nfc_characters(env: dict[str, Any]) -> None:
    store, sess = env["store"], env["session"]
    p = Participant(env["base"])
    before = store.count_submissions(sess.id, include_hidden=True)
    r = p.submit("K7QM2P", "x" * 1001)
    assert r.status_code == 400 and "has 1001 characters; the limit is 1000" in r.text
    assert "x" * 1001 in r.text  # the text is kept for the participant to shorten
    assert store.count_submissions(sess.id, include_hidden=True) == before
    # 1000 decomposed "é" are 2000 code points but 1000 after NFC: accepted, stored as typed
    decomposed = "e\u0301" * 1000
    r = p.submit("K7QM2P", decomposed)
    assert r.status_code == 303
    assert (
        store.get_submission(re.search(r"saved=([0-9a-f]+)", r.headers["location"]).group(1)).text
        == decomposed
    )
    # a typed line break (sent as CR LF) counts once
    assert p.submit("K7QM2P", "y" * 500 + "\r\n" + "y" * 499).status_code == 303


def test_body_over_64k_is_413_before_parsing(env: dict[str, Any]) -> None:
    store, sess = env["store"], env["session"]
    before = store.count_submissions(sess.id, include_hidden=True)
    p = Participant(env["base"])
    fields = p.fields("K7QM2P")
    r = p.submit("K7QM2P", "z" * 70_000, fields=fields)
    assert r.status_code == 413 and "too large" in r.text
    # a body that is not even a form is refused the same way, from Content-Length alone
    r = p.http.post(
        "/s/K7QM2P",
        content=b"\xff" * 65_537,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 413

    # chunked (no Content-Length) is counted as it streams
    def gen() -> Iterator[bytes]:
        for _ in range(20):
            yield b"text=" + b"a" * 8000

    r = p.http.post(
        "/s/K7QM2P", content=gen(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert r.status_code == 413
    assert store.count_submissions(sess.id, include_hidden=True) == before


def test_invalid_utf8_is_400(env: dict[str, Any]) -> None:
    store, sess = env["store"], env["session"]
    before = store.count_submissions(sess.id, include_hidden=True)
    p = Participant(env["base"])
    fields = p.fields("K7QM2P")
    body = "&".join(f"{k}={httpx.QueryParams({k: v})[k]}" for k, v in fields.items())
    for bad in (
        b"text=%FF%FE",
        b"text=%ED%A0%80",
        b"text=\xc3\x28",
    ):  # bad byte, lone surrogate, raw non-ASCII
        r = p.http.post(
            "/s/K7QM2P",
            content=bad + b"&" + body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert r.status_code == 400, bad
        assert "could not be read" in r.text
    r = p.http.post(
        "/s/K7QM2P", content=b'{"text": "hi"}', headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400
    assert store.count_submissions(sess.id, include_hidden=True) == before


def test_closed_prompt_and_session_give_clear_messages(env: dict[str, Any], survey: Survey) -> None:
    store: Store = env["store"]
    s = store.create_session(survey, "Closing", code="CLOSE2")
    prompts = store.list_prompts(s.id)
    p = Participant(env["base"])
    fields = p.fields(s.code)
    store.set_prompt_open(prompts[0].id, False)
    r = p.submit(s.code, "still typing", fields=fields)
    assert r.status_code == 409 and "This question has closed" in r.text
    assert "still typing" in r.text  # kept so it can be copied
    store.open_only(s.id, prompts[1].id)
    fields = p.fields(s.code)
    store.set_session_status(s.id, "closed")
    r = p.submit(s.code, "late idea", fields=fields)
    assert r.status_code == 409 and "This session has closed" in r.text
    assert "This session is closed" in p.page(s.code).text
    assert store.count_submissions(s.id, include_hidden=True) == 0


def test_prompt_from_another_session_is_refused(env: dict[str, Any], survey: Survey) -> None:
    store: Store = env["store"]
    other = store.create_session(survey, "Other", code="OTHER2")
    p = Participant(env["base"])
    fields = p.fields("K7QM2P")
    fields["prompt_id"] = str(first_prompt(store, other))
    r = p.submit("K7QM2P", "cross", fields=fields)
    assert r.status_code == 400 and "not part of the session" in r.text
    assert store.count_submissions(other.id, include_hidden=True) == 0


def test_page_cache_is_short_lived_and_never_decides_a_submission(fresh: Any) -> None:
    srv, store, sess = fresh(page_cache_s=30)
    prompts = store.list_prompts(sess.id)
    p = Participant(srv.url)
    fields = p.fields(sess.code)
    # a change made behind the server's back (e.g. from a workbook kernel) may show late on pages...
    store.set_prompt_open(prompts[0].id, False)
    assert f'name="prompt_id" value="{prompts[0].id}"' in p.page(sess.code).text
    # ...but a submission always checks the live state
    r = p.submit(sess.code, "too late", fields=fields)
    assert r.status_code == 409 and "This question has closed" in r.text
    assert store.count_submissions(sess.id, include_hidden=True) == 0
    # a change made through the facilitator API shows at once
    api(srv.url, "POST", f"/pbp/api/sessions/{sess.id}/focus", json={"prompt_id": prompts[2].id})
    assert "What strengths, places or people" in p.page(sess.code).text


# -- idempotency --------------------------------------------------------------------------------


def test_double_submit_stores_one_row(env: dict[str, Any]) -> None:
    store, sess = env["store"], env["session"]
    p = Participant(env["base"])
    fields = p.fields("K7QM2P")
    before = store.count_submissions(sess.id, include_hidden=True)
    r1 = p.submit("K7QM2P", "double click", fields=fields)
    r2 = p.submit("K7QM2P", "double click", fields=fields)
    assert r1.status_code == r2.status_code == 303
    assert r1.headers["location"] == r2.headers["location"]
    assert "Thank you! Your idea was saved." in p.http.get(r2.headers["location"]).text
    assert store.count_submissions(sess.id, include_hidden=True) == before + 1


def test_concurrent_double_submit_stores_one_row(env: dict[str, Any]) -> None:
    store, sess = env["store"], env["session"]
    p = Participant(env["base"])
    fields = p.fields("K7QM2P")
    cookies = dict(p.http.cookies)
    before = store.count_submissions(sess.id, include_hidden=True)
    barrier = threading.Barrier(8)

    def send(_: int) -> httpx.Response:
        with httpx.Client(base_url=env["base"], cookies=cookies, timeout=30) as c:
            barrier.wait()
            return c.post("/s/K7QM2P", data={**fields, "text": "same idea, eight taps"})

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(send, range(8)))
    assert [r.status_code for r in results] == [303] * 8
    assert len({r.headers["location"] for r in results}) == 1
    assert store.count_submissions(sess.id, include_hidden=True) == before + 1


def test_retry_after_server_restart_stores_one_row(fresh: Any) -> None:
    srv, store, sess = fresh()
    p = Participant(srv.url)
    fields = p.fields(sess.code)
    assert p.submit(sess.code, "before restart", fields=fields).status_code == 303
    srv.stop()
    srv2 = IntakeServer(srv.settings, store, token=TOKEN, port=srv.port).start()
    try:
        r = p.submit(sess.code, "before restart", fields=fields)
        assert r.status_code == 303
        assert "Thank you!" in p.http.get(r.headers["location"]).text
    finally:
        srv2.stop()
    assert [s.text for s in store.list_submissions(sess.id)] == ["before restart"]


def test_missing_or_bad_form_key_is_refused(env: dict[str, Any]) -> None:
    store, sess = env["store"], env["session"]
    before = store.count_submissions(sess.id, include_hidden=True)
    p = Participant(env["base"])
    fields = p.fields("K7QM2P")
    for bad in ("", "short", "x" * 65, "bad key with spaces!!"):
        r = p.submit("K7QM2P", "keyless", fields={**fields, "idem": bad})
        assert r.status_code == 400 and "out of date" in r.text
    assert store.count_submissions(sess.id, include_hidden=True) == before


# -- XSRF and Origin ----------------------------------------------------------------------------


def test_xsrf_and_origin_checks(env: dict[str, Any]) -> None:
    store, sess = env["store"], env["session"]
    before = store.count_submissions(sess.id, include_hidden=True)
    p = Participant(env["base"])
    fields = p.fields("K7QM2P")
    no_xsrf = {k: v for k, v in fields.items() if k != "_xsrf"}
    r = p.submit("K7QM2P", "forged", fields=no_xsrf)
    assert r.status_code == 403 and "out of date" in r.text
    r = p.submit("K7QM2P", "forged", fields={**fields, "_xsrf": "2|00|11|22"})
    assert r.status_code == 403
    r = p.http.post(
        "/s/K7QM2P",
        data={**fields, "text": "cross-site"},
        headers={"Origin": "https://evil.example"},
    )
    assert r.status_code == 403
    r = p.http.post("/s/K7QM2P", data={**fields, "text": "cross-site"}, headers={"Origin": "null"})
    assert r.status_code == 403
    r = p.http.post(
        "/s/K7QM2P",
        data={**fields, "text": "cross-site"},
        headers={"Referer": "https://evil.example/page"},
    )
    assert r.status_code == 403
    # a stranger with their own cookies cannot reuse this participant's token
    stranger = Participant(env["base"])
    stranger.page("K7QM2P")
    assert stranger.submit("K7QM2P", "replayed", fields=fields).status_code == 403
    assert store.count_submissions(sess.id, include_hidden=True) == before
    r = p.http.post(
        "/s/K7QM2P", data={**fields, "text": "same origin"}, headers={"Origin": env["base"]}
    )
    assert r.status_code == 303


# -- rate limits --------------------------------------------------------------------------------


def test_rate_limit_per_participant_key(fresh: Any) -> None:
    srv, store, sess = fresh(rate_per_key_per_minute=3)
    p = Participant(srv.url)
    codes = [p.submit(sess.code, f"idea {i}").status_code for i in range(4)]
    assert codes == [303, 303, 303, 429]
    r = p.submit(sess.code, "one more")
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert "You are sending ideas very quickly" in r.text and "one more" in r.text
    assert store.count_submissions(sess.id) == 3
    # another participant on the same address is not affected
    assert Participant(srv.url).submit(sess.code, "neighbour").status_code == 303


def test_a_room_behind_one_ip_is_not_refused(env: dict[str, Any], survey: Survey) -> None:
    store: Store = env["store"]
    s = store.create_session(survey, "Town hall", code="ROOM22")
    people = [Participant(env["base"]) for _ in range(300)]
    forms = [p.fields(s.code) for p in people]

    def go(i: int) -> int:
        return people[i].submit(s.code, f"idea from person {i}", fields=forms[i]).status_code

    with ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(go, range(300)))
    assert codes.count(303) == 300
    assert store.count_submissions(s.id) == 300
    for p in people:
        p.close()


def test_rate_limiter_units() -> None:
    now = [0.0]
    rl = RateLimiter(2, 3, clock=lambda: now[0])
    assert rl.check("a", "ip").allowed and rl.check("a", "ip").allowed
    v = rl.check("a", "ip")
    assert not v.allowed and v.retry_after == 30
    assert rl.check("b", "ip").allowed
    v = rl.check("c", "ip")  # the IP ceiling (3) is reached; c's own token is given back
    assert not v.allowed
    now[0] = 60.0
    assert rl.check("c", "ip").allowed and rl.check("c", "ip").allowed


# -- consent and demographics -------------------------------------------------------------------


def test_demographics_only_with_consent(env: dict[str, Any]) -> None:
    store, sess = env["store"], env["session"]
    p = Participant(env["base"])
    page = p.page("K7QM2P").text
    # the consent checkbox comes before every demographic question
    assert page.index('name="consent"') < page.index('name="demo_race_ethnicity"')
    r = p.submit(
        "K7QM2P",
        "idea without consent",
        demo_neighbourhood="Eastside",
        demo_role=["Student", "Resident"],
    )
    assert r.status_code == 303 and "note=dropped" in r.headers["location"]
    assert (
        "were not stored because the consent box was not ticked"
        in p.http.get(r.headers["location"]).text
    )
    key = p.http.cookies[PARTICIPANT_COOKIE]
    frame = store.participants_frame(sess.id).set_index("participant_key")
    assert not frame.loc[key, "consented"] and frame.loc[key].drop("consented").isna().all()
    q = Participant(env["base"])
    r = q.submit(
        "K7QM2P",
        "idea with consent",
        consent="yes",
        demo_neighbourhood="Eastside",
        demo_role=["Student", "Resident"],
    )
    assert r.status_code == 303 and "note=" not in r.headers["location"]
    frame = store.participants_frame(sess.id).set_index("participant_key")
    row = frame.loc[q.http.cookies[PARTICIPANT_COOKIE]]
    assert (
        row["consented"]
        and row["neighbourhood"] == "Eastside"
        and row["role"] == ["Student", "Resident"]
    )
    # a forged option value: the idea is still accepted, the answers are not stored
    z = Participant(env["base"])
    r = z.submit("K7QM2P", "idea, odd answer", consent="yes", demo_neighbourhood="Atlantis")
    assert r.status_code == 303 and "note=invalid" in r.headers["location"]


# -- voting -------------------------------------------------------------------------------------


def test_dot_voting_round(env: dict[str, Any], survey: Survey) -> None:
    store: Store = env["store"]
    s = store.create_session(survey, "Vote", code="VOTE22")
    r = api(
        env["base"],
        "POST",
        f"/pbp/api/sessions/{s.id}/voting",
        json={"options": [{"id": 1, "label": "Parks <3"}, {"id": 2, "label": "Buses"}], "dots": 3},
    )
    assert r.status_code == 201
    rid = r.json()["id"]
    p = Participant(env["base"])
    page = p.page(s.code).text
    assert 'action="/s/VOTE22/vote"' in page and "You have 3 dots" in page and "Parks &lt;3" in page
    fields = dict(
        re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
            page[page.index('action="/s/VOTE22/vote"') :],
        )
    )
    r = p.http.post("/s/VOTE22/vote", data={**fields, "dots_1": "2", "dots_2": "1"})
    assert r.status_code == 303 and r.headers["location"].endswith("?voted=1#vote")
    key = p.http.cookies[PARTICIPANT_COOKIE]
    assert store.ballot(rid, key) == {1: 2, 2: 1}
    assert "Your vote was saved" in p.http.get(r.headers["location"]).text
    # changeable until the round closes; too many dots is a readable error
    r = p.http.post("/s/VOTE22/vote", data={**fields, "dots_1": "3", "dots_2": "3"})
    assert r.status_code == 400 and "You placed 6 dots but have only 3" in r.text
    r = p.http.post("/s/VOTE22/vote", data={**fields, "dots_1": "-1"})
    assert r.status_code == 400
    assert (
        p.http.post("/s/VOTE22/vote", data={**fields, "dots_1": "0", "dots_2": "3"}).status_code
        == 303
    )
    assert store.ballot(rid, key) == {2: 3}
    totals = api(env["base"], "GET", f"/pbp/api/voting/{rid}/totals").json()["totals"]
    assert [(t["id"], t["dots"], t["voters"]) for t in totals] == [(1, 0, 0), (2, 3, 1)]
    assert api(env["base"], "POST", f"/pbp/api/voting/{rid}/close").json()["status"] == "closed"
    r = p.http.post("/s/VOTE22/vote", data={**fields, "dots_1": "1"})
    assert r.status_code == 409 and "Voting has closed" in r.text
    assert store.ballot(rid, key) == {2: 3}


def test_themes_api_edits_and_a_ballot_that_follows_them(
    env: dict[str, Any], survey: Survey
) -> None:
    """Edits through the API make a new version; a round from the themes shows the current
    labels (en and es) with an example first on the phone page, and the totals follow them.
    """
    from pbp_facilitate.demo import demo_ideas
    from pbp_facilitate.themes.session import compute_themes

    store: Store = env["store"]
    s = store.create_session(survey, "Themes", code="THEM26", languages=["en", "es"])
    for _p, lang, text in demo_ideas():
        store.add_submission(s.id, None, text, language=lang)
    r = api(env["base"], "GET", f"/pbp/api/sessions/{s.id}/themes")
    assert r.status_code == 200 and r.json() == {"version": 0, "themes": [], "edits": []}
    r = api(env["base"], "POST", f"/pbp/api/sessions/{s.id}/voting", json={"from_themes": True})
    assert r.status_code == 400 and "no themes to vote on yet" in r.text
    compute_themes(store, s.id, clouds=False)
    got = api(env["base"], "GET", f"/pbp/api/sessions/{s.id}/themes").json()
    v1, themes = got["version"], got["themes"]
    assert (
        v1 > 0
        and themes
        and {"id", "label", "labels", "size", "quotes", "pinned"} <= set(themes[0])
    )
    big = max(themes, key=lambda t: t["size"])
    for bad, status, says in [
        ({"op": "rename", "theme_id": big["id"]}, 400, "lacks"),
        ({"op": "rename", "theme_id": 99999, "label": "x"}, 400, "no theme 99999"),
        (
            {"op": "fold"},
            400,
            "'op' one of ['rename', 'merge', 'split', 'move', 'pin', 'unpin', 'undo']",
        ),
        ({"op": "undo"}, 404, "no theme edit left to undo"),
    ]:
        r = api(env["base"], "POST", f"/pbp/api/sessions/{s.id}/themes/edits", json=bad)
        assert r.status_code == status and says in r.text, (bad, r.status_code, r.text)
    r = api(env["base"], "POST", f"/pbp/api/sessions/{s.id}/voting", json={"from_themes": True})
    assert r.status_code == 201 and r.json()["from_themes"] is True
    rid = r.json()["id"]
    r = api(
        env["base"],
        "POST",
        f"/pbp/api/sessions/{s.id}/themes/edits",
        json={"op": "rename", "theme_id": big["id"], "label": "Homes <families> can afford"},
    )
    assert r.status_code == 200 and r.json()["version"] > v1
    assert next(t for t in r.json()["themes"] if t["id"] == big["id"])["label"] == (
        "Homes <families> can afford"
    )
    for lang, word in (("en", "For example"), ("es", "Por ejemplo")):
        page = Participant(env["base"], lang=lang).page("THEM26").text
        assert "Homes &lt;families&gt; can afford" in page and word in page
        # the ballot comes first while the round is open
        assert page.index('action="/s/THEM26/vote"') < page.index('action="/s/THEM26" ')
    p = Participant(env["base"], lang="es")
    page = p.page("THEM26").text
    fields = dict(
        re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
            page[page.index('action="/s/THEM26/vote"') :],
        )
    )
    r = p.http.post("/s/THEM26/vote", data={**fields, f"dots_{big['id']}": "2"})
    assert r.status_code == 303
    tot = api(env["base"], "GET", f"/pbp/api/voting/{rid}/totals?lang=es").json()
    top = tot["themes"][0]
    assert (top["id"], top["label"], top["dots"], top["voters"]) == (
        big["id"],
        "Homes <families> can afford",
        2,
        1,
    )
    assert tot["dots_cast"] == 2 and sum(o["dots"] for o in tot["totals"]) == 2
    r = api(env["base"], "POST", f"/pbp/api/sessions/{s.id}/themes/edits", json={"op": "undo"})
    assert r.status_code == 200
    assert next(t for t in r.json()["themes"] if t["id"] == big["id"])["label"] == big["label"]
    api(env["base"], "POST", f"/pbp/api/voting/{rid}/close")


# -- hostile text -------------------------------------------------------------------------------

HOSTILE = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(
            [
                "\u200d",
                "\u202e",
                "\u202d",
                "\u0301",
                "\u0308",
                "👩‍👩‍👧",
                "🏳️‍🌈",
                "中文",
                "עברית",
                "العربية",
                "<",
                ">",
                "&",
                '"',
                "'",
                "\x00",
                "\ud800",
                "=",
                "\r\n",
                "<script>",
            ]
        ),
    ),
    max_size=30,
).map("".join)


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=HOSTILE)
@example(text="<script>alert(1)</script>")
@example(text='=HYPERLINK("http://evil.example","click")')
@example(text="\u202eevil\u202c text")
@example(text="a\x00b")
@example(text="\ud83d")
@example(text="👩‍👩‍👧 Ça va? 東京 שלום")
@example(text="e\u0301\u0302\u0303")
def test_hostile_text_is_stored_exactly_or_refused_readably(env: dict[str, Any], text: str) -> None:
    store, sess = env["store"], env["session"]
    p = Participant(env["base"])
    fields = p.fields("K7QM2P")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        # lone surrogates cannot be UTF-8: send them the way a broken client would
        raw = "&".join(f"{k}={httpx.QueryParams({k: v})[k]}" for k, v in fields.items())
        from urllib.parse import quote_from_bytes

        raw += "&text=" + quote_from_bytes(text.encode("utf-8", "surrogatepass"))
        r = p.http.post(
            "/s/K7QM2P",
            content=raw.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert r.status_code == 400
        return
    r = p.http.post("/s/K7QM2P", data={**fields, "text": text})
    assert r.status_code in (303, 400), r.text[:300]
    if r.status_code == 400:
        assert 'role="alert"' in r.text and "<script>alert" not in r.text
        return
    sub_id = re.search(r"saved=([0-9a-f]+)", r.headers["location"]).group(1)
    stored = store.get_submission(sub_id)
    assert stored.text == text and stored.text.encode("utf-8") == text.encode("utf-8")
    page = p.http.get(r.headers["location"]).text
    quote = re.search(r'<blockquote class="quote" dir="auto">(.*?)</blockquote>', page, re.S).group(
        1
    )
    assert html.unescape(quote) == text
    assert "<script" not in quote and "<" not in quote
    # and through the facilitator API it comes back exactly too
    items = api(
        env["base"],
        "GET",
        f"/pbp/api/sessions/{sess.id}/submissions",
        params={"since": stored.seq - 1},
    ).json()["items"]
    assert items[0]["text"] == text


# -- durability failures ------------------------------------------------------------------------


def test_full_database_says_not_saved_and_writes_nothing(fresh: Any) -> None:
    srv, store, sess = fresh()
    p = Participant(srv.url)
    assert p.submit(sess.code, "fits").status_code == 303
    db = Path(store.engine.url.database)
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]

    def limit(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 1}")

    store.engine.dispose()
    event.listen(store.engine, "connect", limit)
    for _ in range(4):  # fill the last free page, then one more idea cannot fit
        fields = p.fields(sess.code)
        r = p.submit(sess.code, "ü" * 1000, fields=fields)
        if r.status_code != 303:
            break
    assert r.status_code == 503
    assert "was NOT saved" in r.text and "try again" in r.text
    assert "ü" * 50 in r.text  # the text is still there to resend
    event.remove(store.engine, "connect", limit)
    store.engine.dispose()
    assert store.integrity_check() == "ok"
    texts = [s.text for s in store.list_submissions(sess.id, include_hidden=True)]
    assert all(t in ("fits", "ü" * 1000) for t in texts)
    # space again: the same form key is retried and stored once
    before = len(texts)
    assert p.submit(sess.code, "ü" * 1000, fields=fields).status_code == 303
    assert store.count_submissions(sess.id, include_hidden=True) == before + 1


# -- facilitator endpoints ----------------------------------------------------------------------


def test_every_handler_is_marked(env: dict[str, Any]) -> None:
    ctx: IntakeContext = env["srv"].ctx
    routes = intake_routes(ctx)
    assert {cls.__dict__["access"] for _, cls, _ in routes} == set(ACCESS_LEVELS)

    class Unmarked(routes[0][1]):  # type: ignore[misc, valid-type]
        pass

    with pytest.raises(RuntimeError, match="must set access"):
        check_access_marks([("/x", Unmarked, {})])


FACILITATOR_PATHS = [
    ("GET", "/pbp/api/status"),
    ("GET", "/pbp/api/sessions"),
    ("GET", "/pbp/api/sessions/{sid}"),
    ("POST", "/pbp/api/sessions/{sid}/status"),
    ("POST", "/pbp/api/sessions/{sid}/focus"),
    ("POST", "/pbp/api/prompts/{pid}/open"),
    ("POST", "/pbp/api/prompts/{pid}/close"),
    ("GET", "/pbp/api/sessions/{sid}/submissions"),
    ("POST", "/pbp/api/submissions/{subid}/hide"),
    ("POST", "/pbp/api/submissions/{subid}/restore"),
    ("GET", "/pbp/api/sessions/{sid}/themes"),
    ("POST", "/pbp/api/sessions/{sid}/themes/edits"),
    ("POST", "/pbp/api/sessions/{sid}/themes/refit"),
    ("POST", "/pbp/api/sessions/{sid}/voting"),
    ("POST", "/pbp/api/voting/1/close"),
    ("GET", "/pbp/api/voting/1/totals"),
    ("GET", "/pbp/api/sessions/{sid}/qr.png"),
    ("GET", "/pbp/api/sessions/{sid}/qr.svg"),
    ("GET", "/pbp/sessions/{sid}/poster"),
    ("POST", "/pbp/api/sessions/{sid}/reactions"),
    ("GET", "/pbp/api/sessions/{sid}/reactions"),
]


def test_facilitator_endpoints_need_the_token(env: dict[str, Any]) -> None:
    store, sess = env["store"], env["session"]
    sub = (
        store.list_submissions(sess.id)[0]
        if store.list_submissions(sess.id)
        else store.add_submission(sess.id, first_prompt(store, sess), "seed")[0]
    )
    values = {"sid": sess.id, "pid": first_prompt(store, sess), "subid": sub.id}
    patterns = [
        p
        for p, cls, _ in intake_routes(env["srv"].ctx)
        if cls.__dict__["access"] == "facilitator-only"
    ]
    assert len(patterns) == 17
    for method, path in FACILITATOR_PATHS:
        url = path.format(**values)
        with httpx.Client(base_url=env["base"], timeout=30) as anon:
            r = anon.request(method, url, json={} if method == "POST" else None)
            assert r.status_code in (302, 403), (method, url, r.status_code)
            if r.status_code == 302:
                assert "/login" in r.headers["location"]
            r = anon.request(
                method,
                url,
                headers={"Authorization": "token wrong-token"},
                json={} if method == "POST" else None,
            )
            assert r.status_code in (302, 403), (method, url, r.status_code)
    assert store.list_submissions(sess.id, include_hidden=True)[0].hidden is False
    # the token works as a query parameter too, and sets a login cookie (as in Jupyter)
    with httpx.Client(base_url=env["base"], timeout=30) as c:
        assert c.get("/pbp/api/sessions", params={"token": TOKEN}).status_code == 200
        assert c.get("/pbp/api/sessions").status_code == 200
        # a cookie-authenticated POST without the XSRF header is refused
        assert c.post(f"/pbp/api/prompts/{values['pid']}/open").status_code == 403


def test_facilitator_api_flow(env: dict[str, Any], survey: Survey) -> None:
    store: Store = env["store"]
    base = env["base"]
    s = store.create_session(survey, "API flow", code="APIFLW")
    prompts = store.list_prompts(s.id)
    listed = api(base, "GET", "/pbp/api/sessions").json()["sessions"]
    assert any(x["code"] == "APIFLW" and x["join_url"].endswith("/s/APIFLW") for x in listed)
    state = api(base, "GET", f"/pbp/api/sessions/{s.id}").json()
    assert [p["is_open"] for p in state["prompts"]] == [True, False, False, False]
    assert state["session_url"].endswith("/s/APIFLW") and state["cursor"] == 0
    # focus the second prompt: only it is open, and participants see it
    r = api(base, "POST", f"/pbp/api/sessions/{s.id}/focus", json={"prompt_id": prompts[1].id})
    assert [p["is_open"] for p in r.json()["prompts"]] == [False, True, False, False]
    assert "What gets in the way" in Participant(base).page("APIFLW").text
    assert (
        api(base, "POST", f"/pbp/api/sessions/{s.id}/focus", json={"prompt_id": "x"}).status_code
        == 400
    )
    assert api(base, "POST", f"/pbp/api/sessions/{s.id}/focus", json={}).status_code == 400
    assert api(base, "POST", f"/pbp/api/prompts/{prompts[0].id}/open").json()["is_open"] is True
    assert api(base, "POST", f"/pbp/api/prompts/{prompts[0].id}/close").json()["is_open"] is False
    assert api(base, "POST", "/pbp/api/prompts/999999/open").status_code == 404
    # submissions since a cursor
    p = Participant(base)
    for i in range(3):
        assert p.submit("APIFLW", f"idea {i}").status_code == 303
    page1 = api(
        base, "GET", f"/pbp/api/sessions/{s.id}/submissions", params={"since": 0, "limit": 2}
    ).json()
    assert [x["text"] for x in page1["items"]] == ["idea 0", "idea 1"] and page1["more"] is True
    page2 = api(
        base, "GET", f"/pbp/api/sessions/{s.id}/submissions", params={"since": page1["cursor"]}
    ).json()
    assert [x["text"] for x in page2["items"]] == ["idea 2"] and page2["more"] is False
    assert "idempotency_key" not in page2["items"][0]
    empty = api(
        base, "GET", f"/pbp/api/sessions/{s.id}/submissions", params={"since": page2["cursor"]}
    ).json()
    assert empty == {"items": [], "cursor": page2["cursor"], "more": False}
    assert (
        api(base, "GET", f"/pbp/api/sessions/{s.id}/submissions", params={"since": "x"}).status_code
        == 400
    )
    # hide and restore, audited
    sid = page1["items"][0]["id"]
    r = api(base, "POST", f"/pbp/api/submissions/{sid}/hide", json={"reason": "personal data"})
    assert r.json()["hidden"] is True
    assert [
        x["text"] for x in api(base, "GET", f"/pbp/api/sessions/{s.id}/submissions").json()["items"]
    ] == ["idea 1", "idea 2"]
    hidden = api(
        base, "GET", f"/pbp/api/sessions/{s.id}/submissions", params={"include_hidden": 1}
    ).json()
    assert [x["hidden"] for x in hidden["items"]] == [True, False, False]
    assert api(base, "POST", f"/pbp/api/submissions/{sid}/restore").json()["hidden"] is False
    actions = [(a["action"], a["target"]) for a in store.audit_log(s.id)]
    assert ("hide", sid) in actions and ("restore", sid) in actions
    assert api(base, "POST", "/pbp/api/submissions/ffff/hide").status_code == 404
    # close the session: participants are told, the API reports it
    assert (
        api(base, "POST", f"/pbp/api/sessions/{s.id}/status", json={"status": "closed"}).json()[
            "status"
        ]
        == "closed"
    )
    assert "This session is closed" in Participant(base).page("APIFLW").text
    r = api(base, "POST", f"/pbp/api/sessions/{s.id}/status", json={"status": "paused"})
    assert r.status_code == 400 and "must be 'open' or 'closed'" in r.json()["message"]
    assert api(base, "POST", f"/pbp/api/sessions/{s.id}/status", content=b"[1]").status_code == 400
    assert api(base, "GET", "/pbp/api/sessions/999999").status_code == 404
    status = api(base, "GET", "/pbp/api/status").json()
    assert status["database"] == "sqlite" and status["join_url"].endswith("/join")


def test_qr_codes_and_poster(env: dict[str, Any]) -> None:
    sess = env["session"]
    png = api(env["base"], "GET", f"/pbp/api/sessions/{sess.id}/qr.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    big = api(env["base"], "GET", f"/pbp/api/sessions/{sess.id}/qr.png", params={"scale": 20})
    assert len(big.content) > 0 and big.content != png.content
    svg = api(env["base"], "GET", f"/pbp/api/sessions/{sess.id}/qr.svg", params={"target": "join"})
    assert svg.headers["content-type"] == "image/svg+xml" and svg.text.startswith("<svg")
    assert f"<title>{env['srv'].url}/join</title>" in svg.text
    poster = api(env["base"], "GET", f"/pbp/sessions/{sess.id}/poster")
    assert poster.status_code == 200 and "K7QM2P" in poster.text and "<svg" in poster.text
    assert f"{env['srv'].url}/s/K7QM2P" in poster.text
    assert "Eastside &lt;b&gt;visioning&lt;/b&gt;" in poster.text


def test_submission_flow_on_each_backend(store_url: str, survey: Survey) -> None:
    """Group commit, idempotency and closed prompts on SQLite and (when configured) PostgreSQL."""
    store = Store(store_url)
    try:
        s = store.create_session(survey, "Backends", code="BACK22")
        prompts = store.list_prompts(s.id)
        with IntakeServer(
            load_settings({"page_cache_s": 0}, environ={}), store, token=TOKEN
        ) as srv:
            people = [Participant(srv.url) for _ in range(12)]
            forms = [p.fields("BACK22") for p in people]
            store.open_only(s.id, prompts[1].id)  # the first 4 forms now point at a closed prompt
            forms[:4] = [{**f, "prompt_id": str(prompts[0].id)} for f in forms[:4]]
            forms[4:] = [{**f, "prompt_id": str(prompts[1].id)} for f in forms[4:]]
            barrier = threading.Barrier(24)

            def send(i: int) -> int:
                p = people[i % 12]
                barrier.wait()
                return p.submit(
                    "BACK22", f"idea ünïcødé {i % 12} 🌍", fields=forms[i % 12]
                ).status_code

            with ThreadPoolExecutor(24) as pool:
                codes = list(
                    pool.map(send, range(24))
                )  # everyone double-submits at the same moment
            for p in people:
                p.close()
        assert codes.count(409) == 8 and codes.count(303) == 16
        rows = store.list_submissions(s.id)
        assert sorted(r.text for r in rows) == sorted(f"idea ünïcødé {i} 🌍" for i in range(4, 12))
        assert all(r.prompt_id == prompts[1].id for r in rows)
    finally:
        store.close()
