"""The demo's goals as records: indicators and a few years of partners' data by group.

:func:`seed_goal_progress` gives the demo session's goals their indicators, adds an agreed
absenteeism goal, and stores three years of values by race and ethnicity (one group too small
to show, so the review shows suppression), so ``pbp progress DEMO26``, the review workbook and
the summary have progress to show: goals on track and off track, gaps closing and widening, one
goal without data.
"""

from __future__ import annotations

from typing import Any

from .indicator import parse_indicator, parse_period

__all__ = ["DEMO_PROGRESS_GOAL", "seed_goal_progress"]

DEMO_PROGRESS_GOAL = (
    "By 2028, cut chronic absenteeism in Eastside schools from 30% to 15%, closing the gap for "
    "Black and Latino students."
)

_GROUPS = ("Black or African American", "Hispanic or Latino", "White", "Asian", "Another race")

# (period, everyone, {group: (value, n)}); values are the partners' published figures.
_RENT_BURDEN = [
    ("2024", 1200, {"Black or African American": (430, 430), "Hispanic or Latino": (390, 390),
                    "White": (310, 310), "Asian": (4, 4), "Another race": (66, 66)}),
    ("2025", 1150, {"Black or African American": (415, 415), "Hispanic or Latino": (372, 372),
                    "White": (297, 297), "Asian": (3, 3), "Another race": (63, 63)}),
    ("2026", 1120, {"Black or African American": (405, 405), "Hispanic or Latino": (362, 362),
                    "White": (290, 290), "Asian": (3, 3), "Another race": (60, 60)}),
]  # fmt: skip
_AFTER_SCHOOL = [
    ("2024-25", (40, 820), {"Hispanic or Latino": (36, 410), "Black or African American": (41, 250),
                             "White": (48, 160)}),
    ("2025-26", (47, 860), {"Hispanic or Latino": (45, 430), "Black or African American": (46, 262),
                             "White": (51, 168)}),
]  # fmt: skip
_ABSENTEEISM = [
    ("2024", (30, 2400), {"Black or African American": (38, 720), "Hispanic or Latino": (35, 640),
                          "White": (22, 880), "Asian": (18, 4), "Another race": (27, 156)}),
    ("2025", (27, 2380), {"Black or African American": (33, 700), "Hispanic or Latino": (33, 650),
                          "White": (21, 870), "Asian": (17, 3), "Another race": (25, 157)}),
    ("2026", (22, 2410), {"Black or African American": (28, 715), "Hispanic or Latino": (34, 655),
                          "White": (20, 880), "Asian": (16, 4), "Another race": (23, 156)}),
]  # fmt: skip


def _rows(goal_id: int, table: list[Any], counts: bool) -> list[dict[str, Any]]:
    out = []
    for period, everyone, groups in table:
        label, at = parse_period(period)
        value, n = (everyone, everyone) if counts else everyone
        out.append({"goal_id": goal_id, "period": label, "period_at": at, "group": "",
                    "value": value, "n": n})  # fmt: skip
        for g, (v, gn) in groups.items():
            out.append({"goal_id": goal_id, "period": label, "period_at": at, "group": g,
                        "value": v, "n": gn})  # fmt: skip
    return out


def seed_goal_progress(store: Any, session_id: int) -> None:
    """Give the demo's goals indicators and partners' data (idempotent on an empty session).

    Parameters
    ----------
    store : pbp_facilitate.store.Store
        Where the demo session is.
    session_id : int
        The demo session (its goals were saved by ``seed_demo``).
    """
    from .checker import check_goal

    goals = store.list_goals(session_id)
    if any(g.indicator for g in goals):
        return
    rows: list[dict[str, Any]] = []
    for g in goals:
        ind = parse_indicator(g.text)
        if "rent" in g.text:
            ind = ind.updated(baseline_year=2024, by=["race and ethnicity"])
            rows += _rows(g.id, _RENT_BURDEN, counts=True)
        elif "programas" in g.text:
            ind = ind.updated(baseline_year="2024-25", by=["raza y etnia"])
            rows += _rows(g.id, _AFTER_SCHOOL, counts=False)
        store.save_goal(session_id, g.text, status=g.status, check=g.check, goal_id=g.id,
                        indicator=ind.to_dict(), actor="demo")  # fmt: skip
    ind = parse_indicator(DEMO_PROGRESS_GOAL).updated(baseline_year=2024, by=["race and ethnicity"])
    rec = store.save_goal(session_id, DEMO_PROGRESS_GOAL, status="agreed",
                          check=check_goal(DEMO_PROGRESS_GOAL).to_dict(), indicator=ind.to_dict(),
                          actor="demo")  # fmt: skip
    rows += _rows(rec.id, _ABSENTEEISM, counts=False)
    store.replace_indicator_values(session_id, rows, actor="demo", source="demo partners")
