"""Decoding of import files and reading of their CSV rows.

Files come from Google Forms (UTF-8), Excel "CSV UTF-8" (UTF-8 with a BOM),
plain Excel "CSV" (Windows-1252 on Windows), Excel "Unicode Text" (UTF-16 with
a BOM, tab separated) and text editors. :func:`decode_bytes` tries, in order,
UTF-16 (only with its BOM), UTF-8 (BOM stripped) and Windows-1252, and refuses
binary data (old .xls workbooks, PDFs, images, random bytes) with a message that says
how to save the file instead. ``.xlsx`` workbooks never get here: :mod:`._xlsx` reads them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import ImportFormatError

__all__ = ["decode_bytes", "read_rows", "sniff_delimiter", "looks_tabular"]

_MAGIC = {
    b"PK\x03\x04": "a zip archive that is no readable Excel workbook",
    b"\xd0\xcf\x11\xe0": "an old Excel/Word file (.xls/.doc)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"SQLite format 3": "a SQLite database",
}
_SAVE_AS = (
    "Save it as an Excel workbook (.xlsx) or as CSV (in Excel: File > Save As > 'Excel Workbook' "
    "or 'CSV UTF-8 (Comma delimited)'; in Google Forms: Responses > Download responses (.csv)) "
    "or as plain-text notes, and import that file."
)
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\x0c"}


def _describe_binary(data: bytes) -> str | None:
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return what
    return None


def decode_bytes(data: bytes, name: str = "<file>") -> tuple[str, str]:
    """Decode the bytes of an import file to text.

    Parameters
    ----------
    data : bytes
        The whole file.
    name : str
        File name used in error messages.

    Returns
    -------
    (str, str)
        The text (with any byte-order mark removed) and the encoding used:
        ``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"`` or ``"cp1252"``.

    Raises
    ------
    ImportFormatError
        For empty files, binary files and text in neither UTF-8 nor Windows-1252.
    """
    if not data.strip():
        raise ImportFormatError(
            f"{name} is empty; expected a CSV export or typed notes. Check you picked the right "
            f"file."
        )
    what = _describe_binary(data)
    if what:
        raise ImportFormatError(f"{name} looks like {what}, not text. {_SAVE_AS}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ImportFormatError(
                f"{name} starts with a UTF-16 byte-order mark but byte {exc.start} is not valid "
                f"UTF-16. {_SAVE_AS}"
            ) from exc
    head = data[:65536]
    if head.count(b"\x00") > max(2, len(head) // 1000):
        raise ImportFormatError(
            f"{name} contains NUL bytes, so it is binary data (or UTF-16 without a byte-order "
            f"mark), not "
            f"text. {_SAVE_AS}"
        )
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            text, encoding = data[3:].decode("utf-8"), "utf-8-sig"
        else:
            text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_exc:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError as exc:
            raise ImportFormatError(
                f"{name} is neither UTF-8 nor Windows-1252 text (byte 0x{data[exc.start]:02x} at "
                f"offset "
                f"{exc.start} fits neither; UTF-8 failed at offset {utf8_exc.start}). {_SAVE_AS}"
            ) from exc
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in _ALLOWED_CONTROLS)
    if controls > max(3, len(sample) // 200):
        raise ImportFormatError(
            f"{name} holds {controls} control characters in its first {len(sample)} characters, so "
            f"it "
            f"looks like binary data, not text ({encoding} decoding). {_SAVE_AS}"
        )
    return text, encoding


def sniff_delimiter(text: str) -> str:
    """Return the delimiter of a CSV text: ``,``, ``;`` or TAB, judged on its first line.

    Excel writes ``;`` in locales with a decimal comma and TAB for "Unicode Text".
    """
    first = text.split("\n", 1)[0]
    # Count outside quotes only.
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda k: (counts[k], k == ","))
    return best if counts[best] else ","


@contextmanager
def _field_limit(size: int) -> Iterator[None]:
    old = csv.field_size_limit()
    if size > old:
        csv.field_size_limit(size)
    try:
        yield
    finally:
        if size > old:
            csv.field_size_limit(old)


def read_rows(text: str, name: str = "<file>") -> list[list[str]]:
    """Parse CSV text into rows of strings (very long cells allowed).

    Raises
    ------
    ImportFormatError
        When the text is not valid CSV (e.g. a quote that never closes).
    """
    delimiter = sniff_delimiter(text)
    try:
        with _field_limit(len(text) + 1):
            return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ImportFormatError(
            f"{name} is not valid CSV ({exc}); expected comma-separated rows with quoted cells as "
            f"spreadsheet programs write them. Re-export it from the survey tool without editing "
            f"it by hand."
        ) from exc


def looks_tabular(rows: list[list[str]]) -> bool:
    """Return True when ``rows`` look like a table: a header of 2+ cells and rows of the same
    width.
    """
    rows = [r for r in rows if any(c.strip() for c in r)]
    if len(rows) < 2 or len(rows[0]) < 2:
        return False
    width = len(rows[0])
    same = sum(1 for r in rows[1:] if len(r) == width)
    return same >= 0.8 * (len(rows) - 1)
