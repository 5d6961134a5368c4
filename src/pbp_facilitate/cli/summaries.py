"""``pbp summarize``: the papermill batch of session summaries."""

from __future__ import annotations

from pathlib import Path

import click

from ._base import Ctx, cli, echo_json, pass_ctx


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
    from ..summaries import summarize

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
        languages=languages,
    )
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.format_text(), err=not report.ok)
    if not report.ok:
        raise SystemExit(1)
