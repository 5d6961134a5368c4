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
    help="YAML/JSON file overriding the automatic plan: column (header, header prefix ending in "
    "'...', or number) -> prompt key, demographic question, 'new' or null.",
)
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(
        [
            "google-forms",
            "microsoft-forms",
            "surveymonkey",
            "qualtrics",
            "typeform",
            "surveygizmo",
            "wenjuanxing",
            "polis",
            "notes",
            "csv",
        ],
        case_sensitive=False,
    ),
    help="Force a format (csv = any table with one header row); default: detect.",
)
@click.option("--sheet", default=None, help="Sheet of an .xlsx workbook to read (default: first).")
@click.option(
    "--demographics-consented",
    is_flag=True,
    help="The survey asked respondents' consent to keep their demographic answers: store them "
    "(recorded with the import). Without it they are not stored.",
)
@click.option(
    "--only-accepted",
    is_flag=True,
    help="Polis: skip comments not yet moderated instead of importing them pending moderation.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the plan with two sample answers per column; write nothing.",
)
@click.option(
    "--language",
    type=click.Choice(["en", "es"]),
    default="en",
    show_default=True,
    help="Language of the printed report.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
@pass_ctx
def import_cmd(
    c: Ctx,
    session_ref: str,
    file: Path,
    mapping: Path | None,
    fmt: str | None,
    sheet: str | None,
    demographics_consented: bool,
    only_accepted: bool,
    dry_run: bool,
    language: str,
    as_json: bool,
) -> None:
    """Import a survey export (CSV, .xlsx), a Polis comments.csv or town-hall notes into a
    session, all or nothing. Columns are planned automatically: typed answers go to the
    session's prompts (or new prompts), private columns are never stored, and a re-download
    adds only new responses.
    """
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
        sheet=sheet,
        demographics_consented=demographics_consented,
        only_accepted=only_accepted,
    )
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.format_text(lang=language))


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
    from ..pseudonyms import install_secret

    session_rec = c.store.get_session(session_ref)
    kw = {"include_hidden": include_hidden, "secret": install_secret(c.settings.data_dir)}
    if output is None:
        export_session(c.store, session_rec, fmt, sys.stdout, **kw)
    else:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            export_session(c.store, session_rec, fmt, fh, **kw)
        click.echo(f"Wrote {output}", err=True)
