"""``pbp serve --workers N``: participant pages and the facilitator API in N processes.

Process model (PostgreSQL only; SQLite takes one writer at a time, so more processes would only
queue behind its lock):

* The **primary** (the ``pbp serve`` process) opens the store (migrations run once, here),
  creates the shared rate-limit folder (:func:`limits_folder`), binds N listening sockets on
  ``--port`` with ``SO_REUSEPORT`` (the kernel spreads new connections over them) and starts
  N **workers** (``python -m pbp_facilitate.intake.workers``), each handed one socket. It then
  runs the Voilà dashboards (kernels, login page) on ``--dashboard-port`` in its own event
  loop, with the participant and API routes there too. A supervisor thread restarts a worker
  that dies (its socket, and the connections queued on it, stay open in the primary meanwhile).
* A **worker** reads its spec as one JSON line on stdin (never on the command line: it holds
  the token and the cookie secret), opens its own connection pool, and serves the intake
  routes (:func:`pbp_facilitate.intake.build_app`: ``/join``, ``/s/...``, ``/pbp/api/...``,
  ``/pbp/static/...``) on its socket. It stops on SIGTERM or SIGINT (finishing queued
  database work) and when its stdin closes, which happens when the primary is gone, however
  it ended: no orphans.

Shared between the processes: the database, the install secret in ``<data_dir>`` (so a key
signed by one worker is accepted by every other), the facilitator token and a cookie secret
made by the primary (so the login cookie of the dashboards is accepted by the API in every
worker), and the rate limits (named :class:`~pbp_facilitate.intake.ratelimit.TokenBuckets` in
shared memory, see :func:`~pbp_facilitate.intake.ratelimit.share_buckets`). Not shared: the
1 s page cache of each worker, so a change made through one worker's API reaches the pages
another worker serves within ``page_cache_s``, as a change made by a workbook always did.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..errors import ConfigError
from ..settings import Settings

__all__ = [
    "WorkerPool",
    "check_workers",
    "limits_folder",
    "clean_stale_limit_folders",
    "remove_orphaned_folders",
    "worker_main",
    "LIMITS_PREFIX",
    "MAX_WORKERS",
]

LIMITS_PREFIX = "pbp-limits-"
"""Name prefix of the per-run folder holding the shared rate-limit tables."""
MAX_WORKERS = 64
"""Most worker processes ``pbp serve --workers`` starts."""
_OWNER = "owner.pid"
_READY = "ready"
log = logging.getLogger("pbp.serve")


def check_workers(settings: Settings, workers: int) -> None:
    """Raise :class:`ConfigError` unless ``workers`` processes can serve ``settings``' store.

    One worker serves any store; more need PostgreSQL.
    """
    if not 1 <= int(workers) <= MAX_WORKERS:
        raise ConfigError(
            f"--workers must be between 1 and {MAX_WORKERS}, got {workers}; one per CPU core "
            "is a good start."
        )
    if workers == 1:
        return
    backend = sa.engine.make_url(settings.resolved_database_url).get_backend_name()
    if backend != "postgresql":
        raise ConfigError(
            f"--workers {workers} needs a PostgreSQL database, but this one is {backend} "
            f"({settings.resolved_database_url}). SQLite takes one writer at a time, so more "
            "processes would only wait for each other. Either leave out --workers (one process "
            "serves a room of hundreds) or pass --db postgresql+psycopg://user@host/dbname "
            "(see docs/deploy.md)."
        )


def _shm_root() -> Path:
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())


def remove_orphaned_folders(base: Path, pattern: str, owner_file: str) -> int:
    """Remove the folders ``base/pattern`` whose ``owner_file`` names a process that is gone.

    The one rule for what a killed ``pbp serve`` leaves behind (kernel connection folders,
    rate-limit tables): a folder without a readable owner file, or whose owner still runs (and is
    not this process), is left alone. Returns how many were removed.
    """
    import psutil

    removed = 0
    for folder in base.glob(pattern):
        try:
            pid = int((folder / owner_file).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue
        if pid != os.getpid() and psutil.pid_exists(pid):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += not folder.exists()
    return removed


def clean_stale_limit_folders(root: str | Path | None = None) -> int:
    """Remove rate-limit folders left by a ``pbp serve --workers`` that was killed.

    Only folders whose owner file names a process that is gone are removed. Returns how many.
    """
    base = Path(root) if root is not None else _shm_root()
    return remove_orphaned_folders(base, LIMITS_PREFIX + "*", _OWNER)


def limits_folder(root: str | Path | None = None) -> Path:
    """Create this run's private folder (mode 0700) for the shared rate-limit tables.

    It lives in memory (``/dev/shm`` when available) and holds only salted hashes and counts;
    :meth:`WorkerPool.stop` removes it, and the next start removes one left by a killed run.
    """
    base = Path(root) if root is not None else _shm_root()
    clean_stale_limit_folders(base)
    folder = Path(tempfile.mkdtemp(prefix=LIMITS_PREFIX, dir=base))
    (folder / _OWNER).write_text(str(os.getpid()), encoding="ascii")
    return folder


def _bind(host: str, port: int, count: int) -> list[list[socket.socket]]:
    """``count`` groups of listening sockets on one port (``SO_REUSEPORT``).

    A plain bind first, so a port another program (or another ``pbp serve``) holds is a clear
    error rather than a silently shared port.
    """
    import tornado.netutil

    address = host or None
    try:
        probe = tornado.netutil.bind_sockets(port, address)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise ConfigError(
                f"Could not listen on {host}:{port} ({exc}); pass a free port with --port."
            ) from exc
        raise
    port = probe[0].getsockname()[1]
    for s in probe:
        s.close()
    groups = []
    try:
        for _ in range(count):
            groups.append(tornado.netutil.bind_sockets(port, address, reuse_port=True))
    except OSError as exc:
        for group in groups:
            for s in group:
                s.close()
        raise ConfigError(
            f"Could not listen on {host}:{port} with {count} workers ({exc}); pass a free "
            "port with --port."
        ) from exc
    return groups


class WorkerPool:
    """The N worker processes of ``pbp serve --workers N`` and their sockets.

    Parameters
    ----------
    settings : Settings
        The settings every worker gets (PostgreSQL; folders are made absolute).
    workers : int
        How many worker processes.
    token : str
        The facilitator token (the API in every worker accepts it).
    cookie_secret : bytes
        Signs the login cookie; the primary's Voilà uses the same one.
    log_level : str
        Logging level of the workers.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        workers: int,
        token: str,
        cookie_secret: bytes,
        log_level: str = "INFO",
    ) -> None:
        check_workers(settings, workers)
        self.settings = settings.replace(
            database_url=settings.resolved_database_url,  # PostgreSQL: no relative path
            data_dir=Path(settings.data_dir).resolve(),
            surveys_dir=Path(settings.surveys_dir).resolve(),
            workbooks_dir=Path(settings.workbooks_dir).resolve(),
            outputs_dir=Path(settings.outputs_dir).resolve(),
        )
        self.workers = int(workers)
        self.token = token
        self.cookie_secret = cookie_secret
        self.log_level = log_level
        self.port = int(settings.port)
        self.folder: Path | None = None
        self._sockets: list[list[socket.socket]] = []
        self._procs: list[subprocess.Popen[bytes] | None] = []
        self._restarts: list[list[float]] = []
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._supervisor: threading.Thread | None = None

    # -- starting ----------------------------------------------------------------------------

    def start(self) -> None:
        """Bind the port, create the limits folder and start every worker (without waiting
        for them: see :meth:`wait_ready`).

        Raises
        ------
        ConfigError
            When the port is taken.
        """
        self._sockets = _bind(self.settings.host, self.port, self.workers)
        self.port = self._sockets[0][0].getsockname()[1]
        self.folder = limits_folder()
        try:
            self._procs = [self._spawn(i) for i in range(self.workers)]
            self._restarts = [[] for _ in range(self.workers)]
        except BaseException:
            self.stop()
            raise

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Return once every worker serves, then watch them (a worker that dies is restarted).

        Raises
        ------
        ConfigError
            When a worker cannot start (its messages are on stderr); every worker is stopped.
        """
        try:
            for i in range(self.workers):
                self._wait_ready(i, timeout)
        except BaseException:
            self.stop()
            raise
        self._supervisor = threading.Thread(target=self._supervise, name="pbp-workers", daemon=True)
        self._supervisor.start()

    def _spec(self, index: int) -> dict[str, Any]:
        values = {
            k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(self.settings).items()
        }
        values["port"] = self.port
        return {
            "settings": values,
            "token": self.token,
            "cookie_secret": self.cookie_secret.hex(),
            "limits": str(self.folder),
            "index": index,
            "workers": self.workers,
            "fds": [s.fileno() for s in self._sockets[index]],
            "log_level": self.log_level,
        }

    def _spawn(self, index: int) -> subprocess.Popen[bytes]:
        spec = self._spec(index)
        proc = subprocess.Popen(
            [sys.executable, "-m", "pbp_facilitate.intake.workers"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            pass_fds=spec["fds"],
            cwd=os.getcwd(),
            start_new_session=False,
        )
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(spec).encode() + b"\n")
        proc.stdin.flush()  # kept open: the worker stops when it closes (the primary is gone)
        return proc

    def _wait_ready(self, index: int, timeout: float) -> None:
        proc = self._procs[index]
        assert proc is not None and proc.stdout is not None
        fd = proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        buf = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                chunk = os.read(fd, 256)
                buf += chunk
                if buf.startswith(_READY.encode()):
                    proc.stdout.close()
                    return
                if not chunk:
                    break
            if proc.poll() is not None:
                break
        code = proc.poll()
        raise ConfigError(
            f"Worker {index + 1} of {self.workers} did not start "
            f"({'exit status ' + str(code) if code is not None else f'no answer in {timeout} s'});"
            " its messages are above. Check that the database is reachable from this machine."
        )

    # -- running -----------------------------------------------------------------------------

    @property
    def pids(self) -> list[int]:
        """Process ids of the running workers."""
        return [p.pid for p in self._procs if p is not None and p.poll() is None]

    def banner_lines(self) -> list[str]:
        """Lines for the startup banner: what runs where."""
        return [
            f"  Workers: {self.workers} processes (pids {', '.join(map(str, self.pids))}) share "
            f"port {self.port} for /join, /s/..., /pbp/api/... and /pbp/static/...; rate limits "
            "are shared between them (this machine only).",
        ]

    def _supervise(self) -> None:
        while not self._stopping.wait(0.5):
            for i in range(self.workers):
                with self._lock:
                    proc = self._procs[i]
                    if proc is None or proc.poll() is None or self._stopping.is_set():
                        continue
                    now = time.monotonic()
                    recent = [t for t in self._restarts[i] if now - t < 60] + [now]
                    self._restarts[i] = recent
                    if len(recent) > 5:
                        log.error(
                            "Worker %d exited %d times within a minute (last status %s); not "
                            "restarting it. The other workers keep serving.",
                            i + 1,
                            len(recent),
                            proc.returncode,
                        )
                        self._procs[i] = None
                        for s in self._sockets[i]:
                            s.close()  # new connections go to the other workers' sockets
                        continue
                    log.warning(
                        "Worker %d (pid %d) exited with status %s; restarting it.",
                        i + 1,
                        proc.pid,
                        proc.returncode,
                    )
                    if proc.stdin is not None:
                        with contextlib.suppress(OSError):
                            proc.stdin.close()
                    self._procs[i] = self._spawn(i)
                try:
                    self._wait_ready(i, 90.0)
                except ConfigError as exc:
                    log.error("%s", exc)

    # -- stopping ----------------------------------------------------------------------------

    def stop(self, timeout: float = 30.0) -> None:
        """Stop every worker (SIGTERM, then SIGKILL after ``timeout`` s), close the sockets and
        remove the limits folder. A second call does nothing.
        """
        self._stopping.set()
        if self._supervisor is not None and self._supervisor is not threading.current_thread():
            self._supervisor.join(timeout)
        with self._lock:
            procs = [p for p in self._procs if p is not None]
            self._procs = []
        for p in procs:
            if p.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for p in procs:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("Worker pid %d did not stop in %.0f s; killing it.", p.pid, timeout)
                p.kill()
                p.wait(10)
            for stream in (p.stdin, p.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
        for group in self._sockets:
            for s in group:
                s.close()
        self._sockets = []
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


# -- the worker process -----------------------------------------------------------------------


async def _serve_worker(spec: dict[str, Any]) -> None:
    import tornado.httpserver

    from ..store import open_store
    from . import build_app
    from .context import http_server_options
    from .ratelimit import share_buckets

    settings = Settings().replace(**spec["settings"])
    share_buckets(spec["limits"])
    store = open_store(settings)
    worker = {"index": int(spec["index"]) + 1, "workers": int(spec["workers"]), "pid": os.getpid()}
    app, ctx = build_app(
        settings,
        store,
        port=int(settings.port),
        token=str(spec["token"]),
        extra_settings={
            "cookie_secret": bytes.fromhex(spec["cookie_secret"]),
            "pbp_worker": worker,
        },
    )
    server = tornado.httpserver.HTTPServer(
        app, xheaders=bool(settings.behind_proxy), **http_server_options(settings)
    )
    server.add_sockets([socket.socket(fileno=fd) for fd in spec["fds"]])
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    def parent_gone() -> None:
        try:
            data = os.read(0, 4096)
        except OSError:
            data = b""
        if not data:
            loop.remove_reader(0)
            stop.set()

    loop.add_reader(0, parent_gone)
    os.write(1, _READY.encode() + b"\n")
    os.dup2(2, 1)  # anything printed later goes to stderr, not the closed pipe
    try:
        await stop.wait()
    finally:
        server.stop()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.close_all_connections(), 5)
        ctx.close()
        store.close()


def worker_main() -> int:
    """Entry point of one worker process (``python -m pbp_facilitate.intake.workers``)."""
    line = sys.stdin.buffer.readline()
    if not line:
        print("pbp worker: no spec on stdin; workers are started by pbp serve --workers N.")
        return 2
    spec = json.loads(line)
    level = getattr(logging, str(spec.get("log_level", "INFO")).upper(), logging.INFO)
    logging.basicConfig(
        level=logging.WARNING,
        format=f"[W{int(spec['index']) + 1} %(levelname).1s %(asctime)s %(name)s] %(message)s",
        stream=sys.stderr,
    )
    for name in ("tornado", "pbp"):  # the server's own lines at the asked level, not alembic's
        logging.getLogger(name).setLevel(level)
    from .logs import install_log_redaction

    install_log_redaction()
    try:
        asyncio.run(_serve_worker(spec))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(worker_main())
