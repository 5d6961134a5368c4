"""Load benchmark of the participant intake of ``pbp serve`` (127.0.0.1 only, bounded).

Plays N participants (default 300), each on its own keep-alive connection
with its own cookies: load the form, submit 3 ideas with think time. Then a
burst: everyone loads the form and all submit at once. Reports durable
submissions/s (a 303 is sent only after COMMIT), latency percentiles,
errors, and the server's RSS before/after.

In the same run it measures the baseline the design avoids: the same
participants opening a Voilà widget form notebook, one kernel each, for
N = 5, 20, 50: memory per participant and time to the rendered page.

Usage::

    .venv/bin/python benchmarks/intake_load.py                 # full run (a few minutes)
    .venv/bin/python benchmarks/intake_load.py --quick         # small smoke run
    .venv/bin/python benchmarks/intake_load.py --no-baseline --participants 300

Nothing here is asserted; the figures are printed (and optionally saved with --json).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psutil

ROOT = Path(__file__).resolve().parents[1]
PBP = str(Path(sys.executable).with_name("pbp"))
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')

# -- a tiny HTTP/1.1 client on asyncio streams (cheap enough to leave the CPU to the server) ------


class HttpConn:
    """One keep-alive connection with its own cookie jar (one phone)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.cookies: dict[str, str] = {}

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
            self.writer = None

    async def request(
        self, method: str, path: str, form: dict[str, str] | None = None, timeout: float = 60.0
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request; reconnect once if the kept-alive connection was closed."""
        for attempt in (0, 1):
            if self.writer is None:
                await self._connect()
            try:
                return await asyncio.wait_for(self._once(method, path, form), timeout)
            except TimeoutError:
                await self.close()
                raise  # a slow answer is not retried (TimeoutError is an OSError)
            except (ConnectionError, asyncio.IncompleteReadError, OSError):
                await self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _once(
        self, method: str, path: str, form: dict[str, str] | None
    ) -> tuple[int, dict[str, str], bytes]:
        assert self.reader is not None and self.writer is not None
        body = urlencode(form).encode() if form is not None else b""
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Accept-Language: en",
        ]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            head += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                f"Origin: http://{self.host}:{self.port}",
            ]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            k, _, v = line.decode("latin-1").partition(":")
            k, v = k.strip().lower(), v.strip()
            if k == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            else:
                headers[k] = v
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            data = b"".join(p[:-2] for p in parts)
        else:
            n = int(headers.get("content-length", "0"))
            data = await self.reader.readexactly(n) if n else b""
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, data


def hidden_fields(page: bytes) -> dict[str, str]:
    """Hidden fields of the first idea form on a page."""
    text = page.decode("utf-8", "replace")
    start = text.find('class="idea"')
    end = text.find("</form>", start)
    return {k: unescape(v) for k, v in HIDDEN.findall(text[start:end])}


# -- running the server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``pbp serve`` as a child process on 127.0.0.1."""

    def __init__(
        self,
        folder: Path,
        *,
        token: str,
        extra: list[str] | None = None,
        env: dict[str, str] | None = None,
        db_url: str | None = None,
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()
        self.token = token
        self.db_url = db_url or f"sqlite:///{folder / 'pbp.sqlite3'}"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("PBP_")}
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [
                PBP,
                "--db",
                self.db_url,
                "serve",
                "--port",
                str(self.port),
                "--no-browser",
                "--token",
                token,
                "--workbooks",
                str(folder / "workbooks"),
                *(extra or []),
            ],
            cwd=folder,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("pbp serve exited during startup")
            if line.startswith("  Stop with Ctrl+C"):
                break
        self.ps = psutil.Process(self.proc.pid)

    def rss(self) -> int:
        return int(self.ps.memory_info().rss)

    def rss_with_kernels(self) -> tuple[int, int, int]:
        """(server RSS, summed kernel RSS, kernel count)."""
        kids = self.ps.children(recursive=True)
        total = 0
        for k in kids:
            try:
                total += k.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return self.rss(), total, len(kids)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def make_session(db_url: str, code: str) -> int:
    from pbp_facilitate.store import Store
    from pbp_facilitate.surveys import load_survey

    with Store(db_url) as store:
        return store.create_session(
            load_survey(ROOT / "surveys" / "visioning.yaml"), "Load test", code=code
        ).id


# -- the participants ---------------------------------------------------------------------------


@dataclass
class Stats:
    form_ms: list[float] = field(default_factory=list)
    submit_ms: list[float] = field(default_factory=list)
    acked: list[str] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


async def participant(
    port: int,
    code: str,
    n_ideas: int,
    think_s: float,
    stats: Stats,
    gate: asyncio.Event | None,
    rng: random.Random,
) -> None:
    conn = HttpConn("127.0.0.1", port)
    try:
        if think_s:
            await asyncio.sleep(rng.uniform(0, think_s * 2))  # arrivals spread like a room
        t0 = time.perf_counter()
        status, _, page = await conn.request("GET", f"/s/{code}")
        stats.form_ms.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            stats.error(f"form {status}")
            return
        fields = hidden_fields(page)
        if gate is not None:
            await gate.wait()
        for i in range(n_ideas):
            if think_s:
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)
            text = f"Idea {i} from {secrets.token_hex(3)}: more parks, safer streets, better buses"
            t0 = time.perf_counter()
            status, headers, body = await conn.request(
                "POST", f"/s/{code}", {**fields, "text": text}
            )
            if status != 303:
                stats.error(f"submit {status}")
                continue
            stats.submit_ms.append((time.perf_counter() - t0) * 1000)
            stats.acked.append(headers["location"])
            status, _, page = await conn.request("GET", headers["location"].split("#")[0])
            if status != 200:
                stats.error(f"confirm {status}")
                continue
            fields = hidden_fields(page)
    except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
        stats.error(type(exc).__name__)
    finally:
        await conn.close()


