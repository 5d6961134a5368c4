"""``pbp init``: a working folder with the kit's workbooks and surveys."""

from __future__ import annotations

from pathlib import Path

import click

from ._base import cli


@cli.command("init")
@click.argument("folder", type=click.Path(path_type=Path))
def init_cmd(folder: Path) -> None:
    """Create FOLDER with workbooks and surveys to customise, data/, outputs/ and a README."""
    from ..workfolder import init_folder

    made = init_folder(folder)
    click.echo(
        f"Created {folder}/ ({len(made)} files and folders): workbooks/, surveys/, data/, "
        "outputs/, README.md. Next:"
    )
    click.echo(f"  cd {folder} && pbp demo        # add --ip 0.0.0.0 so phones can join")
