"""A series roll-up: one picture of a partnership's sessions (town halls, a youth session, a
survey) from the same data the session summaries read.

:func:`load_series` reads every session of a series once (:func:`.sections.load_summary`), and
the sections below are rendered in each language through :class:`.sections.Report`, exactly as a
session summary is (the template ``workbooks/series.ipynb``): participation per session and in
total, who took part across the series against the community, themes fitted over all the series'
input (which sessions, and which groups, raised each), votes where several sessions voted on the
same themes, agreed goals, and what changed between the first and the latest session.

Small counts across sessions: a series count is the sum of the sessions' counts, and each
session's summary may show its own. A series cell is shown only when what remains after
subtracting every session's count that could be shown (``>= small_count``) is zero or itself at
least ``small_count`` (:func:`series_safe`), so no hidden count of one session can be worked out
by subtracting its table from the series'. Groups that fail are pooled, and a pool that fails
too is not shown (:func:`safe_groups`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..clock import utcnow_iso
from ..i18n import gettext, ngettext
from ..text import esc, figure_html, shorten, table_html
from ..themes.display import theme_label
from .sections import Section
from .sections._base import (
    _BLUE,
    _caution,
    _charts,
    _figure,
    _note,
    _num,
    _p,
    _tn,
    _ul,
    _when,
)

__all__ = [
    "SeriesData",
    "load_series",
    "series_safe",
    "safe_groups",
    "series_header_section",
    "series_participation_section",
    "series_representation_section",
    "series_themes_section",
    "series_voting_section",
    "series_goals_section",
    "series_changes_section",
    "SERIES_SECTIONS",
]


def _t(data: Any, key: str, **values: Any) -> str:
    """The catalogue string ``key`` (a full ``summaries.*`` key) in the roll-up's language."""
    return gettext(data.lang, key, **values)


# -- disclosure across sessions ---------------------------------------------------------------


def series_safe(components: Sequence[int], k: int) -> bool:
    """True when a series count made of per-session ``components`` may be shown.

    It may when it is at least ``k`` and the part a reader cannot see in any session's own
    summary (the components under ``k``) is zero or at least ``k``.
    """
    total = sum(int(c) for c in components)
    rest = sum(int(c) for c in components if c < k)
    return total >= k and (rest == 0 or rest >= k)


def safe_groups(
    counts: Mapping[str, Sequence[int]], k: int
) -> tuple[list[tuple[str, int]], int | None]:
    """Groups whose series count may be shown, and the rest pooled (``None``: not showable).

    Parameters
    ----------
    counts : mapping
        ``{group: [count in session 1, count in session 2, ...]}``.
    k : int
        Disclosure threshold.

    Returns
    -------
    (kept, pooled)
        ``kept`` largest first; ``pooled`` the other groups together, 0 when there are none,
        ``None`` when they exist but cannot be shown safely (then nothing else about them is).
    """
    kept = sorted(
        ((g, sum(c)) for g, c in counts.items() if series_safe(c, k)), key=lambda x: -x[1]
    )
    names = {g for g, _ in kept}

    def pool_parts() -> list[int]:
        return [int(x) for g, c in counts.items() if g not in names for x in c]

    while True:
        parts = pool_parts()
        if sum(parts) == 0:
            return kept, 0
        if series_safe(parts, k):
            return kept, sum(parts)
        if not kept:
            return [], None
        names.discard(kept.pop()[0])


# -- data ------------------------------------------------------------------------------------


