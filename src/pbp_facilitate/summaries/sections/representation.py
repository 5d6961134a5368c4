"""Who took part, compared with the community."""

from __future__ import annotations

from typing import Any

from ...text import esc, figure_html
from ._base import (
    Section,
    SummaryData,
    _charts,
    _figure,
    _frame,
    _note,
    _p,
    _t,
    _tn,
    _ul,
)


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
    parts = [_p(_tn(data, "consent_line", n, consented=f"{consented:,}"))]
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
            shown = suppress(rep, k)
            sentences = gap_sentences(rep, data.lang)
            if any(st == "under" for st in rep["status"]):
                gaps.extend(sentences)
            fig = _figure(6.0, 0.45 * max(3, len(rep)) + 1.6)
            plot_representation(rep, lang=data.lang, ax=fig.add_subplot(1, 1, 1))
            parts.append(f"<h3>{esc(label)}</h3>")
            alt = _t(data, "alt_representation", sentences=" ".join(sentences))
            parts.append(figure_html(fig, alt, tight=True))
            parts.append(_ul(sentences))
            parts.append(_frame(shown, index=False))
            figures[dim] = {
                "table": shown.to_dict(orient="records"),
                "under": [
                    str(lbl)
                    for lbl, s in zip(rep["label"], rep["status"], strict=True)
                    if s == "under"
                ],
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
            shown = suppress(series.astype(int), k, totals=not q.multiple)
            parts.append(f"<h3>{esc(label)}</h3>")
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
