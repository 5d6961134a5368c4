"""A session at a glance: counts by prompt, language and source (for the CLI and summaries)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..equity import count_consented
from ..i18n import ngettext
from ..store import Store, SubmissionRecord

__all__ = ["session_overview", "format_overview", "count_figures"]


def session_overview(store: Store, session_ref: int | str) -> dict[str, Any]:
    """Return a JSON-able overview of a session.

    Parameters
    ----------
    store : Store
        The store.
    session_ref : int or str
        Session id or join code.

    Returns
    -------
    dict
        ``session``, ``prompts`` (with ``submissions`` counts), ``submissions``
        (visible), ``hidden``, ``participants``, ``consented``, ``languages`` and
        ``sources`` counts.
    """
    s = store.get_session(session_ref)
    subs = store.list_submissions(s.id, include_hidden=True)
    visible = [x for x in subs if not x.hidden]
    figures = count_figures(visible, [x for x in subs if x.hidden], store.participants_frame(s.id))
    by_prompt = Counter(x.prompt_id for x in visible)
    prompts = [
        {
            "id": p.id,
            "key": p.key,
            "kind": p.kind,
            "text": p.text_for(s.languages[0]),
            "open": p.is_open,
            "submissions": by_prompt.get(p.id, 0),
        }
        for p in store.list_prompts(s.id)
    ]
    return {
        "session": s.to_dict(),
        "prompts": prompts,
        **figures,
        "sources": dict(Counter(x.source for x in visible).most_common()),
    }


def count_figures(
    visible: Sequence[SubmissionRecord], hidden: Sequence[SubmissionRecord], participants: Any
) -> dict[str, Any]:
    """Return the headline counts shared by the overview and the summary report.

    Parameters
    ----------
    visible, hidden : sequence of SubmissionRecord
        The session's visible and moderated ideas.
    participants : pandas.DataFrame
        :meth:`Store.participants_frame` output.

    Returns
    -------
    dict
        ``submissions``, ``hidden``, ``participants``, ``consented`` and ``languages``
        (``{code: visible ideas}``, most first).
    """
    return {
        "submissions": len(visible),
        "hidden": len(hidden),
        "participants": int(len(participants)),
        "consented": count_consented(participants),
        "languages": dict(Counter(x.language or "unknown" for x in visible).most_common()),
    }


def format_overview(data: dict[str, Any]) -> str:
    """Format :func:`session_overview` output as readable text."""
    s = data["session"]
    lines = [
        f"{s['title']}  (join code {s['code']}, {s['status']}, created "
        f"{s['created_at'][:16].replace('T', ' ')} UTC)",
        f"{ngettext('en', 'summaries.n_ideas', data['submissions'])} from "
        f"{ngettext('en', 'summaries.n_participants', data['participants'])} "
        f"({data['consented']} shared demographics; {data['hidden']} hidden by moderation)",
        "Languages: " + ", ".join(f"{k} {v}" for k, v in data["languages"].items()),
        "Sources: " + ", ".join(f"{k} {v}" for k, v in data["sources"].items()),
        "",
        "Prompts:",
    ]
    for p in data["prompts"]:
        state = "open  " if p["open"] else "closed"
        ideas = ngettext("en", "summaries.n_ideas", p["submissions"])
        lines.append(f"  [{state}] {p['key']:<12} {ideas:>10}  {p['text']}")
    return "\n".join(lines)
