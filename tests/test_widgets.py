"""Facilitator widgets without a browser: set values, click buttons, check the store."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from pbp_facilitate.settings import Settings
from pbp_facilitate.store import SessionRecord, Store
from pbp_facilitate.surveys import load_survey
from pbp_facilitate.widgets import (
    FacilitatorDashboard,
    GoalEditor,
    LiveFeed,
    LivePoller,
    PromptControl,
    SessionPicker,
    ThemeBoard,
    VotingPanel,
    check_text,
    esc,
    text_html,
)
from pbp_facilitate.widgets.presentation import PresentationView
from pbp_facilitate.widgets.session_picker import default_session

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "surveys" / "visioning.yaml"

IDEAS = [
    "More buses on the east route and a bus shelter at every stop",
    "Bus service late at night so shift workers get home",
    "Más autobuses en la ruta del este",
    "Affordable housing near the bus lines",
    "Rent is too high, families are leaving the neighbourhood",
    "Vivienda asequible para las familias del barrio",
    "Rent control and more affordable housing",
    "A park with shade trees and a playground",
    "Clean up the park and fix the playground",
    "Más árboles y sombra en el parque",
    "Free after-school programs for kids",
    "Programas gratis después de la escuela",
]


@pytest.fixture
def wstore(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        surveys_dir=ROOT / "surveys", port=8899, theme_refit_interval_s=0.0, poll_interval_s=0.05
    )


@pytest.fixture
def ses(wstore: Store) -> SessionRecord:
    s = wstore.create_session(load_survey(SURVEY), "Widget test", code="WTEST1")
    pid = wstore.list_prompts(s.id)[0].id
    for i, text in enumerate(IDEAS):
        wstore.add_submission(
            s.id,
            pid,
            text,
            language="es" if "á" in text or " la " in text else "en",
            participant_key=f"p{i % 5}",
        )
    return s


def _add(store: Store, ses: SessionRecord, text: str, key: str = "px") -> str:
    pid = store.list_prompts(ses.id)[0].id
    return store.add_submission(ses.id, pid, text, participant_key=key)[0].id


# -- escaping and moderation ---------------------------------------------------------------------


def test_esc_neutralises_markup_and_maths() -> None:
    assert esc('<script>alert("x")</script>') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert esc("$5 & $10") == "&#36;5 &amp; &#36;10"
    assert esc(None) == ""
    html = text_html("<img src=x onerror=alert(1)>")
    assert "<img" not in html and "&lt;img" in html and "tex2jax_ignore" in html


@pytest.mark.parametrize(
    "text, kind",
    [
        ("this plan is sh1t", "profanity"),
        ("FUUUCK the council", "profanity"),
        ("pinche gobierno no hace nada", "profanity"),
        ("qué pendejada", "profanity"),
        ("BUY CHEAP FOLLOWERS www.spam.example", "spam"),
        ("compra seguidores baratos, oferta gratis", "spam"),
        ("aaaaaaaaaaaaaaaaaa", "spam"),
        ("More buses on the east route", "ok"),
        ("Scunthorpe and Essex residents deserve a classic assessment", "ok"),
        ("Más parques para niños y computadoras en la biblioteca", "ok"),
        ("Plans for 2026 2027 2028, then 2029-2030", "ok"),
        ("Call 555-123-4567 for cheap loans", "spam"),
    ],
)
def test_moderation_flags_en_es(text: str, kind: str) -> None:
    assert check_text(text).kind == kind


def test_duplicates_are_flagged() -> None:
    assert check_text("More buses", duplicates=1).kind == "ok"
    flag = check_text("More buses", duplicates=2)
    assert flag.kind == "duplicate" and "3 times" in flag.summary()


# -- live feed -----------------------------------------------------------------------------------


def test_feed_newest_first_hide_restore_with_audit(wstore: Store, ses: SessionRecord) -> None:
    feed = LiveFeed(wstore)
    feed.actor.value = "Dana (backbone)"
    feed.set_session(ses)
    sid = _add(wstore, ses, '<script>alert("pwned")</script> more parks')
    feed.refresh()
    first = feed.list.children[0]
    assert first.item.id == sid
    assert "<script>" not in first.body.value and "&lt;script&gt;" in first.body.value
    assert "13</b> ideas shown" in feed.counts.value
    first.button.click()
    assert wstore.get_submission(sid).hidden
    assert "12</b> ideas shown" in feed.counts.value and "1</b> hidden" in feed.counts.value
    assert sid not in {r.item.id for r in feed.list.children}, "hidden ideas leave the feed"
    entry = [a for a in wstore.audit_log(ses.id) if a["action"] == "hide"][-1]
    assert entry["actor"] == "Dana (backbone)" and entry["target"] == sid and entry["at"]
    feed.view.value = "hidden"
    assert [r.item.id for r in feed.list.children] == [sid]
    assert feed.list.children[0].button.description == "Restore"
    assert "hidden by Dana (backbone) at " in feed.list.children[0].body.value
    feed.list.children[0].button.click()
    assert not wstore.get_submission(sid).hidden
    assert [a["action"] for a in wstore.audit_log(ses.id)][-1] == "restore"


def test_feed_flags_and_hide_all_flagged(wstore: Store, ses: SessionRecord) -> None:
    feed = LiveFeed(wstore)
    feed.set_session(ses)
    bad = _add(wstore, ses, "esto es una mierda")
    spam = _add(wstore, ses, "BUY CHEAP FOLLOWERS at www.spam.example")
    feed.refresh()
    feed.view.value = "flagged"
    assert {r.item.id for r in feed.list.children} == {bad, spam}
    assert "profanity" in feed.rows[bad].body.value and "pbp-flag" in feed.rows[bad].body.value
    assert feed.hide_all_flagged() == 2
    assert wstore.get_submission(bad).hidden and wstore.get_submission(spam).hidden
    reasons = [
        a["detail"].get("reason", "") for a in wstore.audit_log(ses.id) if a["action"] == "hide"
    ]
    assert any("profanity" in r for r in reasons) and any("spam" in r for r in reasons)
    assert wstore.count_submissions(ses.id) == len(IDEAS)


# -- prompts ---------------------------------------------------------------------------------------


def test_prompt_control_next_and_close(wstore: Store, ses: SessionRecord) -> None:
    pc = PromptControl(wstore)
    pc.set_session(ses)
    prompts = wstore.list_prompts(ses.id)
    assert pc.choice.value == prompts[0].id
    pc.next_button.click()
    assert [p.is_open for p in wstore.list_prompts(ses.id)] == [False, True, False, False]
    assert "What gets in the way" in pc.current.value
    pc.close_button.click()
    assert not any(p.is_open for p in wstore.list_prompts(ses.id))
    pc.choice.value = prompts[3].id
    pc.open_button.click()
    assert [p.is_open for p in wstore.list_prompts(ses.id)] == [False, False, False, True]
    assert pc.next() is None and "last prompt" in pc.status.value
    pc.session_button.click()
    assert wstore.get_session(ses.id).status == "closed"


# -- themes ----------------------------------------------------------------------------------------


def test_theme_board_live_counts_stable_ids_and_edits(
    wstore: Store, ses: SessionRecord, settings: Settings
) -> None:
    board = ThemeBoard(wstore, settings, clouds=False)
    board.set_session(ses)
    fit = board.refit_now()
    assert fit is not None and wstore.latest_theme_snapshot(ses.id) is not None
    themes = board.themes()
    assert len(themes) >= 2 and sum(t["count"] for t in themes) <= len(IDEAS)
    ids_before = {t["id"] for t in themes}
    # hide an idea: its theme count drops at once, before any refit
    victim = next(m for t in fit.data["themes"] for m in t["members"])
    tid = board.theme_of(victim)
    before = next(t["count"] for t in board.themes() if t["id"] == tid)
    wstore.set_hidden(victim, True)
    board.refresh()
    assert next(t["count"] for t in board.themes() if t["id"] == tid) == before - 1
    # more input and a refit keep the ids
    for text in ["Buses every ten minutes", "Más viviendas asequibles", "Shade trees in the park"]:
        _add(wstore, ses, text)
    board.refresh()
    board.refit_now()
    assert ids_before <= {t["id"] for t in board.themes()}
    assert victim not in board.fit.item_ids
    # rename through the card's controls; the label survives refits
    card = board.cards[tid]
    card.rename_text.value = "Getting around <b>town</b>"
    card.rename_button.click()
    assert wstore.list_theme_edits(ses.id)[-1] == {
        "op": "rename",
        "theme_id": tid,
        "label": "Getting around <b>town</b>",
    }
    board.refit_now()
    label = next(t["label"] for t in board.themes() if t["id"] == tid)
    assert label == "Getting around <b>town</b>"
    assert "<b>town</b>" not in card.header.value and "&lt;b&gt;town&lt;/b&gt;" in card.header.value
    # pin
    card.pin_button.click()
    assert next(t["pinned"] for t in board.themes() if t["id"] == tid)
    assert card.pin_button.description == "Unpin"
    # move an idea from another theme into this one
    other = next(t for t in board.themes() if t["id"] != tid and t["count"] > 1)
    ocard = board.cards[other["id"]]
    item = ocard.move_item.options[0][1]
    ocard.move_item.value = item
    ocard.move_to.value = tid
    ocard.move_button.click()
    assert board.theme_of(item) == tid
    # an idea the engine could not place can be moved into a theme from the "Other / unclear" card
    junk = _add(wstore, ses, "ok")
    board.refresh()
    board.refit_now()
    assert board.theme_of(junk) == -1 and -1 in board.cards
    ocard = board.cards[-1]
    assert "Other / unclear" in ocard.header.value and ocard.pin_button.layout.display == "none"
    ocard.move_item.value = junk
    ocard.move_to.value = tid
    ocard.move_button.click()
    assert board.theme_of(junk) == tid
    # merge the other theme into this one
    card.merge_from.value = other["id"]
    card.merge_button.click()
    assert other["id"] not in {t["id"] for t in board.themes() if t["count"] > 0}
    assert [e["op"] for e in wstore.list_theme_edits(ses.id)] == [
        "rename",
        "pin",
        "move",
        "move",
        "merge",
    ]
    # every edit still holds after another refit from a fresh board (a new kernel)
    board2 = ThemeBoard(wstore, settings, clouds=False)
    board2.set_session(ses)
    board2.refit_now()
    assert (
        next(t["label"] for t in board2.themes() if t["id"] == tid) == "Getting around <b>town</b>"
    )
    assert board2.theme_of(item) == tid
    # undo, one by one: the merge comes apart, then the pin can be removed from the card
    assert not board.undo_button.disabled
    board.undo_button.click()
    assert other["id"] in {t["id"] for t in board.themes() if t["count"] > 0}
    assert [e["op"] for e in wstore.list_theme_edits(ses.id)] == ["rename", "pin", "move", "move"]
    card.pin_button.click()
    assert not next(t["pinned"] for t in board.themes() if t["id"] == tid)
    assert card.pin_button.description == "Pin"
    # the other board follows the new version without a refit of its own
    refits = board2.refits
    board2.refresh()
    assert board2.version == board.version and board2.refits == refits
    assert other["id"] in {t["id"] for t in board2.themes() if t["count"] > 0}


def test_theme_board_split_and_word_clouds(
    wstore: Store, ses: SessionRecord, settings: Settings
) -> None:
    board = ThemeBoard(wstore, settings, clouds=True)
    board.set_session(ses)
    board.refit_now()
    big = max(board.themes(), key=lambda t: t["count"])
    card = board.cards[big["id"]]
    assert card.cloud.value[:8] == b"\x89PNG\r\n\x1a\n"
    n_before = len([t for t in board.themes() if t["count"] > 0])
    card.split_button.click()
    assert wstore.list_theme_edits(ses.id)[-1]["op"] == "split"
    assert len([t for t in board.themes() if t["count"] > 0]) == n_before + 1


def test_theme_refit_runs_off_the_loop_and_is_throttled(wstore: Store, ses: SessionRecord) -> None:
    settings = Settings(theme_refit_interval_s=30.0)
    board = ThemeBoard(wstore, settings, clouds=False)
    board.set_session(ses)

    async def go() -> tuple[bool, bool, bool]:
        first = await board.maybe_refit()
        _add(wstore, ses, "Bike lanes on Main Street")
        board.refresh()
        second = await board.maybe_refit()  # dirty, but inside the interval
        third = await board.maybe_refit(force=True)
        return first, second, third

    assert asyncio.run(go()) == (True, False, True)
    assert board.refits == 2


# -- voting and room screen ------------------------------------------------------------------------


def test_voting_round_live_results(wstore: Store, ses: SessionRecord, settings: Settings) -> None:
    board = ThemeBoard(wstore, settings, clouds=False)
    board.set_session(ses)
    board.refit_now()
    vp = VotingPanel(wstore, settings)
    vp.set_session(ses)
    assert "No voting round" in vp.state.value
    vp.dots.value = 4
    vp.start_button.click()
    r = wstore.current_voting_round(ses.id)
    assert r is not None and r.status == "open" and r.dots == 4
    assert {o["id"] for o in r.options} == {t["id"] for t in board.themes() if t["count"] > 0}
    a, b = r.options[0]["id"], r.options[1]["id"]
    wstore.cast_ballot(r.id, "voter-1", {a: 3, b: 1})
    wstore.cast_ballot(r.id, "voter-2", {a: 1})
    vp.refresh()
    assert vp.rows()[0][1] == 4 and vp.voters() == 2
    assert "4 dots" in vp.results.value and "<b>2</b> voters" in vp.state.value
    pv = PresentationView(settings, board.themes, vp)
    pv.set_session(ses)
    assert "WTEST1" in pv.join.value and "Vote now" in pv.body.value and "4 dots" in pv.body.value
    assert pv.qr.value[:4] == b"\x89PNG"
    vp.close_button.click()
    assert wstore.current_voting_round(ses.id).status == "closed"
    pv.refresh()
    assert "Voting results" in pv.body.value


def test_vote_labels_are_escaped(wstore: Store, ses: SessionRecord, settings: Settings) -> None:
    options = [{"id": 1, "label": "<script>x()</script>"}, {"id": 2, "label": "Parks"}]
    wstore.start_voting_round(ses.id, options)  # labels of its own, through the API
    vp = VotingPanel(wstore, settings)
    vp.set_session(ses)
    assert "<script>" not in vp.results.value and "&lt;script&gt;" in vp.results.value


# -- sessions, poller, dashboard -------------------------------------------------------------------


def test_session_picker_creates_and_selects(wstore: Store, settings: Settings) -> None:
    seen: list[str | None] = []
    picker = SessionPicker(wstore, settings, on_change=lambda s: seen.append(s.code if s else None))
    assert picker.session is None and "No session" in picker.join.info.value
    assert picker.survey.options, "the shipped surveys are listed"
    picker.survey.value = str(SURVEY)
    picker.title.value = "Northgate <i>listening</i> session"
    picker.create_button.click()
    s = picker.session
    assert s is not None and s.title == "Northgate <i>listening</i> session"
    assert seen[-1] == s.code
    assert picker.join.url == f"http://127.0.0.1:8899/s/{s.code}"
    assert "&lt;i&gt;" in picker.join.info.value and picker.join.qr.value[:4] == b"\x89PNG"
    assert default_session(wstore).id == s.id


def test_poller_sees_changes_and_survives_errors(wstore: Store, ses: SessionRecord) -> None:
    calls: list[bool] = []

    def cb(changed: bool) -> None:
        calls.append(changed)
        if len(calls) == 2:
            raise RuntimeError("boom")

    poller = LivePoller(wstore, cb, interval=0.01)

    async def go() -> None:
        await poller.tick()
        await poller.tick()
        assert isinstance(poller.last_error, RuntimeError)
        await poller.tick()  # retried as changed after the failure, and the error clears
        assert poller.last_error is None
        await poller.tick()
        _add(wstore, ses, "New idea while polling")
        await poller.tick()
        poller.start()
        await asyncio.sleep(0.05)
        assert poller.running
        poller.stop()

    asyncio.run(go())
    assert calls[:5] == [True, False, True, False, True]
    assert poller.ticks >= 6
    with pytest.raises(RuntimeError, match="running event loop"):
        poller.start()
    with pytest.raises(ValueError, match="positive"):
        LivePoller(wstore, cb, interval=0)


def test_dashboard_tick_shows_new_idea_and_refits(
    wstore: Store, ses: SessionRecord, settings: Settings
) -> None:
    dash = FacilitatorDashboard(wstore, settings, code="WTEST1", clouds=False)
    assert dash.session.code == "WTEST1"
    sid = _add(wstore, ses, "Night buses <b>now</b>")

    async def go() -> None:
        await dash.poller.tick()
        assert dash.feed.list.children[0].item.id == sid, "the feed does not wait for the refit"
        assert dash.refit_task is not None
        await dash.refit_task

    asyncio.run(go())
    assert dash.feed.list.children[0].item.id == sid
    assert dash.board.refits == 1 and sid in dash.board.fit.item_ids
    row = dash.feed.rows[sid]
    assert "pbp-row-theme" in row.body.value, "each idea shows its theme after a refit"
    assert "<b>now</b>" not in row.body.value
    assert "live" in dash.live.value
    dash.presentation.projector.value = True
    assert "pbp-projector" in dash._dom_classes and dash.tabs.selected_index == 4


# -- goals -----------------------------------------------------------------------------------------


def test_goal_editor_live_feedback_and_save(
    wstore: Store, ses: SessionRecord, settings: Settings
) -> None:
    assert wstore.latest_theme_snapshot(ses.id) is None
    ed = GoalEditor(wstore, settings, code="WTEST1")
    assert ed.session.id == ses.id and ed.themes.options, (
        "themes are fitted when no dashboard did it yet"
    )
    assert wstore.latest_theme_snapshot(ses.id) is not None
    ed.text.value = "Improve transportation for everyone."
    assert "pbp-crit-time_bound" in ed.feedback.value and "✗ Time-bound" in ed.feedback.value
    assert not ed.use_rewrite.disabled and "[" in ed.rewrite
    ed.text.value = (
        "By June 2028, cut the share of Eastside families paying more than half their income in "
        "rent from 30% to 20%, reported by race and ethnicity."
    )
    assert "✓ Time-bound" in ed.feedback.value and "✓ Equity" in ed.feedback.value
    ed.status_toggle.value = "agreed"
    linked = [ed.themes.options[0][1]]
    ed.themes.value = tuple(linked)
    ed.save_button.click()
    goals = wstore.list_goals(ses.id)
    assert len(goals) == 1 and goals[0].status == "agreed" and goals[0].theme_ids == linked
    assert goals[0].check["criteria"]["time_bound"]["passed"] is True
    # edit the same goal back to draft; no second goal appears
    ed.status_toggle.value = "draft"
    ed.save()
    assert [g.status for g in wstore.list_goals(ses.id)] == ["draft"]
    ed.new()
    ed.text.value = "<script>alert(1)</script> más parques"
    assert "<script>" not in ed.feedback.value + ed.rewrite_html.value
    ed.delete_button.click()
    ed.load(goals[0].id)
    ed.delete_button.click()
    assert wstore.list_goals(ses.id) == []
