"""Progress toward a goal: its status by one rule, and the gaps between groups.

The rule (docs/goals.md, "Progress"):

* ``not_enough_data``: no target, or no shown value for everyone after the baseline;
* ``met``: the latest value has reached the target (in the goal's direction);
* otherwise the straight line from the baseline (value, time) to the target (value, time)
  gives the value expected at the latest period: ``on_track`` at or beyond it in the goal's
  direction, ``off_track`` short of it. Past the target's time the expected value is the target.

Without a stated baseline the first value for everyone is the baseline; a baseline without a
time takes the first period with data. Without a target time only ``met`` can be told from
``not_enough_data``.

Groups: for each group, its latest shown value, the gap to the best-off shown group at that
period (and to everyone), and whether that gap is *closing*, *widening* or *steady* since the
group's first shown period. A count ("the number of families") is not compared between groups
of different sizes: its groups get values, no gaps.

Disclosure: a value from fewer than ``small_count`` people is never shown, and neither is any
value from which it could be worked out. Per period, a partner's group values and the value for
everyone are tied by one sum (everyone's value times its people is the sum over groups); when
exactly one item of that sum would be hidden, the next smallest group is hidden too
(:func:`protect_period`), the same rule as the kit's disclosure control
(:mod:`pbp_facilitate.equity.disclosure`) for a table with one total. A hidden value is treated
as no value everywhere: in the status, the change, the gaps and the trends. Values that come
without ``n`` cannot be judged and are shown as the partner gave them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .indicator import Indicator, Point

__all__ = ["STATUSES", "TRENDS", "goal_progress", "progress_report", "protect_period"]

STATUSES = ("met", "on_track", "off_track", "not_enough_data")
"""Every status :func:`goal_progress` gives."""
TRENDS = ("closing", "widening", "steady")
"""How a group's gap moved since its first shown period."""

_EPS = 1e-9


def protect_period(
    n: Sequence[int | None], n_everyone: int | None, k: int, *, has_everyone: bool = True
) -> tuple[list[bool], bool]:
    """Which group values of one period to hide, and whether to hide everyone's value.

    Parameters
    ----------
    n : sequence of int or None
        People behind each group's value (None: not given, shown as given).
    n_everyone : int or None
        People behind everyone's value (None: not given).
    k : int
        The small-count threshold.
    has_everyone : bool
        Whether the period has a value for everyone.

    Returns
    -------
    (list of bool, bool)
        Hidden mask over the groups; whether everyone's value is hidden.

    Notes
    -----
    The items of the period's one sum are the groups and everyone. Primary: every item under
    ``k`` people. Complementary: while exactly one item of the sum is hidden, hide the shown
    group with the fewest people (everyone's value last), so each hidden value stays one of at
    least two unknowns of the sum. With one sum, two unknowns and open ranges, no single hidden
    value can be worked out.
    """
    hidden = [x is not None and x < k for x in n]
    everyone_hidden = has_everyone and n_everyone is not None and n_everyone < k
    while True:
        count = sum(hidden) + (1 if everyone_hidden else 0)
        if count != 1:
            break
        shown = [(x if x is not None else 10**12, i) for i, x in enumerate(n) if not hidden[i]]
        if shown:
            hidden[min(shown)[1]] = True
        elif has_everyone and not everyone_hidden:
            everyone_hidden = True
        else:
            break
    return hidden, everyone_hidden


def _expected(base: float, t0: float, target: float, t1: float, t: float) -> float:
    if t1 <= t0:
        return target
    frac = min(1.0, max(0.0, (t - t0) / (t1 - t0)))
    return base + (target - base) * frac


def _better_or_equal(a: float, b: float, direction: str) -> bool:
    """Whether ``a`` is at or beyond ``b`` in ``direction``."""
    tol = _EPS * max(1.0, abs(b))
    return a >= b - tol if direction == "up" else a <= b + tol


