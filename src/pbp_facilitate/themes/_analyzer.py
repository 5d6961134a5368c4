"""Words of a text as the theme engine counts them: stop words, prefixes, glossary, phrases.

Every word is folded (:func:`~pbp_facilitate.text.fold_key`), stop words and
numbers are dropped; a word longer than :data:`PREFIX_LEN` letters also yields
its prefix (``"~parki"``, a crude stemmer for English and Spanish alike), a
Spanish civic word also yields its English equivalent from
``data/glossary_es_en.txt``, and adjacent words give two-word phrases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..text import LANGUAGES, fold_key, stop_words
from .display import primary_language

__all__ = [
    "DATA_DIR",
    "PREFIX_LEN",
    "TOKEN_RE",
    "WORD_RE",
    "Analyzer",
    "gloss",
    "glossary",
    "theme_stop_words",
    "word_key",
]

DATA_DIR = Path(str(resources.files("pbp_facilitate") / "data"))
"""The kit's data folder (glossary, static embedding table)."""

TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")
"""A word: two or more word characters."""

WORD_RE = re.compile(r"(?u)\w+")
"""Any run of word characters (the static table's word pieces)."""

PREFIX_LEN = 5
"""Words longer than this also count as their first ``PREFIX_LEN`` letters."""


@lru_cache(maxsize=1)
def glossary() -> dict[str, str]:
    """Return the Spanish -> English civic glossary, both sides folded."""
    pairs: dict[str, str] = {}
    text = (DATA_DIR / "glossary_es_en.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        es, en = line.split()[:2]
        pairs[fold_key(es)] = fold_key(en)
    return pairs


def gloss(word: str, glossary: Mapping[str, str]) -> str | None:
    """Return the English equivalent of a folded Spanish ``word`` (plurals too), or None."""
    hit = glossary.get(word)
    if hit is None and len(word) > 4:
        if word.endswith("es"):
            hit = glossary.get(word[:-2])
        if hit is None and word.endswith("s"):
            hit = glossary.get(word[:-1])
    return hit


def word_key(word: str, glossary: Mapping[str, str] | None = None) -> str:
    """Key under which variants of a folded word coincide: its English gloss, first letters.

    ``"buses"``, ``"bus"`` and ``"autobuses"`` (with the glossary) meet; so do
    ``"parks"`` and ``"parking"`` (a crude stem, as for the features).

    Examples
    --------
    >>> word_key("buses"), word_key("bus"), word_key("parking")
    ('bus', 'bus', 'parki')
    """
    if glossary:
        word = gloss(word, glossary) or word
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
        if len(word) <= 4 and word.endswith("se"):
            word = word[:-1]  # "buses" -> "bus", "cases" -> "cas" (as "case")
    elif len(word) <= 4 and word.endswith("se"):
        word = word[:-1]
    return word[:PREFIX_LEN]


def theme_stop_words(languages: Iterable[str], extra: Iterable[str] = ()) -> frozenset[str]:
    """Return the stop words for a session's ``languages`` plus ``extra`` words.

    Regional codes use their language's list (``"es-MX"`` -> ``"es"``); codes
    without a list (``"fr"``) are ignored, so any session's languages work.
    """
    langs = dict.fromkeys(primary_language(lang) for lang in languages)
    return stop_words(tuple(lang for lang in langs if lang in LANGUAGES), extra=tuple(extra))


class Analyzer:
    """Picklable text -> feature tokens, the ``analyzer`` of a ``TfidfVectorizer``.

    Parameters
    ----------
    stop : frozenset of str
        Folded words to drop.
    glossary : mapping, optional
        Spanish -> English pairs (see :func:`glossary`); None for no translation.
    """

    def __init__(self, stop: frozenset[str], glossary: Mapping[str, str] | None):
        self.stop = stop
        self.glossary = glossary or {}
        self._cache: dict[str, tuple[str, ...]] = {}

    def content_words(self, text: str) -> list[str]:
        """Return the folded words of ``text`` that are neither stop words nor numbers."""
        return [
            t for t in TOKEN_RE.findall(fold_key(text)) if t not in self.stop and not t.isdigit()
        ]

    def __call__(self, text: str) -> list[str]:
        words = self.content_words(text)
        out = list(words)
        cache = self._cache
        for w in words:
            extra = cache.get(w)
            if extra is None:
                extra = ()
                if len(w) > PREFIX_LEN:
                    extra = ("~" + w[:PREFIX_LEN],)
                if self.glossary:
                    en = gloss(w, self.glossary)
                    if en is not None and en != w:
                        extra = (*extra, en)
                cache[w] = extra
            out.extend(extra)
        out.extend(f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if a != b)
        return out
