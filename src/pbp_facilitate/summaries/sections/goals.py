"""Goals with their SMART + equity checks and, where partners' data exists, their progress."""

from __future__ import annotations

from typing import Any

from ...i18n import gettext, ngettext
from ...text import esc, table_html
from ._base import (
    Section,
    SummaryData,
    _note,
    _p,
    _t,
)


def goals_section(data: SummaryData) -> Section:
    """Goals with their SMART + equity checks (as stored by
    :func:`pbp_facilitate.goals.check_goal`; the verdict is :attr:`GoalReport.verdict`).
    """
    from ...errors import PbpError
    from ...goals import CORE_CRITERIA, CRITERIA, GoalReport

    title = _t(data, "title_goals")
    if not data.goals:
        return Section(
            title, _p(_t(data, "no_goals")), _t(data, "no_goals_short"), {"goals": []}, key="goals"
        )
    parts = [_note(_t(data, "goals_note"))]
    out = []
    for i, g in enumerate(data.goals, 1):
        status = "agreed" if g.status == "agreed" else "draft"
        heading = _t(data, "goal_heading", n=i, status=_t(data, f"status_{status}"))
        parts.append(
            f'<div class="pbp-goal"><h3>{esc(heading)}</h3>'
            f'<p class="pbp-goal-text">{esc(g.text)}</p>'
        )
        missing: list[str] = []
        try:
            report = GoalReport.from_dict(g.check) if g.check else None
        except PbpError:
            report = None
        local = _in_language(g.text, report, data.lang)
        if report is None:
            parts.append(_note(_t(data, "not_checked_note")))
            verdict = "not checked"
        else:
            rows = []
            for name in CRITERIA:
                res = report.criteria[name]
                if not res.passed and name in CORE_CRITERIA:
                    missing.append(name)
                if name in CORE_CRITERIA:
                    met = "yes" if res.passed else "no"
                else:
                    met = "ok" if res.passed else "warning"
                name_text = gettext(data.lang, f"goals.label_{name}")
                rows.append(
                    (
                        name_text[:1].upper() + name_text[1:],
                        _t(data, f"met_{met}"),
                        local.get(name, (res.reason, res.suggestion))[0],
                        local.get(name, (res.reason, res.suggestion))[1],
                    )
                )
            verdict = report.verdict
            verdict_text = gettext(data.lang, "goals.verdict_" + verdict.replace(" ", "_"))
            line = _t(
                data,
                "verdict_line",
                verdict=verdict_text,
                met=len(CORE_CRITERIA) - len(missing),
                core=len(CORE_CRITERIA),
            )
            parts.append(_p(line))
            header = [
                _t(data, "col_check"),
                _t(data, "col_met"),
                _t(data, "col_why"),
                _t(data, "col_next"),
            ]
            parts.append(table_html(rows, header))
            if missing and report.rewrite:
                rewrite = local.get("", (report.rewrite,))[0]
                parts.append(_p(_t(data, "rewrite_line", rewrite=rewrite)))
        progress = _progress(data, g, parts)
        parts.append("</div>")
        item = {"id": g.id, "status": status, "verdict": verdict, "missing": missing}
        if progress is not None:
            item["progress"] = progress
        out.append(item)
    return Section(
        title, "".join(parts), "\n".join(g.text for g in data.goals), {"goals": out}, key="goals"
    )


def _progress(data: SummaryData, goal: object, parts: list[str]) -> dict[str, object] | None:
    """Append the goal's progress (status, sentence, groups) when partners' data exists."""
    from ...goals import goal_progress
    from ...goals.progress_text import group_sentences, status_line, status_sentence

    values = [v for v in data.goal_values if v["goal_id"] == goal.id]  # type: ignore[attr-defined]
    if not values:
        return None
    lang = data.lang
    rec = goal_progress(
        goal.indicator,  # type: ignore[attr-defined]
        values,
        small_count=data.small_count,
        goal_id=goal.id,  # type: ignore[attr-defined]
    )
    parts.append(
        f'<p class="pbp-progress pbp-progress-{esc(rec["status"])}"><b>'
        f"{esc(status_line(rec, lang))}</b> {esc(status_sentence(rec, lang))}</p>"
    )
    groups = group_sentences(rec, lang)
    if groups:
        parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in groups) + "</ul>")
    if rec["suppressed"]:
        parts.append(_note(ngettext(lang, "goals.progress_suppressed", rec["suppressed"])))
    latest = rec["latest"]
    return {
        "status": rec["status"],
        "latest": None
        if latest is None
        else {"period": latest["period"], "value": latest["value"]},
        "suppressed": rec["suppressed"],
    }


def _in_language(text: str, report: Any, lang: str) -> dict[str, tuple[str, ...]]:
    """Reasons, suggestions and rewrite in the summary's language for a check stored in another.

    The stored check decides what passed; the goal is checked again in ``lang`` only for the
    words (a criterion whose result differs keeps the stored words).
    """
    if report is None or report.language == lang:
        return {}
    from ...goals import check_goal

    again = check_goal(text, language=lang)
    out: dict[str, tuple[str, ...]] = {"": (again.rewrite or report.rewrite,)}
    for name, res in report.criteria.items():
        other = again.criteria.get(name)
        if other is not None and other.passed == res.passed:
            out[name] = (other.reason, other.suggestion)
    return out
