"""Language guessing: one rule, so the importer, the goal checker and the theme
engine give one text the same language.

The rule: count the *distinct* stop words of each candidate language that the
other candidates do not share ("the", "para"; not "no" or "a"), on the folded
text; Spanish gets one more point when the text has ñ, ¿, ¡ or an accented
vowel. The language with the most points wins. **A tie, or no signal at all,
is "unknown" (None)**; a caller that needs a language then uses its own
fallback (the session's first language, say). A list of one candidate always
gives that candidate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .fold import fold_key
from .stopwords import ENGLISH, SPANISH

__all__ = ["GUESSABLE", "guess_language", "guess_languages"]

_STOP = {"en": ENGLISH, "es": SPANISH}
GUESSABLE: tuple[str, ...] = tuple(_STOP)
"""Language codes the guesser can tell apart."""

_WORD_RE = re.compile(r"[^\W\d_]+")
_ES_MARKS_RE = re.compile("[ñ¿¡áéíóúüÑÁÉÍÓÚÜ]")


@lru_cache(maxsize=16)
def _exclusive(known: tuple[str, ...]) -> dict[str, frozenset[str]]:
    out = {}
    for lang in known:
        others: set[str] = set()
        for other in known:
            if other != lang:
                others |= _STOP[other]
        out[lang] = _STOP[lang] - others
    return out


def guess_languages(texts: Iterable[str], languages: Sequence[str] = GUESSABLE) -> list[str | None]:
    """Guess the language of each text among ``languages`` (see the module's rule).

    Parameters
    ----------
    texts : iterable of str
        The texts.
    languages : sequence of str, default ("en", "es")
        The candidates, e.g. a session's languages. Codes the guesser does not
        know are never guessed; with exactly one candidate every text gets it.

    Returns
    -------
    list of (str or None)
        A code from ``languages`` per text, or None (unknown: a tie or no signal).
    """
    texts = list(texts)
    languages = tuple(languages)
    if len(languages) == 1:
        return [languages[0]] * len(texts)
    known = tuple(lang for lang in languages if lang in _STOP)
    if not known:
        return [None] * len(texts)
    words = _exclusive(known)
    out: list[str | None] = []
    for text in texts:
        text = "" if text is None else str(text)
        tokens = set(_WORD_RE.findall(fold_key(text)))
        scores = {lang: len(tokens & words[lang]) for lang in known}
        if "es" in scores and _ES_MARKS_RE.search(text):
            scores["es"] += 1
        best = max(scores.values())
        winners = [lang for lang, s in scores.items() if s == best]
        out.append(winners[0] if best > 0 and len(winners) == 1 else None)
    return out


def guess_language(text: str, languages: Sequence[str] = GUESSABLE) -> str | None:
    """Guess the language of one text among ``languages``.

    Parameters
    ----------
    text : str
        The text.
    languages : sequence of str, default ("en", "es")
        The candidates (see :func:`guess_languages`).

    Returns
    -------
    str or None
        A code from ``languages``, or None when the text gives no clear signal.

    Examples
    --------
    >>> guess_language("We need more buses for the kids")
    'en'
    >>> guess_language("Necesitamos más autobuses para los niños")
    'es'
    >>> guess_language("the and el la") is None
    True
    """
    return guess_languages([text], languages)[0]
