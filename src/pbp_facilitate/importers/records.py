"""What every importer shares: the records it returns, the mapping file and small helpers.

An importer turns a decoded file into a :class:`ParseResult`: the answers it
found (:class:`Answer`, one per idea, with the spreadsheet row or note line it
came from), what it skipped and why (:class:`Skip`), the plan of its columns
(:class:`~pbp_facilitate.importers.plan.ColumnPlan`) and what it withheld.
:func:`pbp_facilitate.importers.import_file` does the rest (text checks, keys,
one transaction, the report).

Header matching (:class:`PromptMatcher`): a column header or note heading
names a prompt when, after normalisation (case, accents, punctuation and
whitespace ignored), it equals or contains the prompt's text in any of the
session's languages, or equals the prompt key (``vision``, ``priorities``);
:mod:`.plan` adds matching by similarity of wording for survey columns.
An explicit mapping always wins, except that private and metadata columns
(:mod:`._headers`) are never imported, even through a mapping.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, ClassVar

import yaml

from ..clock import to_iso
from ..errors import ImportFormatError
from ..store import PromptRecord
from ..surveys import DemographicQuestion
from ._headers import is_metadata, is_private, normalise_header, private_family

__all__ = [
    "Answer",
    "Skip",
    "ParseResult",
    "ImportContext",
    "Importer",
    "PromptMatcher",
    "ColumnMapping",
    "normalise_header",
    "is_metadata",
    "is_private",
    "load_mapping",
    "parse_export_time",
    "date_order",
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
        Prompt of the session it belongs to (or a new prompt of the import).
    created_at : str or None
        ISO UTC time from the export, when there is one.
    respondent : str or None
        Seed of the pseudonymous participant key (never an email or a name), or None.
    response : str
        Identity of the response in every download of the same export (the export's own
        response id, else a digest of the row's content); the idea's idempotency key is
        derived from it and ``column_key``.
    column_key : str
        Identity of the column (normalised header, numbered when headers repeat).
    hidden : bool
        Stored hidden, pending moderation (Polis comments not yet moderated).
    """

    row: int
    column: int
    header: str
    text: str
    prompt_key: str
    created_at: str | None = None
    respondent: str | None = None
    response: str = ""
    column_key: str = ""
    hidden: bool = False


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
    withheld: list[dict[str, Any]] = field(default_factory=list)
    """``{"column", "family", "non_empty"}`` for private columns (never stored)."""
    warnings: list[str] = field(default_factory=list)
    notes: list[tuple[str, int]] = field(default_factory=list)
    """Facts worth stating in the report: ``(catalogue key, count)`` (Polis moderation...)."""
    plan: list[Any] = field(default_factory=list)
    """The :class:`~pbp_facilitate.importers.plan.ColumnPlan` of every column."""
    new_prompts: dict[str, str] = field(default_factory=dict)
    """Prompt key -> question text, for survey questions that become new prompts."""
    demographics: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Respondent -> ``{question key: value}`` read from demographic columns."""
    responses: dict[str, str] = field(default_factory=dict)
    """Response identity -> respondent, for every response that holds an answer."""
    date_order: str | None = None
    """``day-first``, ``month-first``, ``ambiguous`` or None (no slashed dates)."""
    layout: str = ""
    """How the headers were read (``3 header rows``...), for the report."""


@dataclass(frozen=True)
class ImportContext:
    """What an importer knows about its target session and the options of the import."""

    prompts: tuple[PromptRecord, ...]
    languages: tuple[str, ...]
    mapping: ColumnMapping | None
    file_name: str
    session_code: str = ""
    demographics: tuple[DemographicQuestion, ...] = ()
    only_accepted: bool = False

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


# -- matching --------------------------------------------------------------------------------


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
                if n and (lang in languages or not languages or p.kind == "imported"):
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


# -- the mapping file ------------------------------------------------------------------------

_COLUMN_NO_RE = re.compile(r"^\s*(?:#|col(?:umn)?\.?\s*|columna\s*)?(\d{1,4})\s*$", re.I)
_PREFIX_RE = re.compile(r"(\.\.\.|…|\*)\s*$")
NEW_PROMPT = "new"
"""Mapping value asking for a new prompt of the session (the question as its text)."""


@dataclass(frozen=True)
class Target:
    """Where a mapping sends a column: ``kind`` is ``prompt``, ``demographic``, ``new`` or
    ``skip``; ``key`` the prompt or question key."""

    kind: str
    key: str | None = None


@dataclass
class ColumnMapping:
    """A parsed mapping file: entries by header, by header prefix and by column number."""

    source: str
    by_header: dict[str, Target] = field(default_factory=dict)
    by_prefix: dict[str, Target] = field(default_factory=dict)
    by_number: dict[int, Target] = field(default_factory=dict)
    raw_keys: dict[str, str] = field(default_factory=dict)
    """Normalised entry -> the key as written (for warnings)."""
    used: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.by_header or self.by_prefix or self.by_number)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.raw_keys.values())

    def lookup(self, header: str, number: int | None = None) -> Target | None:
        """Return the entry for a column (by number, exact header, then unique prefix)."""
        if number is not None and number in self.by_number:
            self.used.add(f"#{number}")
            return self.by_number[number]
        h = normalise_header(header)
        if h and h in self.by_header:
            self.used.add(h)
            return self.by_header[h]
        hits = [(p, t) for p, t in self.by_prefix.items() if h.startswith(p)]
        if hits:
            p, t = max(hits, key=lambda pt: len(pt[0]))
            self.used.add("prefix:" + p)
            return t
        return None

    def unused(self) -> list[str]:
        """The entries as written that matched no column or heading."""
        return [raw for key, raw in self.raw_keys.items() if key not in self.used]


def _quote_hint(raw: str) -> str:
    for line in raw.splitlines():
        if ":" in line.split(":", 1)[-1] and not line.lstrip().startswith(('"', "'", "#")):
            head, _, value = line.rpartition(":")
            head = head.strip().replace('"', '\\"')
            return f'write that line as "{head}": {value.strip()}'
    return 'put each header in double quotes, e.g. "What matters: to you?": vision'


def load_mapping(
    path: str | Path | None,
    prompt_keys: Sequence[str],
    demographic_keys: Iterable[str] = (),
) -> ColumnMapping | None:
    """Read a mapping file (YAML or JSON): column -> prompt key, demographic question, ``new``
    or null.

    Keys are a column's header (compared without case, accents or punctuation), a header
    prefix ending in ``...`` or ``*`` (``"Imagine our community*": vision``), or a column number
    (``3``, ``"#3"``, ``"column 3"``; the first column is 1). Values are a prompt key, a
    demographic question key of the survey (``age_band``, or ``demographic:age_band``), ``new``
    (a new prompt with the question as its text) or ``null`` (leave the column out on purpose).

    Raises
    ------
    ImportFormatError
        When the file is not a flat mapping, names unknown prompts or questions, or points a
        private or metadata column at a prompt.
    """
    if path is None:
        return None
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFormatError(f"Mapping file {p} cannot be read as UTF-8 text ({exc}).") from exc
    is_json = p.suffix.lower() == ".json"
    try:
        doc = json.loads(raw) if is_json else yaml.safe_load(raw)
    except (ValueError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        hint = (
            "keys and values in double quotes"
            if is_json
            else f"a header holding ': ' or '#' must be quoted: {_quote_hint(raw)}"
        )
        raise ImportFormatError(
            f"Mapping file {p} is not valid {'JSON' if is_json else 'YAML'}{where} "
            f"({getattr(exc, 'problem', None) or exc}); expected lines like "
            f'"Column header": prompt_key; {hint}.'
        ) from exc
    if not isinstance(doc, dict) or not doc:
        raise ImportFormatError(
            f"Mapping file {p} must map column headers (or note headings) to prompt keys, like "
            f'{{"What gets in the way?": "barriers"}}; got {type(doc).__name__}.'
        )
    demo = set(demographic_keys)
    out = ColumnMapping(source=str(p))
    for k, v in doc.items():
        key = str(k)
        if v in (None, ""):
            target = Target("skip")
        elif not isinstance(v, str):
            raise ImportFormatError(
                f"Mapping file {p} maps {key!r} to {v!r}; expected a prompt key, a demographic "
                f"question, 'new' or null."
            )
        elif v in prompt_keys:
            target = Target("prompt", v)
        elif v.removeprefix("demographic:") in demo:
            target = Target("demographic", v.removeprefix("demographic:"))
        elif v.strip().lower() in (NEW_PROMPT, "new prompt", "nuevo"):
            target = Target("new")
        else:
            raise ImportFormatError(
                f"Mapping file {p} maps {key!r} to {v!r}, which is neither a prompt of this "
                f"session ({sorted(prompt_keys)}) nor a demographic question of its survey "
                f"({sorted(demo) or 'none'}); use one of those, 'new' for a new prompt, or null "
                f"to leave the column out."
            )
        number = (
            _COLUMN_NO_RE.match(key)
            if not isinstance(k, str) or key[:1] in "#cC0123456789"
            else None
        )
        if isinstance(k, int) or number:
            n = int(k) if isinstance(k, int) else int(number.group(1))  # type: ignore[union-attr]
            out.by_number[n] = target
            out.raw_keys[f"#{n}"] = key
            continue
        if target.kind != "skip":
            check_not_private(key, target, str(p))
        prefix = _PREFIX_RE.search(key)
        if prefix:
            norm = normalise_header(key[: prefix.start()])
            out.by_prefix[norm] = target
            out.raw_keys["prefix:" + norm] = key
        else:
            norm = normalise_header(key)
            out.by_header[norm] = target
            out.raw_keys[norm] = key
    return out


def check_not_private(header: str, target: Target, source: str) -> None:
    """Refuse a mapping that points a private or metadata column at a prompt or question."""
    family = private_family(header)
    if family is not None:
        raise ImportFormatError(
            f"Mapping file {source} sends {header!r} to {target.key or target.kind!r}, but it is "
            f"a private column ({family}: personal data); private columns are never imported. "
            f"Remove that line from the mapping."
        )
    if is_metadata(header):
        raise ImportFormatError(
            f"Mapping file {source} sends {header!r} to {target.key or target.kind!r}, but it is "
            f"a metadata column (ids, times, status); such columns are never imported. Remove "
            f"that line from the mapping."
        )


def mapping_lookup(mapping: ColumnMapping | None, header: str) -> tuple[bool, str | None]:
    """Return ``(found, prompt_key)`` for a heading or header in ``mapping`` (notes, Polis)."""
    if not mapping:
        return False, None
    t = mapping.lookup(header)
    if t is None:
        return False, None
    return True, t.key if t.kind == "prompt" else None


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
    r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})"
    r"(?:,?[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?(?:\.?\s?[Mm]\.?)?)?"
    r"\s*(?:(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?|([A-Z]{1,4}))?$"
)
_DMY_RE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")


@functools.lru_cache(maxsize=64)
def _zone(minutes: int) -> timezone:
    return timezone(timedelta(minutes=minutes)) if minutes else UTC


def _numeric(m: re.Match[str], dayfirst: bool | None) -> datetime | None:
    a, b, c, hh, mm, ss, ampm, sign, tzh, tzm, tzname = m.groups()
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    elif len(c) in (2, 4):
        year, month, day = int(c), int(a), int(b)
        if year < 100:
            year += 2000
        if dayfirst:
            month, day = day, month
        elif dayfirst is None and month > 12 and day <= 12:
            month, day = day, month
    else:
        return None
    hour = int(hh or 0)
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
        return datetime(year, month, day, hour, int(mm or 0), int(ss or 0), tzinfo=_zone(minutes))
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
_FORMATS_DAYFIRST = tuple(
    f.replace("%m/%d", "%d/%m") if f.startswith("%m/%d") else f
    for f in _FORMATS
    if not f.startswith("%d/%m")
)


def parse_export_time(value: str, dayfirst: bool | None = None) -> str | None:
    """Parse a timestamp as survey tools export it; return ISO UTC (:func:`clock.to_iso`) or None.

    Understands Google Forms (``2024/03/14 6:05:12 PM GMT-4``), Microsoft
    Forms / Excel (``3/14/2024 18:05:12``), SurveyMonkey (``03/14/2024
    06:05:12 PM``), Polis (``Thu Mar 14 2024 18:05:12 GMT-0400 (Eastern
    Daylight Time)``), ISO-8601, Excel cells and Unix seconds or milliseconds.
    Slashed dates follow ``dayfirst`` (the file's order, see :func:`date_order`); when it is
    None they are read month-first (US), day-first only when the month would be over 12. Times
    without a zone are taken as UTC (as :mod:`clock` does).
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
        when = _numeric(fast, dayfirst)
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
    formats = _FORMATS_DAYFIRST if dayfirst else _FORMATS
    for fmt in formats:
        try:
            dt = datetime.strptime(s, fmt)
        except ValueError:
            continue
        return to_iso(dt.replace(tzinfo=tz or UTC))
    return None


def date_order(values: Iterable[str]) -> str | None:
    """Return the day/month order of a file's slashed dates, judged on all of them.

    ``"day-first"`` when some date's first number is over 12 (``30/04/2023``), ``"month-first"``
    when some date's second number is (``04/30/2023``), ``"mixed"`` when both happen,
    ``"ambiguous"`` when every date fits both orders, None when the file has no such dates
    (ISO or year-first dates say their order themselves).
    """
    first = second = seen = False
    for v in values:
        m = _DMY_RE.match(v or "")
        if m is None:
            continue
        seen = True
        a, b = int(m.group(1)), int(m.group(2))
        first = first or (a > 12 >= b)
        second = second or (b > 12 >= a)
        if first and second:
            return "mixed"
    if first:
        return "day-first"
    if second:
        return "month-first"
    return "ambiguous" if seen else None
