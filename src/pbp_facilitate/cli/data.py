"""``pbp import`` and ``pbp export``: survey exports and notes in, submissions out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._base import Ctx, cli, echo_json, pass_ctx


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
    from ..importers import import_file

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
    from ..exports import export_session

    session_rec = c.store.get_session(session_ref)
    if output is None:
        export_session(c.store, session_rec, fmt, sys.stdout, include_hidden=include_hidden)
    else:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            export_session(c.store, session_rec, fmt, fh, include_hidden=include_hidden)
        click.echo(f"Wrote {output}", err=True)