@dataclass
class SeriesData:
    """Everything a series roll-up shows: the series and each session's :class:`SummaryData`.

    Attributes
    ----------
    series : SeriesRecord
        The series (name, title, sessions in order).
    sessions : list of SummaryData
        One per session, in the series' order.
    lang : str
        Language of every word of the roll-up.
    """

    settings: Any
    series: Any
    sessions: list[Any]
    output_dir: Path | None
    generated_at: str
    lang: str = "en"
    _themes: Any = None
    _themes_error: str | None = None
    _assign: dict[str, int] = field(default_factory=dict)

    @property
    def small_count(self) -> int:
        """Disclosure threshold from the settings."""
        return int(self.settings.small_count)

    @property
    def offered_languages(self) -> list[str]:
        """Every language any session of the series offers, first session's first."""
        return list(dict.fromkeys(x for d in self.sessions for x in d.session.languages))

    @property
    def visible(self) -> list[Any]:
        """Every visible idea of the series."""
        return [s for d in self.sessions for s in d.visible]

    def themes(self) -> Any:
        """Themes fitted over all the series' visible input (fit once, then shared), or None."""
        if self._themes is None and self._themes_error is None:
            from ..errors import PbpError
            from ..themes.session import fit_session_themes

            vis = self.visible
            if not vis:
                self._themes_error = _t(self, "summaries.themes_no_ideas")
                return None
            try:
                self._themes = fit_session_themes(
                    [s.text for s in vis],
                    [s.id for s in vis],
                    prompts=[p for d in self.sessions for p in d.prompts],
                    languages=self.offered_languages,
                )
                pairs = zip(self._themes.ids_, self._themes.theme_ids_, strict=True)
                self._assign.update({str(i): int(t) for i, t in pairs})
            except PbpError as exc:
                self._themes_error = _t(self, "summaries.themes_failed", error=exc)
        return self._themes


def load_series(
    series_id: int | str, database_url: str = "", output_dir: str = "", lang: str = "en"
) -> SeriesData:
    """Read a series and every one of its sessions (``series_id`` 0: the newest series).

    Raises
    ------
    NotFoundError
        When the series does not exist.
    """
    from ..settings import load_settings
    from ..store import open_store
    from .sections import load_summary

    settings = load_settings({"database_url": database_url or None})
    with open_store(settings) as store:
        if series_id in (0, "", "0"):
            every = store.list_series()
            if not every:
                from ..errors import NotFoundError

                raise NotFoundError(
                    "The database has no series; expected at least one. Create one with "
                    "'pbp series create NAME --session CODE --session CODE'."
                )
            series_id = max(every, key=lambda x: x.id).id
        series = store.get_series(series_id)
    sessions = [load_summary(sid, database_url, "", lang) for sid in series.session_ids]
    return SeriesData(
        settings=settings,
        series=series,
        sessions=sessions,
        output_dir=Path(output_dir) if output_dir else None,
        generated_at=utcnow_iso(),
        lang=lang or "en",
    )


def _session_name(d: Any) -> str:
    return f"{d.session.title} ({d.session.code})"


def _first_day(data: SeriesData, d: Any) -> str:
    times = sorted(s.created_at for s in d.visible)
    return _when(data, times[0] if times else d.session.created_at).split(",")[0]


# -- sections --------------------------------------------------------------------------------


class _Header(Section):
    def to_html(self) -> str:
        return self.html


def series_header_section(data: SeriesData) -> Section:
    """The roll-up's heading: the series' title, its sessions and dates."""
    s = data.series
    days = [_first_day(data, d) for d in data.sessions]
    span = days[0] if len(set(days)) <= 1 else f"{days[0]} – {days[-1]}"
    date = _t(data, "summaries.series_date", n=len(data.sessions), when=span)
    intro = _t(data, "summaries.series_intro", k=data.small_count)
    html_ = (
        f'<header class="pbp-header"><h1>{esc(s.title)}</h1>'
        f'<p class="pbp-date">{esc(date)}</p><p>{esc(intro)}</p></header>'
    )
    return _Header(s.title, html_, intro, {"heading": {"title": s.title}}, "header")