def goal_progress(
    indicator: Indicator | Mapping[str, Any],
    values: Iterable[Mapping[str, Any]],
    *,
    small_count: int = 5,
    goal_id: int | None = None,
) -> dict[str, Any]:
    """Status, latest value, change and gaps of one goal.

    Parameters
    ----------
    indicator : Indicator or dict
        The goal's indicator (or its JSON).
    values : iterable of dict
        ``{"period", "period_at", "group", "value", "n"}`` each (``group`` ``""`` is everyone),
        as :meth:`Store.list_indicator_values` returns them.
    small_count : int
        Values from fewer people are not shown (nor derivable).
    goal_id : int, optional
        Copied into the result.

    Returns
    -------
    dict
        ``goal_id, status, reason, direction, unit, baseline, target, latest, change,
        expected, series, groups, gaps, suppressed`` (see docs/goals.md).
    """
    ind = indicator if isinstance(indicator, Indicator) else Indicator.from_dict(indicator)
    direction = ind.resolved_direction
    k = int(small_count)
    # one pass: per period, everyone's row and the groups' rows
    by_period: dict[str, list[Any]] = {}
    for v in values:
        p = v["period"]
        slot = by_period.get(p)
        if slot is None:
            slot = by_period[p] = [float(v["period_at"]), None, []]
        if v["group"]:
            slot[2].append(v)
        else:
            slot[1] = v
    periods = sorted(by_period.items(), key=lambda kv: kv[1][0])
    series: list[dict[str, Any]] = []
    group_pts: dict[str, list[dict[str, Any]]] = defaultdict(list)  # shown points per group
    last_hidden: dict[str, bool] = {}  # whether a group's latest period was withheld
    shown_at: dict[str, dict[str, float]] = {}  # period -> group -> shown value
    suppressed = 0
    for p, (at, everyone, groups) in periods:
        ns = [r.get("n") for r in groups]
        e_n = None if everyone is None else everyone.get("n")
        if (e_n is None or e_n >= k) and not any(x is not None and x < k for x in ns):
            g_hidden: list[bool] = [False] * len(groups)
            e_hidden = False
        else:
            g_hidden, e_hidden = protect_period(ns, e_n, k, has_everyone=everyone is not None)
        if everyone is not None:
            if e_hidden:
                suppressed += 1
            else:
                series.append({"period": p, "at": at, "value": float(everyone["value"]), "n": e_n})
        vals: dict[str, float] = {}
        for r, hid, n in zip(groups, g_hidden, ns, strict=True):
            g = r["group"]
            last_hidden[g] = hid
            if hid:
                suppressed += 1
                continue
            v = float(r["value"])
            vals[g] = v
            group_pts[g].append({"period": p, "at": at, "value": v, "n": n})
        shown_at[p] = vals
    out: dict[str, Any] = {
        "goal_id": goal_id,
        "name": ind.name,
        "unit": ind.unit,
        "direction": direction,
        "suppressed": suppressed,
        "small_count": k,
    }
    status, reason, extra = _status(ind, direction, series)
    out.update({"status": status, "reason": reason, **extra, "series": series})
    # counts of groups of different sizes are not compared: values only, no gaps
    out["gaps"] = _gaps(group_pts, last_hidden, {} if ind.is_count else shown_at, series, direction)
    if ind.is_count:
        for g in out["gaps"]:
            g["gap_to_everyone"] = None
    out["groups"] = [{"group": g, "series": group_pts.get(g, [])} for g in sorted(last_hidden)]
    return out


def _status(
    ind: Indicator, direction: str, series: list[dict[str, Any]]
) -> tuple[str, str, dict[str, Any]]:
    target_value = ind.target_value
    base = ind.baseline or Point()
    base_value, base_at = base.value, base.at
    if base_value is None and series:
        base_value, base_at = series[0]["value"], series[0]["at"]
    elif base_at is None and series:
        base_at = series[0]["at"]
    target_at = ind.target.at if ind.target is not None else None
    extra: dict[str, Any] = {
        "baseline": None
        if base_value is None
        else {"value": base_value, "at": base_at, "from_data": ind.baseline is None},
        "target": None
        if target_value is None
        else {"value": target_value, "at": target_at, "when": _when(ind.target)},
        "latest": None,
        "change": None,
        "expected": None,
    }
    after = [x for x in series if base_at is None or x["at"] > base_at + _EPS]
    if after:
        latest = after[-1]
        extra["latest"] = {"period": latest["period"], "value": latest["value"], "n": latest["n"]}
        if base_value is not None:
            extra["change"] = latest["value"] - base_value
    if target_value is None:
        return "not_enough_data", "no_target", extra
    if not after:
        return "not_enough_data", "no_value_after_baseline", extra
    latest_value = after[-1]["value"]
    if _better_or_equal(latest_value, target_value, direction):
        return "met", "target_reached", extra
    if target_at is None or base_value is None or base_at is None:
        return "not_enough_data", "no_target_time", extra
    expected = _expected(base_value, base_at, target_value, target_at, after[-1]["at"])
    extra["expected"] = expected
    if _better_or_equal(latest_value, expected, direction):
        return "on_track", "at_or_beyond_path", extra
    return "off_track", "short_of_path", extra


