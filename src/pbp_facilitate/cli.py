"""The ``pbp`` command line: a thin layer over the library.

Exit status 1 with ``Error: ...`` for user errors (any :class:`PbpError`),
2 for usage errors (click's own). Every command that prints data takes
``--json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .errors import PbpError
from .settings import Settings, load_settings
from .store import Store, open_store

__all__ = ["main", "cli"]

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """A group that turns PbpError into ``Error: ...`` and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PbpError as exc:
            raise click.ClickException(str(exc)) from exc


class Ctx:
    """What every command gets: settings and a lazily opened store."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


pass_ctx = click.make_pass_decorator(Ctx)


def echo_json(data: Any) -> None:
    """Print ``data`` as JSON (UTF-8, not ASCII-escaped)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=None))


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--db",
    "database_url",
    metavar="URL",
    default=None,
    help="Database URL (default: PBP_DATABASE_URL, else a SQLite file in the data folder).",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder (default: PBP_DATA_DIR, else ./data).",
)
@click.version_option(package_name="pbp-facilitate")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None, data_dir: Path | None) -> None:
    """pbp-facilitate: run visioning sessions, find themes, check goals, report back."""
    try:
        settings = load_settings({"database_url": database_url, "data_dir": data_dir})
    except PbpError as exc:
        raise click.ClickException(str(exc)) from exc
    obj = Ctx(settings)
    ctx.obj = obj
    ctx.call_on_close(obj.close)


# -- sessions ---------------------------------------------------------------------------------


@cli.group(cls=_Group)
def session() -> None:
    """Create and list sessions."""


@session.command("create")
@click.option(
    "--survey",
    "survey_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Survey definition, e.g. surveys/visioning.yaml.",
)
@click.option("--title", required=True, help="Title shown to participants.")
@click.option("--code", default=None, help="Join code to use (default: a random 6-character code).")
@click.option("--json", "as_json", is_flag=True, help='Print {"code": ..., "id": ...}.')
@pass_ctx
def session_create(c: Ctx, survey_path: Path, title: str, code: str | None, as_json: bool) -> None:
    """Create a session from a survey and print its join code."""
    from .surveys import load_survey

    survey = load_survey(survey_path)
    rec = c.store.create_session(survey, title, code=code)
    if as_json:
        echo_json({"code": rec.code, "id": rec.id})
    else:
        click.echo(f"Created session {rec.id}: {rec.title}")
        click.echo(f"Join code: {rec.code}")


@session.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@pass_ctx
def session_list(c: Ctx, as_json: bool) -> None:
    """List sessions, newest first."""
    rows = []
    for s in c.store.list_sessions():
        d = s.to_dict()
        d["submissions"] = c.store.count_submissions(s.id)
        rows.append(d)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(
            "No sessions yet. Create one: pbp session create --survey surveys/visioning.yaml "
            "--title ..."
        )
        return
    click.echo(f"{'ID':>4}  {'CODE':<8} {'STATUS':<7} {'IDEAS':>6}  TITLE")
    for d in rows:
        click.echo(
            f"{d['id']:>4}  {d['code']:<8} {d['status']:<7} {d['submissions']:>6}  {d['title']}"
        )


@session.command("show")
@click.argument("session_ref", metavar="SESSION")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def session_show(c: Ctx, session_ref: str, as_json: bool) -> None:
    """Show a session, its prompts and an input summary."""
    from .summaries.overview import session_overview

    data = session_overview(c.store, session_ref)
    if as_json:
        echo_json(data)
        return
    from .summaries.overview import format_overview

    click.echo(format_overview(data))


# -- imports and exports ----------------------------------------------------------------------


