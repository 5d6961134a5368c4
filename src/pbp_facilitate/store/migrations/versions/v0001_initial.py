"""Initial schema: sessions, prompts, submissions, participant profiles.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("survey_key", sa.String(100), nullable=False),
        sa.Column("survey_json", sa.Text, nullable=False),
        sa.Column("languages", sa.String(100), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "prompts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "session_id",
            sa.Integer,
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("text_json", sa.Text, nullable=False),
        sa.Column("is_open", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("session_id", "key", name="uq_prompt_key"),
    )
    op.create_table(
        "submissions",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(40), nullable=False, unique=True),
        sa.Column(
            "session_id",
            sa.Integer,
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "prompt_id", sa.Integer, sa.ForeignKey("prompts.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("participant_key", sa.String(64), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("idempotency_key", sa.String(100), nullable=True, unique=True),
    )
    op.create_index("ix_submissions_session", "submissions", ["session_id", "seq"])
    op.create_table(
        "participant_profiles",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "session_id",
            sa.Integer,
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("participant_key", sa.String(64), nullable=False),
        sa.Column("consented", sa.Boolean, nullable=False),
        sa.Column("consent_at", TS, nullable=True),
        sa.Column("demographics_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("session_id", "participant_key", name="uq_profile_participant"),
    )
