"""``pbp themes`` and ``pbp build-static-model``."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import ngettext
from ._base import Ctx, cli, echo_json, nonblank_lines, pass_ctx


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
    from ..themes import find_themes, themes_to_json

    if (session_ref is None) == (file is None):
        raise click.UsageError("Give a SESSION or --file F (one of them).")
    if file is not None:
        texts = nonblank_lines(file, "idea")
        model = find_themes(texts, n_themes=n_themes, method=method)
    else:
        from ..themes.session import fit_stored_session

        rec = c.store.get_session(session_ref)
        model = fit_stored_session(c.store, rec.id, save=save, n_themes=n_themes, method=method)
    data = themes_to_json(model, include_state=False)
    if as_json:
        echo_json({"labels": data["labels"], "themes": data["themes"]})
        return
    n = len(data["labels"])
    other = sum(1 for v in data["labels"] if v == -1)
    themes = ngettext("en", "panels.themes", len(data["themes"]))
    click.echo(f"{themes} from {ngettext('en', 'panels.ideas', n)} ({other} other / unclear)")
    for th in sorted(data["themes"], key=lambda t: -int(t["size"])):
        click.echo(f"\n[{th['id']}] {th['label']}  ({ngettext('en', 'panels.ideas', th['size'])})")
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
    from ..themes import build_static_model

    click.echo(str(build_static_model(out, dim=dim)))
