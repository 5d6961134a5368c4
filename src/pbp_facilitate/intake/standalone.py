"""Run the intake app (no Voilà) on a background thread: for tests, benchmarks and embedding.

Example
-------
>>> with IntakeServer(settings, store) as srv:          # doctest: +SKIP
...     httpx.get(srv.url + "/join")
"""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any

import tornado.httpserver

from ..settings import Settings
from ..store import Store
from . import build_app
from .context import IntakeContext, http_server_options

__all__ = ["IntakeServer", "free_port"]


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free on ``host`` right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class IntakeServer:
    """The intake routes served on ``127.0.0.1:<free port>`` by a thread with its own event loop.

    Parameters
    ----------
    settings : Settings
        Limits and languages.
    store : Store
        The open store (not closed by :meth:`stop`).
    token : str
        Facilitator token.
    """

    def __init__(
        self, settings: Settings, store: Store, *, token: str = "test-token-123", port: int = 0
    ) -> None:
        self.settings = settings
        self.store = store
        self.token = token
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ctx: IntakeContext | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="intake-server", daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            app, self.ctx = build_app(self.settings, self.store, port=self.port, token=self.token)
            server = tornado.httpserver.HTTPServer(app, **http_server_options(self.settings))
            server.listen(self.port, "127.0.0.1")
            self._ready.set()
            await self._stop.wait()
            server.stop()
            await server.close_all_connections()

        try:
            asyncio.run(main())
        except BaseException as exc:  # surfaced by start()
            self._error = exc
            self._ready.set()

    def start(self) -> IntakeServer:
        """Start serving; return self once the port accepts connections."""
        self._thread.start()
        self._ready.wait(30)
        if self._error is not None:
            raise RuntimeError(f"The intake server did not start: {self._error!r}") from self._error
        return self

    def stop(self) -> None:
        """Stop serving and wait for queued database work (a second call does nothing)."""
        if self._thread.is_alive() and self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(30)
        if self.ctx is not None:
            self.ctx.close()
            self.ctx = None

    def __enter__(self) -> IntakeServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
