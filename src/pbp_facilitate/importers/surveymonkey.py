"""SurveyMonkey: Analyze results > Save as > All individual responses > CSV (expanded).

Two header rows. Row 1 holds ``Respondent ID``, ``Collector ID``, ``Start
Date``, ``End Date``, ``IP Address``, ``Email Address``, ``First Name``, ``Last
Name``, ``Custom Data 1`` and then each question's text, written once above
its first column and left blank above the others. Row 2 holds the sub-label of
each column: ``Response`` / ``Open-Ended Response`` for a text answer, an
option label for each choice of a multiple-choice question, ``Other (please
specify)`` for its free-text box. Dates look like ``03/14/2024 06:05:12 PM``.

Only ``Response`` / ``Open-Ended Response`` columns are matched to prompts by
header; an "Other (please specify)" column is imported only when a mapping
names it (as ``Question text [Other (please specify)]``) and is otherwise
reported as unmapped, like the choice columns.
"""

from __future__ import annotations

from typing import ClassVar

from ._tabular import Column, parse_table
from .records import ImportContext, Importer, ParseResult, normalise_header

__all__ = ["SurveyMonkeyImporter"]

_RESPONSE = {
    "response",
    "open ended response",
    "respuesta",
    "respuesta abierta",
    "respuesta de texto abierto",
}


class SurveyMonkeyImporter(Importer):
    """Import a SurveyMonkey "expanded" CSV with two header rows (source ``survey``)."""

    name: ClassVar[str] = "surveymonkey"
    label: ClassVar[str] = "SurveyMonkey CSV"
    source: ClassVar[str] = "survey"

    def sniff(self, rows: list[list[str]]) -> bool:
        """Row 1 has ``Respondent ID``; row 2 holds ``Response``-style sub-labels."""
        if len(rows) < 2 or not rows[0]:
            return False
        first = {normalise_header(h) for h in rows[0]}
        subs = {normalise_header(h) for h in rows[1]}
        return "respondent id" in first and bool(subs & _RESPONSE)

    def parse(self, text: str, rows: list[list[str]] | None, ctx: ImportContext) -> ParseResult:
        """Read the answers; rows 1 and 2 are headers, data starts on row 3."""
        rows = rows or []
        top = rows[0] if rows else []
        sub = rows[1] if len(rows) > 1 else []
        width = max(len(top), len(sub))
        columns: list[Column] = []
        question = ""
        for i in range(width):
            q = top[i].strip() if i < len(top) else ""
            s = sub[i].strip() if i < len(sub) else ""
            if q:
                question = q
            if not s or normalise_header(s) in _RESPONSE:
                columns.append(Column(i, question if q or s else "", auto=True))
            else:
                columns.append(Column(i, f"{question} [{s}]" if question else s, auto=False))
        return parse_table(
            columns,
            rows[2:],
            3,
            ctx,
            time_columns=("End Date", "Start Date"),
            format_label=self.label,
        )
