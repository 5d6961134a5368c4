"""What the equity panel shows, computed from the store: its inputs, the HTML of each section
and the panel's table builder (no widgets here; :mod:`.equity` arranges them).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import equity as eq
from ..equity import BENCHMARK_FILE
from ..i18n import SUPPORTED, gettext, ngettext
from ..store import SessionRecord, Store
from ..text import esc, figure_png, png_img, shorten
from ..text import table_html as _table_html
from ..themes.current import ballot_options, current_themes
from ..themes.display import theme_label


def panel_text(lang: str, key: str, **values: Any) -> str:
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
        ``{theme id: label}`` (the default labels) from the latest snapshot.
    unthemed : int
        Visible ideas newer than the latest snapshot (not in a theme yet).
    votes : pandas.DataFrame
        :meth:`Store.votes_frame` of the latest voting round (empty without one).
    vote_labels : dict
        ``{option id: label}`` of that round (as stored).
    round_id, round_status, round_dots
        The latest round (``None``/``""``/``0`` without one).
    theme_labels_by_lang : dict
        ``{theme id: {language: label}}`` from the latest snapshot.
    vote_labels_by_lang : dict
        ``{option id: {language: label}}``: for a round opened from the themes, the label
        of the theme each option names now (:func:`pbp_facilitate.themes.ballot_options`).

    :meth:`labels_in` names themes and options in the viewer's language.
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
    theme_labels_by_lang: dict[int, dict[str, str]] = field(default_factory=dict)
    vote_labels_by_lang: dict[int, dict[str, str]] = field(default_factory=dict)

    def labels_in(self, lang: str | None) -> tuple[dict[int, str], dict[int, str]]:
        """Return ``({theme id: label}, {option id: label})`` in ``lang``
        (:func:`~pbp_facilitate.themes.display.theme_label`, falling back to the default labels).
        """

        def pick(default: dict[int, str], by_lang: dict[int, dict[str, str]]) -> dict[int, str]:
            return {
                i: theme_label({"label": lbl, "labels": by_lang.get(i)}, lang)
                for i, lbl in default.items()
            }

        return (
            pick(self.theme_labels, self.theme_labels_by_lang),
            pick(self.vote_labels, self.vote_labels_by_lang),
        )

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
            pieces += [
                _records(self.submissions),
                sorted(self.theme_labels.items()),
                sorted(self.theme_labels_by_lang.items()),
                self.unthemed,
            ]
        elif part == "votes":
            pieces += [
                _records(self.votes),
                sorted(self.vote_labels.items()),
                sorted(self.vote_labels_by_lang.items()),
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
    themes = snap.get("themes", [])
    labels = {int(th["id"]): str(th.get("label", "")) for th in themes}
    by_lang = {int(th["id"]): ls for th in themes if (ls := _labels(th))}
    rows = [(s.participant_key, mapping[s.id]) for s in subs if s.id in mapping]
    submissions = pd.DataFrame(rows, columns=["participant_key", "theme_id"])
    unthemed = sum(1 for s in subs if s.id not in mapping) if snap else 0
    vr = store.current_voting_round(session_id)
    if vr is None:
        return EquityInputs(
            session_id, participants, submissions, labels, unthemed, theme_labels_by_lang=by_lang
        )
    by_option: dict[int, dict[str, str]] = {}
    default = {int(o["id"]): str(o["label"]) for o in vr.options}
    if vr.from_themes:
        state, edits = current_themes(store, session_id), store.list_theme_edits(session_id)
        for line in ballot_options(vr, state, None, edits):
            default.update(dict.fromkeys(line.option_ids, line.label))
        for lang in store.get_session(session_id).languages:
            for line in ballot_options(vr, state, lang, edits):
                for oid in line.option_ids:
                    by_option.setdefault(oid, {})[lang] = line.label
    return EquityInputs(
        session_id,
        participants,
        submissions,
        labels,
        unthemed,
        store.votes_frame(vr.id),
        default,
        vr.id,
        vr.status,
        int(vr.dots),
        theme_labels_by_lang=by_lang,
        vote_labels_by_lang=by_option,
    )


def _labels(theme: Mapping[str, Any]) -> dict[str, str]:
    """A theme dict's ``{language: label}`` (empty when it has none)."""
    labels = theme.get("labels")
    return {str(k): str(v) for k, v in labels.items()} if isinstance(labels, Mapping) else {}


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
    opinion_groups_html: str = ""  # who is in each opinion group (widgets/reactions.py)
    seconds: float = 0.0


_TOTAL_WORDS = frozenset(gettext(lang, "equity.total") for lang in SUPPORTED)
_UNDER_WORDS = frozenset(gettext(lang, "equity.status_under") for lang in SUPPORTED)


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
    lang: str | None = None,
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
    lang : str, optional
        Language of the table's reader: the group of those who did not share
        (:data:`~pbp_facilitate.equity.NOT_SHARED`) is named in it.

    Returns
    -------
    str
    """
    if lang is not None:
        names = {eq.NOT_SHARED: gettext(lang, "equity.not_shared")}
        frame = frame.rename(index=names, columns=names)
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


def note_html(text_html: str, cls: str = "pbp-muted") -> str:
    return f'<div class="{cls}">{text_html}</div>'


class SectionMemo:
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
    memo: SectionMemo | None = None,
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
    memo = memo or SectionMemo()
    k = int(small_count)
    survey = session.survey
    people = inputs.participants
    n = int(len(people))
    consented = eq.count_consented(people)
    if not survey.demographics:
        return EquityView(
            "no_questions",
            dimension,
            lang,
            note_html(panel_text(lang, "no_questions"), "pbp-eq-nothing"),
        )
    if n == 0:
        return EquityView(
            "no_participants",
            dimension,
            lang,
            note_html(panel_text(lang, "nobody"), "pbp-eq-nothing"),
        )
    if consented == 0:
        return EquityView(
            "nothing_shared",
            dimension,
            lang,
            note_html(ngettext(lang, "panels.eq_nothing", n), "pbp-eq-nothing"),
        )
    q = survey.question(dimension) or survey.demographics[0]
    dim = q.key
    dim_words = eq.dimension_name(dim, lang)
    view = EquityView(
        "ok", dim, lang, note_html(ngettext(lang, "panels.eq_shared", n, c=consented))
    )
    small_note = panel_text(lang, "small", k=k)
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
                lang=lang,
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
            inner = (
                block(panel_text(lang, "gaps_title"), sentences[:n_under]) if n_under else ""
            ) + (
                block(panel_text(lang, "gaps_over"), sentences[n_under : n_under + n_over])
                if n_over
                else ""
            )
        else:
            inner = block(
                panel_text(lang, "gaps_none") if enough else panel_text(lang, "gaps_wait"),
                sentences,
            )
        view.gaps_html = (
            f'<div class="pbp-eq-gaps{"" if n_under else " pbp-eq-calm"}">{inner}</div>'
        )
        view.chart_png = png
        alt = panel_text(lang, "chart_alt", dim=dim_words) + " ".join(sentences)
        view.chart_html = f'<div class="pbp-eq-chart">{png_img(png, alt)}</div>'
        view.representation_html = rep_table
    else:
        why = (
            panel_text(lang, "no_bench", dim=dim_words, file=BENCHMARK_FILE)
            if benchmarks is not None or not benchmark_problem
            else esc(benchmark_problem)
        )
        if q.multiple:
            why += " " + panel_text(lang, "multiple", dim=dim_words)
        view.gaps_html = note_html(why, "pbp-eq-gaps pbp-eq-calm")
        view.representation_html = note_html(why)

    # -- themes by group ---------------------------------------------------------------------------
    theme_names, vote_names = inputs.labels_in(lang)

    def themes_section() -> str:
        if not inputs.theme_labels and inputs.submissions.empty:
            return note_html(panel_text(lang, "no_themes"))
        labels = {t: shorten(lbl, 48) for t, lbl in theme_names.items()}
        tb = eq.theme_breakdown(
            inputs.submissions, people, dim, groups=groups, theme_labels=labels, small_count=k
        )
        parts = [note_html(panel_text(lang, "themes_note", dim=dim_words))]
        if tb.empty:
            parts.append(note_html(esc(_message(tb.attrs, lang))))
        else:
            parts.append(
                equity_table_html(
                    eq.suppress(tb, k, lang=lang), index_name=panel_text(lang, "theme"), lang=lang
                )
            )
            parts.append(note_html(small_note))
        if inputs.unthemed:
            parts.append(note_html(ngettext(lang, "panels.eq_unthemed", inputs.unthemed)))
        return "".join(parts)

    view.themes_html = memo.get("themes", (key_t, dim, lang, k, bench_id), themes_section)

    # -- votes by group (and the most under-represented group's priorities) ------------------------
    def votes_section() -> str:
        if inputs.round_id is None:
            return note_html(panel_text(lang, "no_votes"))
        if inputs.votes.empty:
            return note_html(panel_text(lang, "no_ballots", r=inputs.round_id))
        labels = {t: shorten(lbl, 48) for t, lbl in vote_names.items()}
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
            status = panel_text(lang, f"round_{status}")
        parts = [
            note_html(
                panel_text(lang, "votes_note", r=inputs.round_id, status=status, dim=dim_words)
            )
        ]
        shown = eq.suppress(vb, k, lang=lang)
        parts.append(
            equity_table_html(
                shown,
                index_name=panel_text(lang, "theme"),
                caption=shown.attrs.get("note", ""),
                lang=lang,
            )
        )
        if rep is not None:
            pr = eq.group_priorities(vb, rep=rep)
            parts.append(f'<div class="pbp-card-title">{esc(panel_text(lang, "priorities"))}</div>')
            parts.append(note_html(esc(_message(pr.attrs, lang))))
            if not pr.empty:
                parts.append(
                    equity_table_html(
                        eq.suppress(pr, k, lang=lang),
                        index_name=panel_text(lang, "theme"),
                        lang=lang,
                    )
                )
        return "".join(parts)

    rep_key = key_p if rep is not None else None
    view.votes_html = memo.get("votes", (key_v, rep_key, dim, lang, k, bench_id), votes_section)

    # -- re-weighted theme shares ------------------------------------------------------------------
    def reweighted_section() -> str:
        if not comparable or benchmarks is None:
            return note_html(panel_text(lang, "rw_needs_bench", dim=dim_words))
        if inputs.submissions.empty:
            return note_html(panel_text(lang, "no_themes"))
        labels = {t: shorten(lbl, 48) for t, lbl in theme_names.items()}
        rw = eq.reweighted_theme_shares(
            inputs.submissions, people, benchmarks, dim, theme_labels=labels, small_count=k
        )
        parts = [note_html(panel_text(lang, "rw_note", dim=dim_words))]
        if _message(rw.attrs, lang):
            parts.append(note_html(esc(_message(rw.attrs, lang))))
        if not rw.empty:
            parts.append(
                equity_table_html(
                    eq.suppress(rw, k, lang=lang), index_name=panel_text(lang, "theme"), lang=lang
                )
            )
        method = esc(_message(rw.attrs, lang, "method"))
        parts.append(f"<div><b>{esc(panel_text(lang, 'method'))}.</b> {method}</div>")
        return "".join(parts)

    view.reweighted_html = memo.get("rw", (key_t, dim, lang, k, bench_id), reweighted_section)
    view.seconds = time.perf_counter() - t0
    return view
