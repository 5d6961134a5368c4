"""Google Forms: Responses > Download responses (.csv).

One header row: ``Timestamp`` (``Marca temporal`` in Spanish), then
``Email Address`` / ``Score`` when collected, then one column per question
with the full question text. Timestamps look like ``2024/03/14 6:05:12 PM
GMT-4``. Files are UTF-8 without a byte-order mark.
"""

from __future__ import annotations

from typing import ClassVar

from ._tabular import Column, parse_table
from .records import ImportContext, Importer, ParseResult, normalise_header

__all__ = ["GoogleFormsImporter"]

_TIME = ("Timestamp", "Marca temporal")


class GoogleFormsImporter(Importer):
    """Import a Google Forms responses CSV (source ``survey``)."""

    name: ClassVar[str] = "google-forms"
    label: ClassVar[str] = "Google Forms CSV"
    source: ClassVar[str] = "survey"

    def sniff(self, rows: list[list[str]]) -> bool:
        """Google Forms exports start with a ``Timestamp`` column."""
        return (
            bool(rows)
            and bool(rows[0])
            and normalise_header(rows[0][0]) in {normalise_header(t) for t in _TIME}
        )

    def parse(self, text: str, rows: list[list[str]] | None, ctx: ImportContext) -> ParseResult:
        """Read the answers; row 1 is the header."""
        rows = rows or []
        header = rows[0] if rows else []
        columns = [Column(i, h.strip()) for i, h in enumerate(header)]
        return parse_table(columns, rows[1:], 2, ctx, time_columns=_TIME, format_label=self.label)
