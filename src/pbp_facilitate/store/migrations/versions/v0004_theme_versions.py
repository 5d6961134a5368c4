"""One versioned set of themes: edits that can be undone, rounds that vote on themes by id.

- ``theme_edits.undone_at`` / ``undone_by``: an undone edit stays in the trail but no longer
  replays; ``base_version``: the themes version the edit was made on (undo returns to it).
- ``voting_rounds.from_themes``: the round's options are theme ids, named by the themes'
  current labels wherever they are shown.

The themes version itself is the id of the session's latest ``theme_snapshots`` row.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.String(32)


def upgrade() -> None:
    with op.batch_alter_table("theme_edits") as batch:
        batch.add_column(sa.Column("base_version", sa.Integer, nullable=True))
        batch.add_column(sa.Column("undone_at", TS, nullable=True))
        batch.add_column(sa.Column("undone_by", sa.String(100), nullable=True))
    with op.batch_alter_table("voting_rounds") as batch:
        batch.add_column(
            sa.Column("from_themes", sa.Boolean, nullable=False, server_default=sa.false())
        )
