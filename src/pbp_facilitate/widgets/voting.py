"""Dot voting: start a round on the current themes, watch the results as bars, close it.

A round started here votes on the session's current themes by id
(:func:`pbp_facilitate.themes.current.start_theme_vote`: what the store holds now, not what
this screen last drew), and the bars name each line by its theme's current label in the
panel's language (:func:`pbp_facilitate.themes.current.round_totals`), merged themes folded.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..errors import PbpError
from ..i18n import gettext, ngettext
from ..intake.turnout import turnout_signal
from ..settings import Settings
from ..store import SessionRecord, Store, VotingRound
from ..text import esc, text_html
from ..themes.current import ThemeState, current_themes, round_totals, start_theme_vote
from .common import ActorBox, error_html, interface_language, viewer_language

__all__ = ["VotingPanel", "bars_html"]


def bars_html(
    rows: list[tuple[str, int, int]], *, unit: str = "panels.dots", lang: str = "en"
) -> str:
    """Return horizontal bars for ``(label, value, voters)`` rows, largest first (labels
    escaped).

    ``unit`` is the counted catalogue key of a bar's value (``panels.dots``: "1 dot",
    "2 dots"), in ``lang``.
    """
    if not rows:
        return f'<div class="pbp-muted">{esc(gettext(lang, "dash.no_options"))}</div>'
    top = max(v for _, v, _ in rows) or 1
    out = []
    for label, value, voters in sorted(rows, key=lambda r: (-r[1], r[0])):
        pct = 100.0 * value / top
        out.append(
            f'<div class="pbp-bar-row"><div '
            f'class="pbp-bar-label">{text_html(label, cls="pbp-text pbp-bar-text")}</div>'
            f'<div class="pbp-bar-track"><div class="pbp-bar" style="width:{pct:.1f}%"></div></div>'
            f'<div class="pbp-bar-n" title="{esc(ngettext(lang, "panels.voters", voters))}">'
            f"{esc(ngettext(lang, unit, value))}</div></div>"
        )
    return f'<div class="pbp-bars">{"".join(out)}</div>'


class VotingPanel(w.VBox):
    """Start and close dot-voting rounds; live results.

    Parameters
    ----------
    store : Store
        The store.
    settings : Settings
        ``dots_per_participant`` is the default number of dots.
    actor : ActorBox, optional
        Who starts and closes rounds.
    lang : str, optional
        Language of the option labels on the bars (default the session's first language).
    ui_lang : str, optional
        Language of the panel's own words (buttons, counts, status lines); default
        ``settings.dashboard_language``.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        actor: ActorBox | None = None,
        lang: str | None = None,
        ui_lang: str | None = None,
    ) -> None:
        self.store = store
        self.ui_lang = t = interface_language(settings, ui_lang)
        self.actor = actor or ActorBox(ui_lang=t)
        self.lang = lang
        self.session: SessionRecord | None = None
        self.round: VotingRound | None = None
        self.totals: dict[str, Any] = {}
        self.themes_now = ThemeState(session_id=0, version=0)
        self.dots = w.BoundedIntText(
            value=settings.dots_per_participant,
            min=1,
            max=20,
            description=gettext(t, "dash.dots_each"),
            layout=w.Layout(width="160px"),
        )
        self.start_button = w.Button(
            description=gettext(t, "dash.start_voting"),
            icon="check-square-o",
            button_style="primary",
            layout=w.Layout(width="280px"),
        )
        self.close_button = w.Button(
            description=gettext(t, "dash.close_voting"), icon="lock", button_style="warning"
        )
        ui = self.ui_lang
        self.headcount = w.BoundedIntText(
            value=0,
            min=0,
            max=1_000_000,
            description=gettext(ui, "panels.vote_headcount"),
            tooltip=gettext(ui, "panels.vote_headcount_help"),
            style={"description_width": "initial"},
            layout=w.Layout(width="220px"),
        )
        self.headcount.observe(lambda _c: self.refresh(), names="value")
        self.turnout: dict[str, Any] = {}
        self.state = w.HTML()
        self.results = w.HTML()
        self.status = w.HTML()
        self.start_button.on_click(lambda _b: self.start())
        self.close_button.on_click(lambda _b: self.close_round())
        super().__init__(
            [
                w.HBox([self.dots, self.start_button, self.close_button, self.headcount]),
                self.status,
                self.state,
                self.results,
            ]
        )
        self.add_class("pbp-voting")

    def set_session(self, session: SessionRecord | None) -> None:
        """Show ``session``'s latest round."""
        self.session = session
        self.refresh()

    def start(self) -> VotingRound | None:
        """Open a round on the session's current themes that have ideas (any open round
        closes).
        """
        if self.session is None:
            return None
        try:
            r = start_theme_vote(
                self.store, self.session.id, dots=int(self.dots.value), actor=self.actor.actor
            )
        except PbpError as exc:
            self.status.value = error_html(str(exc))
            return None
        opened = ngettext(self.ui_lang, "panels.vote_open_on", len(r.options))
        self.status.value = f'<span class="pbp-ok">{esc(opened)}</span>'
        self.refresh()
        return r

    def close_round(self) -> None:
        """Close the open round.

        (Not ``close``: that is ipywidgets' own, called when the widget is garbage-collected,
        which must never end a live round.)
        """
        if self.round is None or self.round.status != "open":
            self.status.value = error_html(gettext(self.ui_lang, "dash.no_round_open"))
            return
        try:
            self.store.close_voting_round(self.round.id, actor=self.actor.actor)
        except PbpError as exc:
            self.status.value = error_html(str(exc))
            return
        self.status.value = (
            f'<span class="pbp-ok">{esc(gettext(self.ui_lang, "dash.voting_closed"))}</span>'
        )
        self.refresh()

    def rows(self, lang: str | None = None) -> list[tuple[str, int, int]]:
        """Return ``(label, dots, voters)`` per ballot line of the current round.

        ``label`` is the theme's current label in ``lang`` (default the panel's language);
        a theme merged into another counts on that one's line.
        """
        if self.round is None:
            return []
        lang = lang or viewer_language(self.session, self.lang)
        got = round_totals(self.store, self.round, self.themes_now, lang)
        return [(x["label"], x["dots"], x["voters"]) for x in got["themes"]]

    def voters(self) -> int:
        """Number of participants with a ballot in the current round."""
        return int(self.totals.get("voters", 0))

    def over_seen(self) -> bool:
        """True when the current round has more ballots than its reference: the headcount
        typed in the panel, else the people seen in the session before the round (see
        :func:`pbp_facilitate.turnout.turnout_signal`).
        """
        return bool(self.turnout.get("over"))

    def not_on_ballot(self) -> int:
        """How many current themes with ideas the open round does not offer (e.g. after a
        split); 0 when no round is open.
        """
        if self.round is None or self.round.status != "open" or not self.round.from_themes:
            return 0
        offered = {x["theme_id"] for x in self.totals.get("themes", [])}
        return sum(1 for t in self.themes_now.themes if t["size"] > 0 and t["id"] not in offered)

    def refresh(self) -> None:
        """Re-read the latest round and its totals; redraw the bars."""
        if self.session is None:
            self.round = None
            self.state.value = self.results.value = ""
            return
        self.round = self.store.current_voting_round(self.session.id)
        if self.round is None:
            self.totals = {}
            self.turnout = {}
            self.state.value = (
                f'<span class="pbp-muted">{esc(gettext(self.ui_lang, "panels.eq_no_votes"))}</span>'
            )
            self.results.value = ""
            self.close_button.disabled = True
            return
        self.themes_now = current_themes(self.store, self.session.id)
        self.totals = round_totals(
            self.store, self.round, self.themes_now, viewer_language(self.session, self.lang)
        )
        n = self.voters()
        used = int(self.totals["dots_cast"])
        t = self.ui_lang
        if self.round.status == "open":
            chip = f'<span class="pbp-chip pbp-chip-ok">{esc(gettext(t, "panels.eq_round_open"))}'
            chip += "</span>"
        else:
            chip = (
                f'<span class="pbp-chip pbp-chip-info">{esc(gettext(t, "panels.eq_round_closed"))}'
            )
            chip += "</span>"
        missing = self.not_on_ballot()
        ui = self.ui_lang
        self.turnout = turnout_signal(
            self.store.round_turnout(self.round.id), int(self.headcount.value or 0), ui
        )
        seen = ngettext(ui, "panels.vote_seen", self.turnout["people_seen"])
        self.state.value = (
            f'<div class="pbp-card-title">{esc(gettext(t, "dash.round", id=self.round.id))} '
            f"{chip} · "
            f"{esc(ngettext(self.ui_lang, 'panels.dots_each', self.round.dots))} · "
            f"{ngettext(self.ui_lang, 'panels.voters_bold', n)} · "
            f"{esc(ngettext(self.ui_lang, 'panels.dots_placed', used))} · {esc(seen)}</div>"
            + (
                f'<div class="pbp-warn">'
                f"{esc(ngettext(self.ui_lang, 'panels.not_on_ballot', missing))}</div>"
                if missing
                else ""
            )
            + (
                f'<div class="pbp-warn pbp-vote-over" role="status">'
                f"{esc(self.turnout['warning'])}</div>"
                if self.turnout["warning"]
                else ""
            )
        )
        html = bars_html(
            [(x["label"], x["dots"], x["voters"]) for x in self.totals["themes"]], lang=self.ui_lang
        )
        if self.results.value != html:
            self.results.value = html
        self.close_button.disabled = self.round.status != "open"
