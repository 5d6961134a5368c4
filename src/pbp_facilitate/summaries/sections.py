"""The sections of a session summary, as the template ``workbooks/summary.ipynb`` shows them.

The notebook stays thin: one cell loads the data with :func:`load_summary`,
then each cell calls one ``*_section`` function and shows the
:class:`Section` it returns. Every section is HTML built here, with every
piece of participant text (ideas, quotes, theme labels made of their words)
passed through :func:`html.escape`, and plots drawn with matplotlib's
object API (no ``pyplot`` state) and embedded as PNG data URIs, so the
exported HTML is self-contained and safe to open anywhere.

Small counts of people are never shown: demographic counts under
``Settings.small_count`` read ``"<5"`` (see :func:`pbp_facilitate.equity.suppress`).
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..clock import parse_iso, utcnow_iso
from ..settings import Settings, load_settings

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


def esc(value: Any) -> str:
    """Return ``str(value)`` with ``& < > " '`` escaped for HTML (participant text goes through here)."""
    return html.escape("" if value is None else str(value), quote=True)


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
    """

    title: str
    html: str
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def to_html(self) -> str:
        """Return the section as one ``<section>`` element."""
        return f'<section class="pbp-section"><h2>{esc(self.title)}</h2>\n{self.html}\n</section>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = {"text/html": self.to_html(), "text/plain": f"{self.title}\n{self.text}"}
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
        """Return the fitted :class:`~pbp_facilitate.themes.ThemeModel` (fit once, then cached), or None."""
        if self._themes is None and self._themes_error is None:
            self._themes, self._themes_error = _fit_themes(self)
        return self._themes


def load_summary(session_id: int | str = 0, database_url: str = "", output_dir: str = "") -> SummaryData:
    """Read everything the summary needs for one session.

    Parameters
    ----------
    session_id : int or str
        Session id (or join code); ``0`` or ``""`` means the newest session.
    database_url : str
        SQLAlchemy URL; empty means the settings' database (``PBP_DATABASE_URL``...).
    output_dir : str
        Folder for side files (word-cloud PNGs); empty writes none.

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
        raise ConfigError(f"session_id expected a session id (int) or join code, got {session_id!r}; "
                          "pass -p session_id 12 or leave it 0 for the newest session.")
    settings = load_settings({"database_url": database_url or None})
    store = open_store(settings)
    try:
        if session_id in (0, "", "0"):
            sessions = store.list_sessions()
            if not sessions:
                raise NotFoundError(
                    f"The database {settings.resolved_database_url!r} has no sessions; expected at least one. "
                    "Create one with 'pbp session create' or seed the demo with 'pbp demo --no-serve'.")
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
        )
    finally:
        store.close()
    return data


# -- helpers ----------------------------------------------------------------------------------


def figure_html(fig: Any, alt: str, *, dpi: int = 96, tight: bool = False) -> str:
    """Render a matplotlib figure as an ``<img>`` with an embedded PNG and alt text.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (made with :class:`matplotlib.figure.Figure`, not pyplot).
    alt : str
        Text alternative (escaped here).
    dpi : int
        Resolution.
    tight : bool
        Grow the image to fit text drawn outside the axes (draws the figure twice).

    Returns
    -------
    str
        ``<img ...>`` HTML.
    """
    buf = io.BytesIO()
    # bbox_inches="tight" only on request: it draws the figure twice. Figures here are laid out beforehand.
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None},
                **({"bbox_inches": "tight", "pad_inches": 0.1} if tight else {}))
    return _png_img(buf.getvalue(), alt)


def _png_img(png: bytes, alt: str, cls: str = "pbp-figure") -> str:
    b64 = base64.b64encode(png).decode("ascii")
    return f'<img class="{cls}" alt="{esc(alt)}" src="data:image/png;base64,{b64}">'


def _table(rows: Sequence[Sequence[Any]], header: Sequence[str], *, caption: str = "",
           numeric: Iterable[int] = ()) -> str:
    num = set(numeric)
    head = "".join(f'<th scope="col"{" class=num" if i in num else ""}>{esc(h)}</th>' for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if i in num else ""}>{esc(v)}</td>' for i, v in enumerate(r)) + "</tr>"
        for r in rows
    )
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    thead = f"<thead><tr>{head}</tr></thead>" if any(header) else ""
    return f'<div class="pbp-table"><table>{cap}{thead}<tbody>{body}</tbody></table></div>'


