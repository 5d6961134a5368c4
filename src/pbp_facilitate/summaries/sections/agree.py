"""Where we agree: the ideas every opinion group agreed with, and what sets each group apart.

The opinion groups come from the session's reactions (participants agreeing or disagreeing
with each other's ideas), found by :func:`pbp_facilitate.opinions.session.session_opinions`
(Polis's method). Ideas are participant text and are escaped; groups are named "Group 1",
"Group 2"... and never by anyone's name or demographics.
"""

from __future__ import annotations

from typing import Any

from ...i18n import gettext, ngettext
from ...text import esc
from ._base import Section, SummaryData, _p

__all__ = ["where_we_agree_section"]


def _o(data: SummaryData, key: str, **values: Any) -> str:
    return gettext(data.lang, f"opinions.{key}", **values)


def _analysis(data: SummaryData) -> dict[str, Any] | None:
    from ...opinions.session import opinions_json, session_opinions
    from ...store import open_store

    store = open_store(data.settings)
    try:
        if not store.list_reactions(data.session.id):
            return None
        analysis, subs = session_opinions(store, data.session.id)
        return opinions_json(analysis, subs)
    finally:
        store.close()


def where_we_agree_section(data: SummaryData) -> Section:
    """Consensus ideas across opinion groups and each group's distinctive views."""
    title = _o(data, "summary_title")
    found = _analysis(data)
    if found is None:
        text = _o(data, "summary_none")
        return Section(title, _p(text), text, {"groups": 0, "consensus": []}, key="agree")
    people, votes, k = found["n_participants"], found["n_votes"], found["n_groups"]
    if k == 0:
        text = _o(data, "summary_no_groups", **_counts(data, people, votes))
        return Section(title, _p(text), text, {"groups": 0, "consensus": []}, key="agree")
    lines = [
        _o(
            data,
            "summary_intro",
            groups=_n(data, "n_groups_emerged", k),
            **_counts(data, people, votes),
        )
    ]
    parts = [_p(lines[0])]
    consensus = found["consensus"]
    parts.append(f"<h3>{esc(_o(data, 'summary_consensus'))}</h3>")
    if consensus:
        items = []
        for c in consensus:
            share = f"{min(c['group_agree']):.0%}"
            items.append(
                f'<li><span class="pbp-text">{esc(c["text"])}</span> '
                f'<span class="pbp-note">({esc(_o(data, "summary_agreed_by", share=share))})'
                "</span></li>"
            )
            lines.append(f"- {c['text']}")
        parts.append(f"<ul>{''.join(items)}</ul>")
    else:
        parts.append(_p(_o(data, "none_yet")))
    parts.append(f"<h3>{esc(_o(data, 'summary_distinct'))}</h3>")
    for g in found["groups"]:
        name = _o(data, "group", g=g["id"] + 1)
        size = ngettext(data.lang, "opinions.people", g["size"])
        items = []
        for r in g["representative"][:3]:
            view = _o(
                data,
                "summary_group_view",
                direction=_o(data, f"direction_{r['direction']}"),
                share=f"{r['p']:.0%}",
            )
            items.append(
                f'<li><span class="pbp-text">{esc(r["text"])}</span> '
                f'<span class="pbp-note">{esc(view)}</span></li>'
            )
        parts.append(f"<h4>{esc(name)} · {esc(size)}</h4><ul>{''.join(items)}</ul>")
        lines.append(f"{name} ({size})")
    return Section(
        title,
        "".join(parts),
        "\n".join(lines),
        {
            "groups": k,
            "participants": people,
            "reactions": votes,
            "consensus": [c["text"] for c in consensus],
            "group_sizes": [g["size"] for g in found["groups"]],
        },
        key="agree",
    )


def _n(data: SummaryData, key: str, n: int) -> str:
    return ngettext(data.lang, f"opinions.{key}", n)


def _counts(data: SummaryData, people: int, votes: int) -> dict[str, str]:
    """The counted fragments of the intro: who reacted, how many times."""
    return {"people": _n(data, "n_reacted", people), "votes": _n(data, "n_times", votes)}
