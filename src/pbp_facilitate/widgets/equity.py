"""The equity lens where it shows: a live ipywidgets panel for ``workbooks/equity.ipynb``.

During a session the facilitator sees who is in the room compared with the
community, and who is missing, while there is still time to send outreach:

* a **dimension picker** (race or ethnicity, neighbourhood, age band... from
  the session's survey);
* the **gaps in plain words**, English or Spanish ("Hispanic or Latino
  residents are 31% of the community and 12% of participants.");
* a **representation chart** against the community benchmarks
  (``surveys/community_benchmarks.csv``) and its table;
* **breakdown tables** of themes and dot votes by group, and the top
  priorities of the most under-represented group;
* **re-weighted theme shares** beside the raw ones, with the method stated.

Everything shown goes through :mod:`pbp_facilitate.equity`'s disclosure
control (:func:`~pbp_facilitate.equity.suppress`,
:func:`~pbp_facilitate.equity.gap_sentences`,
:func:`~pbp_facilitate.equity.plot_representation`): no raw count table is
ever displayed. Every piece of text (theme labels are made of participants'
words) is escaped with :func:`pbp_facilitate.text.esc`, tables are built by
:func:`pbp_facilitate.text.table_html`, and every string of the panel is a
``panels.eq_*`` key of :mod:`pbp_facilitate.i18n.panels`.

The panel polls :meth:`Store.data_version` with the dashboard's
:class:`~pbp_facilitate.widgets.LivePoller`; when the data moved it recomputes
in a worker thread (disclosure control can take half a second), and each
section is recomputed only when its own inputs changed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from .. import equity as eq
from ..equity import BENCHMARK_FILE
from ..i18n import gettext
from ..settings import Settings, load_settings
from ..store import SessionRecord, Store, open_store
from ..text import esc, figure_png, png_img, shorten
from ..text import table_html as _table_html
from .common import error_html, style_widget
from .live import LivePoller
from .session_picker import SessionPicker, surveys_folder

__all__ = [
    "BENCHMARK_FILE",
    "EquityInputs",
    "EquityView",
    "EquityPanel",
    "read_inputs",
    "build_view",
    "equity_table_html",
    "equity_panel",
]

_STYLE = """
<style>
.pbp-eq .pbp-eq-gaps { border-left: 4px solid #b5179e; background: #fdf3fa; padding: 6px 10px;
                       margin: 6px 0; }