@cli.command("import")
@click.argument("session_ref", metavar="SESSION")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="YAML/JSON file mapping column headers (or note headings) to prompt keys.",
)
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(
        ["google-forms", "microsoft-forms", "surveymonkey", "polis", "notes", "csv"],
        case_sensitive=False,
    ),
    help="Force a format (csv = any table with one header row); default: detect.",
)
@click.option("--dry-run", is_flag=True, help="Read and report, write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
@pass_ctx
def import_cmd(
    c: Ctx,
    session_ref: str,
    file: Path,
    mapping: Path | None,
    fmt: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import a survey export or town-hall notes into a session (all or nothing)."""
    from .importers import import_file

    session_rec = c.store.get_session(session_ref)
    report = import_file(
        c.store,
        session_rec,
        file,
        mapping=mapping,
        format=fmt,
        settings=c.settings,
        dry_run=dry_run,
    )
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.format_text())


@cli.command("export")
@click.argument("session_ref", metavar="SESSION")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@click.option("--include-hidden", is_flag=True, help="Include moderated (hidden) submissions.")
@pass_ctx
def export_cmd(
    c: Ctx, session_ref: str, fmt: str, output: Path | None, include_hidden: bool
) -> None:
    """Export a session's submissions as CSV (safe to open in Excel) or JSON."""
    from .exports import export_session

    session_rec = c.store.get_session(session_ref)
    if output is None:
        export_session(c.store, session_rec, fmt, sys.stdout, include_hidden=include_hidden)
    else:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            export_session(c.store, session_rec, fmt, fh, include_hidden=include_hidden)
        click.echo(f"Wrote {output}", err=True)


def _nonblank_lines(file: Path) -> list[str]:
    """Return the stripped, non-blank lines of a UTF-8 text file (a BOM is fine)."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(
            f"{file} is not UTF-8 text; save it as UTF-8 and try again."
        ) from exc
    return [line.strip() for line in text.splitlines() if line.strip()]


@cli.command("themes")
@click.argument("session_ref", metavar="[SESSION]", required=False)
@click.option(
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Read one text per line from this file instead of a session.",
)
@click.option(
    "--n-themes",
    type=click.IntRange(min=1),
    default=None,
    help="Number of themes (default: chosen).",
)
@click.option(
    "--method",
    type=click.Choice(["auto", "semantic", "tfidf", "static"]),
    default="auto",
    show_default=True,
    help="auto = semantic (multilingual sentence vectors); tfidf = words only.",
)
@click.option(
    "--save", is_flag=True, help="Store the result as the session's latest theme snapshot."
)
@click.option("--json", "as_json", is_flag=True, help='Print {"labels": [...], "themes": [...]}.')
@pass_ctx
def themes_cmd(
    c: Ctx,
    session_ref: str | None,
    file: Path | None,
    n_themes: int | None,
    method: str,
    save: bool,
    as_json: bool,
) -> None:
    """Find the themes of a session's ideas (or of a file's lines)."""
    from .themes import find_themes, themes_to_json

    if (session_ref is None) == (file is None):
        raise click.UsageError("Give a SESSION or --file F (one of them).")
    if file is not None:
        texts = _nonblank_lines(file)
        model = find_themes(texts, n_themes=n_themes, method=method)
    else:
        from .themes.session import fit_stored_session

        rec = c.store.get_session(session_ref)
        model = fit_stored_session(c.store, rec.id, save=save, n_themes=n_themes, method=method)
    data = themes_to_json(model, include_state=False)
    if as_json:
        echo_json({"labels": data["labels"], "themes": data["themes"]})
        return
    n = len(data["labels"])
    other = sum(1 for v in data["labels"] if v == -1)
    click.echo(f"{len(data['themes'])} themes from {n} ideas ({other} other / unclear)")
    for th in sorted(data["themes"], key=lambda t: -int(t["size"])):
        click.echo(f"\n[{th['id']}] {th['label']}  ({th['size']} ideas)")
        for q in th.get("quotes", [])[:3]:
            click.echo(f"    - {q}")


@cli.command("build-static-model")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output file (default: the kit's data folder, where method='auto' finds it).",
)
@click.option(
    "--dim",
    type=click.IntRange(8, 384),
    default=128,
    show_default=True,
    help="Dimensions kept after PCA.",
)
def build_static_model_cmd(out: Path | None, dim: int) -> None:
    """Build the static MiniLM table for semantic themes once (needs the [semantic] extra)."""
    from .themes import build_static_model

    click.echo(str(build_static_model(out, dim=dim)))


@cli.group(cls=_Group)
def goals() -> None:
    """Check draft goals for SMART and equity criteria."""


@goals.command("check")
@click.argument("text", required=False)
@click.option(
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Check one goal per line; prints JSON lines.",
)
@click.option(
    "--session",
    "session_ref",
    default=None,
    help="Judge relevance against this session's latest themes.",
)
@click.option(
    "--language", type=click.Choice(["en", "es"]), default=None, help="Default: detected."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_ctx
def goals_check(
    c: Ctx,
    text: str | None,
    file: Path | None,
    session_ref: str | None,
    language: str | None,
    as_json: bool,
) -> None:
    """Check a goal (TEXT) or a file of goals."""
    from .goals import check_goal

    if (text is None) == (file is None):
        raise click.UsageError(
            'Give a goal as TEXT or --file F (one of them), e.g. pbp goals check "By 2028, ..."'
        )
    themes = None
    if session_ref is not None:
        snap = c.store.latest_theme_snapshot(c.store.get_session(session_ref).id) or {}
        themes = [
            {"label": th["label"], "terms": [t[0] for t in th.get("terms", [])]}
            for th in snap.get("themes", [])
        ] or None
    if file is not None:
        for line in _nonblank_lines(file):
            echo_json(check_goal(line, themes=themes, language=language).to_dict())
        return
    report = check_goal(text or "", themes=themes, language=language)
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.format_text())


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
@pass_ctx
def demo_cmd(c: Ctx, serve: bool, as_json: bool) -> None:
    """Create (or reuse) the demo session with about 150 ideas, show it, and serve it."""
    from .demo import seed_demo
    from .summaries.overview import format_overview, session_overview

    rec = seed_demo(c.store, c.settings.surveys_dir / "visioning.yaml")
    data = session_overview(c.store, rec.id)
    if as_json:
        echo_json(data)
        return
    click.echo(format_overview(data))
    if serve:
        _serve_demo(c, rec.code)


def _serve_demo(c: Ctx, code: str) -> None:
    """Serve the demo session: the facilitator dashboard opens on it, participants join by
    its code.
    """
    from .server import serve

    c.close()
    serve(c.settings, open_browser=False, session_code=code)


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
    "--cull-interval",
    type=int,
    default=60,
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
    cull_interval: int,
    password_hash: str,
) -> None:
    """Serve facilitator workbooks (Voilà, token) and participant pages (no kernel) in one
    process.
    """
    from .server import ServeOptions, serve

    changes = {
        "host": ip,
        "port": port,
        "token": token,
        "public_url": public_url,
        "workbooks_dir": workbooks_dir,
        "cull_idle_timeout_s": cull_idle_timeout,
    }
    settings = c.settings.replace(**{k: v for k, v in changes.items() if v is not None})
    serve(
        settings,
        ServeOptions(
            open_browser=not no_browser,
            preheat=not no_preheat,
            cull_interval=cull_interval,
            password_hash=password_hash,
        ),
    )


@cli.command("summarize")
@click.argument("sessions", nargs=-1, metavar="SESSION...")
@click.option(
    "--all", "all_sessions", is_flag=True, help="Summarize every session in the database."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: PBP_OUTPUTS_DIR, else ./outputs); one sub-folder per session "
    "code.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes, each reusing one kernel.",
)
@click.option(
    "--force", is_flag=True, help="Render even sessions whose summary is newer than their data."
)
@click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Notebook template (default: workbooks/summary.ipynb).",
)
@click.option(
    "--progress/--no-progress", default=True, show_default=True, help="Show a progress bar."
)
@click.option("--json", "as_json", is_flag=True, help="Print the batch report as JSON.")
@pass_ctx
def summarize_cmd(
    c: Ctx,
    sessions: tuple[str, ...],
    all_sessions: bool,
    out_dir: Path | None,
    jobs: int,
    force: bool,
    template: Path | None,
    progress: bool,
    as_json: bool,
) -> None:
    """Write each session's summary: OUT/<code>/summary.ipynb (executed) and summary.html.

    A failing session does not stop the others; failures are listed at the
    end and the exit status is 1.
    """
    from .summaries import summarize

    if all_sessions and sessions:
        raise click.UsageError("Give session ids/codes or --all, not both.")
    report = summarize(
        c.settings,
        sessions,
        all_sessions=all_sessions,
        out_dir=out_dir,
        jobs=jobs,
        force=force,
        progress=progress,
        template=template,
    )
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.format_text(), err=not report.ok)
    if not report.ok:
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    try:
        cli.main(args=argv, prog_name="pbp", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
