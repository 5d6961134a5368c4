"""What we heard: themes, word clouds and who raised each theme.

Every theme is named in the summary's language (``SummaryData.lang``) by
:func:`pbp_facilitate.themes.display.theme_label`: headings, chart, alt texts, the
who-raised table and the section's figures (so next steps quote the same words).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...text import esc, figure_html, png_img, shorten
from ...themes.display import theme_label
from ..files import atomic_write
from ._base import (
    _BLUE,
    MAX_WORD_CLOUDS,
    Section,
    SummaryData,
    _charts,
    _figure,
    _frame,
    _note,
    _p,
    _t,
    _tn,
)


def _fit_themes(data: SummaryData) -> tuple[Any, str | None]:
    """Fit themes the way the live theme board does, so the summary shows the themes the room saw.

    Uses :func:`~pbp_facilitate.themes.session.fit_session_themes` (latest snapshot as ``previous``,
    edits replayed, prompt words left out). Nothing is written back to the store.
    """
    from ...errors import PbpError
    from ...themes.session import fit_session_themes

    vis = data.visible
    if not vis:
        return None, _t(data, "themes_no_ideas")
    try:
        return fit_session_themes(
            [s.text for s in vis],
            [s.id for s in vis],
            prompts=data.prompts,
            languages=data.session.languages,
            previous=data.theme_snapshot or None,
            edits=data.theme_edits or None,
        ), None
    except PbpError as exc:
        return None, _t(data, "themes_failed", error=exc)


@_charts
def themes_section(data: SummaryData) -> Section:
    """Themes with labels, counts, quotes and word clouds."""
    from ...themes.wordclouds import wordcloud_png

    title = _t(data, "title_themes")
    model = data.themes()
    if model is None:
        msg = data._themes_error or _t(data, "themes_none")
        return Section(title, _p(msg), msg, {"themes": []}, key="themes")
    total = len(model.labels_)
    themes = list(model.themes_)
    names = {int(t.id): theme_label(t, data.lang) for t in themes}
    unclear = int(sum(1 for v in model.labels_ if int(v) == -1))
    n_themes = _tn(data, "n_themes", len(themes))
    if unclear:
        more = _tn(data, "n_unclear", unclear)
        parts = [_p(_tn(data, "themes_count_unclear", total, themes=n_themes, unclear=more))]
    else:
        parts = [_p(_tn(data, "themes_count", total, themes=n_themes))]
    parts.append(_note(_t(data, "themes_note")))
    fig = _figure(6.0, 0.42 * max(3, len(themes)) + 1.0)
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(len(themes)))[::-1]
    ax.barh(ys, [t.size for t in themes], color=_BLUE)
    ax.set_yticks(ys)
    ax.set_yticklabels([shorten(names[int(t.id)], 38) for t in themes], fontsize=9)
    for y, t in zip(ys, themes, strict=True):
        ax.text(t.size, y, f" {t.size}", va="center", fontsize=9)
    ax.set_xlabel(_t(data, "axis_ideas"))
    ax.set_title(_t(data, "chart_per_theme"))
    ax.spines[["top", "right"]].set_visible(False)
    items = "; ".join(f"{names[int(t.id)]} {t.size}" for t in themes)
    parts.append(figure_html(fig, _t(data, "alt_per_theme", items=items)))
    summary = []
    for i, t in enumerate(themes):
        name = names[int(t.id)]
        share = 100.0 * t.size / total if total else 0.0
        cloud = ""
        if i < MAX_WORD_CLOUDS:
            png = None
            if t.terms:
                key = ("cloud", int(t.id), tuple(t.terms))
                if key not in data._shared:
                    data._shared[key] = wordcloud_png(
                        t.terms, width=360, height=180, random_state=int(t.id)
                    )
                png = data._shared[key]
            if png is not None:
                cloud = png_img(png, _t(data, "alt_cloud", label=name), cls="pbp-cloud")
                if data.output_dir is not None:
                    side = data.output_dir / "wordclouds" / f"theme-{int(t.id)}.png"
                    atomic_write(side, png)
        quotes = "".join(f"<blockquote>{esc(q)}</blockquote>" for q in t.quotes)
        who = _t(data, "label_by_facilitator") if t.label_source == "facilitator" else ""
        count = _tn(data, "theme_count", t.size, share=f"{share:.0f}")
        parts.append(
            f'<div class="pbp-theme"><h3>{esc(name)}</h3>'
            f'<p class="pbp-count">{esc(count)}{esc(who)}</p>{cloud}{quotes}</div>'
        )
        summary.append(
            {"id": int(t.id), "label": name, "size": int(t.size), "quotes": list(t.quotes)}
        )
    breakdown = _theme_groups(data, model)
    if breakdown:
        parts.append(breakdown[0])
    text = "\n".join(f"{t['label']}: {t['size']}" for t in summary)
    return Section(
        title,
        "".join(parts),
        text,
        {
            "themes": summary,
            "unclear": unclear,
            "ideas": total,
            "by_group": breakdown[1] if breakdown else {},
        },
        key="themes",
    )


def _theme_groups(data: SummaryData, model: Any) -> tuple[str, dict[str, Any]] | None:
    """People who raised each theme, by the survey's first single-choice question (small counts
    hidden).
    """
    import pandas as pd

    from ...equity import count_consented, dimension_name, theme_breakdown

    q = next((q for q in data.session.survey.demographics if not q.multiple), None)
    if q is None or not count_consented(data.participants):
        return None
    vis = data.visible
    subs = pd.DataFrame(
        {
            "participant_key": [s.participant_key for s in vis],
            "theme_id": [int(t) for t in model.theme_ids_],
        }
    ).dropna(subset=["participant_key"])
    labels = {int(t.id): shorten(theme_label(t, data.lang), 40) for t in model.themes_}
    table = theme_breakdown(
        subs,
        data.participants,
        q.key,
        groups=[o.value for o in q.options],
        small_count=data.small_count,
    )
    if table.empty:
        return None
    k = data.small_count
    dim = dimension_name(q.key, data.lang)
    # Decide on the exact counts (cells under k), before any protection search: when most
    # cells are small the full table is not shown, and its (costly) complementary
    # suppression is never needed.
    cells = int(table.size)
    hidden = int((table.to_numpy() < k).sum())
    mostly = cells > 0 and 2 * hidden > cells
    if mostly:
        # The dimension collapsed: people per theme, whatever their group.
        people = table.sum(axis=1).astype(int).rename("people")
        per_theme = _protected(data, ("who_people", q.key), people, totals=False)
        per_theme = _in_language(data, q, per_theme, labels)
        col = _t(data, "col_people")
        per_theme.columns = [col]
        html_ = (
            f"<h3>{esc(_t(data, 'who_raised_people'))}</h3>"
            + _p(_t(data, "who_raised_hidden", dimension=dim, hidden=hidden, cells=cells, k=k))
            + _frame(per_theme, index_name=_t(data, "col_theme"))
        )
        return html_, {
            "collapsed": True,
            "people": {
                str(i): str(v) for i, v in zip(per_theme.index, per_theme[col], strict=True)
            },
        }
    shown = _in_language(data, q, _protected(data, ("who", q.key), table), labels)
    heading = _t(data, "who_raised", dimension=dim)
    html_ = (
        f"<h3>{esc(heading)}</h3>"
        + _note(_t(data, "who_raised_note", k=k))
        + _frame(shown, index_name=_t(data, "col_theme"))
    )
    return html_, {str(i): {str(c): str(v) for c, v in row.items()} for i, row in shown.iterrows()}


def _protected(data: SummaryData, key: Any, table: Any, **kw: Any) -> Any:
    """:func:`~pbp_facilitate.equity.suppress` once for every language (which cells are hidden
    does not depend on the language; the search for them is the costly part)."""
    from ...equity import suppress

    if key not in data._shared:
        data._shared[key] = suppress(table, data.small_count, lang="en", **kw)
    return data._shared[key].copy()


def _in_language(data: SummaryData, q: Any, shown: Any, labels: dict[int, str]) -> Any:
    """Theme labels, group names and the total in the summary's language."""
    from ...equity import NOT_SHARED
    from ...i18n import gettext

    total_key = "equity.total"  # the word equity.suppress writes on the total row and column
    total_en, total = gettext("en", total_key), gettext(data.lang, total_key)
    options = {o.value: o.label.get(data.lang) or o.label.get("en") or o.value for o in q.options}
    options[NOT_SHARED] = _t(data, "not_shared")
    options[total_en] = total

    def row(i: Any) -> str:
        if isinstance(i, int | np.integer) and int(i) in labels:
            return labels[int(i)]
        return total if i == total_en else str(i)

    shown.index = [row(i) for i in shown.index]
    shown.columns = [options.get(str(c), str(c)) for c in shown.columns]
    return shown
