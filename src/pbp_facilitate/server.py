"""``pbp serve``: one process hosting the facilitator workbooks (Voilà) and the participant pages.

Design: a subclass of Voilà's stand-alone application whose handler list puts
the kit's routes (participant pages, facilitator JSON endpoints) before
Voilà's own. The stand-alone app keeps Voilà's preheated kernel pool, so a
facilitator dashboard opens in milliseconds; participants never get a kernel.

* Facilitators: ``/voila/render/<workbook>.ipynb`` and ``/pbp/api/...``,
  protected by the token (``--token``, ``PBP_TOKEN``, or generated).
* Participants: ``/join`` and ``/s/<code>``, no login, no kernel.
* Idle kernels are culled (a closed Voilà tab otherwise leaks its kernel,
  upstream voila#1458).
* Kernels get ``PBP_DATABASE_URL`` (absolute), ``PBP_PUBLIC_URL`` and
  ``PBP_TOKEN`` in their environment, so workbooks calling
  :func:`~pbp_facilitate.settings.load_settings` reach the same store and
  the same server.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import webbrowser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
import tornado.httpserver
import tornado.ioloop
import tornado.netutil
from jupyter_server.services.contents.largefilemanager import LargeFileManager
from traitlets import Instance, Integer, List, Unicode
from traitlets.config import Config
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler

from .errors import ConfigError
from .intake import IntakeContext, intake_routes
from .intake.context import http_server_options, lan_address
from .intake.facilitator import FACILITATOR_HEADERS, LOGIN_COOKIE_OPTIONS, throttled_login
from .intake.logs import install_log_redaction, log_request, redact_secrets
from .kernels import PbpKernelManager, with_xsrf_cookie
from .settings import Settings
from .store import Store, open_store

__all__ = [
    "PbpKernelManager",
    "PbpVoila",
    "ServeOptions",
    "serve",
    "kernel_env",
    "loopback_url",
    "absolute_database_url",
    "FACILITATOR_WORKBOOK",
    "MIN_TOKEN_CHARS",
    "clean_stale_connection_dirs",
    "loopback_warning",
]

FACILITATOR_WORKBOOK = "facilitate.ipynb"
MIN_TOKEN_CHARS = 32
"""Shortest facilitator token ``pbp serve`` accepts (a generated one has 48 hex characters)."""
log = logging.getLogger("pbp.serve")


def loopback_url(ip: str, port: int) -> str:
    """Return the URL this machine's own processes (kernels) reach the server at."""
    host = ip or "127.0.0.1"
    if host in ("0.0.0.0", "::", "localhost"):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class KitContentsManager(LargeFileManager):
    """Voilà's contents manager, marking the served workbooks trusted without a warning.

    Jupyter's notebook trust decides whether a *browser* shows a notebook's saved HTML/JS
    outputs; Voilà runs every notebook it serves regardless and the kit's workbooks are
    committed without outputs. Served only from the facilitator's own workbooks folder behind
    the token, they are the facilitator's code: the "Notebook ... is not trusted" line printed
    on every dashboard load was noise that alarmed facilitators at a venue.
    """

    def mark_trusted_cells(self, nb: Any, path: str = "") -> None:  # noqa: D102
        self.notary.mark_cells(nb, True)


def absolute_database_url(url: str) -> str:
    """Return ``url`` with a relative SQLite path made absolute (kernels run in another folder)."""
    u = sa.engine.make_url(url)
    if (
        u.get_backend_name() == "sqlite"
        and u.database
        and u.database != ":memory:"
        and not u.database.startswith("file:")
        and not Path(u.database).is_absolute()
    ):
        return u.set(database=str(Path(u.database).resolve())).render_as_string(hide_password=False)
    return url


