"""Table definitions of the store (SQLAlchemy Core), at the newest schema version.

Times are ISO-8601 UTC strings written by :mod:`pbp_facilitate.clock` so they sort
and compare the same on SQLite and PostgreSQL. No table holds IP addresses or
user agents. Demographics live only in ``participant_profiles`` and only with
recorded consent.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "metadata",
    "sessions",
    "prompts",
    "submissions",
    "participant_profiles",
    "voting_rounds",
    "votes",
    "theme_snapshots",
    "theme_edits",
    "goals",
    "audit_log",
    "submission_vectors",
    "imports",
    "indicator_values",
    "reaction_rounds",
    "reactions",
    "series",
    "series_sessions",
]

metadata = sa.MetaData()

TS = sa.String(32)

sessions = sa.Table(
    "sessions",
    metadata,
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

prompts = sa.Table(
    "prompts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("key", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("text_json", sa.Text, nullable=False),
    sa.Column("is_open", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("session_id", "key", name="uq_prompt_key"),
)

submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(40), nullable=False, unique=True),
    sa.Column(
        "session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "prompt_id", sa.Integer, sa.ForeignKey("prompts.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("participant_key", sa.String(64), nullable=True),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("idempotency_key", sa.String(100), nullable=True, unique=True),
    sa.Index("ix_submissions_session", "session_id", "seq"),
)

participant_profiles = sa.Table(
    "participant_profiles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("participant_key", sa.String(64), nullable=False),
    sa.Column("consented", sa.Boolean, nullable=False),
    sa.Column("consent_at", TS, nullable=True),
    sa.Column("demographics_json", sa.Text, nullable=False, server_default="{}"),
    sa.Column("updated_at", TS, nullable=False),
    sa.UniqueConstraint("session_id", "participant_key", name="uq_profile_participant"),
)

# --- added in schema version 0002 ---------------------------------------------------------

voting_rounds = sa.Table(
    "voting_rounds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("status", sa.String(16), nullable=False, server_default="open"),
    sa.Column("dots", sa.Integer, nullable=False),
    sa.Column("options_json", sa.Text, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("closed_at", TS, nullable=True),
    # options are theme ids named by the themes' current labels (migration 0004)
    sa.Column("from_themes", sa.Boolean, nullable=False, server_default=sa.false()),
)

votes = sa.Table(
    "votes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "round_id",
        sa.Integer,
        sa.ForeignKey("voting_rounds.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("participant_key", sa.String(64), nullable=False),
    sa.Column("option_id", sa.Integer, nullable=False),
    sa.Column("dots", sa.Integer, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.UniqueConstraint("round_id", "participant_key", "option_id", name="uq_vote"),
)

theme_snapshots = sa.Table(
    "theme_snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("data_json", sa.Text, nullable=False),
)

theme_edits = sa.Table(
    "theme_edits",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("edit_json", sa.Text, nullable=False),
    # the themes version the edit was made on; an undone edit stays here but no longer replays
    sa.Column("base_version", sa.Integer, nullable=True),
    sa.Column("undone_at", TS, nullable=True),
    sa.Column("undone_by", sa.String(100), nullable=True),
)

goals = sa.Table(
    "goals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="draft"),
    sa.Column("theme_ids_json", sa.Text, nullable=False, server_default="[]"),
    sa.Column("check_json", sa.Text, nullable=False, server_default="{}"),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
    # added in 0006: the goal's indicator (goals.indicator.Indicator.to_dict())
    sa.Column("indicator_json", sa.Text, nullable=False, server_default="{}"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=True
    ),
    sa.Column("at", TS, nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("target", sa.String(100), nullable=True),
    sa.Column("detail_json", sa.Text, nullable=False, server_default="{}"),
)

# --- added in schema version 0003 ---------------------------------------------------------

submission_vectors = sa.Table(
    "submission_vectors",
    metadata,
    sa.Column(
        "submission_id",
        sa.String(40),
        sa.ForeignKey("submissions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # short name of the encoder and its storage format, e.g. "use-m3-f16"
    sa.Column("model", sa.String(40), primary_key=True),
    # digest of the text the vector was computed from (an edited text gets a new vector)
    sa.Column("text_digest", sa.String(40), nullable=False),
    # the vector's bytes as the encoder wrote them; the store never looks inside
    sa.Column("vector", sa.LargeBinary, nullable=False),
)

# --- added in schema version 0005 (imports) -------------------------------------------------

imports = sa.Table(
    "imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("at", TS, nullable=False),
    sa.Column("file", sa.Text, nullable=False),
    sa.Column("format", sa.String(40), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    # the import said the survey asked respondents' consent to keep their demographic answers
    sa.Column("demographics_consented", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("responses_added", sa.Integer, nullable=False, server_default="0"),
    sa.Column("ideas_added", sa.Integer, nullable=False, server_default="0"),
    sa.Column("detail_json", sa.Text, nullable=False, server_default="{}"),
)

# --- added in schema version 0006 (goal indicators) ----------------------------------------

indicator_values = sa.Table(
    "indicator_values",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("goal_id", sa.Integer, sa.ForeignKey("goals.id", ondelete="CASCADE"), nullable=False),
    # the period as written after normalising ("2024", "2024-25", "2024-Q3", "2024-09")
    sa.Column("period", sa.String(20), nullable=False),
    # the period as a decimal year, for ordering and the target path
    sa.Column("period_at", sa.Float, nullable=False),
    # "" is everyone; otherwise a group as the partner named it ("Black", "Latino")
    sa.Column("grp", sa.String(200), nullable=False, server_default=""),
    sa.Column("value", sa.Float, nullable=False),
    # people behind the value (optional): small counts are never shown
    sa.Column("n", sa.Integer, nullable=True),
    sa.Column("imported_at", TS, nullable=False),
    sa.UniqueConstraint("goal_id", "period", "grp", name="uq_indicator_values_goal_period_grp"),
)

# --- added in schema version 0007 (reactions) ---------------------------------------------

reaction_rounds = sa.Table(
    "reaction_rounds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "prompt_id", sa.Integer, sa.ForeignKey("prompts.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("status", sa.String(16), nullable=False, server_default="open"),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("closed_at", TS, nullable=True),
)

reactions = sa.Table(
    "reactions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "submission_id",
        sa.String(40),
        sa.ForeignKey("submissions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("participant_key", sa.String(64), nullable=False),
    # the participant id the data came with (imports, e.g. a Polis participant number)
    sa.Column("participant_ref", sa.String(64), nullable=True),
    # 1 agree, -1 disagree, 0 pass
    sa.Column("value", sa.SmallInteger, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
    sa.UniqueConstraint("submission_id", "participant_key", name="uq_reaction"),
    sa.Index("ix_reactions_session", "session_id", "submission_id"),
)

# --- added in schema version 0008 (series of sessions) -------------------------------------

series = sa.Table(
    "series",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # a short name people type (``pbp series create eastside-2026``); unique, case-insensitive
    sa.Column("name", sa.String(60), nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
)

series_sessions = sa.Table(
    "series_sessions",
    metadata,
    sa.Column(
        "series_id", sa.Integer, sa.ForeignKey("series.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "session_id",
        sa.Integer,
        sa.ForeignKey("sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("added_at", TS, nullable=False),
)
