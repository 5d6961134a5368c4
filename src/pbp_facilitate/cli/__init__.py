"""The ``pbp`` command line: a thin layer over the library.

Exit status 1 with ``Error: ...`` for user errors (any :class:`PbpError`),
2 for usage errors (click's own). Every command that prints data takes
``--json``.

One module per area registers its commands on the root group of :mod:`._base`:

- :mod:`.sessions`: ``pbp session create|list|show``;
- :mod:`.data`: ``pbp import``, ``pbp export``;
- :mod:`.themes`: ``pbp themes``, ``pbp build-static-model``;
- :mod:`.goals`: ``pbp goals check|add|list|set``, ``pbp indicators import``, ``pbp progress``;
- :mod:`.serve`: ``pbp demo``, ``pbp serve``;
- :mod:`.series`: ``pbp series create|add|list``;
- :mod:`.summaries`: ``pbp summarize`` (sessions and series), ``pbp publish``;
- :mod:`.opinions`: ``pbp opinions``;
- :mod:`.workfolder`: ``pbp init``.
"""

from __future__ import annotations

from . import (  # noqa: F401  (register commands)
    data,
    goals,
    opinions,
    series,
    serve,
    sessions,
    summaries,
    themes,
    workfolder,
)
from ._base import cli

__all__ = ["main", "cli"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    try:
        cli.main(args=argv, prog_name="pbp", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
