"""One pass over a goal: everything the criteria and the rewrite share.

:func:`find` reads the quantities, end states and time anchors once and
decides whether the text is a goal at all (:func:`is_framed`: phrased as an
intention, or a target with a time frame).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import lexicon as lx
from . import patterns as rx
from ._dates import TimeAnchor, find_times
from ._goal import GoalText
from ._numbers import Quantity, find_everys, find_quantities, find_ratios, find_zeros

__all__ = ["Findings", "find", "is_framed"]


@dataclass(frozen=True, slots=True)
class Findings:
    """What one goal contains.

    Attributes
    ----------
    quantities : list of Quantity
        Every number, with its kind.
    targets : list of Quantity
        The target numbers, without those inside a ratio ("1 in 3").
    ratios, zeros, everys : list of (int, int)
        Spans of the countable end states.
    times : list of TimeAnchor
        Deadlines and time frames ahead, in order.
    past_dates : list of (int, int)
        Spans of dates of the past or of context.
    is_goal : bool
        Phrased as an intention, or a target with a time frame.
    """

    quantities: list[Quantity]
    targets: list[Quantity]
    ratios: list[tuple[int, int]]
    zeros: list[tuple[int, int]]
    everys: list[tuple[int, int]]
    times: list[TimeAnchor]
    past_dates: list[tuple[int, int]]
    is_goal: bool

    @property
    def baselines(self) -> list[Quantity]:
        """The baseline numbers ("up from 41%")."""
        return [q for q in self.quantities if q.kind == "baseline"]


def find(goal: GoalText) -> Findings:
    """Read ``goal`` once for the criteria and the rewrite."""
    quantities = find_quantities(goal)
    times, past_dates = find_times(goal)
    ratios = find_ratios(goal)
    targets = [
        q for q in quantities if q.kind == "target" and not any(s <= q.start < e for s, e in ratios)
    ]
    zeros = find_zeros(goal)
    everys = find_everys(goal)
    has_target = bool(targets or ratios or zeros or everys)
    is_goal = is_framed(goal) or (bool(times) and has_target)
    if is_goal and not has_target and not times and rx.NEVER_RX.search(goal.folded):
        is_goal = False  # "we will never give up": a value, not a goal
    return Findings(quantities, targets, ratios, zeros, everys, times, past_dates, is_goal)


def is_framed(goal: GoalText) -> bool:
    """True when the text is phrased as an intention (imperative, infinitive, will...)."""
    f = goal.folded
    if rx.GOAL_LABEL_RX.match(f):
        return True  # "Goal 3: ...", "Meta 2: ..." is presented as a goal
    for m in rx.CLAUSE_START_RX.finditer(f):
        if _opens_goal(goal, m.group(1), m.start(1)):
            return True
    if rx.INTENT_RX.search(f):
        return True
    return bool(rx.ES_FUTURE_RX.search(goal.text.lower()))


def _opens_goal(goal: GoalText, word: str, at: int) -> bool:
    """Whether a clause opening with ``word`` (at offset ``at``) states an intention."""
    if word in lx.EN_GOAL_VERBS or (word.startswith("re-") and word[3:] in lx.EN_GOAL_VERBS):
        return True
    if word == "que" and at <= 2:
        return True  # Spanish optative: "Que todos los niños lean ..."
    return (
        goal.es
        and len(word) > 2
        and word not in lx.ES_NOT_INFINITIVES
        and bool(rx.ES_INFINITIVE_RX.fullmatch(word))
    )
