"""Any other table: one header row, one respondent per row (source ``survey``).

For sheets made by hand or exported by tools without their own importer.
Columns map to prompts by header or by the mapping file, like the form tools;
a ``Timestamp``, ``created_at`` or ``Date`` column gives ``created_at``.
"""

from __future__ import annotations

from typing import ClassVar

from ._csv import looks_tabular
from ._tabular import Column, parse_table
from .records import ImportContext, Importer, ParseResult

__all__ = ["CsvImporter"]


class CsvImporter(Importer):
    """Import any CSV with one header row."""

    name: ClassVar[str] = "csv"
    label: ClassVar[str] = "CSV"
    source: ClassVar[str] = "survey"

    def sniff(self, rows: list[list[str]]) -> bool:
        """Any table: a header of two or more cells and rows of the same width."""
        return looks_tabular(rows)

    def parse(self, text: str, rows: list[list[str]] | None, ctx: ImportContext) -> ParseResult:
        """Read the answers; row 1 is the header."""
        rows = rows or []
        header = rows[0] if rows else []
        columns = [Column(i, h.strip()) for i, h in enumerate(header)]
        return parse_table(
            columns,
            rows[1:],
            2,
            ctx,
            time_columns=("Timestamp", "created_at", "Date"),
            format_label=self.label,
        )
