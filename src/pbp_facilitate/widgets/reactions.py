"""The Reactions tab: open a reactions round, watch reactions come in, see the opinion groups.

Live parts: each idea's agree / disagree / pass bar and the participation count. The opinion
analysis (:func:`pbp_facilitate.opinions.session.session_opinions`, Polis's method) draws the
opinion map (one dot per participant, no names, coloured by group), the ideas agreed across all
groups and the divisive ones, and "who is in each group" (consented demographics, small counts
suppressed through :func:`pbp_facilitate.equity.suppress`). Every word comes from the
``opinions`` i18n area; participant text is escaped with :func:`pbp_facilitate.text.text_html`.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..errors import PbpError
from ..i18n import gettext, has_key, ngettext
from ..settings import Settings
from ..store import SessionRecord, Store
from ..text import esc, text_html
from .common import ActorBox, error_html, interface_language, viewer_language

__all__ = [
    "ReactionsPanel",
    "reaction_bars_html",
    "opinion_map_svg",
    "who_is_in_each_group_html",
    "groups_by_participant_key",
    "equity_opinion_groups_html",
]

COLOURS = ("#1b6ca8", "#d9822b", "#2e8540", "#8e44ad", "#c0392b")
UNPLACED = "#b0b0b0"


def _t(lang: str, key: str, **kw: Any) -> str:
    return gettext(lang, f"opinions.{key}", **kw)


def _dimension_label(key: str, lang: str) -> str:
    """A demographic question's name in ``lang`` (what
    :func:`pbp_facilitate.equity.dimension_name` says, without loading the equity package and
    pandas before the tab is shown)."""
    name = gettext(lang, f"equity.dim_{key}") if has_key(f"equity.dim_{key}") else key
    return name.replace("_", " ")


def reaction_bars_html(rows: list[tuple[str, dict[str, int]]], lang: str) -> str:
    """Stacked agree / disagree / pass bars for ``(idea text, counts)`` rows, most reacted first."""
    if not rows:
        return f'<div class="pbp-muted">{esc(_t(lang, "none_yet"))}</div>'
    out = []
    for text, c in sorted(rows, key=lambda r: (-sum(r[1].values()), r[0])):
        n = sum(c.values()) or 1
        segs = "".join(
            f'<div style="width:{100 * c[k] / n:.1f}%;background:{col};height:12px"></div>'
            for k, col in (("agree", "#2e8540"), ("disagree", "#c0392b"), ("pass", "#b0b0b0"))
        )
        label = _t(lang, "bar_label", agree=c["agree"], disagree=c["disagree"], passes=c["pass"])
        out.append(
            f'<div class="pbp-bar-row"><div class="pbp-bar-label">'
            f"{text_html(text, cls='pbp-text pbp-bar-text')}</div>"
            f'<div class="pbp-bar-track" style="display:flex" role="img" '
            f'aria-label="{esc(label)}">{segs}</div>'
            f'<div class="pbp-bar-n">{esc(label)}</div></div>'
        )
    return f'<div class="pbp-bars">{"".join(out)}</div>'


def opinion_map_svg(participants: list[dict[str, Any]], lang: str, size: int = 320) -> str:
    """An SVG scatter of participants (``x``, ``y``, ``group``), coloured by group, no names."""
    if not participants:
        return ""
    xs = [p["x"] for p in participants]
    ys = [p["y"] for p in participants]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    pad = 12
    dots = []
    for p in sorted(participants, key=lambda p: p["group"] is not None):
        x = pad + (p["x"] - cx + span / 2) / span * (size - 2 * pad)
        y = pad + (cy + span / 2 - p["y"]) / span * (size - 2 * pad)
        col = COLOURS[p["group"] % len(COLOURS)] if p["group"] is not None else UNPLACED
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{col}" fill-opacity="0.75"/>')
    groups = sorted({p["group"] for p in participants if p["group"] is not None})
    legend = " ".join(
        f'<span style="color:{COLOURS[g % len(COLOURS)]}">●</span> '
        f"{esc(_t(lang, 'group', g=g + 1))}"
        for g in groups
    )
    if any(p["group"] is None for p in participants):
        legend += f' <span style="color:{UNPLACED}">●</span> {esc(_t(lang, "not_placed"))}'
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 {size} {size}" role="img" '
        f'aria-label="{esc(_t(lang, "map_title"))}" style="border:1px solid #ddd">'
        f'{"".join(dots)}</svg><div class="pbp-muted">{legend}</div>'
        f'<div class="pbp-muted">{esc(_t(lang, "map_note"))}</div>'
    )


def _idea_list(items: list[dict[str, Any]], lang: str) -> str:
    if not items:
        return f'<div class="pbp-muted">{esc(_t(lang, "none_yet"))}</div>'
    rows = []
    for it in items:
        shares = " · ".join(
            f"{esc(_t(lang, 'group', g=g + 1))}: {esc(_t(lang, 'agree_share', share=f'{p:.0%}'))}"
            for g, p in enumerate(it["group_agree"])
        )
        rows.append(
            f'<li>{text_html(it.get("text") or "")}<br><span class="pbp-muted">{shares}</span></li>'
        )
    return f"<ul>{''.join(rows)}</ul>"


def who_is_in_each_group_html(
    store: Store,
    session: SessionRecord,
    groups_by_key: dict[str, int | None],
    dimension: str,
    *,
    small_count: int,
    lang: str,
) -> str:
    """ "Who is in each opinion group" on ``dimension``: consented demographics only, small
    counts suppressed (none shown or derivable)."""
    from ..equity import dimension_name, opinion_group_breakdown, suppress
    from ._equity_view import equity_table_html

    if not any(g is not None for g in groups_by_key.values()):
        return f'<div class="pbp-muted">{esc(_t(lang, "who_none"))}</div>'
    names = {
        g: _t(lang, "group", g=g + 1) for g in {g for g in groups_by_key.values() if g is not None}
    }
    table = opinion_group_breakdown(
        groups_by_key,
        store.participants_frame(session.id),
        dimension,
        group_names=names,
        small_count=small_count,
    )
    shown = suppress(table, small_count, lang=lang)
    return (
        f'<div class="pbp-card-title">{esc(_t(lang, "who_title"))} · '
        f"{esc(dimension_name(dimension, lang))}</div>"
        + equity_table_html(shown, caption=_t(lang, "who_note", k=small_count), lang=lang)
    )


class ReactionsPanel(w.VBox):
    """Open and close reactions rounds; live bars, the opinion map, consensus and divisive ideas.

    Parameters
    ----------
    store : Store
        The store.
    settings : Settings
        ``small_count`` for "who is in each group".
    actor : ActorBox, optional
        Who opens and closes rounds.
    lang : str, optional
        Language the prompts are listed in (default the session's first language), and of the
        panel's words when ``ui_lang`` is not given.
    ui_lang : str, optional
        Language of the panel's own words; default ``lang``, else
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
        self.settings = settings
        self.ui_lang = interface_language(settings, ui_lang or lang)
        self.actor = actor or ActorBox(ui_lang=self.ui_lang)
        self.lang = lang
        self.session: SessionRecord | None = None
        self.data: dict[str, Any] | None = None
        self.prompt = w.Dropdown(layout=w.Layout(width="360px"))
        self.open_button = w.Button(button_style="primary", icon="comments")
        self.close_button = w.Button(button_style="warning", icon="lock")
        self.refresh_button = w.Button(icon="refresh")
        self.dimension = w.Dropdown(layout=w.Layout(width="260px"))
        self.status = w.HTML()
        self.state = w.HTML()
        self.bars = w.HTML()
        self.map = w.HTML()
        self.consensus = w.HTML()
        self.divisive = w.HTML()
        self.who = w.HTML()
        self.open_button.on_click(lambda _b: self.open_round())
        self.close_button.on_click(lambda _b: self.close_round())
        self.refresh_button.on_click(lambda _b: self.refresh(analyse=True))
        self.dimension.observe(lambda _c: self._show_who(), names="value")
        super().__init__(
            [
                w.HBox([self.prompt, self.open_button, self.close_button, self.refresh_button]),
                self.status,
                self.state,
                self.bars,
                w.HBox([self.map, w.VBox([self.consensus, self.divisive])]),
                self.dimension,
                self.who,
            ]
        )
        self.add_class("pbp-reactions")
        self._groups_by_key: dict[str, int | None] = {}

    @property
    def viewer_lang(self) -> str:
        """Language of the panel's words (:attr:`ui_lang`)."""
        return self.ui_lang

    def set_session(self, session: SessionRecord | None) -> None:
        """Show ``session``'s reactions."""
        self.session = session
        lang = self.viewer_lang
        self.open_button.description = _t(lang, "open_button")
        self.close_button.description = _t(lang, "close_button")
        self.refresh_button.description = _t(lang, "refresh")
        self.prompt.description = _t(lang, "prompt_label")
        self.dimension.description = ""
        if session is not None:
            self.prompt.options = [(_t(lang, "all_prompts"), None)] + [
                (p.text_for(viewer_language(session, self.lang) or "en")[:60], p.id)
                for p in self.store.list_prompts(session.id)
            ]
            self.dimension.options = [
                (_dimension_label(q.key, lang), q.key) for q in session.survey.demographics
            ]
        # the analysis (scikit-learn) waits until the tab is shown or Refresh is pressed, so
        # the dashboard draws first
        self.map.value = self.consensus.value = self.divisive.value = self.who.value = ""
        self.refresh(analyse=False)

    def open_round(self) -> None:
        """Open a reactions round for the chosen prompt (any open round closes)."""
        if self.session is None:
            return
        try:
            self.store.open_reactions(self.session.id, self.prompt.value, actor=self.actor.actor)
        except PbpError as exc:
            self.status.value = error_html(str(exc))
            return
        self.status.value = ""
        self.refresh()

    def close_round(self) -> None:
        """Close the open reactions round (not ``close``: that is the widget's own)."""
        if self.session is None:
            return
        try:
            self.store.close_reactions(self.session.id, actor=self.actor.actor)
        except PbpError as exc:
            self.status.value = error_html(str(exc))
            return
        self.refresh()

    def refresh(self, *, analyse: bool = True) -> None:
        """Re-read the round and the counts; with ``analyse`` recompute the opinion groups."""
        lang = self.viewer_lang
        if self.session is None:
            self.state.value = self.bars.value = self.map.value = ""
            return
        rnd = self.store.current_reactions_round(self.session.id)
        if rnd is None:
            self.state.value = f'<span class="pbp-muted">{esc(_t(lang, "round_none"))}</span>'
        elif rnd.status == "open":
            label = dict((v, k) for k, v in self.prompt.options).get(rnd.prompt_id) or _t(
                lang, "all_prompts"
            )
            self.state.value = (
                f'<span class="pbp-chip pbp-chip-ok">{esc(_t(lang, "round_open", prompt=label))}'
                "</span>"
            )
        else:
            self.state.value = f'<span class="pbp-muted">{esc(_t(lang, "round_closed"))}</span>'
        self.close_button.disabled = rnd is None or rnd.status != "open"
        pid = rnd.prompt_id if rnd is not None else None
        subs = {s.id: s for s in self.store.list_submissions(self.session.id, prompt_id=pid)}
        counts = self.store.reaction_counts(self.session.id, prompt_id=pid)
        rows = [(subs[sid].text, c) for sid, c in counts.items() if sid in subs]
        self.bars.value = (
            f'<div class="pbp-card-title">{esc(_t(lang, "bars_title"))}</div>'
            + reaction_bars_html(rows, lang)
        )
        if analyse and counts:  # nothing to analyse (and no scikit-learn to load) before reactions
            self._analyse(pid)
        elif not counts:
            self.map.value = self.consensus.value = self.divisive.value = self.who.value = ""

    def _analyse(self, prompt_id: int | None) -> None:
        from ..opinions.session import opinions_json, session_opinions

        lang = self.viewer_lang
        assert self.session is not None
        try:
            analysis, subs = session_opinions(self.store, self.session.id, prompt_id=prompt_id)
        except PbpError as exc:
            self.map.value = error_html(_t(lang, "error", error=str(exc)))
            return
        self.data = data = opinions_json(analysis, subs)
        people = data["n_participants"]
        participation = _t(
            lang,
            "participation",
            votes=ngettext(lang, "opinions.n_reactions", data["n_votes"]),
            people=ngettext(lang, "opinions.n_participants", people),
            ideas=ngettext(lang, "opinions.n_ideas", data["n_ideas"]),
        )
        if data["n_groups"] == 0:
            self.map.value = (
                f"<p>{esc(participation)}</p>"
                f'<p class="pbp-muted">{esc(_t(lang, "no_groups", min_votes=7))}</p>'
            )
        else:
            sizes = ", ".join(
                f"{_t(lang, 'group', g=g['id'] + 1)}: "
                f"{ngettext(lang, 'opinions.people', g['size'])}"
                for g in data["groups"]
            )
            self.map.value = (
                f'<div class="pbp-card-title">{esc(_t(lang, "map_title"))}</div>'
                f"<p>{esc(participation)}<br>{esc(sizes)}</p>"
                + opinion_map_svg(data["participants"], lang)
            )
        self.consensus.value = (
            f'<div class="pbp-card-title">{esc(_t(lang, "consensus_title"))}</div>'
            + _idea_list(data["consensus"], lang)
        )
        self.divisive.value = (
            f'<div class="pbp-card-title">{esc(_t(lang, "divisive_title"))}</div>'
            + _idea_list(data["divisive"], lang)
        )
        from ..opinions.session import participant_label

        label_group = {p["participant"]: p["group"] for p in data["participants"]}
        self._groups_by_key = {
            key: label_group.get(participant_label(key, ref))
            for key, ref, _, _ in self.store.list_reactions(self.session.id, prompt_id=prompt_id)
        }
        self._show_who()

    def _show_who(self) -> None:
        if self.session is None or not self.dimension.value:
            self.who.value = ""
            return
        self.who.value = who_is_in_each_group_html(
            self.store,
            self.session,
            self._groups_by_key,
            str(self.dimension.value),
            small_count=self.settings.small_count,
            lang=self.viewer_lang,
        )


def groups_by_participant_key(
    store: Store, session_id: int, prompt_id: int | None = None
) -> dict[str, int | None]:
    """Run the session's opinion analysis; return ``{participant_key: group or None}``
    (empty, without loading scikit-learn, when there are no reactions)."""
    rows = store.list_reactions(session_id, prompt_id=prompt_id)
    if not rows:
        return {}
    from ..opinions.session import participant_label, session_opinions

    analysis, _ = session_opinions(store, session_id, prompt_id=prompt_id)
    by_label = analysis.participant_groups()
    return {key: by_label.get(participant_label(key, ref)) for key, ref, _, _ in rows}


def equity_opinion_groups_html(
    store: Store, session: SessionRecord, dimension: str, *, small_count: int, lang: str
) -> str:
    """The equity panel's "who is in each opinion group" tab for ``dimension``."""
    if not dimension:
        return ""
    return who_is_in_each_group_html(
        store,
        session,
        groups_by_participant_key(store, session.id),
        dimension,
        small_count=small_count,
        lang=lang,
    )
