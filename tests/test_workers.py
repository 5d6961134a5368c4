"""``pbp serve --workers 2`` on the real PostgreSQL (PBP_TEST_POSTGRES_URL), as a real process:
both workers serve, ideas from many connections are durable, a key signed by one worker is
accepted by the other, the per-key limit holds across workers, the dashboards answer on their
own port, and no worker outlives the server. Plus the shared token buckets across processes.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import closing
from html import unescape
from pathlib import Path
from typing import Any

import httpx
import nbformat
import psutil
import pytest
from conftest import POSTGRES_URL, _postgres_db

from pbp_facilitate.intake.ratelimit import TokenBuckets, share_buckets
from pbp_facilitate.intake.workers import LIMITS_PREFIX, check_workers, clean_stale_limit_folders
from pbp_facilitate.store import Store
from pbp_facilitate.surveys import load_survey

ROOT = Path(__file__).resolve().parents[1]
PBP = str(Path(sys.executable).with_name("pbp"))
TOKEN = "workers-test-token-0123456789abcdef0123"
PER_KEY = 5  # ideas one participant may send per minute in these servers
MISSES = 10  # unknown session codes one address may try per minute in these servers
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def free_port_pair() -> int:
    """A port P with P + 1 free too (participants and dashboards)."""
    for _ in range(50):
        p = free_port()
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", p + 1))
            return p
        except OSError:
            continue
    raise AssertionError("no two consecutive free ports")


def _pg_url() -> Iterator[str]:
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must set PBP_TEST_POSTGRES_URL so pbp serve --workers is tested.")
        pytest.skip("PBP_TEST_POSTGRES_URL is not set; PostgreSQL tests run in CI (.ci/run).")
    yield from _postgres_db(POSTGRES_URL)


def write_workbook(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import os\nprint('PID=' + str(os.getppid()))")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(folder / "facilitate.ipynb"))


class Workers:
    """``pbp serve --workers 2`` as a child process, with what its banner said."""

    def __init__(self, cwd: Path, db_url: str, *extra: str) -> None:
        self.port = free_port_pair()
        self.dashboard_port = self.port + 1
        env = {k: v for k, v in os.environ.items() if not k.startswith("PBP_")}
        env["PBP_RATE_PER_KEY_PER_MINUTE"] = str(PER_KEY)
        env["PBP_CODE_MISSES_PER_MINUTE"] = str(MISSES)
        self.proc = subprocess.Popen(
            [
                PBP,
                "--db",
                db_url,
                "--data-dir",
                str(cwd / "data"),
                "serve",
                "--workers",
                "2",
                "--port",
                str(self.port),
                "--no-browser",
                "--no-preheat",
                "--token",
                TOKEN,
                "--workbooks",
                str(cwd / "workbooks"),
                "--behind-proxy",  # as in docs/deploy.md: X-Real-IP names the client
                *extra,
            ],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        lines: list[str] = []
        deadline = time.monotonic() + 120
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"pbp serve --workers 2 exited early: {''.join(lines)}")
            lines.append(line)
            if line.startswith("  Stop with Ctrl+C"):
                break
        self.banner = "".join(lines)
        m = re.search(r"Workers: 2 processes \(pids (\d+), (\d+)\)", self.banner)
        assert m, self.banner
        self.worker_pids = {int(m.group(1)), int(m.group(2))}
        self.base = f"http://127.0.0.1:{self.port}"
        self.dashboards = f"http://127.0.0.1:{self.dashboard_port}"

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return int(self.proc.returncode)


def worker_of(client: httpx.Client) -> int:
    """Pid of the worker serving ``client``'s (kept-alive) connection."""
    r = client.get("/pbp/api/status", headers={"Authorization": f"token {TOKEN}"})
    assert r.status_code == 200, r.text
    return int(r.json()["worker"]["pid"])


def client_on(base: str, pid: int, tries: int = 200) -> httpx.Client:
    """A keep-alive client whose connection is served by worker ``pid``."""
    for _ in range(tries):
        c = httpx.Client(base_url=base, timeout=30, limits=httpx.Limits(max_connections=1))
        if worker_of(c) == pid:
            return c
        c.close()
    raise AssertionError(f"no connection reached worker {pid} in {tries} tries")


