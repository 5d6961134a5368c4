"""The goal being checked: its text, its folded copy, its language, and evidence spans."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..text import fold
from . import lexicon as lx
from .report import Evidence

__all__ = ["GoalText", "dedupe"]


@dataclass(frozen=True, slots=True)
class GoalText:
    """One goal as the rules read it.

    Attributes
    ----------
    text : str
        The goal as given.
    folded : str
        ``fold(text)``: same length, so offsets into it are offsets into ``text``.
    lang : str
        Language of the reasons (``"en"`` or ``"es"``); a few rules read it too.
    ref_year : int
        The "current" year: future versus past, and the pace of change.
    """

    text: str
    folded: str
    lang: str
    ref_year: int

    @classmethod
    def of(cls, text: str, lang: str, ref_year: int) -> GoalText:
        """Return the goal ``text`` with its folded copy."""
        return cls(text, fold(text), lang, ref_year)

    @property
    def es(self) -> bool:
        """Whether the reasons are in Spanish."""
        return self.lang == "es"

    def evidence(self, s: int, e: int) -> Evidence:
        """Evidence for ``text[s:e]``, trimmed of edge punctuation and trailing stopwords."""
        f = self.folded
        while True:
            while s < e and f[s] in " ,;:.(\"'":
                s += 1
            while e > s and f[e - 1] in " ,;:(\"'":
                e -= 1
            cut = f.rfind(" ", s, e)
            last = f[cut + 1 : e]
            if cut > s and last in lx.STOPWORDS and last not in ("all", "every"):
                e = cut
                continue
            break
        return Evidence(self.text[s:e], s, e)

    def evidences(self, spans: Iterable[tuple[int, int]]) -> tuple[Evidence, ...]:
        """Evidence for each ``(start, end)`` span."""
        return tuple(self.evidence(s, e) for s, e in spans)


def dedupe(spans: Iterable[tuple[int, int]], text: str = "") -> list[tuple[int, int]]:
    """Sort spans, joining overlapping ones (and, given ``text``, ones only spaces apart)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(set(spans)):
        if out and (s <= out[-1][1] or (text and not text[out[-1][1] : s].strip())):
            out[-1] = (out[-1][0], max(e, out[-1][1]))
            continue
        out.append((s, e))
    return out
