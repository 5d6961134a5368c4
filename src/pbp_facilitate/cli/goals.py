"""``pbp goals``: check draft goals."""

from __future__ import annotations

from pathlib import Path

import click

from ._base import Ctx, Group, cli, echo_json, nonblank_lines, pass_ctx


@cli.group(cls=Group)
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
    from ..goals import check_goal

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
        for line in nonblank_lines(file):
            echo_json(check_goal(line, themes=themes, language=language).to_dict())
        return
    report = check_goal(text or "", themes=themes, language=language)
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.format_text())
