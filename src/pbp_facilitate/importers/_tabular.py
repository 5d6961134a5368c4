"""Shared reading of one-row-per-respondent tables (every form tool, plain CSV and .xlsx).

Rules, the same for every tool:

* the plan (:func:`.plan.build_plan`) gives each column its role; private and metadata columns
  are never read past the plan (their values are only counted);
* **response identity**: the export's own response-id column when it has one (``Response ID``,
  ``Respondent ID``, ``ResponseId``, Typeform's ``#``, Microsoft's ``ID``...; small numbers that
  only count one form's responses are scoped by that form's first response, so two forms'
  response 1 stay two), else (Google
  Forms, hand-made sheets) a digest of the row's content cells, numbered by occurrence (the
  second respondent who wrote exactly the same is ``#2``). The timestamp is left out of that
  digest on purpose: Google writes it ``2024/03/14 6:05:12 PM GMT-4`` in the CSV and as a
  zone-less date cell in the sheet's .xlsx, so it would make the same response two. Re-downloads,
  partial exports and re-saves of the same survey give every response the same identity, so
  they add nothing;
* **dates**: one day/month order per file, chosen from all the values of its time column
  (:func:`.records.date_order`) and stated in the report;
* blank rows are skipped as ``empty_row``; rows with no answer in the imported columns as
  ``no_answers``; a row repeating the header as ``header_row``;
* a row whose content cells equal an earlier row's is skipped as ``duplicate_row`` when it
  holds two or more answers, or when the whole row (timestamps included) is identical. A single
  short answer repeated by another respondent ("More parks") is kept: two people agreeing.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from typing import ClassVar

from ..errors import ImportFormatError
from ._headers import time_rank
from .plan import ColumnPlan, DemographicMatcher, Table, TableColumn, build_plan
from .records import Answer, ImportContext, Importer, ParseResult, Skip, date_order
from .records import parse_export_time as _parse_time

__all__ = [
    "parse_table",
    "content_digest",
    "TabularImporter",
    "one_header_table",
    "number_duplicates",
]

_CONTENT_ROLES = ("prompt", "new_prompt", "demographic", "choice")


def content_digest(cells: Sequence[str]) -> str:
    """Digest of a response's content cells (NFC, line ends and outer spaces ignored)."""
    norm = "\x1f".join(unicodedata.normalize("NFC", c).replace("\r\n", "\n").strip() for c in cells)
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:24]


def _column_values(table: Table, width: int) -> dict[int, list[str]]:
    values: dict[int, list[str]] = {i: [] for i in range(width)}
    blank = table.blank_values
    for raw in table.rows:
        for i, cell in enumerate(raw[:width]):
            v = cell.strip()
            if v and v not in blank:
                values[i].append(v)
    return values


def _pick_id(plan: Sequence[ColumnPlan], values: dict[int, list[str]], rows: int) -> int | None:
    for cp in plan:
        if cp.role == "metadata" and cp.how == "response_id":
            vals = values.get(cp.index, [])
            if vals and len(set(vals)) == len(vals) >= 0.9 * rows:
                return cp.index
    return None


def _id_scope(
    table: Table, id_idx: int, values: dict[int, list[str]], content_idx: Sequence[int]
) -> str:
    """Scope for ids that only number the responses of one form (``1``, ``2``...: Microsoft
    Forms, Wenjuanxing, SurveyGizmo): a digest of the answers of the form's lowest-numbered
    response, which every later download of the same form holds too. Ids that are unique on their
    own (``R_1aBc...``, Typeform tokens) need none."""
    ids = values.get(id_idx, [])
    if not ids or not all(v.isdigit() and len(v) < 10 for v in ids):
        return ""
    low = min(ids, key=int)
    for raw in table.rows:
        if id_idx < len(raw) and raw[id_idx].strip() == low:
            cells = sorted(raw[i].strip() for i in content_idx if i < len(raw) and raw[i].strip())
            return content_digest(cells)[:12] + "/"
    return ""


def _pick_time(plan: Sequence[ColumnPlan]) -> int | None:
    times = [cp for cp in plan if cp.role == "metadata" and cp.how == "time"]
    if not times:
        return None
    return min(times, key=lambda cp: (time_rank(cp.header) or 99, cp.index)).index


