"""Qualtrics: Data & Analysis > Export & Import > Export data > CSV, TSV or Excel (.xlsx).

Three header rows. Row 1 holds the columns' short names (``StartDate``, ``EndDate``, ``Status``,
``IPAddress``, ``Progress``, ``Duration (in seconds)``, ``Finished``, ``RecordedDate``,
``ResponseId``, ``RecipientLastName``, ``RecipientFirstName``, ``RecipientEmail``,
``ExternalReference``, ``LocationLatitude``, ``LocationLongitude``, ``DistributionChannel``,
``UserLanguage``, then ``Q1``, ``Q2_TEXT``...); row 2 the question texts (``Start Date``, ...,
``What gets in the way...?``); row 3 each column's import id as JSON (``{"ImportId":"QID2_TEXT"}``).
Exports without the third row ("use legacy format" off) have two. Data starts after them.

The question text (row 2) is the column's header; the short name (row 1) is checked for private
and metadata columns too, so ``IPAddress``, ``RecipientEmail`` or ``LocationLatitude`` are
withheld whatever row 2 says. ``ResponseId`` identifies each response in every download.
"""

from __future__ import annotations

from typing import ClassVar

from ._tabular import TabularImporter, number_duplicates
from .plan import Table, TableColumn
from .records import normalise_header

__all__ = ["QualtricsImporter"]

_NAMES = {"responseid", "response id"}


def _is_import_row(row: list[str]) -> bool:
    return any(c.strip().startswith('{"ImportId"') for c in row)


class QualtricsImporter(TabularImporter):
    """Import a Qualtrics export with its three (or two) header rows (source ``survey``)."""

    name: ClassVar[str] = "qualtrics"
    label: ClassVar[str] = "Qualtrics"

    def sniff(self, rows: list[list[str]]) -> bool:
        """Row 3 holds ``{"ImportId": ...}`` cells, or row 1 has ``ResponseId`` and
        ``Finished`` and row 2 repeats them as ``Response ID`` / ``Finished``."""
        if len(rows) >= 3 and _is_import_row(rows[2]):
            return True
        if len(rows) < 2:
            return False
        first = [normalise_header(h) for h in rows[0]]
        second = {normalise_header(h) for h in rows[1]}
        return bool(set(first) & _NAMES) and "finished" in first and "response id" in second

    def table(self, rows: list[list[str]]) -> Table:
        """Headers are row 2 (question text) with row 1's short names; data after row 3."""
        names = rows[0] if rows else []
        texts = rows[1] if len(rows) > 1 else []
        three = len(rows) > 2 and _is_import_row(rows[2])
        width = max(len(names), len(texts))
        headers = number_duplicates(
            [
                (texts[i].strip() if i < len(texts) else "")
                or (names[i].strip() if i < len(names) else "")
                for i in range(width)
            ]
        )
        columns = [
            TableColumn(i, h, name=names[i].strip() if i < len(names) else "")
            for i, h in enumerate(headers)
        ]
        skip = 3 if three else 2
        layout = (
            "3 header rows (short name, question, import id)"
            if three
            else "2 header rows (short name, question)"
        )
        return Table(columns, rows[skip:], skip + 1, layout)
