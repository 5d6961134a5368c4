"""Shared fixtures: real stores on SQLite (always) and PostgreSQL (when PBP_TEST_POSTGRES_URL is
set).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from pbp_facilitate.store import SessionRecord, Store
from pbp_facilitate.surveys import Survey, load_survey

ROOT = Path(__file__).resolve().parents[1]
SURVEYS = ROOT / "surveys"
POSTGRES_URL = os.environ.get("PBP_TEST_POSTGRES_URL", "")


def _postgres_db(base_url: str) -> Iterator[str]:
    """Create a throw-away database on the PostgreSQL server, yield its URL, drop it."""
    name = f"pbp_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(base_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                ),
                {"n": name},
            )
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.dispose()


_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=_BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, and PostgreSQL when PBP_TEST_POSTGRES_URL
    is set.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'pbp.sqlite3'}"
        return
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail(
                "CI must set PBP_TEST_POSTGRES_URL so the store suite runs on PostgreSQL too."
            )
        pytest.skip("PBP_TEST_POSTGRES_URL is not set; PostgreSQL tests run in CI (.ci/run).")
    yield from _postgres_db(POSTGRES_URL)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'pbp.sqlite3'}"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An opened (migrated) store on each backend."""
    s = Store(store_url)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(scope="session")
def visioning_survey() -> Survey:
    """The shipped visioning survey."""
    return load_survey(SURVEYS / "visioning.yaml")


@pytest.fixture
def session(store: Store, visioning_survey: Survey) -> SessionRecord:
    """A fresh visioning session in ``store``."""
    return store.create_session(visioning_survey, "Eastside visioning")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's headless Chromium through Playwright (never a downloaded browser)."""
    from support import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()
