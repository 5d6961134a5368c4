"""Fault benchmark of the participant intake: crashes, a full disk, and (optionally) PostgreSQL
backends killed.

1. Crash loop: participants submit ideas to ``pbp serve`` while the server is
   killed with SIGKILL at random moments (default 20 times) and restarted on
   the same port. Clients retry every unacknowledged idea with the SAME form
   (idempotency key) until it is acknowledged. Afterwards every acknowledged
   idea is in the store byte-identical, no idea is stored twice, and
   ``PRAGMA integrity_check`` says ``ok``.
2. Disk full: the store is capped with SQLite's ``max_page_count`` (in
   process, since the PRAGMA is per connection); every answer is either an
   acknowledgement (stored) or the "NOT saved, try again" page (nothing
   stored); retried after space is freed, each idea is stored once.
3. With ``--postgres-url``: the crash loop again on PostgreSQL, plus
   ``pg_terminate_backend`` of the server's connections mid-transaction.

Usage::

    .venv/bin/python benchmarks/intake_faults.py [--kills 20] [--participants 40]
    .venv/bin/python benchmarks/intake_faults.py --postgres-url
    postgresql+psycopg://user@127.0.0.1/postgres

Bounded: 127.0.0.1 only, a fixed number of kills and participants.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import secrets
import signal
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake_load import ROOT, HttpConn, Server, free_port, hidden_fields  # noqa: E402

TEXTS = [
    "Parks 🌳 for everyone",
    "שלום e\u0301 👩‍👩‍👧",
    "<script>alert(1)</script>",
    '=HYPERLINK("x")',
    "\u202eevil\u202c",
    "東京 and Ça va",
    "line one\r\nline two",
]


@dataclass
class Ledger:
    acked: dict[str, str] = field(default_factory=dict)  # submission id -> text
    attempts: int = 0
    retries: int = 0
    not_saved: int = 0
    errors: dict[str, int] = field(default_factory=dict)


async def crash_client(
    port: int, code: str, ideas: int, ledger: Ledger, stop: asyncio.Event, me: int
) -> None:
    """Submit ideas until ``stop`` (at most ``ideas``); an idea once sent is retried until
    acknowledged.
    """
    conn = HttpConn("127.0.0.1", port)
    fields: dict[str, str] | None = None
    done = 0
    try:
        while done < ideas and not stop.is_set():
            try:
                if fields is None:
                    status, _, page = await conn.request("GET", f"/s/{code}", timeout=10)
                    if status != 200:
                        raise ConnectionError(f"form {status}")
                    fields = hidden_fields(page)
                text = f"{me}-{done}-{secrets.token_hex(3)} {random.choice(TEXTS)}"
                ledger.attempts += 1
                while True:  # retry this idea, same form key, until acknowledged
                    try:
                        status, headers, _ = await conn.request(
                            "POST", f"/s/{code}", {**fields, "text": text}, timeout=10
                        )
                    except (OSError, TimeoutError, asyncio.IncompleteReadError):
                        status, headers = -1, {}
                    if status == 303:
                        sub_id = headers["location"].split("saved=")[1].split("&")[0].split("#")[0]
                        ledger.acked[sub_id] = text
                        break
                    if status == 503:
                        ledger.not_saved += 1
                    elif status != -1:
                        ledger.errors[str(status)] = ledger.errors.get(str(status), 0) + 1
                    ledger.retries += 1
                    await asyncio.sleep(0.05 + random.random() * 0.1)
                done += 1
                fields = None  # the next idea gets a fresh form (and key)
                await asyncio.sleep(random.random() * 0.05)
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                await asyncio.sleep(0.1)
    finally:
        await conn.close()


def verify(db_url: str, session_id: int, ledger: Ledger) -> dict[str, Any]:
    from pbp_facilitate.store import Store

    with Store(db_url) as store:
        rows = store.list_submissions(session_id, include_hidden=True)
        by_id = {r.id: r for r in rows}
        missing = [i for i in ledger.acked if i not in by_id]
        changed = [
            i
            for i, t in ledger.acked.items()
            if i in by_id and by_id[i].text.encode("utf-8") != t.encode("utf-8")
        ]
        texts = [r.text for r in rows]
        duplicates = len(texts) - len(set(texts))
        keys = [r.idempotency_key for r in rows]
        integrity = store.integrity_check()
    return {
        "acked": len(ledger.acked),
        "stored_rows": len(rows),
        "missing_acked": len(missing),
        "changed_acked": len(changed),
        "duplicate_rows": duplicates,
        "duplicate_keys": len(keys) - len(set(keys)),
        "integrity_check": integrity,
        "attempts": ledger.attempts,
        "client_retries": ledger.retries,
        "not_saved_pages": ledger.not_saved,
        "other_statuses": ledger.errors,
    }


async def crash_loop(
    folder: Path,
    db_url: str,
    *,
    kills: int,
    participants: int,
    ideas: int,
    pg_terminate: bool = False,
) -> dict[str, Any]:
    from pbp_facilitate.store import Store
    from pbp_facilitate.surveys import load_survey

    with Store(db_url) as store:
        sess = store.create_session(
            load_survey(ROOT / "surveys" / "visioning.yaml"),
            "Faults",
            code=f"F{secrets.token_hex(2).upper()}",
        )
    token = secrets.token_hex(16)
    port = free_port()
    env = {"PBP_RATE_PER_KEY_PER_MINUTE": "100000", "PBP_RATE_PER_IP_PER_MINUTE": "1000000"}
    srv = Server(folder, token=token, extra=["--no-preheat"], db_url=db_url, env=env, port=port)
    ledger = Ledger()
    stop = asyncio.Event()
    clients = [
        asyncio.create_task(crash_client(port, sess.code, ideas, ledger, stop, i))
        for i in range(participants)
    ]
    restart_s: list[float] = []
    terminated = 0
    rng = random.Random(7)
    try:
        for _ in range(kills):
            await asyncio.sleep(rng.uniform(0.3, 1.2))
            if pg_terminate:
                terminated += terminate_backends(db_url)
                await asyncio.sleep(rng.uniform(0.1, 0.4))
            srv.proc.send_signal(signal.SIGKILL)
            srv.proc.wait()
            t0 = time.perf_counter()
            srv = await asyncio.to_thread(
                Server,
                folder,
                token=token,
                extra=["--no-preheat"],
                db_url=db_url,
                env=env,
                port=port,
            )
            restart_s.append(time.perf_counter() - t0)
        stop.set()  # no new ideas; the ones in flight are retried until acknowledged
        await asyncio.wait_for(asyncio.gather(*clients), timeout=300)
    finally:
        stop.set()
        for c in clients:
            c.cancel()
        srv.stop()
    out = verify(db_url, sess.id, ledger)
    out.update(
        {
            "kills": kills,
            "restart_median_s": round(sorted(restart_s)[len(restart_s) // 2], 2)
            if restart_s
            else None,
            "backends_terminated": terminated,
        }
    )
    return out


def terminate_backends(db_url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            n = conn.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar()
            conn.commit()
            return int(n or 0)
    finally:
        engine.dispose()


async def disk_full(folder: Path) -> dict[str, Any]:
    """Fill a capped SQLite store through the real handlers (in process: the cap is a per-connection
    PRAGMA).
    """
    import sqlite3

    from sqlalchemy import event

    from pbp_facilitate.intake.standalone import IntakeServer
    from pbp_facilitate.settings import load_settings
    from pbp_facilitate.store import Store
    from pbp_facilitate.surveys import load_survey

    logging.getLogger("tornado.access").disabled = True  # 144 expected 503 lines are noise here
    db = folder / "full.sqlite3"
    store = Store(f"sqlite:///{db}")
    sess = store.create_session(
        load_survey(ROOT / "surveys" / "visioning.yaml"), "Full", code="FULL22"
    )
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]

    def cap(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 3}")

    store.engine.dispose()
    event.listen(store.engine, "connect", cap)
    srv = IntakeServer(
        load_settings({"rate_per_key_per_minute": 100000}, environ={}), store
    ).start()
    acked: dict[str, str] = {}
    refused: list[tuple[HttpConn, dict[str, str], str]] = []
    other: dict[int, int] = {}
    try:
        conns = [HttpConn("127.0.0.1", srv.port) for _ in range(10)]

        async def one(conn: HttpConn, i: int) -> None:
            for j in range(15):
                _, _, page = await conn.request("GET", "/s/FULL22")
                fields = hidden_fields(page)
                text = f"{i}-{j} " + "ü" * 900
                status, headers, body = await conn.request(
                    "POST", "/s/FULL22", {**fields, "text": text}
                )
                if status == 303:
                    acked[headers["location"].split("saved=")[1].split("#")[0]] = text
                elif status == 503 and b"was NOT saved" in body and b"try again" in body:
                    refused.append((conn, fields, text))
                else:
                    other[status] = other.get(status, 0) + 1

        await asyncio.gather(*(one(c, i) for i, c in enumerate(conns)))
        rows_full = store.count_submissions(sess.id, include_hidden=True)
        event.remove(store.engine, "connect", cap)
        store.engine.dispose()
        retried_ok = 0
        for conn, fields, text in refused:  # space again: resend the same forms
            status, headers, _ = await conn.request("POST", "/s/FULL22", {**fields, "text": text})
            if status == 303:
                retried_ok += 1
                acked[headers["location"].split("saved=")[1].split("#")[0]] = text
        for c in conns:
            await c.close()
    finally:
        srv.stop()
    rows = store.list_submissions(sess.id, include_hidden=True)
    result = {
        "answers_acked_while_full": rows_full,
        "not_saved_pages": len(refused),
        "other_statuses": other,
        "rows_equal_acks_while_full": rows_full == len(acked) - retried_ok,
        "retried_after_space_ok": retried_ok,
        "final_rows": len(rows),
        "final_rows_equal_acks": len(rows) == len(acked),
        "all_acked_identical": all(r.text == acked.get(r.id) for r in rows),
        "integrity_check": store.integrity_check(),
    }
    store.close()
    return result


def show(name: str, d: dict[str, Any]) -> None:
    print(f"{name}:", flush=True)
    for k, v in d.items():
        print(f"  {k}: {v}", flush=True)


async def main_async(args: argparse.Namespace) -> int:
    ok = True
    with tempfile.TemporaryDirectory(prefix="pbp-faults-") as tmp:
        folder = Path(tmp)
        (folder / "workbooks").mkdir()
        t0 = time.perf_counter()
        res = await crash_loop(
            folder,
            f"sqlite:///{folder / 'pbp.sqlite3'}",
            kills=args.kills,
            participants=args.participants,
            ideas=args.ideas,
        )
        show(f"SIGKILL x{args.kills} during load, SQLite ({time.perf_counter() - t0:.0f} s)", res)
        ok &= (
            res["missing_acked"] == res["changed_acked"] == res["duplicate_rows"] == 0
            and res["integrity_check"] == "ok"
        )
        res = await disk_full(folder)
        show("Disk full (SQLite max_page_count)", res)
        ok &= (
            res["rows_equal_acks_while_full"]
            and res["final_rows_equal_acks"]
            and res["all_acked_identical"]
            and res["integrity_check"] == "ok"
            and res["not_saved_pages"] > 0
        )
        if args.postgres_url:
            import sqlalchemy as sa

            name = f"pbp_faults_{uuid.uuid4().hex[:10]}"
            admin = sa.create_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            url = (
                sa.engine.make_url(args.postgres_url)
                .set(database=name)
                .render_as_string(hide_password=False)
            )
            try:
                res = await crash_loop(
                    folder,
                    url,
                    kills=args.kills,
                    participants=args.participants,
                    ideas=args.ideas,
                    pg_terminate=True,
                )
                show("SIGKILL + pg_terminate_backend during load, PostgreSQL", res)
                ok &= res["missing_acked"] == res["changed_acked"] == res["duplicate_rows"] == 0
            finally:
                with admin.connect() as conn:
                    conn.execute(
                        sa.text(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = :n"
                        ),
                        {"n": name},
                    )
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
                admin.dispose()
        else:
            print(
                "PostgreSQL: skipped (pass --postgres-url to run the same checks there)", flush=True
            )
    print("RESULT:", "all invariants hold" if ok else "INVARIANT BROKEN", flush=True)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--participants", type=int, default=40)
    ap.add_argument(
        "--ideas", type=int, default=1000, help="At most this many ideas per participant."
    )
    ap.add_argument(
        "--postgres-url", default="", help="Server URL; a throw-away database is created on it."
    )
    args = ap.parse_args(argv)
    if args.kills > 100 or args.participants > 500:
        ap.error("bounded: at most 100 kills and 500 participants")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    raise SystemExit(main())
