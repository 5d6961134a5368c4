"""``pbp init DIR``: a working folder with the kit's workbooks and surveys to customise.

The kit ships its workbooks and surveys inside the package
(:func:`~pbp_facilitate.settings.kit_folder`), so ``pbp`` works from any folder; a working
folder holds copies to change, the default SQLite database (``data/``) and the summaries
(``outputs/``). Every command run inside it uses its folders (they are the defaults, relative
to where ``pbp`` runs). :func:`init_folder` does the work; the command only reports it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from ..errors import ValidationError
from ..settings import kit_folder
from ._base import cli

__all__ = ["init_folder"]

_README = """# {name}: a pbp-facilitate working folder

Run every `pbp` command from this folder: it uses the folders below.

- `workbooks/`: the facilitator dashboards (`facilitate.ipynb`, `goals.ipynb`, `equity.ipynb`,
  `review.ipynb`) and the summary template (`summary.ipynb`); change them freely.
- `surveys/`: session definitions (`visioning.yaml`, `town-hall.yaml`) and the community
  benchmarks the equity lens compares with (`community_benchmarks.csv`): put your own numbers in.
- `data/`: the database (`data/pbp.sqlite3`). Back it up; it holds participants' ideas.
- `outputs/`: summaries written by `pbp summarize`.

Start: `pbp demo` (add `--ip 0.0.0.0` so phones on the room's Wi-Fi can join), or
`pbp session create --survey surveys/visioning.yaml --title "..."` then `pbp serve --ip 0.0.0.0`.
"""


def init_folder(dest: str | Path) -> list[Path]:
    """Create a working folder at ``dest``: workbooks, surveys, data/, outputs/, README.md.

    Parameters
    ----------
    dest : path
        A folder that does not exist yet, or an empty one.

    Returns
    -------
    list of Path
        The files and folders created.

    Raises
    ------
    ValidationError
        When ``dest`` is a file or a folder that is not empty (nothing is written then).
    """
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ValidationError(
            f"{dest} already exists and is not an empty folder; expected a new folder name "
            "(pbp init my-partnership) so nothing of yours is overwritten.",
            field="dest",
        )
    dest.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    for option, sub, pattern in (
        ("workbooks_dir", "workbooks", "*.ipynb"),
        ("surveys_dir", "surveys", "*"),
    ):
        target = dest / sub
        target.mkdir()
        for src in sorted(kit_folder(option).glob(pattern)):
            if src.is_file() and src.suffix in (".ipynb", ".yaml", ".csv"):
                shutil.copyfile(src, target / src.name)
                made.append(target / src.name)
    for sub in ("data", "outputs"):
        (dest / sub).mkdir()
        made.append(dest / sub)
    readme = dest / "README.md"
    readme.write_text(_README.format(name=dest.resolve().name), encoding="utf-8")
    made.append(readme)
    return made


@cli.command("init")
@click.argument("folder", type=click.Path(path_type=Path))
def init_cmd(folder: Path) -> None:
    """Create FOLDER with workbooks and surveys to customise, data/, outputs/ and a README."""
    made = init_folder(folder)
    click.echo(
        f"Created {folder}/ ({len(made)} files and folders): workbooks/, surveys/, data/, "
        "outputs/, README.md. Next:"
    )
    click.echo(f"  cd {folder} && pbp demo        # add --ip 0.0.0.0 so phones can join")
