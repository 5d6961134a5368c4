"""Sentence vectors of ideas, one per idea and encoder model, so each text is encoded once.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submission_vectors",
        sa.Column(
            "submission_id",
            sa.String(40),
            sa.ForeignKey("submissions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("model", sa.String(40), primary_key=True),
        sa.Column("text_digest", sa.String(40), nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )
