"""The demo's series: a small youth session beside DEMO26, and the series joining them.

:func:`seed_demo_series` is called once from :func:`pbp_facilitate.demo.seed_demo`, so
``pbp demo`` shows a series roll-up (``pbp summarize --series eastside-2026``) and a public
site with two sessions (``pbp publish --out site --series eastside-2026``).
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from ..clock import to_iso, utcnow
from ..errors import NotFoundError
from ..store import NewSubmission, Store
from ..surveys import load_survey

__all__ = ["seed_demo_series", "DEMO_SERIES", "YOUTH_CODE"]

DEMO_SERIES = "eastside-2026"
YOUTH_CODE = "YOUTH26"

_YOUTH_IDEAS = [
    ("vision", "en", "A teen center open late with music and games"),
    ("vision", "en", "Paid summer jobs for teenagers in the neighborhood"),
    ("vision", "en", "Safe places to hang out after school that are free"),
    ("vision", "en", "More buses at night so we can get home from practice"),
    ("vision", "en", "Free after school programs with tutoring and sports"),
    ("vision", "en", "A skate park by the river with lights"),
    ("vision", "en", "Internships with local businesses for high school students"),
    ("vision", "en", "Sidewalks without cracks so kids can walk to school safely"),
    ("vision", "en", "Mental health counselors at every school"),
    ("vision", "en", "A youth council that the city actually listens to"),
    ("vision", "es", "Un centro para jóvenes abierto hasta tarde los fines de semana"),
    ("vision", "es", "Trabajos de verano pagados para adolescentes del barrio"),
    ("vision", "es", "Más autobuses de noche para volver a casa"),
    ("vision", "es", "Programas gratis después de la escuela con deportes y tutoría"),
    ("vision", "es", "Consejeros de salud mental en las escuelas"),
    ("vision", "es", "Banquetas seguras para caminar a la escuela"),
    ("vision", "es", "Un parque con luces cerca del río para patinar"),
    ("vision", "es", "Prácticas en negocios locales para estudiantes"),
    ("vision", "en", "Night buses that run every 15 minutes on weekends"),
    ("vision", "en", "Tutoring for free at the library after school"),
    ("vision", "en", "Jobs for young people that pay a real wage"),
    ("vision", "en", "Counselors we can talk to without a waiting list"),
    ("vision", "es", "Tutorías gratis en la biblioteca"),
    ("vision", "es", "Un consejo juvenil con voz en el ayuntamiento"),
    ("vision", "en", "Street lights on the way to the bus stop"),
    ("vision", "en", "A teen center with a recording studio"),
    ("vision", "es", "Empleos para jóvenes con buen sueldo"),
    ("vision", "en", "More sports leagues that do not cost money"),
    ("vision", "es", "Ligas deportivas gratis para todos"),
    ("vision", "en", "Safe crossings near the high school"),
]

_YOUTH_GOAL = (
    "By September 2027, increase from 150 to 400 the number of Eastside teenagers in paid summer "
    "jobs, reported by race and ethnicity and neighbourhood."
)


def seed_demo_series(store: Store, survey_path: str | Path, main: Any, *, seed: int = 27) -> None:
    """Add the youth session (30 ideas, a vote, an agreed goal) and the demo series.

    Does nothing when the series exists already (a second ``pbp demo`` reuses it).

    Parameters
    ----------
    store : Store
        Where to write.
    survey_path : str or Path
        The visioning survey.
    main : SessionRecord
        The demo session (first in the series).
    seed : int
        Random seed for the youth session's participants.
    """
    try:
        store.get_series(DEMO_SERIES)
        return
    except NotFoundError:
        pass
    from ..goals import check_goal
    from ..themes.session import fit_stored_session

    rng = random.Random(seed)
    survey = load_survey(survey_path)
    youth = store.create_session(survey, "Youth voice session", code=YOUTH_CODE)
    prompts = {p.key: p for p in store.list_prompts(youth.id)}
    start = utcnow() - timedelta(minutes=40)
    items = []
    for i, (key, lang, text) in enumerate(_YOUTH_IDEAS):
        items.append(
            NewSubmission(
                text=text,
                prompt_id=prompts[key].id,
                language=lang,
                source="form",
                participant_key=f"youth-{lang}-{i % 9:02d}",
                idempotency_key=f"demo:{YOUTH_CODE}:{i}",
                created_at=to_iso(start + timedelta(seconds=50 * i)),
            )
        )
    store.add_submissions(youth.id, items, actor="demo", detail={"what": "demo youth session"})
    for i, key in enumerate(sorted({x.participant_key for x in items if x.participant_key})):
        if i % 3 == 2:
            continue
        store.save_profile(
            youth.id,
            key,
            consented=True,
            demographics={
                "race_ethnicity": "Hispanic or Latino"
                if "-es-" in key
                else rng.choice(["Black or African American", "White", "Hispanic or Latino"]),
                "neighbourhood": rng.choice(["Eastside", "Eastside", "Riverside"]),
                "age_band": "Under 18" if rng.random() < 0.7 else "18-24",
                "role": ["Student"],
            },
        )
    store.save_goal(
        youth.id,
        _YOUTH_GOAL,
        status="agreed",
        check=check_goal(_YOUTH_GOAL).to_dict(),
        actor="demo",
    )
    model = fit_stored_session(store, youth.id, save=True)
    top = sorted(model.themes_, key=lambda t: -t.size)[:4]
    vr = store.start_voting_round(youth.id, [{"id": t.id, "label": t.label} for t in top], dots=3)
    for i in range(7):
        store.cast_ballot(vr.id, f"youth-voter-{i}", {top[i % len(top)].id: 2, top[0].id: 1})
    store.close_voting_round(vr.id)
    store.create_series(
        DEMO_SERIES, [main.id, youth.id], title="Eastside 2026: visioning and youth voice"
    )
