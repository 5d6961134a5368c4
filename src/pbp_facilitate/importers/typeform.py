"""Typeform: Results > Responses > Download all responses > CSV or .xlsx.

One header row: ``#`` (the response token), one column per question (the question's title; a
choice question with "Other" adds a column headed ``Other`` right after its question, so several
columns may share that header), then ``Response Type``, ``Start Date (UTC)``, ``Stage Date
(UTC)``, ``Submit Date (UTC)``, ``Network ID``, ``Tags`` (older exports: ``Start Date (UTC)``,
``Submit Date (UTC)``, ``Network ID``). An ``Other`` column is shown with its question (``Which
of these should come first? [Other]``) and, like SurveyMonkey's "Other (please specify)" boxes,
imported only when a mapping names it (by that header or by column number); any header still
repeated is numbered (``Other (2)``), so each column can be told apart. ``#`` identifies each
response in every download; ``Network ID`` (a digest of the respondent's network) is withheld
like an IP address.
"""

from __future__ import annotations

from typing import ClassVar

from ._tabular import TabularImporter, number_duplicates
from .plan import Table, TableColumn
from .records import normalise_header

__all__ = ["TypeformImporter"]

_MARKS = {"network id", "submit date utc", "start date utc"}
_OTHER = {"other", "otro", "otra", "other please specify", "otro especifique"}


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
        """One header row; ``Other`` columns named after their question, repeats numbered."""
        raw = [h.strip() for h in (rows[0] if rows else [])]
        headers: list[str] = []
        other: list[bool] = []
        question = ""
        for h in raw:
            if normalise_header(h) in _OTHER and question:
                headers.append(f"{question} [{h}]")
                other.append(True)
            else:
                question = h
                headers.append(h)
                other.append(False)
        headers = number_duplicates(headers)
        columns = [
            TableColumn(i, h, auto=not o)
            for i, (h, o) in enumerate(zip(headers, other, strict=True))
        ]
        return Table(
            columns, rows[1:], 2, "1 header row (Other columns named after their question)"
        )