def _when(p: Point | None) -> str | None:
    if p is None:
        return None
    return p.date or (None if p.year is None else str(p.year))


def _gap(value: float, ref: float, direction: str) -> float:
    """How far ``value`` is behind ``ref`` (0 or more when behind; negative when ahead)."""
    return ref - value if direction == "up" else value - ref


def _gaps(
    group_pts: Mapping[str, list[dict[str, Any]]],
    last_hidden: Mapping[str, bool],
    shown_at: Mapping[str, dict[str, float]],
    series: list[dict[str, Any]],
    direction: str,
) -> list[dict[str, Any]]:
    everyone_at = {x["period"]: x["value"] for x in series}
    pick = max if direction == "up" else min
    best_at: dict[str, tuple[str, float] | None] = {}

    def best(period: str) -> tuple[str, float] | None:
        if period in best_at:
            return best_at[period]
        vals = shown_at.get(period, {})
        found = None
        if len(vals) >= 2:
            g = pick(vals, key=lambda name: (vals[name], name))
            found = (g, vals[g])
        best_at[period] = found
        return found

    out: list[dict[str, Any]] = []
    for g in sorted(last_hidden):
        shown = group_pts.get(g, [])
        if not shown:
            out.append({"group": g, "hidden": True, "latest": None, "gap": None, "trend": None})
            continue
        latest = shown[-1]
        ref = best(latest["period"])
        gap = None if ref is None else _gap(latest["value"], ref[1], direction)
        ev = everyone_at.get(latest["period"])
        first_gap = None
        for x in shown[:-1]:
            r = best(x["period"])
            if r is not None:
                first_gap = _gap(x["value"], r[1], direction)
                break
        trend = None
        if gap is not None and first_gap is not None:
            if abs(gap - first_gap) <= _EPS * max(1.0, abs(first_gap)):
                trend = "steady"
            else:
                trend = "closing" if abs(gap) < abs(first_gap) else "widening"
        out.append(
            {
                "group": g,
                "hidden": last_hidden[g],
                "latest": {"period": latest["period"], "value": latest["value"], "n": latest["n"]},
                "reference": None if ref is None else ref[0],
                "gap": gap,
                "gap_to_everyone": None if ev is None else _gap(latest["value"], ev, direction),
                "trend": trend,
            }
        )
    return out


def progress_report(store: Any, session_id: int, *, small_count: int = 5) -> dict[str, Any]:
    """Progress of every goal of a session, as plain data (for the CLI, summary and site).

    Parameters
    ----------
    store : pbp_facilitate.store.Store
        Where the goals and their indicator values are.
    session_id : int
        The session.
    small_count : int
        The small-count threshold (``Settings.small_count``).

    Returns
    -------
    dict
        ``{"session_id", "small_count", "goals": [goal_progress(...) + "text", "status_of_goal"]}``.
    """
    goals = store.list_goals(session_id)
    values = store.list_indicator_values([g.id for g in goals])
    by_goal: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for v in values:
        by_goal[int(v["goal_id"])].append(v)
    out = []
    for g in goals:
        rec = goal_progress(
            g.indicator, by_goal.get(g.id, ()), small_count=small_count, goal_id=g.id
        )
        rec["text"] = g.text
        rec["goal_status"] = g.status
        rec["has_data"] = bool(by_goal.get(g.id))
        out.append(rec)
    return {"session_id": session_id, "small_count": int(small_count), "goals": out}
