"""``pbp demo`` and ``pbp serve``."""

from __future__ import annotations

from pathlib import Path

import click

from ._base import Ctx, cli, echo_json, pass_ctx


@cli.command("demo")
@click.option(
    "--serve/--no-serve",
    default=True,
    show_default=True,
    help="After seeding, serve the demo session (facilitator dashboard and participant pages).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the demo session's overview as JSON and exit."
)
@click.option(
    "--ip",
    default=None,
    help="Interface to listen on (default 127.0.0.1, or PBP_HOST; 0.0.0.0 so phones on the "
    "room's Wi-Fi can join).",
)
@click.option("--port", type=int, default=None, help="Port (default 8866, or PBP_PORT).")
@click.option(
    "--public-url",
    default=None,
    help="Base URL participants use, e.g. http://192.168.1.20:8866 (default PBP_PUBLIC_URL).",
)
@pass_ctx
def demo_cmd(
    c: Ctx,
    serve: bool,
    as_json: bool,
    ip: str | None,
    port: int | None,
    public_url: str | None,
) -> None:
    """Create (or reuse) the demo session with about 150 ideas, show it, and serve it."""
    from ..demo import seed_demo
    from ..summaries.overview import format_overview, session_overview

    rec = seed_demo(c.store, c.settings.surveys_dir / "visioning.yaml")
    data = session_overview(c.store, rec.id)
    if as_json:
        echo_json(data)
        return
    click.echo(format_overview(data))
    click.echo(f"\nDatabase: {c.store.display_url}")
    click.echo(f"Other commands find the demo in it, e.g.: pbp{_db_flag(c)} summarize {rec.code}")
    if serve:
        changes = {"host": ip, "port": port, "public_url": public_url}
        _serve_demo(c, rec.code, {k: v for k, v in changes.items() if v is not None})


def _db_flag(c: Ctx) -> str:
    """`` --db URL`` when another command would not find this database by default, else ``""``."""
    from ..settings import load_settings

    if load_settings().resolved_database_url == c.settings.resolved_database_url:
        return ""
    return f" --db {c.store.display_url}"


def _serve_demo(c: Ctx, code: str, changes: dict[str, object]) -> None:
    """Serve the demo session: the facilitator dashboard opens on it, participants join by
    its code.
    """
    from ..server import serve

    c.close()
    serve(c.settings.replace(**changes), open_browser=False, session_code=code)


@cli.command("serve")
@click.option(
    "--ip",
    default=None,
    help="Interface to listen on (default 127.0.0.1; 0.0.0.0 for a room's Wi-Fi).",
)
@click.option("--port", type=int, default=None, help="Port (default 8866, or PBP_PORT).")
@click.option(
    "--token", default=None, help="Facilitator token (default PBP_TOKEN, else generated)."
)
@click.option(
    "--public-url", default=None, help="Base URL participants use, e.g. http://192.168.1.20:8866."
)
@click.option(
    "--workbooks",
    "workbooks_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of facilitator workbooks (default ./workbooks).",
)
@click.option("--no-browser", is_flag=True, help="Do not open the facilitator page in a browser.")
@click.option(
    "--no-preheat",
    is_flag=True,
    help="Do not keep a preheated kernel for workbooks/facilitate.ipynb.",
)
@click.option(
    "--cull-idle-timeout",
    type=int,
    default=None,
    help="Shut down idle facilitator kernels after this many seconds (default 600).",
)
@click.option(
    "--closed-tab-timeout",
    type=int,
    default=None,
    help="Shut a facilitator kernel down this many seconds after its last tab closed "
    "(default 90, PBP_CLOSED_TAB_TIMEOUT_S; 0 = only the idle rule).",
)
@click.option(
    "--cull-interval",
    type=int,
    default=30,
    show_default=True,
    help="Seconds between checks for idle kernels.",
)
@click.option(
    "--password-hash",
    default="",
    metavar="HASH",
    help="Also accept a password on the login page: a hash from "
    "python -c 'from jupyter_server.auth import passwd; print(passwd())'.",
)
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Processes serving participant pages and the API on --port (default 1, or "
    "PBP_WORKERS; 2 or more need PostgreSQL, see docs/deploy.md).",
)
@click.option(
    "--dashboard-port",
    type=int,
    default=None,
    help="With --workers 2 or more: port of the dashboards and login (default --port + 1).",
)
@click.option(
    "--behind-proxy",
    is_flag=True,
    default=None,
    help="Trust X-Real-IP / X-Forwarded-For from a reverse proxy for the per-address limits "
    "(listen on 127.0.0.1 then; PBP_BEHIND_PROXY).",
)
@pass_ctx
def serve_cmd(
    c: Ctx,
    ip: str | None,
    port: int | None,
    token: str | None,
    public_url: str | None,
    workbooks_dir: Path | None,
    no_browser: bool,
    no_preheat: bool,
    cull_idle_timeout: int | None,
    closed_tab_timeout: int | None,
    cull_interval: int,
    password_hash: str,
    workers: int | None,
    dashboard_port: int | None,
    behind_proxy: bool | None,
) -> None:
    """Serve facilitator workbooks (Voilà, token) and participant pages (no kernel): one
    process, or with --workers N the pages and API in N processes (docs/deploy.md).
    """
    from ..server import ServeOptions, serve

    changes = {
        "host": ip,
        "port": port,
        "token": token,
        "public_url": public_url,
        "workbooks_dir": workbooks_dir,
        "cull_idle_timeout_s": cull_idle_timeout,
        "closed_tab_timeout_s": closed_tab_timeout,
        "workers": workers,
        "dashboard_port": dashboard_port,
        "behind_proxy": behind_proxy or None,
    }
    settings = c.settings.replace(**{k: v for k, v in changes.items() if v is not None})
    if dashboard_port is not None and settings.workers < 2:
        raise click.UsageError(
            "--dashboard-port only applies with --workers 2 or more (with one process the "
            "dashboards share --port)."
        )
    serve(
        settings,
        ServeOptions(
            open_browser=not no_browser,
            preheat=not no_preheat,
            cull_interval=cull_interval,
            password_hash=password_hash,
        ),
    )
