"""``pbp goals``: check, save and correct goals; ``pbp indicators import``; ``pbp progress``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..goals.progress_text import format_value
from ..goals.records import INDICATOR_OPTIONS
from ._base import Ctx, Group, cli, echo_json, nonblank_lines, pass_ctx


@cli.group(cls=Group)
def goals() -> None:
    """Check goals for SMART and equity criteria; save them with their indicators."""


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
        for line in nonblank_lines(file, "goal"):
            echo_json(check_goal(line, themes=themes, language=language).to_dict())
        return
    report = check_goal(text or "", themes=themes, language=language)
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.format_text())


def _indicator_options(fn: Any) -> Any:
    """The options that set or correct a goal's indicator."""
    opts = [
        click.option("--indicator", "name", default=None, help="What is measured."),
        click.option("--unit", default=None, help="'%', '$' or a word; empty for counts."),
        click.option("--baseline", type=float, default=None, help="Starting value."),
        click.option(
            "--baseline-year", default=None, help="Year or period of the baseline (2024, 2024-25)."
        ),
        click.option("--target", type=float, default=None, help="Value to reach."),
        click.option(
            "--target-year", default=None, help="Year or period of the target (2030, 2028-06)."
        ),
        click.option(
            "--direction",
            type=click.Choice(["up", "down"]),
            default=None,
            help="Which way is better.",
        ),
        click.option(
            "--by",
            "by",
            multiple=True,
            help="A grouping it is reported by (repeat: --by race --by income).",
        ),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def _changes(kw: dict[str, Any]) -> dict[str, Any]:
    out = {k: kw.pop(k) for k in list(kw) if k in INDICATOR_OPTIONS}
    if not out.get("by"):
        out["by"] = None
    return out


@goals.command("add")
@click.argument("session_ref", metavar="CODE")
@click.argument("text")
@click.option("--agreed", is_flag=True, help="The partnership agreed it (default: draft).")
@_indicator_options
@click.option("--json", "as_json", is_flag=True, help='Print {"id": ...}.')
@pass_ctx
def goals_add(c: Ctx, session_ref: str, text: str, agreed: bool, as_json: bool, **kw: Any) -> None:
    """Save a goal for a session, with its check and its indicator read from TEXT."""
    from ..goals import add_goal

    session = c.store.get_session(session_ref)
    rec = add_goal(c.store, session.id, text, agreed=agreed, **_changes(kw))
    if as_json:
        echo_json({"id": rec.id})
    else:
        click.echo(f"Saved goal {rec.id} ({rec.status}) in {session.code}.")
        click.echo(_indicator_line(rec.indicator))


@goals.command("list")
@click.argument("session_ref", metavar="CODE")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@pass_ctx
def goals_list(c: Ctx, session_ref: str, as_json: bool) -> None:
    """List a session's goals with their status and indicator."""
    from ..goals import goal_to_dict

    session = c.store.get_session(session_ref)
    rows = [goal_to_dict(g) for g in c.store.list_goals(session.id)]
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(
            f'No goals in {session.code} yet; add one with: pbp goals add {session.code} "..."'
        )
    for r in rows:
        click.echo(f"{r['id']:>4}  {r['status']:<6}  {r['text']}")
        click.echo(f"      {_indicator_line(r['indicator'])}")


@goals.command("set")
@click.argument("goal_id", type=int, metavar="ID")
@click.option("--text", default=None, help="New wording (re-checked; the indicator re-read).")
@click.option("--agreed/--draft", "agreed", default=None, help="Mark agreed or back to draft.")
@_indicator_options
@click.option("--json", "as_json", is_flag=True, help="Print the goal as JSON.")
@pass_ctx
def goals_set(
    c: Ctx, goal_id: int, text: str | None, agreed: bool | None, as_json: bool, **kw: Any
) -> None:
    """Correct a goal: its text, status, or indicator (baseline, target, direction, groups)."""
    from ..goals import goal_to_dict, update_goal

    rec = update_goal(c.store, goal_id, text=text, agreed=agreed, **_changes(kw))
    if as_json:
        echo_json(goal_to_dict(rec))
    else:
        click.echo(f"Updated goal {rec.id} ({rec.status}).")
        click.echo(_indicator_line(rec.indicator))


def _fmt_point(p: dict[str, Any] | None, unit: str) -> str:
    if not p or p.get("value") is None:
        when = (p or {}).get("date") or (p or {}).get("year")
        return f"? ({when})" if when else "?"
    when = p.get("date") or p.get("year")
    return f"{_fmt_value(p['value'], unit)}" + (f" ({when})" if when else "")


def _fmt_value(v: float, unit: str) -> str:
    return format_value(v, unit if unit in ("%", "$") else "")


def _indicator_line(ind: dict[str, Any]) -> str:
    unit = ind.get("unit") or ""
    by = ", ".join(ind.get("by") or []) or "-"
    return (
        f"indicator: {ind.get('name') or '?'}; baseline {_fmt_point(ind.get('baseline'), unit)}; "
        f"target {_fmt_point(ind.get('target'), unit)}; direction {ind.get('direction') or '?'}; "
        f"by {by}"
    )


@cli.group(cls=Group)
def indicators() -> None:
    """Partners' data for the goals' indicators."""


@indicators.command("import")
@click.argument("session_ref", metavar="CODE")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and preview; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
@pass_ctx
def indicators_import(c: Ctx, session_ref: str, file: Path, dry_run: bool, as_json: bool) -> None:
    """Import values from a CSV with columns goal,period,group,value,n (all rows or none)."""
    from ..goals import read_indicator_rows
    from ..importers._csv import decode_bytes, read_rows

    session = c.store.get_session(session_ref)
    text, _ = decode_bytes(file.read_bytes(), file.name)
    goal_ids = [g.id for g in c.store.list_goals(session.id)]
    rows = read_indicator_rows(read_rows(text, file.name), goal_ids, name=file.name)
    report: dict[str, Any] = {
        "file": file.name,
        "rows": len(rows),
        "goals": sorted({r["goal_id"] for r in rows}),
        "periods": sorted({r["period"] for r in rows}),
        "groups": sorted({r["group"] for r in rows if r["group"]}),
        "without_n": sum(r["n"] is None for r in rows),
        "dry_run": dry_run,
        "preview": [
            {k: r[k] for k in ("goal_id", "period", "group", "value", "n")} for r in rows[:5]
        ],
    }
    if not dry_run:
        stored = c.store.replace_indicator_values(session.id, rows, source=file.name)
        report["replaced"] = stored["replaced"]
    if as_json:
        echo_json(report)
        return
    verb = "Would import" if dry_run else "Imported"
    click.echo(
        f"{verb} {len(rows)} values for {len(report['goals'])} goal(s), "
        f"{len(report['periods'])} period(s), {len(report['groups'])} group(s) from {file.name}."
    )
    if report["without_n"]:
        click.echo(
            f"{report['without_n']} value(s) have no n: they are shown as given (small groups "
            "cannot be protected without n)."
        )
    for r in report["preview"]:
        click.echo(
            f"  goal {r['goal_id']}  {r['period']:<10} {r['group'] or '(everyone)':<20} "
            f"{r['value']:g}  n={r['n'] if r['n'] is not None else '-'}"
        )
    if dry_run:
        click.echo("Nothing was written (--dry-run).")


@cli.command("progress")
@click.argument("session_ref", metavar="CODE")
@click.option("--json", "as_json", is_flag=True, help='Print {"goals": [...]}.')
@click.option(
    "--language", type=click.Choice(["en", "es"]), default="en", help="Words of the text."
)
@pass_ctx
def progress_cmd(c: Ctx, session_ref: str, as_json: bool, language: str) -> None:
    """Progress of each goal: latest value, change since baseline, status, gaps by group."""
    from ..goals import progress_report
    from ..goals.progress_text import progress_lines

    session = c.store.get_session(session_ref)
    report = progress_report(c.store, session.id, small_count=c.settings.small_count)
    if as_json:
        echo_json(report)
        return
    for line in progress_lines(report, language):
        click.echo(line)
