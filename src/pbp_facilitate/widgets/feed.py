"""The live feed: newest ideas first, with hide/restore and profanity/spam flags."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ..errors import PbpError
from ..i18n import gettext, ngettext
from ..store import SessionRecord, Store, SubmissionRecord
from ..text import esc, text_html
from .common import ActorBox, error_html
from .moderation import DuplicateTracker, Flag, check_text, with_duplicates

__all__ = ["LiveFeed", "FeedRow"]


class FeedRow(w.HBox):
    """One idea in the feed: escaped text, meta line, flag chips and a Hide/Restore button.

    Parameters
    ----------
    feed : LiveFeed
        The owning feed (the button acts through it).
    item : SubmissionRecord
        The idea.
    """

    def __init__(self, feed: LiveFeed, item: SubmissionRecord) -> None:
        self.feed = feed
        self.item = item
        self.flag = Flag()
        self.body = w.HTML(layout=w.Layout(flex="1 1 auto"))
        self.button = w.Button(layout=w.Layout(width="100px"))
        self.button.on_click(lambda _b: feed.toggle(self.item.id))
        super().__init__(
            [self.body, self.button],
            layout=w.Layout(
                align_items="center", width="100%", flex="0 0 auto", min_height="fit-content"
            ),
        )
        self.add_class("pbp-row")
        self.add_class("pbp-feed-row")

    def show(
        self,
        item: SubmissionRecord,
        flag: Flag,
        prompt_key: str,
        theme: str | None = None,
        hidden_by: str | None = None,
    ) -> None:
        """Redraw for the current state of ``item``.

        ``theme`` is the label of its theme, if known; ``hidden_by`` says who hid it, when and why.
        """
        self.item, self.flag = item, flag
        t = self.feed.ui_lang
        chips = ""
        if flag.flagged:
            cls = "pbp-chip-bad" if flag.kind == "profanity" else "pbp-chip-warn"
            chips = (
                f'<span class="pbp-chip {cls} pbp-flag" title="{esc(flag.summary(t))}">⚑ '
                f"{esc(gettext(t, f'dash.flag_{flag.kind}'))}</span>"
            )
        if item.hidden:
            chips += (
                f'<span class="pbp-chip pbp-chip-info">{esc(gettext(t, "dash.hidden_chip"))}</span>'
            )
        when = item.created_at[11:19]
        meta = (
            f'<span class="pbp-muted">#{item.seq} · {esc(when)} UTC · {esc(prompt_key)} · '
            f"{esc(item.language or '?')} · {esc(item.source)}</span>"
        )
        if theme:
            meta += f' <span class="pbp-chip pbp-chip-info pbp-row-theme">{text_html(theme)}</span>'
        why = f'<div class="pbp-muted">{esc(flag.summary(t))}</div>' if flag.flagged else ""
        if item.hidden and hidden_by:
            why += f'<div class="pbp-muted pbp-hidden-by">{esc(hidden_by)}</div>'
        html = f"<div>{chips}{text_html(item.text, cls='pbp-text pbp-idea')}</div>{meta}{why}"
        if self.body.value != html:
            self.body.value = html
        self.button.description = gettext(t, "dash.restore" if item.hidden else "dash.hide")
        self.button.icon = "eye" if item.hidden else "eye-slash"
        self.button.button_style = "" if item.hidden else ("danger" if flag.flagged else "")
        for cls, on in (("pbp-row-hidden", item.hidden), ("pbp-row-flagged", flag.flagged)):
            if on:
                self.add_class(cls)
            else:
                self.remove_class(cls)


class LiveFeed(w.VBox):
    """Newest-first feed of a session's ideas with moderation.

    Parameters
    ----------
    store : Store
        The store.
    actor : ActorBox, optional
        Who hides or restores (recorded in the audit trail).
    limit : int
        How many of the newest ideas to show.
    theme_label : callable, optional
        ``theme_label(item_id)`` gives the label of the idea's theme (shown on the row).
    ui_lang : str
        Language of the feed's own words (``"en"`` or ``"es"``).
    """

    def __init__(
        self,
        store: Store,
        *,
        actor: ActorBox | None = None,
        limit: int = 60,
        theme_label: Callable[[str], str | None] | None = None,
        ui_lang: str = "en",
    ) -> None:
        self.store = store
        self.theme_label = theme_label
        self.ui_lang = t = ui_lang
        self.actor = actor or ActorBox(ui_lang=t)
        self.limit = limit
        self.session: SessionRecord | None = None
        self.rows: dict[str, FeedRow] = {}
        self.items: list[SubmissionRecord] = []
        self.flags: dict[str, Flag] = {}
        self._base: dict[str, Flag] = {}
        self._dups = DuplicateTracker()
        self._prompt_keys: dict[int, str] = {}
        self._listeners: list[Callable[[], None]] = []
        self.view = w.ToggleButtons(
            options=[(gettext(t, f"dash.view_{v}"), v) for v in ("visible", "flagged", "hidden")],
            value="visible",
            style={"button_width": "90px"},
            tooltips=[
                gettext(t, "dash.view_visible_tip"),
                gettext(t, "dash.view_flagged_tip"),
                gettext(t, "dash.view_hidden_tip"),
            ],
        )
        self.view.observe(lambda _c: self._render(), names="value")
        self.hide_flagged = w.Button(
            description=gettext(t, "dash.hide_all_flagged"),
            icon="eye-slash",
            button_style="warning",
        )
        self.hide_flagged.on_click(lambda _b: self.hide_all_flagged())
        self.counts = w.HTML()
        self.status = w.HTML()
        self.list = w.VBox(layout=w.Layout(max_height="640px", overflow_y="auto"))
        super().__init__(
            [w.HBox([self.view, self.hide_flagged]), self.counts, self.status, self.list]
        )
        self.add_class("pbp-feed")

    def on_update(self, fn: Callable[[], None]) -> None:
        """Register ``fn()`` to run after the feed changed (new ideas, hides)."""
        self._listeners.append(fn)

    def set_session(self, session: SessionRecord | None) -> None:
        """Show ``session``'s ideas."""
        self.session = session
        self.rows.clear()
        self.flags.clear()
        self._base.clear()
        self._dups = DuplicateTracker()
        self._prompt_keys = (
            {p.id: p.key for p in self.store.list_prompts(session.id)} if session else {}
        )
        self.refresh()

    def refresh(self) -> None:
        """Re-read the newest ideas (and hidden states) and redraw."""
        if self.session is None:
            self.items = []
            self.list.children = ()
            self.counts.value = ""
            return
        self.items = self.store.list_submissions(
            self.session.id, include_hidden=True, newest_first=True
        )
        for it in reversed(self.items):
            self._dups.add(it.id, it.text)
        for it in self.items:
            base = self._base.get(it.id)
            if base is None:
                base = self._base[it.id] = check_text(it.text)
            self.flags[it.id] = with_duplicates(base, self._dups.others(it.text))
        self._render()
        for fn in self._listeners:
            fn()

    def visible_items(self) -> list[SubmissionRecord]:
        """The ideas the current view shows (before the display limit), newest first."""
        if self.view.value == "hidden":
            return [x for x in self.items if x.hidden]
        if self.view.value == "flagged":
            return [x for x in self.items if self.flags[x.id].flagged and not x.hidden]
        return [x for x in self.items if not x.hidden]

    def rerender(self) -> None:
        """Redraw the listed rows without re-reading the store (e.g. after a theme refit)."""
        if self.session is not None:
            self._render()

    def _render(self) -> None:
        shown = self.visible_items()[: self.limit]
        hidden_by = self._hidden_by() if self.view.value == "hidden" else {}
        children = []
        for it in shown:
            row = self.rows.get(it.id)
            if row is None:
                row = self.rows[it.id] = FeedRow(self, it)
            theme = self.theme_label(it.id) if self.theme_label else None
            row.show(
                it,
                self.flags[it.id],
                self._prompt_keys.get(it.prompt_id or -1, "-"),
                theme,
                hidden_by.get(it.id),
            )
            children.append(row)
        if tuple(self.list.children) != tuple(children):
            self.list.children = tuple(children)
        n_hidden = sum(x.hidden for x in self.items)
        n_flag = sum(1 for x in self.items if self.flags[x.id].flagged and not x.hidden)
        more = len(self.visible_items()) - len(shown)
        t = self.ui_lang
        self.counts.value = (
            f"{ngettext(t, 'panels.feed_shown', len(self.items) - n_hidden)} · "
            f"{ngettext(t, 'dash.feed_hidden', n_hidden)} · "
            f"{ngettext(t, 'dash.feed_flagged', n_flag)}"
            + (
                f' <span class="pbp-muted">'
                f"{esc(ngettext(t, 'dash.feed_more', more, shown=len(shown)))}</span>"
                if more
                else ""
            )
        )
        self.hide_flagged.disabled = n_flag == 0

    def _hidden_by(self) -> dict[str, str]:
        """``{submission id: "hidden by NAME at TIME UTC (reason)"}`` from the audit trail."""
        out: dict[str, str] = {}
        if self.session is None:
            return out
        for a in self.store.audit_log(self.session.id):
            if a["action"] == "hide" and a["target"]:
                reason = a["detail"].get("reason")
                out[a["target"]] = gettext(
                    self.ui_lang,
                    "dash.hidden_by",
                    actor=a["actor"],
                    at=a["at"][:19].replace("T", " "),
                ) + (f" ({reason})" if reason else "")
        return out

    def set_hidden(
        self, item_id: str, hidden: bool, *, refresh: bool = True
    ) -> SubmissionRecord | None:
        """Hide or restore one idea (audited with the facilitator's name and the flag as reason)."""
        flag = self.flags.get(item_id, Flag())
        try:
            rec = self.store.set_hidden(
                item_id, hidden, actor=self.actor.actor, reason=flag.summary() if hidden else ""
            )
        except PbpError as exc:
            self.status.value = error_html(str(exc))
            return None
        self.status.value = ""
        if refresh:
            self.refresh()
        return rec

    def toggle(self, item_id: str) -> SubmissionRecord | None:
        """Hide a visible idea or restore a hidden one."""
        cur = next((x for x in self.items if x.id == item_id), None)
        if cur is None:
            cur = self.store.get_submission(item_id)
        return self.set_hidden(item_id, not cur.hidden)

    def hide_all_flagged(self) -> int:
        """Hide every flagged idea that is still visible; return how many."""
        ids = [x.id for x in self.items if self.flags[x.id].flagged and not x.hidden]
        for i in ids:
            self.set_hidden(i, True, refresh=False)
        self.refresh()
        hid = ngettext(self.ui_lang, "panels.hid_flagged", len(ids))
        self.status.value = f'<span class="pbp-ok">{esc(hid)}</span>'
        return len(ids)
