"""How the goal checker speaks: its language and its words, from the ``goals.*`` catalogue.

The strings live in :mod:`pbp_facilitate.i18n.goals` (English and Spanish);
this module only says which key the checker asks for, so no message is
written twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..i18n import gettext
from ..text import guess_language

__all__ = ["LANGUAGES", "detect_language", "label", "message", "quote"]

LANGUAGES = ("en", "es")
"""Languages the checker writes its reasons in."""


def detect_language(text: str) -> str:
    """Return the language of the reasons for ``text``: ``"en"`` or ``"es"``.

    A thin wrapper over :func:`pbp_facilitate.text.guess_language` (the kit's
    one language rule) that falls back to English when the text gives no
    clear signal.

    Parameters
    ----------
    text : str
        The goal.

    Returns
    -------
    str
        ``"en"`` or ``"es"``.

    Examples
    --------
    >>> detect_language("Reducir la tasa de desempleo del condado al 4 %.")
    'es'
    >>> detect_language("Thriving children, thriving families.")
    'en'
    """
    return guess_language(text, LANGUAGES) or "en"


def message(lang: str, key: str, **values: object) -> str:
    """Return catalogue string ``goals.<key>`` in ``lang``, formatted with ``values``."""
    return gettext(lang, f"goals.{key}", **values)


def label(lang: str, criterion: str) -> str:
    """Return the name of ``criterion`` (one of ``CRITERIA``) in ``lang``: "time-bound"..."""
    return gettext(lang, f"goals.label_{criterion}")


def quote(texts: Iterable[str]) -> str:
    """Return ``texts`` quoted and joined for a reason: ``'38%', 'by 2030'``."""
    return ", ".join(f"'{t}'" for t in texts)
