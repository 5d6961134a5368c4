"""Every screen names a theme in the viewer's language: ``theme_label(theme, lang)``.

A real SQLite store holds a session, its ideas and a theme snapshot fitted the live way, in which
one theme carries ``labels={"en": "Buses at night", "es": "Autobuses de noche"}`` and another
has no ``labels`` at all (a snapshot from before they existed). The dashboard panels, the phone
page and the summary sections are then read in Spanish and in English.
"""

from __future__ import annotations

import ast
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pbp_facilitate.settings import Settings, load_settings
from pbp_facilitate.store import SessionRecord, Store
from pbp_facilitate.surveys import Survey
from pbp_facilitate.themes.session import compute_themes

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "pbp_facilitate"
EN, ES = "Buses at night", "Autobuses de noche"
LABELS = {"en": EN, "es": ES}

IDEAS = [
    ("More buses on the east route and a bus shelter at every stop", "en"),
    ("Bus service late at night so shift workers get home", "en"),
    ("Night buses every twenty minutes on the east route", "en"),
    ("Más autobuses en la ruta del este por la noche", "es"),
    ("Autobuses nocturnos para quienes trabajan de noche", "es"),
    ("Affordable housing near the bus lines", "en"),
    ("Rent is too high, families are leaving the neighbourhood", "en"),
    ("Vivienda asequible para las familias del barrio", "es"),
    ("Rent control and more affordable housing", "en"),
    ("A park with shade trees and a playground", "en"),
    ("Clean up the park and fix the playground", "en"),
    ("Más árboles y sombra en el parque", "es"),
    ("Free after-school programs for kids", "en"),
    ("Programas gratis después de la escuela", "es"),
]


def seed(store: Store, session: SessionRecord) -> tuple[int, int, dict[str, Any]]:
    """Add the ideas, fit and store a snapshot; return (labelled theme id, plain theme id, snap).

    The engine that fills ``labels`` is being rewritten; the snapshot is the live fit's with the
    labels put in by hand, as the facilitator's label for both languages would be (plus the
    rename edit that keeps that label on every refit).
    """
    pid = store.list_prompts(session.id)[0].id
    for i, (text, lang) in enumerate(IDEAS):
        store.add_submission(session.id, pid, text, language=lang, participant_key=f"p{i % 5}")
    data = compute_themes(store, session.id, clouds=False, save=False).data
    assert len(data["themes"]) >= 2, data["themes"]
    target, plain = data["themes"][0], data["themes"][1]
    target["label"], target["labels"], target["label_source"] = EN, dict(LABELS), "facilitator"
    plain.pop("labels", None)
    store.save_theme_snapshot(session.id, data)
    store.add_theme_edit(session.id, {"op": "rename", "theme_id": target["id"], "label": EN})
    return int(target["id"]), int(plain["id"]), data


def plain_label(snap: dict[str, Any], tid: int) -> str:
    return next(str(t["label"]) for t in snap["themes"] if int(t["id"]) == tid)


@pytest.fixture
def settings() -> Settings:
    return Settings(
        surveys_dir=ROOT / "surveys", port=8899, theme_refit_interval_s=0.0, poll_interval_s=0.05
    )


@pytest.fixture
def seeded(store: Store, session: SessionRecord) -> tuple[int, int, dict[str, Any]]:
    return seed(store, session)


# -- the rule everything uses ---------------------------------------------------------------------


def test_theme_label_and_ballot_lines_follow_the_theme() -> None:
    from pbp_facilitate.store import VotingRound
    from pbp_facilitate.themes.current import ThemeState, ballot_options
    from pbp_facilitate.themes.display import theme_label

    th = {"id": 4, "label": EN, "labels": LABELS, "quotes": ["q"], "size": 1}
    assert theme_label(th, "es") == ES and theme_label(th, "es-MX") == ES
    assert theme_label(th, "en") == EN and theme_label({"id": 5, "label": "Parks"}, "es") == "Parks"
    options = [{"id": 4, "label": EN}, {"id": 5, "label": "Own"}]
    vr = VotingRound(1, 1, "open", 3, options, "", None, from_themes=True)
    renamed = {**th, "label": "Late buses", "labels": {"en": "Late buses", "es": "Buses tarde"}}
    state = ThemeState(session_id=1, version=2, themes=[renamed])
    # a round from the themes names option 4 by the theme now; 5 is gone: its own label
    lines = ballot_options(vr, state, "es")
    assert [(x.id, x.label, x.theme_id) for x in lines] == [
        (4, "Buses tarde", 4),
        (5, "Own", None),
    ]
    # a round with labels of its own keeps them whatever the themes are called
    own = VotingRound(1, 1, "open", 3, options, "", None)
    assert [x.label for x in ballot_options(own, state, "es")] == [EN, "Own"]


