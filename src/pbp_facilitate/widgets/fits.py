"""Where a dashboard's theme refits and edits run: in ``pbp serve``, or in this process.

A theme fit loads the sentence encoder and the fit steps (scikit-learn): about 300 MiB that
every dashboard kernel used to carry, and a fit per kernel for the same input. Under
``pbp serve`` (``settings.fit_url``, set for the kernels it starts) :class:`ServerFits` asks
the server instead: ``POST /pbp/api/sessions/<sid>/themes/refit`` refits only when the
session's visible ideas differ from its latest stored version (one fit, whichever screen asks
first; the others find it done), and edits go through ``POST .../themes/edits``, the API's own
path. The kernel then reads the stored version and draws the word clouds. Everywhere else (a
workbook run by papermill or nbval, JupyterLab) :class:`LocalFits` fits in-process as before.

Both run in a worker thread (the board calls them through ``run_in_executor``) and return a
:class:`~pbp_facilitate.themes.session.ThemeFit`; a refused edit raises the kit's own error
(:class:`~pbp_facilitate.errors.ValidationError` and friends) with the server's message.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any, Protocol

from ..errors import ConflictError, NotFoundError, PbpError, ValidationError
from ..i18n import gettext
from ..settings import Settings
from ..store import Store
from ..themes.session import ThemeFit, draw_clouds

__all__ = ["ThemeFits", "LocalFits", "ServerFits", "FitServiceError", "theme_fits"]


class FitServiceError(PbpError):
    """``pbp serve`` did not answer a refit or an edit (it is tried again later)."""


class ThemeFits(Protocol):
    """Refit and edit a session's themes; see :func:`theme_fits`."""

    def refit(
        self,
        store: Store,
        session_id: int,
        *,
        clouds: bool,
        cloud_cache: Mapping[tuple, bytes],
        force: bool = False,
    ) -> ThemeFit:
        """Refit (when the input changed, or ``force``) and return the session's current
        themes."""
        ...

    def edit(
        self,
        store: Store,
        session_id: int,
        edit: Mapping[str, Any],
        *,
        actor: str,
        clouds: bool,
        cloud_cache: Mapping[tuple, bytes],
    ) -> ThemeFit:
        """Apply one facilitator edit and return the new themes."""
        ...


class LocalFits:
    """Fit in this process (:func:`~pbp_facilitate.themes.session.compute_themes`)."""

    def refit(  # noqa: D102
        self,
        store: Store,
        session_id: int,
        *,
        clouds: bool,
        cloud_cache: Mapping[tuple, bytes],
        force: bool = False,
    ) -> ThemeFit:
        from ..themes.session import compute_themes

        return compute_themes(store, session_id, clouds=clouds, cloud_cache=cloud_cache)

    def edit(  # noqa: D102
        self,
        store: Store,
        session_id: int,
        edit: Mapping[str, Any],
        *,
        actor: str,
        clouds: bool,
        cloud_cache: Mapping[tuple, bytes],
    ) -> ThemeFit:
        from ..themes.session import edit_themes

        return edit_themes(
            store, session_id, edit, actor=actor, clouds=clouds, cloud_cache=cloud_cache
        )


class ServerFits:
    """Ask ``pbp serve`` to fit; read the version it stored.

    Parameters
    ----------
    base_url : str
        The server as its kernels reach it (``settings.fit_url``).
    token : str
        The facilitator token.
    timeout : float
        Seconds to wait for one refit or edit (a cold first fit loads the model).
    """

    def __init__(self, base_url: str, token: str, *, timeout: float = 300.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _post(self, path: str, body: Mapping[str, Any], actor: str = "") -> dict[str, Any]:
        headers = {"Authorization": f"token {self.token}", "Content-Type": "application/json"}
        if actor:
            headers["X-PBP-Actor"] = actor[:100]
        req = urllib.request.Request(
            f"{self.base_url}{path}",
            data=json.dumps(dict(body)).encode("utf-8"),
            headers=headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                return dict(json.loads(resp.read() or b"{}"))
        except urllib.error.HTTPError as exc:
            try:
                message = str(json.loads(exc.read()).get("message") or exc.reason)
            except (ValueError, OSError):
                message = str(exc.reason)
            error = {404: NotFoundError, 409: ConflictError}.get(exc.code, ValidationError)
            if exc.code >= 500:
                error = FitServiceError
            raise error(message) from exc
        except (OSError, ValueError) as exc:
            raise FitServiceError(gettext("en", "panels.fit_unreachable", error=exc)) from exc

    @staticmethod
    def _stored(
        store: Store, session_id: int, clouds: bool, cloud_cache: Mapping[tuple, bytes]
    ) -> ThemeFit:
        got = store.theme_state(session_id)
        version, data = got if got else (0, {})
        return ThemeFit.of_stored(
            version, dict(data), draw_clouds(data, cloud_cache) if clouds and data else {}
        )

    def refit(  # noqa: D102
        self,
        store: Store,
        session_id: int,
        *,
        clouds: bool,
        cloud_cache: Mapping[tuple, bytes],
        force: bool = False,
    ) -> ThemeFit:
        self._post(f"/pbp/api/sessions/{int(session_id)}/themes/refit", {"force": bool(force)})
        return self._stored(store, session_id, clouds, cloud_cache)

    def edit(  # noqa: D102
        self,
        store: Store,
        session_id: int,
        edit: Mapping[str, Any],
        *,
        actor: str,
        clouds: bool,
        cloud_cache: Mapping[tuple, bytes],
    ) -> ThemeFit:
        if not isinstance(edit, Mapping):
            raise ValidationError(
                f"Expected one edit object, got {type(edit).__name__}.", code="bad_edit"
            )
        self._post(f"/pbp/api/sessions/{int(session_id)}/themes/edits", edit, actor=actor)
        return self._stored(store, session_id, clouds, cloud_cache)


def theme_fits(settings: Settings) -> ThemeFits:
    """Return :class:`ServerFits` under ``pbp serve`` (``settings.fit_url`` set), else
    :class:`LocalFits`."""
    if settings.fit_url:
        return ServerFits(settings.fit_url, settings.token)
    return LocalFits()
