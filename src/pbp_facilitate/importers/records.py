"""What every importer shares: the records it returns, header matching and small helpers.

An importer turns a decoded file into a :class:`ParseResult`: the answers it
found (:class:`Answer`, one per idea, with the spreadsheet row or note line it
came from), what it skipped and why (:class:`Skip`), and which columns it used
or left out. :func:`pbp_facilitate.importers.import_file` does the rest (text
checks, keys, one transaction, the report).

Header matching (:class:`PromptMatcher`): a column header or note heading
names a prompt when, after normalisation (case, accents, punctuation and
whitespace ignored), it equals or contains the prompt's text in any of the
session's languages, or equals the prompt key (``vision``, ``priorities``).
An explicit mapping always wins. Metadata columns (timestamps, ids, names,
emails, IP addresses...) are recognised by :func:`is_metadata` and never
imported, even through a mapping.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, ClassVar

import yaml

from ..clock import to_iso
from ..errors import ImportFormatError
from ..store import PromptRecord
from ..text import fold_key

__all__ = [
    "Answer",
    "Skip",
    "ParseResult",
    "ImportContext",
    "Importer",
    "PromptMatcher",
    "normalise_header",
    "is_metadata",
    "load_mapping",
    "parse_export_time",
]


# -- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One idea found in a file, before text checks.

    Attributes
    ----------
    row : int
        Spreadsheet row (header row is 1) or line number of notes.
    column : int
        Column index (0-based); 0 for notes.
    header : str
        The column header or note heading it came from ("" for none).
    text : str
        The cell or line, as in the file.
    prompt_key : str
        Prompt of the session it belongs to.
    created_at : str or None
        ISO UTC time from the export, when there is one.
    respondent : str or None
        Seed of the pseudonymous participant key (never an email or a name), or None.
    """

    row: int
    column: int
    header: str
    text: str
    prompt_key: str
    created_at: str | None = None
    respondent: str | None = None


@dataclass(frozen=True)
class Skip:
    """Something left out of an import, with the reason (machine ``code`` and readable
    ``reason``).
    """

    row: int | None
    column: str | None
    code: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"row", "column", "code", "reason"}``."""
        return {"row": self.row, "column": self.column, "code": self.code, "reason": self.reason}


@dataclass
class ParseResult:
    """What an importer found in a file."""

    answers: list[Answer] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    rows_read: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    """Header (or heading) -> prompt key, for every column that was imported."""
    unmapped: list[dict[str, Any]] = field(default_factory=list)
    """``{"column": header, "non_empty": n}`` for content columns left out (not metadata)."""
    ignored: list[str] = field(default_factory=list)
    """Metadata headers (never imported)."""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportContext:
    """What an importer knows about its target session."""

    prompts: tuple[PromptRecord, ...]
    languages: tuple[str, ...]
    mapping: Mapping[str, str | None] | None
    file_name: str
    session_code: str = ""

    @property
    def matcher(self) -> PromptMatcher:
        """A :class:`PromptMatcher` for the session's prompts."""
        return PromptMatcher(self.prompts, self.languages)


class Importer:
    """Base class of the per-format importers.

    Subclasses set ``name`` (the ``--format`` value), ``label``, ``source``
    (the store's submission source) and implement :meth:`sniff` and :meth:`parse`.
    """

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    source: ClassVar[str] = "import"
    tabular: ClassVar[bool] = True

    def sniff(self, rows: list[list[str]]) -> bool:
        """Return True when the parsed CSV ``rows`` look like this format's export."""
        raise NotImplementedError

    def parse(self, text: str, rows: list[list[str]] | None, ctx: ImportContext) -> ParseResult:
        """Find the answers in the decoded ``text`` (``rows`` are its CSV rows for tabular
        formats).
        """
        raise NotImplementedError


# -- normalisation and matching --------------------------------------------------------------

_PUNCT_RE = re.compile(r"[\W_]+", re.UNICODE)


def normalise_header(text: str) -> str:
    """Return ``text`` folded (:func:`~pbp_facilitate.text.fold_key`), punctuation as spaces,
    trimmed.

    >>> normalise_header("  ¿Qué impide HOY ese futuro? ")
    'que impide hoy ese futuro'
    """
    return " ".join(_PUNCT_RE.sub(" ", fold_key(text)).split())