def parse_table(table: Table, ctx: ImportContext, *, format_label: str = "CSV") -> ParseResult:
    """Read answers, demographics and response identities from ``table``.

    Raises
    ------
    ImportFormatError
        When no column holds answers to import (the message lists the plan).
    """
    result = ParseResult(layout=table.layout)
    width = max((c.index for c in table.columns), default=-1) + 1
    values = _column_values(table, width)
    data_rows = sum(1 for r in table.rows if any(c.strip() for c in r))
    plan, new_prompts = build_plan(table, ctx, values=values)
    result.plan, result.new_prompts = plan, new_prompts
    for cp in plan:
        if cp.role == "private":
            result.withheld.append(
                {"column": cp.header, "family": cp.how, "non_empty": cp.non_empty}
            )
        elif cp.role == "metadata":
            result.ignored.append(cp.header)
        elif cp.role in ("prompt", "new_prompt"):
            result.columns[cp.header] = cp.target or ""
        elif cp.role == "choice" and cp.non_empty and cp.how != "mapped_out":
            result.unmapped.append({"column": cp.header, "non_empty": cp.non_empty})
    if ctx.mapping:
        for raw in ctx.mapping.unused():
            result.warnings.append(f"Mapping entry {raw!r} matches no column of {ctx.file_name}.")
    answer_cols = [cp for cp in plan if cp.role in ("prompt", "new_prompt")]
    if not answer_cols:
        described = "; ".join(
            f"{cp.index + 1} {cp.header!r}: {cp.role}" for cp in plan if cp.header.strip()
        )
        raise ImportFormatError(
            f"No column of {ctx.file_name} ({format_label}) holds typed answers to import into "
            f"session {ctx.session_code}. Columns found: {described}. Prompts: "
            f"{ctx.matcher.describe()}. Write a mapping file such as "
            f'{{"{_example_header(plan)}": "{ctx.prompts[0].key}"}} (or a column number: '
            f'{{3: "{ctx.prompts[0].key}"}}) and pass it with --mapping.'
        )
    demo_cols = [cp for cp in plan if cp.role == "demographic"]
    content_idx = [cp.index for cp in plan if cp.role in _CONTENT_ROLES]
    id_idx = _pick_id(plan, values, data_rows)
    id_scope = _id_scope(table, id_idx, values, content_idx) if id_idx is not None else ""
    time_idx = _pick_time(plan)
    dayfirst: bool | None = None
    if time_idx is not None:
        order = date_order(values.get(time_idx, []))
        result.date_order = order
        if order == "day-first":
            dayfirst = True
        elif order == "month-first":
            dayfirst = False
        elif order == "ambiguous":
            dayfirst = False
            result.warnings.append(
                f"Every date in column {plan[time_idx].header!r} fits both day/month orders; "
                f"read as month/day (US). If the survey ran elsewhere, the times of these ideas "
                f"may be off (their text is not)."
            )
        elif order == "mixed":
            result.warnings.append(
                f"Dates in column {plan[time_idx].header!r} use both day/month orders; each was "
                f"read on its own (month first unless the month would be over 12)."
            )
    demo = DemographicMatcher(ctx.demographics)
    bad_values: dict[str, int] = {}
    header_cells = [c.header.strip() for c in table.columns]
    seen: dict[tuple[str, ...], int] = {}
    seen_whole: dict[tuple[str, ...], int] = {}
    occurrences: dict[str, int] = {}
    blank = table.blank_values
    answer_spec = [(cp.index, cp.header, cp.target or "", cp.column_key) for cp in answer_cols]
    for i, raw in enumerate(table.rows):
        rowno = table.first_row + i
        result.rows_read += 1
        stripped = [cell.strip() for cell in raw]
        if blank:
            stripped = ["" if c in blank else c for c in stripped]
        if len(stripped) < width:
            stripped += [""] * (width - len(stripped))
        elif len(stripped) > width:
            if any(stripped[width:]):
                result.warnings.append(
                    f"Row {rowno} is longer than the header (cells: {len(raw)}, header columns: "
                    f"{width}); extra cells ignored."
                )
            stripped = stripped[:width]
        if not any(stripped):
            result.skipped.append(Skip(rowno, None, "empty_row", "empty row"))
            continue
        if stripped == header_cells:
            result.skipped.append(Skip(rowno, None, "header_row", "repeats the header row"))
            continue
        answers = [spec for spec in answer_spec if stripped[spec[0]]]
        if not answers:
            result.skipped.append(
                Skip(rowno, None, "no_answers", "no answer in the imported columns")
            )
            continue
        whole = tuple(stripped)
        signature = tuple([stripped[idx] for idx in content_idx])
        earlier = seen_whole.get(whole)
        if earlier is None and len(answers) >= 2:
            earlier = seen.get(signature)
        if earlier is not None:
            result.skipped.append(
                Skip(rowno, None, "duplicate_row", f"duplicate row (same answers as row {earlier})")
            )
            continue
        seen.setdefault(signature, rowno)
        seen_whole.setdefault(whole, rowno)
        if id_idx is not None and stripped[id_idx]:
            response = f"id:{id_scope}{stripped[id_idx]}"
        else:
            digest = content_digest(signature)
            n = occurrences.get(digest, 0) + 1
            occurrences[digest] = n
            response = f"c:{digest}#{n}"
        created = (
            _parse_time(stripped[time_idx], dayfirst)
            if time_idx is not None and stripped[time_idx]
            else None
        )
        result.responses[response] = response
        for idx, header, key, ckey in answers:
            result.answers.append(
                Answer(
                    row=rowno,
                    column=idx,
                    header=header,
                    text=stripped[idx],
                    prompt_key=key,
                    created_at=created,
                    respondent=response,
                    response=response,
                    column_key=ckey,
                )
            )
        if demo_cols:
            profile: dict[str, object] = {}
            for cp in demo_cols:
                raw_value = stripped[cp.index]
                if not raw_value or cp.target is None:
                    continue
                value = demo.value(cp.target, raw_value)
                if value is None:
                    bad_values[cp.header] = bad_values.get(cp.header, 0) + 1
                    continue
                profile[cp.target] = value
            if profile:
                result.demographics[response] = profile
    for header, n in bad_values.items():
        result.warnings.append(
            f"Demographic column {header!r}: answers that are not options of its question, left "
            f"out: {n}."
        )
    return result


