"""A session at a glance: counts by prompt, language and source (for the CLI and summaries)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .store import Store

__all__ = ["session_overview", "format_overview"]


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
    by_prompt = Counter(x.prompt_id for x in visible)
    prompts = [
        {"id": p.id, "key": p.key, "kind": p.kind, "text": p.text_for(s.languages[0]), "open": p.is_open,
         "submissions": by_prompt.get(p.id, 0)}
        for p in store.list_prompts(s.id)
    ]
    people = store.participants_frame(s.id)
    return {
        "session": s.to_dict(),
        "prompts": prompts,
        "submissions": len(visible),
        "hidden": len(subs) - len(visible),
        "participants": int(len(people)),
        "consented": int(people["consented"].sum()) if len(people) else 0,
        "languages": dict(Counter(x.language or "unknown" for x in visible).most_common()),
        "sources": dict(Counter(x.source for x in visible).most_common()),
    }


def format_overview(data: dict[str, Any]) -> str:
    """Format :func:`session_overview` output as readable text."""
    s = data["session"]
    lines = [
        f"{s['title']}  (join code {s['code']}, {s['status']}, created {s['created_at'][:16].replace('T', ' ')} UTC)",
        f"{data['submissions']} ideas from {data['participants']} participants "
        f"({data['consented']} shared demographics; {data['hidden']} hidden by moderation)",
        "Languages: " + ", ".join(f"{k} {v}" for k, v in data["languages"].items()),
        "Sources: " + ", ".join(f"{k} {v}" for k, v in data["sources"].items()),
        "",
        "Prompts:",
    ]
    for p in data["prompts"]:
        state = "open  " if p["open"] else "closed"
        lines.append(f"  [{state}] {p['key']:<12} {p['submissions']:>4} ideas  {p['text']}")
    return "\n".join(lines)
