"""Seed a database for ``pytest --nbval-lax workbooks/`` and point the kernels at it.

nbval starts each notebook's kernel with this process's environment, so the
variables are set in ``pytest_configure`` (before any kernel starts). The
database holds the demo session (about 150 ideas, one hidden, three goals)
with a theme snapshot and a closed voting round, so every workbook has
something to show.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_SAVED: dict[str, str | None] = {}
_TMP: list[str] = []


def seed_workbook_database(url: str) -> None:
    """Create the demo session in ``url`` with themes, a finished voting round and goals."""
    from pbp_facilitate.demo import seed_demo
    from pbp_facilitate.store import Store
    from pbp_facilitate.widgets.themeboard import compute_themes

    with Store(url) as store:
        session = seed_demo(store, ROOT / "surveys" / "visioning.yaml")
        fit = compute_themes(store, session.id, clouds=False)
        themes = sorted(fit.data["themes"], key=lambda t: -t["size"])[:5]
        vr = store.start_voting_round(
            session.id, [{"id": t["id"], "label": t["label"]} for t in themes], dots=3
        )
        for i in range(12):
            store.cast_ballot(
                vr.id,
                f"demo-voter-{i:02d}",
                {themes[i % len(themes)]["id"]: 2, themes[(i + 1) % len(themes)]["id"]: 1},
            )
        store.close_voting_round(vr.id)


def pytest_configure(config: pytest.Config) -> None:
    """Seed a throw-away database and export its URL (and folders) for the kernels."""
    tmp = tempfile.mkdtemp(prefix="pbp-workbooks-")
    _TMP.append(tmp)
    url = f"sqlite:///{Path(tmp) / 'workbooks.sqlite3'}"
    seed_workbook_database(url)
    env = {
        "PBP_DATABASE_URL": url,
        "PBP_DATA_DIR": tmp,
        "PBP_OUTPUTS_DIR": str(Path(tmp) / "outputs"),
        "PBP_SURVEYS_DIR": str(ROOT / "surveys"),
        "PBP_WORKBOOKS_DIR": str(ROOT / "workbooks"),
    }
    for k, v in env.items():
        _SAVED[k] = os.environ.get(k)
        os.environ[k] = v


def pytest_unconfigure(config: pytest.Config) -> None:
    """Restore the environment and remove the database."""
    for k, v in _SAVED.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    for tmp in _TMP:
        shutil.rmtree(tmp, ignore_errors=True)