def idea_form(page: str) -> dict[str, str]:
    start = page.find('class="idea"')
    return {k: unescape(v) for k, v in HIDDEN.findall(page[start : page.find("</form>", start)])}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    cwd = tmp_path_factory.mktemp("workers")
    write_workbook(cwd / "workbooks")
    for db_url in _pg_url():
        with Store(db_url) as store:
            rec = store.create_session(
                load_survey(ROOT / "surveys" / "visioning.yaml"), "Workers", code="WRK234"
            )
        w = Workers(cwd, db_url)
        try:
            yield {"w": w, "db": db_url, "sid": rec.id, "code": rec.code, "cwd": cwd}
        finally:
            w.stop()


@pytest.mark.postgres
def test_both_workers_serve_and_are_children_of_the_server(served: dict[str, Any]) -> None:
    w: Workers = served["w"]
    assert f"Participants join at:       http://127.0.0.1:{w.port}/join" in w.banner
    assert f"http://127.0.0.1:{w.dashboard_port}/voila/render/facilitate.ipynb" in w.banner
    children = {p.pid for p in psutil.Process(w.proc.pid).children()}
    assert w.worker_pids <= children
    seen: set[int] = set()
    for _ in range(60):  # a new connection each time: the kernel spreads them over both
        with httpx.Client(base_url=w.base, timeout=30) as c:
            seen.add(worker_of(c))
        if seen == w.worker_pids:
            break
    assert seen == w.worker_pids


@pytest.mark.postgres
def test_submissions_from_many_connections_are_all_durable(served: dict[str, Any]) -> None:
    w: Workers = served["w"]
    code = served["code"]

    def participant(i: int) -> list[str]:
        acked = []
        with httpx.Client(base_url=w.base, timeout=60) as c:
            r = c.get(f"/s/{code}")
            assert r.status_code == 200
            fields = idea_form(r.text)
            for j in range(2):
                r = c.post(
                    f"/s/{code}",
                    data={**fields, "text": f"Idea {j} of participant {i}: more trees on Elm"},
                    headers={"Origin": w.base},
                    follow_redirects=False,
                )
                assert r.status_code == 303, r.text[:300]
                acked.append(r.headers["location"])
                fields = idea_form(c.get(r.headers["location"].split("#")[0]).text)
        return acked

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        acked = [a for one in pool.map(participant, range(60)) for a in one]
    assert len(acked) == 120
    with Store(served["db"]) as store:
        texts = [s.text for s in store.list_submissions(served["sid"])]
    assert len(texts) == 120 and len(set(texts)) == 120


