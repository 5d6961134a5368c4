"""``python -m pbp_facilitate`` runs the ``pbp`` command line."""

from .cli import main

raise SystemExit(main())
