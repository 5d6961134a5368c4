"""Microsoft Forms: "Open results in Excel", then saved as CSV.

Header: ``ID``, ``Start time``, ``Completion time``, ``Email``, ``Name``
(``Last modified time`` in newer exports), then one column per question.
Excel's plain "CSV" save writes Windows-1252; "CSV UTF-8" writes UTF-8 with a
byte-order mark; both are accepted. Times look like ``3/14/2024 18:05:12`` (the
workbook's local time, taken as UTC since the file does not say).
"""

from __future__ import annotations

from typing import ClassVar

from ._tabular import Column, parse_table
from .records import ImportContext, Importer, ParseResult, normalise_header

__all__ = ["MicrosoftFormsImporter"]

_TIME = ("Completion time", "Hora de finalización", "Start time", "Hora de inicio")
_SIGNATURE = ({"start time", "completion time"}, {"hora de inicio", "hora de finalizacion"})


class MicrosoftFormsImporter(Importer):
    """Import a Microsoft Forms results CSV (source ``survey``)."""

    name: ClassVar[str] = "microsoft-forms"
    label: ClassVar[str] = "Microsoft Forms CSV"
    source: ClassVar[str] = "survey"

    def sniff(self, rows: list[list[str]]) -> bool:
        """Microsoft Forms exports have ``Start time`` and ``Completion time`` columns."""
        if not rows:
            return False
        headers = {normalise_header(h) for h in rows[0]}
        return any(sig <= headers for sig in _SIGNATURE)

    def parse(self, text: str, rows: list[list[str]] | None, ctx: ImportContext) -> ParseResult:
        """Read the answers; row 1 is the header."""
        rows = rows or []
        header = rows[0] if rows else []
        columns = [Column(i, h.strip()) for i, h in enumerate(header)]
        return parse_table(columns, rows[1:], 2, ctx, time_columns=_TIME, format_label=self.label)
