"""The demo's survey export: an online pre-survey imported into the demo session by its plan.

The file (``data/demo_survey_export.csv``) is a Google Forms download written as Google writes
it: ``Timestamp``, ``Email Address`` (withheld), three of the visioning questions in English and
Spanish answers, and the neighbourhood question (a demographic of the survey, not stored because
the demo import does not claim consent). No mapping file is used: the plan does it.
"""

from __future__ import annotations

from importlib import resources

from ..store import SessionRecord, Store
from . import ImportReport, import_bytes

__all__ = ["DEMO_EXPORT", "seed_demo_import"]

DEMO_EXPORT = "data/demo_survey_export.csv"


def seed_demo_import(store: Store, session: SessionRecord) -> ImportReport:
    """Import the demo pre-survey export into ``session`` (idempotent: a second run adds nothing).

    Returns
    -------
    ImportReport
    """
    data = resources.files("pbp_facilitate").joinpath(DEMO_EXPORT).read_bytes()
    return import_bytes(store, session, data, "pre-survey (Google Forms).csv")