def kernel_env(
    settings: Settings, *, public_url: str, token: str, fit_url: str = ""
) -> dict[str, str]:
    """Return the variables every facilitator kernel gets (``fit_url``: where its dashboards
    ask for theme refits, this server on loopback)."""
    return {
        "PBP_DATABASE_URL": absolute_database_url(settings.resolved_database_url),
        "PBP_PUBLIC_URL": public_url,
        "PBP_TOKEN": token,
        "PBP_FIT_URL": fit_url,
        # Kernels run inside workbooks/: every folder goes over as an absolute path.
        "PBP_DATA_DIR": str(Path(settings.data_dir).resolve()),
        "PBP_SURVEYS_DIR": str(Path(settings.surveys_dir).resolve()),
        "PBP_OUTPUTS_DIR": str(Path(settings.outputs_dir).resolve()),
        "PBP_WORKBOOKS_DIR": str(Path(settings.workbooks_dir).resolve()),
        # The dashboards' own words follow the facilitator's setting (en or es).
        "PBP_DASHBOARD_LANGUAGE": settings.dashboard_language,
    }


class AuthenticatedRequestInfoHandler(RequestInfoSocketHandler):
    """Voilà's ``/voila/query/<kernel_id>`` websocket, for facilitators only and without secrets.

    Upstream answers anyone who knows a kernel id (they appear in the page and the console) with
    the page's request info, whose query string holds ``token=...`` when the facilitator opened
    the ``?token=`` URL. Here the upgrade needs the login cookie or the token (``Authorization:
    token ...`` or ``?token=``) and every secret-looking value is replaced by ``[secret]``.
    """

    async def get(self, *args: Any, **kwargs: Any) -> None:  # noqa: D102
        if not await self._authenticated():
            self.set_status(403)
            self.finish("Forbidden: the facilitator login cookie or token is required.")
            return
        await super().get(*args, **kwargs)

    async def _authenticated(self) -> bool:
        import hmac
        import inspect

        idp = self.settings.get("identity_provider")
        if idp is None:
            return False
        user = idp.get_user_cookie(self)
        if inspect.isawaitable(user):
            user = await user
        if user is not None:
            return True
        token = str(getattr(idp, "token", "") or "")
        header = self.request.headers.get("Authorization", "")
        given = header[6:].strip() if header.lower().startswith("token ") else ""
        given = given or self.get_query_argument("token", "")
        return bool(token) and bool(given) and hmac.compare_digest(given, token)

    def write_message(self, message: Any, binary: bool = False) -> Any:  # noqa: D102
        if isinstance(message, dict):
            message = {
                k: redact_secrets(v) if isinstance(v, str) else v for k, v in message.items()
            }
        elif isinstance(message, str):
            message = redact_secrets(message)
        return super().write_message(message, binary=binary)


OWNER_FILE = "pbp-serve.pid"
"""Written into each kernel connection folder: the process id of the ``pbp serve`` owning it."""


def clean_stale_connection_dirs(root: str | None = None) -> int:
    """Remove ``voila_*`` kernel connection folders (kernel keys) left by a killed ``pbp serve``.

    Only folders holding :data:`OWNER_FILE` whose process is gone are removed; another running
    Voilà's or ``pbp serve``'s folder is left alone. Returns how many were removed.
    """
    from .intake.workers import remove_orphaned_folders

    return remove_orphaned_folders(Path(root or tempfile.gettempdir()), "voila_*", OWNER_FILE)


PAGE_TEMPLATE = Path(__file__).with_name("voila_page")
"""The kit's Voilà page template (Voilà's "lab" page plus a ``main`` landmark)."""


