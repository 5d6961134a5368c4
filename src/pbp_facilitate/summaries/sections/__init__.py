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

One run, every language: the notebook makes each section through :class:`Report`, which reads
the data and fits the themes once and renders the section in each of the summary's languages
(:mod:`._report`); :mod:`pbp_facilitate.summaries.page` then writes one page per language from
the executed notebook. When suppression would hide most of a breakdown, the section says so and
shows the next coarser view instead (:mod:`._small`).

Modules: :mod:`._base` (:class:`Section`, :class:`SummaryData`, :func:`load_summary`,
:func:`key_figures` and the shared helpers), then one module per part of the report:
:mod:`.glance` (at a glance, participation), :mod:`.representation`, :mod:`.themes`,
:mod:`.voting`, :mod:`.agree` (where we agree: opinion groups), :mod:`.goals` and
:mod:`.closing` (moderation, next steps).
"""

from __future__ import annotations

from ...text import esc, figure_html
from ._base import Section, SummaryData, key_figures, load_summary
from ._report import LANG_MIME, Report, Shown, header_section, parse_languages
from .agree import where_we_agree_section
from .closing import moderation_section, next_steps_section
from .glance import at_a_glance_section, participation_section
from .goals import goals_section
from .representation import representation_section
from .themes import themes_section
from .voting import voting_section

__all__ = [
    "Section",
    "SummaryData",
    "load_summary",
    "Report",
    "Shown",
    "LANG_MIME",
    "parse_languages",
    "header_section",
    "at_a_glance_section",
    "participation_section",
    "representation_section",
    "themes_section",
    "voting_section",
    "where_we_agree_section",
    "goals_section",
    "moderation_section",
    "next_steps_section",
    "key_figures",
    "figure_html",
    "esc",
]
