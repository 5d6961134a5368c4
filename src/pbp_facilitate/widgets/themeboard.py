"""The live theme board: cards with label, count, quotes and a word cloud; facilitator edits.

The board shows the session's current themes (:mod:`pbp_facilitate.themes.current`): on
every tick that saw a change it reads the themes version, a cheap query, and when another
screen (a second dashboard, the API) stored a newer version it shows that one at once,
without waiting for new input. Refits
(:func:`pbp_facilitate.themes.session.compute_themes`; under ``pbp serve`` the server runs
them, once for every screen, see :mod:`pbp_facilitate.widgets.fits`) run off the event loop
(``loop.run_in_executor``) at most every ``settings.theme_refit_interval_s`` seconds, each
from the latest stored version plus every stored edit, so theme ids (and with them the
cards) stay put and edits survive every refit. Edits go through the one edit path,
:func:`pbp_facilitate.themes.session.edit_themes` (the API's too), and can be undone one
by one. Counts and quotes follow hides at once, without waiting for a refit.

Labels are shown in the board's language (``lang``, else the session's first
language) through :func:`pbp_facilitate.themes.display.theme_label`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w

from ..errors import PbpError
from ..i18n import gettext, ngettext
from ..settings import Settings
from ..store import SessionRecord, Store
from ..text import esc, shorten, text_html
from ..themes.display import theme_label
from ..themes.session import ThemeFit, cloud_key, compute_themes, draw_clouds
from ..themes.wordclouds import cloud_png
from .common import ActorBox, NamedImage, error_html, interface_language, viewer_language
from .fits import theme_fits

__all__ = ["ThemeBoard", "ThemeCard", "ThemeFit", "compute_themes", "cloud_png"]


class ThemeCard(w.VBox):
    """One theme: count, label, representative quotes, word cloud and edit controls.

    Parameters
    ----------
    board : ThemeBoard
        The board that owns the card (edits go through it).
    theme_id : int
        The stable theme id.
    """

    def __init__(self, board: ThemeBoard, theme_id: int) -> None:
        self.board = board
        self.theme_id = theme_id
        t = board.ui_lang
        self.header = w.HTML()
        self.quotes = w.HTML()
        self.cloud = NamedImage(
            format="png",
            layout=w.Layout(width="100%", max_width="320px", height="auto", display="none"),
        )
        self.edit_toggle = w.ToggleButton(
            description=gettext(t, "dash.edit"), icon="pencil", layout=w.Layout(width="80px")
        )
        self.pin_button = w.Button(
            description=gettext(t, "dash.pin"),
            icon="thumb-tack",
            layout=w.Layout(width="80px"),
            tooltip=gettext(t, "dash.pin_tip"),
        )
        self.rename_text = w.Text(
            placeholder=gettext(t, "dash.new_label"), layout=w.Layout(width="190px")
        )
        self.rename_button = w.Button(
            description=gettext(t, "dash.rename"), layout=w.Layout(width="90px")
        )
        self.merge_from = w.Dropdown(
            description=gettext(t, "dash.merge_in"), layout=w.Layout(width="230px")
        )
        self.merge_button = w.Button(
            description=gettext(t, "dash.merge"), layout=w.Layout(width="80px")
        )
        self.split_n = w.BoundedIntText(
            value=2,
            min=2,
            max=6,
            description=gettext(t, "dash.split_in"),
            layout=w.Layout(width="130px"),
        )
        self.split_button = w.Button(
            description=gettext(t, "dash.split"), layout=w.Layout(width="80px")
        )
        self.move_item = w.Dropdown(
            description=gettext(t, "dash.idea"), layout=w.Layout(width="300px")
        )
        self.move_to = w.Dropdown(
            description=gettext(t, "dash.move_to"), layout=w.Layout(width="230px")
        )
        self.move_button = w.Button(
            description=gettext(t, "dash.move"), layout=w.Layout(width="80px")
        )
        theme_rows = [
            w.HBox([self.rename_text, self.rename_button]),
            w.HBox([self.merge_from, self.merge_button]),
            w.HBox([self.split_n, self.split_button]),
        ]
        if theme_id < 0:  # "other / unclear" is not a theme: its ideas can only be moved into one
            theme_rows = []
            self.pin_button.layout.display = "none"
            self.edit_toggle.description = gettext(t, "dash.move")
        self.controls = w.VBox(
            [*theme_rows, w.HBox([self.move_item]), w.HBox([self.move_to, self.move_button])],
            layout=w.Layout(display="none"),
        )
        self.edit_toggle.observe(self._toggle, names="value")
        self.pin_button.on_click(lambda _b: self._pin())
        self.rename_button.on_click(lambda _b: self._rename())
        self.merge_button.on_click(lambda _b: self._merge())
        self.split_button.on_click(
            lambda _b: board.edit(
                {"op": "split", "theme_id": self.theme_id, "n": int(self.split_n.value)}
            )
        )
        self.move_button.on_click(lambda _b: self._move())
        super().__init__(
            [
                self.header,
                self.cloud,
                self.quotes,
                w.HBox([self.edit_toggle, self.pin_button]),
                self.controls,
            ],
            layout=w.Layout(width="auto"),
        )
        self.add_class("pbp-card")
        self.add_class("pbp-theme-card")
        # the stable id, so a page (or a browser test) finds a card across refits and relabels
        self.add_class(f"pbp-theme-{theme_id}" if theme_id >= 0 else "pbp-theme-other")

    def _pin(self) -> None:
        op = (
            "unpin"
            if self.pin_button.description == gettext(self.board.ui_lang, "dash.unpin")
            else "pin"
        )
        self.board.edit({"op": op, "theme_id": self.theme_id})

    def _toggle(self, change: dict) -> None:
        self.controls.layout.display = "flex" if change["new"] else "none"

    def _rename(self) -> None:
        label = " ".join(self.rename_text.value.split())
        if not label:
            self.board.status.value = error_html(gettext(self.board.ui_lang, "dash.need_label"))
            return
        if self.board.edit({"op": "rename", "theme_id": self.theme_id, "label": label[:120]}):
            self.rename_text.value = ""

    def _merge(self) -> None:
        other = self.merge_from.value
        if other is None:
            self.board.status.value = error_html(gettext(self.board.ui_lang, "dash.need_merge"))
            return
        self.board.edit({"op": "merge", "theme_ids": [self.theme_id, int(other)]})

    def _move(self) -> None:
        if self.move_item.value is None or self.move_to.value is None:
            self.board.status.value = error_html(gettext(self.board.ui_lang, "dash.need_move"))
            return
        self.board.edit(
            {
                "op": "move",
                "item_id": str(self.move_item.value),
                "theme_id": int(self.move_to.value),
            }
        )

    def update(
        self,
        theme: Mapping[str, Any],
        count: int,
        quotes: list[str],
        others: list[tuple[str, int]],
        members: list[tuple[str, str]],
        cloud: bytes | None,
    ) -> None:
        """Show ``theme`` (its label in the board's language) with the visible ``count`` and
        ``quotes``; refresh the edit choices.
        """
        t = self.board.ui_lang
        pinned = (
            f' <span class="pbp-chip pbp-chip-info">{esc(gettext(t, "dash.pinned_chip"))}</span>'
            if theme.get("pinned")
            else ""
        )
        named = (
            f' <span class="pbp-chip pbp-chip-ok">{esc(gettext(t, "dash.named_chip"))}</span>'
            if theme.get("label_source") == "facilitator"
            else ""
        )
        header = (
            f'<div class="pbp-card-title"><span class="pbp-count">{count}</span>'
            f"{text_html(theme_label(theme, self.board.viewer_lang), cls='pbp-theme-label')}"
            f"{pinned}{named}</div>"
        )
        if self.header.value != header:
            self.header.value = header
        q = (
            "".join(f'<div class="pbp-quote">“{text_html(x)}”</div>' for x in quotes)
            or f'<div class="pbp-muted">{esc(gettext(t, "dash.no_quotes"))}</div>'
        )
        if self.quotes.value != q:
            self.quotes.value = q
        if cloud is not None and self.cloud.value != cloud:
            self.cloud.value = cloud
            self.cloud.layout.display = "" if cloud else "none"
        alt = gettext(t, "panels.cloud_alt", label=theme_label(theme, self.board.viewer_lang))
        self.cloud.alt = alt
        self.pin_button.description = gettext(
            t, "dash.unpin" if theme.get("pinned") else "dash.pin"
        )
        self.pin_button.tooltip = (
            gettext(t, "dash.unpin_tip") if theme.get("pinned") else gettext(t, "dash.pin_tip")
        )
        if list(self.merge_from.options) != others:
            self.merge_from.options = others
            self.move_to.options = (
                others if self.theme_id < 0 else [*others, (gettext(t, "dash.other_unclear"), -1)]
            )
        opts = [(shorten(txt, 60), iid) for iid, txt in members]
        if list(self.move_item.options) != opts:
            self.move_item.options = opts


class ThemeBoard(w.VBox):
    """Theme cards of one session that update live and take facilitator edits.

    Parameters
    ----------
    store : Store
        The store.
    settings : Settings
        ``theme_refit_interval_s`` throttles refits.
    actor : ActorBox, optional
        Who edits (for the audit trail).
    clouds : bool
        Draw word clouds (off in some tests for speed).
    lang : str, optional
        Language of the labels on the cards (default the session's first language).
    ui_lang : str, optional
        Language of the board's own words (buttons, tooltips, status lines); default
        ``settings.dashboard_language``.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        actor: ActorBox | None = None,
        clouds: bool = True,
        lang: str | None = None,
        ui_lang: str | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.ui_lang = t = interface_language(settings, ui_lang)
        self.fits = theme_fits(settings)  # pbp serve fits for every screen; else in-process
        self.actor = actor or ActorBox(ui_lang=t)
        self.clouds = clouds
        self.lang = lang
        self.session: SessionRecord | None = None
        self.fit: ThemeFit | None = None
        self.cards: dict[int, ThemeCard] = {}
        self.visible: dict[str, str] = {}  # id -> text of visible ideas
        self.hidden_texts: set[str] = set()
        self.status = w.HTML()
        self.summary = w.HTML()
        self.refit_button = w.Button(description=gettext(t, "dash.refit_now"), icon="refresh")
        self.refit_button.on_click(lambda _b: self.request_refit(force=True))
        self.undo_button = w.Button(
            description=gettext(t, "dash.undo"),
            icon="undo",
            tooltip=gettext(t, "dash.undo_tip"),
            disabled=True,
        )
        self.undo_button.on_click(lambda _b: self.edit({"op": "undo"}))
        self.version = 0  # the themes version on screen
        self._editing: asyncio.Future[Any] | None = None
        self.grid = w.GridBox(
            layout=w.Layout(
                grid_template_columns="repeat(auto-fill, minmax(330px, 1fr))", grid_gap="6px"
            )
        )
        self.refits = 0
        self._dirty = True
        self._last_fit = 0.0
        self._running: asyncio.Future[Any] | None = None
        self._cache: dict[tuple, bytes] = {}
        self._listeners: list[Callable[[], None]] = []
        self._member_of: tuple[ThemeFit | None, dict[str, int]] = (None, {})
        super().__init__(
            [w.HBox([self.summary, self.refit_button, self.undo_button]), self.status, self.grid]
        )
        self.add_class("pbp-themeboard")

    # -- data ------------------------------------------------------------------------------------

    def on_update(self, fn: Callable[[], None]) -> None:
        """Register ``fn()`` to run after the themes or their counts change."""
        self._listeners.append(fn)

    @property
    def viewer_lang(self) -> str | None:
        """The language labels are shown in (``lang``, else the session's first language)."""
        return viewer_language(self.session, self.lang)

    def set_session(self, session: SessionRecord | None) -> None:
        """Show ``session``'s themes: its stored snapshot at once, a refit on the next tick."""
        self.session = session
        self.fit = None
        self.version = 0
        self.cards = {}
        self.grid.children = ()
        self._cache.clear()
        self._dirty = True
        self._last_fit = 0.0
        if session is None:
            self.summary.value = (
                f'<span class="pbp-muted">{esc(gettext(self.ui_lang, "dash.no_session"))}</span>'
            )
            return
        self.refresh()

    def themes(self) -> list[dict[str, Any]]:
        """Return the current themes with visible counts, by id.

        Each is ``{"id", "label", "labels", "count", "pinned", "terms"}``: ``label`` is the
        default label (what a voting round stores), ``labels`` the one per language; show
        ``theme_label(theme, lang)``.
        """
        if self.fit is None:
            return []
        out = []
        for th in self.fit.data.get("themes", []):
            count = sum(1 for m in th.get("members", []) if m in self.visible)
            out.append(
                {
                    "id": int(th["id"]),
                    "label": str(th["label"]),
                    "labels": dict(th.get("labels") or {}),
                    "count": count,
                    "pinned": bool(th.get("pinned")),
                    "terms": [t for t, _ in th.get("terms", [])][:10],
                }
            )
        return sorted(out, key=lambda d: d["id"])

    def theme_of(self, item_id: str) -> int | None:
        """Return a submission's stable theme id in the current fit (-1 other, None unknown)."""
        if self.fit is None:
            return None
        if self._member_of[0] is not self.fit:
            self._member_of = (
                self.fit,
                {
                    m: int(th["id"])
                    for th in self.fit.data.get("themes", [])
                    for m in th.get("members", [])
                },
            )
        hit = self._member_of[1].get(item_id)
        if hit is not None:
            return hit
        return -1 if item_id in self.fit.item_ids else None

    def refresh(self) -> None:
        """Re-read which ideas are visible and redraw counts and quotes (no refit)."""
        if self.session is None:
            return
        self.follow()
        subs = self.store.list_submissions(self.session.id, include_hidden=True)
        self.visible = {s.id: s.text for s in subs if not s.hidden}
        self.hidden_texts = {s.text for s in subs if s.hidden} - set(self.visible.values())
        if self.fit is None or set(self.visible) != set(self.fit.item_ids):
            self._dirty = True
        self._render()

    def follow(self) -> bool:
        """Show the session's current themes when another screen stored a newer version.

        One cheap query (the version) when nothing changed; returns whether the board
        switched versions. Clouds of unchanged themes are reused; new ones are drawn in a
        worker thread (or here, without an event loop).
        """
        if self.session is None:
            return False
        version = self.store.theme_version(self.session.id)
        if version == self.version or version == 0:
            return False
        got = self.store.theme_state(self.session.id)
        if got is None or "themes" not in got[1]:
            return False
        version, data = got
        clouds = {
            int(th["id"]): png
            for th in data.get("themes", [])
            if (png := self._cache.get(cloud_key(th))) is not None
        }
        self.fit = ThemeFit.of_stored(version, data, clouds)
        self.version = version
        self.undo_button.disabled = not self.store.list_theme_edits(self.session.id)
        if self.clouds and len(clouds) < len(data.get("themes", [])):
            self._draw_missing_clouds(self.fit)
        return True

    def _draw_missing_clouds(self, fit: ThemeFit) -> None:
        def done(pngs: dict[int, bytes]) -> None:
            if self.fit is fit:
                fit.clouds.update(pngs)
                for th in fit.data.get("themes", []):
                    if int(th["id"]) in pngs:
                        self._cache[cloud_key(th)] = pngs[int(th["id"])]
                self._render()

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            done(draw_clouds(fit.data, self._cache))
            return
        cache = dict(self._cache)
        task = loop.run_in_executor(None, lambda: draw_clouds(fit.data, cache))
        task.add_done_callback(lambda f: done(f.result()) if f.exception() is None else None)

    def _render(self) -> None:
        themes = self.themes()
        n_vis = len(self.visible)
        if self.fit is None:
            early = ngettext(self.ui_lang, "panels.board_early", n_vis)
            self.summary.value = f'<span class="pbp-muted">{esc(early)}</span>'
            return
        by_id = {int(t["id"]): t for t in self.fit.data.get("themes", [])}
        placed = sum(t["count"] for t in themes)
        lang = self.viewer_lang
        label_of = [(shorten(theme_label(t, lang), 40), t["id"]) for t in themes]
        cards = []
        for t in themes:
            card = self.cards.get(t["id"])
            if card is None:
                card = self.cards[t["id"]] = ThemeCard(self, t["id"])
            raw = by_id[t["id"]]
            quotes = [q for q in raw.get("quotes", []) if q not in self.hidden_texts]
            members = [(m, self.visible[m]) for m in raw.get("members", []) if m in self.visible]
            others = [x for x in label_of if x[1] != t["id"]]
            card.update(raw, t["count"], quotes, others, members, self.fit.clouds.get(t["id"]))
            if t["count"] > 0 or raw.get("pinned"):
                cards.append(card)
        other = [
            (i, self.visible[i])
            for i, tid in zip(
                self.fit.data.get("ids", []), self.fit.data.get("theme_ids", []), strict=False
            )
            if tid == -1 and i in self.visible
        ]
        if other:
            card = self.cards.get(-1)
            if card is None:
                card = self.cards[-1] = ThemeCard(self, -1)
            card.update(
                {"id": -1, "label": gettext(self.ui_lang, "dash.other_unclear")},
                len(other),
                [txt for _, txt in other[:3]],
                label_of,
                other,
                None,
            )
            cards.append(card)
        waiting = sum(1 for i in self.visible if i not in self.fit.item_ids)
        # Cards are ordered by stable id: a refit never shuffles them.
        if tuple(self.grid.children) != tuple(cards):
            self.grid.children = tuple(cards)
        n_themes = len(cards) - (1 if other else 0)
        self.summary.value = (
            f"<b>{esc(ngettext(self.ui_lang, 'panels.themes', n_themes))}</b> "
            f'<span class="pbp-muted">'
            f"· {esc(gettext(self.ui_lang, 'panels.ideas_placed', placed=placed, n=n_vis))} "
            f"· {esc(ngettext(self.ui_lang, 'dash.other_count', len(other)))}"
            + (f" · {esc(ngettext(self.ui_lang, 'dash.waiting', waiting))}" if waiting else "")
            + f" · {esc(gettext(self.ui_lang, 'dash.refit_no', n=self.refits))}</span>"
        )
        for fn in self._listeners:
            fn()

    # -- refits ----------------------------------------------------------------------------------

    def refit_now(self) -> ThemeFit | None:
        """Refit synchronously (tests, and when no event loop runs); return the fit."""
        if self.session is None:
            return None
        fit = self.fits.refit(
            self.store, self.session.id, clouds=self.clouds, cloud_cache=self._cache
        )
        self._apply(fit)
        return fit

    def _apply(self, fit: ThemeFit) -> None:
        self.fit = fit
        if fit.version:
            self.version = fit.version
        if self.session is not None:
            self.undo_button.disabled = not self.store.list_theme_edits(self.session.id)
        self.refits += 1
        self._last_fit = time.monotonic()
        for th in fit.data.get("themes", []):
            key = cloud_key(th)
            if int(th["id"]) in fit.clouds:
                self._cache[key] = fit.clouds[int(th["id"])]
        self.refresh()
        if set(self.visible) == set(fit.item_ids):
            self._dirty = False

    async def maybe_refit(self, *, force: bool = False) -> bool:
        """Refit in a worker thread when ideas changed and the interval has passed.

        Returns whether a refit ran.
        """
        if self.session is None or self._running is not None:
            return False
        due = time.monotonic() - self._last_fit >= self.settings.theme_refit_interval_s
        if not force and not (self._dirty and due):
            return False
        if len(self.visible) == 0 and self.fit is None:
            return False
        session_id = self.session.id
        loop = asyncio.get_running_loop()
        cache = dict(self._cache)
        self._running = loop.run_in_executor(
            None,
            lambda: self.fits.refit(
                self.store, session_id, clouds=self.clouds, cloud_cache=cache, force=force
            ),
        )
        try:
            fit = await self._running
        except PbpError as exc:
            self.status.value = error_html(gettext(self.ui_lang, "dash.themes_failed", e=exc))
            return False
        finally:
            self._running = None
        if self.session is not None and self.session.id == session_id:
            self.status.value = ""
            self._apply(fit)
        return True

    def request_refit(self, *, force: bool = False) -> None:
        """Refit soon: on the running loop in a thread, or right now when no loop runs."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.refit_now()
            return
        self._dirty = True
        loop.create_task(self.maybe_refit(force=force))

    # -- edits -----------------------------------------------------------------------------------

    def edit(self, edit: Mapping[str, Any]) -> bool:
        """Apply a facilitator edit (rename, merge, split, move, pin, unpin, undo).

        Goes through :func:`~pbp_facilitate.themes.session.edit_themes`, the API's path too:
        checked, stored, refitted into a new version every screen shows. With an event
        loop (a kernel) the refit runs in a worker thread and the result (or the reason it
        was refused) shows when it is done; without one it runs here. Returns False when
        the edit was refused at once.
        """
        if self.session is None:
            self.status.value = error_html(gettext(self.ui_lang, "dash.choose_session"))
            return False
        session_id, actor = self.session.id, self.actor.actor
        cache = dict(self._cache)

        def run() -> ThemeFit:
            return self.fits.edit(
                self.store, session_id, edit, actor=actor, clouds=self.clouds, cloud_cache=cache
            )

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            try:
                fit = run()
            except PbpError as exc:
                self.status.value = error_html(str(exc))
                return False
            self._edited(edit, fit)
            return True
        if self._editing is not None and not self._editing.done():
            self.status.value = error_html(gettext(self.ui_lang, "dash.edit_busy"))
            return False
        busy = gettext(self.ui_lang, "dash.edit_updating", what=_describe(edit, self.ui_lang))
        self.status.value = f'<span class="pbp-muted">{esc(busy)}</span>'
        self._editing = loop.run_in_executor(None, run)

        def done(fut: asyncio.Future[ThemeFit]) -> None:
            exc = fut.exception()
            if isinstance(exc, PbpError):
                self.status.value = error_html(str(exc))
            elif exc is not None:
                self.status.value = error_html(gettext(self.ui_lang, "dash.edit_failed", e=exc))
            elif self.session is not None and self.session.id == session_id:
                self._edited(edit, fut.result())

        self._editing.add_done_callback(done)
        return True

    def _edited(self, edit: Mapping[str, Any], fit: ThemeFit) -> None:
        saved = gettext(self.ui_lang, "dash.edit_saved", what=_describe(edit, self.ui_lang))
        self.status.value = f'<span class="pbp-ok">{esc(saved)}</span>'
        self._apply(fit)


def _describe(edit: Mapping[str, Any], lang: str = "en") -> str:
    op = edit.get("op")
    if op == "rename":
        return gettext(lang, "dash.did_rename", id=edit["theme_id"], label=edit["label"])
    if op == "merge":
        return gettext(lang, "dash.did_merge", ids=edit["theme_ids"][1:], id=edit["theme_ids"][0])
    if op == "split":
        return gettext(lang, "dash.did_split", id=edit["theme_id"], n=edit.get("n", 2))
    if op == "move":
        return gettext(lang, "dash.did_move", id=edit["theme_id"])
    if op == "pin":
        return gettext(lang, "dash.did_pin", id=edit["theme_id"])
    if op == "unpin":
        return gettext(lang, "dash.did_unpin", id=edit["theme_id"])
    if op == "undo":
        return gettext(lang, "dash.did_undo")
    return str(op)
