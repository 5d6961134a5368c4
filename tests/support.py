"""What the tests that run real servers and a real browser share: one way to start ``pbp serve``
as a child process, the free-port rule, Chromium's path and flags, a phone's viewport, and the
axe-core reading.

The ``browser`` fixture itself is in ``conftest.py``; modules import these names with
``from support import ...`` (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "PBP",
    "PHONE",
    "ROOT",
    "Served",
    "axe_findings",
    "free_port",
    "intake_servers",
]

ROOT = Path(__file__).resolve().parents[1]
PBP = str(Path(sys.executable).with_name("pbp"))
CHROMIUM = "/usr/bin/chromium"
"""Debian's chromium (apt-get install chromium); Playwright never downloads a browser here."""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
"""A small phone for ``browser.new_context(**PHONE)``."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def axe_findings(page: Any, impacts: tuple[str, ...] | None = ("serious", "critical")) -> list[str]:
    """Run axe-core on ``page``; one line per violation of the given impacts (None: any)."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [
        f"{v['id']} [{v.get('impact')}]: {v['help']} ({len(v['nodes'])} nodes, e.g. "
        f"{v['nodes'][0]['target']})"
        for v in result.response["violations"]
        if impacts is None or v.get("impact") in impacts
    ]


class Served:
    """A real ``pbp serve`` child process on a free port of 127.0.0.1, started once its banner
    is printed.

    Parameters
    ----------
    args : list of str
        Extra ``pbp serve`` arguments (``--token``, ``--no-preheat``, ...).
    cwd : Path
        Working folder of the process.
    env : dict, optional
        Extra environment; every inherited ``PBP_*`` variable is dropped first.
    db : str, optional
        Database URL (default a SQLite file ``pbp.sqlite3`` in ``cwd``).
    workbooks : Path, optional
        Workbooks folder (default ``cwd / "workbooks"``).
    log : Path, optional
        Send the server's log (stderr) to this file; by default it is piped and read by
        :meth:`stop_and_read_log` (fine for short runs; a long one should log to a file so the
        pipe never fills).
    """

    def __init__(
        self,
        args: list[str],
        cwd: Path,
        env: dict[str, str] | None = None,
        *,
        db: str | None = None,
        workbooks: Path | None = None,
        log: Path | None = None,
    ) -> None:
        self.port = free_port()
        self.log_path = log
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("PBP_")}
        full_env.update(env or {})
        self._log: IO[str] | None = open(log, "w+", encoding="utf-8") if log else None  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                PBP,
                "--db",
                db or f"sqlite:///{cwd / 'pbp.sqlite3'}",
                "serve",
                "--port",
                str(self.port),
                "--no-browser",
                "--workbooks",
                str(workbooks or cwd / "workbooks"),
                *args,
            ],
            cwd=cwd,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=self._log or subprocess.PIPE,
            text=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        try:
            self.banner = self._read_banner()
        except BaseException:
            self.stop()
            raise

    def log_text(self) -> str:
        """What the server has logged so far (only with ``log=``)."""
        if self._log is None:
            return ""
        self._log.flush()
        return Path(self.log_path or "").read_text(encoding="utf-8", errors="replace")

    def _read_banner(self) -> str:
        lines: list[str] = []
        deadline = time.monotonic() + 90
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                if self._log is not None:
                    err = self.log_text()
                else:
                    err = self.proc.stderr.read() if self.proc.stderr else ""
                raise AssertionError(f"pbp serve exited early: {''.join(lines)}\n{err[-3000:]}")
            lines.append(line)
            if line.startswith("  Stop with Ctrl+C"):
                return "".join(lines)
        raise AssertionError("pbp serve printed no banner within 90 s")

    def stop_and_read_log(self) -> str:
        """SIGTERM the server and return everything it logged."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            _, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate(timeout=10)
        text = self.log_text() if self._log is not None else err
        self._close()
        return text

    def stop(self) -> int:
        """SIGTERM (then SIGKILL after 30 s) and return the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._close()
        return int(self.proc.returncode)

    def _close(self) -> None:
        for stream in (self.proc.stdout, self.proc.stderr, self._log):
            if stream is not None:
                stream.close()


@contextmanager
def intake_servers(
    folder: Path, survey: Any, token: str, *, title: str, code: Callable[[int], str]
) -> Iterator[Callable[..., tuple[Any, Any, Any]]]:
    """A factory of real intake servers (no Voilà), each with its own fresh SQLite store and one
    session; ``make(**setting overrides)`` returns ``(server, store, session)``. Every server and
    store is stopped and closed on exit.
    """
    from pbp_facilitate.intake.standalone import IntakeServer
    from pbp_facilitate.settings import load_settings
    from pbp_facilitate.store import Store

    made: list[tuple[Any, Any]] = []

    def make(**overrides: Any) -> tuple[Any, Any, Any]:
        store = Store(f"sqlite:///{folder / f'pbp{len(made)}.sqlite3'}")
        sess = store.create_session(survey, title, code=code(len(made)))
        srv = IntakeServer(
            load_settings({"page_cache_s": 0, **overrides}, environ={}), store, token=token
        ).start()
        made.append((srv, store))
        return srv, store, sess

    try:
        yield make
    finally:
        for srv, store in made:
            srv.stop()
            store.close()
