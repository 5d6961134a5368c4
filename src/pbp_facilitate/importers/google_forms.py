"""Google Forms: Responses > Download responses (.csv), or the linked Google Sheet as .xlsx.

One header row: ``Timestamp`` (``Marca temporal`` in Spanish), then
``Email Address`` / ``Score`` when collected, then one column per question
with the full question text. Timestamps look like ``2024/03/14 6:05:12 PM
GMT-4`` (CSV) or are date cells (.xlsx). Google writes no response id: a response is identified
by its timestamp plus its content.
"""

from __future__ import annotations

from typing import ClassVar

from ._tabular import TabularImporter
from .records import normalise_header

__all__ = ["GoogleFormsImporter"]

_TIME = {normalise_header(t) for t in ("Timestamp", "Marca temporal", "Marca de tiempo")}


class GoogleFormsImporter(TabularImporter):
    """Import a Google Forms responses CSV or sheet (source ``survey``)."""

    name: ClassVar[str] = "google-forms"
    label: ClassVar[str] = "Google Forms"

    def sniff(self, rows: list[list[str]]) -> bool:
        """Google Forms exports start with a ``Timestamp`` column."""
        return bool(rows) and bool(rows[0]) and normalise_header(rows[0][0]) in _TIME
