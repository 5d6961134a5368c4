"""Goal indicators (baseline, target, direction, groups) and partners' indicator values.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.String(32)


def upgrade() -> None:
    with op.batch_alter_table("goals") as batch:
        batch.add_column(sa.Column("indicator_json", sa.Text, nullable=False, server_default="{}"))
    op.create_table(
        "indicator_values",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "goal_id", sa.Integer, sa.ForeignKey("goals.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("period_at", sa.Float, nullable=False),
        sa.Column("grp", sa.String(200), nullable=False, server_default=""),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("n", sa.Integer, nullable=True),
        sa.Column("imported_at", TS, nullable=False),
        sa.UniqueConstraint("goal_id", "period", "grp", name="uq_indicator_values_goal_period_grp"),
    )
