"""What every command module shares: the root group, the context, JSON output, line files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..errors import PbpError
from ..settings import Settings, load_settings
from ..store import Store, open_store

__all__ = ["CONTEXT_SETTINGS", "Ctx", "Group", "cli", "echo_json", "nonblank_lines", "pass_ctx"]

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Group(click.Group):
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


@click.group(cls=Group, context_settings=CONTEXT_SETTINGS)
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


def nonblank_lines(file: Path, what: str = "line") -> list[str]:
    """Return the stripped, non-blank lines of a UTF-8 text file (a BOM is fine).

    Raises ``click.ClickException`` (exit 1) when the file is not UTF-8 or has no non-blank
    line: an empty file is a mistake to report, never "0 results". ``what`` names one line's
    content in that message (e.g. ``"idea"``, ``"goal"``).
    """
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(
            f"{file} is not UTF-8 text; save it as UTF-8 and try again."
        ) from exc
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise click.ClickException(
            f"{file} is empty (no non-blank line); expected one {what} per line. "
            "Check that you gave the right file and that it was saved."
        )
    return lines
