"""Which label of a theme a viewer reads: ``labels[lang]``, else the default ``label``.

A theme dict (:meth:`~pbp_facilitate.themes.Theme.to_dict`, a stored snapshot)
carries ``label`` (the one to show by default: the session's first language
when its members include it) and ``labels`` (``{language: phrase}`` for each
language present among its members; a facilitator's label covers every
language it was given for). Imports nothing heavy: the dashboard, the phone
pages and the summaries use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["primary_language", "theme_label"]


def primary_language(tag: str) -> str:
    """Return the language of a tag as the theme engine keys it (``"es-MX"`` -> ``"es"``).

    Examples
    --------
    >>> primary_language("es-MX"), primary_language("EN_us"), primary_language("fr")
    ('es', 'en', 'fr')
    """
    return str(tag).split("-")[0].split("_")[0].lower()


def theme_label(theme: Mapping[str, Any] | Any, lang: str | None = None) -> str:
    """Return the label of ``theme`` in ``lang``, falling back to its default label.

    Parameters
    ----------
    theme : mapping or Theme
        A theme dict (``label``, optional ``labels``) or a :class:`~pbp_facilitate.themes.Theme`.
    lang : str, optional
        The viewer's language (``"es"``, ``"es-MX"``); None for the default label.

    Returns
    -------
    str

    Examples
    --------
    >>> t = {"label": "Buses at night",
    ...      "labels": {"en": "Buses at night", "es": "Autobuses de noche"}}
    >>> theme_label(t, "es-MX"), theme_label(t, "fr"), theme_label(t)
    ('Autobuses de noche', 'Buses at night', 'Buses at night')
    """
    if isinstance(theme, Mapping):
        label, labels = theme.get("label", ""), theme.get("labels") or {}
    else:
        label, labels = getattr(theme, "label", ""), getattr(theme, "labels", None) or {}
    if lang and isinstance(labels, Mapping):
        hit = labels.get(lang) or labels.get(primary_language(lang))
        if hit:
            return str(hit)
    return str(label)