def _frame_table(frame: Any, *, caption: str = "", index: bool = True, index_name: str = "") -> str:
    cols = [str(c) for c in frame.columns]
    rows = [[*( [i] if index else []), *r] for i, r in zip(frame.index, frame.itertuples(index=False), strict=True)]
    header = ([index_name or (frame.index.name or "")] if index else []) + cols
    numeric = range(1, len(header))  # the first column names the row
    return _table(rows, header, caption=caption, numeric=numeric)


def _p(text: str) -> str:
    return f"<p>{esc(text)}</p>"


def _note(text: str) -> str:
    return f'<p class="pbp-note">{esc(text)}</p>'


def _ul(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def _when(iso: str) -> str:
    return parse_iso(iso).strftime("%d %b %Y, %H:%M UTC")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _prompt_label(data: SummaryData, p: Any) -> str:
    return p.text_for(data.session.languages[0] if data.session.languages else "en")


# Charts are drawn 6 inches wide with fonts a little larger than matplotlib's defaults, so that
# they stay legible when a phone shrinks them to its width.
_RC = {"font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "xtick.labelsize": 10,
       "ytick.labelsize": 10, "legend.fontsize": 9}


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
    when = f"{_when(k['first'])} to {_when(k['last'])}" if k["first"] else f"created {_when(s.created_at)}"
    lang_names = {"en": "English", "es": "Spanish", "unknown": "not recorded"}
    langs = ", ".join(f"{lang_names.get(c, c)} {n:,}" for c, n in k["languages"].items()) or "none yet"
    tiles = [
        (f"{k['submissions']:,}", "ideas shared"),
        (f"{k['participants']:,}", "participants"),
        (f"{k['prompts']:,}", "questions asked"),
        (f"{len(k['languages']):,}", "languages"),
    ]
    tiles_html = '<div class="pbp-tiles">' + "".join(
        f'<div class="pbp-tile"><span class="pbp-num">{esc(v)}</span><span>{esc(lbl)}</span></div>'
        for v, lbl in tiles) + "</div>"
    rows = [
        ("Session", f"{s.title} (join code {s.code})"),
        ("When", when),
        ("Status", "open" if s.status == "open" else "closed"),
        ("Ideas", f"{k['submissions']:,} shared, {k['hidden']:,} hidden by moderation"),
        ("Participants", f"{k['participants']:,}, of whom {k['consented']:,} chose to share demographics"),
        ("Languages", langs),
    ]
    body = tiles_html + _table(rows, ["", ""])
    text = "\n".join(f"{a}: {b}" for a, b in rows)
    return Section("The session at a glance", body, text, {"key_figures": k})


@_charts
def participation_section(data: SummaryData) -> Section:
    """Participation over time and by prompt (a line of ideas over time, bars by prompt, a table)."""
    vis = data.visible
    if not vis:
        return Section("Participation", _p("No ideas have been shared yet."), "No ideas yet.",
                       {"by_prompt": {}})
    by_prompt = Counter(s.prompt_id for s in vis)
    people_by_prompt: dict[Any, set[str]] = {}
    for s in vis:
        if s.participant_key:
            people_by_prompt.setdefault(s.prompt_id, set()).add(s.participant_key)
    rows = []
    for p in data.prompts:
        rows.append((f"{p.position + 1}. {_prompt_label(data, p)}", by_prompt.get(p.id, 0),
                     len(people_by_prompt.get(p.id, ()))))
    if by_prompt.get(None):
        rows.append(("(no question)", by_prompt[None], len(people_by_prompt.get(None, ()))))

    # Ideas over time (cumulative), by minute since the first idea.
    times = sorted(parse_iso(s.created_at) for s in vis)
    t0 = times[0]
    minutes = [(t - t0).total_seconds() / 60 for t in times]
    fig = _figure(6.0, 2.8)
    ax = fig.add_subplot(1, 1, 1)
    ax.step(minutes, range(1, len(minutes) + 1), where="post", color=_BLUE, linewidth=2)
    ax.set_xlabel(f"minutes after the first idea ({t0.strftime('%H:%M UTC')})")
    ax.set_ylabel("ideas so far")
    ax.set_title("Ideas shared over time")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylim(0, len(minutes) * 1.05)
    over_time = figure_html(fig, f"Line chart: {len(vis)} ideas shared over {minutes[-1]:.0f} minutes.")

    fig2 = _figure(6.0, 0.5 * len(rows) + 1.0)
    ax2 = fig2.add_subplot(1, 1, 1)
    labels = [f"Q{i + 1}" if not r[0].startswith("(") else "none" for i, r in enumerate(rows)]
    ys = list(range(len(rows)))[::-1]
    ax2.barh(ys, [r[1] for r in rows], color=_BLUE)
    for y, r in zip(ys, rows, strict=True):
        ax2.text(r[1], y, f" {r[1]}", va="center", fontsize=9)
    ax2.set_yticks(ys)
    ax2.set_yticklabels(labels)
    ax2.set_xlabel("ideas")
    ax2.set_title("Ideas by question")
    ax2.spines[["top", "right"]].set_visible(False)
    by_q = figure_html(fig2, "Bar chart of ideas by question: " + "; ".join(
        f"{lbl} {r[1]}" for lbl, r in zip(labels, rows, strict=True)))
    table = _table(rows, ["Question", "Ideas", "People"], numeric=(1, 2))
    text = "\n".join(f"{r[0]}: {r[1]} ideas from {r[2]} people" for r in rows)
    return Section("Participation", over_time + by_q + table, text,
                   {"by_prompt": {str(r[0]): int(r[1]) for r in rows}})


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

    k = data.small_count
    people = data.participants
    survey = data.session.survey
    n = int(len(people))
    consented = count_consented(people)
    parts = [_p(f"{consented:,} of {n:,} participants chose to share demographics; everyone else counts as "
                "'not shared'. Nothing is guessed.")]
    parts.append(_note(f"To protect privacy, any group of fewer than {k} people is shown as '<{k}', and a "
                       "cell marked '*' is hidden so that a small group cannot be worked out from the totals."))
    bench, problem = load_community_benchmarks(folder=data.settings.surveys_dir)
    if problem:
        parts.append(_note(problem))
    figures: dict[str, Any] = {}
    gaps: list[str] = []
    for q in survey.demographics:
        dim = q.key
        label = q.label.get("en") or next(iter(q.label.values()), dim)
        if bench is not None and dim in bench.dimensions and not q.multiple:
            rep = representation(people, bench, dim, small_count=k)
            shown = suppress(rep, k)
            sentences = gap_sentences(rep)
            if any(st == "under" for st in rep["status"]):
                gaps.extend(sentences)
            fig = _figure(6.0, 0.45 * max(3, len(rep)) + 1.6)
            plot_representation(rep, ax=fig.add_subplot(1, 1, 1))
            parts.append(f"<h3>{esc(label)}</h3>")
            parts.append(figure_html(fig, "Bar chart comparing participants with the community: "
                                     + " ".join(sentences), tight=True))
            parts.append(_ul(sentences))
            parts.append(_frame_table(shown, index=False))
            figures[dim] = {"table": shown.to_dict(orient="records"),
                            "under": [str(lbl) for lbl, s in zip(rep["label"], rep["status"], strict=True)
                                      if s == "under"]}
        else:
            import pandas as pd

            if q.multiple:
                counts: dict[str, int] = {o.value: 0 for o in q.options}
                for _, row in people[people["consented"] == True].iterrows():  # noqa: E712
                    vals = row.get(dim)
                    for v in (vals if isinstance(vals, list) else ([vals] if vals else [])):
                        counts[str(v)] = counts.get(str(v), 0) + 1
                series = pd.Series(counts, name="people", dtype=int)
                series = series[series.index.notna()]
                note = "People could choose more than one answer, so the counts add up to more than the people."
            else:
                series = shared_groups(people, dim).value_counts().rename("people")
                note = ""
            if series.sum() == 0:
                parts.append(f"<h3>{esc(label)}</h3>" + _p("Nobody shared this."))
                figures[dim] = {"table": []}
                continue
            shown = suppress(series.astype(int), k, totals=not q.multiple)
            parts.append(f"<h3>{esc(label)}</h3>")
            if note:
                parts.append(_note(note))
            parts.append(_frame_table(shown, index_name="Group"))
            figures[dim] = {"table": {str(i): str(v) for i, v in zip(shown.index, shown.iloc[:, 0], strict=True)}}
    text = " ".join(gaps) or "No gaps flagged."
    return Section("Who took part, compared with the community", "".join(parts), text,
                   {"dimensions": figures, "consented": consented, "participants": n})


def _fit_themes(data: SummaryData) -> tuple[Any, str | None]:
    """Fit themes the way the live theme board does, so the summary shows the themes the room saw.

    Uses :func:`~pbp_facilitate.themes.session.fit_session_themes` (latest snapshot as ``previous``,
    edits replayed, prompt words left out). Nothing is written back to the store.
    """
    from ..errors import PbpError
    from ..themes.session import fit_session_themes

    vis = data.visible
    if not vis:
        return None, "No ideas yet, so no themes."
    try:
        return fit_session_themes([s.text for s in vis], [s.id for s in vis], prompts=data.prompts,
                                  languages=data.session.languages, previous=data.theme_snapshot or None,
                                  edits=data.theme_edits or None), None
    except PbpError as exc:
        return None, f"Themes could not be found ({exc})."


def _write_side_file(path: Path, payload: bytes) -> None:
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    # Same temporary-name scheme as summaries.atomic_write, so a killed run's leftovers get cleaned.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".tmp.{os.getpid()}.", suffix=f".{path.name}")
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

    model = data.themes()
    if model is None:
        msg = data._themes_error or "No themes."
        return Section("What we heard: themes", _p(msg), msg, {"themes": []})
    total = len(model.labels_)
    themes = list(model.themes_)
    unclear = int(sum(1 for v in model.labels_ if int(v) == -1))
    parts = [_p(f"{total:,} ideas fell into {len(themes)} themes"
                + (f"; {unclear:,} did not fit any theme clearly." if unclear else "."))]
    parts.append(_note("Themes are found automatically from the words people used (the facilitator's edits "
                       "are applied); labels are the most telling words of each theme. Quotes are "
                       "participants' own words."))
    fig = _figure(6.0, 0.42 * max(3, len(themes)) + 1.0)
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(len(themes)))[::-1]
    ax.barh(ys, [t.size for t in themes], color=_BLUE)
    ax.set_yticks(ys)
    ax.set_yticklabels([_short(t.label, 38) for t in themes], fontsize=9)
    for y, t in zip(ys, themes, strict=True):
        ax.text(t.size, y, f" {t.size}", va="center", fontsize=9)
    ax.set_xlabel("ideas")
    ax.set_title("Ideas per theme")
    ax.spines[["top", "right"]].set_visible(False)
    parts.append(figure_html(fig, "Bar chart of ideas per theme: " + "; ".join(
        f"{t.label} {t.size}" for t in themes)))
    summary = []
    for i, t in enumerate(themes):
        share = 100.0 * t.size / total if total else 0.0
        cloud = ""
        if i < MAX_WORD_CLOUDS:
            png = wordcloud_png(t.terms, width=360, height=180, random_state=int(t.id)) if t.terms else None
            if png is not None:
                cloud = _png_img(png, f"Word cloud of theme {t.label}", cls="pbp-cloud")
                if data.output_dir is not None:
                    _write_side_file(data.output_dir / "wordclouds" / f"theme-{int(t.id)}.png", png)
        quotes = "".join(f"<blockquote>{esc(q)}</blockquote>" for q in t.quotes)
        who = " (label by the facilitator)" if t.label_source == "facilitator" else ""
        parts.append(
            f'<div class="pbp-theme"><h3>{esc(t.label)}</h3>'
            f'<p class="pbp-count">{t.size:,} ideas ({share:.0f}%){esc(who)}</p>{cloud}{quotes}</div>'
        )
        summary.append({"id": int(t.id), "label": t.label, "size": int(t.size), "quotes": list(t.quotes)})
    breakdown = _theme_groups(data, model)
    if breakdown:
        parts.append(breakdown[0])
    text = "\n".join(f"{t['label']}: {t['size']}" for t in summary)
    return Section("What we heard: themes", "".join(parts), text,
                   {"themes": summary, "unclear": unclear, "ideas": total,
                    "by_group": breakdown[1] if breakdown else {}})


