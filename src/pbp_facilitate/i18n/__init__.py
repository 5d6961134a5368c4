"""The one string catalogue of the kit (English and Spanish) and language negotiation.

Every string a person reads lives in one of the area catalogues of this
package (:mod:`.participant`, :mod:`.panels`, :mod:`.goals`, :mod:`.equity`,
:mod:`.summaries`, :mod:`.dashboard`,
:mod:`.opinions`) and is looked up one way, :func:`gettext` (:func:`ngettext` for counted
forms, ``key.one`` / ``key.other``). A test checks that every key exists
in every language with the same placeholders. :func:`negotiate` picks a page
language from an explicit choice, a cookie, or the browser's
``Accept-Language`` header, in that order.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from . import dashboard as _dashboard
from . import equity as _equity
from . import goals as _goals
from . import imports as _imports
from . import opinions as _opinions
from . import panels as _panels
from . import participant as _participant
from . import summaries as _summaries

__all__ = [
    "AREAS",
    "LANGUAGE_NAMES",
    "STRINGS",
    "SUPPORTED",
    "gettext",
    "ngettext",
    "has_key",
    "placeholders",
    "negotiate",
    "parse_accept_language",
    "offered_languages",
    "format_when",
    "format_number",
]

LANGUAGE_NAMES: dict[str, str] = {"en": "English", "es": "Español"}

AREAS: dict[str, Mapping[str, Mapping[str, str]]] = {
    "participant": _participant.STRINGS,
    "panels": _panels.STRINGS,
    "goals": _goals.STRINGS,
    "equity": _equity.STRINGS,
    "summaries": _summaries.STRINGS,
    "imports": _imports.STRINGS,
    "opinions": _opinions.STRINGS,
    "dash": _dashboard.STRINGS,
}
"""Each area's catalogue: ``{area: {language: {key: text}}}``."""


def _merge(areas: Mapping[str, Mapping[str, Mapping[str, str]]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    owner: dict[str, str] = {}
    for area, table in areas.items():
        for lang, strings in table.items():
            target = merged.setdefault(lang, {})
            for key, text in strings.items():
                if key in owner and owner[key] != area:
                    raise RuntimeError(
                        f"i18n key {key!r} is defined by both {owner[key]!r} and {area!r}"
                    )
                owner[key] = area
                target[key] = text
    return merged


STRINGS: dict[str, dict[str, str]] = _merge(AREAS)
"""Every string by language: ``{language: {key: text}}``."""

SUPPORTED: tuple[str, ...] = tuple(STRINGS)
"""Language codes the catalogue has strings for."""

_LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$|^\*$")


def gettext(language: str, key: str, **values: object) -> str:
    """Return the string ``key`` in ``language`` (English when missing), formatted with ``values``.

    Parameters
    ----------
    language : str
        ``"en"`` or ``"es"``; a regional tag (``"es-MX"``) uses its primary
        language; anything else falls back to English.
    key : str
        Key of :data:`STRINGS`.
    **values
        Placeholders of the string (``{limit}``...).

    Returns
    -------
    str

    Raises
    ------
    KeyError
        When ``key`` is not a known string (a programming error).
    """
    table = (
        STRINGS.get(language) or STRINGS.get(str(language).split("-")[0].lower()) or STRINGS["en"]
    )
    text = table.get(key)
    if text is None:
        text = STRINGS["en"][key]
    return text.format(**values) if values else text


def ngettext(language: str, key: str, count: float, **values: object) -> str:
    """Return the singular or plural form of ``key`` for the count ``n``.

    The catalogue holds the forms as ``key + ".one"`` and ``key + ".other"``
    (English and Spanish both use "one" for exactly 1, "other" for 0 and
    everything else, 2.5 included); ``{n}`` is filled with ``count`` unless ``values``
    gives ``n`` (a formatted number: ``ngettext("es", key, 2.5, n="2,5")``).

    Parameters
    ----------
    language : str
        As for :func:`gettext`.
    key : str
        The key without its ``.one`` / ``.other`` suffix.
    count : int or float
        The count that decides the form.
    **values
        Other placeholders of the strings.

    Returns
    -------
    str
    """
    form = "one" if count == 1 else "other"
    values.setdefault("n", count)
    return gettext(language, f"{key}.{form}", **values)


def has_key(key: str) -> bool:
    """Return whether ``key`` is in the catalogue."""
    return key in STRINGS["en"]


def placeholders(text: str) -> frozenset[str]:
    """Return the names of the ``{placeholders}`` in a catalogue string."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def parse_accept_language(header: str | None) -> list[str]:
    """Return the primary language subtags of an ``Accept-Language`` header, best first.

    Malformed entries are skipped; ``q=0`` entries are dropped.
    """
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for i, part in enumerate(header[:500].split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        tag = tag.strip()
        if not _LANG_TAG.match(tag):
            continue
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                continue
        if q <= 0:
            continue
        weighted.append((-q, i, tag.split("-")[0].lower()))
    weighted.sort()
    out: list[str] = []
    for _, _, primary in weighted:
        if primary not in out:
            out.append(primary)
    return out


def negotiate(
    available: Sequence[str],
    *,
    explicit: str | None = None,
    cookie: str | None = None,
    accept_language: str | None = None,
) -> str:
    """Pick the page language.

    Parameters
    ----------
    available : sequence of str
        Languages the session offers (intersected with :data:`SUPPORTED`; the
        first is the default).
    explicit : str, optional
        A choice from the language switch (``?lang=es`` or a form field).
    cookie : str, optional
        The remembered choice.
    accept_language : str, optional
        The browser's ``Accept-Language`` header.

    Returns
    -------
    str
        A language code from ``available`` that has strings, or ``"en"``.
    """
    offered = [lang for lang in available if lang in STRINGS] or ["en"]
    for choice in (explicit, cookie):
        if choice and choice in offered:
            return choice
    for lang in parse_accept_language(accept_language):
        if lang in offered:
            return lang
    return offered[0]


def offered_languages(available: Iterable[str]) -> list[tuple[str, str]]:
    """Return ``[(code, native name)]`` for the switch, only languages with strings."""
    return [(lang, LANGUAGE_NAMES[lang]) for lang in available if lang in STRINGS]


def format_when(language: str, when: datetime) -> str:
    """Return a UTC time as people read it in ``language`` ("05 Mar 2026, 18:30 UTC").

    Parameters
    ----------
    language : str
        A catalogue language.
    when : datetime.datetime
        The time (UTC).

    Returns
    -------
    str
    """
    month = gettext(language, "summaries.months").split()[when.month - 1]
    return gettext(
        language,
        "summaries.when",
        day=f"{when.day:02d}",
        month=month,
        year=when.year,
        time=when.strftime("%H:%M"),
    )


def format_number(language: str, value: float, digits: int = 0, *, trim: bool = False) -> str:
    """Return a number as people write it in ``language`` (``1,234.5`` / ``1.234,5``).

    The one rule for every number a person reads (summaries, equity tables, goal progress,
    the CLI): thousands separator and decimal mark from the catalogue
    (``summaries.thousands``, ``summaries.decimal``).

    Parameters
    ----------
    language : str
        A catalogue language.
    value : float
        The number.
    digits : int
        Decimal places.
    trim : bool
        Drop trailing zeros after the decimal mark (``40.0`` reads ``40``).

    Returns
    -------
    str
    """
    text = f"{value:,.{int(digits)}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    sep = gettext(language, "summaries.thousands")
    point = gettext(language, "summaries.decimal")
    return text.replace(",", "\0").replace(".", point).replace("\0", sep)