async def run_phase(
    port: int, code: str, n: int, ideas: int, think_s: float, burst: bool, seed: int
) -> tuple[Stats, float]:
    stats = Stats()
    rng = random.Random(seed)
    gate = asyncio.Event() if burst else None
    tasks = [
        asyncio.create_task(participant(port, code, ideas, think_s, stats, gate, rng))
        for _ in range(n)
    ]
    if gate is not None:
        while len(stats.form_ms) + sum(stats.errors.values()) < n:
            await asyncio.sleep(0.01)
        t0 = time.perf_counter()
        gate.set()
    else:
        t0 = time.perf_counter()
    await asyncio.gather(*tasks)
    return stats, time.perf_counter() - t0


def report(name: str, stats: Stats, wall: float) -> dict[str, Any]:
    out = {
        "phase": name,
        "durable_submissions": len(stats.acked),
        "wall_s": round(wall, 2),
        "durable_per_s": round(len(stats.acked) / wall, 1) if wall else None,
        "submit_p50_ms": round(pct(stats.submit_ms, 50), 1),
        "submit_p95_ms": round(pct(stats.submit_ms, 95), 1),
        "submit_p99_ms": round(pct(stats.submit_ms, 99), 1),
        "form_p50_ms": round(pct(stats.form_ms, 50), 1),
        "form_p95_ms": round(pct(stats.form_ms, 95), 1),
        "errors": stats.errors,
    }
    print(
        f"  {name:<7} {out['durable_submissions']:>5} acked in {out['wall_s']:>6} s = "
        f"{out['durable_per_s']:>7}/s | submit p50 {out['submit_p50_ms']} p95 "
        f"{out['submit_p95_ms']} "
        f"p99 {out['submit_p99_ms']} ms | form p50 {out['form_p50_ms']} p95 {out['form_p95_ms']} "
        f"ms | "
        f"errors {stats.errors or 0}",
        flush=True,
    )
    return out


# -- baseline: a kernel per participant ----------------------------------------------------------

WIDGET_FORM = """\
import ipywidgets as w
from pbp_facilitate.settings import load_settings
from pbp_facilitate.store import open_store
store = open_store(load_settings())
box = w.Textarea(description="Your idea")
button = w.Button(description="Send my idea")
done = w.Label()
def send(_):
    store.add_submission(1, None, box.value, source="form")
    done.value = "Thank you!"
button.on_click(send)
w.VBox([box, button, done])
"""


def write_widget_form(folder: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(WIDGET_FORM)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(folder / "form.ipynb"))


async def baseline(folder: Path, n: int, token: str) -> dict[str, Any]:
    srv = Server(folder, token=token, extra=["--no-preheat"])
    try:
        await asyncio.sleep(1.0)
        rss0, _, _ = srv.rss_with_kernels()
        times: list[float] = []
        errors = 0

        async def one() -> None:
            nonlocal errors
            conn = HttpConn("127.0.0.1", srv.port)
            t0 = time.perf_counter()
            try:
                status, _, body = await conn.request(
                    "GET", f"/voila/render/form.ipynb?token={token}", timeout=240
                )
                if status == 200 and b"application/vnd.jupyter.widget-view+json" in body:
                    times.append(time.perf_counter() - t0)
                else:
                    errors += 1
            except (TimeoutError, OSError):
                errors += 1
            finally:
                await conn.close()

        t0 = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(n)))
        wall = time.perf_counter() - t0
        await asyncio.sleep(1.0)
        rss1, kernels_rss, kernels = srv.rss_with_kernels()
    finally:
        srv.stop()
    per = (rss1 - rss0 + kernels_rss) / max(n, 1)
    if not times:
        times = [float("nan")]
    out = {
        "n": n,
        "kernels": kernels,
        "wall_s": round(wall, 1),
        "page_p50_s": round(pct(times, 50), 2),
        "page_p95_s": round(pct(times, 95), 2),
        "mib_per_participant": round(per / 2**20, 1),
        "errors": errors,
    }
    print(
        f"  kernel-per-participant N={n:>3}: {out['mib_per_participant']} MiB/participant, page "
        f"p50 "
        f"{out['page_p50_s']} s p95 {out['page_p95_s']} s (all {n} in {out['wall_s']} s), "
        f"{kernels} kernel processes, errors {errors}",
        flush=True,
    )
    return out


