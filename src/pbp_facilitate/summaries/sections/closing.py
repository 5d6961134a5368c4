"""Moderation (counts only) and next steps drawn from the other sections."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ...i18n import gettext
from ...text import table_html
from ._base import (
    Section,
    SummaryData,
    _note,
    _p,
    _prompt_label,
    _t,
    _tn,
    _ul,
)


def moderation_section(data: SummaryData) -> Section:
    """What was hidden by moderation: counts only, never the text."""
    hidden = data.hidden
    by_prompt = Counter(s.prompt_id for s in hidden)
    prompts = {p.id: p for p in data.prompts}
    actions = Counter(a["action"] for a in data.audit if a["action"] in ("hide", "restore"))
    if not hidden:
        body = _p(_t(data, "nothing_hidden"))
    else:
        rows = [
            (
                f"{prompts[pid].position + 1}. {_prompt_label(data, prompts[pid])}"
                if pid in prompts
                else _t(data, "no_question"),
                n,
            )
            for pid, n in sorted(by_prompt.items(), key=lambda kv: str(kv[0]))
        ]
        header = [_t(data, "col_question"), _t(data, "col_hidden")]
        body = _p(
            _tn(
                data,
                "hidden_line",
                len(hidden),
                total=_tn(data, "n_ideas", len(data.submissions)),
            )
        )
        body += table_html(rows, header, numeric=(1,))
    if actions:
        body += _note(
            _t(
                data,
                "moderation_log",
                hide=actions.get("hide", 0),
                restore=actions.get("restore", 0),
            )
        )
    return Section(
        _t(data, "title_moderation"),
        body,
        _t(data, "text_hidden", n=len(hidden)),
        {
            "hidden": len(hidden),
            "hide_actions": actions.get("hide", 0),
            "restore_actions": actions.get("restore", 0),
        },
        key="moderation",
    )


def next_steps_section(data: SummaryData, *, sections: Sequence[Section] = ()) -> Section:
    """Next steps, drawn from the other sections (gaps to close, top themes, goals to strengthen).

    Parameters
    ----------
    data : SummaryData
        The data.
    sections : sequence of Section
        The sections shown above (their ``data`` drives the suggestions, found by ``key``).

    Returns
    -------
    Section
    """
    by_key = {s.key: s.data for s in sections if s.key}
    steps: list[str] = []
    votes = by_key.get("voting", {})
    themes = by_key.get("themes", {})
    top = [o["label"] for o in votes.get("options", []) if o.get("dots")][:3]
    if not top:
        top = [t["label"] for t in themes.get("themes", [])][:3]
    few = 0 < int(votes.get("voters") or 0) < data.small_count and bool(
        [o for o in votes.get("options", []) if o.get("dots")]
    )
    if top and few:
        voters = _tn(data, "n_people", votes["voters"])
        steps.append(_t(data, "step_top_few", items="; ".join(top), voters=voters))
    elif top:
        steps.append(_t(data, "step_top", items="; ".join(top)))
    rep = by_key.get("representation", {})
    under = sorted({g for d in rep.get("dimensions", {}).values() for g in d.get("under", [])})
    if under:
        steps.append(_t(data, "step_outreach", groups=", ".join(under)))
    if rep.get("participants") and rep.get("consented", 0) < 0.5 * rep["participants"]:
        steps.append(_t(data, "step_consent"))
    goals = by_key.get("goals", {})
    for i, g in enumerate(goals.get("goals", []), 1):
        if g.get("missing"):
            criteria = ", ".join(gettext(data.lang, f"goals.label_{m}") for m in g["missing"])
            steps.append(_t(data, "step_goal", n=i, criteria=criteria))
    steps.append(_t(data, "step_share"))
    return Section(
        _t(data, "title_next"), _ul(steps), "\n".join(steps), {"steps": steps}, key="next_steps"
    )
