"""Participant intake without kernels: server-rendered pages plus facilitator JSON endpoints.

:func:`intake_routes` returns the Tornado rules that ``pbp serve`` puts in
front of Voilà's. :func:`build_app` assembles the same routes into a
stand-alone Tornado application with Jupyter's token authentication (no
Voilà, no kernels); tests and benchmarks use it.

Every handler carries ``access``: ``"participant-public"`` (no login; see
:mod:`.participant`, built on :mod:`.handler`) or ``"facilitator-only"`` (token or login
cookie; see :mod:`.facilitator`).

Modules: :mod:`.context` (what every handler shares), :mod:`.handler` (the participant base
handler: headers, cookies, body limit, forms, rendering), :mod:`.participant` (join, idea,
vote and state pages), :mod:`.facilitator` (the JSON API), :mod:`.validation` (form checks),
:mod:`.ratelimit`, :mod:`.dbwork` (database threads), :mod:`.standalone` (a server without
Voilà for tests and benchmarks), :mod:`.workers` (``pbp serve --workers N``: these routes in N
processes), :mod:`.admission` (limits on newcomers: new keys, their ideas, first ballots),
:mod:`.turnout` (ballots against the people seen: the facilitator's signal).
"""

from __future__ import annotations

import os
import secrets
from typing import Any

import tornado.web

from ..settings import Settings
from ..store import Store
from .context import IntakeContext
from .facilitator import FACILITATOR_HEADERS, LOGIN_COOKIE_OPTIONS, facilitator_routes
from .logs import install_log_redaction, log_request
from .participant import participant_routes

__all__ = ["IntakeContext", "intake_routes", "build_app", "ACCESS_LEVELS", "check_access_marks"]

ACCESS_LEVELS = ("participant-public", "facilitator-only")


def intake_routes(ctx: IntakeContext) -> list[tuple[str, type, dict[str, Any]]]:
    """Return participant and facilitator routes, checked by :func:`check_access_marks`."""
    routes = [*participant_routes(ctx), *facilitator_routes(ctx)]
    check_access_marks(routes)
    return routes


def check_access_marks(routes: list[tuple[str, type, dict[str, Any]]]) -> None:
    """Raise RuntimeError unless every handler declares its own ``access`` and facilitator ones
    authenticate.

    A handler must set ``access`` in its own class body (not only inherit
    it), so adding a handler forces a decision.
    """
    from jupyter_server.base.handlers import JupyterHandler

    for pattern, cls, _ in routes:
        access = cls.__dict__.get("access")
        if access not in ACCESS_LEVELS:
            raise RuntimeError(
                f"Handler {cls.__name__} for {pattern!r} must set access to one of {ACCESS_LEVELS}."
            )
        if access == "facilitator-only" and not issubclass(cls, JupyterHandler):
            raise RuntimeError(
                f"Facilitator handler {cls.__name__} must derive from JupyterHandler (token auth)."
            )
        if access == "participant-public" and issubclass(cls, JupyterHandler):
            raise RuntimeError(
                f"Participant handler {cls.__name__} must not derive from JupyterHandler."
            )


def build_app(
    settings: Settings,
    store: Store,
    *,
    port: int,
    token: str | None = None,
    extra_settings: dict[str, Any] | None = None,
) -> tuple[tornado.web.Application, IntakeContext]:
    """Build a stand-alone Tornado app with the intake routes and Jupyter token auth.

    Parameters
    ----------
    settings : Settings
        Limits, languages and URLs.
    store : Store
        The open store.
    port : int
        Port the caller will listen on (for join URLs).
    token : str, optional
        Facilitator token; random when absent.
    extra_settings : dict, optional
        More Tornado settings.

    Returns
    -------
    (tornado.web.Application, IntakeContext)
        Call ``ctx.close()`` after stopping the server.
    """
    from jupyter_server.auth.authorizer import AllowAllAuthorizer
    from jupyter_server.auth.identity import PasswordIdentityProvider

    ctx = IntakeContext(settings=settings, store=store, port=port)
    identity = PasswordIdentityProvider(
        token=token or settings.token or secrets.token_hex(24),
        cookie_options=dict(LOGIN_COOKIE_OPTIONS),
    )
    app_settings: dict[str, Any] = {
        "base_url": "/",
        "cookie_secret": os.urandom(32),
        "identity_provider": identity,
        "authorizer": AllowAllAuthorizer(identity_provider=identity),
        "login_url": "/login",
        "allow_remote_access": True,
        "pbp_intake": ctx,
        "log_function": log_request,
        "headers": dict(FACILITATOR_HEADERS),
        "xsrf_cookie_kwargs": {"samesite": "Lax"},
        **(extra_settings or {}),
    }
    app = tornado.web.Application(intake_routes(ctx), **app_settings)
    install_log_redaction()
    return app, ctx
