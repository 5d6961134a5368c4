"""Typed town-hall notes: plain text or Markdown, one idea per line or bullet.

Rules:

* Markdown headings (``#`` to ``######``) choose the prompt of the lines below
  them by header match (prompt text in any session language, or prompt key) or
  by the mapping (``{"Heading": "prompt_key"}``). In plain text a line ending
  in ``:`` (``Concerns:``) is a heading when it names a prompt or a table, and
  a line that is only a table name (``Table 4``) is a table heading.
* Headings of tables or groups (``Table 3``, ``Mesa 2``, ``Group B``,
  ``Breakout room 4``) do not change the prompt; they nest like Markdown
  sections, so ``## Table 1`` / ``### Concerns`` and ``## Concerns`` /
  ``### Table 1`` both work. A first ``#`` heading that names no prompt is the
  document's title and is ignored; a heading that names no prompt nested inside
  a prompt's section (``## Concerns`` / ``### Housing``) is a sub-topic and keeps
  that prompt.
* Any other heading names no prompt: its lines are skipped and reported
  (``unknown_heading``) unless a mapping names it. If the notes have
  headings and none of them names a prompt, the import fails and lists them.
* Bullets ``-``, ``*``, ``+``, ``•``, ``1.``, ``1)`` (and ``[ ]`` check boxes)
  or plain lines are ideas; an indented line right after a bullet continues it
  (soft wrap). Blank lines, horizontal rules (``---``, ``***``, ``___``,
  ``===``), HTML comments and ``>`` quote markers are dropped.
* Lines under no heading go to the session's first prompt.
* The same idea noted at two tables is kept twice (both tables said it).
* Notes have no respondents: ideas get no participant key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ..errors import ImportFormatError
from .records import (
    Answer,
    ImportContext,
    Importer,
    ParseResult,
    Skip,
    mapping_lookup,
    normalise_header,
)

__all__ = ["NotesImporter"]

_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE_RE = re.compile(r"^\s*([-*_=])(\s*\1){2,}\s*$")
_BULLET_RE = re.compile(r"^(\s*)(?:[-*+•‣◦·]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$")
_COMMENT_RE = re.compile(r"^\s*<!--.*-->\s*$")
_TABLE_RE = re.compile(
    r"^(table|mesa|group|grupo|breakout|breakout room|room|sala|station|estacion)\s+"
    r"(no\s+|number\s+|numero\s+)?([0-9]{1,3}|[a-z])\b"
)
_TABLE_LINE_RE = re.compile(_TABLE_RE.pattern + r"$")
_PLAIN_LEVEL = 7


@dataclass
class _Section:
    level: int
    kind: str  # prompt | table | sub | unknown | title | skip
    heading: str
    key: str | None = None


class NotesImporter(Importer):
    """Import typed notes (source ``notes``)."""

    name: ClassVar[str] = "notes"
    label: ClassVar[str] = "typed notes"
    source: ClassVar[str] = "notes"
    tabular: ClassVar[bool] = False

    def sniff(self, rows: list[list[str]]) -> bool:
        """Notes are the fallback for any text that is not a table."""
        return True

    def parse(self, text: str, rows: list[list[str]] | None, ctx: ImportContext) -> ParseResult:
        """Read one answer per idea line."""
        matcher = ctx.matcher
        result = ParseResult()
        stack: list[_Section] = []
        first_prompt = ctx.prompts[0].key
        headings_seen: list[str] = []
        any_heading_matched = False
        last_answer: Answer | None = None
        last_indent = 0
        first_heading = True

        def classify(heading: str, level: int) -> _Section:
            found, key = mapping_lookup(ctx.mapping, heading)
            if found:
                return _Section(level, "prompt" if key else "skip", heading, key)
            if _TABLE_RE.match(normalise_header(heading)):
                return _Section(level, "table", heading)
            key = matcher.match(heading)
            if key:
                return _Section(level, "prompt", heading, key)
            return _Section(level, "unknown", heading)

        def context() -> _Section | None:
            for sec in reversed(stack):
                if sec.kind in ("prompt", "unknown", "skip"):
                    return sec
            return None

        def push(sec: _Section) -> None:
            nonlocal any_heading_matched
            while stack and stack[-1].level >= sec.level:
                stack.pop()
            outer = context()
            if sec.kind == "unknown" and outer is not None and outer.kind == "prompt":
                sec.kind = "sub"  # a sub-topic inside a prompt's section keeps that prompt
            stack.append(sec)
            if sec.kind in ("prompt", "table"):
                any_heading_matched = True
            if sec.kind == "prompt":
                result.columns.setdefault(sec.heading, sec.key or "")

        for lineno, raw in enumerate(text.splitlines(), start=1):
            result.rows_read += 1
            line = raw.rstrip()
            if not line.strip() or _RULE_RE.match(line) or _COMMENT_RE.match(line):
                last_answer = None
                continue
            m = _HEADING_RE.match(line)
            if m:
                level, heading = len(m.group(1)), m.group(2).strip()
                sec = classify(heading, level)
                if sec.kind == "unknown" and first_heading and level == 1:
                    sec.kind = "title"
                first_heading = False
                headings_seen.append(heading)
                push(sec)
                last_answer = None
                continue
            while line.lstrip().startswith(">"):
                line = line.lstrip()[1:]
            if not line.strip():
                continue
            b = _BULLET_RE.match(line)
            indent = len(line) - len(line.lstrip())
            plain_table = b is None and _TABLE_LINE_RE.match(normalise_header(line))
            if b is None and (
                plain_table or (line.strip().endswith(":") and len(line.strip()) > 1)
            ):
                heading = line.strip().rstrip(":").strip()
                sec = classify(heading, _PLAIN_LEVEL)
                if sec.kind != "unknown":
                    headings_seen.append(heading)
                    first_heading = False
                    push(sec)
                    last_answer = None
                    continue
            if (
                b is None
                and last_answer is not None
                and indent > last_indent
                and result.answers
                and result.answers[-1] is last_answer
            ):
                joined = f"{last_answer.text} {line.strip()}"
                last_answer = Answer(
                    row=last_answer.row,
                    column=0,
                    header=last_answer.header,
                    text=joined,
                    prompt_key=last_answer.prompt_key,
                )
                result.answers[-1] = last_answer
                continue
            idea = (b.group(2) if b else line).strip()
            if not idea:
                continue
            sec = context()
            if sec is None:
                key, heading = first_prompt, ""
            elif sec.kind == "unknown":
                result.skipped.append(
                    Skip(
                        lineno,
                        sec.heading,
                        "unknown_heading",
                        f"under heading {sec.heading!r}, which names no prompt; "
                        f"add it to a mapping file",
                    )
                )
                last_answer = None
                continue
            elif sec.kind == "skip":
                result.skipped.append(
                    Skip(
                        lineno,
                        sec.heading,
                        "mapped_out",
                        f"under heading {sec.heading!r}, left out by the mapping",
                    )
                )
                last_answer = None
                continue
            else:
                key, heading = sec.key or first_prompt, sec.heading
            last_answer = Answer(row=lineno, column=0, header=heading, text=idea, prompt_key=key)
            last_indent = indent if b else 0
            result.answers.append(last_answer)
        if not result.answers:
            if any(sk.code == "unknown_heading" for sk in result.skipped) or (
                headings_seen and not any_heading_matched
            ):
                raise ImportFormatError(
                    f"No heading of {ctx.file_name} names a prompt of session {ctx.session_code}. "
                    f"Headings found: "
                    f"{headings_seen}. Prompts expected: {matcher.describe()}. Rename the headings "
                    f"to the prompt "
                    f'texts or keys, or write a mapping file such as {{"{headings_seen[-1]}": '
                    f'"{first_prompt}"}} and pass it with --mapping.'
                )
            raise ImportFormatError(
                f"{ctx.file_name} holds no ideas; expected one idea per line or bullet, under "
                f"headings that "
                f"name the prompts ({matcher.describe()})."
            )
        if ctx.mapping:
            used = {normalise_header(h) for h in headings_seen}
            for k in ctx.mapping:
                if normalise_header(k) not in used:
                    result.warnings.append(
                        f"Mapping entry {k!r} matches no heading of {ctx.file_name}."
                    )
        return result