_METADATA_EXACT = {
    normalise_header(h)
    for h in (
        "Timestamp",
        "Marca temporal",
        "Email",
        "Email Address",
        "E-mail",
        "Correo",
        "Correo electrónico",
        "Dirección de correo electrónico",
        "Name",
        "Nombre",
        "Full name",
        "First Name",
        "Last Name",
        "Your name",
        "ID",
        "Respondent ID",
        "Collector ID",
        "Response ID",
        "Start time",
        "Completion time",
        "Last modified time",
        "Start Date",
        "End Date",
        "IP Address",
        "Score",
        "Total points",
        "Quiz feedback",
        "Phone",
        "Phone number",
        "Teléfono",
        "User agent",
        "Language",
        "Idioma",
        "Submitted at",
        "Submission ID",
        "Network ID",
        "Hora de inicio",
        "Hora de finalización",
        "Hora de la última modificación",
        "Created at",
        "Date",
        "Time",
        "Datetime",
        "Fecha",
    )
}
_METADATA_PATTERNS = (
    re.compile(r"^custom data \d+$"),
    re.compile(r"^(points|feedback) .+$"),
    re.compile(r"^(your )?e ?mail\b"),
    re.compile(r"^(su )?(direccion de )?correo\b"),
    re.compile(r"^(your )?(full |first |last )?name( optional)?$"),
    re.compile(r"^(su )?nombre( completo)?( opcional)?$"),
    re.compile(r"^(your )?ip address\b"),
    re.compile(r"^(your )?(mobile |cell )?phone\b"),
)


def is_metadata(header: str) -> bool:
    """Return True for columns that identify respondents or describe the response, never ideas.

    Timestamps, ids, names, emails, phone numbers, IP addresses and quiz
    scores are metadata; they are never stored (privacy), even when a mapping
    names them.
    """
    h = normalise_header(header)
    if h in _METADATA_EXACT:
        return True
    return any(p.search(h) for p in _METADATA_PATTERNS)


class PromptMatcher:
    """Match headers and headings to the prompts of a session.

    Parameters
    ----------
    prompts : sequence of PromptRecord
        The session's prompts.
    languages : sequence of str
        The session's languages (all texts are tried, whatever the language).
    """

    def __init__(self, prompts: Sequence[PromptRecord], languages: Sequence[str]) -> None:
        self.prompts = tuple(prompts)
        self.keys = {p.key for p in self.prompts}
        self._keys = {normalise_header(p.key): p.key for p in self.prompts}
        texts: list[tuple[str, str]] = []
        for p in self.prompts:
            for lang, txt in p.text.items():
                n = normalise_header(txt)
                if n and (lang in languages or not languages):
                    texts.append((n, p.key))
        # Longest texts first so a header holding two prompt texts picks the more specific one.
        self._texts = sorted(set(texts), key=lambda x: -len(x[0]))

    def match(self, header: str) -> str | None:
        """Return the prompt key ``header`` names, or None."""
        h = normalise_header(header)
        if not h:
            return None
        if h in self._keys:
            return self._keys[h]
        for text, key in self._texts:
            if h == text or f" {text} " in f" {h} ":
                return key
        return None

    def describe(self) -> str:
        """Return ``key ("text"), ...`` for error messages."""
        return ", ".join(f"{p.key} ({next(iter(p.text.values()), '')!r})" for p in self.prompts)


def load_mapping(
    path: str | Path | None, prompt_keys: Sequence[str]
) -> dict[str, str | None] | None:
    """Read a mapping file: ``{"Column header or heading": "prompt_key"}`` (YAML or JSON).

    A value of ``null`` (or ``""``) means "leave this column out on purpose"
    (it is then not reported as unmapped).

    Raises
    ------
    ImportFormatError
        When the file is not a flat mapping of strings or names unknown prompts.
    """
    if path is None:
        return None
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFormatError(f"Mapping file {p} cannot be read as UTF-8 text ({exc}).") from exc
    try:
        doc = json.loads(raw) if p.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (ValueError, yaml.YAMLError) as exc:
        raise ImportFormatError(
            f"Mapping file {p} is not valid {'JSON' if p.suffix.lower() == '.json' else 'YAML'} "
            f"({exc}); expected "
            '{"Column header": "prompt_key", ...}.'
        ) from exc
    if not isinstance(doc, dict) or not doc:
        raise ImportFormatError(
            f"Mapping file {p} must map column headers (or note headings) to prompt keys, like "
            f'{{"What gets in the way?": "barriers"}}; got {type(doc).__name__}.'
        )
    out: dict[str, str | None] = {}
    for k, v in doc.items():
        if v in (None, ""):
            out[str(k)] = None
            continue
        if not isinstance(v, str) or v not in prompt_keys:
            raise ImportFormatError(
                f"Mapping file {p} maps {k!r} to {v!r}, which is not a prompt of this session; "
                f"expected one of "
                f"{sorted(prompt_keys)} (or null to leave the column out)."
            )
        if is_metadata(str(k)):
            raise ImportFormatError(
                f"Mapping file {p} maps {k!r} to {v!r}, but {k!r} is a metadata column (names, "
                f"emails, ids, "
                f"times); such columns are never imported. Remove it from the mapping."
            )
        out[str(k)] = v
    return out


