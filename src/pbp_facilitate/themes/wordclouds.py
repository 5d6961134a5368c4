"""Word clouds per theme and overall, as PNG bytes or a matplotlib figure.

Words come from a fitted :class:`~pbp_facilitate.themes.ThemeModel` (its
``terms`` already exclude English, Spanish and civic stop words) or straight
from texts (stop words removed here). Drawing is deterministic for a given
``random_state``.

Examples
--------
>>> from pbp_facilitate.themes import find_themes
>>> from pbp_facilitate.themes.wordclouds import theme_wordcloud
>>> model = find_themes(texts)                                 # doctest: +SKIP
>>> png = theme_wordcloud(model, model.themes_[0].id)          # doctest: +SKIP
>>> fig = theme_wordcloud(model, None, fmt="figure")           # overall, doctest: +SKIP
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import ValidationError
from ..text import fold_key, stop_words
from ._analyzer import TOKEN_RE

__all__ = [
    "frequencies_from_texts",
    "wordcloud_png",
    "wordcloud_figure",
    "theme_wordcloud",
    "cloud_png",
]


def frequencies_from_texts(
    texts: Iterable[str | None],
    *,
    languages: Sequence[str] = ("en", "es"),
    extra_stop_words: Iterable[str] = (),
    max_words: int = 100,
) -> dict[str, float]:
    """Count words in ``texts`` without stop words, as weights in (0, 1].

    Parameters
    ----------
    texts : iterable of str or None
        The input.
    languages : sequence of str, default ("en", "es")
        Stop-word lists to apply (civic words are always dropped).
    extra_stop_words : iterable of str, default ()
        More words to drop.
    max_words : int, default 100
        Keep the most frequent words only.

    Returns
    -------
    dict
        ``{word: weight}``, the most frequent word weighing 1.
    """
    stop = stop_words(languages, extra=tuple(extra_stop_words))
    counts: Counter[str] = Counter()
    for text in texts:
        if not text:
            continue
        for tok in TOKEN_RE.findall(text):
            low = tok.lower()
            if fold_key(low) in stop or low.isdigit():
                continue
            counts[low] += 1
    top = counts.most_common(max_words)
    if not top:
        return {}
    peak = top[0][1]
    return {w: c / peak for w, c in top}


def _as_freqs(terms: Mapping[str, float] | Iterable[Sequence[Any]]) -> dict[str, float]:
    if isinstance(terms, Mapping):
        freqs = {str(k): float(v) for k, v in terms.items()}
    else:
        freqs = {str(t[0]): float(t[1]) for t in terms}
    return {k: v for k, v in freqs.items() if v > 0}


def _cloud(freqs: Mapping[str, float], width: int, height: int, colormap: str, random_state: int):
    from wordcloud import WordCloud

    wc = WordCloud(
        width=width,
        height=height,
        background_color="white",
        colormap=colormap,
        random_state=random_state,
        prefer_horizontal=0.95,
        max_words=len(freqs) or 1,
    )
    if not freqs:
        freqs = {" ": 1.0}
    return wc.generate_from_frequencies(dict(freqs))


def wordcloud_png(
    terms: Mapping[str, float] | Iterable[Sequence[Any]],
    *,
    width: int = 800,
    height: int = 400,
    colormap: str = "viridis",
    random_state: int = 0,
) -> bytes:
    """Draw a word cloud and return it as PNG bytes.

    Parameters
    ----------
    terms : mapping or iterable of (term, weight)
        E.g. ``Theme.terms`` or :func:`frequencies_from_texts` output. An
        empty input draws a blank image.
    width, height : int
        Size in pixels.
    colormap : str, default "viridis"
        Matplotlib colormap name.
    random_state : int, default 0
        Seed for word placement.

    Returns
    -------
    bytes
        A PNG image.
    """
    img = _cloud(_as_freqs(terms), width, height, colormap, random_state).to_image()
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def cloud_png(
    terms: Mapping[str, float] | Iterable[Sequence[Any]], *, width: int = 320, height: int = 150
) -> bytes:
    """Return a theme card's word cloud of ``terms`` as PNG bytes; empty bytes when there are none.

    Parameters
    ----------
    terms : mapping or iterable of (term, weight)
        E.g. a theme's ``terms``; terms without positive weight are left out.
    width, height : int
        Size in pixels (a card's).

    Returns
    -------
    bytes
        A PNG image, or ``b""`` when no term has a positive weight (no image to show).
    """
    freqs = _as_freqs(terms)
    if not freqs:
        return b""
    return wordcloud_png(freqs, width=width, height=height)


def wordcloud_figure(
    terms: Mapping[str, float] | Iterable[Sequence[Any]],
    *,
    width: int = 800,
    height: int = 400,
    colormap: str = "viridis",
    random_state: int = 0,
    title: str | None = None,
):
    """Draw a word cloud on a new matplotlib figure (not shown, not registered with pyplot).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    cloud = _cloud(_as_freqs(terms), width, height, colormap, random_state)
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    ax = fig.add_subplot(111)
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig


def theme_wordcloud(model: Any, theme_id: int | None = None, *, fmt: str = "png", **kw: Any):
    """Word cloud of one theme (by stable id) or, with ``theme_id=None``, of all input.

    Parameters
    ----------
    model : ThemeModel
        A fitted model.
    theme_id : int or None
        Stable theme id (``Theme.id``); ``None`` for the overall cloud.
    fmt : {"png", "figure"}
        PNG bytes or a matplotlib figure.
    **kw
        Passed to :func:`wordcloud_png` / :func:`wordcloud_figure`.

    Raises
    ------
    NotFoundError
        If the theme does not exist.
    ValidationError
        If ``fmt`` is not understood.
    """
    if fmt not in ("png", "figure"):
        raise ValidationError(f"fmt expected 'png' or 'figure', got {fmt!r}.", code="bad_format")
    if theme_id is None:
        terms = model.overall_terms_
        title = "All input"
    else:
        th = model.theme(theme_id)
        terms, title = th.terms, th.label
    if fmt == "png":
        return wordcloud_png(terms, **kw)
    return wordcloud_figure(terms, title=kw.pop("title", title), **kw)