def _theme_groups(data: SummaryData, model: Any) -> tuple[str, dict[str, Any]] | None:
    """People who raised each theme, by the survey's first single-choice question (small counts hidden)."""
    import pandas as pd

    from ..equity import count_consented, dimension_name, suppress, theme_breakdown

    q = next((q for q in data.session.survey.demographics if not q.multiple), None)
    if q is None or not count_consented(data.participants):
        return None
    vis = data.visible
    subs = pd.DataFrame({"participant_key": [s.participant_key for s in vis],
                         "theme_id": [int(t) for t in model.theme_ids_]}).dropna(subset=["participant_key"])
    labels = {int(t.id): _short(t.label, 40) for t in model.themes_}
    table = theme_breakdown(subs, data.participants, q.key, groups=[o.value for o in q.options],
                            theme_labels=labels, small_count=data.small_count)
    if table.empty:
        return None
    shown = suppress(table, data.small_count)
    html_ = (f"<h3>Who raised each theme, by {esc(dimension_name(q.key))}</h3>"
             + _note(f"People (not ideas) who raised each theme. Counts under {data.small_count} read "
                     f"'<{data.small_count}'; '*' hides a cell that would give one away.")
             + _frame_table(shown, index_name="Theme"))
    return html_, {str(i): {str(c): str(v) for c, v in row.items()} for i, row in shown.iterrows()}


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


