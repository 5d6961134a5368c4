"""Admission of newcomers: may this request be handed a participant key, send an idea, cast a
ballot?

Participants have no accounts, so a phone is whatever holds a key the server signed. Keys are
free to ask for (open the page without one), so a single client could ask for a fresh key
before every idea or ballot and then be bounded only by the per-address ceiling of
:class:`~pbp_facilitate.intake.ratelimit.RateLimiter`. These limits sit on top of it:

* **New keys per address** (``new_keys_per_ip_per_minute``): how many keys one address is
  handed per minute. Holders of a key never touch this limit.
* **Ideas from new keys per session and address** (``session_new_key_ideas_per_ip_per_minute``):
  ideas sent from keys handed out less than a minute ago, per session and address. A key
  older than a minute (the participant who was already in the room) has only its own per-key
  limit and the per-address ceiling, so a flood of fresh keys cannot lock it out.
* **First ballots per round and address** (``round_new_ballots_per_ip_per_minute``) and **per
  round** (``round_new_ballots_per_minute``): a key's first ballot in a round; changing a ballot
  costs nothing here.

Every limit is a :class:`~pbp_facilitate.intake.ratelimit.TokenBuckets` with its own ``name``;
addresses are bucket keys in memory only, never stored or logged. A limit set to 0 is off.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .ratelimit import RateLimiter, TokenBuckets, Verdict

__all__ = ["Admission", "Decision", "NEW_KEY_SECONDS"]

NEW_KEY_SECONDS = 60
"""How long after it was handed out a key counts as new (one refill of a one-token bucket)."""


@dataclass(frozen=True)
class Decision(Verdict):
    """A :class:`~pbp_facilitate.intake.ratelimit.Verdict` that also says whether a newcomer
    limit refused (``crowd``: many new keys at this address, not this participant's own pace).
    """

    crowd: bool = False


def _verdict(wait: float, *, crowd: bool = False) -> Decision:
    return Decision(True) if not wait else Decision(False, max(1, math.ceil(wait)), crowd=crowd)


def _from(verdict: Verdict) -> Decision:
    return Decision(verdict.allowed, verdict.retry_after)


class Admission:
    """The newcomer limits of one server.

    Parameters
    ----------
    new_keys_per_ip_per_minute : int
        Keys one address is handed per minute (0: no limit).
    session_new_key_ideas_per_ip_per_minute : int
        Ideas from new keys one address may send to one session per minute (0: no limit).
    round_new_ballots_per_ip_per_minute : int
        First ballots one address may cast in one round per minute (0: no limit).
    round_new_ballots_per_minute : int
        First ballots one round accepts per minute from all addresses (0: no limit).
    clock : callable
        Monotonic time source (seconds); tests may pass their own.
    """

    def __init__(
        self,
        *,
        new_keys_per_ip_per_minute: int = 0,
        session_new_key_ideas_per_ip_per_minute: int = 0,
        round_new_ballots_per_ip_per_minute: int = 0,
        round_new_ballots_per_minute: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        def buckets(per_minute: int, name: str, max_keys: int) -> TokenBuckets | None:
            if per_minute <= 0:
                return None
            return TokenBuckets(per_minute, max_keys=max_keys, clock=clock, name=name)

        self.new_keys = buckets(new_keys_per_ip_per_minute, "new_keys_per_ip", 50_000)
        self.new_key_ideas = buckets(
            session_new_key_ideas_per_ip_per_minute, "session_new_key_ideas_per_ip", 50_000
        )
        self.new_ballots_ip = buckets(
            round_new_ballots_per_ip_per_minute, "round_new_ballots_per_ip", 50_000
        )
        self.new_ballots_round = buckets(round_new_ballots_per_minute, "round_new_ballots", 10_000)
        # one token per key handed out, refilled in NEW_KEY_SECONDS: while it is missing the key
        # is new (only needed by the limit on new keys' ideas)
        self.recent_keys = (
            TokenBuckets(1, clock=clock, name="recent_keys")  # 1 a minute: NEW_KEY_SECONDS
            if self.new_key_ideas is not None
            else None
        )

    @classmethod
    def from_settings(cls, settings: Any) -> Admission:
        """Build the limits from a :class:`~pbp_facilitate.settings.Settings`."""
        return cls(
            new_keys_per_ip_per_minute=int(settings.new_keys_per_ip_per_minute),
            session_new_key_ideas_per_ip_per_minute=int(
                settings.session_new_key_ideas_per_ip_per_minute
            ),
            round_new_ballots_per_ip_per_minute=int(settings.round_new_ballots_per_ip_per_minute),
            round_new_ballots_per_minute=int(settings.round_new_ballots_per_minute),
        )

    # -- keys ----------------------------------------------------------------------------------

    def may_mint(self, address: str) -> Decision:
        """Take one new-key token for ``address``; refused means: hand out no key, ask to wait."""
        if self.new_keys is None:
            return Decision(True)
        return _verdict(self.new_keys.take(address), crowd=True)

    def minted(self, key: str) -> None:
        """Remember that ``key`` was just handed out (it counts as new for a minute)."""
        if self.recent_keys is not None:
            self.recent_keys.take(key)

    def unmint(self, address: str) -> None:
        """Give back the token of a key that was not needed after all (an unknown session)."""
        if self.new_keys is not None:
            self.new_keys.give_back(address)

    def is_new(self, key: str) -> bool:
        """True while ``key`` was handed out by this server less than a minute ago."""
        return self.recent_keys is not None and self.recent_keys.wait(key) > 0

    # -- ideas and ballots ---------------------------------------------------------------------

    def idea(self, limiter: RateLimiter, session_id: int, key: str, address: str) -> Decision:
        """May ``key`` from ``address`` send an idea to ``session_id`` now? Takes the tokens.

        A new key's idea also counts against its session and address; then the per-key limit
        and the per-address ceiling of ``limiter`` apply to every key. When one refuses, the
        tokens already taken are given back.
        """
        bucket = self.new_key_ideas if self.is_new(key) else None
        slot = f"{int(session_id)}\x00{address}"
        if bucket is not None:
            wait = bucket.take(slot)
            if wait:
                return _verdict(wait, crowd=True)
        verdict = limiter.check(key, address)
        if not verdict.allowed and bucket is not None:
            bucket.give_back(slot)
        return _from(verdict)

    def ballot(
        self, limiter: RateLimiter, round_id: int, key: str, address: str, *, first: bool
    ) -> Decision:
        """May ``key`` from ``address`` cast (``first``) or change a ballot in ``round_id``?

        A first ballot counts against the round and address, and the round; then ``limiter``
        applies as for ideas. Tokens taken are given back when a later limit refuses.
        """
        taken: list[tuple[TokenBuckets, str]] = []

        def undo() -> None:
            for b, k in taken:
                b.give_back(k)

        if first:
            for bucket, slot in (
                (self.new_ballots_ip, f"{int(round_id)}\x00{address}"),
                (self.new_ballots_round, str(int(round_id))),
            ):
                if bucket is None:
                    continue
                wait = bucket.take(slot)
                if wait:
                    undo()
                    return _verdict(wait, crowd=True)
                taken.append((bucket, slot))
        verdict = limiter.check(key, address)
        if not verdict.allowed:
            undo()
        return _from(verdict)
