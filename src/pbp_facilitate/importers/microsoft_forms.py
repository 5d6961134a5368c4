"""Microsoft Forms: "Open results in Excel" (.xlsx, the only download), or that sheet as CSV.

Header: ``ID``, ``Start time``, ``Completion time``, ``Email``, ``Name``
(``Last modified time``, ``Total points``, ``Quiz feedback`` in newer exports), then one column
per question. Excel's plain "CSV" save writes Windows-1252; "CSV UTF-8" writes UTF-8 with a
byte-order mark; both are accepted, like the .xlsx itself. Times look like ``3/14/2024
18:05:12`` (the workbook's local time, taken as UTC since the file does not say). ``ID``
numbers the responses and identifies them in every download.
"""

from __future__ import annotations

from typing import ClassVar

from ._tabular import TabularImporter
from .records import normalise_header

__all__ = ["MicrosoftFormsImporter"]

_SIGNATURE = ({"start time", "completion time"}, {"hora de inicio", "hora de finalizacion"})


class MicrosoftFormsImporter(TabularImporter):
    """Import a Microsoft Forms results workbook or CSV (source ``survey``)."""

    name: ClassVar[str] = "microsoft-forms"
    label: ClassVar[str] = "Microsoft Forms"

    def sniff(self, rows: list[list[str]]) -> bool:
        """Microsoft Forms exports have ``Start time`` and ``Completion time`` columns."""
        if not rows:
            return False
        headers = {normalise_header(h) for h in rows[0]}
        return any(sig <= headers for sig in _SIGNATURE)
