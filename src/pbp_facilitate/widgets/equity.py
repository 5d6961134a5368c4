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
import time
from pathlib import Path
from typing import Any

import ipywidgets as w

from .. import equity as eq
from ..equity import BENCHMARK_FILE
from ..i18n import gettext
from ..settings import Settings
from ..store import SessionRecord, Store
from ._equity_view import (
    EquityInputs,
    EquityView,
    SectionMemo,
    build_view,
    equity_table_html,
    note_html,
    panel_text,
    read_inputs,
)
from .common import error_html, interface_language, style_widget
from .live import LivePoller, LiveWidget, open_live
from .reactions import equity_opinion_groups_html
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


# ---------------------------------------------------------------------------
# The panel
# ---------------------------------------------------------------------------


class EquityPanel(LiveWidget, w.VBox):
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
    lang : {"en", "es"}, optional
        Language of the panel first shown (its words, the gaps and the chart; the toggle
        switches it); default ``settings.dashboard_language``.

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
        lang: str | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.benchmarks, self.benchmark_problem = eq.load_community_benchmarks(
            benchmarks, folder=surveys_folder(settings)
        )
        self.view: EquityView | None = None
        self.memo = SectionMemo()
        self.update_task: asyncio.Task[None] | None = None
        self._again = False
        self._busy = False
        self._quiet = False
        self._failed = False
        self.last_error: BaseException | None = None
        self._last_change = "-"
        self._wanted_dimension = dimension
        self.session: SessionRecord | None = None
        first_lang = interface_language(settings, lang)
        self.dimension = w.Dropdown(
            description=panel_text(first_lang, "compare"),
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
        self.opinion_groups = w.HTML()
        self.tabs = w.Tab(
            children=[
                self.representation,
                self.themes,
                self.votes,
                self.reweighted,
                self.opinion_groups,
            ]
        )
        self._title_tabs(first_lang)
        self.body = w.VBox([self.gaps, self.chart, self.tabs])
        self.poller = LivePoller(store, self.tick, interval=settings.poll_interval_s)
        self.picker = SessionPicker(store, settings, code=code, compact=True, ui_lang=first_lang)
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
            panel_text(lang, t) for t in ("tab_rep", "tab_themes", "tab_votes", "tab_rw")
        ) + (gettext(lang, "opinions.who_title"),)

    def _dimension_options(self, session: SessionRecord | None) -> list[tuple[str, str]]:
        if session is None:
            return []
        out = []
        for q in session.survey.demographics:
            name = eq.dimension_name(q.key, str(self.lang.value))
            name = name[:1].upper() + name[1:]
            covered = (
                self.benchmarks is not None
                and q.key in self.benchmarks.dimensions
                and not q.multiple
            )
            out.append(
                (name + ("" if covered else panel_text(self.lang.value, "no_figures")), q.key)
            )
        return out

    def _on_control(self, change: dict) -> None:
        if self._quiet:
            return
        if change["name"] == "value" and change["owner"] is self.lang:
            self._title_tabs(self.lang.value)
            self.dimension.description = panel_text(self.lang.value, "compare")
            keep = self.dimension.value
            self._quiet = True
            try:  # the dimension names follow the language too
                self.dimension.options = self._dimension_options(self.session)
                self.dimension.value = keep
            finally:
                self._quiet = False
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
        view = build_view(
            inputs,
            session,
            dimension,
            self.benchmarks,
            small_count=self.settings.small_count,
            lang=lang,
            benchmark_problem=self.benchmark_problem,
            memo=self.memo,
        )
        if view is not None:
            view.opinion_groups_html = equity_opinion_groups_html(
                self.store, session, dimension, small_count=self.settings.small_count, lang=lang
            )
        return view

    def apply(self, view: EquityView | None) -> None:
        """Put a computed view on screen (on the event loop)."""
        self.view = view
        if view is None:
            self.message.value = note_html(
                panel_text(str(self.lang.value), "no_session"), "pbp-eq-nothing"
            )
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
            (self.opinion_groups, view.opinion_groups_html),
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
            return f'<span class="pbp-error">{panel_text(lang, "failing", e=err)}</span>'
        extra = f" · {panel_text(lang, 'computing')}" if computing else ""
        return (
            f'<span class="pbp-muted">{panel_text(lang, "live", t=self._last_change)}{extra}</span>'
        )

    async def tick(self, changed: bool) -> None:
        """One poll: when the data moved, start a recompute task (the poll never waits for it).

        Widgets change only when something happened, so an idle panel sends no messages and the
        kernel of a closed tab can be culled.
        """
        if changed and self.session is not None:
            self.request_update()
        if not self._busy:
            self.live.value = self._live_html()  # same text when idle: traitlets sends nothing


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
    return open_live(EquityPanel, code, settings, store, start, **kw)
