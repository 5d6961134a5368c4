"""``pbp series create|add|list``: series of sessions summarised together."""

from __future__ import annotations

import click

from ._base import Ctx, Group, cli, echo_json, pass_ctx


@cli.group(cls=Group)
def series() -> None:
    """Group sessions into a series (town halls, a youth session, a survey) for one roll-up."""


@series.command("create")
@click.argument("name")
@click.option(
    "--session",
    "sessions",
    multiple=True,
    required=True,
    metavar="CODE",
    help="A session (join code or id), repeatable, in order.",
)
@click.option("--title", default="", help="Title of the roll-up (default: the name).")
@click.option("--json", "as_json", is_flag=True, help="Print the series as JSON.")
@pass_ctx
def series_create(c: Ctx, name: str, sessions: tuple[str, ...], title: str, as_json: bool) -> None:
    """Create series NAME (letters, digits, '-', '_') of the given sessions."""
    rec = c.store.create_series(name, list(sessions), title=title)
    _show(rec, as_json)


@series.command("add")
@click.argument("name")
@click.option(
    "--session",
    "sessions",
    multiple=True,
    required=True,
    metavar="CODE",
    help="A session (join code or id) to append, repeatable.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the series as JSON.")
@pass_ctx
def series_add(c: Ctx, name: str, sessions: tuple[str, ...], as_json: bool) -> None:
    """Append sessions to series NAME."""
    _show(c.store.add_to_series(name, list(sessions)), as_json)


@series.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def series_list(c: Ctx, as_json: bool) -> None:
    """List every series with its sessions."""
    every = c.store.list_series()
    if as_json:
        echo_json([s.to_dict() for s in every])
        return
    if not every:
        click.echo("No series yet; create one with 'pbp series create NAME --session CODE'.")
    for s in every:
        click.echo(
            f"{s.name}  {s.title}  ({len(s.session_codes)} sessions: {', '.join(s.session_codes)})"
        )


def _show(rec: object, as_json: bool) -> None:
    data = rec.to_dict()  # type: ignore[attr-defined]
    if as_json:
        echo_json(data)
    else:
        click.echo(f"{data['name']}: {data['title']} ({', '.join(data['sessions'])})")
