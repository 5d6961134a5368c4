"""The sections of a session summary, as the template ``workbooks/summary.ipynb`` shows them.

The notebook stays thin: one cell loads the data with :func:`load_summary`,
then each cell calls one ``*_section`` function and shows the
:class:`Section` it returns. Every section is HTML built here, with every
piece of participant text (ideas, quotes, theme labels made of their words)
passed through :func:`pbp_facilitate.text.esc`, and plots drawn with matplotlib's
object API (no ``pyplot`` state) and embedded as PNG data URIs, so the
exported HTML is self-contained and safe to open anywhere.

Every word a reader sees comes from the string catalogue
(:mod:`pbp_facilitate.i18n.summaries`) in the summary's language (``SummaryData.lang``).

Small counts of people are never shown: demographic counts under
``Settings.small_count`` read ``"<5"`` (see :func:`pbp_facilitate.equity.suppress`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..clock import parse_iso, utcnow_iso
from ..i18n import format_when, gettext
from ..settings import Settings, load_settings
from ..text import esc, figure_html, png_img, shorten, table_html

__all__ = [
    "Section",
    "SummaryData",
    "load_summary",
    "at_a_glance_section",
    "participation_section",
    "representation_section",
    "themes_section",
    "voting_section",
    "goals_section",
    "moderation_section",
    "next_steps_section",
    "key_figures",
    "figure_html",
    "esc",
]

#: Most themes drawn as word clouds (the rest are listed); keeps a summary fast.
MAX_WORD_CLOUDS = 8
_BLUE = "#2a6f97"
_GREY = "#8d99ae"


@dataclass
class Section:
    """One section of the summary: HTML for the report plus plain text and key figures.

    Jupyter shows it through :meth:`_repr_mimebundle_`: ``text/html`` for the
    page, ``text/plain`` as a fallback, and ``application/json`` with the
    section's figures when there are any (tests and other tools read those;
    the HTML export ignores them).

    Attributes
    ----------
    title : str
        Section heading (plain text; escaped when rendered).
    html : str
        Body HTML, already escaped where it holds data.
    text : str
        Plain-text fallback.
    data : dict
        JSON-able key figures of the section.
    key : str
        Which section this is, whatever the language (``"voting"``, ``"themes"``...).
    """

    title: str
    html: str
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    key: str = ""

    def to_html(self) -> str:
        """Return the section as one ``<section>`` element."""
        return f'<section class="pbp-section"><h2>{esc(self.title)}</h2>\n{self.html}\n</section>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = {
            "text/html": self.to_html(),
            "text/plain": f"{self.title}\n{self.text}",
        }
        if self.data:
            bundle["application/json"] = self.data
        return bundle


@dataclass
class SummaryData:
    """Everything a summary shows, read from the store in one go (the store is closed after).

    Attributes
    ----------
    settings : Settings
        Settings the summary was made with (``small_count``, ``surveys_dir``...).
    session : SessionRecord
        The session.
    prompts : list of PromptRecord
        Its prompts, in order.
    submissions : list of SubmissionRecord
        Every submission, hidden ones included (the report shows only counts of those).
    participants : pandas.DataFrame
        One row per participant, consented demographics only.
    voting_round : VotingRound or None
        The latest voting round.
    vote_totals : dict
        ``{option id: {"dots", "voters"}}`` of that round.
    votes : pandas.DataFrame
        The round's votes (``participant_key``, ``theme_id``, ``dots``).
    goals : list of GoalRecord
        Goals with their stored checks.
    theme_snapshot : dict or None
        The latest live theme snapshot (keeps theme ids and labels the room saw).
    theme_edits : list of dict
        Facilitator theme edits, oldest first.
    audit : list of dict
        The session's audit trail (only counted, never quoted).
    output_dir : Path or None
        Where word-cloud PNGs are also written (``None``: nowhere).
    generated_at : str
        When the data was read (UTC, ISO 8601).
    lang : str
        Language of every word of the summary (a catalogue language; default English).
    """

    settings: Settings
    session: Any
    prompts: list[Any]
    submissions: list[Any]
    participants: Any
    voting_round: Any
    vote_totals: dict[int, dict[str, int]]
    votes: Any
    goals: list[Any]
    theme_snapshot: dict[str, Any] | None
    theme_edits: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    output_dir: Path | None
    generated_at: str
    lang: str = "en"
    _themes: Any = None
    _themes_error: str | None = None

    @property
    def visible(self) -> list[Any]:
        """Submissions not hidden by moderation."""
        return [s for s in self.submissions if not s.hidden]

    @property
    def hidden(self) -> list[Any]:
        """Submissions hidden by moderation (counted, never shown)."""
        return [s for s in self.submissions if s.hidden]

    @property
    def small_count(self) -> int:
        """Disclosure threshold from the settings."""
        return int(self.settings.small_count)

    def themes(self) -> Any:
        """Return the fitted :class:`~pbp_facilitate.themes.ThemeModel` (fit once, then cached), or
        None.
        """
        if self._themes is None and self._themes_error is None:
            self._themes, self._themes_error = _fit_themes(self)
        return self._themes


def load_summary(
    session_id: int | str = 0, database_url: str = "", output_dir: str = "", lang: str = "en"
) -> SummaryData:
    """Read everything the summary needs for one session.

    Parameters
    ----------
    session_id : int or str
        Session id (or join code); ``0`` or ``""`` means the newest session.
    database_url : str
        SQLAlchemy URL; empty means the settings' database (``PBP_DATABASE_URL``...).
    output_dir : str
        Folder for side files (word-cloud PNGs); empty writes none.
    lang : str
        Language of the summary's words (``"en"`` or ``"es"``).

    Returns
    -------
    SummaryData

    Raises
    ------
    NotFoundError
        When the session does not exist, or the database has no session at all.
    """
    from ..errors import ConfigError, NotFoundError
    from ..store import open_store

    if not isinstance(session_id, int | str) or isinstance(session_id, bool):
        raise ConfigError(
            f"session_id expected a session id (int) or join code, got {session_id!r}; "
            "pass -p session_id 12 or leave it 0 for the newest session."
        )
    settings = load_settings({"database_url": database_url or None})
    store = open_store(settings)
    try:
        if session_id in (0, "", "0"):
            sessions = store.list_sessions()
            if not sessions:
                raise NotFoundError(
                    f"The database {settings.resolved_database_url!r} has no sessions; expected at "
                    f"least one. "
                    "Create one with 'pbp session create' or seed the demo with 'pbp demo "
                    "--no-serve'."
                )
            session = sessions[0]
        else:
            session = store.get_session(session_id)
        vr = store.current_voting_round(session.id)
        data = SummaryData(
            settings=settings,
            session=session,
            prompts=store.list_prompts(session.id),
            submissions=store.list_submissions(session.id, include_hidden=True),
            participants=store.participants_frame(session.id),
            voting_round=vr,
            vote_totals=store.vote_totals(vr.id) if vr else {},
            votes=store.votes_frame(vr.id) if vr else None,
            goals=store.list_goals(session.id),
            theme_snapshot=store.latest_theme_snapshot(session.id),
            theme_edits=store.list_theme_edits(session.id),
            audit=store.audit_log(session.id),
            output_dir=Path(output_dir) if output_dir else None,
            generated_at=utcnow_iso(),
            lang=lang or "en",
        )
    finally:
        store.close()
    return data


# -- helpers ----------------------------------------------------------------------------------


def _t(data: SummaryData, key: str, **values: Any) -> str:
    """The catalogue string ``summaries.<key>`` in the summary's language."""
    return gettext(data.lang, f"summaries.{key}", **values)