# -- main ---------------------------------------------------------------------------------------


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {
        "participants": args.participants,
        "ideas": args.ideas,
        "think_s": args.think,
    }
    with tempfile.TemporaryDirectory(prefix="pbp-load-") as tmp:
        folder = Path(tmp)
        (folder / "workbooks").mkdir()
        write_widget_form(folder / "workbooks")
        token = secrets.token_hex(16)
        db_url = f"sqlite:///{folder / 'pbp.sqlite3'}"
        make_session(db_url, "LOAD22")
        make_session(db_url, "BURST2")
        srv = Server(
            folder,
            token=token,
            extra=["--no-preheat"],
            db_url=db_url,
            env={"PBP_RATE_PER_IP_PER_MINUTE": str(args.ip_ceiling)} if args.ip_ceiling else None,
        )
        try:
            print(
                f"Intake (no kernel), SQLite synchronous=FULL, {args.participants} participants x "
                f"{args.ideas} ideas, server pid {srv.proc.pid}",
                flush=True,
            )
            warm, _ = await run_phase(srv.port, "LOAD22", 10, 1, 0, False, 0)  # import/JIT warm-up
            rss_before = srv.rss()
            think, wall = await run_phase(
                srv.port, "LOAD22", args.participants, args.ideas, args.think, False, 1
            )
            rss_after_think = srv.rss()
            results["think"] = report("think", think, wall)
            burst, wall = await run_phase(
                srv.port, "BURST2", args.participants, args.ideas, 0, True, 2
            )
            rss_after = srv.rss()
            results["burst"] = report("burst", burst, wall)
        finally:
            srv.stop()
        growth_think = (rss_after_think - rss_before) / 2**20
        results["rss"] = {
            "before_mib": round(rss_before / 2**20, 1),
            "after_think_mib": round(rss_after_think / 2**20, 1),
            "after_burst_mib": round(rss_after / 2**20, 1),
            "growth_per_100_participants_mib": round(growth_think / args.participants * 100, 2),
        }
        print(
            f"  server RSS: {results['rss']['before_mib']} MiB before, "
            f"{results['rss']['after_think_mib']} "
            f"after the think phase, {results['rss']['after_burst_mib']} after the burst; growth "
            f"{results['rss']['growth_per_100_participants_mib']} MiB per 100 participants",
            flush=True,
        )
        from pbp_facilitate.store import Store

        with Store(db_url) as store:
            stored = sum(store.count_submissions(s.id) for s in store.list_sessions())
        expected = len(warm.acked) + len(think.acked) + len(burst.acked)
        results["stored_equals_acked"] = stored == expected
        print(f"  stored {stored} rows for {expected} acknowledgements", flush=True)
        if args.baseline:
            print("Baseline: a Voilà widget form notebook, one kernel per participant", flush=True)
            results["baseline"] = []
            for n in args.baseline_n:
                results["baseline"].append(await baseline(folder, n, token))
            ours_mib = max(growth_think / args.participants, 0.001)
            for b in results["baseline"]:
                b["memory_ratio_vs_intake"] = round(b["mib_per_participant"] / ours_mib)
                page = b["page_p50_s"] * 1000 / max(results["think"]["form_p50_ms"], 0.01)
                b["page_ratio_vs_intake"] = (
                    round(page) if page == page else None
                )  # NaN: no page rendered
            print(
                "  ratio (kernel per participant / intake): "
                + ", ".join(
                    f"N={b['n']}: memory x{b['memory_ratio_vs_intake']}, page time "
                    f"x{b['page_ratio_vs_intake']}"
                    for b in results["baseline"]
                ),
                flush=True,
            )
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--participants", type=int, default=300)
    ap.add_argument("--ideas", type=int, default=3)
    ap.add_argument(
        "--think", type=float, default=4.0, help="Mean think time between ideas, seconds."
    )
    ap.add_argument(
        "--ip-ceiling", type=int, default=0, help="Override the per-IP ceiling per minute."
    )
    ap.add_argument("--no-baseline", dest="baseline", action="store_false")
    ap.add_argument("--baseline-n", type=int, nargs="*", default=[5, 20, 50])
    ap.add_argument(
        "--quick", action="store_true", help="30 participants, short think time, baseline N=2."
    )
    ap.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    args = ap.parse_args(argv)
    if args.participants > 2000:
        ap.error("at most 2000 participants (the benchmark is bounded)")
    if args.quick:
        args.participants, args.think, args.baseline_n = 30, 0.5, [2]
    results = asyncio.run(main_async(args))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
