"""The room screen: large join QR and code, the themes, the voting results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..i18n import gettext, ngettext
from ..settings import Settings
from ..store import SessionRecord
from ..text import esc, text_html
from ..themes.display import theme_label
from .common import (
    NamedImage,
    interface_language,
    join_url,
    qr_alt,
    qr_png_bytes,
    ui_language,
    viewer_language,
)
from .voting import VotingPanel, bars_html

__all__ = ["PresentationView"]


class PresentationView(w.VBox):
    """A clean, large-type view for the projector.

    Parameters
    ----------
    settings : Settings
        For the join URL.
    themes : callable
        Returns the current themes (``id``, ``label``, ``labels``, ``count``).
    voting : VotingPanel
        Source of the voting results.
    lang : str, optional
        The room's language: theme labels and voting options are shown in it (default the
        session's first language). The words of the room screen follow it too.
    ui_lang : str, optional
        Language of the facilitator's controls (the view picker, the projector button);
        default ``settings.dashboard_language``.
    """

    def __init__(
        self,
        settings: Settings,
        themes: Callable[[], list[dict[str, Any]]],
        voting: VotingPanel,
        *,
        lang: str | None = None,
        ui_lang: str | None = None,
    ) -> None:
        self.settings = settings
        self.ui_lang = t = interface_language(settings, ui_lang)
        self.themes = themes
        self.voting = voting
        self.lang = lang
        self.session: SessionRecord | None = None
        self.mode = w.ToggleButtons(
            options=[
                (gettext(t, f"dash.mode_{m}"), m) for m in ("join", "themes", "voting", "all")
            ],
            value="all",
            description=gettext(t, "dash.show"),
        )
        self.mode.observe(lambda _c: self.refresh(), names="value")
        self.mode.add_class("pbp-present-mode")
        self.projector = w.ToggleButton(
            description=gettext(t, "dash.projector"),
            icon="television",
            tooltip=gettext(t, "dash.projector_tip"),
        )
        self.qr = NamedImage(format="png", layout=w.Layout(width="320px", height="320px"))
        self.join = w.HTML()
        self.body = w.HTML(layout=w.Layout(flex="1 1 0", min_width="0"))
        self.join_box = w.VBox(
            [self.qr, self.join],
            layout=w.Layout(align_items="center", flex="0 0 auto", margin="0 32px 0 0"),
        )
        # Join details on the left, what we heard and the votes on the right: one projector screen.
        screen = w.HBox([self.join_box, self.body], layout=w.Layout(align_items="flex-start"))
        screen.add_class("pbp-present")
        super().__init__([self.mode, screen, self.projector])
        self._qr_for = ""

    def set_session(self, session: SessionRecord | None) -> None:
        """Present ``session``."""
        self.session = session
        self.refresh()

    def refresh(self) -> None:
        """Redraw from the current themes and round."""
        ui = ui_language(self.session, self.lang)
        if self.session is None:
            self.join.value = f"<h1>{esc(gettext(ui, 'panels.present_none'))}</h1>"
            self.body.value = ""
            return
        url = join_url(self.settings, self.session.code)
        if url != self._qr_for:
            self.qr.value = qr_png_bytes(url, scale=12)
            self._qr_for = url
        self.qr.alt = qr_alt(ui, url, self.session.code)
        mode = self.mode.value
        lang = viewer_language(self.session, self.lang)
        self.join_box.layout.display = "" if mode in ("join", "all") else "none"
        big = "520px" if mode == "join" else "320px"
        self.qr.layout.width = self.qr.layout.height = big
        self.join.value = (
            f'<div style="text-align:center"><div class="pbp-muted">'
            f"{esc(gettext(ui, 'panels.present_scan'))}</div>"
            f'<div class="pbp-url">{esc(url)}</div>'
            f'<div class="pbp-code">{esc(self.session.code)}</div></div>'
        )
        parts = []
        if mode in ("themes", "all"):
            themes = sorted(
                (t for t in self.themes() if t["count"] > 0), key=lambda t: (-t["count"], t["id"])
            )
            items = "".join(
                f'<div class="pbp-present-theme"><span class="pbp-count">{t["count"]}</span>'
                f"{text_html(theme_label(t, lang))}</div>"
                for t in themes[:10]
            )
            wait = esc(gettext(ui, "panels.present_wait"))
            heard = esc(gettext(ui, "panels.present_heard", title=self.session.title))
            parts.append(f"<h1>{heard}</h1>" + (items or f'<div class="pbp-muted">{wait}</div>'))
        r = self.voting.round
        if mode in ("voting", "all") and r is not None:
            title = gettext(
                ui, "panels.present_vote_now" if r.status == "open" else "panels.present_results"
            )
            each = ngettext(ui, "panels.dots_each", r.dots)
            voters = ngettext(ui, "panels.voters", self.voting.voters())
            parts.append(
                f"<h1>{esc(title)}</h1>"
                f'<div class="pbp-muted">{esc(each)} · {esc(voters)}</div>'
                + bars_html(self.voting.rows(lang), lang=ui)
            )
        html = "".join(parts)
        if self.body.value != html:
            self.body.value = html
