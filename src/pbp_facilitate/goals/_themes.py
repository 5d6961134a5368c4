"""Session themes for the *relevant* criterion: checked input, stems, and matching.

A goal addresses a theme when its *topic* matches the theme: one of the goal's
topic words shares a stem with a word of the theme's label ("stabilize housing"
addresses "Housing stability"), or with two of the theme's top terms, or with
one top term no other theme has. Topic words are the goal's content words
without its place names, the populations and gaps it names, its dates and the
words every measure shares (number, share, rate, year ...): "chronic
absenteeism in Eastside schools ... for Black and Latino students" is about
absenteeism, not about Eastside. Stems cross English and Spanish
("educación", "education"), so a Spanish goal can match an English theme.
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


TOP_TERMS = 12
"""Terms of a theme that count (a theme's terms come best first; the tail is noise)."""

_TOP_ALONE = 6
"""A theme's best terms: one of them alone ties a goal to the theme when no other theme has it."""

_MEASURE_WORDS = frozenset(
    """
    number numero numeros share shares proporcion percent percentage porcentaje rate rates tasa
    tasas level levels nivel niveles total half mitad year years ano anos month months mes meses
    day days dia dias least more less mas menos new nuevo nuevos nueva nuevas per por cada
    service services servicio servicios
    """.split()
)


@dataclass(frozen=True, slots=True)
class Theme:
    """A session theme: its label, the stems of its label and of its top terms."""

    label: str
    stems: frozenset[str]
    term_stems: frozenset[str] = frozenset()
    top_stems: frozenset[str] = frozenset()


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
        out.append(
            Theme(
                label=label,
                stems=_content_stems(label),
                term_stems=_content_stems(" ".join(terms[:TOP_TERMS])),
                top_stems=_content_stems(" ".join(terms[:_TOP_ALONE])),
            )
        )
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


_ES_GOAL_VERBS = frozenset(
    """
    abrir aumentar reducir disminuir ampliar duplicar triplicar eliminar bajar incrementar elevar
    mejorar garantizar asegurar lograr conseguir crear construir ofrecer mantener extender
    """.split()
)


_PLACE_NOUNS = frozenset(
    """
    school schools neighborhood neighborhoods neighbourhood neighbourhoods county district city
    area areas region ward township village escuela escuelas barrio barrios condado distrito
    ciudad zona
    """.split()
)


_MIN_PREFIX = 5
"""Stems this long that begin one another match ("homel" / "homeles"): the stemmer is light."""


def _among(st: str, stems: frozenset[str]) -> bool:
    """Whether ``st`` matches one of ``stems``: equal, a plural, or a long common beginning."""
    if st in stems:
        return True
    bare = st[:-1] if st.endswith("s") and len(st) > 3 else st
    for other in stems:
        o = other[:-1] if other.endswith("s") and len(other) > 3 else other
        if o == bare:
            return True
        short, long_ = (o, bare) if len(o) <= len(bare) else (bare, o)
        if len(short) >= _MIN_PREFIX and long_.startswith(short):
            return True
    return False


def _place_word(goal: GoalText, s: int) -> bool:
    """A place name, or the place noun right after one ("Eastside schools")."""
    if _proper_name(goal, s):
        return True
    word = rx.WORD_RX.match(goal.folded, s)
    if not word or word.group(0) not in _PLACE_NOUNS:
        return False
    prev = list(rx.WORD_RX.finditer(goal.folded, max(0, s - 30), s))
    return (
        bool(prev)
        and not goal.folded[prev[-1].end() : s].strip()
        and _proper_name(goal, prev[-1].start())
    )


def _proper_name(goal: GoalText, s: int) -> bool:
    """A capitalised word that does not open a sentence, and is not an acronym: a place or name."""
    word = rx.WORD_RX.match(goal.folded, s)
    raw = goal.text[s : word.end()] if word else ""
    if not raw[:1].isupper() or raw.isupper():
        return False
    before = goal.text[:s].rstrip()
    return bool(before) and before[-1] not in ".!?:;\"'(¿¡"


def theme_hits(
    goal: GoalText,
    themes: list[Theme],
    exclude: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> tuple[list[str], list[tuple[int, int]]]:
    """Return the labels of the themes ``goal`` addresses and the spans of the words that match.

    ``exclude`` are spans that are not the goal's topic (populations, gaps, dates).
    """
    words = [
        (m.start(), m.end(), stem(m.group(0)))
        for m in rx.WORD_RX.finditer(goal.folded)
        if _is_content(m.group(0))
        and m.group(0) not in _MEASURE_WORDS
        and m.group(0) not in lx.EN_GOAL_VERBS
        and m.group(0) not in _ES_GOAL_VERBS
        and not any(s <= m.start() < e for s, e in exclude)
        and not _place_word(goal, m.start())
    ]
    matched: list[str] = []
    spans: list[tuple[int, int]] = []
    for th in themes:
        label_hits = [(s, e) for s, e, st in words if _among(st, th.stems)]
        term_hits = [(s, e, st) for s, e, st in words if _among(st, th.term_stems)]
        distinct = {st for _, _, st in term_hits}
        unique = any(
            sum(_among(st, t.term_stems) for t in themes) == 1 and _among(st, th.top_stems)
            for st in distinct
        )
        if label_hits or len(distinct) >= 2 or unique:
            matched.append(th.label)
            spans.extend(label_hits + [(s, e) for s, e, _ in term_hits])
    return matched, spans
