"""HTML output: one escape rule, one table builder, one figure-to-``<img>`` for the whole kit.

Widgets (ipywidgets ``HTML`` sets ``innerHTML``; ``Label`` runs MathJax), the
equity panel and the papermill summaries all show participant text, so every
piece of it goes through :func:`esc` first. :func:`esc` escapes ``$`` too, so
``$5 rent`` never turns into maths, and :func:`text_html` wraps text in a span
MathJax skips. Tables and figures are built here and nowhere else.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

__all__ = ["esc", "text_html", "table_html", "figure_png", "png_img", "figure_html"]

_NO_MATH = "tex2jax_ignore mathjax_ignore"


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

    Examples
    --------
    >>> esc('<b>"$5"</b>')
    '&lt;b&gt;&quot;&#36;5&quot;&lt;/b&gt;'
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

    Returns
    -------
    str
    """
    return f'<span class="{esc(cls)} {_NO_MATH}">{esc(text)}</span>'


def _attr(classes: str) -> str:
    return f' class="{esc(classes)}"' if classes else ""


def table_html(
    data: Any,
    header: Sequence[object] | None = None,
    *,
    index: bool = False,
    index_name: str = "",
    caption: str = "",
    numeric: Iterable[int] = (),
    table_class: str = "pbp-table",
    cell_class: Callable[[int, int, str], str] | None = None,
    row_class: Callable[[int, list[str]], str] | None = None,
) -> str:
    """Return a table of ``data`` as escaped HTML.

    Parameters
    ----------
    data : pandas.DataFrame or sequence of sequences
        The rows. A data frame gives its columns as the header (and its index as
        the first column when ``index`` is true).
    header : sequence, optional
        Column headings for row data (a data frame's columns otherwise); no
        ``<thead>`` when every heading is empty.
    index : bool, default False
        For a data frame: show the index as the first column.
    index_name : str, default ""
        Heading of the index column (the index's name otherwise).
    caption : str, default ""
        The table's ``<caption>`` (escaped).
    numeric : iterable of int, default ()
        Columns (0-based, as shown) aligned as numbers (class ``num``).
    table_class : str, default "pbp-table"
        CSS class of the wrapping ``<div>`` and of the ``<table>``.
    cell_class : callable, optional
        ``cell_class(row, column, text) -> str``: extra CSS classes of a cell.
    row_class : callable, optional
        ``row_class(row, texts) -> str``: CSS classes of a row.

    Returns
    -------
    str
        ``<div class=...><table>...</table></div>``; every heading and cell escaped.
    """
    if hasattr(data, "columns") and hasattr(data, "itertuples"):
        cols = [str(c) for c in data.columns]
        if index:
            rows = [[i, *r] for i, r in zip(data.index, data.itertuples(index=False), strict=True)]
            head = [index_name or (data.index.name or ""), *cols]
        else:
            rows = [list(r) for r in data.itertuples(index=False)]
            head = cols
        if header is not None:
            head = list(header)
    else:
        rows = [list(r) for r in data]
        head = list(header or [])
    num = set(numeric)

    def cls_of(i: int, j: int, text: str) -> str:
        extra = cell_class(i, j, text) if cell_class is not None else ""
        return " ".join(c for c in ("num" if j in num else "", extra) if c)

    thead = ""
    if any(str(h) for h in head):
        ths = "".join(
            f'<th scope="col"{_attr("num" if j in num else "")}>{esc(h)}</th>'
            for j, h in enumerate(head)
        )
        thead = f"<thead><tr>{ths}</tr></thead>"
    body = []
    for i, row in enumerate(rows):
        texts = ["" if v is None else str(v) for v in row]
        tds = "".join(f"<td{_attr(cls_of(i, j, t))}>{esc(t)}</td>" for j, t in enumerate(texts))
        rc = row_class(i, texts) if row_class is not None else ""
        body.append(f"<tr{_attr(rc)}>{tds}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<div class="{esc(table_class)}"><table class="{esc(table_class)} {_NO_MATH}">'
        f"{cap}{thead}<tbody>{''.join(body)}</tbody></table></div>"
    )


def figure_png(fig: Any, *, dpi: int = 96, tight: bool = False) -> bytes:
    """Return a matplotlib figure as PNG bytes (no software stamp, so output is reproducible).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    dpi : int, default 96
        Resolution.
    tight : bool, default False
        Grow the image to fit text drawn outside the axes (draws the figure twice).

    Returns
    -------
    bytes
    """
    buf = io.BytesIO()
    extra: dict[str, Any] = {"bbox_inches": "tight", "pad_inches": 0.1} if tight else {}
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, **extra)
    return buf.getvalue()


def png_img(png: bytes, alt: str, *, cls: str = "pbp-figure") -> str:
    """Return PNG bytes as an ``<img>`` with an embedded data URL and escaped alt text.

    Parameters
    ----------
    png : bytes
        The image.
    alt : str
        Text alternative (escaped here).
    cls : str, default "pbp-figure"
        CSS class (our own constant).

    Returns
    -------
    str
    """
    b64 = base64.b64encode(png).decode("ascii")
    return f'<img class="{esc(cls)}" alt="{esc(alt)}" src="data:image/png;base64,{b64}">'


def figure_html(fig: Any, alt: str, *, dpi: int = 96, tight: bool = False) -> str:
    """Render a matplotlib figure as an ``<img>`` with an embedded PNG and alt text.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (made with :class:`matplotlib.figure.Figure`, not pyplot).
    alt : str
        Text alternative (escaped here).
    dpi : int, default 96
        Resolution.
    tight : bool, default False
        See :func:`figure_png`.

    Returns
    -------
    str
        ``<img ...>`` HTML.
    """
    return png_img(figure_png(fig, dpi=dpi, tight=tight), alt)
