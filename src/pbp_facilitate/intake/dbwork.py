"""Database work off the event loop: a reader pool and one group-committing writer thread.

Every :class:`~pbp_facilitate.store.Store` call of a request handler runs
here, so a slow ``fsync`` delays only the writes queued behind it, never the
pages being served.

All writes go through ONE writer thread (SQLite takes one writer at a time
anyway, so there is no lock contention and no busy waiting). Ideas queued
while a COMMIT is in progress are written together in the next transaction
(:meth:`Store.add_submission_group`, a savepoint each): one ``fsync`` for
the whole group, and still no idea is acknowledged before its COMMIT. Reactions are grouped
the same way (:meth:`Store.add_reaction_group`).

Long computations that read and write the store themselves (a theme refit after a
facilitator's edit) run in a third, single thread (:meth:`DbWorker.compute`), so they
never hold up ideas or pages.
"""

from __future__ import annotations

import asyncio
import functools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from ..errors import PbpError
from ..store import NewReaction, NewSubmission, Store, SubmissionRecord

__all__ = ["DbWorker"]

_T = TypeVar("_T")
_STOP = object()


class DbWorker:
    """Run store calls in threads and await them from Tornado handlers.

    Parameters
    ----------
    store : Store
        The open store; its engine is thread-safe.
    readers : int
        Threads for reads.
    max_group : int
        Most ideas committed in one transaction.
    """

    def __init__(self, store: Store, *, readers: int = 4, max_group: int = 128) -> None:
        self.store = store
        self.max_group = max_group
        self._readers = ThreadPoolExecutor(max_workers=readers, thread_name_prefix="pbp-read")
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write_loop, name="pbp-write", daemon=True)
        self._writer.start()
        self._compute = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pbp-compute")
        self.groups = 0  # transactions of ideas committed (for benchmarks)
        self.ideas = 0
        self.reaction_groups = 0  # transactions of reactions committed
        self.reactions = 0

    async def read(self, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """Run ``fn(*args, **kwargs)`` in the reader pool and return its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, functools.partial(fn, *args, **kwargs))

    async def write(self, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """Run ``fn(*args, **kwargs)`` in the writer thread; return after it (and its COMMIT)
        finished.
        """
        fut: Future[_T] = Future()
        self._queue.put(("call", functools.partial(fn, *args, **kwargs), fut))
        return await asyncio.wrap_future(fut)

    async def compute(self, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """Run a long ``fn(*args, **kwargs)`` (e.g. a theme refit) in the compute thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._compute, functools.partial(fn, *args, **kwargs))

    def submit_compute(self, fn: Callable[[], Any]) -> None:
        """Queue ``fn()`` in the compute thread without waiting (e.g. loading a model)."""
        self._compute.submit(fn)

    async def add_idea(self, session_id: int, item: NewSubmission) -> tuple[SubmissionRecord, bool]:
        """Store one idea with the next group commit; return ``(record, created)`` after COMMIT.

        Raises the item's own error (ClosedError, NotFoundError, ValidationError)
        or the StoreError of a failed COMMIT.
        """
        fut: Future[tuple[SubmissionRecord, bool]] = Future()
        self._queue.put(("idea", (session_id, item), fut))
        return await asyncio.wrap_future(fut)

    async def add_reaction(self, session_id: int, item: NewReaction) -> bool:
        """Store one reaction with the next group commit of reactions; return True when it
        changed, after COMMIT.

        Raises the item's own error (ClosedError, NotFoundError, ValidationError) or the
        StoreError of a failed COMMIT.
        """
        fut: Future[bool] = Future()
        self._queue.put(("reaction", (session_id, item), fut))
        return await asyncio.wrap_future(fut)

    def _write_loop(self) -> None:
        pending: Any = None
        while True:
            job = pending if pending is not None else self._queue.get()
            pending = None
            if job is _STOP:
                return
            kind, payload, fut = job
            if kind == "call":
                self._run_call(payload, fut)
                continue
            group = [(payload, fut)]
            while len(group) < self.max_group:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is _STOP or nxt[0] != kind:
                    pending = nxt
                    break
                group.append((nxt[1], nxt[2]))
            self._run_group(group, kind)

    @staticmethod
    def _run_call(fn: Callable[[], Any], fut: Future[Any]) -> None:
        if not fut.set_running_or_notify_cancel():
            return
        try:
            fut.set_result(fn())
        except BaseException as exc:  # handed to the awaiting handler
            fut.set_exception(exc)

    def _run_group(self, group: list[tuple[tuple[int, Any], Future[Any]]], kind: str) -> None:
        live = [(item, fut) for item, fut in group if fut.set_running_or_notify_cancel()]
        if not live:
            return
        try:
            items = [item for item, _ in live]
            results: list[Any] = (
                self.store.add_reaction_group(items)
                if kind == "reaction"
                else self.store.add_submission_group(items, require_open=True)
            )
        except BaseException as exc:  # the COMMIT failed: nothing of the group is stored
            for _, fut in live:
                fut.set_exception(exc)
            return
        if kind == "reaction":
            self.reaction_groups += 1
            self.reactions += len(live)
        else:
            self.groups += 1
            self.ideas += len(live)
        for (_, fut), res in zip(live, results, strict=True):
            if isinstance(res, PbpError):
                fut.set_exception(res)
            else:
                fut.set_result(res)

    def close(self) -> None:
        """Finish queued work, then stop the threads."""
        if self._writer.is_alive():
            self._queue.put(_STOP)
            self._writer.join(60)
        self._readers.shutdown(wait=True)
        self._compute.shutdown(wait=True)
