"""The opinion analysis of a stored session: the one store-reading wrapper of the package.

Reactions to hidden ideas are left out. A participant is named by the id the data came with
(a Polis participant number, for imported conversations) or else by a short pseudonym of their
key (``p-`` and 10 hex digits), never by the key itself.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from ..store import Store

if TYPE_CHECKING:
    from .analysis import OpinionAnalysis

__all__ = ["session_opinions", "opinions_json", "participant_label"]


def participant_label(participant_key: str, participant_ref: str | None) -> str:
    """Return how a participant is named in results: their import id, else a pseudonym."""
    if participant_ref:
        return participant_ref
    return "p-" + hashlib.sha256(participant_key.encode()).hexdigest()[:10]


def session_opinions(
    store: Store, session_id: int, *, prompt_id: int | None = None, **kwargs: Any
) -> tuple[OpinionAnalysis, dict[str, Any]]:
    """Analyse a session's reactions; return ``(analysis, {idea id: SubmissionRecord})``.

    Parameters
    ----------
    store : Store
    session_id : int
    prompt_id : int, optional
        Only the reactions to this prompt's ideas.
    **kwargs
        Passed to :func:`~pbp_facilitate.opinions.analyze_opinions` (``min_votes``,
        ``k_range``...).
    """
    subs = {s.id: s for s in store.list_submissions(session_id, prompt_id=prompt_id)}
    rows = store.list_reactions(session_id, prompt_id=prompt_id)
    triples = [(participant_label(k, ref), sid, v) for k, ref, sid, v in rows if sid in subs]
    from .analysis import analyze_opinions  # scikit-learn: loaded on first use

    analysis = analyze_opinions(triples, **kwargs)
    return analysis, subs


def opinions_json(analysis: OpinionAnalysis, subs: dict[str, Any]) -> dict[str, Any]:
    """Return the analysis as JSON with each idea's text and language beside its id."""
    data = analysis.to_dict()

    def add(item: dict[str, Any]) -> dict[str, Any]:
        sub = subs.get(item["idea"])
        return {
            **item,
            "text": sub.text if sub is not None else None,
            "language": sub.language if sub is not None else None,
        }

    for g in data["groups"]:
        g["representative"] = [add(r) for r in g["representative"]]
    data["consensus"] = [add(c) for c in data["consensus"]]
    data["divisive"] = [add(c) for c in data["divisive"]]
    return data
