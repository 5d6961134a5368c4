"""Goal drafting with live SMART + equity feedback, linked themes and draft/agreed status."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..errors import PbpError
from ..goals import check_goal
from ..goals.records import indicator_for
from ..goals.report import criteria_html
from ..i18n import gettext, has_key
from ..settings import Settings, load_settings
from ..store import GoalRecord, SessionRecord, Store, open_store
from ..text import esc, shorten, text_html
from ..themes.display import theme_label
from .common import ActorBox, error_html, interface_language, style_widget, viewer_language
from .session_picker import SessionPicker

__all__ = ["GoalEditor", "goal_workbook", "criteria_html", "session_themes"]


def session_themes(store: Store, session_id: int) -> list[dict[str, Any]]:
    """Return the session's latest themes as ``{"id", "label", "labels", "terms", "size"}`` (empty
    before a fit).

    ``label`` (the default) is what the goal checker matches; the editor shows
    ``theme_label(theme, lang)``.
    """
    snap = store.latest_theme_snapshot(session_id) or {}
    out = []
    for th in snap.get("themes", []):
        out.append(
            {
                "id": int(th["id"]),
                "label": str(th["label"]),
                "labels": dict(th.get("labels") or {}),
                "size": int(th.get("size", 0)),
                "terms": [str(t[0]) for t in th.get("terms", [])][:15],
            }
        )
    return sorted(out, key=lambda t: t["id"])


class GoalEditor(w.VBox):
    """Draft, check, link and save a session's goals.

    Parameters
    ----------
    store : Store
        The store.
    settings : Settings
        The kit's settings.
    code : str, optional
        Session to open first (default the demo session, else the newest).
    ui_lang : str, optional
        Language of the editor's own words and of the goal checks shown; default
        ``settings.dashboard_language``.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        code: str | None = None,
        ui_lang: str | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.ui_lang = t = interface_language(settings, ui_lang)
        self.actor = ActorBox(ui_lang=t)
        self.session: SessionRecord | None = None
        self.goals: list[GoalRecord] = []
        self.goal_id: int | None = None
        self.report: dict[str, Any] = {}
        self.matched: list[str] = []
        self.rewrite = ""
        self.theme_list: list[dict[str, Any]] = []
        labelled = {"description_width": "initial"}  # a visible label names the list
        self.goal_list = w.Select(
            rows=10,
            description=gettext(t, "panels.goal_list"),
            style=labelled,
            layout=w.Layout(width="100%"),
        )
        self.new_button = w.Button(description=gettext(t, "dash.new_goal"), icon="plus")
        self.text = w.Textarea(
            placeholder=gettext(t, "dash.goal_hint"),
            continuous_update=True,
            layout=w.Layout(width="98%", height="90px"),
        )
        self.themes = w.SelectMultiple(
            rows=6,
            description=gettext(t, "panels.goal_themes"),
            style=labelled,
            layout=w.Layout(width="98%"),
        )
        self.link_suggested = w.Button(
            description=gettext(t, "dash.link_suggested"),
            icon="link",
            layout=w.Layout(width="auto"),
        )
        self.status_toggle = w.ToggleButtons(
            options=[(gettext(t, f"dash.goal_{v}"), v) for v in ("draft", "agreed")], value="draft"
        )
        self.save_button = w.Button(
            description=gettext(t, "dash.save_goal"), icon="save", button_style="primary"
        )
        self.delete_button = w.Button(
            description=gettext(t, "dash.delete"), icon="trash", button_style="danger"
        )
        self.use_rewrite = w.Button(
            description=gettext(t, "dash.use_rewrite"), icon="magic", layout=w.Layout(width="auto")
        )
        self.feedback = w.HTML()
        self.rewrite_html = w.HTML()
        self.relevance = w.HTML()
        self.status = w.HTML()
        self.picker = SessionPicker(store, settings, code=code, compact=True, ui_lang=t)
        self.text.observe(lambda _c: self.check(), names="value")
        self.themes.observe(lambda _c: self.check(), names="value")
        self.themes.add_class("pbp-goal-themes")
        self.goal_list.observe(self._pick, names="value")
        self.new_button.on_click(lambda _b: self.new())
        self.save_button.on_click(lambda _b: self.save())
        self.delete_button.on_click(lambda _b: self.delete())
        self.use_rewrite.on_click(lambda _b: self.apply_rewrite())
        self.link_suggested.on_click(lambda _b: self.link_matched())
        editor = w.VBox(
            [
                w.HTML(f"<b>{esc(gettext(t, 'dash.goal_heading'))}</b>"),
                self.text,
                self.feedback,
                self.rewrite_html,
                w.HBox([self.use_rewrite]),
                w.HTML(gettext(t, "dash.goal_themes_heading")),
                self.themes,
                self.relevance,
                w.HBox([self.link_suggested]),
                w.HBox([self.status_toggle, self.save_button, self.delete_button]),
                self.status,
            ],
            layout=w.Layout(flex="2 1 0", min_width="0", padding="0 0 0 12px"),
        )
        left = w.VBox(
            [
                w.HTML(f"<b>{esc(gettext(t, 'dash.session_goals'))}</b>"),
                self.goal_list,
                self.new_button,
            ],
            layout=w.Layout(flex="1 1 0", min_width="0"),
        )
        super().__init__(
            [style_widget(), w.HBox([self.picker, self.actor]), w.HBox([left, editor])]
        )
        self.add_class("pbp-dash")
        self.add_class("pbp-goals")
        self.picker.on_change(self.set_session)
        self.set_session(self.picker.session)

    # -- session and list ------------------------------------------------------------------------

    def set_session(self, session: SessionRecord | None) -> None:
        """Edit ``session``'s goals."""
        self.session = session
        self.theme_list = session_themes(self.store, session.id) if session else []
        if session is not None and not self.theme_list and self.store.count_submissions(session.id):
            # No dashboard has fitted this session yet: fit once so goals can be linked to themes.
            from .themeboard import compute_themes

            try:
                compute_themes(self.store, session.id, clouds=False)
            except PbpError as exc:
                self.status.value = error_html(
                    gettext(self.ui_lang, "dash.themes_not_found", e=exc)
                )
            self.theme_list = session_themes(self.store, session.id)
        lang = viewer_language(session)
        self.themes.options = [
            (shorten(theme_label(t, lang), 60), t["id"]) for t in self.theme_list
        ]
        self.reload()
        self.new()

    def reload(self) -> None:
        """Re-read the goal list."""
        self.goals = self.store.list_goals(self.session.id) if self.session else []
        opts = [(f"[{self._status(g.status)}] {shorten(g.text, 70)}", g.id) for g in self.goals]
        keep = self.goal_list.value
        self.goal_list.options = opts
        if keep in {o[1] for o in opts}:
            self.goal_list.value = keep

    def _status(self, status: str) -> str:
        """A goal status (``draft``, ``agreed``) in the interface language."""
        key = f"dash.status_{status}"
        return gettext(self.ui_lang, key) if has_key(key) else status

    def _pick(self, change: dict) -> None:
        if change["new"] is not None:
            self.load(change["new"])

    def load(self, goal_id: int) -> None:
        """Put stored goal ``goal_id`` in the editor."""
        g = next((x for x in self.goals if x.id == goal_id), None)
        if g is None:
            self.status.value = error_html(gettext(self.ui_lang, "dash.goal_missing", id=goal_id))
            return
        self.goal_id = g.id
        known = {t["id"] for t in self.theme_list}
        self.themes.value = tuple(i for i in g.theme_ids if i in known)
        self.status_toggle.value = g.status
        self.text.value = g.text
        self.check()
        editing = gettext(self.ui_lang, "dash.editing_goal", id=g.id, status=self._status(g.status))
        self.status.value = f'<span class="pbp-muted">{esc(editing)}</span>'

    def new(self) -> None:
        """Start a new, empty goal."""
        self.goal_id = None
        self.goal_list.value = None
        self.text.value = ""
        self.themes.value = ()
        self.status_toggle.value = "draft"
        self.check()
        self.status.value = ""

    # -- checking --------------------------------------------------------------------------------

    def _linked_themes(self) -> list[dict[str, Any]]:
        chosen = set(self.themes.value)
        pool = [t for t in self.theme_list if t["id"] in chosen] or self.theme_list
        return [{"label": t["label"], "terms": t["terms"]} for t in pool]

    def check(self) -> dict[str, Any]:
        """Check the goal text now (SMART + equity) and show chips, reasons and the rewrite."""
        text = self.text.value.strip()
        if not text:
            self.report, self.matched, self.rewrite = {}, [], ""
            self.feedback.value = (
                f'<span class="pbp-muted">{esc(gettext(self.ui_lang, "dash.type_goal"))}</span>'
            )
            self.rewrite_html.value = self.relevance.value = ""
            self.use_rewrite.disabled = self.link_suggested.disabled = True
            return {}
        try:
            rep = check_goal(text, themes=self._linked_themes() or None)
        except PbpError as exc:
            self.feedback.value = error_html(str(exc))
            return {}
        self.report = rep.to_dict()
        self.matched = list(rep.matched_themes)
        self.rewrite = rep.rewrite
        verdict = {
            "ready": "pbp-chip-ok",
            "needs work": "pbp-chip-warn",
            "not a goal": "pbp-chip-bad",
        }
        t = self.ui_lang
        verdict_key = "goals.verdict_" + rep.verdict.replace(" ", "_")
        said = gettext(t, verdict_key) if has_key(verdict_key) else rep.verdict
        self.feedback.value = (
            f'<div><span class="pbp-chip {verdict.get(rep.verdict, "pbp-chip-info")} '
            f'pbp-verdict">{esc(said)} · {esc(gettext(t, "dash.core_score", score=rep.score))}'
            "</span></div>" + criteria_html(self.report, language=t)
        )
        same = " ".join(rep.rewrite.split()) == " ".join(text.split())
        self.rewrite_html.value = (
            ""
            if same
            else f'<div class="pbp-card"><span class="pbp-muted">'
            f"{esc(gettext(t, 'dash.rewrite_note'))}</span><br>{text_html(rep.rewrite)}</div>"
        )
        self.use_rewrite.disabled = same
        ids = self.matched_ids()
        if ids:
            lang = viewer_language(self.session)
            names = ", ".join(
                text_html(theme_label(t, lang)) for t in self.theme_list if t["id"] in ids
            )
            self.relevance.value = (
                f'<span class="pbp-chip pbp-chip-info">{esc(gettext(t, "dash.addresses_chip"))}'
                f"</span> {names}"
            )
        elif self.theme_list:
            self.relevance.value = (
                f'<span class="pbp-chip pbp-chip-warn">{esc(gettext(t, "dash.no_match_chip"))}'
                f'</span> <span class="pbp-muted">{esc(gettext(t, "dash.link_hint"))}</span>'
            )
        else:
            self.relevance.value = (
                f'<span class="pbp-muted">{esc(gettext(t, "dash.no_themes_yet"))}</span>'
            )
        self.link_suggested.disabled = not (set(ids) - set(self.themes.value))
        return self.report

    def matched_ids(self) -> list[int]:
        """Ids of the session themes the checker says the goal addresses."""
        names = set(self.matched)
        return [t["id"] for t in self.theme_list if t["label"] in names]

    def link_matched(self) -> None:
        """Add the themes the checker matched to the linked themes."""
        self.themes.value = tuple(sorted(set(self.themes.value) | set(self.matched_ids())))

    def apply_rewrite(self) -> None:
        """Replace the text with the suggested rewrite (fill in the brackets next)."""
        if self.rewrite:
            self.text.value = self.rewrite

    # -- saving ----------------------------------------------------------------------------------

    def save(self) -> GoalRecord | None:
        """Save the goal with its status, linked themes and latest check."""
        if self.session is None:
            self.status.value = error_html(gettext(self.ui_lang, "dash.choose_session"))
            return None
        report = self.check()
        status = self.status_toggle.value
        previous = next((x.indicator for x in self.goals if x.id == self.goal_id), None)
        try:
            indicator = indicator_for(self.text.value, previous)
            g = self.store.save_goal(
                self.session.id,
                self.text.value,
                status=status,
                theme_ids=list(self.themes.value),
                check=report,
                goal_id=self.goal_id,
                indicator=indicator,
                actor=self.actor.actor,
            )
        except PbpError as exc:
            self.status.value = error_html(str(exc))
            return None
        self.goal_id = g.id
        self.reload()
        self.goal_list.value = g.id
        warn = ""
        if (
            status == "agreed"
            and report
            and not all(
                report["criteria"][c]["passed"]
                for c in ("specific", "measurable", "time_bound", "equity")
            )
        ):
            warn = gettext(self.ui_lang, "dash.agreed_warn")
        saved = gettext(self.ui_lang, "dash.goal_saved", id=g.id, status=self._status(g.status))
        self.status.value = f'<span class="pbp-ok">{esc(saved)}{esc(warn)}</span>'
        return g

    def delete(self) -> None:
        """Delete the goal in the editor."""
        if self.goal_id is None:
            self.new()
            return
        try:
            self.store.delete_goal(self.goal_id, actor=self.actor.actor)
        except PbpError as exc:
            self.status.value = error_html(str(exc))
            return
        self.reload()
        self.new()
        self.status.value = (
            f'<span class="pbp-ok">{esc(gettext(self.ui_lang, "dash.goal_deleted"))}</span>'
        )


def goal_workbook(
    code: str | None = None,
    *,
    settings: Settings | None = None,
    store: Store | None = None,
    ui_lang: str | None = None,
) -> GoalEditor:
    """Build the goal editor from the settings (``PBP_DATABASE_URL``) for
    ``workbooks/goals.ipynb`` (``ui_lang`` default ``settings.dashboard_language``).
    """
    settings = settings or load_settings()
    return GoalEditor(store or open_store(settings), settings, code=code, ui_lang=ui_lang)
