"""Check a community goal: specific, measurable, achievable, relevant, time-bound, equity.

Pure rules, no network, no model: regular expressions over a *folded* copy of
the goal (:func:`pbp_facilitate.text.fold`: lower case, accents removed, same
length, so every match's offsets are offsets into the original text).
English and Spanish.

>>> report = check_goal("Reduce chronic absenteeism among students experiencing "
...                     "homelessness from 38% to 20% by the end of the 2026-27 school year.")
>>> report.criteria["measurable"].passed, report.criteria["equity"].passed
(True, True)

The rules are the ones written in docs/goals.md; change both together.

Modules
-------
- :mod:`.checker`: :class:`GoalChecker`, :func:`check_goal`, :func:`check_goals`;
- :mod:`.report`: :class:`Evidence`, :class:`CriterionResult`, :class:`GoalReport`
  and their JSON, text and HTML forms;
- :mod:`.messages`: the language of the reasons (:func:`detect_language`) and
  their words (the ``goals.*`` strings of :mod:`pbp_facilitate.i18n.goals`);
- :mod:`.lexicon`: the word lists; :mod:`.patterns`: the compiled regexes;
- private, one pass over one goal: :mod:`._goal` (the text and its evidence
  spans), :mod:`._numbers` (targets, baselines, ratios, zero, every),
  :mod:`._dates` (deadlines and past dates), :mod:`._findings` (all of it once,
  and whether it is a goal), :mod:`._criteria` (specific, measurable,
  time-bound, equity, relevant), :mod:`._pace` (achievable), :mod:`._themes`
  (session themes), :mod:`._rewrite` (the template rewrite);
- goals as records and their progress: :mod:`.indicator` (:class:`Indicator`,
  :func:`parse_indicator`, :func:`parse_period`), :mod:`.records` (:func:`add_goal`,
  :func:`update_goal`, :func:`goal_to_dict`), :mod:`.data` (partners' indicator files,
  :func:`read_indicator_rows`), :mod:`.progress` (:func:`goal_progress`,
  :func:`progress_report`: the status rule, group gaps, small counts withheld).
"""

from __future__ import annotations

from ..text import fold
from ._pace import PACE_MAX_DOUBLINGS_PER_YEAR, PACE_MAX_POINTS_PER_YEAR
from .checker import MAX_GOAL_CHARS, GoalChecker, check_goal, check_goals
from .data import read_indicator_rows
from .indicator import Indicator, Point, parse_indicator, parse_period
from .messages import detect_language
from .progress import STATUSES, goal_progress, progress_report
from .records import add_goal, goal_to_dict, update_goal
from .report import CORE_CRITERIA, CRITERIA, CriterionResult, Evidence, GoalReport

__all__ = [
    "CRITERIA",
    "CORE_CRITERIA",
    "MAX_GOAL_CHARS",
    "PACE_MAX_POINTS_PER_YEAR",
    "PACE_MAX_DOUBLINGS_PER_YEAR",
    "Evidence",
    "CriterionResult",
    "GoalReport",
    "GoalChecker",
    "check_goal",
    "check_goals",
    "detect_language",
    "fold",
    "Indicator",
    "Point",
    "parse_indicator",
    "parse_period",
    "add_goal",
    "update_goal",
    "goal_to_dict",
    "read_indicator_rows",
    "STATUSES",
    "goal_progress",
    "progress_report",
]
