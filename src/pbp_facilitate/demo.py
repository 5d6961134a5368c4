"""The demo session: a seeded visioning session with realistic input (for ``make demo``)."""

from __future__ import annotations

import random
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from .clock import to_iso, utcnow
from .errors import NotFoundError
from .store import NewSubmission, SessionRecord, Store
from .summaries.demo_series import seed_demo_series
from .surveys import load_survey

__all__ = ["seed_demo", "DEMO_CODE", "demo_ideas", "DEMO_GOALS"]

DEMO_CODE = "DEMO26"

# Community-level shares the demo participants are drawn from, deliberately skewed against the
# community (see surveys/community_benchmarks.csv) so the equity lens has gaps to show.
_RACE = {
    "White": 0.42,
    "Black or African American": 0.22,
    "Hispanic or Latino": 0.16,
    "Asian": 0.08,
    "Two or more races": 0.06,
    "American Indian or Alaska Native": 0.03,
    "Another race": 0.03,
}
_HOOD = {"Eastside": 0.34, "Downtown": 0.26, "Westside": 0.18, "Northgate": 0.14, "Riverside": 0.08}
_AGE = {"25-44": 0.38, "45-64": 0.32, "65 and over": 0.16, "18-24": 0.10, "Under 18": 0.04}
_ROLE = [
    "Resident",
    "Parent or caregiver",
    "Student",
    "Nonprofit staff",
    "School staff",
    "Business owner",
]
_LIVED = [
    "Homelessness or housing instability",
    "Disability",
    "Immigration",
    "Justice system involvement",
]

DEMO_GOALS = [
    "By June 2028, reduce the number of Eastside families spending more than half their income on "
    "rent from 1,200 to 800, reported by race and ethnicity.",
    "Para el ciclo escolar 2027-2028, aumentar de 40% a 60% los estudiantes de bajos ingresos que "
    "participan en programas gratuitos después de la escuela.",
    "Improve transportation for everyone.",
]


def demo_ideas() -> list[tuple[str, str, str]]:
    """Return the demo ideas as ``(prompt_key, language, text)`` tuples."""
    raw = (
        resources.files("pbp_facilitate")
        .joinpath("data/demo_ideas.txt")
        .read_text(encoding="utf-8")
    )
    out = []
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, lang, text = (part.strip() for part in line.split("|", 2))
        out.append((key, lang, text))
    return out


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def seed_demo(
    store: Store,
    survey_path: str | Path,
    *,
    code: str = DEMO_CODE,
    seed: int = 26,
    with_goals: bool = True,
    with_vote: bool = True,
) -> SessionRecord:
    """Create the demo session with about 150 ideas (English and Spanish); reuse it if it exists.

    Parameters
    ----------
    store : Store
        Where to write.
    survey_path : str or Path
        The visioning survey (``surveys/visioning.yaml``).
    code : str
        Join code of the demo session.
    seed : int
        Random seed: the same seed gives the same participants and demographics.
    with_goals : bool
        Also store a few draft goals with their SMART + equity checks.
    with_vote : bool
        Also store a closed dot-voting round on the first themes, with ballots.

    Returns
    -------
    SessionRecord
    """
    try:
        return store.get_session(code)
    except NotFoundError:
        pass
    rng = random.Random(seed)
    survey = load_survey(survey_path)
    session = store.create_session(survey, "Eastside Community Visioning", code=code)
    prompts = {p.key: p for p in store.list_prompts(session.id)}
    ideas = demo_ideas()
    start = utcnow() - timedelta(minutes=95)
    # Participants: Spanish speakers write the Spanish ideas; each writes 1 to 4 ideas.
    items: list[NewSubmission] = []
    people: dict[str, dict[str, Any]] = {}
    pool: dict[str, list[str]] = {"en": [], "es": []}
    for i, (key, lang, text) in enumerate(ideas):
        if not pool[lang] or rng.random() < 0.45:
            pkey = f"demo-{lang}-{len(people):03d}"
            people[pkey] = {"lang": lang}
            pool[lang].append(pkey)
        pkey = rng.choice(pool[lang][-4:])
        when = start + timedelta(seconds=30 * i + rng.randint(0, 25))
        items.append(
            NewSubmission(
                text=text,
                prompt_id=prompts[key].id,
                language=lang,
                source="form",
                participant_key=pkey,
                idempotency_key=f"demo:{code}:{i}",
                created_at=to_iso(when),
            )
        )
    store.add_submissions(session.id, items, actor="demo", detail={"what": "demo seed"})
    for pkey, info in people.items():
        if rng.random() < 0.65:
            race = (
                "Hispanic or Latino"
                if info["lang"] == "es" and rng.random() < 0.85
                else _pick(rng, _RACE)
            )
            demo = {
                "race_ethnicity": race,
                "neighbourhood": _pick(rng, _HOOD),
                "age_band": _pick(rng, _AGE),
                "role": sorted(rng.sample(_ROLE, rng.randint(1, 2))),
            }
            if rng.random() < 0.3:
                demo["lived_experience"] = [rng.choice(_LIVED)]
            store.save_profile(session.id, pkey, consented=True, demographics=demo)
        elif rng.random() < 0.5:
            store.save_profile(session.id, pkey, consented=False)
    # A moderated item, as a facilitator would have hidden it.
    spam = store.add_submission(
        session.id,
        prompts["vision"].id,
        "BUY CHEAP FOLLOWERS www.spam.example",
        language="en",
        participant_key="demo-spam",
        idempotency_key=f"demo:{code}:spam",
    )[0]
    store.set_hidden(spam.id, True, actor="demo facilitator", reason="spam")
    if with_goals:
        from .goals import check_goal

        for text in DEMO_GOALS:
            store.save_goal(session.id, text, check=check_goal(text).to_dict(), actor="demo")
        from .goals.demo import seed_goal_progress

        seed_goal_progress(store, session.id)  # indicators and partners' data by group
    # An online pre-survey export, imported by its plan (no mapping file; e-mails withheld).
    from .importers.demo_seed import seed_demo_import

    seed_demo_import(store, session)
    from .opinions.demo import seed_demo_reactions

    seed_demo_reactions(store, session, seed=seed)  # demo reactions; the round is left open
    # A first theme snapshot, so the dashboard opens with themes before its first live refit.
    from .themes.session import fit_stored_session

    fit_stored_session(store, session.id, save=True)
    if with_vote:
        _seed_vote(store, session.id, sorted(people), rng)
    if code == DEMO_CODE:  # the demo series: a youth session beside this one, summarised together
        seed_demo_series(store, survey_path, session)
    return store.get_session(session.id)


def _seed_vote(store: Store, session_id: int, people: list[str], rng: random.Random) -> None:
    """A closed dot-voting round on the first themes, by id, with most participants' ballots."""
    from .themes.current import start_theme_vote

    vr = start_theme_vote(store, session_id, dots=3, actor="demo facilitator")
    ids = [int(o["id"]) for o in vr.options]
    weights = [1.0 / (1 + i) for i in range(len(ids))]  # a few favourites, a long tail
    for pkey in people:
        if rng.random() < 0.7:
            ballot: dict[int, int] = {}
            for tid in rng.choices(ids, weights=weights, k=3):
                ballot[tid] = ballot.get(tid, 0) + 1
            store.cast_ballot(vr.id, pkey, ballot)
    store.close_voting_round(vr.id, actor="demo facilitator")
