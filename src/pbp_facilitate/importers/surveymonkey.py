"""SurveyMonkey: Analyze results > Save as > All individual responses > CSV or XLS (expanded).

Two header rows, in both the current and the old ("legacy") exports. Row 1 holds ``Respondent
ID`` (``RespondentID`` in old exports), ``Collector ID``, ``Start Date``, ``End Date``, ``IP
Address``, ``Email Address``, ``First Name``, ``Last Name``, ``Custom Data 1`` and then each
question's text, written once above its first column and left blank above the others. Row 2
holds the sub-label of each column: ``Response`` / ``Open-Ended Response`` for a text answer, an
option label for each choice of a multiple-choice question, ``Other (please specify)`` for its
free-text box, and ``Name``, ``Email Address``, ``Phone Number``... under a ``Contact
Information`` question (all private, never stored). Dates look like ``03/14/2024 06:05:12 PM``.

Columns are shown as ``Question [sub-label]``. Only ``Response`` / ``Open-Ended Response``
columns are matched to prompts without a mapping; an "Other (please specify)" column is imported
when a mapping names it, and is otherwise reported as not imported, like the choice columns.
``Respondent ID`` identifies each response in every download.
"""

from __future__ import annotations

from typing import ClassVar

from ._tabular import TabularImporter, number_duplicates
from .plan import Table, TableColumn
from .records import normalise_header

__all__ = ["SurveyMonkeyImporter"]

_RESPONSE = {
    "response",
    "open ended response",
    "respuesta",
    "respuesta abierta",
    "respuesta de texto abierto",
}
_ID = {"respondent id", "respondentid", "id del encuestado"}


class SurveyMonkeyImporter(TabularImporter):
    """Import a SurveyMonkey "expanded" export with two header rows (source ``survey``)."""

    name: ClassVar[str] = "surveymonkey"
    label: ClassVar[str] = "SurveyMonkey"

    def sniff(self, rows: list[list[str]]) -> bool:
        """Row 1 has ``Respondent ID`` (or ``RespondentID``); row 2 holds sub-labels."""
        if len(rows) < 2 or not rows[0]:
            return False
        first = {normalise_header(h) for h in rows[0]}
        subs = {normalise_header(h) for h in rows[1]}
        return bool(first & _ID) and bool(subs & _RESPONSE)

    def table(self, rows: list[list[str]]) -> Table:
        """Rows 1 and 2 are headers, data starts on row 3."""
        top = rows[0] if rows else []
        sub = rows[1] if len(rows) > 1 else []
        width = max(len(top), len(sub))
        headers: list[str] = []
        auto: list[bool] = []
        question = ""
        for i in range(width):
            q = top[i].strip() if i < len(top) else ""
            s = sub[i].strip() if i < len(sub) else ""
            if q:
                question = q
            if not s or normalise_header(s) in _RESPONSE:
                headers.append(question if q or s else "")
                auto.append(True)
            else:
                headers.append(f"{question} [{s}]" if question else s)
                auto.append(False)
        headers = number_duplicates(headers)
        columns = [
            TableColumn(i, h, auto=a) for i, (h, a) in enumerate(zip(headers, auto, strict=True))
        ]
        return Table(columns, rows[2:], 3, "2 header rows (question, sub-label)")