class PbpVoila(Voila):
    """Voilà's stand-alone app with the kit's routes first, culling on, and the kit's startup
    banner.
    """

    name = "pbp-serve"
    intake = Instance(IntakeContext, allow_none=True)
    facilitator_path = Unicode(
        "", help="Path (with leading slash) printed and opened for facilitators."
    )
    session_code = Unicode("", help="A session whose own join URL is printed too.")
    participant_port = Integer(
        0,
        help="Port of the participant pages and API when worker processes serve them "
        "(pbp serve --workers N); 0: this server's own port.",
    )
    banner_extra = List(Unicode(), help="More lines for the startup banner (the workers).")

    def setup_template_dirs(self) -> None:
        """Voilà's template folders with the kit's page (landmarks) first."""
        super().setup_template_dirs()
        if str(PAGE_TEMPLATE) not in self.template_paths:
            self.template_paths.insert(0, str(PAGE_TEMPLATE))

    def init_settings(self) -> dict[str, Any]:
        """Voilà's settings with :class:`KitContentsManager` (no "not trusted" warning per load)."""
        settings = super().init_settings()
        self.contents_manager = KitContentsManager(parent=self)
        settings["contents_manager"] = self.contents_manager
        return settings

    def init_handlers(self) -> list[Any]:
        """Put the participant and facilitator routes before Voilà's handlers."""
        assert self.intake is not None, "PbpVoila.intake must be set before start()"
        idp = self.identity_provider
        if not getattr(idp.login_handler_class, "pbp_throttled", False):
            idp.login_handler_class = throttled_login(idp.login_handler_class, self.intake)
            idp.login_handler_class.pbp_throttled = True
        voila = [
            (rule[0], AuthenticatedRequestInfoHandler, *rule[2:])
            if rule[1] is RequestInfoSocketHandler
            else rule
            for rule in with_xsrf_cookie(super().init_handlers())
        ]
        return [*intake_routes(self.intake), *voila]

    # Voilà's start() binds and runs in one go; ours binds first so the port (and
    # with it the join URL handed to kernels) is known before any kernel starts.
    def start(self) -> None:  # noqa: D102
        assert self.intake is not None
        removed = clean_stale_connection_dirs(self.connection_dir_root or None)
        if removed:
            log.info("Removed %d kernel connection folder(s) left by a killed pbp serve.", removed)
        self.connection_dir = tempfile.mkdtemp(
            prefix="voila_", dir=self.connection_dir_root or None
        )
        (Path(self.connection_dir) / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
        sockets = self._bind()
        self.intake.port = self.participant_port or self.port
        settings = self.init_settings()
        km = self.kernel_manager
        if isinstance(km, PbpKernelManager):
            km.pbp_env = kernel_env(
                self.intake.settings,
                public_url=self.intake.base_url,
                token=self.token or "",
                fit_url=loopback_url(self.ip, self.port),
            )
        self.app = tornado.web.Application(**settings)
        self.app.settings.update(self.tornado_settings)
        # no client address and no token in the console log (the banner is printed, not logged)
        self.app.settings["log_function"] = log_request
        self.app.settings["headers"] = {
            **self.app.settings.get("headers", {}),
            **FACILITATOR_HEADERS,
        }
        self.app.settings["xsrf_cookie_kwargs"] = {
            **self.app.settings.get("xsrf_cookie_kwargs", {}),
            "samesite": "Lax",
        }
        install_log_redaction(self.log)
        self.app.add_handlers(".*$", self.init_handlers())
        server = tornado.httpserver.HTTPServer(
            self.app,
            xheaders=bool(self.intake.settings.behind_proxy),
            **http_server_options(self.intake.settings),
        )
        server.add_sockets(sockets)
        self.print_banner()
        if self.open_browser:
            url = f"http://127.0.0.1:{self.port}{self.facilitator_path}?token={self.token}"
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        self.ioloop = tornado.ioloop.IOLoop.current()
        aloop = self.ioloop.asyncio_loop  # type: ignore[attr-defined]
        for sig in (signal.SIGTERM, signal.SIGINT):
            aloop.add_signal_handler(sig, self._stop_from_signal, sig)
        try:
            self.ioloop.start()
        except KeyboardInterrupt:
            self.log.info("Stopping...")
        finally:
            server.stop()
            self.stop()

    def _bind(self) -> list[Any]:
        last: OSError | None = None
        for port in (
            [self.port, *range(self.port + 1, self.port + 1 + self.port_retries)]
            if self.port
            else [0]
        ):
            try:
                sockets = tornado.netutil.bind_sockets(port, self.ip or None)
            except OSError as exc:
                if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                    last = exc
                    continue
                raise
            self.port = sockets[0].getsockname()[1]
            return sockets
        raise ConfigError(
            f"Could not listen on {self.ip}:{self.port} or the next {self.port_retries} ports "
            f"({last}); pass a free port with --port."
        )

    def print_banner(self) -> None:
        """Print the facilitator URL (with token) and the participant join URL."""
        assert self.intake is not None
        local = (
            f"http://127.0.0.1:{self.port}"
            if self.ip in ("0.0.0.0", "", "::")
            else f"http://{self.ip}:{self.port}"
        )
        api_port = self.participant_port or self.port
        api = local.rsplit(":", 1)[0] + f":{api_port}"
        lines = [
            "pbp serve is running.",
            f"  Facilitator (keep private): {local}{self.facilitator_path}?token={self.token}",
            f"  Participants join at:       {self.intake.join_url()}",
            *(
                [
                    f"  Session {self.session_code}:             "
                    f"{self.intake.join_url(self.session_code)}"
                ]
                if self.session_code
                else []
            ),
            f"  Facilitator API:            {api}/pbp/api/sessions  (header 'Authorization: "
            f"token ...')",
            f"  Database: {self.intake.store.dialect}; idle facilitator kernels are shut down "
            f"after "
            f"{self.kernel_manager.cull_idle_timeout} s, a closed tab's kernel after "
            f"{getattr(self.kernel_manager, 'closed_tab_timeout', 0)} s.",
            *self.banner_extra,
            "  Stop with Ctrl+C.",
        ]
        room = loopback_warning(self.intake.join_url(), api_port)
        if room:
            lines.insert(1, room)
        if self.intake.settings.behind_proxy and self.ip not in ("127.0.0.1", "::1", "localhost"):
            lines.insert(
                1,
                "  WARNING: --behind-proxy trusts X-Real-IP / X-Forwarded-For, but this server "
                f"listens on {self.ip or 'every interface'}: a client reaching it directly can "
                "set them and escape the per-address limits. Listen on 127.0.0.1 behind the proxy.",
            )
        if self.ip in ("0.0.0.0", "", "::"):
            lines.insert(
                1,
                "  WARNING: listening on every network interface. Anyone on this network who gets "
                "the facilitator URL (it contains the token) controls the session: share only the "
                "participant join URL or QR code.",
            )
        print("\n".join(lines), flush=True)

    def stop(self) -> None:  # noqa: D102
        try:
            super().stop()
        finally:
            if self.intake is not None:
                self.intake.close()
                self.intake.store.close()

    def _stop_from_signal(self, sig: int) -> None:
        self.log.info("Stopping on signal %s.", int(sig))
        self.ioloop.stop()


def loopback_warning(join_url: str, port: int) -> str | None:
    """Return a loud warning with the fix when ``join_url`` points at this computer only.

    A phone cannot open ``127.0.0.1`` or ``localhost``: the QR code and join link would be
    useless in a room. The warning offers this machine's address on the local network (found
    without sending a packet) and the options that use it. ``None`` when the URL is fine.
    """
    host = (urlsplit(join_url).hostname or "").lower()
    try:
        loop = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loop = False
    if not loop:
        return None
    lan = lan_address()
    try:
        found = not ipaddress.ip_address(lan).is_loopback
    except ValueError:
        found = False
    where = (
        f"This computer's address on the network looks like {lan}: restart with "
        f"--ip 0.0.0.0 (or --public-url http://{lan}:{port}) and participants join at "
        f"http://{lan}:{port}/join."
        if found
        else "No network address was found: connect this computer to the room's Wi-Fi, then "
        "restart with --ip 0.0.0.0."
    )
    bar = "!" * 78
    return (
        f"{bar}\n  WARNING: the join URL and QR code point to {host}, which only this computer "
        f"can open; phones cannot join.\n  {where}\n  (pbp serve --ip 0.0.0.0, pbp demo --ip "
        f"0.0.0.0, make demo ARGS='--ip 0.0.0.0', or PBP_HOST=0.0.0.0.)\n{bar}"
    )


class ServeOptions:
    """Options of ``pbp serve`` beyond :class:`Settings`.

    Parameters
    ----------
    open_browser : bool
        Open the facilitator page in a browser.
    preheat : bool
        Keep a preheated kernel for the facilitator workbook.
    pool_size : int
        Preheated kernels per preheated workbook.
    cull_interval : int
        Seconds between checks for idle kernels.
    log_level : str
        Logging level name.
    password_hash : str
        A Jupyter password hash (``jupyter_server.auth.passwd()``); the login page then accepts
        that password as well as the token.
    """

    def __init__(
        self,
        *,
        open_browser: bool = True,
        preheat: bool = True,
        pool_size: int = 1,
        cull_interval: int = 30,
        log_level: str = "INFO",
        password_hash: str = "",
    ) -> None:
        self.password_hash = password_hash
        self.open_browser = open_browser
        self.preheat = preheat
        self.pool_size = pool_size
        self.cull_interval = cull_interval
        self.log_level = log_level


def _voila_config(settings: Settings, opts: ServeOptions, token: str, workbooks: Path) -> Config:
    c = Config()
    c.Voila.ip = settings.host
    c.Voila.port = settings.port
    c.Voila.port_retries = 0  # the port asked for, or a clear error
    c.Voila.token = token
    c.Voila.open_browser = opts.open_browser
    c.Voila.root_dir = str(workbooks)
    c.Voila.log_level = opts.log_level
    c.VoilaConfiguration.multi_kernel_manager_class = PbpKernelManager
    c.VoilaConfiguration.show_tracebacks = False
    c.IdentityProvider.cookie_options = dict(LOGIN_COOKIE_OPTIONS)
    if opts.password_hash:
        c.PasswordIdentityProvider.hashed_password = opts.password_hash
    # Kernels stay on TCP (loopback): the IPC transport was tried and lost the websocket of one
    # dashboard load in two (pre-heated kernels); see docs/room.md.
    c.MappingKernelManager.cull_idle_timeout = int(settings.cull_idle_timeout_s)
    c.MappingKernelManager.cull_interval = int(opts.cull_interval)
    c.MappingKernelManager.cull_connected = False  # an open dashboard tab is never culled
    c.PbpKernelManager.closed_tab_timeout = int(settings.closed_tab_timeout_s)
    c.MappingKernelManager.cull_busy = False
    # CurveZMQ keys provisioned per kernel (jupyter_client >= 8.10, for kernelspecs that declare
    # "supported_encryption": ["curve"], as ipykernel's does): kernel traffic on loopback TCP is
    # encrypted, and ipykernel no longer warns that it is not.
    c.KernelManager.transport_encryption = "auto"
    preheated = [nb for nb in (FACILITATOR_WORKBOOK,) if (workbooks / nb).is_file()]
    if opts.preheat and preheated and opts.pool_size > 0:
        c.VoilaConfiguration.preheat_kernel = True
        c.VoilaConfiguration.default_pool_size = 0
        pools: dict[str, Any] = {"default": {"pool_size": 0}}
        for nb in preheated:
            pools[nb] = {"pool_size": int(opts.pool_size)}
        c.VoilaKernelManager.kernel_pools_config = pools
    return c


def serve(
    settings: Settings,
    opts: ServeOptions | None = None,
    *,
    store: Store | None = None,
    open_browser: bool | None = None,
    session_code: str | None = None,
) -> None:
    """Run ``pbp serve`` in this process until interrupted.

    Parameters
    ----------
    settings : Settings
        Host, port, token, folders, limits.
    opts : ServeOptions, optional
        Browser, preheating and culling options.
    store : Store, optional
        An open store (default: opened from settings).
    open_browser : bool, optional
        Overrides ``opts.open_browser``.
    session_code : str, optional
        Also print this session's own join URL (``/s/<code>``), e.g. the demo session.

    Raises
    ------
    ConfigError
        When the workbooks folder is missing or the port is taken.
    """
    opts = opts or ServeOptions()
    if open_browser is not None:
        opts.open_browser = open_browser
    workbooks = Path(settings.workbooks_dir).resolve()
    if not workbooks.is_dir():
        raise ConfigError(
            f"Workbooks folder {str(workbooks)!r} does not exist; create it or pass "
            f"PBP_WORKBOOKS_DIR."
        )
    token = settings.token or secrets.token_hex(24)
    if len(token) < MIN_TOKEN_CHARS:
        raise ConfigError(
            f"The facilitator token must have at least {MIN_TOKEN_CHARS} characters, got "
            f"{len(token)}; pass a longer --token (e.g. python -c 'import secrets; "
            "print(secrets.token_hex(24))') or leave it out to generate one."
        )
    if settings.workers > 1:
        _serve_with_workers(settings, opts, token, workbooks, store, session_code)
        return
    store = store or open_store(settings)
    ctx = IntakeContext(settings=settings, store=store, port=settings.port)
    app = PbpVoila(config=_voila_config(settings, opts, token, workbooks))
    app.intake = ctx
    app.session_code = (session_code or "").upper()
    fac = FACILITATOR_WORKBOOK if (workbooks / FACILITATOR_WORKBOOK).is_file() else None
    app.facilitator_path = f"/voila/render/{fac}" if fac else "/voila/tree"
    app.initialize([])
    try:
        app.start()
    finally:
        shutil.rmtree(app.connection_dir, ignore_errors=True)
        sys.stdout.flush()


def _serve_with_workers(
    settings: Settings,
    opts: ServeOptions,
    token: str,
    workbooks: Path,
    store: Store | None,
    session_code: str | None,
) -> None:
    """``pbp serve --workers N``: N worker processes on ``port`` (see :mod:`.intake.workers`), the
    dashboards in this process on ``dashboard_port``.
    """
    from .intake.ratelimit import share_buckets
    from .intake.workers import WorkerPool, check_workers
    from .pseudonyms import install_secret

    check_workers(settings, settings.workers)
    dashboard_port = settings.dashboard_port or (settings.port + 1 if settings.port else 0)
    if dashboard_port and dashboard_port == settings.port:
        raise ConfigError(
            f"--dashboard-port {dashboard_port} is the participants' --port; pick another one "
            "(the default is --port + 1)."
        )
    if dashboard_port:  # a clear error now rather than after the workers started
        try:
            for probe in tornado.netutil.bind_sockets(dashboard_port, settings.host or None):
                probe.close()
        except OSError as exc:
            raise ConfigError(
                f"Could not listen on {settings.host}:{dashboard_port} for the dashboards "
                f"({exc}); pass a free port with --dashboard-port."
            ) from exc
    store = store or open_store(settings)  # migrations run here, once, before any worker
    install_secret(settings.data_dir)  # one install secret for every worker's signed keys
    cookie_secret = os.urandom(32)
    pool = WorkerPool(
        settings,
        workers=settings.workers,
        token=token,
        cookie_secret=cookie_secret,
        log_level=opts.log_level,
    )
    try:
        pool.start()
        assert pool.folder is not None
        share_buckets(pool.folder)  # this process's limits join the workers'
        ctx = IntakeContext(settings=settings, store=store, port=pool.port)
        config = _voila_config(settings.replace(port=dashboard_port), opts, token, workbooks)
        config.Voila.cookie_secret = cookie_secret
        app = PbpVoila(config=config)
        app.intake = ctx
        app.participant_port = pool.port
        app.session_code = (session_code or "").upper()
        fac = FACILITATOR_WORKBOOK if (workbooks / FACILITATOR_WORKBOOK).is_file() else None
        app.facilitator_path = f"/voila/render/{fac}" if fac else "/voila/tree"
        app.initialize([])  # while the workers start
        pool.wait_ready()
        app.banner_extra = [
            *pool.banner_lines(),
            f"  Dashboards (Voila, kernels, login) run in this process (pid {os.getpid()}) on "
            "the facilitator URL's port; see docs/deploy.md for the reverse proxy.",
        ]
        try:
            app.start()
        finally:
            shutil.rmtree(app.connection_dir, ignore_errors=True)
    finally:
        pool.stop()
        share_buckets(None)
        sys.stdout.flush()
