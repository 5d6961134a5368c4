"""Session themes for the *relevant* criterion: checked input, stems, and matching.

A goal addresses a theme when one of its content words shares a stem with a
word of the theme's label or terms: "stabilize housing" addresses "Housing
stability" through "housing". Stems cross English and Spanish ("educación",
"education"), so a Spanish goal can match an English theme.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ValidationError
from ..text import fold
from . import lexicon as lx
from . import patterns as rx
from ._goal import GoalText

__all__ = ["Theme", "normalize_themes", "stem", "theme_hits"]


@dataclass(frozen=True, slots=True)
class Theme:
    """A session theme: its label and the stems of its label and terms."""

    label: str
    stems: frozenset[str]


def stem(word: str) -> str:
    """Strip up to two suffixes of :data:`~.lexicon.STEM_SUFFIXES`, keeping four letters."""
    for _ in range(2):
        for suf in lx.STEM_SUFFIXES:
            if word.endswith(suf) and len(word) - len(suf) >= 4:
                word = word[: -len(suf)]
                break
        else:
            break
    return word


def _is_content(word: str) -> bool:
    return len(word) >= 3 and word not in lx.STOPWORDS and word not in lx.LOW_INFO_THEME_WORDS


def _content_stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in rx.WORD_RX.findall(fold(text)) if _is_content(w))


def normalize_themes(themes: Any) -> list[Theme]:
    """Check ``themes`` (labels or ``{"label", "terms"}`` objects) and stem them.

    Raises
    ------
    ValidationError
        When ``themes`` is not a list of labels or of objects with a string label
        and a list of terms (``field="themes"``, ``code="bad_themes"``).
    """
    if themes is None:
        return []
    if isinstance(themes, str | bytes | Mapping) or not isinstance(themes, Iterable):
        raise ValidationError(
            "themes must be a list of theme labels or of theme objects with a 'label' key; "
            f"got {type(themes).__name__}. Pass e.g. themes=['Housing stability', "
            "'Early learning'].",
            field="themes",
            code="bad_themes",
        )
    out: list[Theme] = []
    for i, th in enumerate(themes):
        label, terms = _label_and_terms(i, th)
        out.append(Theme(label=label, stems=_content_stems(" ".join([label, *terms]))))
    return out


def _label_and_terms(i: int, th: object) -> tuple[str, list[str]]:
    if isinstance(th, str):
        return th, []
    if isinstance(th, Mapping) and isinstance(th.get("label"), str):
        label = th["label"]
        terms = th.get("terms") or []
        if isinstance(terms, str) or not isinstance(terms, Iterable):
            raise ValidationError(
                f"theme {i} ('{label}'): 'terms' must be a list of words; got "
                f"{type(terms).__name__}. Pass e.g. {{'label': '{label}', 'terms': ['rent']}}.",
                field="themes",
                code="bad_themes",
            )
        return label, [str(t) for t in terms]
    raise ValidationError(
        f"theme {i} must be a string or an object with a string 'label'; got "
        f"{th!r:.60}. Pass e.g. 'Housing stability' or {{'label': 'Housing stability'}}.",
        field="themes",
        code="bad_themes",
    )


def theme_hits(goal: GoalText, themes: list[Theme]) -> tuple[list[str], list[tuple[int, int]]]:
    """Return the labels of the themes ``goal`` addresses and the spans of the words that match."""
    words = [
        (m.start(), m.end(), stem(m.group(0)))
        for m in rx.WORD_RX.finditer(goal.folded)
        if _is_content(m.group(0))
    ]
    matched: list[str] = []
    spans: list[tuple[int, int]] = []
    for th in themes:
        hits = [(s, e) for s, e, st in words if st in th.stems]
        if hits:
            matched.append(th.label)
            spans.extend(hits)
    return matched, spans