@pytest.mark.postgres
def test_key_signed_by_one_worker_is_accepted_by_the_other(served: dict[str, Any]) -> None:
    w: Workers = served["w"]
    code = served["code"]
    a_pid, b_pid = sorted(w.worker_pids)
    with closing(client_on(w.base, a_pid)) as a, closing(client_on(w.base, b_pid)) as b:
        r = a.get(f"/s/{code}")
        assert r.status_code == 200 and worker_of(a) == a_pid
        key = a.cookies["pbp_key"]
        fields = idea_form(r.text)
        r = b.post(
            f"/s/{code}",
            data={**fields, "text": "Signed on one worker, sent through the other"},
            headers={"Origin": w.base, "Cookie": f"pbp_key={key}; _xsrf={a.cookies['_xsrf']}"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text[:300]
        assert worker_of(b) == b_pid
        assert "pbp_key" not in r.headers.get("set-cookie", "")  # no fresh key: it was valid


@pytest.mark.postgres
def test_per_key_limit_holds_across_workers(served: dict[str, Any]) -> None:
    w: Workers = served["w"]
    code = served["code"]
    a_pid, b_pid = sorted(w.worker_pids)
    with closing(client_on(w.base, a_pid)) as a, closing(client_on(w.base, b_pid)) as b:
        fields = idea_form(a.get(f"/s/{code}").text)
        cookie = f"pbp_key={a.cookies['pbp_key']}; _xsrf={a.cookies['_xsrf']}"
        t0 = time.monotonic()
        statuses = []
        for i in range(4 * PER_KEY):  # one participant, every other idea through each worker
            r = (a, b)[i % 2].post(
                f"/s/{code}",
                data={**fields, "text": f"Limited idea {i}", "idem": secrets.token_urlsafe(16)},
                headers={"Origin": w.base, "Cookie": cookie},
                follow_redirects=False,
            )
            statuses.append(r.status_code)
        elapsed = time.monotonic() - t0
        assert {worker_of(a), worker_of(b)} == {a_pid, b_pid}
    accepted = statuses.count(303)
    refill = int(elapsed * PER_KEY / 60)
    # one limit for the key, not one per worker (2 x PER_KEY)
    assert PER_KEY <= accepted <= PER_KEY + refill, statuses
    assert statuses.count(429) == len(statuses) - accepted, statuses


@pytest.mark.postgres
def test_failure_throttle_is_shared_and_reads_the_proxy_address(served: dict[str, Any]) -> None:
    w: Workers = served["w"]
    guesser = {"X-Real-IP": "203.0.113.7"}
    statuses = []
    pids = set()
    for i in range(MISSES + 3):  # a new connection each time: both workers see the guesser
        with httpx.Client(base_url=w.base, timeout=30) as c:
            pids.add(worker_of(c))
            statuses.append(c.get(f"/s/ZZ{i:04d}", headers=guesser).status_code)
    assert pids == w.worker_pids
    assert statuses[:MISSES] == [404] * MISSES and statuses[MISSES:] == [429] * 3, statuses
    # another address behind the same proxy is not slowed, nor is the proxy's own
    assert httpx.get(f"{w.base}/s/ZZ9999", headers={"X-Real-IP": "203.0.113.8"}).status_code == 404
    assert httpx.get(f"{w.base}/s/ZZ9998").status_code == 404


@pytest.mark.postgres
def test_dashboards_run_in_the_primary_on_their_own_port(served: dict[str, Any]) -> None:
    w: Workers = served["w"]
    with httpx.Client(base_url=w.dashboards, timeout=120) as c:
        r = c.get("/voila/render/facilitate.ipynb", params={"token": TOKEN})
        assert r.status_code == 200
        assert f"PID={w.proc.pid}" in r.text  # the kernel's parent is the primary
    with httpx.Client(base_url=w.base, timeout=30) as c:  # the workers serve no dashboard
        assert c.get("/voila/render/facilitate.ipynb", params={"token": TOKEN}).status_code == 404


@pytest.mark.postgres
def test_login_cookie_of_the_dashboards_opens_the_api_in_the_workers(
    served: dict[str, Any],
) -> None:
    w: Workers = served["w"]
    host = {"Host": "consult.example.org"}  # one origin, as behind the reverse proxy
    with httpx.Client(timeout=30, headers=host) as c:
        c.get(f"{w.dashboards}/login")
        ok = c.post(
            f"{w.dashboards}/login",
            data={"password": TOKEN, "_xsrf": c.cookies["_xsrf"], "next": "/voila/tree"},
            follow_redirects=False,
        )
        assert ok.status_code == 302
        assert c.get(f"{w.base}/pbp/api/sessions").status_code == 200
    assert httpx.get(f"{w.base}/pbp/api/sessions", headers=host).status_code == 403


@pytest.mark.postgres
def test_sigterm_stops_every_worker_and_removes_the_limits(served: dict[str, Any]) -> None:
    w: Workers = served["w"]
    procs = psutil.Process(w.proc.pid).children(recursive=True)
    assert w.worker_pids <= {p.pid for p in procs}
    tables = {
        Path(f.path).parent
        for pid in w.worker_pids
        for f in psutil.Process(pid).open_files()
        if LIMITS_PREFIX in f.path
    }
    assert len(tables) == 1  # both workers hold the same shared limits folder
    assert w.stop() == 0
    gone, alive = psutil.wait_procs(procs, timeout=30)
    assert not alive, f"left behind: {alive}"
    assert not any(t.exists() for t in tables)


@pytest.mark.postgres
def test_a_dead_worker_is_replaced_and_a_killed_server_leaves_no_orphans(
    tmp_path: Path,
) -> None:
    (tmp_path / "workbooks").mkdir()
    for db_url in _pg_url():
        w = Workers(tmp_path, db_url)
        try:
            victim = min(w.worker_pids)
            os.kill(victim, signal.SIGKILL)
            deadline = time.monotonic() + 60
            seen: set[int] = set()
            while time.monotonic() < deadline and len(seen - {victim}) < 2:
                with httpx.Client(base_url=w.base, timeout=30) as c:
                    try:
                        seen.add(worker_of(c))
                    except httpx.TransportError:
                        time.sleep(0.2)
            assert victim not in seen and len(seen) == 2  # the survivor and its replacement
            workers = psutil.Process(w.proc.pid).children()
            w.proc.kill()  # no chance to clean up: the workers see their stdin close
            w.proc.wait(10)
            gone, alive = psutil.wait_procs(workers, timeout=30)
            assert not alive, f"orphans: {alive}"
            assert clean_stale_limit_folders() >= 1  # the killed server's, removed on next start
        finally:
            w.stop()


def test_workers_refuse_sqlite_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "workbooks").mkdir()
    r = subprocess.run(
        [PBP, "--db", f"sqlite:///{tmp_path / 'x.sqlite3'}", "serve", "--workers", "2"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("PBP_")},
        timeout=60,
    )
    assert r.returncode == 1
    assert "--workers 2 needs a PostgreSQL database" in r.stderr
    assert "--db postgresql+psycopg://" in r.stderr and "docs/deploy.md" in r.stderr
    from pbp_facilitate.errors import ConfigError
    from pbp_facilitate.settings import Settings

    with pytest.raises(ConfigError, match="between 1 and"):
        check_workers(Settings(database_url="postgresql+psycopg://x@y/z"), 0)
    check_workers(Settings(), 1)  # one process serves SQLite as before


def test_dashboard_port_needs_workers(tmp_path: Path) -> None:
    r = subprocess.run(
        [PBP, "serve", "--dashboard-port", "9999"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("PBP_")},
        timeout=60,
    )
    assert r.returncode == 2 and "--workers 2 or more" in r.stderr


# -- shared token buckets -------------------------------------------------------------------------

TAKER = textwrap.dedent(
    """
    import sys
    from pbp_facilitate.intake.ratelimit import TokenBuckets, share_buckets
    share_buckets(sys.argv[1])
    b = TokenBuckets(30, name="shared.test")
    print(sum(1 for _ in range(40) if b.take("one-key") == 0))
    """
)


def test_named_buckets_are_shared_between_processes(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    t0 = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", TAKER, str(tmp_path)], stdout=subprocess.PIPE, env=env
        )
        for _ in range(4)
    ]
    taken = [int(p.communicate(timeout=60)[0]) for p in procs]
    elapsed = time.monotonic() - t0
    # 30 tokens for the key in all four processes together (plus the refill, 0.5/s)
    assert 30 <= sum(taken) <= 30 + int(elapsed * 0.5) + 1, taken
    assert [p.name for p in tmp_path.iterdir()] == ["shared.test.buckets"]


