"""Quiet logs: no client address and no token in anything ``pbp serve`` prints.

"No IP address is stored" must hold for the console log too, and a facilitator who opened the
``?token=`` URL must not find the token in a log pasted into a bug report. Two parts:

* :func:`log_request`, Tornado's ``log_function``: one line per request with status, method,
  path and time; no address, no user agent, and secret query values shown as ``[secret]``;
* :class:`RedactFilter`, installed by :func:`install_log_redaction` on every log handler (and
  the server's own loggers) as a second line of defence for messages from Tornado, Jupyter
  Server and Voilà: bracketed addresses (``(127.0.0.1)``, ``(user@10.0.0.7)``) are dropped
  and ``token=...``, ``Authorization: token ...`` and ``_xsrf=...`` values are redacted.

The startup banner is printed, not logged, so its URLs stay as they are.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "RedactFilter",
    "redact",
    "redact_secrets",
    "log_request",
    "install_log_redaction",
    "LOGGER_NAMES",
]

LOGGER_NAMES = (
    "tornado.access",
    "tornado.application",
    "tornado.general",
    "ServerApp",
    "Voila",
    "PbpVoila",
    "pbp.serve",
)
"""Loggers of the server whose records are redacted even without a redacting handler."""

_SECRET_KEYS = ("token", "auth", "key", "password", "xsrf", "code_verifier", "state")
_QUERY_SECRET = re.compile(
    r"(?i)\b((?:[\w.-]*(?:" + "|".join(_SECRET_KEYS) + r")[\w.-]*))=([^&\s\"'#]+)"
)
_AUTH_HEADER = re.compile(
    r"(?i)\b(authorization[\"']?\s*[:=]\s*[\"']?(?:token|bearer))\s+[^\s\"',}]+"
)
_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_IPV6 = r"[0-9a-f:]*:[0-9a-f:.]+"
_BRACKETED_IP = re.compile(r"(?i)\s*\((?:[^()\s@]*@)?(?:" + _IPV4 + "|" + _IPV6 + r")\)")
_BARE_IP = re.compile(r"(?<![\w.:/])" + _IPV4 + r"(?![\w.:])")


def redact_secrets(text: str) -> str:
    """Return ``text`` with ``token=...``-style values and ``Authorization`` tokens replaced.

    >>> redact_secrets("token=abc&lang=es")
    'token=[secret]&lang=es'
    """
    text = _QUERY_SECRET.sub(lambda m: f"{m.group(1)}=[secret]", text)
    return _AUTH_HEADER.sub(lambda m: f"{m.group(1)} [secret]", text)


def redact(text: str) -> str:
    """Return ``text`` with client addresses dropped and secret values replaced.

    >>> redact("404 GET /s/XYZ (127.0.0.1) 1.00ms")
    '404 GET /s/XYZ 1.00ms'
    >>> redact("200 GET /pbp/api/totals?token=abc&x=1 (u@10.0.0.2) 2ms")
    '200 GET /pbp/api/totals?token=[secret]&x=1 2ms'
    """
    text = _BRACKETED_IP.sub("", text)
    text = _QUERY_SECRET.sub(lambda m: f"{m.group(1)}=[secret]", text)
    text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)} [secret]", text)
    return _BARE_IP.sub("[address]", text)


class RedactFilter(logging.Filter):
    """A filter that rewrites every record's message through :func:`redact` (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: A003 - logging's name
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to logging's own error path
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FILTER = RedactFilter()


def install_log_redaction(*loggers: logging.Logger) -> None:
    """Add the redacting filter to the server's loggers, ``loggers`` and all their handlers.

    Safe to call more than once (a filter is added once per logger or handler).
    """
    targets: list[logging.Logger] = [logging.getLogger(), *loggers]
    targets += [logging.getLogger(name) for name in LOGGER_NAMES]
    for lg in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(lg, logging.Logger) and lg.handlers:
            targets.append(lg)
    for lg in targets:
        if _FILTER not in lg.filters:
            lg.addFilter(_FILTER)
        for h in lg.handlers:
            if _FILTER not in h.filters:
                h.addFilter(_FILTER)


def _scrub_url(uri: str) -> str:
    parts = urlsplit(uri)
    if not parts.query:
        return uri
    return urlunsplit(parts._replace(query=_QUERY_SECRET.sub(r"\1=[secret]", parts.query)))


def log_request(handler: Any) -> None:
    """Tornado ``log_function``: status, method, path (secrets redacted) and time; no address.

    Successes go to debug, redirects to info, client errors to warning, server errors to error,
    on ``tornado.access`` (or the handler's own ``log`` when it has one, as Jupyter's do).
    """
    status = handler.get_status()
    logger = getattr(handler, "log", None)
    if not isinstance(logger, logging.Logger | logging.LoggerAdapter):
        logger = logging.getLogger("tornado.access")
    if status < 300 or status == 304:
        method = logger.debug
    elif status < 400:
        method = logger.info
    elif status < 500:
        method = logger.warning
    else:
        method = logger.error
    req = handler.request
    method(
        "%d %s %s %.2fms",
        status,
        req.method,
        _scrub_url(req.uri or ""),
        1000.0 * req.request_time(),
    )