@_charts
def series_participation_section(data: SeriesData) -> Section:
    """Ideas, participants and consent per session and in total."""
    from ..equity import count_consented

    rows, figures = [], []
    for d in data.sessions:
        n_people = int(len(d.participants))
        row = (
            _session_name(d),
            _first_day(data, d),
            len(d.visible),
            n_people,
            count_consented(d.participants),
        )
        rows.append(row)
        figures.append(
            {"code": d.session.code, "ideas": row[2], "participants": row[3], "consented": row[4]}
        )
    total = (
        _t(data, "summaries.series_total"),
        "",
        sum(r[2] for r in rows),
        sum(r[3] for r in rows),
        sum(r[4] for r in rows),
    )
    shown = [(*r[:2], *(_num(data, x) for x in r[2:])) for r in [*rows, total]]
    header = [
        _t(data, "summaries.col_session"),
        _t(data, "summaries.row_when"),
        _t(data, "summaries.col_ideas"),
        _t(data, "summaries.tile_participants").capitalize(),
        _t(data, "summaries.col_consented"),
    ]
    fig = _figure(6.0, 0.45 * max(3, len(rows)) + 1.0)
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(len(rows)))[::-1]
    ax.barh(ys, [r[2] for r in rows], color=_BLUE)
    ax.set_yticks(ys)
    ax.set_yticklabels([shorten(r[0], 38) for r in rows], fontsize=9)
    for y, r in zip(ys, rows, strict=True):
        ax.text(r[2], y, f" {r[2]}", va="center", fontsize=9)
    ax.set_xlabel(_t(data, "summaries.axis_ideas"))
    ax.set_title(_t(data, "summaries.chart_per_session"))
    ax.spines[["top", "right"]].set_visible(False)
    items = "; ".join(f"{r[0]} {r[2]}" for r in rows)
    body = (
        _p(
            _t(
                data,
                "summaries.series_participation_line",
                sessions=len(rows),
                ideas=ngettext(data.lang, "summaries.n_ideas", total[2], n=_num(data, total[2])),
                people=ngettext(
                    data.lang, "summaries.n_participants", total[3], n=_num(data, total[3])
                ),
            )
        )
        + _note(_t(data, "summaries.series_people_note"))
        + figure_html(fig, _t(data, "summaries.alt_per_session", items=items))
        + table_html(shown, header, numeric=(2, 3, 4))
    )
    text = "\n".join(f"{r[0]}: {r[2]} / {r[3]}" for r in rows)
    return Section(
        _t(data, "summaries.title_series_participation"),
        body,
        text,
        {"sessions": figures, "ideas": total[2], "participants": total[3]},
        key="participation",
    )


def _group_counts(data: SeriesData, dim: str) -> dict[str, list[int]]:
    """``{group: [people in session 1, ...]}`` among those who shared ``dim`` (not-shared out)."""
    from ..equity import NOT_SHARED, shared_groups

    out: dict[str, list[int]] = {}
    n = len(data.sessions)
    for i, d in enumerate(data.sessions):
        for g, c in shared_groups(d.participants, dim).value_counts().items():
            if g == NOT_SHARED:
                continue
            out.setdefault(str(g), [0] * n)[i] = int(c)
    return out


def _option(q: Any, value: str, lang: str) -> str:
    for o in q.options:
        if o.value == value:
            return o.label.get(lang) or o.label.get("en") or value
    return value


@_charts
def series_representation_section(data: SeriesData) -> Section:
    """Who took part across the series against the community (cross-session suppression)."""
    from ..equity import load_community_benchmarks

    k = data.small_count
    first = data.sessions[0].session.survey if data.sessions else None
    parts = [_note(_t(data, "summaries.series_privacy_note", k=k))]
    bench, problem = load_community_benchmarks(folder=data.settings.surveys_dir, lang=data.lang)
    if problem:
        parts.append(_note(problem))
    figures: dict[str, Any] = {}
    for q in first.demographics if first else ():
        if q.multiple:
            continue
        label = q.label.get(data.lang) or q.label.get("en") or q.key
        counts = _group_counts(data, q.key)
        parts.append(f"<h3>{esc(label)}</h3>")
        shared = sum(sum(c) for c in counts.values())
        if not counts or shared == 0:
            parts.append(_p(_t(data, "summaries.nobody_shared")))
            figures[q.key] = {"table": {}}
            continue
        kept, pooled = safe_groups(counts, k)
        if not kept and not pooled:
            parts.append(_p(_t(data, "summaries.nothing_showable", k=k)))
            figures[q.key] = {"table": {}}
            continue
        community = {}
        if bench is not None and q.key in bench.dimensions:
            community = {str(g): 100.0 * float(v) for g, v in bench.shares(q.key).items()}
        names = {g for g, _ in kept}
        rows = [
            (
                _option(q, g, data.lang),
                _num(data, n),
                f"{_num(data, 100.0 * n / shared)}%",
                f"{_num(data, community[g])}%" if g in community else "",
            )
            for g, n in kept
        ]
        if pooled:
            rest = sum(v for g, v in community.items() if g not in names)
            rows.append(
                (
                    _t(data, "summaries.collapsed_other"),
                    _num(data, pooled),
                    f"{_num(data, 100.0 * pooled / shared)}%",
                    f"{_num(data, rest)}%" if community else "",
                )
            )
        elif pooled is None:
            parts.append(_note(_t(data, "summaries.series_pool_hidden", k=k)))
        header = [
            _t(data, "summaries.col_group"),
            _t(data, "summaries.col_people"),
            _t(data, "summaries.col_share_here"),
            _t(data, "summaries.col_share_community"),
        ]
        parts.append(table_html(rows, header, numeric=(1, 2, 3)))
        figures[q.key] = {"table": {r[0]: r[1] for r in rows}, "raw": dict(kept)}
        if pooled:
            figures[q.key]["pooled"] = pooled
    return Section(
        _t(data, "summaries.title_representation"),
        "".join(parts),
        "",
        {"dimensions": figures},
        key="representation",
    )


