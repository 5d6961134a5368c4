"""How the equity lens words things: languages, dimension names, percentages and points.

Every string comes from the ``equity.*`` keys of :mod:`pbp_facilitate.i18n.equity`
through :func:`~pbp_facilitate.i18n.gettext`; this module only checks the
language and formats the numbers that go into those strings.
"""

from __future__ import annotations

import math

from ..errors import ValidationError
from ..i18n import gettext, has_key, ngettext

__all__ = [
    "LANGS",
    "check_lang",
    "both",
    "both_n",
    "attr_text",
    "dimension_name",
    "default_label",
    "pct",
    "points",
]

LANGS: tuple[str, ...] = ("en", "es")
"""Languages the equity sentences, charts and display tables are written in."""


def check_lang(lang: str) -> str:
    """Return ``lang`` when the equity lens speaks it; raise :class:`ValidationError` otherwise."""
    if lang not in LANGS:
        raise ValidationError(
            f"Language {lang!r} is not available for equity sentences; "
            f"expected one of {list(LANGS)}.",
            field="lang",
            code="unknown_language",
        )
    return lang


def both(key: str, **values: object) -> tuple[str, str]:
    """Return the string ``key`` in English and in Spanish (``message`` and ``message_es``)."""
    return gettext("en", key, **values), gettext("es", key, **values)


def both_n(key: str, n: int, **values: object) -> tuple[str, str]:
    """Return the counted string ``key`` for ``n`` in English and in Spanish (``key.one`` /
    ``key.other``, as :func:`pbp_facilitate.i18n.ngettext` picks them).
    """
    return ngettext("en", key, n, **values), ngettext("es", key, n, **values)


def attr_text(attrs: dict, lang: str, key: str = "message") -> str:
    """Return a table's ``attrs[key]`` in ``lang``: ``attrs[key + "_es"]`` in Spanish, if set."""
    text = attrs.get(f"{key}_es") if lang == "es" else None
    return str(text or attrs.get(key) or "")


def dimension_name(dimension: str, lang: str = "en") -> str:
    """Return the plain-words name of a dimension key (``"age_band"`` -> ``"age band"``).

    Parameters
    ----------
    dimension : str
        Dimension key as used in the survey and the benchmark file.
    lang : {"en", "es"}
        Language of the name.

    Returns
    -------
    str
        The catalogue's name (``equity.dim_<key>``); for a key it does not know,
        the key with underscores read as spaces.
    """
    check_lang(lang)
    key = f"equity.dim_{dimension}"
    return gettext(lang, key) if has_key(key) else dimension.replace("_", " ")


def default_label(group: str, lang: str = "en") -> str:
    """Return the generic wording of a group for sentences (``"Asian residents"``)."""
    return gettext(lang, "equity.group_residents", group=group)


def pct(x: float, lang: str = "en") -> str:
    """Format a percentage (0-100) as people read it (``"31%"``, ``"under 1%"``; NaN: ``""``)."""
    if math.isnan(x):
        return ""
    if 0 < x < 0.5:
        return gettext(lang, "equity.pct_under_one")
    return gettext(lang, "equity.pct", value=f"{x:.0f}")


def points(x: float) -> str:
    """Format a difference in percentage points with its sign; one that rounds to zero reads "0"."""
    v = round(float(x))
    return "0" if v == 0 else f"{v:+d}"
