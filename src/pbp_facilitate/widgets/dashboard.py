"""The facilitator dashboard of ``workbooks/facilitate.ipynb``: every panel, one poller."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import ipywidgets as w

from ..i18n import gettext
from ..settings import Settings
from ..store import SessionRecord, Store
from ..text import esc
from ..themes.display import theme_label
from .common import ActorBox, interface_language, style_widget
from .feed import LiveFeed
from .live import LivePoller, LiveWidget, open_live
from .presentation import PresentationView
from .prompts import PromptControl
from .reactions import ReactionsPanel
from .session_picker import SessionPicker
from .themeboard import ThemeBoard
from .voting import VotingPanel

__all__ = ["FacilitatorDashboard", "facilitator_dashboard"]


class FacilitatorDashboard(LiveWidget, w.VBox):
    """Session picker, prompt control, live feed, theme board, voting, reactions and room screen
    in tabs.

    Parameters
    ----------
    store : Store
        The store.
    settings : Settings
        The kit's settings.
    code : str, optional
        Session to open first (default the demo session, else the newest).
    clouds : bool
        Draw word clouds on theme cards.
    lang : str, optional
        Language theme labels are shown in on every tab (cards, feed, bars, room screen);
        default the session's first language.
    ui_lang : str, optional
        Language of the dashboard's own words (tabs, buttons, status lines); default
        ``settings.dashboard_language``.
    """

    TABS = ("Session", "Live feed", "Themes", "Voting", "Room screen", "Reactions")
    """The tabs in order (their English names; :attr:`TAB_KEYS` gives the shown titles)."""
    TAB_KEYS = (
        "dash.tab_session",
        "dash.tab_feed",
        "dash.tab_themes",
        "dash.tab_voting",
        "dash.tab_room",
        "dash.tab_reactions",
    )
    """Catalogue keys of the tab titles, in :attr:`TABS` order."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        code: str | None = None,
        clouds: bool = True,
        lang: str | None = None,
        ui_lang: str | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.ui_lang = ui = interface_language(settings, ui_lang)
        self.actor = ActorBox(ui_lang=ui)
        self.prompts = PromptControl(store, actor=self.actor, ui_lang=ui)
        self.board = ThemeBoard(
            store, settings, actor=self.actor, clouds=clouds, lang=lang, ui_lang=ui
        )
        self.feed = LiveFeed(store, actor=self.actor, theme_label=self._theme_label, ui_lang=ui)
        self.voting = VotingPanel(store, settings, actor=self.actor, lang=lang, ui_lang=ui)
        self.presentation = PresentationView(
            settings, self.board.themes, self.voting, lang=lang, ui_lang=ui
        )
        self.reactions = ReactionsPanel(store, settings, actor=self.actor, lang=lang, ui_lang=ui)
        self.live = w.HTML()
        self.poller = LivePoller(store, self.tick, interval=settings.poll_interval_s)
        self.refit_task: asyncio.Task[bool] | None = None
        self._last_change = "-"
        self.picker = SessionPicker(store, settings, code=code, ui_lang=ui)
        self.tabs = w.Tab(
            children=[
                w.VBox([self.picker, self.prompts]),
                self.feed,
                self.board,
                self.voting,
                self.presentation,
                self.reactions,
            ],
            titles=tuple(gettext(ui, key) for key in self.TAB_KEYS),
        )
        self.tabs.add_class("pbp-tabs")
        self.header = w.HTML()
        top = w.HBox(
            [self.header, self.actor, self.live], layout=w.Layout(justify_content="space-between")
        )
        top.add_class("pbp-dash-header")
        super().__init__([style_widget(), top, self.tabs])
        self.presentation.projector.observe(self._projector, names="value")
        self.tabs.observe(self._reactions_shown, names="selected_index")
        self.add_class("pbp-dash")
        self.board.on_update(self.presentation.refresh)
        self.board.on_update(self.feed.rerender)
        self.picker.on_change(self.set_session)
        self.set_session(self.picker.session)

    def _theme_label(self, item_id: str) -> str | None:
        tid = self.board.theme_of(item_id)
        if tid is None:
            return None
        if tid < 0:
            return gettext(self.ui_lang, "dash.other_unclear_chip")
        lang = self.board.viewer_lang
        return next((theme_label(t, lang) for t in self.board.themes() if t["id"] == tid), None)

    def _reactions_shown(self, change: dict) -> None:
        if change["new"] == self.TABS.index("Reactions"):
            self.reactions.refresh(analyse=True)

    def _projector(self, change: dict) -> None:
        if change["new"]:
            self.tabs.selected_index = self.TABS.index("Room screen")
            self.add_class("pbp-projector")
        else:
            self.remove_class("pbp-projector")

    @property
    def session(self) -> SessionRecord | None:
        """The session on screen."""
        return self.picker.session

    def set_session(self, session: SessionRecord | None) -> None:
        """Point every panel at ``session``."""
        t = self.ui_lang
        self.header.value = (
            f'<div class="pbp-card-title">{esc(session.title)} · '
            f'<span class="pbp-muted">{esc(gettext(t, "dash.join_code"))}</span> '
            f"<b>{esc(session.code)}</b></div>"
            if session
            else f'<div class="pbp-card-title">{esc(gettext(t, "dash.no_session_yet"))}</div>'
        )
        panels = (self.prompts, self.feed, self.board, self.voting, self.reactions)
        for panel in (*panels, self.presentation):
            panel.set_session(session)
        self.poller.mark_changed()

    def refresh(self) -> None:
        """Re-read everything from the store (what a tick does when data changed)."""
        self.feed.refresh()  # first: new ideas reach the screen before anything else is redrawn
        self.prompts.refresh()
        self.board.refresh()
        self.voting.refresh()
        self.reactions.refresh(analyse=self.tabs.selected_index == self.TABS.index("Reactions"))
        self.presentation.refresh()

    async def tick(self, changed: bool) -> None:
        """One poll: redraw on changes, then start a theme refit in a worker thread when one
        is due.
        """
        if changed and self.session is not None:
            self.refresh()
            self._last_change = time.strftime("%H:%M:%S")
        # Widgets change only when something happened: an idle dashboard sends nothing, so a
        # kernel whose tab was closed goes idle and the server can cull it.
        err, t = self.poller.last_error, self.ui_lang
        self.live.value = (
            f'<span class="pbp-muted">{esc(gettext(t, "panels.eq_live", t=self._last_change))}'
            "</span>"
            if err is None
            else f'<span class="pbp-error">{esc(gettext(t, "panels.eq_failing", e=err))}</span>'
        )
        # The refit runs as its own task (its heavy part in a worker thread), so a slow
        # refit never delays the next poll: new ideas keep showing within a second.
        if self.refit_task is None or self.refit_task.done():
            self.refit_task = asyncio.get_running_loop().create_task(self.board.maybe_refit())


def facilitator_dashboard(
    code: str | None = None,
    *,
    settings: Settings | None = None,
    store: Store | None = None,
    start: bool = True,
    **kw: Any,
) -> FacilitatorDashboard:
    """Build the dashboard from the settings (``PBP_DATABASE_URL`` etc.) and start live updates.

    Parameters
    ----------
    code : str, optional
        Session join code to open first.
    settings : Settings, optional
        Default :func:`~pbp_facilitate.settings.load_settings`.
    store : Store, optional
        Default opened from the settings.
    start : bool
        Start the live poller (needs a running event loop, as in a kernel).
    """
    return open_live(FacilitatorDashboard, code, settings, store, start, **kw)
