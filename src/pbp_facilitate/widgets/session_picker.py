"""Pick or create a session; show its join code, URL and a projectable QR code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from ..errors import NotFoundError, PbpError
from ..i18n import gettext
from ..settings import Settings
from ..store import SessionRecord, Store
from ..surveys import load_survey
from ..text import esc
from .common import NamedImage, error_html, interface_language, join_url, qr_alt, qr_png_bytes

__all__ = ["SessionPicker", "JoinCard", "default_session", "surveys_folder"]

DEMO_CODE = "DEMO26"


def surveys_folder(settings: Settings) -> Path:
    """Return ``settings.surveys_dir``; a relative one missing here is looked up next to the
    workbooks.

    Voilà runs a workbook's kernel inside ``workbooks/``, so ``surveys`` (relative
    to the project) is found as ``../surveys`` there.
    """
    folder = Path(settings.surveys_dir)
    if folder.is_dir() or folder.is_absolute():
        return folder
    for base in (Path.cwd().parent, Path(settings.workbooks_dir).resolve().parent):
        if (base / folder).is_dir():
            return base / folder
    return folder


def default_session(store: Store, code: str | None = None) -> SessionRecord | None:
    """Return session ``code`` if given, else the demo session, else the newest, else None."""
    for ref in (code, DEMO_CODE):
        if ref:
            try:
                return store.get_session(ref)
            except NotFoundError:
                if ref == code:
                    raise
    sessions = store.list_sessions()
    return sessions[0] if sessions else None


class JoinCard(w.HBox):
    """Join code, URL and QR code of a session, large enough to project.

    Parameters
    ----------
    settings : Settings
        For the public URL.
    qr_px : int
        Width of the QR image in pixels.
    lang : str
        Language of the card's words and of the QR code's text alternative.
    """

    def __init__(self, settings: Settings, *, qr_px: int = 320, lang: str = "en") -> None:
        self.settings = settings
        self.lang = lang
        self.qr = NamedImage(format="png", layout=w.Layout(width=f"{qr_px}px", height=f"{qr_px}px"))
        self.info = w.HTML()
        self.url = ""
        super().__init__([self.qr, self.info], layout=w.Layout(align_items="center"))
        self.add_class("pbp-join")

    def show(self, session: SessionRecord | None) -> None:
        """Display ``session``'s join details (or a hint when there is none)."""
        t = self.lang
        if session is None:
            self.url = ""
            self.qr.value = b""
            self.qr.alt = ""
            self.info.value = (
                f'<span class="pbp-muted">{esc(gettext(t, "panels.join_none"))}</span>'
            )
            return
        self.url = join_url(self.settings, session.code)
        self.qr.value = qr_png_bytes(self.url)
        self.qr.alt = qr_alt(t, self.url, session.code)
        closed = esc(gettext(t, "panels.join_closed"))
        status = (
            ""
            if session.status == "open"
            else f' <span class="pbp-chip pbp-chip-bad">{closed}</span>'
        )
        self.info.value = (
            f'<div class="pbp-card-title">{esc(session.title)}{status}</div>'
            f'<div class="pbp-muted">{esc(gettext(t, "panels.join_code"))}</div>'
            f'<div class="pbp-code">{esc(session.code)}</div>'
            f'<div class="pbp-muted">{esc(gettext(t, "panels.join_or_open"))}</div>'
            f'<div class="pbp-url">{esc(self.url)}</div>'
        )


