"""What every section shares: the data read once from the store, the Section it returns,
the catalogue lookup and the HTML and chart helpers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...clock import parse_iso, utcnow_iso
from ...i18n import format_number, format_when, gettext, ngettext
from ...settings import Settings, load_settings
from ...text import esc, table_html
from ...themes.current import current_themes

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
    current_themes : ThemeState or None
        The session's current themes (what every screen showed; ballots are named by them).
    vote_rows : list of tuple
        The round's cast dots, ``(participant key, option id, dots)``.
    audit : list of dict
        The session's audit trail (only counted, never quoted).
    output_dir : Path or None
        Where word-cloud PNGs are also written (``None``: nowhere).
    generated_at : str
        When the data was read (UTC, ISO 8601).
    lang : str
        Language of every word of the summary (a catalogue language; default English).
    goal_values : list of dict
        Partners' indicator values of the goals (``Store.list_indicator_values``).
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
    current_themes: Any = None
    vote_rows: list[tuple[str, int, int]] = field(default_factory=list)
    goal_values: list[dict[str, Any]] = field(default_factory=list)
    _themes: Any = None
    _themes_error: str | None = None
    #: Language-independent results (word clouds...) shared by the copies :class:`Report`
    #: makes for each language, so a second language does not compute them again.
    _shared: dict[Any, Any] = field(default_factory=dict)

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
            from .themes import _fit_themes

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
    from ...errors import ConfigError, NotFoundError
    from ...store import open_store

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
            current_themes=current_themes(store, session.id),
            vote_rows=store.vote_rows(vr.id) if vr else [],
            goal_values=store.list_indicator_values(g.id for g in store.list_goals(session.id)),
        )
    finally:
        store.close()
    return data


# -- helpers ----------------------------------------------------------------------------------


def _t(data: SummaryData, key: str, **values: Any) -> str:
    """The catalogue string ``summaries.<key>`` in the summary's language."""
    return gettext(data.lang, f"summaries.{key}", **values)


def _tn(data: SummaryData, key: str, n: int, **values: Any) -> str:
    """The counted catalogue string ``summaries.<key>`` for ``n`` (``.one`` / ``.other``), the
    number written as the summary's language writes it.
    """
    return ngettext(data.lang, f"summaries.{key}", int(n), n=_num(data, n), **values)


def _num(data: SummaryData, n: float, digits: int = 0) -> str:
    """A number as the summary's language writes it (``1,234.5`` / ``1.234,5``)."""
    return format_number(data.lang, n, digits)


def _frame(frame: Any, *, index: bool = True, index_name: str = "") -> str:
    """A display table (strings) as HTML; every column after the first is a number."""
    width = len(frame.columns) + (1 if index else 0)
    return table_html(frame, index=index, index_name=index_name, numeric=range(1, width))


def _p(text: str) -> str:
    return f"<p>{esc(text)}</p>"


def _note(text: str) -> str:
    return f'<p class="pbp-note">{esc(text)}</p>'


def _caution(text: str) -> str:
    return f'<p class="pbp-caution" role="note"><strong>{esc(text)}</strong></p>'


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
    from ..overview import count_figures

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