@_charts
def voting_section(data: SummaryData) -> Section:
    """Results of the latest dot-voting round."""
    vr = data.voting_round
    if vr is None:
        return Section("Voting results", _p("No voting round was held in this session."), "No voting.",
                       {"options": []})
    labels = {int(o["id"]): str(o["label"]) for o in vr.options}
    rows = sorted(((labels.get(oid, f"option {oid}"), int(t["dots"]), int(t["voters"]))
                   for oid, t in data.vote_totals.items()), key=lambda r: (-r[1], r[0]))
    total_dots = sum(r[1] for r in rows)
    voters = 0
    if data.votes is not None and len(data.votes):
        voters = int(data.votes["participant_key"].nunique())
    state = "still open" if vr.status == "open" else "closed"
    parts = [_p(f"{voters:,} people placed {total_dots:,} dots ({vr.dots} each) across {len(rows)} themes; "
                f"the round is {state}.")]
    if rows:
        fig = _figure(6.0, 0.42 * max(3, len(rows)) + 1.0)
        ax = fig.add_subplot(1, 1, 1)
        ys = list(range(len(rows)))[::-1]
        ax.barh(ys, [r[1] for r in rows], color=[_BLUE if i < 3 else _GREY for i in range(len(rows))])
        ax.set_yticks(ys)
        ax.set_yticklabels([_short(r[0], 38) for r in rows], fontsize=9)
        for y, r in zip(ys, rows, strict=True):
            ax.text(r[1], y, f" {r[1]}", va="center", fontsize=9)
        ax.set_xlabel("dots")
        ax.set_title("Dots per theme (top three in blue)")
        ax.spines[["top", "right"]].set_visible(False)
        parts.append(figure_html(fig, "Bar chart of dots per theme: " + "; ".join(f"{r[0]} {r[1]}" for r in rows)))
        parts.append(_table(rows, ["Theme", "Dots", "Voters"], numeric=(1, 2)))
    return Section("Voting results", "".join(parts), "\n".join(f"{r[0]}: {r[1]} dots" for r in rows),
                   {"options": [{"label": r[0], "dots": r[1], "voters": r[2]} for r in rows],
                    "voters": voters, "dots": total_dots})


