"""Polis: the conversation export's ``comments.csv``.

Columns ``timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body``.
``timestamp`` is Unix time (seconds; milliseconds accepted), ``moderated`` is
1 (accepted), 0 (not yet moderated) or -1 (moderated out). Comments moderated out are imported
**hidden** and the report counts them: they are never shown, listed or summarised, but their
votes can be imported (``participants-votes.csv``) so that the opinion groups are computed as
Polis computes them (Polis keeps a moderated-out comment in its vote matrix as a column of
zeros: ``polismath.math.conversation`` ``:rating-mat``, ``named-matrix/zero-out-columns``).
Comments not yet moderated are imported hidden, pending moderation (a facilitator accepts them
by restoring them on the dashboard), or skipped as ``not_moderated`` with ``--only-accepted``;
the report says which. Every comment
goes to one
prompt: the one a mapping names for ``comment-body`` (``{"comment-body":
"barriers"}``), else the session's first prompt. Comments of the same Polis
author share one pseudonymous participant key (derived from the conversation and
the author's Polis number, which is itself anonymous). A comment is identified by its
``comment-id`` within its conversation (recognised by its first comment's time and text), so a
later download of the same conversation adds only the new comments. Vote counts are not
imported.
"""

from __future__ import annotations

import hashlib
from typing import ClassVar

from ..errors import ImportFormatError
from .records import Answer, ImportContext, Importer, ParseResult, Skip, mapping_lookup
from .records import parse_export_time as _parse_time

__all__ = ["PolisImporter", "POLIS_COLUMNS"]

POLIS_COLUMNS = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)


class PolisImporter(Importer):
    """Import a Polis ``comments.csv`` (source ``import``)."""

    name: ClassVar[str] = "polis"
    label: ClassVar[str] = "Polis comments.csv"
    source: ClassVar[str] = "import"

    def sniff(self, rows: list[list[str]]) -> bool:
        """The header has ``comment-id`` and ``comment-body``."""
        return bool(rows) and {"comment-id", "comment-body"} <= {h.strip().lower() for h in rows[0]}

    def parse(self, text: str, rows: list[list[str]] | None, ctx: ImportContext) -> ParseResult:
        """Read one answer per comment; row 1 is the header."""
        rows = rows or []
        header = [h.strip().lower() for h in (rows[0] if rows else [])]
        missing = [c for c in ("comment-id", "comment-body") if c not in header]
        if missing:
            raise ImportFormatError(
                f"{ctx.file_name} has no {' or '.join(map(repr, missing))} column; expected the "
                f"header "
                f"{','.join(POLIS_COLUMNS)}. Export comments.csv from the Polis report page again."
            )
        idx = {h: i for i, h in enumerate(header)}
        found, key = mapping_lookup(ctx.mapping, "comment-body")
        if found and key is None:
            raise ImportFormatError(
                f"The mapping leaves out 'comment-body', the only text column of a Polis file; map "
                f"it to one of "
                f"{sorted(p.key for p in ctx.prompts)}."
            )
        prompt_key = key if found and key else ctx.prompts[0].key
        result = ParseResult(
            columns={"comment-body": prompt_key}, ignored=[h for h in header if h != "comment-body"]
        )
        seen: dict[str, int] = {}
        conversation = _conversation(rows[1:], idx)
        pending = 0
        moderated_out = 0

        def cell(row: list[str], name: str) -> str:
            i = idx.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        for n, row in enumerate(rows[1:]):
            rowno = n + 2
            result.rows_read += 1
            if not any(c.strip() for c in row):
                result.skipped.append(Skip(rowno, None, "empty_row", "empty row"))
                continue
            body_i = idx["comment-body"]
            body = row[body_i] if body_i < len(row) else ""
            moderated = cell(row, "moderated")
            if moderated == "0" and ctx.only_accepted:
                result.skipped.append(
                    Skip(
                        rowno,
                        "comment-body",
                        "not_moderated",
                        "comment not yet moderated in Polis (moderated = 0); --only-accepted",
                    )
                )
                continue
            cid = cell(row, "comment-id")
            if cid and cid in seen:
                result.skipped.append(
                    Skip(
                        rowno,
                        None,
                        "duplicate_row",
                        f"duplicate row (comment-id {cid} already on row {seen[cid]})",
                    )
                )
                continue
            if cid:
                seen[cid] = rowno
            if not body.strip():
                result.skipped.append(
                    Skip(rowno, "comment-body", "no_answers", "empty comment-body")
                )
                continue
            created = _parse_time(cell(row, "timestamp")) or _parse_time(cell(row, "datetime"))
            author = cell(row, "author-id")
            hidden = moderated in ("0", "-1")
            pending += moderated == "0"
            moderated_out += moderated == "-1"
            response = f"polis:{conversation}:{cid or rowno}"
            result.responses[response] = response
            result.answers.append(
                Answer(
                    row=rowno,
                    column=body_i,
                    header="comment-body",
                    text=body,
                    prompt_key=prompt_key,
                    created_at=created,
                    respondent=f"polis:{conversation}:author:{author}" if author else response,
                    response=response,
                    column_key="comment-body",
                    hidden=hidden,
                )
            )
        if pending:
            result.notes.append(("imports.polis_pending", pending))
        if moderated_out:
            result.notes.append(("imports.polis_moderated_out", moderated_out))
        skipped = sum(1 for s in result.skipped if s.code == "not_moderated")
        if skipped:
            result.notes.append(("imports.polis_skipped", skipped))
        return result


def _conversation(rows: list[list[str]], idx: dict[str, int]) -> str:
    """A short digest naming the conversation: its first comment's time and text."""
    ci, ti, bi = idx.get("comment-id"), idx.get("timestamp"), idx.get("comment-body")

    def cell(row: list[str], i: int | None) -> str:
        return row[i].strip() if i is not None and i < len(row) else ""

    best: tuple[int, str] | None = None
    for row in rows:
        raw = cell(row, ci)
        if not raw.isdigit():
            continue
        key = (int(raw), cell(row, ti) + "\x1f" + cell(row, bi))
        if best is None or key < best:
            best = key
    seed = best[1] if best else ""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:12]