.pbp-eq .pbp-eq-gaps.pbp-eq-calm { border-left-color: #137333; background: #f1f8f3; }
.pbp-eq .pbp-eq-gaps ul { margin: 4px 0 2px 1.1em; padding: 0; }
.pbp-eq .pbp-eq-gaps li { margin: 2px 0; }
.pbp-eq .pbp-eq-nothing { border: 1px dashed #9aa0a6; border-radius: 8px; padding: 10px 14px;
                          margin: 8px 0; background: #f8f9fa; font-size: 1.05em; }
.pbp-eq table.pbp-eq-table { border-collapse: collapse; margin: 4px 0 6px; font-size: .95em; }
.pbp-eq .pbp-eq-table th, .pbp-eq .pbp-eq-table td { border-bottom: 1px solid #e3e6ea;
                                                      padding: 3px 8px; text-align: right;
                                                      vertical-align: top; }
.pbp-eq .pbp-eq-table th { background: #f3f5f8; font-weight: 600; }
.pbp-eq .pbp-eq-table th:first-child, .pbp-eq .pbp-eq-table td.pbp-eq-row { text-align: left;
                                                                            max-width: 22em; }
.pbp-eq .pbp-eq-table caption { caption-side: bottom; text-align: left; color: #5f6368;
                                font-size: .9em; padding-top: 2px; }
.pbp-eq .pbp-eq-table td.pbp-eq-hidden { color: #8a5a00; background: #fef7e0; white-space: nowrap; }
.pbp-eq .pbp-eq-table tr.pbp-eq-total td { font-weight: 600; border-top: 2px solid #c9ced6; }
.pbp-eq .pbp-eq-under { color: #b5179e; font-weight: 600; }
.pbp-eq .pbp-eq-chart img { max-width: min(100%, 760px); height: auto; }
</style>
"""


def _w(lang: str, key: str, **values: Any) -> str:
    """Return the panel's string ``panels.eq_<key>`` in ``lang``, every value escaped.

    The catalogue strings are our own (some hold ``<b>`` markup); what goes into
    their placeholders (counts, dimension names, error text) is escaped here.
    """
    return gettext(lang, f"panels.eq_{key}", **{k: esc(v) for k, v in values.items()})


def _message(attrs: dict[str, Any], lang: str, key: str = "message") -> str:
    """Return a table's ``attrs[key]`` in ``lang`` (``key + "_es"`` in Spanish), or ``""``."""
    text = attrs.get(key + "_es") if lang == "es" else None
    return str(text or attrs.get(key) or "")


# ---------------------------------------------------------------------------
# Inputs and the computed view (plain data, built in a worker thread)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EquityInputs:
    """What the panel reads from the store for one session (cheap reads, no disclosure control).

    Attributes
    ----------
    session_id : int
        The session.
    participants : pandas.DataFrame
        :meth:`Store.participants_frame`.
    submissions : pandas.DataFrame
        ``participant_key``, ``theme_id`` of every visible idea that is in the
        latest theme snapshot.
    theme_labels : dict
        ``{theme id: label}`` from the latest snapshot.
    unthemed : int
        Visible ideas newer than the latest snapshot (not in a theme yet).
    votes : pandas.DataFrame
        :meth:`Store.votes_frame` of the latest voting round (empty without one).
    vote_labels : dict
        ``{option id: label}`` of that round.
    round_id, round_status, round_dots
        The latest round (``None``/``""``/``0`` without one).
    """

    session_id: int
    participants: pd.DataFrame
    submissions: pd.DataFrame
    theme_labels: dict[int, str] = field(default_factory=dict)
    unthemed: int = 0
    votes: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["participant_key", "theme_id", "dots"])
    )
    vote_labels: dict[int, str] = field(default_factory=dict)
    round_id: int | None = None
    round_status: str = ""
    round_dots: int = 0

    def digest(self, part: str) -> str:
        """Return a fingerprint of the inputs one section depends on.

        Parameters
        ----------
        part : {"participants", "themes", "votes"}
            ``participants`` covers the representation chart and table;
            ``themes`` adds ideas and theme labels; ``votes`` adds the round.
        """
        pieces: list[Any] = [self.session_id, _records(self.participants)]
        if part == "themes":
            pieces += [_records(self.submissions), sorted(self.theme_labels.items()), self.unthemed]
        elif part == "votes":
            pieces += [
                _records(self.votes),
                sorted(self.vote_labels.items()),
                self.round_id,
                self.round_status,
                self.round_dots,
            ]
        raw = json.dumps(pieces, default=str, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _records(frame: pd.DataFrame) -> list[Any]:
    return [list(frame.columns), frame.astype(object).where(frame.notna(), None).values.tolist()]


def read_inputs(store: Store, session_id: int) -> EquityInputs:
    """Read a session's participants, themed ideas and votes from the store.

    Theme ids come from the latest stored theme snapshot (``ids`` and
    ``theme_ids`` as written by :func:`pbp_facilitate.themes.themes_to_json`,
    else the themes' ``members``); ideas that arrived after it have no theme
    yet and are counted in ``unthemed``. Hidden ideas are left out.

    Parameters
    ----------
    store : Store
        The store.
    session_id : int
        The session.

    Returns
    -------
    EquityInputs
    """
    participants = store.participants_frame(session_id)
    subs = store.list_submissions(session_id)
    snap = store.latest_theme_snapshot(session_id) or {}
    mapping: dict[str, int] = {}
    ids, tids = snap.get("ids") or [], snap.get("theme_ids") or []
    if ids and len(ids) == len(tids):
        mapping = {str(i): int(t) for i, t in zip(ids, tids, strict=True)}
    else:
        for th in snap.get("themes", []):
            for m in th.get("members", []):
                mapping[str(m)] = int(th["id"])
    labels = {int(th["id"]): str(th.get("label", "")) for th in snap.get("themes", [])}
    rows = [(s.participant_key, mapping[s.id]) for s in subs if s.id in mapping]
    submissions = pd.DataFrame(rows, columns=["participant_key", "theme_id"])
    unthemed = sum(1 for s in subs if s.id not in mapping) if snap else 0
    vr = store.current_voting_round(session_id)
    if vr is None:
        return EquityInputs(session_id, participants, submissions, labels, unthemed)
    return EquityInputs(
        session_id,
        participants,
        submissions,
        labels,
        unthemed,
        store.votes_frame(vr.id),
        {int(o["id"]): str(o["label"]) for o in vr.options},
        vr.id,
        vr.status,
        int(vr.dots),
    )


@dataclass
class EquityView:
    """One computed state of the panel: escaped HTML fragments and the chart, ready to show.

    Attributes
    ----------
    state : str
        ``"ok"``, ``"nothing_shared"`` (participants, none consented),
        ``"no_participants"`` or ``"no_questions"`` (the survey asks none).
    dimension, lang : str
        What was computed.
    message_html : str
        The line above everything (consent summary, or the nothing-shared message).
    gaps : list of str
        Plain-words gap sentences (unescaped text, for tests and alt text).
    gaps_html, chart_html, representation_html, themes_html, votes_html, reweighted_html : str
        The sections.
    chart_png : bytes
        The representation chart (empty without one).
    seconds : float
        How long the computation took.
    """

    state: str
    dimension: str = ""
    lang: str = "en"
    message_html: str = ""
    gaps: list[str] = field(default_factory=list)
    gaps_html: str = ""
    chart_png: bytes = b""
    chart_html: str = ""
    representation_html: str = ""
    themes_html: str = ""
    votes_html: str = ""
    reweighted_html: str = ""
    seconds: float = 0.0


_TOTAL_WORDS = frozenset(gettext(lang, "equity.total") for lang in ("en", "es"))
_UNDER_WORDS = frozenset(gettext(lang, "equity.status_under") for lang in ("en", "es"))


def _is_hidden(text: str) -> bool:
    """Whether a display cell is a protected one (``<5``, ``<5 people``, ``≤12%`` or ``*``)."""
    return text.startswith(("<", "≤")) or text == eq.COMPLEMENT_MARK


def equity_table_html(
    frame: pd.DataFrame,
    *,
    index: bool = True,
    index_name: str = "",
    caption: str = "",
    status_column: str | None = None,
) -> str:
    """Return a display table (strings, e.g. from :func:`~pbp_facilitate.equity.suppress`) as HTML.

    A thin use of :func:`pbp_facilitate.text.table_html` (which escapes every
    heading and cell) with the panel's classes: ``pbp-eq-row`` on the first
    column, ``pbp-eq-hidden`` on protected cells, ``pbp-eq-under`` on the
    under-represented status and ``pbp-eq-total`` on the Total row.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to show.
    index : bool
        Show the index as the first column.
    index_name : str
        Heading of the index column.
    caption : str
        Note about the table, shown under it.
    status_column : str, optional
        Column whose under-represented cells (``under``/``subrepresentado``) are highlighted.

    Returns
    -------
    str
    """
    shown = list(frame.columns)
    status_at = None
    if status_column is not None and status_column in shown:
        status_at = shown.index(status_column) + (1 if index else 0)

    def cell_class(_row: int, col: int, text: str) -> str:
        classes = ["pbp-eq-row"] if col == 0 else []
        if _is_hidden(text):
            classes.append("pbp-eq-hidden")
        if col == status_at and text in _UNDER_WORDS:
            classes.append("pbp-eq-under")
        return " ".join(classes)

    def row_class(_row: int, texts: list[str]) -> str:
        return "pbp-eq-total" if texts and texts[0] in _TOTAL_WORDS else ""

    return _table_html(
        frame,
        index=index,
        index_name=index_name,
        caption=caption,
        table_class="pbp-eq-table",
        cell_class=cell_class,
        row_class=row_class,
    )


def _p(text_html: str, cls: str = "pbp-muted") -> str:
    return f'<div class="{cls}">{text_html}</div>'


class _Memo:
    """Last result per section, keyed by its inputs (so unchanged sections are not recomputed)."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[Any, Any]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, section: str, key: Any, compute: Callable[[], Any]) -> Any:
        hit = self._cache.get(section)
        if hit is not None and hit[0] == key:
            self.hits += 1
            return hit[1]
        self.misses += 1
        value = compute()
        self._cache[section] = (key, value)
        return value


def build_view(
    inputs: EquityInputs,
    session: SessionRecord,
    dimension: str,
    benchmarks: eq.CommunityBenchmarks | None,
    *,
    small_count: int = 5,
    lang: str = "en",
    benchmark_problem: str = "",
    memo: _Memo | None = None,
) -> EquityView:
    """Compute every section of the panel for one dimension and language.

    Runs in a worker thread: it only computes (disclosure control included)
    and returns escaped HTML; it touches no widget.

    Parameters
    ----------
    inputs : EquityInputs
        From :func:`read_inputs`.
    session : SessionRecord
        The session (for its survey's questions).
    dimension : str
        Demographic question key.
    benchmarks : CommunityBenchmarks, optional
        The community's shares; ``None`` when the file is missing or broken.
    small_count : int
        Disclosure threshold (``Settings.small_count``).
    lang : {"en", "es"}
        Language of the sentences, chart and headings.
    benchmark_problem : str
        Why there are no benchmarks, shown when ``benchmarks`` is None.
    memo : optional
        Section cache of the panel.

    Returns
    -------
    EquityView
    """
    t0 = time.perf_counter()
    memo = memo or _Memo()
    k = int(small_count)
    survey = session.survey
    people = inputs.participants
    n = int(len(people))
    consented = eq.count_consented(people)
    if not survey.demographics:
        return EquityView(
            "no_questions", dimension, lang, _p(_w(lang, "no_questions"), "pbp-eq-nothing")
        )
    if n == 0:
        return EquityView(
            "no_participants", dimension, lang, _p(_w(lang, "nobody"), "pbp-eq-nothing")
        )
    if consented == 0:
        return EquityView(
            "nothing_shared", dimension, lang, _p(_w(lang, "nothing", n=n), "pbp-eq-nothing")
        )
    q = survey.question(dimension) or survey.demographics[0]
    dim = q.key
    dim_words = eq.dimension_name(dim, lang)
    view = EquityView("ok", dim, lang, _p(_w(lang, "shared", c=consented, n=n)))
    small_note = _w(lang, "small", k=k)
    comparable = benchmarks is not None and dim in benchmarks.dimensions and not q.multiple
    groups = (
        benchmarks.groups(dim)
        if comparable and benchmarks is not None
        else [o.value for o in q.options]
    )
    key_p, key_t, key_v = (
        inputs.digest("participants"),
        inputs.digest("themes"),
        inputs.digest("votes"),
    )
    bench_id = id(benchmarks)

    # -- representation: gaps, chart, table --------------------------------------------------------
    rep = None
    if comparable and benchmarks is not None:

        def rep_section() -> tuple[Any, list[str], bytes, str]:
            r = eq.representation(people, benchmarks, dim, small_count=k)
            sentences = eq.gap_sentences(r, lang)
            png = figure_png(eq.plot_representation(r, lang=lang))
            shown = eq.suppress(r, k, lang=lang)
            table = equity_table_html(
                shown,
                index=False,
                caption=shown.attrs.get("note", ""),
                status_column=shown.columns[-1],
            )
            return r, sentences, png, table

        rep, sentences, png, rep_table = memo.get(
            "rep", (key_p, dim, lang, k, bench_id), rep_section
        )
        enough = int(rep.attrs["n_shared"]) >= k
        n_under = int((rep["status"] == "under").sum()) if enough else 0
        n_over = int((rep["status"] == "over").sum()) if enough else 0
        view.gaps = list(sentences)

        def block(title: str, lines: list[str]) -> str:
            items = "".join(f"<li>{esc(s)}</li>" for s in lines)
            return f'<div class="pbp-card-title">{esc(title)}</div><ul>{items}</ul>'

        if n_under or n_over:
            # gap_sentences lists the under-represented groups first, then the over-represented ones
            inner = (block(_w(lang, "gaps_title"), sentences[:n_under]) if n_under else "") + (
                block(_w(lang, "gaps_over"), sentences[n_under : n_under + n_over])
                if n_over
                else ""
            )
        else:
            inner = block(_w(lang, "gaps_none") if enough else _w(lang, "gaps_wait"), sentences)
        view.gaps_html = (
            f'<div class="pbp-eq-gaps{"" if n_under else " pbp-eq-calm"}">{inner}</div>'
        )
        view.chart_png = png
        alt = _w(lang, "chart_alt", dim=dim_words) + " ".join(sentences)
        view.chart_html = f'<div class="pbp-eq-chart">{png_img(png, alt)}</div>'
        view.representation_html = rep_table
    else:
        why = (
            _w(lang, "no_bench", dim=dim_words, file=BENCHMARK_FILE)
            if benchmarks is not None or not benchmark_problem
            else esc(benchmark_problem)
        )
        if q.multiple:
            why += " " + _w(lang, "multiple", dim=dim_words)
        view.gaps_html = _p(why, "pbp-eq-gaps pbp-eq-calm")
        view.representation_html = _p(why)

    # -- themes by group ---------------------------------------------------------------------------
    def themes_section() -> str:
        if not inputs.theme_labels and inputs.submissions.empty:
            return _p(_w(lang, "no_themes"))
        labels = {t: shorten(lbl, 48) for t, lbl in inputs.theme_labels.items()}
        tb = eq.theme_breakdown(
            inputs.submissions, people, dim, groups=groups, theme_labels=labels, small_count=k
        )
        parts = [_p(_w(lang, "themes_note", dim=dim_words))]
        if tb.empty:
            parts.append(_p(esc(_message(tb.attrs, lang))))
        else:
            parts.append(
                equity_table_html(eq.suppress(tb, k, lang=lang), index_name=_w(lang, "theme"))
            )
            parts.append(_p(small_note))
        if inputs.unthemed:
            parts.append(_p(_w(lang, "unthemed", n=inputs.unthemed)))
        return "".join(parts)

    view.themes_html = memo.get("themes", (key_t, dim, lang, k, bench_id), themes_section)

    # -- votes by group (and the most under-represented group's priorities) ------------------------
    def votes_section() -> str:
        if inputs.round_id is None:
            return _p(_w(lang, "no_votes"))
        if inputs.votes.empty:
            return _p(_w(lang, "no_ballots", r=inputs.round_id))
        labels = {t: shorten(lbl, 48) for t, lbl in inputs.vote_labels.items()}
        vb = eq.vote_breakdown(
            inputs.votes,
            people,
            dim,
            groups=groups,
            theme_labels=labels,
            dots_per_participant=inputs.round_dots or None,
            small_count=k,
        )
        status = inputs.round_status
        if status in ("open", "closed"):
            status = _w(lang, f"round_{status}")
        parts = [_p(_w(lang, "votes_note", r=inputs.round_id, status=status, dim=dim_words))]
        shown = eq.suppress(vb, k, lang=lang)
        parts.append(
            equity_table_html(
                shown, index_name=_w(lang, "theme"), caption=shown.attrs.get("note", "")
            )
        )
        if rep is not None:
            pr = eq.group_priorities(vb, rep=rep)
            parts.append(f'<div class="pbp-card-title">{esc(_w(lang, "priorities"))}</div>')
            parts.append(_p(esc(_message(pr.attrs, lang))))
            if not pr.empty:
                parts.append(
                    equity_table_html(eq.suppress(pr, k, lang=lang), index_name=_w(lang, "theme"))
                )
        return "".join(parts)

    rep_key = key_p if rep is not None else None
    view.votes_html = memo.get("votes", (key_v, rep_key, dim, lang, k, bench_id), votes_section)

    # -- re-weighted theme shares ------------------------------------------------------------------
    def reweighted_section() -> str:
        if not comparable or benchmarks is None:
            return _p(_w(lang, "rw_needs_bench", dim=dim_words))
        if inputs.submissions.empty:
            return _p(_w(lang, "no_themes"))
        labels = {t: shorten(lbl, 48) for t, lbl in inputs.theme_labels.items()}
        rw = eq.reweighted_theme_shares(
            inputs.submissions, people, benchmarks, dim, theme_labels=labels, small_count=k
        )
        parts = [_p(_w(lang, "rw_note", dim=dim_words))]
        if _message(rw.attrs, lang):
            parts.append(_p(esc(_message(rw.attrs, lang))))
        if not rw.empty:
            parts.append(
                equity_table_html(eq.suppress(rw, k, lang=lang), index_name=_w(lang, "theme"))
            )
        method = esc(_message(rw.attrs, lang, "method"))
        parts.append(f"<div><b>{esc(_w(lang, 'method'))}.</b> {method}</div>")
        return "".join(parts)

    view.reweighted_html = memo.get("rw", (key_t, dim, lang, k, bench_id), reweighted_section)
    view.seconds = time.perf_counter() - t0
    return view


# ---------------------------------------------------------------------------
# The panel
# ---------------------------------------------------------------------------


class EquityPanel(w.VBox):
    """Who is in the room against the community, live; breakdowns by group, small counts protected.

    Parameters
    ----------
    store : Store
        The store.
    settings : Settings
        ``small_count``, ``poll_interval_s`` and ``surveys_dir`` (where
        ``community_benchmarks.csv`` is read).
    code : str, optional
        Session to open first (default the demo session, else the newest).
    benchmarks : CommunityBenchmarks or path, optional
        Community benchmarks to use instead of ``surveys_dir/community_benchmarks.csv``.
    dimension : str, optional
        Dimension to show first (default the first the benchmarks cover).
    lang : {"en", "es"}
        Language of the gaps and chart first shown.

    Notes
    -----
    :meth:`start` polls the store on the kernel's event loop; a change is
    recomputed in a worker thread (:meth:`update`), never on the loop.
    Without a running loop (tests, scripts) :meth:`refresh_now` computes in
    place.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        code: str | None = None,
        benchmarks: eq.CommunityBenchmarks | str | Path | None = None,
        dimension: str | None = None,
        lang: str = "en",
    ) -> None:
        self.store = store
        self.settings = settings
        self.benchmarks, self.benchmark_problem = eq.load_community_benchmarks(
            benchmarks, folder=surveys_folder(settings)
        )
        self.view: EquityView | None = None
        self.memo = _Memo()
        self.computes = 0
        self.update_task: asyncio.Task[None] | None = None
        self._again = False
        self._busy = False
        self._quiet = False
        self._failed = False
        self.last_error: BaseException | None = None
        self._last_change = "-"
        self._wanted_dimension = dimension
        self.session: SessionRecord | None = None
        first_lang = lang if lang in ("en", "es") else "en"
        self.dimension = w.Dropdown(
            description=_w(first_lang, "compare"),
            layout=w.Layout(width="360px"),
            style={"description_width": "initial"},
        )
        self.lang = w.ToggleButtons(
            options=[("English", "en"), ("Español", "es")],
            value=first_lang,
            style={"button_width": "90px"},
            tooltips=["English", "Español"],
        )
        self.live = w.HTML()
        self.status = w.HTML()
        self.message = w.HTML()
        self.gaps = w.HTML()
        self.chart = w.HTML()
        self.representation = w.HTML()
        self.themes = w.HTML()
        self.votes = w.HTML()
        self.reweighted = w.HTML()
        self.tabs = w.Tab(children=[self.representation, self.themes, self.votes, self.reweighted])
        self._title_tabs(first_lang)
        self.body = w.VBox([self.gaps, self.chart, self.tabs])
        self.poller = LivePoller(store, self.tick, interval=settings.poll_interval_s)
        self.picker = SessionPicker(store, settings, code=code, compact=True)
        controls = w.HBox(
            [self.dimension, self.lang, self.live],
            layout=w.Layout(align_items="center", justify_content="space-between"),
        )
        super().__init__(
            [
                style_widget(),
                w.HTML(_STYLE, layout=w.Layout(display="none")),
                self.picker,
                controls,
                self.status,
                self.message,
                self.body,
            ]
        )
        self.add_class("pbp-dash")
        self.add_class("pbp-eq")
        if self.benchmark_problem:
            self.status.value = error_html(self.benchmark_problem)
        self.dimension.observe(self._on_control, names="value")
        self.lang.observe(self._on_control, names="value")
        self.picker.on_change(self.set_session)
        self.set_session(self.picker.session)

    # -- controls ----------------------------------------------------------------------------------

    def _title_tabs(self, lang: str) -> None:
        self.tabs.titles = tuple(
            _w(lang, t) for t in ("tab_rep", "tab_themes", "tab_votes", "tab_rw")
        )

    def _dimension_options(self, session: SessionRecord | None) -> list[tuple[str, str]]:
        if session is None:
            return []
        out = []
        for q in session.survey.demographics:
            name = eq.dimension_name(q.key)
            name = name[:1].upper() + name[1:]
            covered = (
                self.benchmarks is not None
                and q.key in self.benchmarks.dimensions
                and not q.multiple
            )
            out.append((name + ("" if covered else _w("en", "no_figures")), q.key))
        return out

    def _on_control(self, change: dict) -> None:
        if self._quiet:
            return
        if change["name"] == "value" and change["owner"] is self.lang:
            self._title_tabs(self.lang.value)
            self.dimension.description = _w(self.lang.value, "compare")
        self.request_update()

    def set_session(self, session: SessionRecord | None) -> None:
        """Show ``session`` (keeping the chosen dimension when its survey asks it too)."""
        self.session = session
        options = self._dimension_options(session)
        keys = [k for _, k in options]
        keep = self.dimension.value if self.dimension.value in keys else self._wanted_dimension
        if keep not in keys:
            covered = [
                k for k in keys if self.benchmarks is not None and k in self.benchmarks.dimensions
            ]
            keep = (covered or keys or [None])[0]
        self._quiet = True
        try:
            self.dimension.options = options
            self.dimension.value = keep
        finally:
            self._quiet = False
        self.poller.mark_changed()
        self.request_update()

    # -- computing ---------------------------------------------------------------------------------

    def _controls(self) -> tuple[SessionRecord | None, str, str]:
        return self.session, str(self.dimension.value or ""), str(self.lang.value)

    def compute(
        self, session: SessionRecord | None, dimension: str, lang: str
    ) -> EquityView | None:
        """Read the store and build the view (safe in a worker thread: it writes no widget).

        Parameters
        ----------
        session : SessionRecord or None
            The session to show.
        dimension : str
            Demographic question key.
        lang : {"en", "es"}
            Language of the gaps, chart and headings.
        """
        if session is None:
            return None
        inputs = read_inputs(self.store, session.id)
        self.computes += 1
        return build_view(
            inputs,
            session,
            dimension,
            self.benchmarks,
            small_count=self.settings.small_count,
            lang=lang,
            benchmark_problem=self.benchmark_problem,
            memo=self.memo,
        )

    def apply(self, view: EquityView | None) -> None:
        """Put a computed view on screen (on the event loop)."""
        self.view = view
        if view is None:
            self.message.value = _p(_w(str(self.lang.value), "no_session"), "pbp-eq-nothing")
            self.body.layout.display = "none"
            return
        for widget, value in (
            (self.message, view.message_html),
            (self.gaps, view.gaps_html),
            (self.chart, view.chart_html),
            (self.representation, view.representation_html),
            (self.themes, view.themes_html),
            (self.votes, view.votes_html),
            (self.reweighted, view.reweighted_html),
        ):
            if widget.value != value:
                widget.value = value
        self.body.layout.display = None if view.state == "ok" else "none"

    def refresh_now(self) -> EquityView | None:
        """Recompute and show synchronously (tests, scripts; in a kernel use :meth:`update`)."""
        view = self.compute(*self._controls())
        self.apply(view)
        self._last_change = time.strftime("%H:%M:%S")
        return view

    async def update(self) -> None:
        """Recompute in a worker thread and show the result; a change meanwhile runs once more."""
        if self._busy:
            self._again = True
            return
        self._busy = True
        loop = asyncio.get_running_loop()
        try:
            while True:
                self._again = False
                self.live.value = self._live_html(computing=True)
                controls = self._controls()
                try:
                    view = await loop.run_in_executor(None, self.compute, *controls)
                except Exception as exc:  # noqa: BLE001 - keep the live page alive, say what failed
                    self._failed = True
                    self.last_error = exc
                    self.status.value = error_html(
                        gettext(str(controls[2]), "panels.eq_update_failed", e=exc)
                    )
                else:
                    if controls == self._controls():  # else the controls moved meanwhile: go again
                        self.apply(view)
                        self._last_change = time.strftime("%H:%M:%S")
                    else:
                        self._again = True
                    self.last_error = None
                    if self._failed:
                        self._failed = False
                        self.status.value = (
                            error_html(self.benchmark_problem) if self.benchmark_problem else ""
                        )
                if not self._again:
                    break
        finally:
            self._busy = False
            self.live.value = self._live_html()

    async def ready(self) -> EquityView | None:
        """Wait until the pending recompute (if any) is on screen; return the view shown.

        Raises
        ------
        Exception
            What made the last recompute fail (the panel itself keeps running and shows it too).
        """
        while self.update_task is not None and not self.update_task.done():
            await asyncio.shield(self.update_task)
        if self.last_error is not None:
            raise self.last_error
        return self.view

    def request_update(self) -> None:
        """Recompute soon: as a task on the running loop, or right now when no loop runs."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.refresh_now()
            return
        if self._busy:
            self._again = True
            return
        self.update_task = loop.create_task(self.update())

    def _live_html(self, *, computing: bool = False) -> str:
        lang = str(self.lang.value)
        err = self.poller.last_error
        if err is not None:
            return f'<span class="pbp-error">{_w(lang, "failing", e=err)}</span>'
        extra = f" · {_w(lang, 'computing')}" if computing else ""
        return f'<span class="pbp-muted">{_w(lang, "live", t=self._last_change)}{extra}</span>'

    async def tick(self, changed: bool) -> None:
        """One poll: when the data moved, start a recompute task (the poll never waits for it).

        Widgets change only when something happened, so an idle panel sends no messages and the
        kernel of a closed tab can be culled.
        """
        if changed and self.session is not None:
            self.request_update()
        if not self._busy:
            self.live.value = self._live_html()  # same text when idle: traitlets sends nothing

    def start(self) -> EquityPanel:
        """Start live updates on the kernel's event loop (never blocks a cell); return self."""
        self.poller.start()
        return self

    def stop(self) -> None:
        """Stop live updates."""
        self.poller.stop()


def equity_panel(
    code: str | None = None,
    *,
    settings: Settings | None = None,
    store: Store | None = None,
    start: bool = True,
    **kw: Any,
) -> EquityPanel:
    """Build the equity panel from the settings (``PBP_DATABASE_URL`` etc.) and start live updates.

    Parameters
    ----------
    code : str, optional
        Session join code to open first.
    settings : Settings, optional
        Default :func:`~pbp_facilitate.settings.load_settings`.
    store : Store, optional
        Default opened from the settings.
    start : bool
        Start the live poller (needs a running event loop, as in a kernel).
    **kw
        Passed to :class:`EquityPanel` (``benchmarks``, ``dimension``, ``lang``).

    Returns
    -------
    EquityPanel
    """
    settings = settings or load_settings()
    store = store or open_store(settings)
    panel = EquityPanel(store, settings, code=code, **kw)
    if start:
        panel.start()
    return panel