def test_intake_imports_only_the_light_label_rule_of_themes() -> None:
    """At import the intake has the light theme modules only; the model loads on the first
    facilitator edit through the API (a function-level import of themes.session).
    """
    for path in (PACKAGE / "intake").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set(map(id, tree.body))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and "themes" in node.module:
                allowed = ("themes.display", "themes.current")
                if id(node) not in top:
                    allowed += ("themes.session",)
                assert node.level == 2 and node.module in allowed, (path, node.module)


# -- dashboard ------------------------------------------------------------------------------------


def test_theme_board_room_screen_and_voting_in_spanish(
    store: Store, session: SessionRecord, settings: Settings, seeded: tuple[int, int, dict]
) -> None:
    from pbp_facilitate.widgets import PresentationView, ThemeBoard, VotingPanel

    target, plain, snap = seeded
    board = ThemeBoard(store, settings, clouds=False, lang="es")
    board.set_session(session)
    header = board.cards[target].header.value
    assert ES in header and EN not in header
    assert plain_label(snap, plain) in board.cards[plain].header.value  # no labels: the label
    merge_names = [name for name, _ in board.cards[plain].merge_from.options]
    assert ES in merge_names
    voting = VotingPanel(store, settings, lang="es")
    room = PresentationView(settings, board.themes, voting, lang="es")
    voting.set_session(session)
    room.set_session(session)
    assert ES in room.body.value and EN not in room.body.value
    assert voting.start() is not None
    # the round stores the default label; the bars and the room screen show the Spanish one
    stored = {o["id"]: o["label"] for o in store.current_voting_round(session.id).options}
    assert stored[target] == EN
    assert ES in voting.results.value and EN not in voting.results.value
    room.refresh()
    assert ES in room.body.value and EN not in room.body.value
    assert plain_label(snap, plain) in voting.results.value
    # the English setting, and the default (the session's first language, English here)
    for lang in ("en", None):
        en_board = ThemeBoard(store, settings, clouds=False, lang=lang)
        en_board.set_session(session)
        assert EN in en_board.cards[target].header.value
        assert ES not in en_board.cards[target].header.value


def test_dashboard_defaults_to_the_sessions_first_language(
    store: Store, visioning_survey: Survey, settings: Settings
) -> None:
    from pbp_facilitate.widgets import FacilitatorDashboard

    es_first = store.create_session(visioning_survey, "Noche", languages=["es", "en"])
    target, _plain, snap = seed(store, es_first)
    dash = FacilitatorDashboard(store, settings, code=es_first.code, clouds=False)
    assert dash.session is not None and dash.session.id == es_first.id
    assert ES in dash.board.cards[target].header.value
    assert ES in dash.presentation.body.value
    member = next(t["members"][0] for t in snap["themes"] if int(t["id"]) == target)
    assert dash._theme_label(member) == ES  # the live feed's theme chip
    dash.feed.refresh()
    assert ES in dash.feed.rows[member].body.value
    # an explicit setting wins over the session's languages
    en = FacilitatorDashboard(store, settings, code=es_first.code, clouds=False, lang="en")
    assert EN in en.board.cards[target].header.value


def test_equity_panel_names_themes_and_options_in_its_language(
    store: Store, session: SessionRecord, seeded: tuple[int, int, dict]
) -> None:
    from pbp_facilitate.widgets.equity import read_inputs

    target, plain, snap = seeded
    store.start_voting_round(
        session.id,
        [{"id": target, "label": EN}, {"id": plain, "label": plain_label(snap, plain)}],
        from_themes=True,
    )
    inputs = read_inputs(store, session.id)
    themes_es, votes_es = inputs.labels_in("es")
    assert themes_es[target] == ES and votes_es[target] == ES
    assert themes_es[plain] == votes_es[plain] == plain_label(snap, plain)
    themes_en, votes_en = inputs.labels_in("en")
    assert themes_en[target] == votes_en[target] == EN


# -- phone page -----------------------------------------------------------------------------------


@pytest.fixture
def server(store: Store) -> Iterator[str]:
    from pbp_facilitate.intake.standalone import IntakeServer

    srv = IntakeServer(load_settings({"page_cache_s": 0}, environ={}), store, token="t-1").start()
    try:
        yield srv.url
    finally:
        srv.stop()


