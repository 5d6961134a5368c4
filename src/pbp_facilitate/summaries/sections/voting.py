"""Results of the latest dot-voting round.

A round opened from the themes is named by the session's current themes, in the summary's
language (:func:`pbp_facilitate.themes.current.tally`: the final labels, merged themes on
one line with all their dots); a round with labels of its own by those.
"""

from __future__ import annotations

from ...text import figure_html, shorten, table_html
from ...themes.current import ThemeState, tally
from ._base import (
    _BLUE,
    _GREY,
    Section,
    SummaryData,
    _caution,
    _charts,
    _figure,
    _p,
    _t,
    _tn,
)


@_charts
def voting_section(data: SummaryData) -> Section:
    """Results of the latest dot-voting round."""
    title = _t(data, "title_voting")
    vr = data.voting_round
    if vr is None:
        return Section(
            title,
            _p(_t(data, "no_voting")),
            _t(data, "no_voting_short"),
            {"options": []},
            key="voting",
        )
    state = data.current_themes or ThemeState(session_id=data.session.id, version=0)
    counted = tally(vr, state, data.vote_rows, data.theme_edits, data.lang)
    rows = [(x["label"], int(x["dots"]), int(x["voters"])) for x in counted["themes"]]
    total_dots = sum(r[1] for r in rows)
    voters = int(counted["voters"])
    state = _t(data, "round_open" if vr.status == "open" else "round_closed")
    parts = [
        _p(
            _tn(
                data,
                "voting_line",
                voters,
                dots=_tn(data, "n_dots", total_dots),
                each=vr.dots,
                options=_tn(data, "n_themes", len(rows)),
                state=state,
            )
        )
    ]
    if 0 < voters < data.small_count:
        few = _tn(data, "n_people", voters)
        parts.append(_caution(_t(data, "few_voters", voters=few, k=data.small_count)))
    if rows:
        fig = _figure(6.0, 0.42 * max(3, len(rows)) + 1.0)
        ax = fig.add_subplot(1, 1, 1)
        ys = list(range(len(rows)))[::-1]
        ax.barh(
            ys, [r[1] for r in rows], color=[_BLUE if i < 3 else _GREY for i in range(len(rows))]
        )
        ax.set_yticks(ys)
        ax.set_yticklabels([shorten(r[0], 38) for r in rows], fontsize=9)
        for y, r in zip(ys, rows, strict=True):
            ax.text(r[1], y, f" {r[1]}", va="center", fontsize=9)
        ax.set_xlabel(_t(data, "axis_dots"))
        ax.set_title(_t(data, "chart_dots"))
        ax.spines[["top", "right"]].set_visible(False)
        items = "; ".join(f"{r[0]} {r[1]}" for r in rows)
        parts.append(figure_html(fig, _t(data, "alt_dots", items=items)))
        header = [_t(data, "col_theme"), _t(data, "col_dots"), _t(data, "col_voters")]
        parts.append(table_html(rows, header, numeric=(1, 2)))
    text = "\n".join(
        _t(data, "text_dots", label=r[0], dots=_tn(data, "n_dots", r[1])) for r in rows
    )
    return Section(
        title,
        "".join(parts),
        text,
        {
            "options": [{"label": r[0], "dots": r[1], "voters": r[2]} for r in rows],
            "voters": voters,
            "dots": total_dots,
        },
        key="voting",
    )
