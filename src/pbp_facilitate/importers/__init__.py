"""Importers: survey exports and typed notes into a session, all or nothing.

:func:`import_file` reads a file, detects its format (:func:`detect_format`)
or takes the one given, lets the format's :class:`Importer` find the answers,
checks each idea's text and writes every new idea in ONE transaction
(:meth:`Store.import_submissions`). It returns an :class:`ImportReport`.

Formats: ``google-forms``, ``microsoft-forms``, ``surveymonkey``, ``polis``,
``notes`` and ``csv`` (any table with one header row). The rules shared by
all formats:

* **Text.** Each idea is NFC-normalised and stripped. Ideas longer than
  ``settings.max_text_chars`` are not truncated: they are skipped and reported
  (``too_long``, with row, column and length), so nothing is lost silently; split
  them or raise ``PBP_MAX_TEXT_CHARS`` and import the same file again (only the
  skipped ones are then added). Ideas holding a NUL character (PostgreSQL cannot
  store it; it means binary debris) and ideas with no letter or digit (``-``,
  ``...``) are skipped and reported too.
* **Keys.** Each respondent row gets a pseudonymous participant key
  ``import:<first 16 hex of sha256(file hash : row)>`` (Polis: per author
  number), never derived from a name or email. Notes get none. Each idea gets
  an idempotency key from (session, file content hash, row, column), so
  importing the same file again adds nothing and the report counts the ideas
  already present.
* **Times.** The export's timestamp becomes ``created_at`` when it parses
  (:func:`records.parse_export_time`); otherwise the import time.
* **Language.** ``en`` / ``es`` guessed per idea from stop words among the
  session's languages (:func:`pbp_facilitate.text.guess_language`), else None.
* **Privacy.** Metadata columns (names, emails, ids, IPs, times) are never stored.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..clock import utcnow_iso
from ..errors import ImportFormatError
from ..settings import Settings, load_settings
from ..store import NewSubmission, SessionRecord, Store
from ..text import guess_language
from ._csv import decode_bytes, read_rows
from .generic_csv import CsvImporter
from .google_forms import GoogleFormsImporter
from .microsoft_forms import MicrosoftFormsImporter
from .notes import NotesImporter
from .polis import PolisImporter
from .polis_votes import import_votes_file, is_votes_file
from .records import (
    Answer,
    ImportContext,
    Importer,
    ParseResult,
    Skip,
    load_mapping,
)
from .surveymonkey import SurveyMonkeyImporter

__all__ = [
    "import_file",
    "import_bytes",
    "detect_format",
    "ImportReport",
    "Importer",
    "ParseResult",
    "Skip",
    "FORMATS",
    "get_importer",
]


_DETECT_ORDER: tuple[Importer, ...] = (
    PolisImporter(),
    SurveyMonkeyImporter(),
    MicrosoftFormsImporter(),
    GoogleFormsImporter(),
    CsvImporter(),
)
FORMATS: dict[str, Importer] = {imp.name: imp for imp in (*_DETECT_ORDER, NotesImporter())}
_NOTES_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


def get_importer(name: str) -> Importer:
    """Return the importer of format ``name`` (``google-forms``, ``google_forms`` and ``Google
    Forms`` alike).
    """
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if key not in FORMATS:
        raise ImportFormatError(
            f"Unknown import format {name!r}; expected one of {sorted(FORMATS)}."
        )
    return FORMATS[key]


def _detect(text: str, suffix: str, name: str) -> tuple[Importer, list[list[str]] | None]:
    if suffix in _NOTES_SUFFIXES:
        return FORMATS["notes"], None
    try:
        rows = read_rows(text, name)
    except ImportFormatError:
        if suffix == ".csv":
            raise
        return FORMATS["notes"], None
    for imp in _DETECT_ORDER:
        if imp.sniff(rows):
            return imp, rows
    if suffix in (".csv", ".tsv"):
        raise ImportFormatError(
            f"{name} is not a table this kit can read: expected a header row of two or more "
            f"columns and rows of "
            f"the same width (Google Forms, Microsoft Forms, SurveyMonkey, Polis comments.csv). "
            f"Found "
            f"{len(rows)} row(s), the first with {len(rows[0]) if rows else 0} cell(s)."
        )
    return FORMATS["notes"], None


def detect_format(path: str | Path) -> str:
    """Return the format name of the file at ``path`` (``google-forms``, ..., ``notes``).

    ``.txt`` and ``.md`` files are notes; other files are read as CSV and
    recognised by their headers (Polis columns, SurveyMonkey's second header
    row, Microsoft's ``Start time``/``Completion time``, Google's
    ``Timestamp``); any other table is ``csv``; text that is no table is notes.

    Raises
    ------
    ImportFormatError
        For binary or undecodable files and for ``.csv`` files that are no table.
    """
    p = Path(path)
    if is_votes_file(p):
        return "polis-votes"
    text, _ = decode_bytes(_read(p), p.name)
    return _detect(text, p.suffix.lower(), p.name)[0].name


def _read(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFormatError(f"Import file {p} not found; check the path.") from exc
    except OSError as exc:
        raise ImportFormatError(f"Import file {p} cannot be read ({exc.strerror}).") from exc


@dataclass
class ImportReport:
    """What an import did.

    Attributes
    ----------
    file : str
        File name.
    format : str
        Format name (``google-forms``...).
    encoding : str
        Encoding the file was decoded with.
    sha256 : str
        Hash of the file's bytes (part of every idempotency key).
    rows_read : int
        Data rows (or note lines) read.
    ideas_found : int
        Ideas found in mapped columns before text checks.
    added : int
        Ideas written by this import.
    already_present : int
        Ideas already stored by an earlier import of the same file.
    skipped : list of Skip
        Everything left out, each with row, column and reason.
    columns : dict
        Header or heading -> prompt key, for what was imported.
    unmapped : list of dict
        Content columns left out (``{"column", "non_empty"}``): add them to a mapping to import
        them.
    ignored : list of str
        Metadata columns, never stored.
    warnings : list of str
        Anything else worth a look.
    dry_run : bool
        True when nothing was written on purpose.
    """

    file: str
    format: str
    encoding: str
    sha256: str
    session: str
    rows_read: int = 0
    ideas_found: int = 0
    added: int = 0
    already_present: int = 0
    skipped: list[Skip] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    unmapped: list[dict[str, Any]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def skipped_by_reason(self) -> dict[str, int]:
        """Return ``{code: count}`` of the skipped items."""
        out: dict[str, int] = {}
        for s in self.skipped:
            out[s.code] = out.get(s.code, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict of the report."""
        return {
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "sha256": self.sha256,
            "session": self.session,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "ideas_found": self.ideas_found,
            "added": self.added,
            "already_present": self.already_present,
            "skipped_count": len(self.skipped),
            "skipped_by_reason": self.skipped_by_reason(),
            "skipped": [s.to_dict() for s in self.skipped],
            "columns": dict(self.columns),
            "unmapped": list(self.unmapped),
            "ignored": list(self.ignored),
            "warnings": list(self.warnings),
        }

    def format_text(self, max_examples: int = 5) -> str:
        """Return a readable summary for the terminal (participant text is never echoed)."""
        label = FORMATS[self.format].label if self.format in FORMATS else self.format
        lines = [
            f"{self.file}: {label} ({self.encoding}), {self.rows_read} row(s) read, into session "
            f"{self.session}."
        ]
        if self.dry_run:
            lines.append(
                f"Would add {self.added} idea(s) (dry run: nothing written, earlier imports not "
                f"checked); "
                f"{len(self.skipped)} skipped."
            )
        else:
            lines.append(
                f"Added {self.added} idea(s); {self.already_present} already present; "
                f"{len(self.skipped)} skipped."
            )
        for header, key in self.columns.items():
            lines.append(f"  column {header!r} -> prompt {key}")
        if self.skipped:
            lines.append("Skipped:")
            for code, n in sorted(self.skipped_by_reason().items(), key=lambda kv: -kv[1]):
                items = [s for s in self.skipped if s.code == code]
                where = ", ".join(
                    f"row {s.row}" + (f" ({s.column})" if s.column else "")
                    for s in items[:max_examples]
                )
                more = f", and {n - max_examples} more" if n > max_examples else ""
                lines.append(
                    f"  {n} x {items[0].reason if n == 1 else code.replace('_', ' ')}: "
                    f"{where}{more}"
                )
        for u in (u for u in self.unmapped if u["non_empty"]):
            lines.append(
                f"Not imported: column {u['column']!r} ({u['non_empty']} non-empty cell(s)); "
                f"map it to a prompt with --mapping to import it."
            )
        if self.ignored:
            lines.append(
                f"Ignored metadata columns (never stored): "
                f"{', '.join(repr(h) for h in self.ignored)}."
            )
        for w in self.warnings:
            lines.append(f"Warning: {w}")
        return "\n".join(lines)