def goals_section(data: SummaryData) -> Section:
    """Goals with their SMART + equity checks (as stored by :func:`pbp_facilitate.goals.check_goal`)."""
    from ..goals import CORE_CRITERIA, CRITERIA

    if not data.goals:
        return Section("Goals", _p("No goals were drafted in this session."), "No goals.", {"goals": []})
    names = {"specific": "Specific", "measurable": "Measurable", "achievable": "Achievable",
             "relevant": "Relevant", "time_bound": "Time-bound", "equity": "Equity"}
    parts = [_note("Each goal is checked against the SMART criteria plus equity (who benefits, reported by "
                   "which groups). Specific, measurable, time-bound and equity must all be met for a goal "
                   "to be ready; achievable and relevant are advice.")]
    out = []
    for i, g in enumerate(data.goals, 1):
        check = g.check or {}
        criteria = check.get("criteria") if isinstance(check.get("criteria"), Mapping) else {}
        status = "agreed" if g.status == "agreed" else "draft"
        parts.append(f'<div class="pbp-goal"><h3>Goal {i} ({esc(status)})</h3>'
                     f'<p class="pbp-goal-text">{esc(g.text)}</p>')
        missing: list[str] = []
        if not criteria:
            parts.append(_note("This goal has not been checked yet."))
            verdict = "not checked"
        else:
            rows = []
            for name in CRITERIA:
                res = criteria.get(name) or {}
                ok = bool(res.get("passed"))
                if not ok and name in CORE_CRITERIA:
                    missing.append(name)
                met = ("yes" if ok else "no") if name in CORE_CRITERIA else ("ok" if ok else "warning")
                rows.append((names[name], met, res.get("reason") or "", res.get("suggestion") or ""))
            is_goal = check.get("is_goal", True)
            verdict = "not a goal" if not is_goal else ("ready" if not missing else "needs work")
            parts.append(_p(f"Verdict: {verdict} ({len(CORE_CRITERIA) - len(missing)} of "
                            f"{len(CORE_CRITERIA)} core criteria met)."))
            parts.append(_table(rows, ["Check", "Met", "Why", "Next step"]))
            if missing and check.get("rewrite"):
                parts.append(_p("A stronger shape for it: " + str(check["rewrite"])))
        parts.append("</div>")
        out.append({"id": g.id, "status": status, "verdict": verdict, "missing": missing})
    return Section("Goals", "".join(parts), "\n".join(g.text for g in data.goals), {"goals": out})


