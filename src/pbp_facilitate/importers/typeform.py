"""Typeform: Results > Responses > Download all responses > CSV or .xlsx.

One header row: ``#`` (the response token), one column per question (the question's title; a
choice question with "Other" adds a column headed ``Other``, so several columns may share that
header), then ``Response Type``, ``Start Date (UTC)``, ``Stage Date (UTC)``, ``Submit Date
(UTC)``, ``Network ID``, ``Tags`` (older exports: ``Start Date (UTC)``, ``Submit Date (UTC)``,
``Network ID``). Repeated headers are numbered (``Other``, ``Other (2)``, ``Other (3)``) so
each column can be told apart and mapped. ``#`` identifies each response in every download;
``Network ID`` (a digest of the respondent's network) is withheld like an IP address.
"""

from __future__ import annotations

from typing import ClassVar

from ._tabular import TabularImporter, one_header_table
from .plan import Table
from .records import normalise_header

__all__ = ["TypeformImporter"]

_MARKS = {"network id", "submit date utc", "start date utc"}


class TypeformImporter(TabularImporter):
    """Import a Typeform responses CSV or workbook (source ``survey``)."""

    name: ClassVar[str] = "typeform"
    label: ClassVar[str] = "Typeform"

    def sniff(self, rows: list[list[str]]) -> bool:
        """The first header is ``#`` and ``Submit Date (UTC)`` or ``Network ID`` is present."""
        if not rows or not rows[0]:
            return False
        headers = {normalise_header(h) for h in rows[0]}
        return rows[0][0].strip() == "#" and bool(headers & _MARKS)

    def table(self, rows: list[list[str]]) -> Table:
        """One header row, repeated headers numbered."""
        return one_header_table(rows, "1 header row (repeated headers numbered)")
