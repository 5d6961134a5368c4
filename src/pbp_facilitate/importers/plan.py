"""The import plan: what each column of a survey export is, decided without a mapping file.

:func:`build_plan` looks at every column's header and values and gives it one role:

* ``private``: personal data (IP, e-mail, names, contact details; by header,
  :mod:`._headers`, or because most values are e-mail or IP addresses). Never stored; a
  mapping that points one at a prompt is refused.
* ``metadata``: ids, times, status, progress... Never stored; the response-id and time columns
  among them identify responses and date them.
* ``prompt``: a free-text question whose wording matches a prompt of the session (equal or
  containing the prompt text, or similar wording: :func:`similarity` of the content words at
  least :data:`SIMILAR`).
* ``new_prompt``: a free-text question that fits no prompt; it becomes a new prompt of the
  session (kind ``imported``, the question as its text).
* ``demographic``: matches a demographic question of the survey by header wording or because
  its values are that question's options. Stored only when the import says the survey collected
  consent.
* ``choice``: a closed question (few repeated short values); not imported.
* ``empty``: no answer in any row.

A column is free text when its answers are typed: long (25+ characters on average, or one of
60+), or mostly distinct (80%+) among 4+ answers of 10+ characters on average. A mapping
(:func:`~pbp_facilitate.importers.records.load_mapping`) overrides any role but ``private`` and
``metadata``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ImportFormatError
from ..surveys import DemographicQuestion
from ..text import fold_key, guess_language, stop_words
from ._headers import is_metadata, is_response_id, is_time_column, normalise_header, private_family
from .records import ColumnMapping, ImportContext, Target, parse_export_time

__all__ = [
    "TableColumn",
    "Table",
    "ColumnPlan",
    "build_plan",
    "similarity",
    "SIMILAR",
    "DemographicMatcher",
]

SIMILAR = 0.6
"""Least :func:`similarity` of wording for a header to match a prompt or a question."""

_STOP = stop_words(("en", "es"), civic=False) | {"please", "por", "favor", "optional", "opcional"}
_WORD_RE = re.compile(r"[^\W\d_]{3,}")
_NUMBERING_RE = re.compile(r"^\s*(?:q\s*)?\d{1,3}\s*[.、:)\-–]\s*|^\s*\(\d{1,3}\)\s*", re.I)
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)
_IP_RE = re.compile(r"^(\d{1,3}\.){3}\d{1,3}$|^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$", re.I)
_TIMEISH_RE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}[ T]\d{1,2}:\d{2}")
_NUMBER_RE = re.compile(r"^[-+]?\d+([.,]\d+)?%?$")


@dataclass(frozen=True)
class TableColumn:
    """A column of an export table.

    Attributes
    ----------
    index : int
        0-based position.
    header : str
        What the facilitator reads: the question text (with a sub-label as ``Q [sub]``).
    name : str
        The tool's short name of the column when it has one (Qualtrics ``IPAddress``, ``Q1``);
        checked for private and metadata families like the header.
    auto : bool
        May be matched to prompts without a mapping (False for SurveyMonkey choice sub-columns).
    """

    index: int
    header: str
    name: str = ""
    auto: bool = True


@dataclass
class Table:
    """An export after its header rows were read: columns, data rows and how the headers read."""

    columns: list[TableColumn]
    rows: Sequence[Sequence[str]]
    first_row: int
    layout: str = "1 header row"
    blank_values: frozenset[str] = frozenset()
    """Cell values meaning "no answer" in this tool (Wenjuanxing's ``(跳过)``)."""


@dataclass
class ColumnPlan:
    """What one column is and where it goes.

    Attributes
    ----------
    index : int
        0-based column position (the report shows it 1-based).
    header : str
        Column header.
    role : str
        ``prompt``, ``new_prompt``, ``demographic``, ``choice``, ``metadata``, ``private`` or
        ``empty``.
    target : str or None
        Prompt key (``prompt``/``new_prompt``) or demographic question key.
    how : str
        Why, as a key of the report's catalogue: ``header`` (names the prompt or question),
        ``similar`` (similar wording), ``values`` (options of the question), ``mapping``,
        ``free_text``, ``closed``, ``option``, ``mapped_out``, ``response_id``, ``time``,
        ``metadata``, or the private family (``ip``, ``email``, ``name``, ``contact``,
        ``location``, ``device``).
    non_empty : int
        Non-empty cells.
    samples : list of str
        Two sample answers (never for private or metadata columns).
    score : float
        Similarity of wording with the target, when matched by wording.
    """

    index: int
    header: str
    role: str
    target: str | None = None
    how: str = ""
    non_empty: int = 0
    samples: list[str] = field(default_factory=list)
    score: float = 0.0
    column_key: str = ""
    mean_length: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict."""
        return {
            "column": self.index + 1,
            "header": self.header,
            "role": self.role,
            "target": self.target,
            "how": self.how,
            "non_empty": self.non_empty,
            "samples": list(self.samples),
        }


def _words(text: str) -> frozenset[str]:
    text = _NUMBERING_RE.sub("", text)
    out = set()
    for w in _WORD_RE.findall(fold_key(text)):
        if w in _STOP:
            continue
        out.add(w[:-1] if len(w) > 4 and w.endswith("s") else w)
    return frozenset(out)


def similarity(a: str, b: str) -> float:
    """Dice overlap of the content words of two texts (stop words, numbering and case ignored).

    >>> round(similarity("What gets in the way of a better future today?",
    ...                  "What gets in the way of that future today?"), 2)
    0.89
    """
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return 2 * len(wa & wb) / (len(wa) + len(wb))


def _option_key(text: str) -> str:
    return normalise_header(text)


class DemographicMatcher:
    """Match columns to the survey's demographic questions and their values to options."""

    def __init__(self, questions: Sequence[DemographicQuestion]) -> None:
        self.questions = {q.key: q for q in questions}
        self._options: dict[str, dict[str, str]] = {}
        for q in questions:
            table: dict[str, str] = {}
            for o in q.options:
                table[_option_key(o.value)] = o.value
                for label in o.label.values():
                    table.setdefault(_option_key(label), o.value)
            self._options[q.key] = table
        self._cache: dict[tuple[str, str], Any] = {}

    def by_header(self, header: str) -> tuple[str | None, float]:
        """Return the question whose label or key is worded like ``header``, with the score."""
        best, score = None, 0.0
        for q in self.questions.values():
            texts = [*q.label.values(), q.key.replace("_", " ")]
            s = max(similarity(header, t) for t in texts)
            if normalise_header(header) in {normalise_header(t) for t in texts}:
                s = 1.0
            if s > score:
                best, score = q.key, s
        return (best, score) if score >= SIMILAR else (None, score)

    def value(self, key: str, raw: str) -> Any:
        """Return the option value (or values) ``raw`` stands for, or None when it is no option."""
        hit = self._cache.get((key, raw), self)
        if hit is self:
            hit = self._cache[(key, raw)] = self._value(key, raw)
        return hit

    def _value(self, key: str, raw: str) -> Any:
        q = self.questions[key]
        table = self._options[key]
        hit = table.get(_option_key(raw))
        if hit is not None:
            return [hit] if q.multiple else hit
        if not q.multiple:
            return None
        parts = [p for p in re.split(r";|,(?=\s*\S)", raw) if p.strip()]
        values = [table.get(_option_key(p)) for p in parts]
        if values and all(v is not None for v in values):
            return sorted(set(values))  # type: ignore[arg-type]
        return None

    def by_values(self, values: Sequence[str]) -> str | None:
        """Return the question whose options cover 80%+ of the distinct ``values``."""
        distinct = {v for v in values if v}
        if not distinct:
            return None
        best, share = None, 0.0
        for key in self.questions:
            hits = sum(1 for v in distinct if self.value(key, v) is not None)
            s = hits / len(distinct)
            if s > share:
                best, share = key, s
        return best if share >= 0.8 else None


def _is_free_text(values: Sequence[str]) -> bool:
    n = len(values)
    if not n:
        return False
    if sum(1 for v in values if _NUMBER_RE.match(v)) >= 0.8 * n:
        return False
    lengths = [len(v) for v in values]
    mean = sum(lengths) / n
    if mean >= 25 or max(lengths) >= 60:
        return True
    return n >= 4 and len(set(values)) >= 0.8 * n and mean >= 10


def _looks_time(values: Sequence[str]) -> bool:
    sample = values[:50]
    return sum(1 for v in sample if _TIMEISH_RE.match(v) and parse_export_time(v)) >= 0.9 * len(
        sample
    )


def _looks_private(values: Sequence[str]) -> str | None:
    if not values:
        return None
    sample = values[:200]
    if sum(1 for v in sample if _EMAIL_RE.match(v)) >= 0.5 * len(sample):
        return "email"
    if sum(1 for v in sample if _IP_RE.match(v)) >= 0.5 * len(sample):
        return "ip"
    return None


def _slug(text: str, taken: set[str]) -> str:
    words = [w for w in _WORD_RE.findall(fold_key(_NUMBERING_RE.sub("", text))) if w not in _STOP]
    base = "imp_" + "_".join(words[:4]) if words else "imp_question"
    base = re.sub(r"[^a-z0-9_]", "", base)[:48].rstrip("_") or "imp_question"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


def _samples(values: Sequence[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v not in out:
            out.append(v)
        if len(out) == 2:
            break
    return out


def column_keys(columns: Sequence[TableColumn]) -> dict[int, str]:
    """Return a stable identity per column: its normalised header, numbered when repeated."""
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    for c in columns:
        h = normalise_header(c.header) or normalise_header(c.name) or f"column {c.index + 1}"
        seen[h] = seen.get(h, 0) + 1
        out[c.index] = h if seen[h] == 1 else f"{h} ({seen[h]})"
    return out


def _refuse(
    mapping: ColumnMapping | None, col: TableColumn, target: Target, what: str
) -> ImportFormatError:
    source = mapping.source if mapping else "the mapping"
    return ImportFormatError(
        f"Mapping file {source} sends column {col.index + 1} ({col.header!r}) to "
        f"{target.key or target.kind!r}, but it is {what}; such columns are never imported. "
        f"Remove that line from the mapping."
    )


def build_plan(
    table: Table, ctx: ImportContext, *, values: dict[int, list[str]]
) -> tuple[list[ColumnPlan], dict[str, str]]:
    """Decide the role of every column of ``table``.

    Parameters
    ----------
    table : Table
        The export's columns.
    ctx : ImportContext
        The session's prompts, languages, demographic questions and the mapping.
    values : dict
        Column index -> its non-empty cells (stripped), in row order.

    Returns
    -------
    (list of ColumnPlan, dict)
        The plan, and the new prompts it asks for (key -> question text).

    Raises
    ------
    ImportFormatError
        When a mapping points a private or metadata column at a prompt or question.
    """
    matcher = ctx.matcher
    demo = DemographicMatcher(ctx.demographics)
    taken = {p.key for p in ctx.prompts}
    texts = [
        (p.key, txt)
        for p in ctx.prompts
        for lang, txt in p.text.items()
        if lang in ctx.languages or p.kind == "imported"
    ]
    keys = column_keys(table.columns)
    plan: list[ColumnPlan] = []
    new_prompts: dict[str, str] = {}
    mapping = ctx.mapping
    for col in table.columns:
        vals = values.get(col.index, [])
        cp = ColumnPlan(col.index, col.header, "empty", non_empty=len(vals))
        cp.mean_length = sum(map(len, vals[:500])) / min(len(vals), 500) if vals else 0.0
        cp.column_key = keys[col.index]
        plan.append(cp)
        target: Target | None = mapping.lookup(col.header, col.index + 1) if mapping else None
        family = private_family(col.header) or (private_family(col.name) if col.name else None)
        if family is None and target is None:
            family = _looks_private(vals)
        if family is not None:
            if target is not None and target.kind != "skip":
                raise _refuse(mapping, col, target, f"a private column ({family}: personal data)")
            cp.role, cp.how = "private", family
            continue
        if is_metadata(col.header) or (col.name and is_metadata(col.name)):
            if target is not None and target.kind != "skip":
                raise _refuse(mapping, col, target, "a metadata column (ids, times, status)")
            cp.role = "metadata"
            cp.how = (
                "response_id"
                if is_response_id(col.header) or is_response_id(col.name)
                else "time"
                if is_time_column(col.header) or is_time_column(col.name)
                else "metadata"
            )
            continue
        if target is not None:
            cp.how = "mapping"
            if target.kind == "skip":
                cp.role = "choice"
                cp.how = "mapped_out"
            elif target.kind == "prompt":
                cp.role, cp.target = "prompt", target.key
            elif target.kind == "demographic":
                cp.role, cp.target = "demographic", target.key
            else:
                cp.role = "new_prompt"
                cp.target = _slug(col.header, taken)
                new_prompts[cp.target] = col.header
            cp.samples = _samples(vals) if cp.role != "choice" else []
            continue
        if not vals:
            continue
        if _looks_time(vals):
            cp.role, cp.how = "metadata", "time"
            continue
        cp.samples = _samples(vals)
        exact = matcher.match(col.header) if col.auto else None
        if exact is not None:
            cp.role, cp.target, cp.how = "prompt", exact, "header"
            continue
        qkey, qscore = demo.by_header(col.header)
        if qkey is None:
            qkey = demo.by_values(vals)
            if qkey is not None:
                cp.role, cp.target, cp.how = "demographic", qkey, "values"
                continue
        else:
            how = "header" if qscore >= 1.0 else "similar"
            cp.role, cp.target, cp.how, cp.score = "demographic", qkey, how, qscore
            continue
        if not col.auto:
            cp.role, cp.how = "choice", "option"
            cp.samples = []
            continue
        if not _is_free_text(vals):
            cp.role, cp.how = "choice", "closed"
            cp.samples = []
            continue
        best, score = None, 0.0
        for key, txt in texts:
            s = similarity(col.header, txt)
            if s > score:
                best, score = key, s
        if best is not None and score >= SIMILAR:
            cp.role, cp.target, cp.how, cp.score = "prompt", best, "similar", score
            continue
        cp.role, cp.how = "new_prompt", "free_text"
        cp.target = _slug(col.header, taken)
        new_prompts[cp.target] = col.header
    return plan, new_prompts


def new_prompt_text(header: str, languages: Sequence[str]) -> dict[str, str]:
    """The text of a new prompt made from a question: ``{language: question}``."""
    text = " ".join(unicodedata.normalize("NFC", header).split())
    lang = guess_language(text, languages) or languages[0]
    return {lang: text}
