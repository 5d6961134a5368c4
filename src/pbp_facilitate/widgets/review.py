"""The community review: each goal's progress, chart and plain-words status (``review.ipynb``).

For a review meeting: per goal, a chart of the baseline, the straight target path and the
values for everyone and by group (groups withheld for small counts are not drawn), the status
in plain words in English or Spanish, and one line per group with its gap and trend. All the
numbers come from :func:`pbp_facilitate.goals.progress_report`; nothing hidden there is drawn
here.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..errors import PbpError
from ..goals import progress_report
from ..goals.progress_text import group_sentences, status_label, status_sentence
from ..i18n import gettext, ngettext
from ..settings import Settings, load_settings
from ..store import SessionRecord, Store, open_store
from ..text import esc, figure_html
from .common import error_html, interface_language, style_widget
from .session_picker import default_session

__all__ = ["ReviewPanel", "review_workbook", "progress_figure", "goal_review_html"]

_STATUS_COLOUR = {
    "met": "#1a7f37",
    "on_track": "#1a7f37",
    "off_track": "#b42318",
    "not_enough_data": "#6e7781",
}


def progress_figure(goal: dict[str, Any], lang: str = "en") -> Any:
    """A matplotlib figure of one goal's progress: baseline, target path, everyone, groups.

    Parameters
    ----------
    goal : dict
        One entry of ``progress_report(...)["goals"]``.
    lang : {"en", "es"}
        Language of the legend and axis labels.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (not shown; :class:`ReviewPanel` renders it as a PNG).
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 3.2), dpi=96)
    ax = fig.add_subplot(1, 1, 1)
    base = goal.get("baseline")
    target = goal.get("target")
    if base and target and base.get("at") is not None and target.get("at") is not None:
        ax.plot(
            [base["at"], target["at"]],
            [base["value"], target["value"]],
            linestyle="--",
            color="#6e7781",
            label=gettext(lang, "goals.progress_target_path"),
        )
        ax.scatter([target["at"]], [target["value"]], marker="*", s=90, color="#6e7781")
    series = goal.get("series") or []
    if series:
        ax.plot(
            [x["at"] for x in series],
            [x["value"] for x in series],
            marker="o",
            linewidth=2.5,
            color="#0b3d91",
            label=gettext(lang, "goals.progress_everyone"),
        )
    for g in goal.get("groups") or []:
        pts = g["series"]
        if pts:
            ax.plot([x["at"] for x in pts], [x["value"] for x in pts], marker=".", label=g["group"])
    ax.set_xlabel(gettext(lang, "goals.progress_period"))
    ax.set_ylabel(goal.get("unit") or gettext(lang, "goals.progress_value"))
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return fig


def goal_review_html(goal: dict[str, Any], lang: str = "en", *, chart: bool = True) -> str:
    """The review card of one goal: heading, status chip, sentence, chart, groups (escaped)."""
    status = goal["status"]
    label = status_label(status, lang)
    heading = gettext(lang, "goals.progress_heading", id=goal["goal_id"], text=goal.get("text", ""))
    parts = [
        '<div class="pbp-review-goal">',
        f"<h3>{esc(heading)}</h3>",
        f'<p><span class="pbp-chip" style="background:{_STATUS_COLOUR[status]};color:#fff">'
        f"{esc(label)}</span></p>",
    ]
    if not goal.get("has_data", True):
        parts.append(f"<p>{esc(gettext(lang, 'goals.progress_no_data'))}</p>")
    else:
        parts.append(f"<p>{esc(status_sentence(goal, lang))}</p>")
        if chart:
            parts.append(figure_html(progress_figure(goal, lang), status_sentence(goal, lang)))
        groups = group_sentences(goal, lang)
        if groups:
            parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in groups) + "</ul>")
        if goal.get("suppressed"):
            note = ngettext(lang, "goals.progress_suppressed", goal["suppressed"])
            parts.append(f'<p class="pbp-note">{esc(note)}</p>')
    parts.append("</div>")
    return "".join(parts)


class ReviewPanel(w.VBox):
    """Progress of a session's goals for a community review meeting.

    Parameters
    ----------
    store : Store
        The store.
    settings : Settings
        The kit's settings (``small_count``).
    code : str, optional
        Session to open (default the demo session, else the newest).
    lang : {"en", "es"}, optional
        Language of the review (switchable with the toggle); default
        ``settings.dashboard_language``.
    """

    def __init__(
        self, store: Store, settings: Settings, *, code: str | None = None, lang: str | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        self.session: SessionRecord | None = None
        self.report: dict[str, Any] = {"goals": []}
        self.language = w.ToggleButtons(
            options=[("English", "en"), ("Español", "es")],
            value=interface_language(settings, lang),
        )
        self.body = w.HTML()
        self.status = w.HTML()
        self.language.observe(lambda _c: self.render(), names="value")
        super().__init__([style_widget(), self.language, self.status, self.body])
        try:
            self.set_session(default_session(store, code))
        except PbpError as exc:
            self.status.value = error_html(str(exc))

    def set_session(self, session: SessionRecord | None) -> None:
        """Show ``session``'s goals (None: nothing to show)."""
        self.session = session
        self.refresh()

    def refresh(self) -> None:
        """Read the goals and their data again and redraw."""
        if self.session is None:
            self.report = {"goals": []}
        else:
            self.report = progress_report(
                self.store, self.session.id, small_count=int(self.settings.small_count)
            )
        self.render()

    def render(self) -> None:
        """Draw the review in the chosen language."""
        lang = self.language.value
        goals = self.report.get("goals", [])
        if not goals:
            self.body.value = f"<p>{esc(gettext(lang, 'goals.progress_no_goals'))}</p>"
            return
        self.body.value = "".join(goal_review_html(g, lang) for g in goals)


def review_workbook(
    code: str | None = None,
    *,
    lang: str | None = None,
    settings: Settings | None = None,
    store: Store | None = None,
) -> ReviewPanel:
    """Build the review panel from the settings (``PBP_DATABASE_URL``) for ``review.ipynb``."""
    settings = settings or load_settings()
    return ReviewPanel(store or open_store(settings), settings, code=code, lang=lang)
