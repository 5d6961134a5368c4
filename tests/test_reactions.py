"""Reactions on the phone and the facilitator's reactions API, through real HTTP (no Voilà)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from pbp_facilitate.intake.handler import PARTICIPANT_COOKIE
from pbp_facilitate.intake.standalone import IntakeServer
from pbp_facilitate.settings import load_settings
from pbp_facilitate.store import Store
from pbp_facilitate.surveys import load_survey

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "test-token-react"
IDEAS = [
    ("A bus shelter at every stop.", "en", "author-a"),
    ("Lower rents for small shops.", "en", "author-b"),
    ("Más árboles en las calles del barrio.", "es", "author-c"),
    ("Guardería gratuita para familias.", "es", "author-d"),
    ("SPAM buy cheap watches", "en", "spammer"),
]


def react_form(page: str) -> dict[str, str]:
    form = re.search(r'<form method="post" action="/s/[A-Z0-9]+/react".*?</form>', page, re.S)
    assert form, "no reaction form on the page"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[0]))
    return {k: html.unescape(v) for k, v in fields.items()}


def shown_text(page: str) -> str:
    m = re.search(r'<blockquote class="quote" dir="auto"[^>]*>(.*?)</blockquote>', page, re.S)
    assert m
    return html.unescape(m[1])


class Phone:
    def __init__(self, base: str, lang: str | None = None) -> None:
        headers = {"Accept-Language": lang} if lang else {}
        self.http = httpx.Client(base_url=base, follow_redirects=False, headers=headers, timeout=60)

    def react_page(self, code: str, **params: Any) -> httpx.Response:
        return self.http.get(f"/s/{code}/react", params=params)

    def react(self, code: str, value: str, fields: dict[str, str] | None = None) -> httpx.Response:
        fields = fields or react_form(self.react_page(code).text)
        return self.http.post(f"/s/{code}/react", data={**fields, "value": value})


def api(base: str, method: str, path: str, **kw: Any) -> httpx.Response:
    with httpx.Client(base_url=base, headers={"Authorization": f"token {TOKEN}"}, timeout=30) as c:
        return c.request(method, path, **kw)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, Any]]:
    store = Store(f"sqlite:///{tmp_path / 'pbp.sqlite3'}")
    survey = load_survey(ROOT / "surveys" / "visioning.yaml")
    sess = store.create_session(survey, "Eastside visioning", code="REACT1")
    prompt = store.list_prompts(sess.id)[0]
    subs = [
        store.add_submission(sess.id, prompt.id, t, language=lang, participant_key=k)[0]
        for t, lang, k in IDEAS
    ]
    store.set_hidden(subs[-1].id, True)
    srv = IntakeServer(load_settings({"page_cache_s": 0}, environ={}), store, token=TOKEN).start()
    try:
        yield {"store": store, "srv": srv, "session": sess, "prompt": prompt, "subs": subs}
    finally:
        srv.stop()
        store.close()


def open_round(env: dict[str, Any], prompt_id: int | None = None) -> httpx.Response:
    pid = env["prompt"].id if prompt_id is None else prompt_id
    return api(
        env["srv"].url,
        "POST",
        f"/pbp/api/sessions/{env['session'].id}/reactions",
        json={"open": True, "prompt_id": pid},
    )


def test_api_opens_and_closes_and_needs_the_token(env: dict[str, Any]) -> None:
    base, sid = env["srv"].url, env["session"].id
    anon = httpx.post(f"{base}/pbp/api/sessions/{sid}/reactions", json={"open": True})
    assert anon.status_code in (401, 403)
    bad = api(base, "POST", f"/pbp/api/sessions/{sid}/reactions", json={"open": "yes"})
    assert bad.status_code == 400 and "Expected" in bad.text
    missing = api(
        base, "POST", f"/pbp/api/sessions/{sid}/reactions", json={"open": True, "prompt_id": 999}
    )
    assert missing.status_code == 404
    r = open_round(env)
    assert r.status_code == 201 and r.json()["status"] == "open"
    assert r.json()["prompt_id"] == env["prompt"].id
    closed = api(base, "POST", f"/pbp/api/sessions/{sid}/reactions", json={"open": False})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    state = api(base, "GET", f"/pbp/api/sessions/{sid}/reactions").json()
    assert state["round"]["status"] == "closed" and state["reactions"] == 0


def test_session_page_links_to_reactions_only_while_open(env: dict[str, Any]) -> None:
    phone = Phone(env["srv"].url)
    assert "/s/REACT1/react" not in phone.http.get("/s/REACT1").text
    open_round(env)
    page = phone.http.get("/s/REACT1").text
    assert 'href="/s/REACT1/react"' in page and "React to other people" in page


def test_a_phone_reacts_one_idea_at_a_time_and_never_sees_hidden_or_own(
    env: dict[str, Any],
) -> None:
    store, sess = env["store"], env["session"]
    open_round(env)
    phone = Phone(env["srv"].url)
    phone.http.get("/s/REACT1")
    key = phone.http.cookies[PARTICIPANT_COOKIE]
    own = store.add_submission(sess.id, env["prompt"].id, "My own idea here", participant_key=key)
    seen = []
    for value in ("agree", "disagree", "pass", "agree"):
        page = phone.react_page("REACT1").text
        assert page.count('name="value"') == 3
        seen.append(shown_text(page))
        r = phone.react("REACT1", value, react_form(page))
        assert r.status_code == 303 and r.headers["Location"].startswith("/s/REACT1/react?saved=1")
    done = phone.react_page("REACT1").text
    assert "You have reacted to every idea" in done and 'name="value"' not in done
    assert sorted(seen) == sorted(t for t, _, _ in IDEAS[:4])
    assert "SPAM" not in " ".join(seen) and own[0].text not in seen
    mine = store.participant_reactions(sess.id, key)
    assert sorted(mine.values()) == [-1, 0, 1, 1]


def test_same_form_twice_stores_one_reaction_and_a_change_replaces_it(env: dict[str, Any]) -> None:
    store, sess = env["store"], env["session"]
    open_round(env)
    phone = Phone(env["srv"].url)
    fields = react_form(phone.react_page("REACT1").text)
    assert phone.react("REACT1", "agree", fields).status_code == 303
    assert phone.react("REACT1", "agree", fields).status_code == 303  # a retried POST
    assert len(store.list_reactions(sess.id)) == 1
    assert phone.react("REACT1", "disagree", fields).status_code == 303  # changed mind
    rows = store.list_reactions(sess.id)
    assert len(rows) == 1 and rows[0][3] == -1 and rows[0][2] == fields["idea_id"]


def test_spanish_phone_sees_spanish_first_and_reads_spanish(env: dict[str, Any]) -> None:
    open_round(env)
    phone = Phone(env["srv"].url, lang="es")
    page = phone.react_page("REACT1").text
    assert "De acuerdo" in page and "En desacuerdo" in page and '<html lang="es">' in page
    assert shown_text(page) in {IDEAS[2][0], IDEAS[3][0]}


def test_closed_round_bad_value_and_forged_forms_store_nothing(env: dict[str, Any]) -> None:
    store, sess, base = env["store"], env["session"], env["srv"].url
    open_round(env)
    phone = Phone(base)
    fields = react_form(phone.react_page("REACT1").text)
    assert phone.react("REACT1", "love", fields).status_code == 400
    no_xsrf = {k: v for k, v in fields.items() if k != "_xsrf"}
    assert phone.react("REACT1", "agree", no_xsrf).status_code == 403
    hidden = {**fields, "idea_id": env["subs"][-1].id}
    r = phone.react("REACT1", "agree", hidden)
    assert r.status_code == 409 and "no longer available" in r.text
    api(base, "POST", f"/pbp/api/sessions/{sess.id}/reactions", json={"open": False})
    r = phone.react("REACT1", "agree", fields)
    assert r.status_code == 409 and "closed" in r.text
    assert store.list_reactions(sess.id, include_hidden=True) == []
    assert "Reactions are closed" in phone.react_page("REACT1").text


def test_three_hundred_phones_reacting_at_once_are_all_stored(env: dict[str, Any]) -> None:
    store, sess = env["store"], env["session"]
    open_round(env)
    phones = [Phone(env["srv"].url) for _ in range(300)]
    forms = [react_form(p.react_page("REACT1").text) for p in phones]

    def go(i: int) -> int:
        return phones[i].react("REACT1", ("agree", "disagree", "pass")[i % 3], forms[i]).status_code

    with ThreadPoolExecutor(32) as pool:
        codes = list(pool.map(go, range(300)))
    assert codes == [303] * 300
    assert len(store.list_reactions(sess.id)) == 300
    counts = store.reaction_counts(sess.id)
    assert sum(c["agree"] for c in counts.values()) == 100
    # ideas with few reactions come first: the four visible ideas share the load
    assert (
        max(sum(c.values()) for c in counts.values())
        - min(sum(c.values()) for c in counts.values())
        <= 300 // 4
    )
    db = env["srv"].ctx.db
    assert db.reactions == 300 and db.reaction_groups < 300  # group commits


# -- the dashboard's Reactions tab --------------------------------------------------------------


def test_reactions_panel_shows_bars_map_groups_and_who(tmp_path: Path) -> None:
    from pbp_facilitate.importers import import_file
    from pbp_facilitate.widgets.reactions import ReactionsPanel

    store = Store(f"sqlite:///{tmp_path / 'panel.sqlite3'}")
    try:
        survey = load_survey(ROOT / "surveys" / "visioning.yaml")
        sess = store.create_session(survey, "Panel", code="PANEL1")
        small = ROOT / "tests" / "data" / "polis_small"
        import_file(store, sess, small / "comments.csv")
        import_file(store, sess, small / "participants-votes.csv")
        keys = sorted({k for k, _, _, _ in store.list_reactions(sess.id)})
        for k in keys[:12]:  # twelve consent, all in one neighbourhood
            store.save_profile(
                sess.id, k, consented=True, demographics={"neighbourhood": "Eastside"}
            )
        panel = ReactionsPanel(store, load_settings(environ={}), lang="es")
        panel.set_session(sess)
        assert "Abrir reacciones" == panel.open_button.description
        assert panel.map.value == ""  # no analysis before the tab is shown
        panel.prompt.value = None
        panel.open_round()
        assert "Reacciones abiertas" in panel.state.value
        assert panel.bars.value.count("pbp-bar-row") == 7  # the seven imported ideas
        assert "Open the library on Sundays." in panel.bars.value
        assert panel.map.value.count("<circle") == 24 and "Mapa de opiniones" in panel.map.value
        assert "Acuerdo entre todos los grupos" in panel.consensus.value
        assert panel.data is not None and panel.data["n_groups"] >= 2
        panel.dimension.value = "neighbourhood"
        who = panel.who.value
        assert "Quién está en cada grupo de opinión" in who
        assert "&lt;5" in who or "*" in who  # small counts are never shown as numbers
        assert ">12<" not in who or "Total" in who
        panel.close_round()
        assert "cerradas" in panel.state.value
    finally:
        store.close()


def test_text_in_the_panel_is_escaped() -> None:
    from pbp_facilitate.widgets.reactions import reaction_bars_html

    out = reaction_bars_html([("<script>x</script>", {"agree": 1, "disagree": 0, "pass": 0})], "en")
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_equity_panel_has_who_is_in_each_opinion_group(tmp_path: Path) -> None:
    from pbp_facilitate.demo import seed_demo
    from pbp_facilitate.widgets.equity import EquityPanel

    store = Store(f"sqlite:///{tmp_path / 'eq.sqlite3'}")
    try:
        survey_path = ROOT / "surveys" / "visioning.yaml"
        session = seed_demo(store, survey_path, with_goals=False)
        assert store.list_reactions(session.id)  # the demo seeds a reactions round
        panel = EquityPanel(store, load_settings(environ={}), code=session.code)
        panel.dimension.value = "neighbourhood"
        view = panel.refresh_now()
        assert view is not None
        html_ = panel.opinion_groups.value
        assert "Who is in each opinion group" in html_ and "Group 1" in html_
        assert panel.tabs.titles[-1] == "Who is in each opinion group"
        cells = re.findall(r"<td[^>]*>(.*?)</td>", html_)
        numbers = [int(c) for c in cells if c.isdigit()]
        assert all(n >= 5 for n in numbers if n > 0)  # nothing under the threshold is shown
        panel.lang.value = "es"
        panel.refresh_now()
        assert "Quién está en cada grupo de opinión" in panel.opinion_groups.value
    finally:
        store.close()


def test_dashboard_has_a_reactions_tab_that_analyses_when_shown(tmp_path: Path) -> None:
    from pbp_facilitate.importers import import_file
    from pbp_facilitate.widgets.dashboard import FacilitatorDashboard

    store = Store(f"sqlite:///{tmp_path / 'dash.sqlite3'}")
    try:
        sess = store.create_session(
            load_survey(ROOT / "surveys" / "visioning.yaml"), "D", code="DASH01"
        )
        small = ROOT / "tests" / "data" / "polis_small"
        import_file(store, sess, small / "comments.csv")
        import_file(store, sess, small / "participants-votes.csv")
        dash = FacilitatorDashboard(store, load_settings(environ={}), code="DASH01", clouds=False)
        assert dash.tabs.titles[-1] == "Reactions" and dash.reactions.map.value == ""
        dash.tabs.selected_index = dash.TABS.index("Reactions")
        assert dash.reactions.map.value.count("<circle") == 24
    finally:
        store.close()


def test_a_reaction_without_its_signed_key_stores_nothing(env: dict[str, Any]) -> None:
    """Dropping the participant cookie (keeping only _xsrf) gets the idea again with a fresh key,
    as for ideas and ballots: a client cannot mint a key per reaction."""
    store, sess = env["store"], env["session"]
    open_round(env)
    phone = Phone(env["srv"].url)
    fields = react_form(phone.react_page("REACT1").text)
    phone.http.cookies.delete(PARTICIPANT_COOKIE)
    r = phone.http.post("/s/REACT1/react", data={**fields, "value": "agree"})
    assert r.status_code == 403
    assert store.list_reactions(sess.id) == []
    again = phone.react("REACT1", "agree", react_form(r.text))  # the fresh key now works
    assert again.status_code == 303 and len(store.list_reactions(sess.id)) == 1
