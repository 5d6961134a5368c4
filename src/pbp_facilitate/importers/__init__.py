"""Importers: survey exports and typed notes into a session, all or nothing, with no mapping file.

:func:`import_file` reads a file (CSV in any common encoding, Excel "Unicode Text", or an
``.xlsx`` workbook), detects its format (:func:`detect_format`) or takes the one given, lets the
format's :class:`Importer` read its header rows, plans every column (:mod:`.plan`: prompt, new
prompt, demographic, choice, metadata or private), checks each idea's text and writes the import
in ONE transaction (:meth:`Store.write_import`). It returns an :class:`ImportReport`.

Modules: :mod:`._csv` (decoding, CSV rows), :mod:`._xlsx` (workbooks), :mod:`._headers` (private
and metadata columns), :mod:`.plan` (column roles), :mod:`._tabular` (rows of a table, response
identity, dates), :mod:`.records` (shared records, the mapping file, times), :mod:`.report`, and
one module per format: ``google-forms``, ``microsoft-forms``, ``surveymonkey``, ``qualtrics``,
``typeform``, ``surveygizmo``, ``wenjuanxing``, ``polis`` (comments), ``notes`` and ``csv`` (any
table with one header row). The rules shared by all formats:

* **Private data never enters.** IP addresses, e-mails, names, user names, contact details,
  geolocation and device columns are recognised by header (and by values that are e-mail or IP
  addresses) and never read past counting; a mapping pointing one at a prompt is refused; the
  report lists what was withheld.
* **Re-downloads add nothing.** Each response is identified by the export's own id column
  (``Response ID``, ``Respondent ID``, ``ResponseId``, ``#``, ``ID``, ``序号``, Polis'
  ``comment-id``), else by a digest of its content cells, numbered by occurrence; each idea's
  idempotency key is derived from (session, response, column). An updated or partial export adds
  only new responses and the report says how many were there.
* **Text.** Each idea is NFC-normalised and stripped. Ideas longer than
  ``settings.import_max_text_chars`` (default 10,000, separate from the live form's
  ``max_text_chars``) are not truncated: they are skipped and reported (``too_long``), so
  nothing is lost silently. Ideas holding a NUL character and ideas with no letter or digit
  (``-``, ``...``) are skipped and reported too.
* **Keys.** Each respondent gets a pseudonymous participant key ``import:<16 hex>`` derived
  from the session and the response identity (Polis: the author number), never from a name or
  e-mail. Notes get none.
* **Times.** The export's timestamp becomes ``created_at`` when it parses, with one day/month
  order per file (:func:`records.date_order`, stated in the report); otherwise the import time.
* **Language.** ``en`` / ``es`` guessed per idea among the session's languages.
* **Demographics.** Columns matching the survey's demographic questions are stored only when
  the import says the survey collected consent (``demographics_consented``, recorded with the
  import); otherwise they are not stored and the report says so.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from pathlib import Path

from ..clock import utcnow_iso
from ..errors import ImportFormatError
from ..settings import Settings, load_settings
from ..store import SessionRecord, Store
from ..store.imports import ImportItem
from ..text import guess_language
from ._csv import decode_bytes, looks_tabular, read_rows, sniff_delimiter
from ._tabular import content_digest
from ._xlsx import is_xlsx, read_xlsx
from .generic_csv import CsvImporter
from .google_forms import GoogleFormsImporter
from .microsoft_forms import MicrosoftFormsImporter
from .notes import NotesImporter
from .plan import new_prompt_text
from .polis import PolisImporter
from .polis_votes import import_votes_file, is_votes_file
from .qualtrics import QualtricsImporter
from .records import Answer, ImportContext, Importer, ParseResult, Skip, load_mapping
from .report import ImportReport
from .surveygizmo import SurveyGizmoImporter
from .surveymonkey import SurveyMonkeyImporter
from .typeform import TypeformImporter
from .wenjuanxing import WenjuanxingImporter

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
    QualtricsImporter(),
    SurveyMonkeyImporter(),
    TypeformImporter(),
    SurveyGizmoImporter(),
    WenjuanxingImporter(),
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


def _load(data: bytes, name: str, sheet: str | None) -> tuple[str, list[list[str]] | None, str]:
    """Return ``(text, rows, encoding)``: rows already read for workbooks, else None."""
    if is_xlsx(data):
        return "", read_xlsx(data, name, sheet), "xlsx"
    if sheet is not None:
        raise ImportFormatError(
            f"--sheet {sheet!r} was given but {name} is not an Excel workbook (.xlsx); leave "
            f"--sheet out for CSV and text files."
        )
    text, encoding = decode_bytes(data, name)
    return text, None, encoding


def _sniff(rows: list[list[str]]) -> Importer | None:
    for imp in _DETECT_ORDER:
        if imp.sniff(rows):
            return imp
    return None


def _detect(
    text: str, rows: list[list[str]] | None, suffix: str, name: str
) -> tuple[Importer, list[list[str]] | None]:
    if rows is not None:  # a workbook's sheet
        imp = _sniff(rows)
        if imp is None:
            raise ImportFormatError(
                f"The sheet of {name} is not a table of responses: expected a header row of two "
                f"or more columns and one response per row. Pick the sheet with --sheet."
            )
        return imp, rows
    if suffix in _NOTES_SUFFIXES:
        # Excel's "Unicode Text" is a .txt: UTF-16, tab separated; a table, not notes.
        if sniff_delimiter(text) != "\t":
            return FORMATS["notes"], None
        try:
            rows = read_rows(text, name)
        except ImportFormatError:
            return FORMATS["notes"], None
        if not looks_tabular(rows):
            return FORMATS["notes"], None
        return _sniff(rows) or FORMATS["notes"], rows
    try:
        rows = read_rows(text, name)
    except ImportFormatError:
        if suffix == ".csv":
            raise
        return FORMATS["notes"], None
    imp = _sniff(rows)
    if imp is not None:
        return imp, rows
    if suffix in (".csv", ".tsv"):
        raise ImportFormatError(
            f"{name} is not a table this kit can read: expected a header row of two or more "
            f"columns and rows of the same width (Google Forms, Microsoft Forms, SurveyMonkey, "
            f"Qualtrics, Typeform, Polis comments.csv...). Found rows: {len(rows)}; cells in "
            f"the first: {len(rows[0]) if rows else 0}."
        )
    return FORMATS["notes"], None


def detect_format(path: str | Path, sheet: str | None = None) -> str:
    """Return the format name of the file at ``path`` (``google-forms``, ..., ``notes``).

    ``.xlsx`` workbooks and CSV files are recognised by their headers (Polis columns, Qualtrics'
    import-id row, SurveyMonkey's sub-label row, Typeform's ``#``, Microsoft's ``Start
    time``/``Completion time``, Google's ``Timestamp``...); any other table is ``csv``;
    ``.txt``/``.md`` files are notes unless they are tab-separated tables (Excel "Unicode Text").

    Raises
    ------
    ImportFormatError
        For binary or undecodable files and for ``.csv`` files that are no table.
    """
    p = Path(path)
    if is_votes_file(p):
        return "polis-votes"
    text, rows, _ = _load(_read(p), p.name, sheet)
    return _detect(text, rows, p.suffix.lower(), p.name)[0].name


def _read(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFormatError(f"Import file {p} not found; check the path.") from exc
    except OSError as exc:
        raise ImportFormatError(f"Import file {p} cannot be read ({exc.strerror}).") from exc


_CONTENT_RE = re.compile(r"[^\W_]")


def _key(*parts: object) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode("utf-8")).hexdigest()


def _note_identities(result: ParseResult) -> list[Answer]:
    """Notes have no ids: identify each idea by heading, text and occurrence."""
    seen: dict[str, int] = {}
    out: list[Answer] = []
    for a in result.answers:
        if a.response:
            out.append(a)
            continue
        d = content_digest([a.header, a.text])
        seen[d] = seen.get(d, 0) + 1
        out.append(
            Answer(
                row=a.row,
                column=a.column,
                header=a.header,
                text=a.text,
                prompt_key=a.prompt_key,
                created_at=a.created_at,
                respondent=a.respondent,
                response=f"note:{d}#{seen[d]}",
                column_key="note",
                hidden=a.hidden,
            )
        )
    return out


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
    sheet: str | None = None,
    demographics_consented: bool = False,
    only_accepted: bool = False,
) -> ImportReport:
    """Import the bytes of a file named ``name``; see :func:`import_file`."""
    settings = settings or load_settings()
    file_hash = hashlib.sha256(data).hexdigest()
    text, rows, encoding = _load(data, name, sheet)
    suffix = Path(name).suffix.lower()
    if format:
        importer = get_importer(format)
        if importer.tabular and rows is None:
            rows = read_rows(text, name)
        elif not importer.tabular and rows is not None:
            raise ImportFormatError(f"{name} is a workbook; it cannot be read as {format}.")
    else:
        importer, rows = _detect(text, rows, suffix, name)
    prompts = tuple(store.list_prompts(session.id))
    if not prompts:
        raise ImportFormatError(f"Session {session.code} has no prompts to import into.")
    survey_demo = tuple(session.survey.demographics)
    ctx = ImportContext(
        prompts=prompts,
        languages=tuple(session.languages),
        mapping=load_mapping(mapping, [p.key for p in prompts], [q.key for q in survey_demo]),
        file_name=name,
        session_code=session.code,
        demographics=survey_demo,
        only_accepted=only_accepted,
    )
    result = importer.parse(text, rows, ctx)
    answers = _note_identities(result)
    limit = settings.import_max_text_chars
    report = ImportReport(
        file=name,
        format=importer.name,
        label=importer.label,
        layout=result.layout,
        encoding=encoding,
        sha256=file_hash,
        session=session.code,
        rows_read=result.rows_read,
        ideas_found=len(answers),
        skipped=list(result.skipped),
        columns=dict(result.columns),
        plan=list(result.plan),
        new_prompts=dict(result.new_prompts),
        withheld=list(result.withheld),
        unmapped=list(result.unmapped),
        ignored=list(result.ignored),
        date_order=result.date_order,
        notes=list(result.notes),
        warnings=list(result.warnings),
        limit=limit,
        dry_run=dry_run,
    )
    now = utcnow_iso()
    items: list[ImportItem] = []
    by_response: dict[str, list[str]] = {}
    participants: dict[str, str | None] = {}
    for a in answers:
        if a.response not in participants:
            participants[a.response] = _participant(session, a)
    for a in answers:
        item = _to_item(a, session, importer.source, limit, now, report, participants[a.response])
        if item is not None:
            items.append(item)
            by_response.setdefault(a.response, []).append(item.idempotency_key)
    report.skipped.sort(key=lambda s: (s.row or 0, s.column or ""))
    demo_cols = {cp.header: cp.target for cp in result.plan if cp.role == "demographic"}
    profiles = {
        participants[r]: d
        for r, d in result.demographics.items()
        if r in by_response and participants.get(r)
    }
    report.demographics = {
        "columns": demo_cols,
        "respondents": len(profiles),
        "consented": demographics_consented,
        "stored": bool(demo_cols) and demographics_consented,
    }
    report.responses_found = len(by_response)
    # Ideas stored by an earlier download need no language guess (the costly part of a re-import).
    present = store.present_import_keys(session.id, [it.idempotency_key for it in items])
    langs = tuple(session.languages)
    items = [
        it
        if it.idempotency_key in present
        else dataclasses.replace(it, language=guess_language(it.text, langs))
        for it in items
    ]
    if dry_run:
        report.already_present = sum(1 for it in items if it.idempotency_key in present)
        report.added = len(items) - report.already_present
    elif items:
        used = {it.prompt_key for it in items}
        written = store.write_import(
            session.id,
            items,
            new_prompts={
                k: new_prompt_text(v, session.languages)
                for k, v in result.new_prompts.items()
                if k in used
            },
            profiles=profiles if demographics_consented else None,
            demographics_consented=demographics_consented,
            responses=by_response,
            record={
                "file": name,
                "format": importer.name,
                "sha256": file_hash,
                "rows_read": result.rows_read,
                "skipped": len(report.skipped),
                "withheld": [w["column"] for w in result.withheld],
                "date_order": result.date_order,
            },
        )
        present = written.present_keys
        report.added, report.already_present = written.added, written.already_present
    else:
        present = set()
    report.responses_already_present = sum(
        1 for keys in by_response.values() if all(k in present for k in keys)
    )
    report.responses_added = report.responses_found - report.responses_already_present
    return report


def _participant(session: SessionRecord, a: Answer) -> str | None:
    if not a.respondent:
        return None
    return "import:" + _key(session.id, a.respondent)[:16]


def _to_item(
    a: Answer,
    session: SessionRecord,
    source: str,
    limit: int,
    now: str,
    report: ImportReport,
    participant: str | None,
) -> ImportItem | None:
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
                f"{len(text)} characters, over the import limit of {limit} "
                f"(PBP_IMPORT_MAX_TEXT_CHARS); split it or raise the limit and import again",
            )
        )
        return None
    if not _CONTENT_RE.search(text):
        report.skipped.append(
            Skip(a.row, column, "no_text", "no letter or digit (e.g. '-' or '...')")
        )
        return None
    return ImportItem(
        text=text,
        prompt_key=a.prompt_key,
        idempotency_key="imp:" + _key(session.id, a.response, a.column_key)[:40],
        source=source,
        participant_key=participant,
        created_at=a.created_at or now,
        hidden=a.hidden,
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
    sheet: str | None = None,
    demographics_consented: bool = False,
    only_accepted: bool = False,
) -> ImportReport:
    """Import a survey export or notes file into ``session`` in one transaction.

    Parameters
    ----------
    store : Store
        The store to write to.
    session : SessionRecord
        Target session.
    path : str or Path
        The file: a CSV/TSV export, an ``.xlsx`` workbook, Excel "Unicode Text", a Polis
        ``comments.csv``, or ``.txt``/``.md`` notes.
    mapping : str or Path, optional
        YAML/JSON file overriding the plan: column (header, header prefix ``...``, or number)
        -> prompt key, demographic question, ``new`` or null.
    format : str, optional
        Force a format (see :data:`FORMATS`); detected when None.
    settings : Settings, optional
        For ``import_max_text_chars``; :func:`load_settings` when None.
    dry_run : bool
        Plan and report (with two sample answers per column) without writing.
    sheet : str, optional
        The workbook's sheet to read (default: the first).
    demographics_consented : bool
        The survey asked respondents' consent to keep their demographic answers: store them
        (recorded with the import). Without it they are not stored.
    only_accepted : bool
        Polis: skip comments not yet moderated instead of importing them pending moderation.

    Returns
    -------
    ImportReport

    Raises
    ------
    ImportFormatError
        Unreadable, binary or unrecognised files; nothing to import; bad mapping files.
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
        sheet=sheet,
        demographics_consented=demographics_consented,
        only_accepted=only_accepted,
    )
