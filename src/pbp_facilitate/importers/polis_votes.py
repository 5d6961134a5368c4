"""Polis votes: ``participants-votes.csv`` or ``votes.csv`` of a conversation export, as reactions.

Import ``comments.csv`` first (``pbp import CODE comments.csv``); then ``pbp import CODE
participants-votes.csv`` (or ``votes.csv``) reads the ``comments.csv`` lying beside it to know
which idea each Polis ``comment-id`` is: the comment whose body is the same text as a stored
idea of the session, hidden ones included. Comments moderated out in Polis are stored hidden
by the comments import, so their votes are imported too: the opinion analysis then keeps them as
Polis does (a column of zeros that still counts among the comments and towards each
participant's votes), and the import path gives the same groups as the export's own vote
matrix. Votes on comments that are not stored (e.g. skipped with ``--only-accepted``) are
skipped and counted.

* ``participants-votes.csv``: one row per participant; every column named by a number is a
  comment: 1 agree, -1 disagree, 0 pass, empty not seen. Polis's own ``group-id`` is not
  imported (the kit finds groups itself; ``benchmarks/opinions_polis.py`` compares them).
* ``votes.csv``: one row per vote (``timestamp, datetime, comment-id, voter-id, vote``); a
  participant's latest vote on a comment wins, and its time is kept.

Each Polis participant gets the pseudonymous key the comments import gives its authors (from
the ``comments.csv`` hash and the Polis number), so a participant's reactions and own comments
line up; the Polis number itself is kept as the participant's reference (the ``participant``
of ``pbp opinions --json``). Importing the same file twice changes nothing.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ImportFormatError
from ..i18n import gettext, ngettext
from ..store import NewReaction, SessionRecord, Store
from ._csv import decode_bytes, read_rows
from .records import parse_export_time

__all__ = ["VotesImportReport", "votes_kind", "is_votes_file", "import_votes_file"]

_PV_REQUIRED = {"participant", "n-votes"}
_VOTES_REQUIRED = {"comment-id", "voter-id", "vote"}


def votes_kind(header: list[str]) -> str | None:
    """Return ``"polis-participants-votes"``, ``"polis-votes"`` or None for a header row."""
    h = {c.strip().lower() for c in header}
    if _PV_REQUIRED <= h and any(c.strip().isdigit() for c in header):
        return "polis-participants-votes"
    if _VOTES_REQUIRED <= h:
        return "polis-votes"
    return None


def is_votes_file(path: Path) -> bool:
    """True when ``path`` is a CSV whose first line is a Polis votes header."""
    if path.suffix.lower() != ".csv":
        return False
    try:
        with path.open("rb") as fh:
            first = fh.readline(65536)
    except OSError:
        return False
    text, _ = decode_bytes(first, path.name)
    rows = read_rows(text, path.name) if text.strip() else []
    return bool(rows) and votes_kind(rows[0]) is not None


@dataclass
class VotesImportReport:
    """What a votes import did (the same reading as the ideas' ImportReport)."""

    file: str
    format: str
    encoding: str
    sha256: str
    session: str
    comments_file: str
    rows_read: int = 0
    votes_found: int = 0
    added: int = 0
    already_present: int = 0
    participants: int = 0
    ideas: int = 0
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def _skip(self, code: str, n: int = 1) -> None:
        self.skipped_by_reason[code] = self.skipped_by_reason.get(code, 0) + n

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict of the report."""
        return {
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "sha256": self.sha256,
            "session": self.session,
            "comments_file": self.comments_file,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "votes_found": self.votes_found,
            "added": self.added,
            "already_present": self.already_present,
            "participants": self.participants,
            "ideas": self.ideas,
            "skipped_count": sum(self.skipped_by_reason.values()),
            "skipped_by_reason": dict(self.skipped_by_reason),
            "warnings": list(self.warnings),
        }

    def format_text(self, lang: str = "en") -> str:
        """Return a readable summary for the terminal, in ``lang``."""
        lines = [
            gettext(
                lang,
                "imports.votes_head",
                file=self.file,
                kind=self.format.removeprefix("polis-"),
                encoding=self.encoding,
                rows=ngettext(lang, "imports.n_rows_read", self.rows_read),
                session=self.session,
            ),
            gettext(
                lang,
                "imports.votes_would_add" if self.dry_run else "imports.votes_added",
                reactions=ngettext(lang, "opinions.n_reactions", self.added),
                people=ngettext(lang, "opinions.n_participants", self.participants),
                ideas=ngettext(lang, "opinions.n_ideas", self.ideas),
                present=self.already_present,
            ),
        ]
        for code, n in sorted(self.skipped_by_reason.items(), key=lambda kv: -kv[1]):
            lines.append(gettext(lang, "imports.votes_skipped", reason=code.replace("_", " "), n=n))
        for w in self.warnings:
            lines.append(gettext(lang, "imports.warning", text=w))
        return "\n".join(lines)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _comment_map(
    store: Store, session: SessionRecord, comments: Path
) -> tuple[dict[str, str], str, int]:
    """Return ``({comment-id: submission id}, comments file hash, comments in the file)``."""
    try:
        data = comments.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFormatError(
            f"Polis votes name comments by number; the comments.csv of the same export must lie "
            f"beside the votes file ({comments} not found). Put it there, import it first with "
            f"'pbp import {session.code} ./comments.csv', then import the votes again."
        ) from exc
    text, _ = decode_bytes(data, comments.name)
    rows = read_rows(text, comments.name)
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if not {"comment-id", "comment-body"} <= set(header):
        raise ImportFormatError(
            f"{comments} is not a Polis comments.csv (expected the columns comment-id and "
            f"comment-body); found {header[:8]}."
        )
    ci, bi = header.index("comment-id"), header.index("comment-body")
    by_text: dict[str, list[str]] = {}
    for sub in store.list_submissions(session.id, include_hidden=True):
        by_text.setdefault(_norm(sub.text), []).append(sub.id)
    out: dict[str, str] = {}
    used: set[str] = set()
    n = 0
    for row in rows[1:]:
        if len(row) <= max(ci, bi):
            continue
        n += 1
        cid = row[ci].strip()
        for sid in by_text.get(_norm(row[bi]), []):
            if sid not in used:
                out[cid] = sid
                used.add(sid)
                break
    if not out:
        raise ImportFormatError(
            f"No comment of {comments.name} (comments: {n}) is an idea of session {session.code}; "
            f"import the comments first: pbp import {session.code} {comments}"
        )
    return out, hashlib.sha256(data).hexdigest(), n


def _participant_key(comments_hash: str, pid: str) -> str:
    # the key the comments import gives the same Polis author (respondent "author:<pid>")
    return "import:" + hashlib.sha256(f"{comments_hash}:author:{pid}".encode()).hexdigest()[:16]


def import_votes_file(
    store: Store,
    session: SessionRecord,
    path: str | Path,
    *,
    dry_run: bool = False,
) -> VotesImportReport:
    """Import a Polis ``participants-votes.csv`` or ``votes.csv`` as reactions (one transaction).

    Raises
    ------
    ImportFormatError
        When the file is not a Polis votes file, ``comments.csv`` is not beside it, or none of
        its comments is an idea of the session.
    """
    p = Path(path)
    data = p.read_bytes()
    text, encoding = decode_bytes(data, p.name)
    rows = read_rows(text, p.name)
    kind = votes_kind(rows[0]) if rows else None
    if kind is None:
        raise ImportFormatError(
            f"{p.name} is not a Polis votes file: expected participants-votes.csv (participant, "
            f"group-id, n-votes, ... and one column per comment number) or votes.csv "
            f"(timestamp, datetime, comment-id, voter-id, vote)."
        )
    comments = p.with_name("comments.csv")
    cmap, chash, _ = _comment_map(store, session, comments)
    report = VotesImportReport(
        file=p.name,
        format=kind,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        session=session.code,
        comments_file=comments.name,
        dry_run=dry_run,
    )
    latest: dict[tuple[str, str], tuple[int, str | None, str]] = {}  # (pid, cid) -> value, at, ts
    header = [h.strip().lower() for h in rows[0]]
    if kind == "polis-participants-votes":
        pi = header.index("participant")
        cols = [(i, h) for i, h in enumerate(header) if h.isdigit()]
        for row in rows[1:]:
            if not any(c.strip() for c in row):
                continue
            report.rows_read += 1
            pid = row[pi].strip() if pi < len(row) else ""
            if not pid:
                report._skip("no_participant")
                continue
            for i, cid in cols:
                cell = row[i].strip() if i < len(row) else ""
                if cell:
                    latest[(pid, cid)] = (_vote(cell, report), None, "")
    else:
        idx = {h: i for i, h in enumerate(header)}
        for row in rows[1:]:
            if not any(c.strip() for c in row):
                continue
            report.rows_read += 1

            def cell(name: str, row: list[str] = row) -> str:
                i = idx.get(name)
                return row[i].strip() if i is not None and i < len(row) else ""

            pid, cid, ts = cell("voter-id"), cell("comment-id"), cell("timestamp")
            if not pid or not cid:
                report._skip("no_participant" if not pid else "no_comment")
                continue
            prev = latest.get((pid, cid))
            key = ts.zfill(20)
            if prev is None or key >= prev[2]:
                at = parse_export_time(ts) or parse_export_time(cell("datetime"))
                latest[(pid, cid)] = (_vote(cell("vote"), report), at, key)
    items: list[NewReaction] = []
    for (pid, cid), (value, at, _) in latest.items():
        if value == 2:
            continue  # an unreadable vote, counted by _vote
        report.votes_found += 1
        sid = cmap.get(cid)
        if sid is None:
            report._skip("comment_not_imported")
            continue
        items.append(
            NewReaction(
                submission_id=sid,
                participant_key=_participant_key(chash, pid),
                value=value,
                participant_ref=pid[:64],
                created_at=at,
            )
        )
    report.participants = len({i.participant_key for i in items})
    report.ideas = len({i.submission_id for i in items})
    if report.skipped_by_reason.get("comment_not_imported"):
        report.warnings.append(
            f"{report.skipped_by_reason['comment_not_imported']} vote(s) are on comments that are "
            f"not ideas of the session (skipped by the comments import)."
        )
    if dry_run:
        report.added = len(items)
        return report
    report.added, report.already_present = store.import_reactions(
        session.id,
        items,
        detail={"file": p.name, "format": kind, "sha256": report.sha256},
    )
    return report


def _vote(cell: str, report: VotesImportReport) -> int:
    try:
        v = int(float(cell))
    except ValueError:
        v = 2
    if v not in (1, -1, 0):
        report._skip("bad_vote")
        return 2
    return v
