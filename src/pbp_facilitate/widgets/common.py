"""What the facilitator widgets share: join URLs, QR images, the style sheet, the viewer's
language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w
from traitlets import Unicode

from ..i18n import SUPPORTED, gettext
from ..settings import Settings
from ..text import esc

if TYPE_CHECKING:
    from ..store import SessionRecord

__all__ = [
    "base_url",
    "join_url",
    "qr_png_bytes",
    "qr_alt",
    "NamedImage",
    "ui_language",
    "interface_language",
    "style_widget",
    "STYLE",
    "ActorBox",
    "error_html",
    "viewer_language",
]


def viewer_language(session: SessionRecord | None, lang: str | None = None) -> str | None:
    """Return the language a panel shows theme labels in: ``lang`` when set, else the session's
    first language (None without either: the themes' default labels).

    Pass the result to :func:`pbp_facilitate.themes.display.theme_label`.
    """
    if lang:
        return lang
    if session is not None and session.languages:
        return str(session.languages[0])
    return None


def ui_language(session: SessionRecord | None, lang: str | None = None) -> str:
    """Return the catalogue language of a panel's own words: ``lang`` when set, else the
    session's first language, else English (a regional tag such as ``es_MX`` gives ``es``).
    """
    tag = viewer_language(session, lang) or "en"
    return tag.replace("_", "-").split("-")[0].lower()


def interface_language(settings: Settings | None, ui_lang: str | None = None) -> str:
    """Return the catalogue language of a dashboard's own words (buttons, tabs, status lines).

    ``ui_lang`` when set, else ``settings.dashboard_language``, else English; a regional tag
    (``es-MX``) gives its primary language and an unknown one English. This is not the
    language theme labels are shown in (that is a panel's ``lang``, :func:`viewer_language`).
    """
    tag = ui_lang or (settings.dashboard_language if settings is not None else "") or "en"
    code = str(tag).replace("_", "-").split("-")[0].lower()
    return code if code in SUPPORTED else "en"


def qr_alt(lang: str, url: str, code: str) -> str:
    """Return the text alternative of a join QR code: the URL it opens and the join code.

    Set it as the ``alt`` of the :class:`NamedImage` that shows the code.
    """
    return gettext(lang, "panels.qr_alt", url=url, code=code)


def base_url(settings: Settings) -> str:
    """Return the URL participants reach the server at, without a trailing slash.

    ``settings.public_url`` when set; else ``http://{host}:{port}``, with the
    machine's LAN address when the server listens on every interface.
    """
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = settings.host
    if host in ("0.0.0.0", "", "::"):
        try:
            from ..intake.context import lan_address

            host = lan_address()
        except ImportError:  # pragma: no cover - intake ships with the kit
            host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def join_url(settings: Settings, code: str) -> str:
    """Return the page participants open to join session ``code``."""
    return f"{base_url(settings)}/s/{code}"


def qr_png_bytes(url: str, *, scale: int = 10) -> bytes:
    """Return a PNG QR code for ``url`` (via :mod:`pbp_facilitate.qr` when present, else segno)."""
    try:
        from ..qr import qr_png
    except ImportError:  # pragma: no cover - qr ships with the kit
        import io

        import segno

        buf = io.BytesIO()
        segno.make_qr(url, error="m").save(buf, kind="png", scale=scale, border=4)
        return buf.getvalue()
    return qr_png(url, scale=scale)


STYLE = """
<style>
.pbp-dash { font-size: 15px; }
.pbp-dash .widget-html-content { line-height: 1.4; }
.pbp-muted { color: #5f6368; font-size: 0.9em; }
.pbp-code { font-size: 3.2em; font-weight: 700; letter-spacing: 0.12em; font-family: monospace; }
.pbp-url { font-size: 1.3em; font-family: monospace; word-break: break-all; }
.pbp-card { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 10px; margin: 4px;
            background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.pbp-card-title { font-size: 1.15em; font-weight: 600; }
.pbp-count { display: inline-block; min-width: 2em; text-align: center; border-radius: 1em;
             background: #0b57d0; color: #fff; font-weight: 600; padding: 0 .5em; margin-right:
             .4em; }
.pbp-quote { border-left: 3px solid #c2d3f5; padding-left: 6px; margin: 3px 0; color: #202124; }
.pbp-chip { display: inline-block; border-radius: 1em; padding: 0 .6em; margin: 1px 3px 1px 0;
            font-size: .85em; border: 1px solid transparent; }
.pbp-chip-ok { background: #e6f4ea; color: #137333; border-color: #b7e1c1; }
.pbp-chip-bad { background: #fce8e6; color: #a50e0e; border-color: #f4c7c3; }
.pbp-chip-warn { background: #fef7e0; color: #8a5a00; border-color: #f6dd99; }
.pbp-chip-info { background: #e8f0fe; color: #174ea6; border-color: #c6dafc; }
.pbp-row { border-bottom: 1px solid #eee; padding: 4px 2px; }
.pbp-row-hidden .pbp-text { text-decoration: line-through; color: #5f6368; }
.pbp-row-flagged { background: #fff8f6; }
.pbp-bar-row { display: flex; align-items: center; margin: 4px 0; }
.pbp-bar-label { width: 38%; padding-right: 8px; overflow: hidden; text-overflow: ellipsis; }
.pbp-bar-track { flex: 1; background: #eef1f5; border-radius: 4px; height: 1.4em; }
.pbp-bar { background: #0b57d0; height: 100%; border-radius: 4px; min-width: 2px; }
.pbp-bar-n { width: 4.5em; text-align: right; font-weight: 600; }
.pbp-present .widget-html-content { font-size: 28px; line-height: 1.3; }
.pbp-present .pbp-code { font-size: 2.4em; }
.pbp-present .pbp-url { font-size: .8em; }
.pbp-present h1 { font-size: 1.5em; margin: .3em 0 .2em; }
.pbp-present .pbp-bar-track { height: 1.1em; }
.pbp-present .pbp-muted { font-size: .7em; }
.pbp-present-theme { margin: .3em 0; }
.pbp-projector .lm-TabBar, .pbp-projector .pbp-dash-header, .pbp-projector .pbp-present-mode {
display: none !important; }
.pbp-projector .lm-TabPanel, .pbp-projector .p-TabPanel, .pbp-projector .widget-tab-contents {
border: none !important; }
body:has(.pbp-projector) .jp-MarkdownOutput, body:has(.pbp-projector) .jp-RenderedMarkdown {
display: none; }
.pbp-prompt-table td, .pbp-prompt-table th { padding: 2px 8px; }
.pbp-error { color: #a50e0e; font-weight: 600; }
.pbp-ok { color: #137333; }
/* Accessibility (WCAG 2.2 AA, checked by axe-core in tests/test_browser_a11y_dashboard.py):
   text on the tab bar and on coloured buttons reaches 4.5:1, and keyboard focus shows as a
   3px ring on every control (the widgets' own ring is 1px). */
.pbp-dash .jupyter-widgets.jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab,
.pbp-dash .jupyter-widgets.widget-tab > .p-TabBar .p-TabBar-tab { color: #3c4043; }
.pbp-dash .jupyter-widgets.jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab.lm-mod-current,
.pbp-dash .jupyter-widgets.widget-tab > .p-TabBar .p-TabBar-tab.p-mod-current { color: #202124; }
.pbp-dash .jupyter-button.mod-primary, .pbp-dash .jupyter-button.mod-primary.mod-active {
background-color: #0b57d0; color: #fff; }
.pbp-dash .jupyter-button.mod-success, .pbp-dash .jupyter-button.mod-success.mod-active {
background-color: #137333; color: #fff; }
.pbp-dash .jupyter-button.mod-info, .pbp-dash .jupyter-button.mod-info.mod-active {
background-color: #00677a; color: #fff; }
.pbp-dash .jupyter-button.mod-warning, .pbp-dash .jupyter-button.mod-warning.mod-active {
background-color: #8a4b00; color: #fff; }
.pbp-dash .jupyter-button.mod-danger, .pbp-dash .jupyter-button.mod-danger.mod-active {
background-color: #a50e0e; color: #fff; }
.pbp-dash :focus-visible, .pbp-dash .lm-TabBar-tab:focus-visible,
.pbp-dash .jupyter-button:focus-visible { outline: 3px solid #0b57d0 !important;
outline-offset: 2px; }
</style>
"""


def style_widget() -> w.HTML:
    """Return an ``HTML`` widget holding the dashboard's style sheet (our own constant)."""
    return w.HTML(STYLE, layout=w.Layout(display="none"))


class NamedImage(w.Image):
    """An ``Image`` widget with a text alternative that screen readers announce.

    ipywidgets' ``Image`` has no ``alt``; its ``tooltip`` becomes the image's ``title`` (the
    accessible name of an image without ``alt``), but the widgets' JavaScript reads the
    model's ``description`` to decide, and ``Image`` has none: a tooltip alone breaks the
    view. This class syncs an empty ``description`` so the tooltip works.
    """

    description = Unicode("", help="Always empty; present so the tooltip is applied.").tag(
        sync=True
    )

    @property
    def alt(self) -> str:
        """The text alternative (the image's ``title``)."""
        return self.tooltip or ""

    @alt.setter
    def alt(self, text: str) -> None:
        if (self.tooltip or "") != text:
            self.tooltip = text or None


class ActorBox(w.Text):
    """The facilitator's name for the audit trail (who hid what, who started a round)."""

    def __init__(self, value: str | None = None, *, ui_lang: str = "en", **kw: object) -> None:
        super().__init__(
            value=gettext(ui_lang, "dash.actor_default") if value is None else value,
            description=gettext(ui_lang, "dash.your_name"),
            placeholder=gettext(ui_lang, "dash.your_name_hint"),
            layout=w.Layout(width="260px"),
            **kw,
        )

    @property
    def actor(self) -> str:
        """The name to record (``"facilitator"`` when empty), at most 100 characters."""
        return (self.value or "").strip()[:100] or "facilitator"


def error_html(message: str) -> str:
    """Return an escaped error line for a status ``HTML`` widget."""
    return f'<span class="pbp-error">{esc(message)}</span>'
