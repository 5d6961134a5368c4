"""SurveyGizmo / Alchemer: Results > Exports > CSV/Excel export of responses.

One header row: ``Response ID``, ``Time Started``, ``Date Submitted``, ``Status``, ``Contact
ID``, ``Legacy Comments``, ``Comments``, ``Language``, ``Referer``, ``SessionID``, ``User
Agent``, ``Tags``, ``IP Address``, ``Longitude``, ``Latitude``, ``Country``, ``City``,
``State/Region``, ``Postal``, then one column per question (choice questions with "other"
add ``Question:Other`` columns). Location, network and device columns are withheld;
``Response ID`` identifies each response in every download.
"""

from __future__ import annotations

from typing import ClassVar

from ._tabular import TabularImporter
from .records import normalise_header

__all__ = ["SurveyGizmoImporter"]


class SurveyGizmoImporter(TabularImporter):
    """Import a SurveyGizmo/Alchemer responses export (source ``survey``)."""

    name: ClassVar[str] = "surveygizmo"
    label: ClassVar[str] = "SurveyGizmo / Alchemer"

    def sniff(self, rows: list[list[str]]) -> bool:
        """``Response ID`` with ``Time Started`` or ``Date Submitted``."""
        if not rows:
            return False
        headers = {normalise_header(h) for h in rows[0]}
        return "response id" in headers and bool({"time started", "date submitted"} & headers)
