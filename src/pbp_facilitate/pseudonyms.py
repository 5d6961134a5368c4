"""Per-install secret, server-signed participant keys, and the per-session pseudonyms exports
show instead of a participant's cookie value.

A participant key is a bearer credential (whoever sets it as their cookie acts as that
participant), so it never leaves the server. Exports carry ``HMAC-SHA256(secret, session id ||
key)``, shortened: stable within a session (the same person's ideas share it), different in
every session (two sessions' exports cannot be joined on it) and not reversible to the cookie.

The secret is per install: 32 random bytes in ``<data_dir>/pseudonym.secret``, created on first
use, readable by the owner only.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

__all__ = ["SECRET_FILE", "install_secret", "pseudonym", "ParticipantKeys"]

SECRET_FILE = "pseudonym.secret"


def install_secret(data_dir: str | Path) -> bytes:
    """Return this install's secret from ``data_dir``, creating it (mode 0600) on first use.

    Raises
    ------
    OSError
        When the data folder cannot be created or read.
    """
    folder = Path(data_dir)
    path = folder / SECRET_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    value = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(value.hex())
    return value


def pseudonym(secret: bytes, session_id: int, participant_key: str) -> str:
    """Return the 20-character pseudonym of ``participant_key`` in session ``session_id``.

    >>> p = pseudonym(b"k" * 32, 1, "abc")
    >>> len(p), p == pseudonym(b"k" * 32, 1, "abc"), p == pseudonym(b"k" * 32, 2, "abc")
    (20, True, False)
    """
    msg = f"{int(session_id)}\x00{participant_key}".encode()
    return "p" + hmac.new(secret, msg, hashlib.sha256).hexdigest()[:19]


class ParticipantKeys:
    """Server-issued participant keys: 22 random characters and 22 of their HMAC under the
    install secret (URL-safe base64, 44 in all), so a key the server did not hand out is refused.

    >>> keys = ParticipantKeys(b"s" * 32)
    >>> k = keys.new()
    >>> len(k), keys.valid(k), keys.valid(k[:-1] + ("A" if k[-1] != "A" else "B"))
    (44, True, False)
    """

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, nonce: str) -> str:
        import base64

        digest = hmac.new(self._secret, b"pbp-participant\x00" + nonce.encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()[:16]).decode("ascii").rstrip("=")

    def new(self) -> str:
        """Return a fresh signed key."""
        nonce = secrets.token_urlsafe(16)
        return nonce + self._mac(nonce)

    def valid(self, value: str | None) -> bool:
        """True when ``value`` is a key this install signed."""
        if not value or len(value) != 44 or not value.isascii():
            return False
        return hmac.compare_digest(value[22:], self._mac(value[:22]))
