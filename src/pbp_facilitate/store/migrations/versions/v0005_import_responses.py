"""Imports: one row per survey import, with whether the survey collected consent to demographics.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "session_id",
            sa.Integer,
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", TS, nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("format", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("demographics_consented", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("responses_added", sa.Integer, nullable=False, server_default="0"),
        sa.Column("ideas_added", sa.Integer, nullable=False, server_default="0"),
        sa.Column("detail_json", sa.Text, nullable=False, server_default="{}"),
    )
