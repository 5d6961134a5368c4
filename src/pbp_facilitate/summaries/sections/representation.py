"""Who took part, compared with the community."""

from __future__ import annotations

from typing import Any

from ...equity import NOT_SHARED
from ...i18n import gettext
from ...text import esc, figure_html
from ._base import (
    Section,
    SummaryData,
    _charts,
    _figure,
    _frame,
    _note,
    _num,
    _p,
    _t,
    _tn,
    _ul,
)
from ._small import collapse_counts, mostly_hidden


@_charts
def representation_section(data: SummaryData) -> Section:
    """Who took part compared with the community (consented demographics; small counts "<5")."""
    from ...equity import (
        count_consented,
        gap_sentences,
        load_community_benchmarks,
        plot_representation,
        representation,
        shared_groups,
        suppress,
    )
    from ...equity.groups import consented_mask

    k = data.small_count
    people = data.participants
    survey = data.session.survey
    n = int(len(people))
    consented = count_consented(people)
    parts = [_p(_tn(data, "consent_line", n, consented=_num(data, consented)))]
    parts.append(_note(_t(data, "privacy_note", k=k)))
    bench, problem = load_community_benchmarks(folder=data.settings.surveys_dir, lang=data.lang)
    if problem:
        parts.append(_note(problem))
    figures: dict[str, Any] = {}
    gaps: list[str] = []
    for q in survey.demographics:
        dim = q.key
        label = q.label.get(data.lang) or q.label.get("en") or next(iter(q.label.values()), dim)
        if bench is not None and dim in bench.dimensions and not q.multiple:
            rep = representation(people, bench, dim, small_count=k)
            shown = _relabel(suppress(rep, k, lang=data.lang), q, data.lang)
            sentences = gap_sentences(rep, data.lang)
            if any(st == "under" for st in rep["status"]):
                gaps.extend(sentences)
            parts.append(f"<h3>{esc(label)}</h3>")
            groups = [i for i, g in enumerate(rep["group"]) if g != NOT_SHARED]
            mostly, hidden, cells = mostly_hidden(shown.iloc[groups, 1], k)
            if mostly:
                parts.append(_p(_t(data, "mostly_hidden", hidden=hidden, cells=cells, k=k)))
                parts.append(_ul(sentences))
                table = _collapsed_rep(data, q, rep.iloc[groups], k)
                parts.append(table[0])
                figures[dim] = {
                    "table": table[1],
                    "collapsed": True,
                    "under": _under(rep, data.lang),
                }
                continue
            fig = _figure(6.0, 0.45 * max(3, len(rep)) + 1.6)
            plot_representation(rep, lang=data.lang, ax=fig.add_subplot(1, 1, 1))
            alt = _t(data, "alt_representation", sentences=" ".join(sentences))
            parts.append(figure_html(fig, alt, tight=True))
            parts.append(_ul(sentences))
            parts.append(_frame(shown, index=False))
            figures[dim] = {
                "table": shown.to_dict(orient="records"),
                "under": _under(rep, data.lang),
            }
        else:
            import pandas as pd

            if q.multiple:
                counts: dict[str, int] = {o.value: 0 for o in q.options}
                for _, row in people[consented_mask(people)].iterrows():
                    vals = row.get(dim)
                    for v in vals if isinstance(vals, list) else ([vals] if vals else []):
                        counts[str(v)] = counts.get(str(v), 0) + 1
                series = pd.Series(counts, name="people", dtype=int)
                series = series[series.index.notna()]
                note = _t(data, "multi_note")
            else:
                series = shared_groups(people, dim).value_counts().rename("people")
                note = ""
            if series.sum() == 0:
                parts.append(f"<h3>{esc(label)}</h3>" + _p(_t(data, "nobody_shared")))
                figures[dim] = {"table": []}
                continue
            shown = suppress(series.astype(int), k, totals=not q.multiple, lang=data.lang)
            parts.append(f"<h3>{esc(label)}</h3>")
            mostly, hidden, cells = mostly_hidden(shown.iloc[: len(series), 0], k)
            if mostly:
                parts.append(_p(_t(data, "mostly_hidden", hidden=hidden, cells=cells, k=k)))
                if q.multiple:
                    anyone = int(
                        sum(
                            1
                            for v in people.loc[consented_mask(people), dim]
                            if isinstance(v, list) and v
                        )
                    )
                    key = "multi_collapsed" if anyone >= k else "nothing_showable"
                    parts.append(_p(_t(data, key, n=_num(data, anyone), k=k)))
                    figures[dim] = {"table": {}, "collapsed": True, "anyone": anyone >= k}
                    continue
                counts = {str(g): int(n) for g, n in series.items()}
                html_, rows = _collapsed(data, q, counts, k)
                parts.append(html_)
                figures[dim] = {"table": rows, "collapsed": True}
                continue
            shown.index = [_option(q, i, data.lang) for i in shown.index]
            if note:
                parts.append(_note(note))
            parts.append(_frame(shown, index_name=_t(data, "col_group")))
            figures[dim] = {
                "table": {
                    str(i): str(v) for i, v in zip(shown.index, shown.iloc[:, 0], strict=True)
                }
            }
    text = " ".join(gaps) or _t(data, "no_gaps")
    return Section(
        _t(data, "title_representation"),
        "".join(parts),
        text,
        {"dimensions": figures, "consented": consented, "participants": n},
        key="representation",
    )


