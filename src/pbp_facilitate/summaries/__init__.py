"""Report back: papermill batch runs of the summary workbook and the sections it shows.

- :mod:`.batch`: :func:`summarize` runs ``workbooks/summary.ipynb`` once per session (skipping
  sessions whose summary is up to date) and exports each to a self-contained ``summary.html``;
- :mod:`.files`: atomic writes, session folders and the up-to-date stamp;
- :mod:`.page`: the executed notebook as one phone-friendly HTML page (:func:`export_html`);
- :mod:`.sections`: the report sections the workbook displays (:func:`~.sections.load_summary`);
- :mod:`.engine`: the papermill engine ``pbp-reuse`` that keeps one kernel per worker;
- :mod:`.series`: the roll-up of a series of sessions (``workbooks/series.ipynb``, rendered by
  :func:`summarize_series` with the same pages, languages and suppression);
- :mod:`.site`: ``pbp publish``, the static public site of published summaries;
- :mod:`.overview`: the session overview and key figures shared by the CLI and the report.
"""

from __future__ import annotations

from .batch import (
    BatchReport,
    SummaryJob,
    SummaryResult,
    render_session,
    summarize,
    summarize_series,
)
from .files import (
    FAILED_NAME,
    HTML_NAME,
    NOTEBOOK_NAME,
    STAMP_NAME,
    atomic_write,
    is_up_to_date,
    session_folder,
    template_digest,
)
from .page import export_html

__all__ = [
    "SummaryJob",
    "SummaryResult",
    "BatchReport",
    "summarize",
    "summarize_series",
    "render_session",
    "export_html",
    "atomic_write",
    "template_digest",
    "is_up_to_date",
    "session_folder",
    "NOTEBOOK_NAME",
    "HTML_NAME",
    "STAMP_NAME",
    "FAILED_NAME",
]
