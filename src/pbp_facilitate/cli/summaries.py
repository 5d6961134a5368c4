"""``pbp summarize``: the papermill batch of session summaries and series roll-ups;
``pbp publish``: the static public site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ._base import Ctx, cli, echo_json, pass_ctx


@cli.command("summarize")
@click.argument("sessions", nargs=-1, metavar="SESSION...")
@click.option(
    "--series",
    "series_names",
    multiple=True,
    metavar="NAME",
    help="Write the roll-up of series NAME (repeatable) to OUT/series/NAME/.",
)
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
@click.option(
    "--lang",
    "languages",
    default="all",
    show_default=True,
    metavar="en|es|all",
    help="Language(s) of the summary: one page per language (summary.<lang>.html) from one run; "
    "'all' is every language the session offers; several as 'en,es'.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the batch report as JSON.")
@pass_ctx
def summarize_cmd(
    c: Ctx,
    sessions: tuple[str, ...],
    series_names: tuple[str, ...],
    all_sessions: bool,
    out_dir: Path | None,
    jobs: int,
    force: bool,
    template: Path | None,
    progress: bool,
    languages: str,
    as_json: bool,
) -> None:
    """Write each session's summary: OUT/<code>/summary.<lang>.html per language (+ the executed
    notebook, summary.ipynb, and one per language).

    A failing session does not stop the others; failures are listed at the
    end and the exit status is 1.
    """
    from ..summaries import summarize, summarize_series

    if all_sessions and sessions:
        raise click.UsageError("Give session ids/codes or --all, not both.")
    if series_names:
        if sessions or all_sessions:
            raise click.UsageError("Give --series NAME or sessions, not both.")
        report = summarize_series(
            c.settings,
            series_names,
            out_dir=out_dir,
            jobs=jobs,
            force=force,
            progress=progress,
            template=template,
            languages=languages,
        )
        _report(report, as_json)
        return
    report = summarize(
        c.settings,
        sessions,
        all_sessions=all_sessions,
        out_dir=out_dir,
        jobs=jobs,
        force=force,
        progress=progress,
        template=template,
        languages=languages,
    )
    _report(report, as_json)


def _report(report: Any, as_json: bool) -> None:
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.format_text(), err=not report.ok)
    if not report.ok:
        raise SystemExit(1)


@cli.command("publish")
@click.argument("sessions", nargs=-1, metavar="[CODE...]")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The site's folder (new, empty, or a site published before: replaced whole).",
)
@click.option(
    "--series",
    "series_names",
    multiple=True,
    metavar="NAME",
    help="Publish series NAME and its sessions (repeatable).",
)
@click.option("--all", "all_items", is_flag=True, help="Publish every series and session.")
@click.option(
    "--lang",
    "languages",
    default="all",
    show_default=True,
    metavar="en|es|all",
    help="Languages of the pages.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--force", is_flag=True, help="Render every summary again.")
@click.option(
    "--progress/--no-progress", default=True, show_default=True, help="Show a progress bar."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_ctx
def publish_cmd(
    c: Ctx,
    sessions: tuple[str, ...],
    out_dir: Path,
    series_names: tuple[str, ...],
    all_items: bool,
    languages: str,
    jobs: int,
    force: bool,
    progress: bool,
    as_json: bool,
) -> None:
    """Write a static public site: OUT/index.html and one page per session and series, in each
    language; no scripts, no external requests, nothing below the small-count threshold.
    """
    from ..summaries.site import publish

    if all_items and (sessions or series_names):
        raise click.UsageError("Give sessions/--series or --all, not both.")
    if not (all_items or sessions or series_names):
        raise click.UsageError("Name sessions (CODE...), --series NAME or --all.")
    report = publish(
        c.settings,
        out_dir,
        sessions,
        series=series_names,
        all_items=all_items,
        languages=languages,
        jobs=jobs,
        force=force,
        progress=progress,
    )
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.format_text())
