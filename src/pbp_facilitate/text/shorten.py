"""Shortening: one rule for cutting participant text to fit a card, a label or a cell."""

from __future__ import annotations

__all__ = ["ELLIPSIS", "shorten"]

ELLIPSIS = "…"


def shorten(text: object, n: int = 80) -> str:
    """Return ``text`` on one line, cut to at most ``n`` characters with an ellipsis.

    Parameters
    ----------
    text : object
        Anything; ``None`` becomes the empty string, other objects ``str(obj)``.
    n : int, default 80
        Most characters in the result, the ellipsis included (at least 2).

    Returns
    -------
    str
        Runs of whitespace (newlines included) become one space; text longer
        than ``n`` is cut, trailing spaces dropped, and ``"…"`` appended.

    Examples
    --------
    >>> shorten("More  buses\\nat night", 12)
    'More buses…'
    """
    one = " ".join(("" if text is None else str(text)).split())
    if len(one) <= n:
        return one
    return one[: max(1, n - 1)].rstrip() + ELLIPSIS
