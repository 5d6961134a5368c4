"""Database work off the event loop: a reader pool and one writer thread.

Every :class:`~pbp_facilitate.store.Store` call of a request handler runs
here, so a slow ``fsync`` delays only the writes queued behind it, never the
pages being served. SQLite takes one writer at a time anyway, so writes go
through a single thread (no lock contention, no busy waits); PostgreSQL gets
a few writer threads.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from ..store import Store

__all__ = ["DbWorker"]

_T = TypeVar("_T")


class DbWorker:
    """Run store calls in threads and await them from Tornado handlers.

    Parameters
    ----------
    store : Store
        The open store; its engine is thread-safe.
    readers : int
        Threads for reads.
    writers : int, optional
        Threads for writes; default 1 on SQLite, 4 on PostgreSQL.
    """

    def __init__(self, store: Store, *, readers: int = 4, writers: int | None = None) -> None:
        self.store = store
        if writers is None:
            writers = 1 if store.dialect == "sqlite" else 4
        self._readers = ThreadPoolExecutor(max_workers=readers, thread_name_prefix="pbp-read")
        self._writers = ThreadPoolExecutor(max_workers=writers, thread_name_prefix="pbp-write")

    async def read(self, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """Run ``fn(*args, **kwargs)`` in the reader pool and return its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, functools.partial(fn, *args, **kwargs))

    async def write(self, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """Run ``fn(*args, **kwargs)`` in the writer thread(s); return after it (and its COMMIT) finished."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writers, functools.partial(fn, *args, **kwargs))

    def close(self) -> None:
        """Wait for queued work, then stop the threads."""
        self._writers.shutdown(wait=True)
        self._readers.shutdown(wait=True)
