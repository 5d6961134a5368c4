"""Issue 14: the audit's findings reproduced against a real ``pbp serve`` / intake server, and
shown not to reproduce any more.
"""

from __future__ import annotations

import csv
import io
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_intake import Participant, first_prompt, form_fields
from test_server import Served, write_workbook

from pbp_facilitate.exports import export_session
from pbp_facilitate.intake.logs import redact
from pbp_facilitate.intake.standalone import IntakeServer
from pbp_facilitate.settings import load_settings
from pbp_facilitate.store import SessionRecord, Store
from pbp_facilitate.surveys import Survey, load_survey

ROOT = Path(__file__).resolve().parents[1]
LONG_TOKEN = "hardening-token-0123456789abcdef0123456789"  # 43 characters


@pytest.fixture(scope="module")
def survey() -> Survey:
    return load_survey(ROOT / "surveys" / "visioning.yaml")


@pytest.fixture
def fresh(tmp_path: Path, survey: Survey) -> Iterator[Any]:
    """Factory: a real intake server of its own with custom settings and a fresh SQLite store."""
    made: list[tuple[IntakeServer, Store]] = []

    def make(**overrides: Any) -> tuple[IntakeServer, Store, SessionRecord]:
        store = Store(f"sqlite:///{tmp_path / f'pbp{len(made)}.sqlite3'}")
        sess = store.create_session(survey, "Hardening", code=f"HARD{len(made)}A")
        srv = IntakeServer(
            load_settings({"page_cache_s": 0, **overrides}, environ={}), store, token=LONG_TOKEN
        ).start()
        made.append((srv, store))
        return srv, store, sess

    yield make
    for srv, store in made:
        srv.stop()
        store.close()


def stop_and_read_log(s: Served) -> str:
    """SIGTERM the server and return everything it wrote to stderr (its log)."""
    s.proc.send_signal(signal.SIGTERM)
    try:
        _, err = s.proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        s.proc.kill()
        _, err = s.proc.communicate(timeout=10)
    return err


# -- finding 6: the console log keeps client IPs and the token ----------------------------------


def test_redact_rule() -> None:
    assert redact("404 GET /s/XXXXXX (127.0.0.1) 0.71ms") == "404 GET /s/XXXXXX 0.71ms"
    assert redact("403 GET /x (@::1) 1ms") == "403 GET /x 1ms"
    assert redact("GET /pbp/api/totals?token=abc123&lang=es") == (
        "GET /pbp/api/totals?token=[secret]&lang=es"
    )
    assert redact("headers {'Authorization': 'token abc123'}") == (
        "headers {'Authorization': 'token [secret]'}"
    )
    assert redact("client 10.1.2.3 went away") == "client [address] went away"
    assert redact("Voila is running at: http://127.0.0.1:8866/") == (
        "Voila is running at: http://127.0.0.1:8866/"
    )


def test_console_log_has_no_client_address_and_no_token(tmp_path: Path) -> None:
    write_workbook(tmp_path / "workbooks")
    s = Served(["--no-preheat", "--token", LONG_TOKEN], tmp_path)
    try:
        with httpx.Client(base_url=s.base, timeout=30) as c:
            assert c.get("/s/NOPE99").status_code == 404
            r = c.get("/pbp/api/voting/999999/totals", params={"token": LONG_TOKEN})
            assert r.status_code == 404
            r = c.get("/voila/render/missing.ipynb", params={"token": LONG_TOKEN})
            assert r.status_code == 404
        with httpx.Client(base_url=s.base, timeout=30) as c:  # no login cookie
            assert c.get("/pbp/api/status", params={"token": "wrong-guess"}).status_code == 403
    finally:
        log = stop_and_read_log(s)
    assert LONG_TOKEN in s.banner  # the printed startup URL stays
    assert "404 GET /s/NOPE99" in log  # the request lines are still logged ...
    assert "token=[secret]" in log
    assert "127.0.0.1)" not in log and "(127.0.0.1" not in log  # ... without the address
    assert LONG_TOKEN not in log and "wrong-guess" not in log


# -- finding 10: CSV neutralisation skipped leading whitespace and format characters ------------


def test_csv_export_neutralises_every_leading_variant(fresh: Any) -> None:
    srv, store, sess = fresh()
    p = Participant(srv.url)
    variants = ["\n=1+1", " =1+1", "\u00a0=1+1", "\u200b=1+1", "\uff1d1+1", "\u3000@SUM(A1)"]
    pid = first_prompt(store, sess)
    for text in variants:
        r = p.submit(sess.code, text, fields=p.fields(sess.code, pid))
        assert r.status_code == 303, r.text
    buf = io.StringIO(newline="")
    export_session(store, sess, "csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue().lstrip("\ufeff"), newline="")))
    stored = {s.text for s in store.list_submissions(sess.id)}
    cells = [r["text"] for r in rows]
    assert len(cells) == len(variants)
    for cell in cells:
        assert cell.startswith("'") and cell[1:] in stored
    p.close()


# -- finding 7: an idem reused with different text was acknowledged and the text dropped ---------


def test_idem_reused_with_other_text_or_by_another_participant_is_409(fresh: Any) -> None:
    srv, store, sess = fresh()
    alice, bob = Participant(srv.url), Participant(srv.url)
    fields = alice.fields(sess.code)
    first = alice.submit(sess.code, "first idea", fields=fields)
    assert first.status_code == 303
    again = alice.submit(sess.code, "first idea", fields=fields)  # a retry: same answer
    assert again.status_code == 303 and again.headers["location"] == first.headers["location"]
    other = alice.submit(sess.code, "a different idea", fields=fields)
    assert other.status_code == 409
    assert "already used to send a different idea" in other.text
    assert "a different idea" in other.text  # the text is still on the page to send again
    assert form_fields(other.text)["idem"] != fields["idem"]  # with a fresh form key
    bob.fields(sess.code)  # bob's own cookies
    stolen = bob.http.post(
        f"/s/{sess.code}", data={**fields, "_xsrf": bob.http.cookies["_xsrf"], "text": "first idea"}
    )
    assert stolen.status_code == 409
    es = alice.submit(sess.code, "otra idea", fields={**fields, "lang": "es"})
    assert es.status_code == 409 and "ya se usó para enviar otra idea" in es.text
    assert [s.text for s in store.list_submissions(sess.id)] == ["first idea"]
    alice.close()
    bob.close()
