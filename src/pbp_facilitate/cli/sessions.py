"""``pbp session``: create, list and show sessions."""

from __future__ import annotations

from pathlib import Path

import click

from ._base import Ctx, Group, cli, echo_json, pass_ctx


@cli.group(cls=Group)
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
    from ..surveys import load_survey

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
            f"No sessions yet in the database {c.store.display_url}. Create one: "
            "pbp session create --survey surveys/visioning.yaml --title ... "
            "(or pass --db URL to list another database)."
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
    from ..summaries.overview import session_overview

    data = session_overview(c.store, session_ref)
    if as_json:
        echo_json(data)
        return
    from ..summaries.overview import format_overview

    click.echo(format_overview(data))
