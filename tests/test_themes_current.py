"""One versioned set of themes: edits through one path, undo, ballots that reference themes."""

from __future__ import annotations

import pytest

from pbp_facilitate.demo import demo_ideas
from pbp_facilitate.errors import ConflictError, NotFoundError, ValidationError
from pbp_facilitate.store import Store
from pbp_facilitate.themes.current import (
    ballot_options,
    current_themes,
    merged_into,
    round_totals,
    start_theme_vote,
)
from pbp_facilitate.themes.session import compute_themes, edit_themes


@pytest.fixture
def fitted(store: Store, session):
    """The demo's ideas in a stored session, fitted once (version 1)."""
    for _prompt, lang, text in demo_ideas():
        store.add_submission(session.id, None, text, language=lang, participant_key=None)
    fit = compute_themes(store, session.id, clouds=False)
    assert fit.version > 0
    return session


def _biggest(state) -> dict:
    return max(state.themes, key=lambda t: t["size"])


def test_every_change_is_a_new_version_and_a_stale_save_is_refused(store, fitted):
    v1 = store.theme_version(fitted.id)
    state = current_themes(store, fitted.id)
    assert state.version == v1 and state.themes
    assert all(t["size"] == len(t["members"]) for t in state.themes)
    v2 = store.save_theme_snapshot(fitted.id, state.data, expect_version=v1)
    assert v2 > v1 == current_themes(store, fitted.id).version - (v2 - v1)
    with pytest.raises(ConflictError, match="changed while"):
        store.save_theme_snapshot(fitted.id, state.data, expect_version=v1)
    assert store.theme_version(fitted.id) == v2


def test_a_refit_that_lost_the_race_is_done_again_on_the_newer_version(store, fitted, monkeypatch):
    real = store.save_theme_snapshot
    calls = []

    def racing(session_id, data, *, expect_version=None):
        calls.append(expect_version)
        if len(calls) == 1:  # another screen stores a version first
            real(session_id, data)
        return real(session_id, data, expect_version=expect_version)

    monkeypatch.setattr(store, "save_theme_snapshot", racing)
    fit = compute_themes(store, fitted.id, clouds=False)
    assert len(calls) == 2 and calls[1] > calls[0]
    assert fit.version == store.theme_version(fitted.id)


def test_rename_then_undo_and_the_trail_keeps_both(store, fitted):
    th = _biggest(current_themes(store, fitted.id))
    fit = edit_themes(store, fitted.id, {"op": "rename", "theme_id": th["id"], "label": "  Homes "})
    now = current_themes(store, fitted.id)
    assert fit.version == now.version
    renamed = now.by_id()[th["id"]]
    assert renamed["label"] == "Homes" and renamed["label_source"] == "facilitator"
    assert set(renamed["labels"].values()) == {"Homes"}  # in every language
    assert fit.seconds < 0.5  # a rename moves no idea: no refit
    sizes = {t["id"]: t["size"] for t in now.themes}
    compute_themes(store, fitted.id, clouds=False)  # the next refit replays it
    again = current_themes(store, fitted.id)
    assert again.by_id()[th["id"]]["label"] == "Homes"
    assert {t["id"]: t["size"] for t in again.themes} == sizes
    edit_themes(store, fitted.id, {"op": "undo"}, actor="facilitator:ana")
    back = current_themes(store, fitted.id).by_id()[th["id"]]
    assert back["label"] == th["label"] and back["label_source"] == "auto"
    trail = store.list_theme_edits(fitted.id, include_undone=True)
    assert len(trail) == 1 and trail[0]["_undone_at"]
    assert store.list_theme_edits(fitted.id) == []
    actions = [a["action"] for a in store.audit_log(fitted.id)]
    assert "theme_edit" in actions and "theme_edit_undo" in actions
    with pytest.raises(NotFoundError, match="no theme edit left to undo"):
        edit_themes(store, fitted.id, {"op": "undo"})


def test_split_and_merge_come_apart_again_on_undo(store, fitted):
    before = current_themes(store, fitted.id)
    big = _biggest(before)
    edit_themes(store, fitted.id, {"op": "split", "theme_id": big["id"], "n": 3})
    split = current_themes(store, fitted.id)
    assert len(split.themes) == len(before.themes) + 2
    assert sum(t["size"] for t in split.themes) == sum(t["size"] for t in before.themes)
    edit_themes(store, fitted.id, {"op": "undo"})
    undone = current_themes(store, fitted.id)
    assert {t["id"]: t["size"] for t in undone.themes} == {
        t["id"]: t["size"] for t in before.themes
    }
    a, b = sorted(before.themes, key=lambda t: -t["size"])[:2]
    edit_themes(store, fitted.id, {"op": "merge", "theme_ids": [a["id"], b["id"]]})
    merged = current_themes(store, fitted.id).by_id()
    assert b["id"] not in merged and merged[a["id"]]["size"] == a["size"] + b["size"]
    edit_themes(store, fitted.id, {"op": "undo"})
    again = current_themes(store, fitted.id).by_id()
    assert again[b["id"]]["size"] == b["size"] and again[a["id"]]["size"] == a["size"]


