"""In-memory token buckets: a limit per participant key and a ceiling per IP address.

Counts live only in memory and only as long as they matter; no address is
ever written anywhere. A whole room shares one Wi-Fi address, so the per-IP
ceiling is generous and the per-key limit does the real work.

One process keeps its buckets in a dictionary. ``pbp serve --workers N`` calls
:func:`share_buckets` in every process before any bucket exists: each *named*
:class:`TokenBuckets` then keeps its counts in a small table in shared memory
(a file in a private folder under ``/dev/shm``, mapped by every worker and locked with
``flock`` for each update), so a participant whose requests land on different workers is
limited once, not N times. Keys are stored only as salted 64-bit hashes (the salt is random
per table); nothing reaches the disk or the database. Unnamed buckets stay in their process.
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import mmap
import os
import re
import secrets
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError

__all__ = [
    "TokenBuckets",
    "RateLimiter",
    "Verdict",
    "FailureThrottle",
    "share_buckets",
    "shared_buckets_folder",
]

_SHARED_FOLDER: Path | None = None


def share_buckets(folder: str | Path | None) -> None:
    """Keep every named :class:`TokenBuckets` created from now on in shared memory under
    ``folder`` (``None``: back to per-process dictionaries).

    Every process given the same folder shares the counts of the buckets with the same
    ``name``; ``pbp serve --workers N`` creates the folder (mode 0700) and calls this in each
    worker and in the dashboard process before building anything.
    """
    global _SHARED_FOLDER
    _SHARED_FOLDER = Path(folder) if folder is not None else None


def shared_buckets_folder() -> Path | None:
    """The folder given to :func:`share_buckets`, or ``None`` when buckets are per process."""
    return _SHARED_FOLDER


_MAGIC = b"pbpbkt01"
_HEADER = struct.Struct("<8sQ16s")  # magic, slots, salt
_SLOT = struct.Struct("<Qdd")  # key hash (0 = empty), tokens, time of last update
_WINDOW = 16  # a key lives in one of the 16 slots from its hash's position


def _refilled(tokens: float, at: float, now: float, capacity: float, rate: float) -> float:
    """Tokens in a bucket that held ``tokens`` at time ``at``, refilled until ``now``."""
    return min(capacity, tokens + max(0.0, now - at) * rate)


class _SharedTable:
    """Token bucket state of one name, in a file mapped by every worker (see module docs).

    A key's slot is one of :data:`_WINDOW` slots from ``hash % slots``; a new key takes an
    empty slot, else one whose bucket is full again (the same as forgotten), else the one
    updated longest ago, so memory stays bounded as with :meth:`TokenBuckets._prune`.
    """

    def __init__(
        self, folder: Path, name: str, *, max_keys: int, capacity: float, rate: float
    ) -> None:
        self.capacity, self.rate = capacity, rate
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        path = folder / f"{safe}.buckets"
        slots = 1 << max(10, (max(int(max_keys), 1) * 5 // 4 - 1).bit_length())
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise ConfigError(
                f"Cannot open the shared rate-limit table {str(path)!r} ({exc}); its folder "
                "must exist and be writable by this user (pbp serve --workers creates it)."
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            if size == 0:  # the first process using this name creates the table
                size = _HEADER.size + (slots + _WINDOW) * _SLOT.size
                os.ftruncate(fd, size)
                os.pwrite(fd, _HEADER.pack(_MAGIC, slots, secrets.token_bytes(16)), 0)
            self._mm = mmap.mmap(fd, size)
            fcntl.flock(fd, fcntl.LOCK_UN)
        except BaseException:
            os.close(fd)
            raise
        magic, self.slots, self._salt = _HEADER.unpack_from(self._mm, 0)
        self._fd = fd
        if magic != _MAGIC:
            self.close()
            raise ConfigError(f"{str(path)!r} is not a pbp rate-limit table; remove it.")
        self._lock = threading.Lock()  # flock does not separate threads sharing one fd
        self._window = struct.Struct("<" + "Qdd" * _WINDOW)

    def _hash(self, key: str) -> int:
        digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8)
        digest.update(self._salt)
        return int.from_bytes(digest.digest(), "little") or 1

    def _locked(self, key: str, op: str, now: float) -> float:
        h = self._hash(key)
        base = _HEADER.size + (h % self.slots) * _SLOT.size
        with self._lock:
            fcntl.flock(self._fd, fcntl.LOCK_SH if op == "wait" else fcntl.LOCK_EX)
            try:
                row = self._window.unpack_from(self._mm, base)
                slot = next((i for i in range(_WINDOW) if row[3 * i] == h), None)
                level = (
                    self.capacity
                    if slot is None
                    else _refilled(
                        row[3 * slot + 1], row[3 * slot + 2], now, self.capacity, self.rate
                    )
                )
                if op == "wait":
                    return 0.0 if level >= 1 else (1 - level) / self.rate
                if op == "take":
                    if level < 1:
                        return (1 - level) / self.rate
                    level -= 1
                elif slot is None:  # give_back on a forgotten (full) bucket: nothing to do
                    return 0.0
                else:
                    level = min(self.capacity, level + 1)
                if slot is None:
                    slot = self._free_slot(row, now)
                _SLOT.pack_into(self._mm, base + slot * _SLOT.size, h, level, now)
                return 0.0
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _free_slot(self, row: tuple[float, ...], now: float) -> int:
        for i in range(_WINDOW):
            if row[3 * i] == 0:
                return i
        for i in range(_WINDOW):
            if (
                _refilled(row[3 * i + 1], row[3 * i + 2], now, self.capacity, self.rate)
                >= self.capacity
            ):
                return i
        return min(range(_WINDOW), key=lambda i: row[3 * i + 2])

    def take(self, key: str, now: float) -> float:
        """:meth:`TokenBuckets.take` on the shared state."""
        return self._locked(key, "take", now)

    def wait(self, key: str, now: float) -> float:
        """:meth:`TokenBuckets.wait` on the shared state."""
        return self._locked(key, "wait", now)

    def give_back(self, key: str, now: float) -> None:
        """:meth:`TokenBuckets.give_back` on the shared state."""
        self._locked(key, "give_back", now)

    def __len__(self) -> int:
        with self._lock:
            fcntl.flock(self._fd, fcntl.LOCK_SH)
            try:
                hashes = memoryview(self._mm)[_HEADER.size :].cast("Q")
                try:
                    return sum(1 for i in range(0, len(hashes), 3) if hashes[i])
                finally:
                    hashes.release()
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Unmap the table and close its file."""
        self._mm.close()
        os.close(self._fd)