def _theme_people(data: SeriesData, model: Any, dim: str) -> dict[int, dict[str, list[int]]]:
    """``{theme: {group: [people in session i]}}`` from the series fit (consented people)."""
    from ..equity import NOT_SHARED, shared_groups

    n = len(data.sessions)
    out: dict[int, dict[str, list[int]]] = {}
    for i, d in enumerate(data.sessions):
        groups = shared_groups(d.participants, dim)
        seen: set[tuple[int, str]] = set()
        for s in d.visible:
            tid = data._assign.get(str(s.id), -1)
            if tid == -1 or not s.participant_key or (tid, s.participant_key) in seen:
                continue
            seen.add((tid, s.participant_key))
            g = groups.get(s.participant_key, NOT_SHARED)
            if g == NOT_SHARED:
                continue
            out.setdefault(tid, {}).setdefault(str(g), [0] * n)[i] += 1
    return out


@_charts
def series_themes_section(data: SeriesData) -> Section:
    """Themes over all the series' input: size, the sessions that raised each, and the groups
    (only where the cross-session rule lets a count be shown)."""
    title = _t(data, "summaries.title_themes")
    model = data.themes()
    if model is None:
        msg = data._themes_error or _t(data, "summaries.themes_none")
        return Section(title, _p(msg), msg, {"themes": []}, key="themes")
    k = data.small_count
    themes = list(model.themes_)
    names = {int(t.id): theme_label(t, data.lang) for t in themes}
    per_session: dict[int, Counter[str]] = {int(t.id): Counter() for t in themes}
    for d in data.sessions:
        for s in d.visible:
            tid = data._assign.get(str(s.id), -1)
            if tid in per_session:
                per_session[tid][d.session.code] += 1
    q = next(
        (q for q in data.sessions[0].session.survey.demographics if not q.multiple),
        None,
    )
    people = _theme_people(data, model, q.key) if q is not None else {}
    parts = [
        _p(
            _t(
                data,
                "summaries.series_themes_line",
                ideas=_tn(data, "n_ideas", len(model.labels_)),
                themes=len(themes),
            )
        )
    ]
    fig = _figure(6.0, 0.42 * max(3, len(themes)) + 1.0)
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(len(themes)))[::-1]
    ax.barh(ys, [t.size for t in themes], color=_BLUE)
    ax.set_yticks(ys)
    ax.set_yticklabels([shorten(names[int(t.id)], 38) for t in themes], fontsize=9)
    ax.set_xlabel(_t(data, "summaries.axis_ideas"))
    ax.set_title(_t(data, "summaries.chart_per_theme"))
    ax.spines[["top", "right"]].set_visible(False)
    items = "; ".join(f"{names[int(t.id)]} {t.size}" for t in themes)
    parts.append(figure_html(fig, _t(data, "summaries.alt_per_theme", items=items)))
    rows, out = [], []
    for t in themes:
        tid = int(t.id)
        raised = per_session[tid]
        where = ", ".join(f"{c} ({_num(data, n)})" for c, n in raised.most_common())
        kept, _ = safe_groups(people.get(tid, {}), k)
        groups = ", ".join(f"{_option(q, g, data.lang)} ({_num(data, n)})" for g, n in kept)
        rows.append((names[tid], _num(data, t.size), where, groups or "–"))
        out.append(
            {
                "id": tid,
                "label": names[tid],
                "size": int(t.size),
                "sessions": dict(raised),
                "groups": dict(kept),
                "quotes": list(t.quotes),
            }
        )
    header = [
        _t(data, "summaries.col_theme"),
        _t(data, "summaries.col_ideas"),
        _t(data, "summaries.col_sessions_raised"),
        _t(data, "summaries.col_groups_raised"),
    ]
    parts.append(table_html(rows, header, numeric=(1,)))
    if q is not None:
        parts.append(_note(_t(data, "summaries.series_groups_note", k=k)))
    for t in themes[:12]:
        quotes = "".join(f"<blockquote>{esc(x)}</blockquote>" for x in t.quotes[:2])
        parts.append(f'<div class="pbp-theme"><h3>{esc(names[int(t.id)])}</h3>{quotes}</div>')
    return Section(
        title,
        "".join(parts),
        "\n".join(f"{r[0]}: {r[1]}" for r in rows),
        {"themes": out, "unclear": int(sum(1 for v in model.labels_ if int(v) == -1))},
        key="themes",
    )


