"""Exports of a session's submissions: CSV that is safe to open in Excel, and JSON.

One row per submission, columns :data:`EXPORT_COLUMNS` (plus ``hidden`` with
``include_hidden``). Demographics are never exported here: they live in their
own table and are not joined in.

CSV (RFC 4180): written by :mod:`csv` with CRLF line ends, cells quoted when
they hold a comma, a quote, CR or LF; UTF-8 with a byte-order mark so Excel
shows accents right.

Formula injection. A spreadsheet treats a cell starting with ``=``, ``+``,
``-``, ``@``, TAB or CR as a formula. The precise rule, applied to every cell
written (header included):

* **writing** (:func:`neutralise_cell`): if the cell, after any leading
  apostrophes, starts with TAB or CR, or its first character after leading
  whitespace (LF, space, NBSP, ...) and invisible format characters (zero-width
  space, BOM, bidi marks) is one of ``= + - @``, a compatibility form of one
  (fullwidth ``＝``) or the minus sign (:func:`is_formula_like`), one ``'`` is put
  in front. So ``=1+1`` is written ``'=1+1`` and ``'=1+1`` is written ``''=1+1``;
* **reading back** (:func:`restore_cell`, used by :func:`read_export_csv`): if a
  cell starts with ``'`` and is formula-like by the same rule, one ``'`` is
  removed.

The two are exact inverses, so :func:`read_export_csv` returns every cell
exactly as stored. A plain CSV reader (or Excel) sees the ``'`` only on cells
that start with a trigger (after optional apostrophes); every other field reads
back unchanged. Empty cells stand for "none" (``language``, ``participant``,
``prompt_key``). ``participant`` is a per-session pseudonym of the participant
(:mod:`pbp_facilitate.pseudonyms`), never their key: the key is the bearer
credential in their cookie, and the pseudonym differs from session to session.

Any other text goes through unchanged: quotes, commas, CR/LF inside cells,
emoji with joiners, right-to-left text and U+202E, combining marks, CJK. A NUL
character is written as is (the csv module handles it), though stored text
never holds one: the importers refuse it and PostgreSQL cannot store it.

JSON: ``{"session": {...}, "prompts": [...], "submissions": [...]}``, UTF-8,
not ASCII-escaped, no formula escaping (it is data, not a spreadsheet).

Both formats stream: rows come from :meth:`Store.iter_submissions` (one read, a
server-side cursor on PostgreSQL) and are written as they come, so an export's
memory stays bounded whatever the session size.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .errors import ValidationError
from .pseudonyms import pseudonym
from .store import SessionRecord, Store

__all__ = [
    "EXPORT_COLUMNS",
    "FORMULA_TRIGGERS",
    "export_session",
    "export_rows",
    "iter_export_rows",
    "write_csv",
    "write_json",
    "read_export_csv",
    "neutralise_cell",
    "is_formula_like",
    "restore_cell",
]

EXPORT_COLUMNS = (
    "id",
    "session_code",
    "prompt_key",
    "prompt_text",
    "text",
    "language",
    "source",
    "participant",
    "created_at",
)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_STARTS = frozenset("=+-@")
_MINUS_SIGNS = frozenset("\u2212\u2796")  # MINUS SIGN, HEAVY MINUS SIGN (not NFKC-folded)
_SKIPPED_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
_BOM = "\ufeff"


def is_formula_like(value: str) -> bool:
    """True when a spreadsheet could read ``value`` (after any leading apostrophes) as a formula.

    That is: it starts with TAB or CR, or, after any run of whitespace (LF, space, NBSP, ...),
    control and invisible format characters (zero-width space, BOM, joiners, bidi marks), its
    first character is ``=``, ``+``, ``-``, ``@`` or a compatibility form of one (fullwidth
    ``＝``, small ``﹦``) or the minus sign U+2212.

    >>> is_formula_like("=1"), is_formula_like("\u00a0=1"), is_formula_like("\uff1d1")
    (True, True, True)
    >>> is_formula_like("plain = fine"), is_formula_like("'")
    (False, False)
    """
    rest = value.lstrip("'")
    if rest.startswith(("\t", "\r")):
        return True
    for ch in rest:
        if ch.isspace() or unicodedata.category(ch) in _SKIPPED_CATEGORIES:
            continue
        return ch in _MINUS_SIGNS or unicodedata.normalize("NFKC", ch)[:1] in _FORMULA_STARTS
    return False


def neutralise_cell(value: str) -> str:
    """Return ``value`` with one ``'`` in front when a spreadsheet would read it as a formula.

    >>> neutralise_cell("=SUM(A1:A3)"), neutralise_cell("'=x"), neutralise_cell("fine - really")
    ("'=SUM(A1:A3)", "''=x", 'fine - really')
    >>> neutralise_cell(" =1"), neutralise_cell("\u200b@x")
    ("' =1", "'\u200b@x")
    """
    if value and is_formula_like(value):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """Undo :func:`neutralise_cell` exactly (remove the one ``'`` it added, nothing else)."""
    if value.startswith("'") and is_formula_like(value):
        return value[1:]
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def iter_export_rows(
    store: Store,
    session: SessionRecord,
    *,
    include_hidden: bool = False,
    secret: bytes | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one dict per submission (keys :data:`EXPORT_COLUMNS`, plus ``hidden`` with
    ``include_hidden``), streamed from the store: memory stays bounded whatever the session size.

    ``participant`` is the per-session pseudonym (:func:`pbp_facilitate.pseudonyms.pseudonym`)
    under ``secret``, empty without one; never the participant's key (a bearer credential).
    """
    prompts = {p.id: p for p in store.list_prompts(session.id)}
    lang = session.languages[0] if session.languages else "en"
    for s in store.iter_submissions(session.id, include_hidden=include_hidden):
        p = prompts.get(s.prompt_id) if s.prompt_id is not None else None
        row = {
            "id": s.id,
            "session_code": session.code,
            "prompt_key": p.key if p else None,
            "prompt_text": p.text_for(lang) if p else None,
            "text": s.text,
            "language": s.language,
            "source": s.source,
            "participant": (
                pseudonym(secret, session.id, s.participant_key)
                if secret is not None and s.participant_key
                else None
            ),
            "created_at": s.created_at,
        }
        if include_hidden:
            row["hidden"] = s.hidden
        yield row


def export_rows(
    store: Store,
    session: SessionRecord,
    *,
    include_hidden: bool = False,
    secret: bytes | None = None,
) -> list[dict[str, Any]]:
    """Return :func:`iter_export_rows` as a list (for a DataFrame; exports stream instead)."""
    return list(iter_export_rows(store, session, include_hidden=include_hidden, secret=secret))


def write_csv(
    rows: Iterable[dict[str, Any]], stream: IO[str], columns: Sequence[str], *, bom: bool = True
) -> int:
    """Write ``rows`` as formula-safe RFC 4180 CSV to a text ``stream``; return the number of data
    rows.

    Open files with ``newline=""`` so the CRLF line ends reach the file as written.
    """
    if bom:
        stream.write(_BOM)
    writer = csv.writer(stream, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise_cell(c) for c in columns])
    n = 0
    for row in rows:
        writer.writerow([neutralise_cell(_cell(row.get(c))) for c in columns])
        n += 1
    return n


def write_json(
    store: Store, session: SessionRecord, rows: Iterable[dict[str, Any]], stream: IO[str]
) -> int:
    """Write ``{"session", "prompts", "submissions"}`` as UTF-8 JSON (not ASCII-escaped); return
    the number of submissions.

    The rows are written one at a time as they come (an iterator is never held in memory); the
    text is exactly what ``json.dump(doc, indent=2)`` of the whole document would write.
    """
    head = {
        "session": session.to_dict(),
        "prompts": [
            {"key": p.key, "kind": p.kind, "position": p.position, "text": dict(p.text)}
            for p in store.list_prompts(session.id)
        ],
    }
    text = json.dumps(head, ensure_ascii=False, indent=2)
    assert text.endswith("\n}")
    stream.write(text[:-2] + ',\n  "submissions": [')
    n = 0
    for row in rows:
        item = json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        stream.write(("," if n else "") + "\n    " + item)
        n += 1
    stream.write("\n  ]\n}\n" if n else "]\n}\n")
    return n


def export_session(
    store: Store,
    session: SessionRecord,
    fmt: str,
    stream: IO[str],
    *,
    include_hidden: bool = False,
    secret: bytes | None = None,
) -> int:
    """Write a session's submissions to ``stream`` as ``"csv"`` or ``"json"``; return the row count.

    Parameters
    ----------
    store : Store
        Where the session lives.
    session : SessionRecord
        The session.
    fmt : {"csv", "json"}
        Output format.
    stream : text stream
        Opened with ``encoding="utf-8"`` and ``newline=""``.
    include_hidden : bool
        Include moderated (hidden) submissions and a ``hidden`` column.
    secret : bytes, optional
        The install's pseudonym secret (:func:`pbp_facilitate.pseudonyms.install_secret`); the
        ``participant`` column holds per-session pseudonyms under it, and is empty without it.

    Raises
    ------
    ValidationError
        For an unknown format.
    """
    fmt = fmt.lower()
    if fmt not in ("csv", "json"):
        raise ValidationError(
            f"Export format must be 'csv' or 'json', got {fmt!r}.", field="format"
        )
    rows = iter_export_rows(store, session, include_hidden=include_hidden, secret=secret)
    if fmt == "csv":
        columns = [*EXPORT_COLUMNS, "hidden"] if include_hidden else list(EXPORT_COLUMNS)
        return write_csv(rows, stream, columns)
    return write_json(store, session, rows, stream)


def read_export_csv(source: str | Path | IO[str]) -> list[dict[str, str]]:
    """Read a CSV written by :func:`export_session` back, undoing the formula neutralisation
    exactly.

    Parameters
    ----------
    source : path or text stream
        A path (read as UTF-8, byte-order mark removed) or a stream opened with ``newline=""``.

    Returns
    -------
    list of dict
        One dict per row, header -> cell, cells exactly as they were stored
        (``None`` values come back as ``""``).
    """
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
    else:
        text = source.read()
    if text.startswith(_BOM):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [restore_cell(h) for h in next(reader)]
    except StopIteration:
        return []
    return [dict(zip(header, (restore_cell(c) for c in row), strict=False)) for row in reader]