def _ballot(page: str) -> dict[int, str]:
    """``{option id: label text}`` of the vote form."""
    return {
        int(i): html.unescape(label)
        for i, label in re.findall(r'<label for="dots-(\d+)">([^<]*)</label>', page, re.S)
    }


def test_phone_ballot_in_the_participants_language(
    store: Store, session: SessionRecord, seeded: tuple[int, int, dict], server: str
) -> None:
    target, plain, snap = seeded
    plain_text = plain_label(snap, plain)
    store.start_voting_round(
        session.id,
        [
            {"id": target, "label": EN},
            {"id": plain, "label": plain_text},
            {"id": 999, "label": "Something else"},  # no such theme: its own label
        ],
        from_themes=True,
    )
    with httpx.Client(base_url=server, timeout=30) as http:
        es = _ballot(http.get(f"/s/{session.code}", params={"lang": "es"}).text)
        en = _ballot(http.get(f"/s/{session.code}", params={"lang": "en"}).text)
    headers = {"Accept-Language": "es-MX,es;q=0.9"}
    with httpx.Client(base_url=server, timeout=30, headers=headers) as http:
        by_browser = _ballot(http.get(f"/s/{session.code}").text)
    assert ES in es[target] and EN not in es[target]
    assert EN in en[target] and ES not in en[target]
    assert ES in by_browser[target]
    for labels in (es, en):
        assert plain_text in labels[plain]
        assert "Something else" in labels[999]


def test_phone_ballot_keeps_the_stored_label_of_a_relabelled_theme(
    store: Store, session: SessionRecord, seeded: tuple[int, int, dict], server: str
) -> None:
    target, _plain, _snap = seeded
    # the round was opened on an older label of the theme: the ballot keeps what was voted on
    store.start_voting_round(session.id, [{"id": target, "label": "Bus shelters"}])
    with httpx.Client(base_url=server, timeout=30) as http:
        es = _ballot(http.get(f"/s/{session.code}", params={"lang": "es"}).text)
    assert "Bus shelters" in es[target] and ES not in es[target]


# -- summaries ------------------------------------------------------------------------------------


@pytest.fixture
def labelled_refits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand in for the engine that fills ``Theme.labels``: a refit keeps the stored ones."""
    from pbp_facilitate.themes import session as ts

    real = ts.fit_session_themes

    def fit(*args: Any, previous: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        model = real(*args, previous=previous, **kwargs)
        stored = {int(t["id"]): t.get("labels") for t in (previous or {}).get("themes", [])}
        for th in model.themes_:
            th.labels = dict(stored.get(th.id) or {})
        return model

    monkeypatch.setattr(ts, "fit_session_themes", fit)


def test_summary_sections_in_spanish_and_english(
    store_url: str,
    store: Store,
    session: SessionRecord,
    seeded: tuple[int, int, dict],
    labelled_refits: None,
) -> None:
    from pbp_facilitate.summaries import sections as sr

    target, plain, snap = seeded
    store.start_voting_round(
        session.id,
        [{"id": target, "label": EN}, {"id": plain, "label": plain_label(snap, plain)}],
        from_themes=True,
    )
    rid = store.current_voting_round(session.id).id
    store.cast_ballot(rid, "p0", {target: 3})
    shown: dict[str, dict[str, Any]] = {}
    for lang in ("es", "en"):
        data = sr.load_summary(session.id, store_url, lang=lang)
        themes = sr.themes_section(data)
        votes = sr.voting_section(data)
        steps = sr.next_steps_section(data, sections=[themes, votes])
        labels = {t["id"]: t["label"] for t in themes.data["themes"]}
        model_plain = next(t.label for t in data.themes().themes_ if t.id == plain)
        assert labels[plain] == model_plain  # no labels: the default label, in either language
        shown[lang] = {
            "theme": labels[target],
            "html": themes.html,
            "votes": {o["label"]: o["dots"] for o in votes.data["options"]},
            "votes_html": votes.html,
            "steps": " ".join(steps.data["steps"]),
        }
    es, en = shown["es"], shown["en"]
    assert es["theme"] == ES and en["theme"] == EN
    assert f"<h3>{ES}</h3>" in es["html"] and f"<h3>{EN}</h3>" not in es["html"]
    assert f"<h3>{EN}</h3>" in en["html"] and ES not in en["html"]
    assert es["votes"][ES] == en["votes"][EN] == 3
    assert ES in es["votes_html"] and EN not in es["votes_html"]
    assert ES in es["steps"] and EN in en["steps"]
