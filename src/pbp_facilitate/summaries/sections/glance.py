"""The session at a glance and participation over time."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ...clock import parse_iso
from ...text import esc, figure_html, table_html
from ._base import (
    _BLUE,
    Section,
    SummaryData,
    _charts,
    _figure,
    _num,
    _p,
    _prompt_label,
    _t,
    _tn,
    _when,
    key_figures,
)


def at_a_glance_section(data: SummaryData) -> Section:
    """The session at a glance: when, prompts, participants, submissions, languages."""
    k = key_figures(data)
    s = data.session
    if k["first"]:
        when = _t(data, "when_range", start=_when(data, k["first"]), end=_when(data, k["last"]))
    else:
        when = _t(data, "when_created", when=_when(data, s.created_at))
    known = {"en", "es", "unknown"}
    langs = ", ".join(
        f"{_t(data, f'lang_{c}') if c in known else c} {_num(data, n)}"
        for c, n in k["languages"].items()
    ) or _t(data, "none_yet")
    tiles = [
        (_num(data, k["submissions"]), _t(data, "tile_ideas")),
        (_num(data, k["participants"]), _t(data, "tile_participants")),
        (_num(data, k["prompts"]), _t(data, "tile_questions")),
        (_num(data, len(k["languages"])), _t(data, "tile_languages")),
    ]
    tiles_html = (
        '<div class="pbp-tiles">'
        + "".join(
            f'<div class="pbp-tile"><span '
            f'class="pbp-num">{esc(v)}</span><span>{esc(lbl)}</span></div>'
            for v, lbl in tiles
        )
        + "</div>"
    )
    status = _t(data, "status_open" if s.status == "open" else "status_closed")
    rows = [
        (_t(data, "row_session"), _t(data, "session_value", title=s.title, code=s.code)),
        (_t(data, "row_when"), when),
        (_t(data, "row_status"), status),
        (
            _t(data, "row_ideas"),
            _t(
                data,
                "ideas_value",
                shown=_num(data, k["submissions"]),
                hidden=_num(data, k["hidden"]),
            ),
        ),
        (
            _t(data, "row_participants"),
            _t(
                data,
                "participants_value",
                n=_num(data, k["participants"]),
                consented=_num(data, k["consented"]),
            ),
        ),
        (_t(data, "row_languages"), langs),
    ]
    body = tiles_html + table_html(rows, ["", ""])
    text = "\n".join(f"{a}: {b}" for a, b in rows)
    return Section(_t(data, "title_glance"), body, text, {"key_figures": k}, key="glance")


@_charts
def participation_section(data: SummaryData) -> Section:
    """Participation over time and by prompt (a line of ideas over time, bars by prompt, a
    table).
    """
    title = _t(data, "title_participation")
    vis = data.visible
    if not vis:
        return Section(
            title,
            _p(_t(data, "no_ideas")),
            _t(data, "no_ideas_short"),
            {"by_prompt": {}},
            key="participation",
        )
    by_prompt = Counter(s.prompt_id for s in vis)
    people_by_prompt: dict[Any, set[str]] = {}
    for s in vis:
        if s.participant_key:
            people_by_prompt.setdefault(s.prompt_id, set()).add(s.participant_key)
    rows = []
    for p in data.prompts:
        rows.append(
            (
                f"{p.position + 1}. {_prompt_label(data, p)}",
                by_prompt.get(p.id, 0),
                len(people_by_prompt.get(p.id, ())),
            )
        )
    if by_prompt.get(None):
        rows.append((_t(data, "no_question"), by_prompt[None], len(people_by_prompt.get(None, ()))))
    no_question = len(rows) - 1 if by_prompt.get(None) else -1

    # Ideas over time (cumulative), by minute since the first idea.
    times = sorted(parse_iso(s.created_at) for s in vis)
    t0 = times[0]
    minutes = [(t - t0).total_seconds() / 60 for t in times]
    fig = _figure(6.0, 2.8)
    ax = fig.add_subplot(1, 1, 1)
    ax.step(minutes, range(1, len(minutes) + 1), where="post", color=_BLUE, linewidth=2)
    ax.set_xlabel(_t(data, "axis_minutes", start=t0.strftime("%H:%M UTC")))
    ax.set_ylabel(_t(data, "axis_ideas_so_far"))
    ax.set_title(_t(data, "chart_over_time"))
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylim(0, len(minutes) * 1.05)
    over_time = figure_html(
        fig,
        _tn(data, "alt_over_time", len(vis), minutes=_tn(data, "n_minutes", round(minutes[-1]))),
    )

    fig2 = _figure(6.0, 0.5 * len(rows) + 1.0)
    ax2 = fig2.add_subplot(1, 1, 1)
    labels = [
        _t(data, "none_short") if i == no_question else _t(data, "q_short", n=i + 1)
        for i in range(len(rows))
    ]
    ys = list(range(len(rows)))[::-1]
    ax2.barh(ys, [r[1] for r in rows], color=_BLUE)
    for y, r in zip(ys, rows, strict=True):
        ax2.text(r[1], y, f" {r[1]}", va="center", fontsize=9)
    ax2.set_yticks(ys)
    ax2.set_yticklabels(labels)
    ax2.set_xlabel(_t(data, "axis_ideas"))
    ax2.set_title(_t(data, "chart_by_question"))
    ax2.spines[["top", "right"]].set_visible(False)
    items = "; ".join(f"{lbl} {r[1]}" for lbl, r in zip(labels, rows, strict=True))
    by_q = figure_html(fig2, _t(data, "alt_by_question", items=items))
    header = [_t(data, "col_question"), _t(data, "col_ideas"), _t(data, "col_people")]
    table = table_html(rows, header, numeric=(1, 2))
    text = "\n".join(
        _t(
            data,
            "text_prompt_row",
            prompt=r[0],
            ideas=_tn(data, "n_ideas", r[1]),
            people=_tn(data, "n_people", r[2]),
        )
        for r in rows
    )
    return Section(
        title,
        over_time + by_q + table,
        text,
        {"by_prompt": {str(r[0]): int(r[1]) for r in rows}},
        key="participation",
    )