def mapping_lookup(
    mapping: Mapping[str, str | None] | None, header: str
) -> tuple[bool, str | None]:
    """Return ``(found, prompt_key)`` for ``header`` in ``mapping`` (exact, then normalised
    match).
    """
    if not mapping:
        return False, None
    if header in mapping:
        return True, mapping[header]
    h = normalise_header(header)
    for k, v in mapping.items():
        if normalise_header(k) == h:
            return True, v
    return False, None


# -- times -----------------------------------------------------------------------------------

_TZ_NAMES = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
}
_TZ_OFFSET_RE = re.compile(r"\s*(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?$")
_TZ_NAME_RE = re.compile(r"\s+([A-Z]{1,4})$")
_PAREN_RE = re.compile(r"\s*\([^)]*\)\s*$")
_NUMERIC_RE = re.compile(
    r"^(\d{1,4})[/-](\d{1,2})[/-](\d{1,4})[ "
    r"T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?(?:\.?\s?[Mm]\.?)?"
    r"\s*(?:(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?|([A-Z]{1,4}))?$"
)


@functools.lru_cache(maxsize=64)
def _zone(minutes: int) -> timezone:
    return timezone(timedelta(minutes=minutes)) if minutes else UTC


def _numeric(m: re.Match[str]) -> datetime | None:
    a, b, c, hh, mm, ss, ampm, sign, tzh, tzm, tzname = m.groups()
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    elif len(c) in (2, 4):
        year, month, day = int(c), int(a), int(b)
        if year < 100:
            year += 2000
        if month > 12 and day <= 12:
            month, day = day, month
    else:
        return None
    hour = int(hh)
    if ampm:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if ampm in "Pp" else 0)
    if tzname is not None and tzname not in _TZ_NAMES:
        return None
    if sign:
        minutes = (-1 if sign == "-" else 1) * (int(tzh) * 60 + int(tzm or 0))
    else:
        minutes = _TZ_NAMES[tzname] * 60 if tzname else 0
    try:
        return datetime(year, month, day, hour, int(mm), int(ss or 0), tzinfo=_zone(minutes))
    except ValueError:
        return None


_FORMATS = (
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M",
    "%m/%d/%y %I:%M %p",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %I:%M:%S %p",
    "%a %b %d %Y %H:%M:%S",
    "%a %b %d %Y",
    "%Y-%m-%d",
    "%m/%d/%Y",
)


def parse_export_time(value: str) -> str | None:
    """Parse a timestamp as survey tools export it; return ISO UTC (:func:`clock.to_iso`) or None.

    Understands Google Forms (``2024/03/14 6:05:12 PM GMT-4``), Microsoft
    Forms / Excel (``3/14/2024 18:05:12``), SurveyMonkey (``03/14/2024
    06:05:12 PM``), Polis (``Thu Mar 14 2024 18:05:12 GMT-0400 (Eastern
    Daylight Time)``), ISO-8601 and Unix seconds or milliseconds. Slashed
    dates are read month-first (US), day-first only when the month would be
    over 12. Times without a zone are taken as UTC (as :mod:`clock` does).
    """
    s = (value or "").strip()
    if not s:
        return None
    if re.fullmatch(r"\d{9,13}(\.\d+)?", s):
        secs = float(s)
        if secs > 1e11:
            secs /= 1000
        try:
            return to_iso(datetime.fromtimestamp(secs, UTC))
        except (OverflowError, OSError, ValueError):
            return None
    try:
        return to_iso(datetime.fromisoformat(s.replace("Z", "+00:00")))
    except ValueError:
        pass
    s = _PAREN_RE.sub("", s)
    tz: timezone | None = None
    fast = _NUMERIC_RE.match(s)
    if (
        fast
    ):  # the usual shapes, without strptime (which is slow): one call per respondent row adds up
        when = _numeric(fast)
        if when is not None:
            return to_iso(when)
    m = _TZ_OFFSET_RE.search(s)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        tz = timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0)))
        s = s[: m.start()]
    else:
        n = _TZ_NAME_RE.search(s)
        if n and n.group(1) in _TZ_NAMES:
            tz = timezone(timedelta(hours=_TZ_NAMES[n.group(1)]))
            s = s[: n.start()]
    s = s.strip()
    for fmt in _FORMATS:
        try:
            dt = datetime.strptime(s, fmt)
        except ValueError:
            continue
        return to_iso(dt.replace(tzinfo=tz or UTC))
    return None
