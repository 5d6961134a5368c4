"""Equity lens: who is in the room, compared with the community.

Plain functions that take the pandas DataFrames the store hands out and return
DataFrames (or figures) a workbook or a papermill summary can display. The
modules, in the order they build on each other:

* :mod:`.benchmarks` -- **community benchmarks**: :class:`CommunityBenchmarks`
  / :func:`load_benchmarks` read group shares per dimension (race/ethnicity,
  neighbourhood, age band...) from a CSV and validate them;
  :func:`load_community_benchmarks` is what panels and reports call (a problem
  with the file is a message, never an exception).
* :mod:`.groups` -- **consented groups**: :func:`shared_groups` gives each
  participant one group per dimension or :data:`NOT_SHARED`;
  :func:`count_consented` counts who chose to share.
* :mod:`.representation` -- **representation**: :func:`representation`
  compares participants by group with the community (counts, shares,
  difference in points, ratio, flags); :func:`gap_sentences` words each
  flagged gap in English or Spanish; :func:`plot_representation` draws it.
* :mod:`.breakdowns` -- **breakdowns**: :func:`theme_breakdown`,
  :func:`vote_breakdown`, :func:`theme_sources` and :func:`group_priorities`
  break themes and votes down by group.
* :mod:`.opinion_groups` -- **who is in each opinion group**:
  :func:`opinion_group_breakdown` counts participants per opinion group by demographic group.
* :mod:`.reweight` -- **re-weighting**: :func:`reweighted_theme_shares` puts
  theme shares re-weighted to the community's composition beside the raw ones.
* :mod:`.disclosure` -- **disclosure control**: :func:`suppress` turns any of
  these tables into a table of strings where counts under ``small_count``
  people read ``"<5"`` and enough further cells read ``"*"`` that no hidden
  count can be worked out from the cells and totals that are shown; the
  search itself is in :mod:`._protection`, the formatting of the
  representation, re-weighted and priorities tables in :mod:`.display`.
* :mod:`._words` -- languages, dimension names (:func:`dimension_name`) and
  number formats; every string is an ``equity.*`` key of
  :mod:`pbp_facilitate.i18n.equity`.

Only consented demographics are used: a participant whose ``consented`` is not
``True``, or who left a dimension blank or chose "Prefer not to say", counts as
:data:`NOT_SHARED` -- never guessed. See ``docs/equity.md`` for the method.
"""

from __future__ import annotations

from ._protection import COMPLEMENT_MARK
from ._words import dimension_name
from .benchmarks import (
    BENCHMARK_FILE,
    KNOWN_DIMENSIONS,
    SUM_TOLERANCE_POINTS,
    CommunityBenchmarks,
    load_benchmarks,
    load_community_benchmarks,
)
from .breakdowns import group_priorities, theme_breakdown, theme_sources, vote_breakdown
from .disclosure import suppress
from .groups import MORE_THAN_ONE, NOT_SHARED, count_consented, shared_groups
from .opinion_groups import opinion_group_breakdown
from .representation import (
    DEFAULT_MIN_POINTS,
    DEFAULT_THRESHOLD,
    gap_sentences,
    plot_representation,
    representation,
)
from .reweight import reweighted_theme_shares

__all__ = [
    "NOT_SHARED",
    "MORE_THAN_ONE",
    "COMPLEMENT_MARK",
    "KNOWN_DIMENSIONS",
    "DEFAULT_THRESHOLD",
    "DEFAULT_MIN_POINTS",
    "SUM_TOLERANCE_POINTS",
    "BENCHMARK_FILE",
    "CommunityBenchmarks",
    "load_benchmarks",
    "load_community_benchmarks",
    "shared_groups",
    "count_consented",
    "representation",
    "gap_sentences",
    "plot_representation",
    "theme_breakdown",
    "vote_breakdown",
    "theme_sources",
    "group_priorities",
    "opinion_group_breakdown",
    "reweighted_theme_shares",
    "suppress",
    "dimension_name",
]