def _option(q: Any, value: Any, lang: str) -> str:
    """An answer option's label in ``lang`` (the stored value when the survey has none)."""
    for o in q.options:
        if o.value == value:
            return o.label.get(lang) or o.label.get("en") or str(value)
    if value == NOT_SHARED:
        return gettext(lang, "summaries.not_shared")
    return str(value)


def _relabel(shown: Any, q: Any, lang: str) -> Any:
    shown = shown.copy()
    first = shown.columns[0]
    shown[first] = [_option(q, v, lang) for v in shown[first]]
    return shown


def _under(rep: Any, lang: str) -> list[str]:
    col = f"label_{lang}" if f"label_{lang}" in rep.columns else "label"
    return [str(g) for g, s in zip(rep[col], rep["status"], strict=True) if s == "under"]


def _collapsed(data: SummaryData, q: Any, counts: dict[str, int], k: int) -> tuple[str, Any]:
    """The dimension collapsed: groups of ``k`` or more, the rest pooled (or nothing at all)."""
    from ...text import table_html

    kept, pooled = collapse_counts(counts, k)
    if not kept and pooled < k:
        return _p(_t(data, "nothing_showable", k=k)), {}
    rows = [(_option(q, g, data.lang), _num(data, n)) for g, n in kept]
    if pooled:
        rows.append((_t(data, "collapsed_other"), _num(data, pooled)))
    header = [_t(data, "col_group"), _t(data, "col_people")]
    return table_html(rows, header, numeric=(1,)), dict(rows)


def _collapsed_rep(data: SummaryData, q: Any, rep: Any, k: int) -> tuple[str, Any]:
    """Representation with small groups pooled, against the community's shares of the same."""
    from ...text import table_html

    counts = {str(g): int(n) for g, n in zip(rep["group"], rep["participants"], strict=True)}
    community = {
        str(g): float(c) for g, c in zip(rep["group"], rep["community_share"], strict=True)
    }
    kept, pooled = collapse_counts(counts, k)
    if not kept and pooled < k:
        return _p(_t(data, "nothing_showable", k=k)), {}
    shared = sum(counts.values())
    kept_names = {g for g, _ in kept}
    rows = [
        (
            _option(q, g, data.lang),
            _num(data, n),
            f"{_num(data, 100.0 * n / shared)}%",
            f"{_num(data, community[g])}%",
        )
        for g, n in kept
    ]
    if pooled:
        rest = sum(c for g, c in community.items() if g not in kept_names)
        rows.append(
            (
                _t(data, "collapsed_other"),
                _num(data, pooled),
                f"{_num(data, 100.0 * pooled / shared)}%",
                f"{_num(data, rest)}%",
            )
        )
    header = [
        _t(data, "col_group"),
        _t(data, "col_people"),
        _t(data, "col_share_here"),
        _t(data, "col_share_community"),
    ]
    return table_html(rows, header, numeric=(1, 2, 3)), {r[0]: r[1] for r in rows}