class TokenBuckets:
    """A set of token buckets, one per key, each holding ``capacity`` tokens.

    Parameters
    ----------
    per_minute : int
        Tokens added per minute (also the capacity: a full minute's worth may
        come at once).
    max_keys : int
        Upper bound on remembered keys; full buckets are forgotten first.
    clock : callable
        Monotonic time source (seconds); tests may pass their own.
    name : str
        Names the buckets among the workers of ``pbp serve --workers N``: after
        :func:`share_buckets`, buckets with a name keep their counts in shared memory under it
        (every process with the same name shares them); unnamed buckets stay in this process.
    """

    def __init__(
        self,
        per_minute: int,
        *,
        max_keys: int = 200_000,
        clock: Callable[[], float] = time.monotonic,
        name: str = "",
    ) -> None:
        self.name = name
        self.capacity = float(max(per_minute, 1))
        self.rate = self.capacity / 60.0
        self.max_keys = max_keys
        self.name = name
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        folder = _SHARED_FOLDER
        self._shared = (
            _SharedTable(folder, name, max_keys=max_keys, capacity=self.capacity, rate=self.rate)
            if folder is not None and name
            else None
        )

    def _level(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (self.capacity, now))
        return _refilled(tokens, at, now, self.capacity, self.rate)

    def take(self, key: str) -> float:
        """Take one token for ``key``; return 0 on success, else seconds to wait (nothing taken)."""
        if self._shared is not None:
            return self._shared.take(key, self._clock())
        with self._lock:
            now = self._clock()
            level = self._level(key, now)
            if level < 1:
                return (1 - level) / self.rate
            self._buckets[key] = (level - 1, now)
            if len(self._buckets) > self.max_keys:
                self._prune(now)
            return 0.0

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may take a token again (0 when it may now); nothing is taken."""
        if self._shared is not None:
            return self._shared.wait(key, self._clock())
        with self._lock:
            level = self._level(key, self._clock())
            return 0.0 if level >= 1 else (1 - level) / self.rate

    def give_back(self, key: str) -> None:
        """Return one token taken by :meth:`take` (used when a second limit refused)."""
        if self._shared is not None:
            self._shared.give_back(key, self._clock())
            return
        with self._lock:
            now = self._clock()
            self._buckets[key] = (min(self.capacity, self._level(key, now) + 1), now)

    def _prune(self, now: float) -> None:
        full = [k for k in self._buckets if self._level(k, now) >= self.capacity]
        for k in full:
            del self._buckets[k]
        if len(self._buckets) > self.max_keys:  # still too many: forget the oldest half
            oldest = sorted(self._buckets, key=lambda k: self._buckets[k][1])[
                : len(self._buckets) // 2
            ]
            for k in oldest:
                del self._buckets[k]

    def __len__(self) -> int:
        if self._shared is not None:
            return len(self._shared)
        return len(self._buckets)


@dataclass(frozen=True)
class Verdict:
    """Result of :meth:`RateLimiter.check`: ``allowed`` or seconds to wait."""

    allowed: bool
    retry_after: int = 0


class RateLimiter:
    """Per-participant-key limit plus a per-IP ceiling.

    Parameters
    ----------
    per_key_per_minute : int
        Submissions one participant may send per minute.
    per_ip_per_minute : int
        Ceiling for all participants behind one address.
    name : str
        Prefix of the two buckets' names (``<name>.keys``, ``<name>.ips``), which shares them
        between workers (see :class:`TokenBuckets`); empty keeps them in this process.
    """

    def __init__(
        self,
        per_key_per_minute: int,
        per_ip_per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        name: str = "",
    ) -> None:
        self.keys = TokenBuckets(
            per_key_per_minute, clock=clock, name=f"{name}.keys" if name else ""
        )
        self.ips = TokenBuckets(
            per_ip_per_minute, max_keys=50_000, clock=clock, name=f"{name}.ips" if name else ""
        )

    def check(self, participant_key: str, ip: str) -> Verdict:
        """Take one token from both buckets, or none and say how long to wait."""
        wait = self.keys.take(participant_key)
        if wait:
            return Verdict(False, max(1, math.ceil(wait)))
        wait = self.ips.take(ip)
        if wait:
            self.keys.give_back(participant_key)
            return Verdict(False, max(1, math.ceil(wait)))
        return Verdict(True)


class FailureThrottle:
    """Per-address throttle of failures (wrong session codes, failed facilitator logins).

    Each failure takes a token from the address's bucket (``per_minute`` tokens, refilled
    continuously); while the bucket is empty the address is refused and told how long to wait,
    so guessing slows to ``per_minute`` tries a minute however fast the client sends. Successes
    cost nothing, so a room behind one address is never slowed by people who typed the code
    right.

    Parameters
    ----------
    per_minute : int
        Failures one address may make in a minute (also the burst).
    name : str
        The bucket's name, which shares it between workers (see :class:`TokenBuckets`).
    """

    def __init__(
        self, per_minute: int, *, clock: Callable[[], float] = time.monotonic, name: str = ""
    ) -> None:
        self.buckets = TokenBuckets(per_minute, max_keys=50_000, clock=clock, name=name)

    def retry_after(self, address: str) -> int:
        """Whole seconds ``address`` must wait before trying again (0: it may try now)."""
        wait = self.buckets.wait(address)
        return max(1, math.ceil(wait)) if wait else 0

    def failed(self, address: str) -> None:
        """Count one failure for ``address``."""
        self.buckets.take(address)