def test_shared_buckets_keep_the_public_behaviour(tmp_path: Path) -> None:
    now = [1000.0]
    share_buckets(tmp_path)
    try:
        a = TokenBuckets(3, name="x", clock=lambda: now[0])
        b = TokenBuckets(3, name="x", clock=lambda: now[0])
        other = TokenBuckets(3, name="y", clock=lambda: now[0])
        local = TokenBuckets(3, clock=lambda: now[0])  # unnamed: stays in this process
        small = TokenBuckets(3, name="small", max_keys=100, clock=lambda: now[0])
    finally:
        share_buckets(None)
    assert (a.name, local.name) == ("x", "")
    assert [a.take("k"), b.take("k"), a.take("k")] == [0.0, 0.0, 0.0]
    assert b.take("k") == pytest.approx(20.0) and a.wait("k") == pytest.approx(20.0)
    assert other.take("k") == 0.0 and local.take("k") == 0.0 and len(local) == 1
    b.give_back("k")
    assert a.wait("k") == 0.0 and a.take("k") == 0.0 and a.take("k") > 0
    now[0] += 20.0  # one token back (3 a minute)
    assert b.take("k") == 0.0 and a.take("k") > 0
    assert len(a) == len(b) == 1
    for i in range(5000):  # bounded memory: old keys are forgotten, like the dictionary's prune
        small.take(f"key-{i}")
    assert len(small) <= 1024 + 16


@pytest.mark.postgres
def test_taken_dashboard_port_is_a_clear_error_before_any_worker(tmp_path: Path) -> None:
    (tmp_path / "workbooks").mkdir()
    port = free_port_pair()
    for db_url in _pg_url():
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", port + 1))
            busy.listen()
            r = subprocess.run(
                [
                    PBP,
                    "--db",
                    db_url,
                    "serve",
                    "--workers",
                    "2",
                    "--port",
                    str(port),
                    "--no-browser",
                    "--workbooks",
                    str(tmp_path / "workbooks"),
                ],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                env={k: v for k, v in os.environ.items() if not k.startswith("PBP_")},
                timeout=120,
            )
        assert r.returncode == 1, r.stderr
        assert f":{port + 1} for the dashboards" in r.stderr
        assert "--dashboard-port" in r.stderr
