"""Progress in plain words, English or Spanish: the CLI, the review workbook and the summary.

Every sentence comes from the ``goals.progress_*`` strings of :mod:`pbp_facilitate.i18n.goals`.
"""

from __future__ import annotations

from typing import Any

from ..i18n import format_number, gettext, ngettext

__all__ = [
    "format_value",
    "status_label",
    "status_line",
    "status_sentence",
    "group_sentences",
    "progress_lines",
]


def format_value(value: float | None, unit: str, lang: str = "en") -> str:
    """``40%``, ``$4.5``, ``1,200`` (Spanish: ``1.200``, ``40,5 %``)."""
    if value is None:
        return "?"
    num = format_number(lang, value, 1, trim=True)
    if unit == "%":
        return f"{num} %" if lang == "es" else f"{num}%"
    if unit == "$":
        return f"${num}"
    return f"{num} {unit}".strip()


def _gap_text(gap: float, unit: str, lang: str) -> str:
    if unit == "%":
        return ngettext(lang, "goals.progress_points", gap, n=format_value(gap, "", lang))
    return format_value(gap, unit, lang)


def _when(at: float | None) -> str:
    if at is None:
        return "?"
    return str(int(at)) if float(at).is_integer() else f"{at:.1f}"


def status_label(status: str, lang: str = "en") -> str:
    """The status in a few words ("on track", "en camino")."""
    return gettext(lang, f"goals.progress_status_{status}")


def status_line(goal: dict[str, Any], lang: str = "en") -> str:
    """ "Status: on track." in ``lang``."""
    return gettext(lang, "goals.progress_status_line", status=status_label(goal["status"], lang))


def status_sentence(goal: dict[str, Any], lang: str = "en") -> str:
    """One sentence saying where the goal stands and why it has its status."""
    unit = goal.get("unit") or ""
    name = goal.get("name") or gettext(lang, "goals.progress_indicator")
    name = name[:1].upper() + name[1:]
    status, reason = goal["status"], goal.get("reason")
    latest = goal.get("latest") or {}
    if status == "not_enough_data" and reason in ("no_target", "no_value_after_baseline"):
        return gettext(lang, f"goals.progress_{reason}")
    target = goal.get("target") or {}
    baseline = goal.get("baseline") or {}
    change = goal.get("change")
    sign = "+" if change is not None and change > 0 else ""
    values = {
        "name": name,
        "latest": format_value(latest.get("value"), unit, lang),
        "period": latest.get("period", "?"),
        "target": format_value(target.get("value"), unit, lang),
        "when": target.get("when") or _when(target.get("at")),
        "baseline": format_value(baseline.get("value"), unit, lang),
        "change": sign
        + (_gap_text(change, unit, lang) if change is not None else format_value(None, unit, lang)),
        "expected": format_value(goal.get("expected"), unit, lang),
    }
    key = "no_target_time" if status == "not_enough_data" else status
    return gettext(lang, f"goals.progress_{key}", **values)


def group_sentences(goal: dict[str, Any], lang: str = "en") -> list[str]:
    """One sentence per group: value, gap to the best-off group and its trend; hidden groups."""
    unit = goal.get("unit") or ""
    k = goal.get("small_count", 5)
    out = []
    for g in goal.get("gaps", []):
        if g.get("latest") is None:
            out.append(gettext(lang, "goals.progress_group_hidden", group=g["group"], k=k))
            continue
        lat = g["latest"]
        value = format_value(lat["value"], unit, lang)
        if g.get("gap") is None:
            out.append(
                gettext(
                    lang,
                    "goals.progress_group_alone",
                    group=g["group"],
                    value=value,
                    period=lat["period"],
                )  # fmt: skip
            )
        elif g["reference"] == g["group"] or abs(g["gap"]) < 1e-12:
            out.append(
                gettext(
                    lang,
                    "goals.progress_group_best",
                    group=g["group"],
                    value=value,
                    period=lat["period"],
                )  # fmt: skip
            )
        else:
            trend = gettext(lang, f"goals.progress_trend_{g.get('trend') or 'none'}")
            out.append(
                gettext(
                    lang,
                    "goals.progress_group_gap",
                    group=g["group"],
                    value=value,
                    period=lat["period"],
                    gap=_gap_text(abs(g["gap"]), unit, lang),
                    reference=g["reference"],
                    trend=trend,
                )
            )
    return out


def progress_lines(report: dict[str, Any], lang: str = "en") -> list[str]:
    """The readable progress report of a session (``pbp progress``)."""
    goals = report.get("goals", [])
    if not goals:
        return [gettext(lang, "goals.progress_no_goals")]
    lines: list[str] = []
    for g in goals:
        lines.append(
            gettext(lang, "goals.progress_heading", id=g["goal_id"], text=g.get("text", ""))
        )
        lines.append(
            "  "
            + gettext(lang, "goals.progress_status_line", status=status_label(g["status"], lang))
        )
        if not g.get("has_data", True):
            lines.append("  " + gettext(lang, "goals.progress_no_data"))
        else:
            lines.append("  " + status_sentence(g, lang))
            lines.extend("    " + s for s in group_sentences(g, lang))
        if g.get("suppressed"):
            lines.append("  " + ngettext(lang, "goals.progress_suppressed", g["suppressed"]))
    return lines
