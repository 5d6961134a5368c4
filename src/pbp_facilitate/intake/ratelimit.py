"""In-memory token buckets: a limit per participant key and a ceiling per IP address.

Counts live only in memory and only as long as they matter; no address is
ever written anywhere. A whole room shares one Wi-Fi address, so the per-IP
ceiling is generous and the per-key limit does the real work.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["TokenBuckets", "RateLimiter", "Verdict", "FailureThrottle"]


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
        What the buckets count (unique per instance, e.g. ``"new_keys_per_ip"``), so buckets
        kept outside this process can be told apart; empty for the older, unnamed limits.
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
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def _level(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (self.capacity, now))
        return min(self.capacity, tokens + (now - at) * self.rate)

    def take(self, key: str) -> float:
        """Take one token for ``key``; return 0 on success, else seconds to wait (nothing taken)."""
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
        with self._lock:
            level = self._level(key, self._clock())
            return 0.0 if level >= 1 else (1 - level) / self.rate

    def give_back(self, key: str) -> None:
        """Return one token taken by :meth:`take` (used when a second limit refused)."""
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
    """

    def __init__(
        self,
        per_key_per_minute: int,
        per_ip_per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.keys = TokenBuckets(per_key_per_minute, clock=clock)
        self.ips = TokenBuckets(per_ip_per_minute, max_keys=50_000, clock=clock)

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
    """

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.buckets = TokenBuckets(per_minute, max_keys=50_000, clock=clock)

    def retry_after(self, address: str) -> int:
        """Whole seconds ``address`` must wait before trying again (0: it may try now)."""
        wait = self.buckets.wait(address)
        return max(1, math.ceil(wait)) if wait else 0

    def failed(self, address: str) -> None:
        """Count one failure for ``address``."""
        self.buckets.take(address)
