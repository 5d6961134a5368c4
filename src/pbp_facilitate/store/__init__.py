"""The session store: the only SQL in the kit, on SQLite (default) or PostgreSQL.

Every write runs in one transaction and returns only after COMMIT, so an
acknowledged write is durable (SQLite runs in WAL mode with
``synchronous=FULL``). Opening a database upgrades an older schema in place.

:class:`Store` is composed of one part per area; callers only ever use ``Store``
and the names below.

- :mod:`.engine`: engine creation (SQLite pragmas, PostgreSQL pool), retries of
  transient failures, read/write transactions, database error translation, and
  the store-wide methods (``close``, ``dialect``, ``schema_version``,
  ``data_version``, ``integrity_check``);
- :mod:`.records`: the record dataclasses the store returns and their row builders;
- :mod:`.checks`: ``check_storable_text`` and the one check of new ideas every
  write path runs;
- :mod:`.audit`: the bookkeeping of every write (session ``updated_at``, audit
  trail) and ``audit_log``;
- :mod:`.sessions`: sessions, join codes, prompts;
- :mod:`.submissions`: ideas (single, group-commit and bulk writes) and moderation;
- :mod:`.participants`: consent and demographics;
- :mod:`.imports`: survey imports (ideas, new prompts, consented demographics) in one transaction;
- :mod:`.voting`: dot-voting rounds and ballots;
- :mod:`.reactions`: reactions rounds and agree / disagree / pass reactions to ideas;
- :mod:`.themes`: theme snapshots and theme edits;
- :mod:`.goals`: goals, their checks and indicators;
- :mod:`.indicators`: partners' indicator values for goals (by period and group);
- :mod:`.series`: series of sessions summarised together;
- :mod:`.vectors`: the sentence vectors of ideas, per encoder model (encoded once, kept);
- :mod:`.schema`, :mod:`.migrate`, ``migrations/``: the tables and their Alembic upgrades.
"""

from __future__ import annotations

from typing import Any

from .audit import AuditMixin
from .checks import SOURCES, check_storable_text
from .engine import StoreEngine
from .goals import GoalsMixin
from .imports import ImportsMixin
from .indicators import IndicatorsMixin
from .participants import ParticipantsMixin
from .reactions import REACTION_VALUES, NewReaction, ReactionRound, ReactionsMixin
from .records import (
    GoalRecord,
    NewSubmission,
    PromptRecord,
    SessionRecord,
    SubmissionRecord,
    VotingRound,
)
from .series import SeriesMixin, SeriesRecord
from .sessions import SESSION_CODE_ALPHABET, SessionsMixin
from .submissions import SubmissionsMixin
from .themes import ThemesMixin
from .vectors import VectorsMixin
from .voting import VotingMixin

__all__ = [
    "Store",
    "open_store",
    "SessionRecord",
    "PromptRecord",
    "SubmissionRecord",
    "NewSubmission",
    "VotingRound",
    "GoalRecord",
    "SeriesRecord",
    "SOURCES",
    "SESSION_CODE_ALPHABET",
    "check_storable_text",
    "ReactionRound",
    "NewReaction",
    "REACTION_VALUES",
]


class Store(
    ImportsMixin,
    ParticipantsMixin,
    SessionsMixin,
    SubmissionsMixin,
    VotingMixin,
    ReactionsMixin,
    ThemesMixin,
    GoalsMixin,
    IndicatorsMixin,
    VectorsMixin,
    SeriesMixin,
    AuditMixin,
    StoreEngine,
):
    """Session store over SQLAlchemy Core.

    Parameters
    ----------
    url : str
        SQLAlchemy URL (``sqlite:///path.sqlite3`` or ``postgresql+psycopg://...``).
    busy_timeout_ms : int
        How long a SQLite writer waits for the write lock.
    upgrade_schema : bool
        Upgrade an older schema on open (default True).
    """


def open_store(url_or_settings: Any) -> Store:
    """Open (and upgrade) the store for a URL or a :class:`~pbp_facilitate.settings.Settings`."""
    if isinstance(url_or_settings, str):
        return Store(url_or_settings)
    s = url_or_settings
    return Store(s.resolved_database_url, busy_timeout_ms=s.busy_timeout_ms)
