"""The demo's reactions round: demo participants agree / disagree / pass on each other's ideas.

Two latent viewpoints (leaning with neighbourhood, not fixed by it) give the opinion map two
or three groups, a few ideas everybody agrees with and a few that divide, so the Reactions tab,
"who is in each group" and the summary's "Where we agree" all have something to show. The
round stays open on the vision prompt, so a phone opening the demo can react too.
"""

from __future__ import annotations

import random

from ..store import NewReaction, SessionRecord, Store

__all__ = ["seed_demo_reactions"]


def seed_demo_reactions(store: Store, session: SessionRecord, *, seed: int = 26) -> int:
    """Seed reactions on the session's first prompt and open a reactions round there.

    Returns
    -------
    int
        Reactions written.
    """
    rng = random.Random(seed)
    prompt = store.list_prompts(session.id)[0]
    ideas = store.list_submissions(session.id, prompt_id=prompt.id)
    people = store.participants_frame(session.id)
    hood = dict(zip(people["participant_key"], people.get("neighbourhood", []), strict=False))
    keys = sorted(people["participant_key"])
    # each idea: how likely each viewpoint is to agree (consensus, divisive or mixed)
    leaning = {}
    for sub in ideas:
        kind = rng.random()
        if kind < 0.3:
            leaning[sub.id] = (0.85, 0.8)
        elif kind < 0.7:
            leaning[sub.id] = (0.85, 0.15) if rng.random() < 0.5 else (0.15, 0.85)
        else:
            leaning[sub.id] = (0.5, 0.5)
    items = []
    for key in keys:
        side = int(
            rng.random()
            < (0.8 if hood.get(key) in ("Westside", "Northgate", "Riverside") else 0.25)
        )
        for sub in ideas:
            if sub.participant_key == key or rng.random() > 0.7:
                continue
            p = leaning[sub.id][side]
            u = rng.random()
            value = 1 if u < p * 0.9 else (0 if u < p * 0.9 + 0.1 else -1)
            items.append(NewReaction(sub.id, key, value))
    changed, _ = store.import_reactions(
        session.id, items, actor="demo", detail={"what": "demo reactions"}
    )
    store.open_reactions(session.id, prompt.id, actor="demo facilitator")
    return changed