def test_pin_and_unpin(store, fitted):
    th = _biggest(current_themes(store, fitted.id))
    edit_themes(store, fitted.id, {"op": "pin", "theme_id": th["id"]})
    assert current_themes(store, fitted.id).by_id()[th["id"]]["pinned"]
    with pytest.raises(ValidationError, match="pinned already"):
        edit_themes(store, fitted.id, {"op": "pin", "theme_id": th["id"]})
    edit_themes(store, fitted.id, {"op": "unpin", "theme_id": th["id"]})
    assert not current_themes(store, fitted.id).by_id()[th["id"]]["pinned"]
    with pytest.raises(ValidationError, match="not pinned"):
        edit_themes(store, fitted.id, {"op": "unpin", "theme_id": th["id"]})


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        ({"op": "recolour", "theme_id": 1}, "one of"),
        ({"op": "rename", "theme_id": 1}, "lacks \\['label'\\]"),
        ({"op": "rename", "theme_id": "one", "label": "x"}, "should be a theme id"),
        ({"op": "rename", "theme_id": 1, "label": "   "}, "label of 1 to 120"),
        ({"op": "rename", "theme_id": 9999, "label": "x"}, "no theme 9999 now"),
        ({"op": "merge", "theme_ids": [1]}, "at least 2 different"),
        ({"op": "split", "theme_id": 1, "n": 40}, "from 2 to 6"),
        ({"op": "move", "item_id": "nope", "theme_id": -1}, "no visible idea"),
    ],
)
def test_bad_edits_say_what_was_expected_and_store_nothing(store, fitted, edit, says):
    v = store.theme_version(fitted.id)
    with pytest.raises(ValidationError, match=says):
        edit_themes(store, fitted.id, edit)
    assert store.list_theme_edits(fitted.id) == [] and store.theme_version(fitted.id) == v


def test_a_round_from_the_themes_follows_renames_in_each_language(store, fitted):
    vr = start_theme_vote(store, fitted.id, dots=3)
    assert vr.from_themes
    state = current_themes(store, fitted.id)
    assert {o["id"] for o in vr.options} == {t["id"] for t in state.themes if t["size"]}
    th = _biggest(state)
    edit_themes(store, fitted.id, {"op": "rename", "theme_id": th["id"], "label": "Housing"})
    state = current_themes(store, fitted.id)
    for lang in ("en", "es"):
        line = next(o for o in ballot_options(vr, state, lang) if o.id == th["id"])
        assert line.label == "Housing" and line.quote
    es = {t["id"]: t for t in state.themes}
    other = next(t for t in state.themes if t["id"] != th["id"] and t["labels"].get("es"))
    line = next(o for o in ballot_options(vr, state, "es") if o.id == other["id"])
    assert line.label == es[other["id"]]["labels"]["es"]
    store.cast_ballot(vr.id, "p1", {th["id"]: 2})
    totals = round_totals(store, vr, state, "en")
    top = totals["themes"][0]
    assert top["label"] == "Housing" and top["dots"] == 2 and top["voters"] == 1


def test_a_merge_during_a_round_keeps_every_dot(store, fitted):
    vr = start_theme_vote(store, fitted.id, dots=3)
    a, b = [o["id"] for o in vr.options[:2]]
    store.cast_ballot(vr.id, "p1", {a: 1, b: 2})
    store.cast_ballot(vr.id, "p2", {b: 3})
    edit_themes(store, fitted.id, {"op": "merge", "theme_ids": [a, b]})
    state = current_themes(store, fitted.id)
    edits = store.list_theme_edits(fitted.id)
    assert merged_into(edits, state.by_id()) == {b: a}
    lines = ballot_options(vr, state, "en", edits)
    merged = next(line for line in lines if line.id == a)
    assert merged.option_ids == (a, b) and all(b not in (x.id,) for x in lines)
    totals = round_totals(store, vr, state, "en")
    assert totals["dots_cast"] == 6 == sum(o["dots"] for o in totals["options"])
    line = next(x for x in totals["themes"] if x["id"] == a)
    assert line["dots"] == 6 and line["voters"] == 2
    assert next(o for o in totals["options"] if o["id"] == b)["merged_into"] == a


def test_a_round_needs_themes(store, session):
    with pytest.raises(ValidationError, match="no themes to vote on yet"):
        start_theme_vote(store, session.id)


def test_a_split_during_a_round_keeps_the_dots_on_the_largest_part(store, fitted, settings_like):
    from pbp_facilitate.widgets import VotingPanel

    vr = start_theme_vote(store, fitted.id, dots=3)
    big = _biggest(current_themes(store, fitted.id))
    store.cast_ballot(vr.id, "p1", {big["id"]: 3})
    edit_themes(store, fitted.id, {"op": "split", "theme_id": big["id"], "n": 3})
    state = current_themes(store, fitted.id)
    totals = round_totals(store, vr, state, "en")
    line = next(x for x in totals["themes"] if x["id"] == big["id"])
    assert line["dots"] == 3 == totals["dots_cast"] and line["theme_id"] == big["id"]
    panel = VotingPanel(store, settings_like)
    panel.set_session(fitted)
    assert panel.not_on_ballot() == 2 and "2 themes are not on this ballot" in panel.state.value
    panel.close()  # ipywidgets' close (a closed tab, garbage collection) never ends the round
    assert store.get_voting_round(vr.id).status == "open"


@pytest.fixture
def settings_like():
    from pbp_facilitate.settings import Settings

    return Settings()
