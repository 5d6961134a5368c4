"""QR codes (PNG and SVG) for a session's join URL, via segno."""

from __future__ import annotations

import io

import segno

from .errors import ValidationError

__all__ = ["qr_png", "qr_svg", "QR_FORMATS"]

QR_FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


def _make(url: str) -> segno.QRCode:
    if not url or len(url) > 2000:
        raise ValidationError(
            f"Expected a join URL of 1 to 2000 characters, got {len(url or '')}.", field="url"
        )
    # Error correction "M" survives a smudged printout; boost_error raises it when room is left.
    return segno.make_qr(url, error="m", boost_error=True)


def qr_png(url: str, *, scale: int = 10, border: int = 4) -> bytes:
    """Return a PNG of the QR code for ``url``.

    Parameters
    ----------
    url : str
        The join URL.
    scale : int
        Pixels per module (1-40); 10 gives a ~330 px image for a typical URL.
    border : int
        Quiet zone in modules (4 is the standard).
    """
    scale = max(1, min(int(scale), 40))
    buf = io.BytesIO()
    _make(url).save(buf, kind="png", scale=scale, border=border)
    return buf.getvalue()


def qr_svg(url: str, *, scale: int = 10, border: int = 4, title: str | None = None) -> bytes:
    """Return a standalone SVG of the QR code for ``url`` (scales cleanly for printing).

    Parameters
    ----------
    url : str
        The join URL.
    scale : int
        Size of one module in SVG user units.
    border : int
        Quiet zone in modules.
    title : str, optional
        Accessible title embedded in the SVG (escaped by segno).
    """
    scale = max(1, min(int(scale), 40))
    buf = io.BytesIO()
    _make(url).save(
        buf,
        kind="svg",
        scale=scale,
        border=border,
        title=title,
        xmldecl=False,
        svgns=True,
        nl=False,
    )
    return buf.getvalue()
