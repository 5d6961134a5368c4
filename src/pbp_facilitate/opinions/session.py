"""The opinion analysis of a stored session: the one store-reading wrapper of the package.

Hidden ideas are analysed as Polis analyses comments moderated out: their columns are set to 0
for everyone (so they still count among the ideas and each participant's votes), and they are
never listed in the results (``polismath.math.conversation``: ``:rating-mat``, ``:in-conv``,
``select-rep-comments``). A participant is named by the id the data came with
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

    ``subs`` holds the visible ideas only; hidden ones are in ``analysis.moderated_out``.

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
    every = store.list_submissions(session_id, prompt_id=prompt_id, include_hidden=True)
    subs = {s.id: s for s in every if not s.hidden}
    hidden = {s.id for s in every if s.hidden}
    rows = store.list_reactions(session_id, prompt_id=prompt_id, include_hidden=True)
    triples = [
        (participant_label(k, ref), sid, v)
        for k, ref, sid, v in rows
        if sid in subs or sid in hidden
    ]
    from .analysis import analyze_opinions  # scikit-learn: loaded on first use

    analysis = analyze_opinions(triples, moderated_out=hidden, **kwargs)
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