def _example_header(plan: Sequence[ColumnPlan]) -> str:
    """The column a mapping example should name: the one with the longest answers (a typed
    question rather than a yes/no consent box)."""
    content = [cp for cp in plan if cp.role not in ("private", "metadata") and cp.header.strip()]
    if not content:
        return "Column header"
    return max(content, key=lambda cp: cp.mean_length).header.replace('"', '\\"')


def number_duplicates(headers: Sequence[str]) -> list[str]:
    """Number repeated headers so each column can be told apart: ``Other``, ``Other (2)``..."""
    counts: dict[str, int] = {}
    out: list[str] = []
    for h in headers:
        h = h.strip()
        key = h.casefold()
        counts[key] = counts.get(key, 0) + 1
        out.append(h if counts[key] == 1 or not h else f"{h} ({counts[key]})")
    return out


def one_header_table(rows: Sequence[Sequence[str]], layout: str = "1 header row") -> Table:
    """A table whose row 1 holds the headers and data starts on row 2."""
    header = number_duplicates(rows[0]) if rows else []
    return Table([TableColumn(i, h) for i, h in enumerate(header)], rows[1:], 2, layout)


class TabularImporter(Importer):
    """Base of the one-row-per-respondent formats: build the :class:`Table`, then
    :func:`parse_table`."""

    source: ClassVar[str] = "survey"

    def table(self, rows: list[list[str]]) -> Table:
        """Read the header rows; by default one header row."""
        return one_header_table(rows)

    def parse(self, text: str, rows: list[list[str]] | None, ctx: ImportContext) -> ParseResult:
        """Read the answers with the plan of :func:`build_plan`."""
        result = parse_table(self.table(rows or []), ctx, format_label=self.label)
        return result