def _linked_options(d: Any) -> dict[int, Mapping[str, Any]]:
    """Each option of a session's round -> the theme it names now (members and labels), else
    the option itself (a round with labels of its own, or a theme that is gone).
    """
    from ..themes.current import ThemeState, ballot_options

    vr = d.voting_round
    state = d.current_themes or ThemeState(session_id=d.session.id, version=0)
    themes = state.by_id()
    own = {int(o["id"]): o for o in vr.options}
    out: dict[int, Mapping[str, Any]] = {}
    for line in ballot_options(vr, state, None, d.theme_edits):
        for oid in line.option_ids:
            out[oid] = (
                themes.get(line.theme_id, own[oid]) if line.theme_id is not None else own[oid]
            )
    return out


def _option_theme(data: SeriesData, d: Any, option: Mapping[str, Any]) -> int:
    """The series theme a ballot option stands for: the one most of its theme's ideas joined;
    else the series theme whose label (in any language) the option carries; else -1."""
    members = option.get("members") or []
    votes = Counter(data._assign.get(str(m), -1) for m in members)
    votes.pop(-1, None)
    if votes:
        return votes.most_common(1)[0][0]
    from ..text import fold_key

    want = fold_key(str(option.get("label", "")))
    model = data.themes()
    for t in model.themes_ if model is not None else ():
        if want and want in {fold_key(x) for x in [t.label, *t.labels.values()]}:
            return int(t.id)
    return -1


@_charts
def series_voting_section(data: SeriesData) -> Section:
    """Dots per series theme where several sessions voted, per session and in total."""
    title = _t(data, "summaries.title_voting")
    voted = [d for d in data.sessions if d.voting_round is not None and d.vote_totals]
    if not voted:
        return Section(
            title, _p(_t(data, "summaries.series_no_voting")), "", {"themes": []}, key="voting"
        )
    model = data.themes()
    names = {int(t.id): theme_label(t, data.lang) for t in (model.themes_ if model else [])}
    dots: dict[int, Counter[str]] = {}
    voters = 0
    for d in voted:
        linked = _linked_options(d)
        for oid, tot in d.vote_totals.items():
            tid = _option_theme(data, d, linked.get(oid, {}))
            if tid == -1:
                continue
            dots.setdefault(tid, Counter())[d.session.code] += int(tot["dots"])
        if d.votes is not None and len(d.votes):
            voters += int(d.votes["participant_key"].nunique())
    codes = [d.session.code for d in voted]
    parts = []
    if len(voted) == 1:
        parts.append(_p(_t(data, "summaries.series_one_vote", code=codes[0])))
    else:
        parts.append(
            _p(
                _t(
                    data,
                    "summaries.series_votes_line",
                    sessions=len(voted),
                    voters=_tn(data, "n_people", voters),
                )
            )
        )
    if 0 < voters < data.small_count:
        few = _tn(data, "n_people", voters)
        parts.append(_caution(_t(data, "summaries.few_voters", voters=few, k=data.small_count)))
    ranked = sorted(dots.items(), key=lambda kv: -sum(kv[1].values()))
    rows = [
        (
            names.get(tid, str(tid)),
            *(_num(data, c.get(code, 0)) for code in codes),
            _num(data, sum(c.values())),
        )
        for tid, c in ranked
    ]
    header = [_t(data, "summaries.col_theme"), *codes, _t(data, "summaries.series_total")]
    parts.append(table_html(rows, header, numeric=range(1, len(codes) + 2)))
    both = [tid for tid, c in ranked if sum(1 for v in c.values() if v) > 1]
    if len(voted) > 1:
        parts.append(_note(_t(data, "summaries.series_votes_shared", n=len(both))))
    return Section(
        title,
        "".join(parts),
        "",
        {
            "themes": [
                {"label": names.get(tid, str(tid)), "dots": dict(c), "total": sum(c.values())}
                for tid, c in ranked
            ],
            "voters": voters,
            "shared": len(both),
        },
        key="voting",
    )


