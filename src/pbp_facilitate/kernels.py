"""Facilitator kernels of ``pbp serve``: the kit's environment, and no kernel left behind.

A Voilà page costs a kernel. Two things used to leave them behind, so reloads stacked one
kernel per load:

* **Voilà's own shutdown on unload failed.** On ``beforeunload`` Voilà's page posts
  ``/voila/api/shutdown/<kernel id>`` with ``navigator.sendBeacon``, putting the ``_xsrf``
  cookie's value in the form (a beacon cannot set headers). A dashboard served from the
  preheated pool is rendered before any request arrives, so nothing in the page's response
  ever set the ``_xsrf`` cookie: the beacon carried an empty token and got 403 "'_xsrf'
  argument missing from POST" (upstream voila#1458). :class:`XsrfCookieVoilaHandler` sets the
  cookie on every dashboard response, so the unload shutdown works: a reload frees the old
  kernel at once.
* **A tab that vanished without its beacon** (a crashed browser, a killed phone app) kept a
  dashboard kernel that its own timers kept "active", so Jupyter's idle rule never removed it.
  :class:`PbpKernelManager` shuts a kernel down :attr:`~PbpKernelManager.closed_tab_timeout`
  seconds after its last websocket closed, unless a connection came back meanwhile (a Wi-Fi
  drop), with a timer set when the last websocket closes; a kernel handed to a page that never
  connected at all (a reload while the page was still loading) goes after the same time, at
  least :data:`UNCLAIMED_GRACE_S` after its notebook ran. Kernels
  waiting in Voilà's preheated pool are never touched.

An open tab's kernel is never shut down by these rules: it has a websocket.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Dict, Integer
from voila.tornado.handler import TornadoVoilaHandler

__all__ = ["PbpKernelManager", "XsrfCookieVoilaHandler", "with_xsrf_cookie", "UNCLAIMED_GRACE_S"]

UNCLAIMED_GRACE_S = 60
"""Shortest time a kernel handed to a page waits for the page's first websocket (after its
notebook ran) before it is shut down; the closed-tab timeout when that is longer."""


class PbpKernelManager(AsyncMappingKernelManager):
    """Kernel manager that adds the kit's variables to every kernel's environment (pooled or
    not) and shuts down the kernels of closed tabs.
    """

    pbp_env = Dict(
        {}, help="Environment variables added to every kernel (database URL, public URL, token)."
    )

    closed_tab_timeout = Integer(
        90,
        config=True,
        help="Shut a kernel down this many seconds after its last browser connection closed "
        "(a closed tab whose unload shutdown did not arrive), whatever its own activity, unless "
        "a connection came back meanwhile; also a kernel handed to a page that never connected. "
        "0 turns this off.",
    )
    _closed_at = Dict({})  # kernel id -> monotonic time its last websocket closed
    _unclaimed_at = Dict({})  # kernel id -> when first seen out of the pool with no connection
    _ever_connected = Dict({})  # kernel id -> True once a websocket connected
    _checks: set[asyncio.Task[None]] = set()  # noqa: RUF012 - replaced per instance below

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._checks = set()

    def notify_connect(self, kernel_id: str) -> None:  # noqa: D102
        super().notify_connect(kernel_id)
        self._closed_at.pop(kernel_id, None)
        self._unclaimed_at.pop(kernel_id, None)
        self._ever_connected[kernel_id] = True

    def notify_disconnect(self, kernel_id: str) -> None:  # noqa: D102
        super().notify_disconnect(kernel_id)
        if self._kernel_connections.get(kernel_id, 1) > 0:
            return
        closed = self._closed_at[kernel_id] = time.monotonic()
        if self.closed_tab_timeout <= 0:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a unit test): the cull pass still applies the rule
            return
        loop.call_later(self.closed_tab_timeout + 0.5, self._check_later, kernel_id, closed)

    def _check_later(self, kernel_id: str, closed: float) -> None:
        task = asyncio.get_running_loop().create_task(
            self._shutdown_if_still_closed(kernel_id, closed)
        )
        self._checks.add(task)  # a reference until done (the loop keeps only a weak one)
        task.add_done_callback(self._checks.discard)

    async def _shutdown_if_still_closed(self, kernel_id: str, closed: float) -> None:
        """Shut ``kernel_id`` down if its last websocket closed at ``closed`` and none came
        back since."""
        if self._closed_at.get(kernel_id) != closed or kernel_id not in self._kernels:
            return
        if self._kernel_connections.get(kernel_id, 0) > 0:
            return
        self.log.info(
            "Shutting down kernel %s: its last dashboard tab closed %d s ago.",
            kernel_id,
            int(time.monotonic() - closed),
        )
        self._forget(kernel_id)
        try:
            await self.shutdown_kernel(kernel_id)
        except KeyError:  # shut down meanwhile (the page's unload request)
            pass

    def _forget(self, kernel_id: str) -> None:
        for table in (self._closed_at, self._unclaimed_at, self._ever_connected):
            table.pop(kernel_id, None)

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:  # noqa: D102
        self._forget(kernel_id)
        await super().shutdown_kernel(kernel_id, *args, **kwargs)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Jupyter's idle rule, plus the closed-tab rule (see :attr:`closed_tab_timeout`).

        Voilà's pool manager calls this only for kernels outside its pool, so every kernel
        seen here was handed to a page (or started for one).
        """
        for table in (self._closed_at, self._unclaimed_at, self._ever_connected):
            for stale in set(table) - set(self._kernels):
                table.pop(stale, None)
        now = time.monotonic()
        timeout = self.closed_tab_timeout
        closed = self._closed_at.get(kernel_id)
        if (
            closed is None
            and not self._ever_connected.get(kernel_id)
            and self._kernel_connections.get(kernel_id, 0) <= 0
        ):
            # the clock starts once the notebook ran (its page may still be rendering before)
            state = getattr(self._kernels.get(kernel_id), "execution_state", "idle")
            closed = (
                self._unclaimed_at.setdefault(kernel_id, now)
                if state == "idle"
                else self._unclaimed_at.get(kernel_id)
            )
        if closed is not None and kernel_id in self._unclaimed_at:
            timeout = max(timeout, UNCLAIMED_GRACE_S) if timeout > 0 else 0
        if (
            closed is not None
            and timeout > 0
            and now - closed > timeout
            and self._kernel_connections.get(kernel_id, 0) <= 0
        ):
            self.log.info(
                "Shutting down kernel %s: its last dashboard tab closed %d s ago."
                if kernel_id in self._closed_at
                else "Shutting down kernel %s: no dashboard tab connected in %d s.",
                kernel_id,
                int(now - closed),
            )
            await self.shutdown_kernel(kernel_id)
            return
        await super().cull_kernel_if_idle(kernel_id)

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        """Start a kernel with :attr:`pbp_env` added to its environment."""
        env = dict(kwargs.get("env") or {}) or dict(os.environ)
        env.update(self.pbp_env)
        kwargs["env"] = env
        return await super().start_kernel(*args, **kwargs)


class XsrfCookieVoilaHandler(TornadoVoilaHandler):
    """Voilà's page handler, setting the ``_xsrf`` cookie on every dashboard response.

    Voilà's page reads that cookie when the tab closes or reloads and sends it with its
    kernel shutdown request; a page from the preheated pool never set it, so the request was
    refused (403) and the kernel stayed.
    """

    async def prepare(self) -> None:  # noqa: D102
        await super().prepare()
        if self.current_user is not None:
            _ = self.xsrf_token  # tornado sets the cookie when the token is first read


def with_xsrf_cookie(rules: list[Any]) -> list[Any]:
    """Return Tornado ``rules`` with Voilà's page handler replaced by
    :class:`XsrfCookieVoilaHandler`."""
    return [
        (rule[0], XsrfCookieVoilaHandler, *rule[2:])
        if isinstance(rule, tuple) and len(rule) > 1 and rule[1] is TornadoVoilaHandler
        else rule
        for rule in rules
    ]
