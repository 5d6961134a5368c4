"""Any other table: one header row, one respondent per row (source ``survey``).

For sheets made by hand or exported by tools without their own importer. Columns get their role
from the plan (:mod:`.plan`) like the form tools; a ``Timestamp``, ``created_at`` or ``Date``
column gives ``created_at``, an ``ID`` / ``Response ID`` column identifies responses.
"""

from __future__ import annotations

from typing import ClassVar

from ._csv import looks_tabular
from ._tabular import TabularImporter

__all__ = ["CsvImporter"]


class CsvImporter(TabularImporter):
    """Import any table with one header row."""

    name: ClassVar[str] = "csv"
    label: ClassVar[str] = "CSV"

    def sniff(self, rows: list[list[str]]) -> bool:
        """Any table: a header of two or more cells and rows of the same width."""
        return looks_tabular(rows)