def series_goals_section(data: SeriesData) -> Section:
    """Agreed goals across the series' sessions (and how many drafts remain)."""
    parts, out = [], []
    drafts = 0
    for d in data.sessions:
        agreed = [g for g in d.goals if g.status == "agreed"]
        drafts += sum(1 for g in d.goals if g.status != "agreed")
        for g in agreed:
            out.append({"session": d.session.code, "id": g.id})
            parts.append(
                f'<div class="pbp-goal"><h3>{esc(_session_name(d))}</h3>'
                f'<p class="pbp-goal-text">{esc(g.text)}</p></div>'
            )
    if not out:
        parts.insert(0, _p(_t(data, "summaries.series_no_agreed")))
    else:
        parts.insert(0, _p(_t(data, "summaries.series_agreed_line", n=len(out))))
    if drafts:
        parts.append(_note(_t(data, "summaries.series_drafts", n=drafts)))
    return Section(
        _t(data, "summaries.title_series_goals"),
        "".join(parts),
        "",
        {"agreed": out, "drafts": drafts},
        key="goals",
    )


def series_changes_section(data: SeriesData) -> Section:
    """What changed between the first and the latest session: turnout and theme shares."""
    from ..equity import count_consented

    title = _t(data, "summaries.title_series_changes")
    if len(data.sessions) < 2:
        return Section(title, _p(_t(data, "summaries.series_one_session")), "", {}, key="changes")
    a, b = data.sessions[0], data.sessions[-1]
    parts = [
        _p(
            _t(
                data,
                "summaries.series_change_line",
                first=_session_name(a),
                latest=_session_name(b),
                ideas_a=_tn(data, "n_ideas", len(a.visible)),
                ideas_b=_tn(data, "n_ideas", len(b.visible)),
                people_a=_tn(data, "n_people", len(a.participants)),
                people_b=_tn(data, "n_people", len(b.participants)),
                consent_a=_num(data, count_consented(a.participants)),
                consent_b=_num(data, count_consented(b.participants)),
            )
        )
    ]
    model = data.themes()
    figures: dict[str, Any] = {"first": a.session.code, "latest": b.session.code, "themes": []}
    if model is not None:

        def shares(d: Any) -> dict[int, float]:
            c = Counter(data._assign.get(str(s.id), -1) for s in d.visible)
            c.pop(-1, None)
            n = sum(c.values())
            return {tid: 100.0 * v / n for tid, v in c.items()} if n else {}

        sa_, sb = shares(a), shares(b)
        rows = []
        for t in model.themes_:
            tid = int(t.id)
            x, y = sa_.get(tid, 0.0), sb.get(tid, 0.0)
            rows.append((theme_label(t, data.lang), x, y, y - x))
        rows.sort(key=lambda r: -abs(r[3]))
        shown = [
            (r[0], f"{_num(data, r[1])}%", f"{_num(data, r[2])}%", f"{r[3]:+.0f}") for r in rows
        ]
        new = [r[0] for r in rows if r[1] == 0 and r[2] > 0]
        gone = [r[0] for r in rows if r[1] > 0 and r[2] == 0]
        lines = []
        if new:
            lines.append(_t(data, "summaries.series_new_themes", items="; ".join(new)))
        if gone:
            lines.append(_t(data, "summaries.series_gone_themes", items="; ".join(gone)))
        if lines:
            parts.append(_ul(lines))
        header = [
            _t(data, "summaries.col_theme"),
            _t(data, "summaries.col_first", code=a.session.code),
            _t(data, "summaries.col_latest", code=b.session.code),
            _t(data, "summaries.col_change"),
        ]
        parts.append(table_html(shown, header, numeric=(1, 2, 3)))
        figures["themes"] = [{"label": r[0], "first": r[1], "latest": r[2]} for r in rows]
        figures["new"], figures["gone"] = new, gone
    return Section(title, "".join(parts), "", figures, key="changes")


#: The roll-up's sections in order (the series workbook adds them one cell each).
SERIES_SECTIONS = (
    series_header_section,
    series_participation_section,
    series_representation_section,
    series_themes_section,
    series_voting_section,
    series_goals_section,
    series_changes_section,
)
