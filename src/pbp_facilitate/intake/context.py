"""What every intake handler shares: settings, store access, limits, templates, URLs."""

from __future__ import annotations

import hashlib
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from ..pseudonyms import ParticipantKeys, install_secret
from ..settings import Settings
from ..store import Store
from .admission import Admission
from .dbwork import DbWorker
from .ratelimit import FailureThrottle, RateLimiter

__all__ = ["IntakeContext", "TEMPLATES_DIR", "STATIC_DIR", "lan_address", "http_server_options"]

TEMPLATES_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")


def lan_address() -> str:
    """Best guess of this machine's address on the local network (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            addr = s.getsockname()[0]
            if addr and not addr.startswith("0."):
                return str(addr)
    except OSError:
        pass
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


def http_server_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for ``tornado.httpserver.HTTPServer``: body and connection limits for
    every route (``server_max_body_bytes``, ``body_timeout_s``, ``idle_connection_timeout_s``).

    The body limit is checked from ``Content-Length`` (or while a chunked body streams) before a
    handler authenticates, so an unauthenticated client cannot make the server buffer more.
    """
    limit = int(settings.server_max_body_bytes)
    return {
        "max_body_size": limit,
        "body_timeout": float(settings.body_timeout_s),
        "idle_connection_timeout": float(settings.idle_connection_timeout_s),
    }


@dataclass
class IntakeContext:
    """Shared state of the participant pages and facilitator endpoints.

    Parameters
    ----------
    settings : Settings
        The kit's settings (limits, languages, public URL).
    store : Store
        The open store.
    port : int
        The port actually listened on (for join URLs when ``public_url`` is empty).
    """

    settings: Settings
    store: Store
    port: int
    db: DbWorker = field(init=False)
    limiter: RateLimiter = field(init=False)
    admission: Admission = field(init=False)
    code_misses: FailureThrottle = field(init=False)
    keys: ParticipantKeys = field(init=False)
    login_failures: FailureThrottle = field(init=False)
    jinja: jinja2.Environment = field(init=False)
    static_version: str = field(init=False)
    _views: dict[str, tuple[float, Any]] = field(default_factory=dict, init=False, repr=False)
    _fragments: dict[tuple[Any, ...], Any] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.db = DbWorker(self.store)
        self.limiter = RateLimiter(
            self.settings.rate_per_key_per_minute,
            self.settings.rate_per_ip_per_minute,
            name="submissions",
        )
        self.admission = Admission.from_settings(self.settings)
        self.keys = ParticipantKeys(install_secret(self.settings.data_dir))
        self.code_misses = FailureThrottle(self.settings.code_misses_per_minute, name="code_misses")
        self.login_failures = FailureThrottle(
            self.settings.login_failures_per_minute, name="login_failures"
        )
        self.jinja = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        h = hashlib.sha256()
        for p in sorted(STATIC_DIR.iterdir()):
            if p.is_file():
                h.update(p.read_bytes())
        self.static_version = h.hexdigest()[:10]

    def cached_view(self, code: str) -> tuple[bool, Any]:
        """Return ``(hit, view)`` for a session code's cached page state (see ``page_cache_s``).

        ``"<code>#themes"`` holds the session's theme labels for its ballot options.
        """
        entry = self._views.get(code)
        if entry is not None and time.monotonic() < entry[0]:
            return True, entry[1]
        return False, None

    def remember_view(self, code: str, view: Any) -> None:
        """Cache a session's page state (None for an unknown code) for ``page_cache_s`` seconds."""
        ttl = float(self.settings.page_cache_s)
        if ttl <= 0:
            return
        if len(self._views) > 2000:
            self._views.clear()
        self._views[code] = (time.monotonic() + ttl, view)

    def invalidate(self) -> None:
        """Forget cached page state (after a facilitator change made through this server)."""
        self._views.clear()

    def fragment(self, key: tuple[Any, ...], render: Any) -> Any:
        """Return a rendered template fragment cached under ``key`` (rendered on first use)."""
        html = self._fragments.get(key)
        if html is None:
            if len(self._fragments) > 500:
                self._fragments.clear()
            html = self._fragments[key] = render()
        return html

    @property
    def base_url(self) -> str:
        """Base URL participants use (``public_url``, else from host and port), no trailing
        slash.
        """
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/")
        host = self.settings.host
        if host in ("0.0.0.0", "", "::"):
            host = lan_address()
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def public_netloc(self) -> str:
        """``host:port`` of :attr:`base_url` (an allowed ``Origin`` for forms)."""
        return urlsplit(self.base_url).netloc.lower()

    def join_url(self, code: str | None = None) -> str:
        """Return the join page URL, or the session's page URL when ``code`` is given."""
        return f"{self.base_url}/s/{code}" if code else f"{self.base_url}/join"

    def close(self) -> None:
        """Finish queued database work."""
        self.db.close()