class SessionPicker(w.VBox):
    """Choose a session (newest first) or create one from a survey in ``surveys_dir``.

    Parameters
    ----------
    store : Store
        The store.
    settings : Settings
        For ``surveys_dir`` and the join URL.
    code : str, optional
        Session to select first; default the demo session ``DEMO26``, else the newest.
    on_change : callable, optional
        Called with the chosen :class:`SessionRecord` whenever it changes.
    compact : bool
        Only the session list (no create form, no join card), e.g. for goal drafting.
    ui_lang : str, optional
        Language of the picker's own words and of the join card; default
        ``settings.dashboard_language``.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        code: str | None = None,
        on_change: Callable[[SessionRecord | None], None] | None = None,
        compact: bool = False,
        ui_lang: str | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.ui_lang = t = interface_language(settings, ui_lang)
        self._callbacks: list[Callable[[SessionRecord | None], None]] = (
            [on_change] if on_change else []
        )
        self.session: SessionRecord | None = None
        self.dropdown = w.Dropdown(
            description=gettext(t, "dash.session"), layout=w.Layout(width="460px")
        )
        self.reload_button = w.Button(description=gettext(t, "dash.reload_list"), icon="refresh")
        self.survey = w.Dropdown(
            description=gettext(t, "dash.survey"), layout=w.Layout(width="300px")
        )
        self.title = w.Text(
            description=gettext(t, "dash.title"),
            placeholder=gettext(t, "dash.title_hint"),
            layout=w.Layout(width="360px"),
        )
        self.create_button = w.Button(
            description=gettext(t, "dash.create_session"), button_style="primary", icon="plus"
        )
        self.status = w.HTML()
        self.join = JoinCard(settings, lang=t)
        self.dropdown.observe(self._on_pick, names="value")
        self.reload_button.on_click(lambda _b: self.reload())
        self.create_button.on_click(lambda _b: self.create())
        create_box = w.HBox([self.survey, self.title, self.create_button])
        if compact:
            create_box.layout.display = self.join.layout.display = "none"
        super().__init__(
            [w.HBox([self.dropdown, self.reload_button]), create_box, self.status, self.join]
        )
        self.reload_surveys()
        self.reload(select=default_session(store, code))

    def on_change(self, fn: Callable[[SessionRecord | None], None]) -> None:
        """Register ``fn(session)`` to run when another session is chosen."""
        self._callbacks.append(fn)

    def reload_surveys(self) -> None:
        """List the ``*.yaml`` surveys of ``settings.surveys_dir``."""
        folder = surveys_folder(self.settings)
        paths = (
            sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []
        )
        self.survey.options = [(p.stem, str(p)) for p in paths]
        if paths and self.survey.value is None:
            self.survey.value = str(next((p for p in paths if p.stem == "visioning"), paths[0]))
        if not paths:
            self.status.value = error_html(gettext(self.ui_lang, "dash.no_surveys", folder=folder))

    def reload(self, select: SessionRecord | None = None) -> None:
        """Re-read the session list, keeping (or setting) the selection."""
        sessions = self.store.list_sessions()
        keep = select.id if select is not None else (self.session.id if self.session else None)
        self.dropdown.options = [
            (f"{s.code} · {s.title} ({s.created_at[:10]})", s.id) for s in sessions
        ]
        if keep is not None and any(s.id == keep for s in sessions):
            if self.dropdown.value == keep:
                self._set(self.store.get_session(keep))
            else:
                self.dropdown.value = keep
        elif sessions:
            self.dropdown.value = sessions[0].id
        else:
            self._set(None)

    def select(self, ref: int | str) -> SessionRecord:
        """Select a session by id or join code and return it."""
        s = self.store.get_session(ref)
        self.reload(select=s)
        return s

    def create(self) -> SessionRecord | None:
        """Create a session from the chosen survey and title, select it, return it."""
        if not self.survey.value:
            self.status.value = error_html(gettext(self.ui_lang, "dash.choose_survey"))
            return None
        try:
            survey = load_survey(self.survey.value)
            title = (
                self.title.value.strip()
                or survey.title.get("en")
                or next(iter(survey.title.values()), "")
            )
            s = self.store.create_session(survey, title)
        except PbpError as exc:
            self.status.value = error_html(str(exc))
            return None
        created = gettext(self.ui_lang, "dash.created_session", code=s.code)
        self.status.value = f'<span class="pbp-ok">{esc(created)}</span>'
        self.title.value = ""
        self.reload(select=s)
        return s

    def _on_pick(self, change: dict) -> None:
        if change["new"] is None:
            return
        self._set(self.store.get_session(change["new"]))

    def _set(self, session: SessionRecord | None) -> None:
        self.session = session
        self.join.show(session)
        for fn in self._callbacks:
            fn(session)
