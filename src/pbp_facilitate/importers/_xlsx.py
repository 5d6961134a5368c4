"""Excel workbooks (.xlsx): the rows of one sheet as strings, read with openpyxl in read-only mode.

Microsoft Forms downloads only .xlsx; Google Sheets and Excel write the same format. The first
sheet is read unless ``sheet`` names another. Cells become the text a CSV download would hold:
numbers without a spurious ``.0``, dates and times as ISO-8601 (so their order is never
guessed), booleans as ``TRUE``/``FALSE``, empty cells as ``""``. Formulas are read as their cached
values, never evaluated.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from typing import Any

from ..errors import ImportFormatError

__all__ = ["is_xlsx", "read_xlsx", "sheet_names"]


def is_xlsx(data: bytes) -> bool:
    """Return True when ``data`` is an Office Open XML workbook (a zip holding xl/workbook.xml)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "xl/workbook.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, datetime):
        return v.isoformat(sep=" ", timespec="seconds")
    if isinstance(v, date | time):
        return v.isoformat()
    return str(v)


def _open(data: bytes, name: str) -> Any:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise ImportFormatError(
            "Reading .xlsx needs the openpyxl package; install pbp-facilitate with its "
            "dependencies."
        ) from exc
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFormatError(
            f"{name} looks like an Excel workbook but cannot be opened ({exc}); open it in Excel "
            f"and save it again as .xlsx, or save the sheet as CSV UTF-8."
        ) from exc


def sheet_names(data: bytes, name: str = "<file>") -> list[str]:
    """Return the names of the workbook's sheets, in order."""
    wb = _open(data, name)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def read_xlsx(data: bytes, name: str = "<file>", sheet: str | None = None) -> list[list[str]]:
    """Return the rows of one sheet (the first unless ``sheet``) as lists of strings.

    Trailing empty cells and trailing empty rows are dropped, as a CSV download would.

    Raises
    ------
    ImportFormatError
        When the workbook cannot be opened or has no sheet ``sheet``.
    """
    wb = _open(data, name)
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise ImportFormatError(
                f"{name} has no sheet {sheet!r}; its sheets are {wb.sheetnames}. Pass one of them "
                f"with --sheet."
            )
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        rows: list[list[str]] = []
        for values in ws.iter_rows(values_only=True):
            row = [_cell(v) for v in values]
            while row and not row[-1]:
                row.pop()
            rows.append(row)
    finally:
        wb.close()
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        raise ImportFormatError(
            f"{name}: the sheet {sheet or 'first sheet'!r} is empty; pick the sheet that holds "
            f"the responses with --sheet."
        )
    return rows
