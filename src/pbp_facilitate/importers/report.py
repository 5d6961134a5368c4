"""The import report: what an import read, planned, withheld, added and skipped.

:class:`ImportReport` is returned by :func:`~pbp_facilitate.importers.import_file`;
:meth:`ImportReport.format_text` is what ``pbp import`` prints and :meth:`ImportReport.to_dict`
what ``pbp import --json`` prints. Participant text appears only as the plan's two sample
answers per column (one line each, shortened, control characters removed); private columns
never show a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..text import shorten
from .plan import ColumnPlan
from .records import Skip

__all__ = ["ImportReport"]

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _sample(text: str, n: int = 40) -> str:
    return shorten(_CONTROL_RE.sub(" ", text), n)


def _col(cp: ColumnPlan | None, index: int | None, header: str | None) -> str:
    if cp is not None:
        return f"column {cp.index + 1} ({shorten(cp.header, 32)!r})"
    if index is not None:
        return f"column {index + 1}"
    return repr(shorten(header or "", 32))


@dataclass
class ImportReport:
    """What an import did.

    Attributes
    ----------
    file, format, label, encoding, sha256, session : str
        The file, its format name (``google-forms``...) and label, how it was decoded
        (``xlsx`` for workbooks), its hash, the target session's code.
    layout : str
        How its header rows were read (``3 header rows (...)``).
    rows_read : int
        Data rows (or note lines) read.
    responses_found, responses_added, responses_already_present : int
        Responses (respondent rows, Polis comments, notes lines) holding an answer; those that
        added at least one idea; those entirely stored by an earlier import (re-download).
    ideas_found, added, already_present : int
        Ideas found in imported columns; written by this import; already stored.
    skipped : list of Skip
        Everything left out, each with row, column and reason.
    columns : dict
        Header -> prompt key, for what was imported.
    plan : list of ColumnPlan
        The role of every column (tabular formats).
    new_prompts : dict
        Prompt key -> question text, for prompts this import creates (or would create).
    withheld : list of dict
        Private columns, never stored (``column``, ``family``, ``non_empty``).
    demographics : dict
        ``columns`` (header -> question), ``respondents`` with answers, ``stored`` (bool) and
        ``consented`` (the import said the survey collected consent).
    unmapped : list of dict
        Content columns left out (``{"column", "non_empty"}``).
    ignored : list of str
        Metadata columns, never stored.
    date_order : str or None
        ``day-first``, ``month-first``, ``ambiguous``, ``mixed`` or None.
    notes, warnings : list of str
        Facts and things worth a look.
    limit : int
        The import text limit (``import_max_text_chars``).
    dry_run : bool
        True when nothing was written on purpose.
    """

    file: str
    format: str
    encoding: str
    sha256: str
    session: str
    label: str = ""
    layout: str = ""
    rows_read: int = 0
    responses_found: int = 0
    responses_added: int = 0
    responses_already_present: int = 0
    ideas_found: int = 0
    added: int = 0
    already_present: int = 0
    skipped: list[Skip] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    plan: list[ColumnPlan] = field(default_factory=list)
    new_prompts: dict[str, str] = field(default_factory=dict)
    withheld: list[dict[str, Any]] = field(default_factory=list)
    demographics: dict[str, Any] = field(default_factory=dict)
    unmapped: list[dict[str, Any]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    date_order: str | None = None
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    limit: int = 0
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
            "label": self.label,
            "layout": self.layout,
            "encoding": self.encoding,
            "sha256": self.sha256,
            "session": self.session,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "responses_found": self.responses_found,
            "responses_added": self.responses_added,
            "responses_already_present": self.responses_already_present,
            "ideas_found": self.ideas_found,
            "added": self.added,
            "already_present": self.already_present,
            "skipped_count": len(self.skipped),
            "skipped_by_reason": self.skipped_by_reason(),
            "skipped": [s.to_dict() for s in self.skipped],
            "columns": dict(self.columns),
            "plan": [cp.to_dict() for cp in self.plan],
            "new_prompts": dict(self.new_prompts),
            "withheld": list(self.withheld),
            "demographics": dict(self.demographics),
            "unmapped": list(self.unmapped),
            "ignored": list(self.ignored),
            "date_order": self.date_order,
            "import_max_text_chars": self.limit,
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }

    def _plan_lines(self, samples: bool) -> list[str]:
        lines = ["Plan:"]
        demo = self.demographics
        for cp in self.plan:
            where = f"  {cp.index + 1:>3} {shorten(cp.header, 48) or '(no header)'!r}"
            if cp.role == "prompt":
                what = f"-> prompt {cp.target} ({cp.how})"
            elif cp.role == "new_prompt":
                what = f"-> NEW prompt {cp.target} (kind imported; {cp.how})"
            elif cp.role == "demographic":
                stored = "stored" if demo.get("stored") else "not stored: no consent recorded"
                what = f"-> demographic {cp.target} ({cp.how}; {stored})"
            elif cp.role == "private":
                what = f"-> private ({cp.how}): withheld, never stored"
            elif cp.role == "metadata":
                what = f"-> ignored ({cp.how})"
            elif cp.role == "choice":
                what = f"-> not imported ({cp.how})"
            else:
                what = "-> ignored (empty)"
            count = (
                f", {cp.non_empty} answer(s)"
                if cp.role in ("prompt", "new_prompt", "demographic", "choice")
                else ""
            )
            line = f"{where} {what}{count}"
            if samples and cp.samples and cp.role in ("prompt", "new_prompt", "demographic"):
                line += ": " + " | ".join(repr(_sample(s)) for s in cp.samples)
            lines.append(line)
        return lines

    def format_text(self, max_examples: int = 5) -> str:
        """Return a readable summary for the terminal (samples of answers only in dry runs)."""
        layout = f", {self.layout}" if self.layout else ""
        lines = [
            f"{self.file}: {self.label or self.format} ({self.encoding}{layout}), "
            f"{self.rows_read} row(s) read, into session {self.session}."
        ]
        if self.date_order:
            lines.append(
                {
                    "day-first": "Dates read day/month for the whole file (some date's first "
                    "number is over 12).",
                    "month-first": "Dates read month/day for the whole file (some date's "
                    "second number is over 12).",
                    "ambiguous": "Dates are ambiguous (every day is 12 or under): read month/day.",
                    "mixed": "Dates use both day/month orders: each read on its own.",
                }[self.date_order]
            )
        if self.plan:
            lines.extend(self._plan_lines(samples=self.dry_run))
        elif self.columns:
            for header, key in self.columns.items():
                lines.append(f"  {shorten(header, 48)!r} -> prompt {key}")
        verb = "Would add" if self.dry_run else "Added"
        lines.append(
            f"{verb} {self.added} idea(s) from {self.responses_added} response(s)"
            + (" (dry run: nothing written)" if self.dry_run else "")
            + f"; {self.responses_already_present} response(s) already there "
            f"({self.already_present} idea(s) already present); {len(self.skipped)} skipped."
        )
        if self.new_prompts:
            made = "would create" if self.dry_run else "created or reused"
            lines.append(
                f"New prompts ({made}, kind imported): "
                + ", ".join(f"{k} = {shorten(v, 40)!r}" for k, v in self.new_prompts.items())
            )
        if self.withheld:
            lines.append(
                "Withheld (private, never stored): "
                + ", ".join(f"{shorten(w['column'], 40)!r} ({w['family']})" for w in self.withheld)
                + "."
            )
        demo = self.demographics
        if demo.get("columns"):
            cols = ", ".join(f"{shorten(h, 30)!r} -> {k}" for h, k in demo["columns"].items())
            if demo.get("stored"):
                lines.append(
                    f"Demographics ({cols}): answers of {demo.get('respondents', 0)} "
                    f"respondent(s) stored, with the survey's consent recorded on this import."
                )
            else:
                lines.append(
                    f"Demographics ({cols}): not stored, because the import did not say the "
                    f"survey collected consent; if it did, import again with "
                    f"--demographics-consented."
                )
        plan_by_header = {cp.header: cp for cp in self.plan}
        if self.skipped:
            lines.append("Skipped:")
            for code, n in sorted(self.skipped_by_reason().items(), key=lambda kv: -kv[1]):
                items = [s for s in self.skipped if s.code == code]
                where = ", ".join(
                    f"row {s.row}"
                    + (f" {_col(plan_by_header.get(s.column), None, s.column)}" if s.column else "")
                    for s in items[:max_examples]
                )
                more = f", and {n - max_examples} more" if n > max_examples else ""
                reason = items[0].reason if n == 1 else code.replace("_", " ")
                if code == "too_long":
                    reason = (
                        f"over the import limit of {self.limit} characters "
                        f"(PBP_IMPORT_MAX_TEXT_CHARS)"
                    )
                lines.append(f"  {n} x {reason}: {where}{more}")
        if self.unmapped and not self.plan:
            for u in (u for u in self.unmapped if u["non_empty"]):
                lines.append(
                    f"Not imported: column {shorten(u['column'], 40)!r} ({u['non_empty']} "
                    f"non-empty cell(s)); map it with --mapping to import it."
                )
        if self.ignored and not self.plan:
            lines.append(
                f"Ignored metadata columns (never stored): "
                f"{', '.join(repr(h) for h in self.ignored)}."
            )
        lines.extend(self.notes)
        for w in self.warnings:
            lines.append(f"Warning: {w}")
        return "\n".join(lines)