def moderation_section(data: SummaryData) -> Section:
    """What was hidden by moderation: counts only, never the text."""
    hidden = data.hidden
    by_prompt = Counter(s.prompt_id for s in hidden)
    prompts = {p.id: p for p in data.prompts}
    actions = Counter(a["action"] for a in data.audit if a["action"] in ("hide", "restore"))
    if not hidden:
        body = _p("Nothing was hidden by moderation.")
    else:
        rows = [(f"{prompts[pid].position + 1}. {_prompt_label(data, prompts[pid])}" if pid in prompts
                 else "(no question)", n) for pid, n in sorted(by_prompt.items(), key=lambda kv: str(kv[0]))]
        body = _p(f"{len(hidden):,} of {len(data.submissions):,} ideas {'was' if len(hidden) == 1 else 'were'} "
                  "hidden by the facilitators "
                  "(spam, personal information or abuse). They are left out of every number and theme above; "
                  "their text is not shown here.") + _table(rows, ["Question", "Hidden"], numeric=(1,))
    if actions:
        body += _note(f"Moderation log: {actions.get('hide', 0)} hide and {actions.get('restore', 0)} restore "
                      "actions.")
    return Section("Moderation", body, f"{len(hidden)} hidden",
                   {"hidden": len(hidden), "hide_actions": actions.get("hide", 0),
                    "restore_actions": actions.get("restore", 0)})


def next_steps_section(data: SummaryData, *, sections: Sequence[Section] = ()) -> Section:
    """Next steps, drawn from the other sections (gaps to close, top themes, goals to strengthen).

    Parameters
    ----------
    data : SummaryData
        The data.
    sections : sequence of Section
        The sections shown above (their ``data`` drives the suggestions).
    """
    by_title = {s.title: s.data for s in sections}
    steps: list[str] = []
    votes = next((d for t, d in by_title.items() if t == "Voting results"), {})
    themes = next((d for t, d in by_title.items() if t.startswith("What we heard")), {})
    top = [o["label"] for o in votes.get("options", []) if o.get("dots")][:3]
    if not top:
        top = [t["label"] for t in themes.get("themes", [])][:3]
    if top:
        steps.append("Take the top priorities to the working groups: " + "; ".join(top) + ".")
    rep = next((d for t, d in by_title.items() if t.startswith("Who took part")), {})
    under = sorted({g for d in rep.get("dimensions", {}).values() for g in d.get("under", [])})
    if under:
        steps.append("Before the next session, reach out to groups the room under-represented compared with "
                     "the community: " + ", ".join(under) + ".")
    if rep.get("participants") and rep.get("consented", 0) < 0.5 * rep["participants"]:
        steps.append("Fewer than half of participants shared demographics; explain next time why we ask "
                     "and how answers are protected.")
    goals = next((d for t, d in by_title.items() if t == "Goals"), {})
    for i, g in enumerate(goals.get("goals", []), 1):
        if g.get("missing"):
            steps.append(f"Strengthen goal {i}: it does not yet meet " + ", ".join(
                m.replace("_", "-") for m in g["missing"]) + " (see its check above).")
    steps.append("Share this summary with participants and partners, in every language of the session, "
                 "and say what happens next.")
    return Section("Next steps", _ul(steps), "\n".join(steps), {"steps": steps})
