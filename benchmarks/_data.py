"""Where the benchmarks find the shared labelled text sets (read in place, never copied)."""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "datasets"
"""``../shared/datasets`` relative to the repository root."""


def add_data_argument(ap: argparse.ArgumentParser) -> None:
    """Add ``--data DIR`` (default ``../shared/datasets`` beside the repository)."""
    ap.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="Folder of the shared datasets (*.jsonl, polis/); default: ../shared/datasets "
        "relative to the repository root.",
    )


def data_folder(path: Path) -> Path:
    """Return ``path`` if it is a folder, else stop with a message that says what was expected."""
    if not path.is_dir():
        raise SystemExit(
            f"No datasets folder at {path}; expected the shared folder with banking77.jsonl, "
            "searchsnippets.jsonl ... Pass --data DIR."
        )
    return path