def _frame(frame: Any, *, index: bool = True, index_name: str = "") -> str:
    """A display table (strings) as HTML; every column after the first is a number."""
    width = len(frame.columns) + (1 if index else 0)
    return table_html(frame, index=index, index_name=index_name, numeric=range(1, width))


def _p(text: str) -> str:
    return f"<p>{esc(text)}</p>"


def _note(text: str) -> str:
    return f'<p class="pbp-note">{esc(text)}</p>'


def _ul(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def _when(data: SummaryData, iso: str) -> str:
    return format_when(data.lang, parse_iso(iso))


def _prompt_label(data: SummaryData, p: Any) -> str:
    return p.text_for(data.lang)


# Charts are drawn 6 inches wide with fonts a little larger than matplotlib's defaults, so that
# they stay legible when a phone shrinks them to its width.
_RC = {
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 9,
}


def _charts(fn: Any) -> Any:
    """Run a section function under :data:`_RC` (rc is read at draw time, so the whole section)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import matplotlib

        with matplotlib.rc_context(_RC):
            return fn(*args, **kwargs)

    return wrapper


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="tight")


# -- key figures ------------------------------------------------------------------------------


def key_figures(data: SummaryData) -> dict[str, Any]:
    """Return the session's headline numbers (JSON-able).

    Returns
    -------
    dict
        ``session_id``, ``code``, ``title``, ``submissions`` (visible),
        ``hidden``, ``participants``, ``consented``, ``prompts``,
        ``languages`` (``{code: visible ideas}``), ``first``/``last``
        submission times, ``small_count``.
    """
    from .overview import count_figures

    vis = data.visible
    times = sorted(s.created_at for s in vis)
    return {
        "session_id": data.session.id,
        "code": data.session.code,
        "title": data.session.title,
        **count_figures(vis, data.hidden, data.participants),
        "prompts": len(data.prompts),
        "first": times[0] if times else None,
        "last": times[-1] if times else None,
        "small_count": data.small_count,
    }


# -- sections ---------------------------------------------------------------------------------


def at_a_glance_section(data: SummaryData) -> Section:
    """The session at a glance: when, prompts, participants, submissions, languages."""
    k = key_figures(data)
    s = data.session
    if k["first"]:
        when = _t(data, "when_range", start=_when(data, k["first"]), end=_when(data, k["last"]))
    else:
        when = _t(data, "when_created", when=_when(data, s.created_at))
    known = {"en", "es", "unknown"}
    langs = ", ".join(
        f"{_t(data, f'lang_{c}') if c in known else c} {n:,}" for c, n in k["languages"].items()
    ) or _t(data, "none_yet")
    tiles = [
        (f"{k['submissions']:,}", _t(data, "tile_ideas")),
        (f"{k['participants']:,}", _t(data, "tile_participants")),
        (f"{k['prompts']:,}", _t(data, "tile_questions")),
        (f"{len(k['languages']):,}", _t(data, "tile_languages")),
    ]
    tiles_html = (
        '<div class="pbp-tiles">'
        + "".join(
            f'<div class="pbp-tile"><span '
            f'class="pbp-num">{esc(v)}</span><span>{esc(lbl)}</span></div>'
            for v, lbl in tiles
        )
        + "</div>"
    )
    status = _t(data, "status_open" if s.status == "open" else "status_closed")
    rows = [
        (_t(data, "row_session"), _t(data, "session_value", title=s.title, code=s.code)),
        (_t(data, "row_when"), when),
        (_t(data, "row_status"), status),
        (
            _t(data, "row_ideas"),
            _t(data, "ideas_value", shown=f"{k['submissions']:,}", hidden=f"{k['hidden']:,}"),
        ),
        (
            _t(data, "row_participants"),
            _t(
                data,
                "participants_value",
                n=f"{k['participants']:,}",
                consented=f"{k['consented']:,}",
            ),
        ),
        (_t(data, "row_languages"), langs),
    ]
    body = tiles_html + table_html(rows, ["", ""])
    text = "\n".join(f"{a}: {b}" for a, b in rows)
    return Section(_t(data, "title_glance"), body, text, {"key_figures": k}, key="glance")


@_charts
def participation_section(data: SummaryData) -> Section:
    """Participation over time and by prompt (a line of ideas over time, bars by prompt, a
    table).
    """
    title = _t(data, "title_participation")
    vis = data.visible
    if not vis:
        return Section(
            title,
            _p(_t(data, "no_ideas")),
            _t(data, "no_ideas_short"),
            {"by_prompt": {}},
            key="participation",
        )
    by_prompt = Counter(s.prompt_id for s in vis)
    people_by_prompt: dict[Any, set[str]] = {}
    for s in vis:
        if s.participant_key:
            people_by_prompt.setdefault(s.prompt_id, set()).add(s.participant_key)
    rows = []
    for p in data.prompts:
        rows.append(
            (
                f"{p.position + 1}. {_prompt_label(data, p)}",
                by_prompt.get(p.id, 0),
                len(people_by_prompt.get(p.id, ())),
            )
        )
    if by_prompt.get(None):
        rows.append((_t(data, "no_question"), by_prompt[None], len(people_by_prompt.get(None, ()))))
    no_question = len(rows) - 1 if by_prompt.get(None) else -1

    # Ideas over time (cumulative), by minute since the first idea.
    times = sorted(parse_iso(s.created_at) for s in vis)
    t0 = times[0]
    minutes = [(t - t0).total_seconds() / 60 for t in times]
    fig = _figure(6.0, 2.8)
    ax = fig.add_subplot(1, 1, 1)
    ax.step(minutes, range(1, len(minutes) + 1), where="post", color=_BLUE, linewidth=2)
    ax.set_xlabel(_t(data, "axis_minutes", start=t0.strftime("%H:%M UTC")))
    ax.set_ylabel(_t(data, "axis_ideas_so_far"))
    ax.set_title(_t(data, "chart_over_time"))
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylim(0, len(minutes) * 1.05)
    over_time = figure_html(
        fig, _t(data, "alt_over_time", n=len(vis), minutes=f"{minutes[-1]:.0f}")
    )

    fig2 = _figure(6.0, 0.5 * len(rows) + 1.0)
    ax2 = fig2.add_subplot(1, 1, 1)
    labels = [
        _t(data, "none_short") if i == no_question else _t(data, "q_short", n=i + 1)
        for i in range(len(rows))
    ]
    ys = list(range(len(rows)))[::-1]
    ax2.barh(ys, [r[1] for r in rows], color=_BLUE)
    for y, r in zip(ys, rows, strict=True):
        ax2.text(r[1], y, f" {r[1]}", va="center", fontsize=9)
    ax2.set_yticks(ys)
    ax2.set_yticklabels(labels)
    ax2.set_xlabel(_t(data, "axis_ideas"))
    ax2.set_title(_t(data, "chart_by_question"))
    ax2.spines[["top", "right"]].set_visible(False)
    items = "; ".join(f"{lbl} {r[1]}" for lbl, r in zip(labels, rows, strict=True))
    by_q = figure_html(fig2, _t(data, "alt_by_question", items=items))
    header = [_t(data, "col_question"), _t(data, "col_ideas"), _t(data, "col_people")]
    table = table_html(rows, header, numeric=(1, 2))
    text = "\n".join(
        _t(data, "text_prompt_row", prompt=r[0], ideas=r[1], people=r[2]) for r in rows
    )
    return Section(
        title,
        over_time + by_q + table,
        text,
        {"by_prompt": {str(r[0]): int(r[1]) for r in rows}},
        key="participation",
    )


@_charts
def representation_section(data: SummaryData) -> Section:
    """Who took part compared with the community (consented demographics; small counts "<5")."""
    from ..equity import (
        count_consented,
        gap_sentences,
        load_community_benchmarks,
        plot_representation,
        representation,
        shared_groups,
        suppress,
    )
    from ..equity.groups import consented_mask

    k = data.small_count
    people = data.participants
    survey = data.session.survey
    n = int(len(people))
    consented = count_consented(people)
    parts = [_p(_t(data, "consent_line", consented=f"{consented:,}", n=f"{n:,}"))]
    parts.append(_note(_t(data, "privacy_note", k=k)))
    bench, problem = load_community_benchmarks(folder=data.settings.surveys_dir, lang=data.lang)
    if problem:
        parts.append(_note(problem))
    figures: dict[str, Any] = {}
    gaps: list[str] = []
    for q in survey.demographics:
        dim = q.key
        label = q.label.get(data.lang) or q.label.get("en") or next(iter(q.label.values()), dim)
        if bench is not None and dim in bench.dimensions and not q.multiple:
            rep = representation(people, bench, dim, small_count=k)
            shown = suppress(rep, k)
            sentences = gap_sentences(rep, data.lang)
            if any(st == "under" for st in rep["status"]):
                gaps.extend(sentences)
            fig = _figure(6.0, 0.45 * max(3, len(rep)) + 1.6)
            plot_representation(rep, lang=data.lang, ax=fig.add_subplot(1, 1, 1))
            parts.append(f"<h3>{esc(label)}</h3>")
            alt = _t(data, "alt_representation", sentences=" ".join(sentences))
            parts.append(figure_html(fig, alt, tight=True))
            parts.append(_ul(sentences))
            parts.append(_frame(shown, index=False))
            figures[dim] = {
                "table": shown.to_dict(orient="records"),
                "under": [
                    str(lbl)
                    for lbl, s in zip(rep["label"], rep["status"], strict=True)
                    if s == "under"
                ],
            }
        else:
            import pandas as pd

            if q.multiple:
                counts: dict[str, int] = {o.value: 0 for o in q.options}
                for _, row in people[consented_mask(people)].iterrows():
                    vals = row.get(dim)
                    for v in vals if isinstance(vals, list) else ([vals] if vals else []):
                        counts[str(v)] = counts.get(str(v), 0) + 1
                series = pd.Series(counts, name="people", dtype=int)
                series = series[series.index.notna()]
                note = _t(data, "multi_note")
            else:
                series = shared_groups(people, dim).value_counts().rename("people")
                note = ""
            if series.sum() == 0:
                parts.append(f"<h3>{esc(label)}</h3>" + _p(_t(data, "nobody_shared")))
                figures[dim] = {"table": []}
                continue
            shown = suppress(series.astype(int), k, totals=not q.multiple)
            parts.append(f"<h3>{esc(label)}</h3>")
            if note:
                parts.append(_note(note))
            parts.append(_frame(shown, index_name=_t(data, "col_group")))
            figures[dim] = {
                "table": {
                    str(i): str(v) for i, v in zip(shown.index, shown.iloc[:, 0], strict=True)
                }
            }
    text = " ".join(gaps) or _t(data, "no_gaps")
    return Section(
        _t(data, "title_representation"),
        "".join(parts),
        text,
        {"dimensions": figures, "consented": consented, "participants": n},
        key="representation",
    )


def _fit_themes(data: SummaryData) -> tuple[Any, str | None]:
    """Fit themes the way the live theme board does, so the summary shows the themes the room saw.

    Uses :func:`~pbp_facilitate.themes.session.fit_session_themes` (latest snapshot as ``previous``,
    edits replayed, prompt words left out). Nothing is written back to the store.
    """
    from ..errors import PbpError
    from ..themes.session import fit_session_themes

    vis = data.visible
    if not vis:
        return None, _t(data, "themes_no_ideas")
    try:
        return fit_session_themes(
            [s.text for s in vis],
            [s.id for s in vis],
            prompts=data.prompts,
            languages=data.session.languages,
            previous=data.theme_snapshot or None,
            edits=data.theme_edits or None,
        ), None
    except PbpError as exc:
        return None, _t(data, "themes_failed", error=exc)


def _write_side_file(path: Path, payload: bytes) -> None:
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    # Same temporary-name scheme as summaries.atomic_write, so a killed run's leftovers get cleaned.
    fd, tmp = tempfile.mkstemp(
        dir=path.parent, prefix=f".tmp.{os.getpid()}.", suffix=f".{path.name}"
    )
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@_charts
def themes_section(data: SummaryData) -> Section:
    """Themes with labels, counts, quotes and word clouds."""
    from ..themes.wordclouds import wordcloud_png

    title = _t(data, "title_themes")
    model = data.themes()
    if model is None:
        msg = data._themes_error or _t(data, "themes_none")
        return Section(title, _p(msg), msg, {"themes": []}, key="themes")
    total = len(model.labels_)
    themes = list(model.themes_)
    unclear = int(sum(1 for v in model.labels_ if int(v) == -1))
    counts = {"ideas": f"{total:,}", "themes": len(themes)}
    if unclear:
        parts = [_p(_t(data, "themes_count_unclear", unclear=f"{unclear:,}", **counts))]
    else:
        parts = [_p(_t(data, "themes_count", **counts))]
    parts.append(_note(_t(data, "themes_note")))
    fig = _figure(6.0, 0.42 * max(3, len(themes)) + 1.0)
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(len(themes)))[::-1]
    ax.barh(ys, [t.size for t in themes], color=_BLUE)
    ax.set_yticks(ys)
    ax.set_yticklabels([shorten(t.label, 38) for t in themes], fontsize=9)
    for y, t in zip(ys, themes, strict=True):
        ax.text(t.size, y, f" {t.size}", va="center", fontsize=9)
    ax.set_xlabel(_t(data, "axis_ideas"))
    ax.set_title(_t(data, "chart_per_theme"))
    ax.spines[["top", "right"]].set_visible(False)
    items = "; ".join(f"{t.label} {t.size}" for t in themes)
    parts.append(figure_html(fig, _t(data, "alt_per_theme", items=items)))
    summary = []
    for i, t in enumerate(themes):
        share = 100.0 * t.size / total if total else 0.0
        cloud = ""
        if i < MAX_WORD_CLOUDS:
            png = None
            if t.terms:
                png = wordcloud_png(t.terms, width=360, height=180, random_state=int(t.id))
            if png is not None:
                cloud = png_img(png, _t(data, "alt_cloud", label=t.label), cls="pbp-cloud")
                if data.output_dir is not None:
                    side = data.output_dir / "wordclouds" / f"theme-{int(t.id)}.png"
                    _write_side_file(side, png)
        quotes = "".join(f"<blockquote>{esc(q)}</blockquote>" for q in t.quotes)
        who = _t(data, "label_by_facilitator") if t.label_source == "facilitator" else ""
        count = _t(data, "theme_count", n=f"{t.size:,}", share=f"{share:.0f}")
        parts.append(
            f'<div class="pbp-theme"><h3>{esc(t.label)}</h3>'
            f'<p class="pbp-count">{esc(count)}{esc(who)}</p>{cloud}{quotes}</div>'
        )
        summary.append(
            {"id": int(t.id), "label": t.label, "size": int(t.size), "quotes": list(t.quotes)}
        )
    breakdown = _theme_groups(data, model)
    if breakdown:
        parts.append(breakdown[0])
    text = "\n".join(f"{t['label']}: {t['size']}" for t in summary)
    return Section(
        title,
        "".join(parts),
        text,
        {
            "themes": summary,
            "unclear": unclear,
            "ideas": total,
            "by_group": breakdown[1] if breakdown else {},
        },
        key="themes",
    )


def _theme_groups(data: SummaryData, model: Any) -> tuple[str, dict[str, Any]] | None:
    """People who raised each theme, by the survey's first single-choice question (small counts
    hidden).
    """
    import pandas as pd

    from ..equity import count_consented, dimension_name, suppress, theme_breakdown

    q = next((q for q in data.session.survey.demographics if not q.multiple), None)
    if q is None or not count_consented(data.participants):
        return None
    vis = data.visible
    subs = pd.DataFrame(
        {
            "participant_key": [s.participant_key for s in vis],
            "theme_id": [int(t) for t in model.theme_ids_],
        }
    ).dropna(subset=["participant_key"])
    labels = {int(t.id): shorten(t.label, 40) for t in model.themes_}
    table = theme_breakdown(
        subs,
        data.participants,
        q.key,
        groups=[o.value for o in q.options],
        theme_labels=labels,
        small_count=data.small_count,
    )
    if table.empty:
        return None
    shown = suppress(table, data.small_count)
    heading = _t(data, "who_raised", dimension=dimension_name(q.key, data.lang))
    html_ = (
        f"<h3>{esc(heading)}</h3>"
        + _note(_t(data, "who_raised_note", k=data.small_count))
        + _frame(shown, index_name=_t(data, "col_theme"))
    )
    return html_, {str(i): {str(c): str(v) for c, v in row.items()} for i, row in shown.iterrows()}


@_charts
def voting_section(data: SummaryData) -> Section:
    """Results of the latest dot-voting round."""
    title = _t(data, "title_voting")
    vr = data.voting_round
    if vr is None:
        return Section(
            title,
            _p(_t(data, "no_voting")),
            _t(data, "no_voting_short"),
            {"options": []},
            key="voting",
        )
    labels = {int(o["id"]): str(o["label"]) for o in vr.options}
    rows = sorted(
        (
            (labels.get(oid, _t(data, "option_n", id=oid)), int(t["dots"]), int(t["voters"]))
            for oid, t in data.vote_totals.items()
        ),
        key=lambda r: (-r[1], r[0]),
    )
    total_dots = sum(r[1] for r in rows)
    voters = 0
    if data.votes is not None and len(data.votes):
        voters = int(data.votes["participant_key"].nunique())
    state = _t(data, "round_open" if vr.status == "open" else "round_closed")
    parts = [
        _p(
            _t(
                data,
                "voting_line",
                voters=f"{voters:,}",
                dots=f"{total_dots:,}",
                each=vr.dots,
                options=len(rows),
                state=state,
            )
        )
    ]
    if rows:
        fig = _figure(6.0, 0.42 * max(3, len(rows)) + 1.0)
        ax = fig.add_subplot(1, 1, 1)
        ys = list(range(len(rows)))[::-1]
        ax.barh(
            ys, [r[1] for r in rows], color=[_BLUE if i < 3 else _GREY for i in range(len(rows))]
        )
        ax.set_yticks(ys)
        ax.set_yticklabels([shorten(r[0], 38) for r in rows], fontsize=9)
        for y, r in zip(ys, rows, strict=True):
            ax.text(r[1], y, f" {r[1]}", va="center", fontsize=9)
        ax.set_xlabel(_t(data, "axis_dots"))
        ax.set_title(_t(data, "chart_dots"))
        ax.spines[["top", "right"]].set_visible(False)
        items = "; ".join(f"{r[0]} {r[1]}" for r in rows)
        parts.append(figure_html(fig, _t(data, "alt_dots", items=items)))
        header = [_t(data, "col_theme"), _t(data, "col_dots"), _t(data, "col_voters")]
        parts.append(table_html(rows, header, numeric=(1, 2)))
    text = "\n".join(_t(data, "text_dots", label=r[0], dots=r[1]) for r in rows)
    return Section(
        title,
        "".join(parts),
        text,
        {
            "options": [{"label": r[0], "dots": r[1], "voters": r[2]} for r in rows],
            "voters": voters,
            "dots": total_dots,
        },
        key="voting",
    )


def goals_section(data: SummaryData) -> Section:
    """Goals with their SMART + equity checks (as stored by
    :func:`pbp_facilitate.goals.check_goal`; the verdict is :attr:`GoalReport.verdict`).
    """
    from ..errors import PbpError
    from ..goals import CORE_CRITERIA, CRITERIA, GoalReport

    title = _t(data, "title_goals")
    if not data.goals:
        return Section(
            title, _p(_t(data, "no_goals")), _t(data, "no_goals_short"), {"goals": []}, key="goals"
        )
    parts = [_note(_t(data, "goals_note"))]
    out = []
    for i, g in enumerate(data.goals, 1):
        status = "agreed" if g.status == "agreed" else "draft"
        heading = _t(data, "goal_heading", n=i, status=_t(data, f"status_{status}"))
        parts.append(
            f'<div class="pbp-goal"><h3>{esc(heading)}</h3>'
            f'<p class="pbp-goal-text">{esc(g.text)}</p>'
        )
        missing: list[str] = []
        try:
            report = GoalReport.from_dict(g.check) if g.check else None
        except PbpError:
            report = None
        if report is None:
            parts.append(_note(_t(data, "not_checked_note")))
            verdict = "not checked"
        else:
            rows = []
            for name in CRITERIA:
                res = report.criteria[name]
                if not res.passed and name in CORE_CRITERIA:
                    missing.append(name)
                if name in CORE_CRITERIA:
                    met = "yes" if res.passed else "no"
                else:
                    met = "ok" if res.passed else "warning"
                name_text = gettext(data.lang, f"goals.label_{name}")
                rows.append(
                    (
                        name_text[:1].upper() + name_text[1:],
                        _t(data, f"met_{met}"),
                        res.reason,
                        res.suggestion,
                    )
                )
            verdict = report.verdict
            verdict_text = gettext(data.lang, "goals.verdict_" + verdict.replace(" ", "_"))
            line = _t(
                data,
                "verdict_line",
                verdict=verdict_text,
                met=len(CORE_CRITERIA) - len(missing),
                core=len(CORE_CRITERIA),
            )
            parts.append(_p(line))
            header = [
                _t(data, "col_check"),
                _t(data, "col_met"),
                _t(data, "col_why"),
                _t(data, "col_next"),
            ]
            parts.append(table_html(rows, header))
            if missing and report.rewrite:
                parts.append(_p(_t(data, "rewrite_line", rewrite=report.rewrite)))
        parts.append("</div>")
        out.append({"id": g.id, "status": status, "verdict": verdict, "missing": missing})
    return Section(
        title, "".join(parts), "\n".join(g.text for g in data.goals), {"goals": out}, key="goals"
    )


def moderation_section(data: SummaryData) -> Section:
    """What was hidden by moderation: counts only, never the text."""
    hidden = data.hidden
    by_prompt = Counter(s.prompt_id for s in hidden)
    prompts = {p.id: p for p in data.prompts}
    actions = Counter(a["action"] for a in data.audit if a["action"] in ("hide", "restore"))
    if not hidden:
        body = _p(_t(data, "nothing_hidden"))
    else:
        rows = [
            (
                f"{prompts[pid].position + 1}. {_prompt_label(data, prompts[pid])}"
                if pid in prompts
                else _t(data, "no_question"),
                n,
            )
            for pid, n in sorted(by_prompt.items(), key=lambda kv: str(kv[0]))
        ]
        key = "hidden_line_one" if len(hidden) == 1 else "hidden_line_many"
        header = [_t(data, "col_question"), _t(data, "col_hidden")]
        body = _p(_t(data, key, hidden=f"{len(hidden):,}", total=f"{len(data.submissions):,}"))
        body += table_html(rows, header, numeric=(1,))
    if actions:
        body += _note(
            _t(
                data,
                "moderation_log",
                hide=actions.get("hide", 0),
                restore=actions.get("restore", 0),
            )
        )
    return Section(
        _t(data, "title_moderation"),
        body,
        _t(data, "text_hidden", n=len(hidden)),
        {
            "hidden": len(hidden),
            "hide_actions": actions.get("hide", 0),
            "restore_actions": actions.get("restore", 0),
        },
        key="moderation",
    )


def next_steps_section(data: SummaryData, *, sections: Sequence[Section] = ()) -> Section:
    """Next steps, drawn from the other sections (gaps to close, top themes, goals to strengthen).

    Parameters
    ----------
    data : SummaryData
        The data.
    sections : sequence of Section
        The sections shown above (their ``data`` drives the suggestions, found by ``key``).

    Returns
    -------
    Section
    """
    by_key = {s.key: s.data for s in sections if s.key}
    steps: list[str] = []
    votes = by_key.get("voting", {})
    themes = by_key.get("themes", {})
    top = [o["label"] for o in votes.get("options", []) if o.get("dots")][:3]
    if not top:
        top = [t["label"] for t in themes.get("themes", [])][:3]
    if top:
        steps.append(_t(data, "step_top", items="; ".join(top)))
    rep = by_key.get("representation", {})
    under = sorted({g for d in rep.get("dimensions", {}).values() for g in d.get("under", [])})
    if under:
        steps.append(_t(data, "step_outreach", groups=", ".join(under)))
    if rep.get("participants") and rep.get("consented", 0) < 0.5 * rep["participants"]:
        steps.append(_t(data, "step_consent"))
    goals = by_key.get("goals", {})
    for i, g in enumerate(goals.get("goals", []), 1):
        if g.get("missing"):
            criteria = ", ".join(gettext(data.lang, f"goals.label_{m}") for m in g["missing"])
            steps.append(_t(data, "step_goal", n=i, criteria=criteria))
    steps.append(_t(data, "step_share"))
    return Section(
        _t(data, "title_next"), _ul(steps), "\n".join(steps), {"steps": steps}, key="next_steps"
    )
