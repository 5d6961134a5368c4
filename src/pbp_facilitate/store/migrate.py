"""Schema versioning with Alembic: every open upgrades an older database in place."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

__all__ = ["HEAD", "upgrade", "current_version", "alembic_config"]

_MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "pbp_schema_version"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """Return an Alembic config pointing at the kit's migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


HEAD: str = ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_version(engine: sa.Engine) -> str | None:
    """Return the schema version of the database, or None for an empty one."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return ctx.get_current_revision()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (default: the newest), keeping all data."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Serialise concurrent upgrades by several processes opening the same database.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7061626)")
        command.upgrade(alembic_config(conn), revision)
