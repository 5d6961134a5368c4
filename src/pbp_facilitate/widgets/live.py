"""The live poller: an asyncio task in the kernel that notices store changes.

Every ``interval`` seconds it reads :meth:`Store.data_version` (on SQLite a
``PRAGMA data_version`` on a kept connection, nearly free when idle) and
calls ``on_tick(changed)``. Callbacks may be plain functions or coroutines;
a failing callback is reported in :attr:`LivePoller.last_error` (cleared by
the next good tick), the refresh is retried, and the poller keeps going (a
live session must not die of one bad refresh).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, Self, TypeVar

from ..settings import Settings, load_settings
from ..store import Store, open_store

__all__ = ["LivePoller", "LiveWidget", "open_live"]

TickCallback = Callable[[bool], Awaitable[None] | None]


class LivePoller:
    """Poll ``store`` for changes on the running event loop.

    Parameters
    ----------
    store : Store
        The store to watch.
    on_tick : callable
        Called with ``changed`` (``True`` when the data version moved since
        the last tick, and on the first tick) after every poll.
    interval : float
        Seconds between polls (``settings.poll_interval_s``).
    """

    def __init__(self, store: Store, on_tick: TickCallback, *, interval: float = 1.0) -> None:
        if interval <= 0:
            raise ValueError(
                f"Poll interval must be positive seconds, got {interval!r}; "
                "set PBP_POLL_INTERVAL_S to e.g. 1.0."
            )
        self.store = store
        self.on_tick = on_tick
        self.interval = float(interval)
        self.ticks = 0
        self.changes = 0
        self.last_error: BaseException | None = None
        self._version: int | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """True while the polling task is alive."""
        return self._task is not None and not self._task.done()

    def start(self) -> asyncio.Task[None]:
        """Start polling on the running loop (in a notebook: the kernel's loop); idempotent."""
        if self.running:
            assert self._task is not None
            return self._task
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError as exc:
            raise RuntimeError(
                "LivePoller.start() needs a running event loop, as in a Jupyter kernel or Voilà, "
                "and got none; outside a kernel call `await poller.tick()` from your own loop, or "
                "refresh() the panels."
            ) from exc
        self._task = loop.create_task(self._run(), name="pbp-live-poller")
        return self._task

    def stop(self) -> None:
        """Cancel the polling task."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def mark_changed(self) -> None:
        """Make the next tick report ``changed=True`` (e.g. after switching sessions)."""
        self._version = None

    async def tick(self) -> bool:
        """Poll once and run the callback; return whether the data changed."""
        try:
            version = self.store.data_version()
        except Exception as exc:  # noqa: BLE001 - the database may be briefly unavailable
            self.last_error = exc
            return False
        changed = version != self._version
        self._version = version
        self.ticks += 1
        self.changes += int(changed)
        try:
            result: Any = self.on_tick(changed)
            if inspect.isawaitable(result):
                await result
        except Exception as exc:  # noqa: BLE001 - keep the session alive, show the error
            self.last_error = exc
            self._version = None  # retry the refresh on the next tick
        else:
            self.last_error = None
        return changed

    async def _run(self) -> None:
        while True:
            await self.tick()
            await asyncio.sleep(self.interval)


class LiveWidget:
    """Mixin of the live panels: ``start``/``stop`` their :attr:`poller`."""

    poller: LivePoller

    def start(self) -> Self:
        """Start live updates on the kernel's event loop (never blocks a cell); return self."""
        self.poller.start()
        return self

    def stop(self) -> None:
        """Stop live updates."""
        self.poller.stop()


_W = TypeVar("_W", bound=LiveWidget)


def open_live(
    cls: type[_W],
    code: str | None,
    settings: Settings | None,
    store: Store | None,
    start: bool,
    **kw: Any,
) -> _W:
    """Build the live panel ``cls`` from the settings (store opened from them) and start it.

    Parameters
    ----------
    cls : type
        A :class:`LiveWidget` whose constructor takes ``(store, settings, code=..., **kw)``.
    code : str or None
        Session join code to open first.
    settings : Settings or None
        Default :func:`~pbp_facilitate.settings.load_settings`.
    store : Store or None
        Default opened from the settings.
    start : bool
        Start the live poller (needs a running event loop, as in a kernel).
    **kw
        Passed to ``cls``.

    Returns
    -------
    The panel.
    """
    settings = settings or load_settings()
    store = store or open_store(settings)
    panel = cls(store, settings, code=code, **kw)  # type: ignore[call-arg]
    if start:
        panel.start()
    return panel
