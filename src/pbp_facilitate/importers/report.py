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

from ..i18n import gettext, ngettext
from ..text import shorten
from .plan import ColumnPlan
from .records import Skip

__all__ = ["ImportReport"]

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _sample(text: str, n: int = 40) -> str:
    return shorten(_CONTROL_RE.sub(" ", text), n)


_FAMILIES = ("ip", "email", "name", "contact", "location", "device")
_HOWS = (
    "header",
    "similar",
    "values",
    "mapping",
    "free_text",
    "closed",
    "option",
    "mapped_out",
    "response_id",
    "time",
    "metadata",
)
_SKIPS = (
    "empty_row",
    "header_row",
    "no_answers",
    "duplicate_row",
    "no_text",
    "too_long",
    "nul_character",
    "moderated_out",
    "not_moderated",
    "unknown_heading",
    "mapped_out",
)


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
    notes : list of (str, int)
        Facts for the report, as counted catalogue key (``key.one`` / ``key.other``) and count
        (Polis moderation).
    warnings : list of str
        Things worth a look.
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
    notes: list[tuple[str, int]] = field(default_factory=list)
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
            "notes": [ngettext("en", key, n) for key, n in self.notes],
            "warnings": list(self.warnings),
        }

    def _how(self, lang: str, how: str) -> str:
        if how in _FAMILIES:
            return gettext(lang, f"imports.family_{how}")
        return gettext(lang, f"imports.how_{how}") if how in _HOWS else how

    def _plan_lines(self, lang: str, samples: bool) -> list[str]:
        lines = [gettext(lang, "imports.plan")]
        stored = bool(self.demographics.get("stored"))
        for cp in self.plan:
            header = shorten(cp.header, 48) or gettext(lang, "imports.no_header")
            how = self._how(lang, cp.how)
            if cp.role == "demographic":
                key = "imports.role_demographic_" + ("stored" if stored else "withheld")
            else:
                key = f"imports.role_{cp.role}"
            role = gettext(lang, key, target=cp.target, how=how)
            line = f"  {cp.index + 1:>3} {header!r} {role}"
            if cp.role in ("prompt", "new_prompt", "demographic", "choice"):
                line += ngettext(lang, "imports.answers", cp.non_empty)
            if samples and cp.samples and cp.role in ("prompt", "new_prompt", "demographic"):
                line += ": " + " | ".join(repr(_sample(s)) for s in cp.samples)
            lines.append(line)
        return lines

    def format_text(self, max_examples: int = 5, lang: str = "en") -> str:
        """Return a readable summary for the terminal in ``lang`` (``en`` or ``es``).

        Sample answers (two per column, shortened, one line) appear only in dry runs; private
        columns never show a value. Warnings keep their English wording.
        """
        layout = f", {self.layout}" if self.layout else ""
        lines = [
            gettext(
                lang,
                "imports.head",
                file=self.file,
                label=self.label or self.format,
                encoding=self.encoding,
                layout=layout,
                rows=ngettext(lang, "imports.n_rows_read", self.rows_read),
                session=self.session,
            )
        ]
        if self.date_order:
            lines.append(gettext(lang, "imports.dates_" + self.date_order.replace("-", "_")))
        if self.plan:
            lines.extend(self._plan_lines(lang, samples=self.dry_run))
        elif self.columns:
            for header, key in self.columns.items():
                lines.append(
                    f"  {shorten(header, 48)!r} " + gettext(lang, "imports.role_prompt", target=key,
                                                             how=self._how(lang, "header"))
                )  # fmt: skip
        lines.append(
            ngettext(
                lang,
                "imports.would_add" if self.dry_run else "imports.added",
                self.added,
                responses=ngettext(lang, "imports.n_responses", self.responses_added),
                present=ngettext(
                    lang, "imports.n_responses_present", self.responses_already_present
                ),
                present_ideas=ngettext(lang, "imports.n_ideas_present", self.already_present),
                skipped=ngettext(lang, "imports.n_skipped", len(self.skipped)),
            )
        )
        if self.new_prompts:
            listed = ", ".join(f"{k} = {shorten(v, 40)!r}" for k, v in self.new_prompts.items())
            key = "imports.new_prompts_dry" if self.dry_run else "imports.new_prompts"
            lines.append(gettext(lang, key, prompts=listed))
        if self.withheld:
            listed = ", ".join(
                f"{shorten(w['column'], 40)!r} ({self._how(lang, w['family'])})"
                for w in self.withheld
            )
            lines.append(gettext(lang, "imports.withheld", columns=listed))
        demo = self.demographics
        if demo.get("columns"):
            cols = ", ".join(f"{shorten(h, 30)!r} -> {k}" for h, k in demo["columns"].items())
            if demo.get("stored"):
                respondents = ngettext(lang, "imports.n_respondents", demo.get("respondents", 0))
                lines.append(
                    gettext(lang, "imports.demo_stored", columns=cols, respondents=respondents)
                )
            else:
                lines.append(gettext(lang, "imports.demo_withheld", columns=cols))
        by_header = {cp.header: cp for cp in self.plan}
        if self.skipped:
            lines.append(gettext(lang, "imports.skipped"))
            for code, n in sorted(self.skipped_by_reason().items(), key=lambda kv: -kv[1]):
                items = [s for s in self.skipped if s.code == code]
                where = ", ".join(
                    gettext(lang, "imports.row", row=s.row)
                    + (
                        f" {self._where(lang, by_header.get(s.column), s.column)}"
                        if s.column
                        else ""
                    )
                    for s in items[:max_examples]
                )
                more = (
                    gettext(lang, "imports.skip_more", n=n - max_examples)
                    if n > max_examples
                    else ""
                )
                reason = (
                    gettext(lang, f"imports.skip_{code}", limit=self.limit)
                    if code in _SKIPS
                    else code.replace("_", " ")
                )
                lines.append(
                    gettext(lang, "imports.skip_line", n=n, reason=reason, where=where, more=more)
                )
        if not self.plan:
            for u in (u for u in self.unmapped if u["non_empty"]):
                lines.append(
                    gettext(
                        lang,
                        "imports.not_imported",
                        column=repr(shorten(u["column"], 40)),
                        cells=ngettext(lang, "imports.n_cells_filled", u["non_empty"]),
                    )
                )
            if self.ignored:
                listed = ", ".join(repr(h) for h in self.ignored)
                lines.append(gettext(lang, "imports.ignored", columns=listed))
        for key, n in self.notes:
            lines.append(ngettext(lang, key, n))
        for w in self.warnings:
            lines.append(gettext(lang, "imports.warning", text=w))
        return "\n".join(lines)

    def _where(self, lang: str, cp: ColumnPlan | None, header: str) -> str:
        if cp is None:
            return repr(shorten(header, 32))
        return gettext(lang, "imports.column", n=cp.index + 1, header=repr(shorten(cp.header, 32)))