_CONTENT_RE = re.compile(r"[^\W_]")


def _has_content(text: str) -> bool:
    return _CONTENT_RE.search(text) is not None


def import_bytes(
    store: Store,
    session: SessionRecord,
    data: bytes,
    name: str,
    *,
    mapping: str | Path | None = None,
    format: str | None = None,  # noqa: A002 - mirrors the CLI option
    settings: Settings | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import the bytes of a file named ``name``; see :func:`import_file`."""
    settings = settings or load_settings()
    file_hash = hashlib.sha256(data).hexdigest()
    text, encoding = decode_bytes(data, name)
    suffix = Path(name).suffix.lower()
    if format:
        importer = get_importer(format)
        rows = read_rows(text, name) if importer.tabular else None
    else:
        importer, rows = _detect(text, suffix, name)
    prompts = tuple(store.list_prompts(session.id))
    if not prompts:
        raise ImportFormatError(f"Session {session.code} has no prompts to import into.")
    ctx = ImportContext(
        prompts=prompts,
        languages=tuple(session.languages),
        mapping=load_mapping(mapping, [p.key for p in prompts]),
        file_name=name,
        session_code=session.code,
    )
    result = importer.parse(text, rows, ctx)
    report = ImportReport(
        file=name,
        format=importer.name,
        encoding=encoding,
        sha256=file_hash,
        session=session.code,
        rows_read=result.rows_read,
        ideas_found=len(result.answers),
        skipped=list(result.skipped),
        columns=dict(result.columns),
        unmapped=list(result.unmapped),
        ignored=list(result.ignored),
        warnings=list(result.warnings),
        dry_run=dry_run,
    )
    prompt_ids = {p.key: p.id for p in prompts}
    now = utcnow_iso()
    limit = settings.max_text_chars
    items: list[NewSubmission] = []
    for a in result.answers:
        sub = _to_submission(a, session, file_hash, prompt_ids, importer.source, limit, now, report)
        if sub is not None:
            items.append(sub)
    report.skipped.sort(key=lambda s: (s.row or 0, s.column or ""))
    if dry_run or not items:
        report.added = len(items) if dry_run else 0
        return report
    report.added, report.already_present = store.import_submissions(
        session.id,
        items,
        actor="import",
        detail={
            "file": name,
            "format": importer.name,
            "sha256": file_hash,
            "rows_read": result.rows_read,
            "skipped": len(report.skipped),
        },
    )
    return report


def _to_submission(
    a: Answer,
    session: SessionRecord,
    file_hash: str,
    prompt_ids: dict[str, int],
    source: str,
    limit: int,
    now: str,
    report: ImportReport,
) -> NewSubmission | None:
    text = unicodedata.normalize("NFC", a.text).strip()
    column = a.header or None
    if not text:
        return None
    if "\x00" in text:
        report.skipped.append(
            Skip(
                a.row,
                column,
                "nul_character",
                "contains a NUL character (binary debris); PostgreSQL cannot store it",
            )
        )
        return None
    if len(text) > limit:
        report.skipped.append(
            Skip(
                a.row,
                column,
                "too_long",
                f"{len(text)} characters, over the limit of {limit} (PBP_MAX_TEXT_CHARS); "
                f"split it or raise the limit and import again",
            )
        )
        return None
    if not _has_content(text):
        report.skipped.append(
            Skip(a.row, column, "no_text", "no letter or digit (e.g. '-' or '...')")
        )
        return None
    idem = hashlib.sha256(f"{session.id}:{file_hash}:{a.row}:{a.column}".encode()).hexdigest()[:40]
    participant = (
        "import:" + hashlib.sha256(f"{file_hash}:{a.respondent}".encode()).hexdigest()[:16]
        if a.respondent
        else None
    )
    return NewSubmission(
        text=text,
        prompt_id=prompt_ids[a.prompt_key],
        language=guess_language(text, session.languages),
        source=source,
        participant_key=participant,
        idempotency_key=f"imp:{idem}",
        created_at=a.created_at or now,
    )


def import_file(
    store: Store,
    session: SessionRecord,
    path: str | Path,
    *,
    mapping: str | Path | None = None,
    format: str | None = None,  # noqa: A002 - mirrors the CLI option
    settings: Settings | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import a survey export or notes file into ``session`` in one transaction.

    Parameters
    ----------
    store : Store
        The store to write to.
    session : SessionRecord
        Target session.
    path : str or Path
        The file (CSV export, Polis ``comments.csv``, ``.txt``/``.md`` notes).
    mapping : str or Path, optional
        YAML/JSON file ``{"Column header or heading": "prompt_key"}``; wins over header matching.
    format : str, optional
        Force a format (see :data:`FORMATS`); detected when None.
    settings : Settings, optional
        For ``max_text_chars``; :func:`load_settings` when None.
    dry_run : bool
        Parse and report without writing.

    Returns
    -------
    ImportReport

    Raises
    ------
    ImportFormatError
        Unreadable, binary or unrecognised files; no column matching a prompt; bad mapping files.
    """
    p = Path(path)
    if format in (None, "polis-votes") and is_votes_file(p):  # Polis votes: reactions, not ideas
        return import_votes_file(store, session, p, dry_run=dry_run)  # type: ignore[return-value]
    return import_bytes(
        store,
        session,
        _read(p),
        p.name,
        mapping=mapping,
        format=format,
        settings=settings,
        dry_run=dry_run,
    )
