"""The one escape helper of the widgets: participant text in, inert HTML out.

ipywidgets ``HTML`` sets ``innerHTML`` and ``Label`` runs MathJax over its
text, so every piece of participant text shown in a widget goes through
:func:`esc` first and is wrapped by :func:`text_html` in a span MathJax
ignores (``$5 rent`` must not turn into maths).
"""

from __future__ import annotations

import html

__all__ = ["esc", "text_html", "shorten"]


def esc(text: object) -> str:
    """Return ``text`` as HTML-escaped text (``<``, ``>``, ``&``, quotes and ``$``).

    Parameters
    ----------
    text : object
        Anything; ``None`` becomes the empty string, other objects ``str(obj)``.

    Returns
    -------
    str
        Text safe to put between HTML tags or inside a quoted attribute.
    """
    if text is None:
        return ""
    return html.escape(str(text), quote=True).replace("$", "&#36;")


def text_html(text: object, *, cls: str = "pbp-text") -> str:
    """Return participant ``text`` escaped inside ``<span class=...>`` that MathJax skips.

    Parameters
    ----------
    text : object
        The participant's text.
    cls : str
        Extra CSS class (our own constant, not participant input).
    """
    return f'<span class="{esc(cls)} tex2jax_ignore mathjax_ignore">{esc(text)}</span>'


def shorten(text: str, n: int = 80) -> str:
    """Return ``text`` on one line, cut to at most ``n`` characters with an ellipsis."""
    one = " ".join(str(text).split())
    return one if len(one) <= n else one[: max(1, n - 1)].rstrip() + "…"
