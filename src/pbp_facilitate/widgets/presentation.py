"""The room screen: large join QR and code, the themes, the voting results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..settings import Settings
from ..store import SessionRecord
from ..text import esc, text_html
from ..themes.display import theme_label
from .common import join_url, qr_png_bytes, viewer_language
from .voting import VotingPanel, bars_html

__all__ = ["PresentationView"]


def _voters(n: int) -> str:
    return "1 voter" if n == 1 else f"{n} voters"


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
        session's first language).
    """

    def __init__(
        self,
        settings: Settings,
        themes: Callable[[], list[dict[str, Any]]],
        voting: VotingPanel,
        *,
        lang: str | None = None,
    ) -> None:
        self.settings = settings
        self.themes = themes
        self.voting = voting
        self.lang = lang
        self.session: SessionRecord | None = None
        self.mode = w.ToggleButtons(
            options=[("Join", "join"), ("Themes", "themes"), ("Voting", "voting"), ("All", "all")],
            value="all",
            description="Show",
        )
        self.mode.observe(lambda _c: self.refresh(), names="value")
        self.mode.add_class("pbp-present-mode")
        self.projector = w.ToggleButton(
            description="Projector mode",
            icon="television",
            tooltip="Hide every control; press again to get them back",
        )
        self.qr = w.Image(format="png", layout=w.Layout(width="320px", height="320px"))
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
        if self.session is None:
            self.join.value = "<h1>No session</h1>"
            self.body.value = ""
            return
        url = join_url(self.settings, self.session.code)
        if url != self._qr_for:
            self.qr.value = qr_png_bytes(url, scale=12)
            self._qr_for = url
        mode = self.mode.value
        lang = viewer_language(self.session, self.lang)
        self.join_box.layout.display = "" if mode in ("join", "all") else "none"
        big = "520px" if mode == "join" else "320px"
        self.qr.layout.width = self.qr.layout.height = big
        self.join.value = (
            f'<div style="text-align:center"><div class="pbp-muted">Scan the code or go to</div>'
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
            parts.append(
                f"<h1>{esc(self.session.title)}: what we heard</h1>"
                + (items or '<div class="pbp-muted">Themes appear as ideas arrive.</div>')
            )
        r = self.voting.round
        if mode in ("voting", "all") and r is not None:
            title = "Vote now" if r.status == "open" else "Voting results"
            parts.append(
                f"<h1>{title}</h1>"
                f'<div class="pbp-muted">{r.dots} dots each · {_voters(self.voting.voters())}</div>'
                + bars_html(self.voting.rows(lang))
            )
        html = "".join(parts)
        if self.body.value != html:
            self.body.value = html
