"""Shared reading of one-row-per-respondent tables (Google Forms, Microsoft Forms, SurveyMonkey,
plain CSV).

Rules, the same for every form tool:

* metadata columns (:func:`records.is_metadata`) are listed as ignored and never read;
* a column is imported when the mapping names it, else when its header names a
  prompt (:class:`records.PromptMatcher`); other columns are reported as unmapped
  with their count of non-empty cells;
* blank rows are skipped as ``empty_row``; rows with no answer in the imported
  columns as ``no_answers``;
* a row whose content cells (every non-metadata column) equal an earlier row's is
  skipped as ``duplicate_row`` when it holds two or more answers, or when the
  whole row (timestamps included) is identical. A single short answer repeated by
  another respondent ("More parks") is kept: that is two people agreeing, not a
  double submit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import ImportFormatError
from .records import (
    Answer,
    ImportContext,
    ParseResult,
    Skip,
    is_metadata,
    mapping_lookup,
    normalise_header,
)
from .records import parse_export_time as _parse_time

__all__ = ["Column", "parse_table"]


@dataclass(frozen=True)
class Column:
    """A column of a table: index, header shown to the facilitator, and whether headers may
    auto-match.
    """

    index: int
    header: str
    auto: bool = True


def parse_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    first_row: int,
    ctx: ImportContext,
    *,
    time_columns: Sequence[str] = (),
    format_label: str = "CSV",
) -> ParseResult:
    """Read answers from ``rows`` (data rows only; ``first_row`` is the spreadsheet number of the
    first).

    Raises
    ------
    ImportFormatError
        When no column maps to a prompt.
    """
    result = ParseResult()
    matcher = ctx.matcher
    mapped: list[tuple[Column, str]] = []
    content: list[Column] = []
    explicit_skip: set[int] = set()
    used_mapping_keys: set[str] = set()
    for col in columns:
        if not col.header.strip():
            content.append(col)
            continue
        if is_metadata(col.header):
            result.ignored.append(col.header)
            continue
        content.append(col)
        found, key = mapping_lookup(ctx.mapping, col.header)
        if found:
            used_mapping_keys.add(normalise_header(col.header))
            if key is None:
                explicit_skip.add(col.index)
                continue
            mapped.append((col, key))
            continue
        key = matcher.match(col.header) if col.auto else None
        if key is not None:
            mapped.append((col, key))
    if ctx.mapping:
        for k in ctx.mapping:
            if normalise_header(k) not in used_mapping_keys:
                result.warnings.append(f"Mapping entry {k!r} matches no column of {ctx.file_name}.")
    if not mapped:
        headers = [c.header for c in columns if c.header.strip()]
        raise ImportFormatError(
            f"No column of {ctx.file_name} ({format_label}) matches a prompt of session "
            f"{ctx.session_code}. "
            f"Headers found: {headers}. Prompts expected: {matcher.describe()}. Write a mapping "
            f"file such as "
            f'{{"{_example_header(headers)}": "{ctx.prompts[0].key}"}} and pass it with --mapping.'
        )
    result.columns = {c.header: k for c, k in mapped}
    time_idx = next(
        (
            c.index
            for name in time_columns
            for c in columns
            if normalise_header(c.header) == normalise_header(name)
        ),
        None,
    )
    mapped_idx = {c.index for c, _ in mapped}
    unmapped = [c for c in content if c.index not in mapped_idx and c.index not in explicit_skip]
    unmapped_counts = {c.index: 0 for c in unmapped}
    width = max((c.index for c in columns), default=-1) + 1
    seen: dict[tuple[str, ...], int] = {}
    seen_whole: dict[tuple[str, ...], int] = {}
    content_idx = [c.index for c in content]
    unmapped_idx = [c.index for c in unmapped]
    mapped_idx_key = [(c.index, c.header, k) for c, k in mapped]
    for i, raw in enumerate(rows):
        rowno = first_row + i
        result.rows_read += 1
        stripped = [cell.strip() for cell in raw]
        if len(stripped) < width:
            stripped += [""] * (width - len(stripped))
        elif len(stripped) > width:
            if any(stripped[width:]):
                result.warnings.append(
                    f"Row {rowno} has {len(raw)} cells but the header has {width}; extra cells "
                    f"ignored."
                )
            stripped = stripped[:width]
        if not any(stripped):
            result.skipped.append(Skip(rowno, None, "empty_row", "empty row"))
            continue
        answers = [(idx, header, key) for idx, header, key in mapped_idx_key if stripped[idx]]
        for idx in unmapped_idx:
            if stripped[idx]:
                unmapped_counts[idx] += 1
        if not answers:
            result.skipped.append(
                Skip(rowno, None, "no_answers", "no answer in the imported columns")
            )
            continue
        whole = tuple(stripped)
        earlier = seen_whole.get(whole)
        signature = tuple([stripped[idx] for idx in content_idx])
        if earlier is None and len(answers) >= 2:
            earlier = seen.get(signature)
        if earlier is not None:
            result.skipped.append(
                Skip(rowno, None, "duplicate_row", f"duplicate row (same answers as row {earlier})")
            )
            continue
        seen.setdefault(signature, rowno)
        seen_whole.setdefault(whole, rowno)
        created = _parse_time(stripped[time_idx]) if time_idx is not None else None
        respondent = f"row:{rowno}"
        for idx, header, key in answers:
            result.answers.append(
                Answer(
                    row=rowno,
                    column=idx,
                    header=header,
                    text=stripped[idx],
                    prompt_key=key,
                    created_at=created,
                    respondent=respondent,
                )
            )
    result.unmapped = [
        {"column": c.header or f"(column {c.index + 1})", "non_empty": unmapped_counts[c.index]}
        for c in unmapped
        if c.header.strip() or unmapped_counts[c.index]
    ]
    return result


def _example_header(headers: Sequence[str]) -> str:
    for h in headers:
        if not is_metadata(h):
            return h.replace('"', '\\"')
    return "Column header"
