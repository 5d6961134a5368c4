"""Prompt control: open, close and move to the next prompt (participant pages follow)."""

from __future__ import annotations

import ipywidgets as w

from ..errors import PbpError
from ..i18n import gettext
from ..store import PromptRecord, SessionRecord, Store
from ..text import esc
from .common import ActorBox, error_html

__all__ = ["PromptControl"]

_OPEN = '<span class="pbp-chip pbp-chip-ok">{}</span>'
_CLOSED = '<span class="pbp-chip pbp-chip-info">{}</span>'


class PromptControl(w.VBox):
    """List a session's prompts with their state; open one, close all, go to the next.

    Participant pages poll the server, so they show the change within about
    two seconds.

    Parameters
    ----------
    store : Store
        The store.
    actor : ActorBox, optional
        Who changes prompts (audit trail).
    ui_lang : str
        Language of the panel's own words (``"en"`` or ``"es"``).
    """

    def __init__(self, store: Store, *, actor: ActorBox | None = None, ui_lang: str = "en") -> None:
        self.store = store
        self.ui_lang = t = ui_lang
        self.actor = actor or ActorBox(ui_lang=t)
        self.session: SessionRecord | None = None
        self.prompts: list[PromptRecord] = []
        self.counts: dict[int, int] = {}
        self.current = w.HTML()
        self.choice = w.Dropdown(
            description=gettext(t, "dash.prompt"), layout=w.Layout(width="520px")
        )
        self.open_button = w.Button(
            description=gettext(t, "dash.open_only"), icon="play", button_style="success"
        )
        self.next_button = w.Button(
            description=gettext(t, "dash.next_prompt"), icon="step-forward", button_style="primary"
        )
        self.close_button = w.Button(
            description=gettext(t, "dash.close_all"), icon="stop", button_style="warning"
        )
        self.session_button = w.Button(description=gettext(t, "dash.close_session"), icon="lock")
        self.table = w.HTML()
        self.status = w.HTML()
        self.open_button.on_click(lambda _b: self.open_only(self.choice.value))
        self.next_button.on_click(lambda _b: self.next())
        self.close_button.on_click(lambda _b: self.open_only(None))
        self.session_button.on_click(lambda _b: self.toggle_session())
        super().__init__(
            [
                self.current,
                w.HBox([self.choice, self.open_button]),
                w.HBox([self.next_button, self.close_button, self.session_button]),
                self.status,
                self.table,
            ]
        )
        self.add_class("pbp-prompts")

    def set_session(self, session: SessionRecord | None) -> None:
        """Control ``session``'s prompts."""
        self.session = session
        self.refresh()

    def refresh(self) -> None:
        """Re-read prompts and per-prompt counts; redraw."""
        if self.session is None:
            self.prompts = []
            self.table.value = self.current.value = ""
            self.choice.options = []
            return
        self.session = self.store.get_session(self.session.id)
        self.prompts = self.store.list_prompts(self.session.id)
        self.counts = {}
        for s in self.store.list_submissions(self.session.id):
            if s.prompt_id is not None:
                self.counts[s.prompt_id] = self.counts.get(s.prompt_id, 0) + 1
        lang = self.session.languages[0] if self.session.languages else "en"
        t = self.ui_lang
        opts = [(f"{p.position + 1}. {p.text_for(lang)}", p.id) for p in self.prompts]
        open_now = [p for p in self.prompts if p.is_open]
        if list(self.choice.options) != opts:
            keep = self.choice.value
            self.choice.options = opts
            if keep in {o[1] for o in opts}:
                self.choice.value = keep
        if self.choice.value is None and opts:
            self.choice.value = open_now[0].id if open_now else opts[0][1]
        if self.session.status != "open":
            now = (
                f'<span class="pbp-chip pbp-chip-bad">{esc(gettext(t, "dash.session_closed_chip"))}'
                f"</span> {esc(gettext(t, 'dash.session_closed_note'))}"
            )
        elif open_now:
            now = (
                esc(gettext(t, "dash.open_now"))
                + " "
                + " · ".join(f"<b>{esc(p.text_for(lang))}</b>" for p in open_now)
            )
        else:
            now = (
                f'<span class="pbp-chip pbp-chip-warn">{esc(gettext(t, "dash.all_closed_chip"))}'
                f"</span> {esc(gettext(t, 'dash.all_closed_note'))}"
            )
        self.current.value = f'<div class="pbp-card-title">{now}</div>'
        self.session_button.description = gettext(
            t, "dash.close_session" if self.session.status == "open" else "dash.reopen_session"
        )
        state = {
            True: _OPEN.format(esc(gettext(t, "dash.state_open"))),
            False: _CLOSED.format(esc(gettext(t, "dash.state_closed"))),
        }
        rows = "".join(
            f"<tr><td>{p.position + 1}</td><td>{state[p.is_open]}</td>"
            f"<td>{esc(p.key)}</td><td>{esc(p.text_for(lang))}</td>"
            f'<td style="text-align:right">{self.counts.get(p.id, 0)}</td></tr>'
            for p in self.prompts
        )
        head = [esc(gettext(t, f"dash.col_{c}")) for c in ("state", "key", "prompt", "ideas")]
        self.table.value = (
            f'<table class="pbp-prompt-table"><tr><th>#</th><th>{head[0]}</th><th>{head[1]}</th>'
            f'<th style="text-align:left">{head[2]}</th><th>{head[3]}</th></tr>{rows}</table>'
        )

    def open_only(self, prompt_id: int | None) -> None:
        """Open exactly ``prompt_id`` (``None`` closes every prompt)."""
        if self.session is None:
            return
        try:
            self.store.open_only(self.session.id, prompt_id, actor=self.actor.actor)
        except PbpError as exc:
            self.status.value = error_html(str(exc))
            return
        self.status.value = ""
        self.refresh()

    def next(self) -> PromptRecord | None:
        """Open the prompt after the (last) open one; wrap to the first when none is open."""
        if not self.prompts:
            self.refresh()
        if not self.prompts:
            return None
        open_pos = [i for i, p in enumerate(self.prompts) if p.is_open]
        if open_pos and open_pos[-1] == len(self.prompts) - 1:
            self.status.value = error_html(gettext(self.ui_lang, "dash.last_prompt"))
            return None
        nxt = self.prompts[open_pos[-1] + 1] if open_pos else self.prompts[0]
        self.open_only(nxt.id)
        self.choice.value = nxt.id
        return nxt

    def toggle_session(self) -> None:
        """Close an open session to new input, or reopen a closed one."""
        if self.session is None:
            return
        new = "closed" if self.session.status == "open" else "open"
        try:
            self.store.set_session_status(self.session.id, new, actor=self.actor.actor)
        except PbpError as exc:
            self.status.value = error_html(str(exc))
            return
        self.refresh()
