"""The facilitator dashboard in headless Chromium, served by ``pbp serve`` with its token.

A participant submits in a second page (no token, no account); the dashboard
shows the idea within 3 seconds, escaped; hiding it removes it from the feed
and from its theme's count; a voting round started on the dashboard reaches
the participant's page and their ballot shows in the results.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import CHROMIUM, ROOT, Served

from pbp_facilitate.demo import demo_ideas

pytestmark = pytest.mark.browser

TOKEN = "browser-test-token-0123456789abcdef0"
CODE = "DEMO26"
TWIN = "Rent stabilisation so families can stay"  # a seeded idea (data/demo_ideas.txt)
_DB: dict[str, str] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``pbp serve`` on a seeded demo database; yields the base URL."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from pbp_facilitate.demo import seed_demo
    from pbp_facilitate.store import Store

    tmp = tmp_path_factory.mktemp("serve")
    url = f"sqlite:///{tmp / 'browser.sqlite3'}"
    with Store(url) as store:
        seed_demo(store, ROOT / "surveys" / "visioning.yaml", with_goals=False)
    env = {
        "PBP_DATA_DIR": str(tmp),
        "PBP_THEME_REFIT_INTERVAL_S": "1",
        "PBP_SURVEYS_DIR": str(ROOT / "surveys"),
    }
    _DB["url"] = url
    served = Served(
        ["--token", TOKEN], tmp, env, db=url, workbooks=ROOT / "workbooks", log=tmp / "serve.log"
    )
    try:
        yield served.base
    finally:
        served.stop()


@pytest.fixture(scope="module")
def dashboard(server: str, browser: object) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = ctx.new_page()
    page.goto(f"{server}/voila/render/facilitate.ipynb?token={TOKEN}")
    page.wait_for_selector(".pbp-dash .pbp-themeboard", state="attached", timeout=90_000)
    try:
        yield page
    finally:
        ctx.close()


@pytest.fixture
def participant(server: str, browser: object) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 400, "height": 800})  # type: ignore[attr-defined]
    page = ctx.new_page()
    page.goto(f"{server}/s/{CODE}")
    try:
        yield page
    finally:
        ctx.close()


def _tab(page: object, name: str) -> None:
    page.get_by_role("tab", name=name).click()  # type: ignore[attr-defined]


def _submit(participant: object, text: str) -> float:
    participant.locator("form.idea textarea").first.fill(text)  # type: ignore[attr-defined]
    t0 = time.monotonic()
    participant.locator("form.idea button[type=submit]").first.click()  # type: ignore[attr-defined]
    return t0


def test_dashboard_refused_without_token(server: str, browser: object) -> None:
    for suffix in ("", "?token=wrong-token-123456"):
        req = urllib.request.Request(f"{server}/voila/render/facilitate.ipynb{suffix}")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                body = resp.read().decode("utf-8", "replace")
                final = resp.geturl()
        except urllib.error.HTTPError as exc:
            assert exc.code in (401, 403)
            continue
        assert "login" in final or "pbp-dash" not in body, (
            f"dashboard served without the token ({final})"
        )
    ctx = browser.new_context()  # type: ignore[attr-defined]
    page = ctx.new_page()
    page.goto(f"{server}/voila/render/facilitate.ipynb")
    page.wait_for_timeout(1500)
    assert page.locator(".pbp-dash").count() == 0
    ctx.close()


def test_submission_shows_within_3s_escaped_and_hide_removes_it(
    dashboard: object, participant: object
) -> None:
    page = dashboard
    _tab(page, "Live feed")
    xss = (
        '<script>window.__pbp_xss=1</script><img src=x onerror="window.__pbp_xss=2">'
        " safer crossings"
    )
    t0 = _submit(participant, xss)
    row = page.locator(".pbp-feed-row", has_text="<script>window.__pbp_xss=1</script>")
    row.wait_for(timeout=3000)
    latency = time.monotonic() - t0
    print(f"\nsubmit-to-screen latency: {latency:.2f} s")
    assert latency < 3.0
    assert "<img src=x" in row.inner_text()
    assert page.evaluate("window.__pbp_xss") is None, "participant markup ran in the dashboard"
    assert page.locator(".pbp-feed img[src=x]").count() == 0

    # a few more, to measure: submit (participant clicks) to screen (row in the dashboard feed)
    latencies = [latency]
    for i, text in enumerate(
        [
            "Bus shelters with benches",
            "Más bibliotecas abiertas los domingos",
            "Street lights on every block",
        ]
    ):
        t = _submit(participant, f"{text} ({i})")
        page.locator(".pbp-feed-row", has_text=f"{text} ({i})").wait_for(timeout=3000)
        latencies.append(time.monotonic() - t)
    latencies.sort()
    print(
        f"submit-to-screen latency over {len(latencies)}: "
        f"median {latencies[len(latencies) // 2]:.2f} s, max {latencies[-1]:.2f} s"
    )
    assert latencies[-1] < 3.0

    # a second idea, placed in a theme by the live refit (every second here). Where the engine
    # puts a new idea depends on the whole session and on the refit history (each refit starts
    # from the snapshot the last one stored, and the pooled kernel refits too), so the idea is
    # a seeded idea word for word plus "(4)", which has no word: its vectors are its twin's, so
    # every refit puts it in its twin's theme, and it shares every word with that theme.
    assert any(text == TWIN for _, _, text in demo_ideas()), "the demo data changed"
    idea = f"{TWIN} (4)"
    t1 = _submit(participant, idea)
    row = page.locator(".pbp-feed-row", has_text=idea)
    row.wait_for(timeout=3000)
    print(f"submit-to-screen latency (2nd): {time.monotonic() - t1:.2f} s")
    chip = row.locator(".pbp-row-theme")
    chip.wait_for(timeout=15_000)
    label = chip.inner_text().strip()
    assert label != "other / unclear", "a copy of a placed idea was left unplaced"
    _tab(page, "Themes")
    # the card by its stable id: a label is recomputed from the members at every refit
    theme_class = page.evaluate(
        "(label) => { const cards = [...document.querySelectorAll('.pbp-theme-card')].filter("
        "c => c.querySelector('.pbp-theme-label')?.textContent.trim() === label); "
        "return cards.length === 1 ? [...cards[0].classList].find("
        "k => /^pbp-theme-[0-9]+$/.test(k)) ?? null : null; }",
        label,
    )
    assert theme_class, f"no single theme card labelled {label!r}"
    card = page.locator(f".pbp-theme-card.{theme_class}")
    before = int(card.locator(".pbp-count").inner_text())
    _tab(page, "Live feed")
    row.get_by_role("button", name="Hide").click()
    row.wait_for(state="detached", timeout=3000)
    assert page.locator(".pbp-feed-row", has_text=idea).count() == 0
    _tab(page, "Themes")
    page.wait_for_function(
        "([cls, n]) => parseInt(document.querySelector("
        "'.pbp-theme-card.' + cls + ' .pbp-count')?.textContent) === n",
        arg=[theme_class, before - 1],
        timeout=3000,
    )
    # the hidden idea is listed under "Hidden", where it can be restored
    _tab(page, "Live feed")
    page.get_by_role("button", name="Hidden", exact=True).click()
    page.locator(".pbp-feed-row", has_text=idea).wait_for(timeout=3000)
    page.get_by_role("button", name="Visible", exact=True).click()


def test_voting_round_reaches_participant_and_vote_shows(
    dashboard: object, participant: object
) -> None:
    page = dashboard
    _tab(page, "Voting")
    page.get_by_role("button", name="Start voting on current themes").click()
    page.locator(".pbp-voting .pbp-bars").wait_for(timeout=5000)
    # The open page follows the facilitator by itself (it polls its state and reloads), so the
    # test only waits: a reload of its own would race the page's and abort one navigation.
    participant.locator("#vote form").wait_for(timeout=15000)
    assert participant.locator("#vote form").count() == 1, (
        "voting did not reach the participant page"
    )
    first = participant.locator("#vote select").first
    label = participant.locator("#vote label").first.inner_text()
    first.select_option("2")
    participant.locator("#vote button[type=submit]").click()
    participant.wait_for_url("**voted=1**", timeout=5000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.pbp-voting .pbp-bar-n')]"
        ".some(e => e.textContent.trim() === '2 dots')"
        " && /<b>1<\\/b> voter/.test(document.querySelector('.pbp-voting').innerHTML)",
        timeout=3000,
    )
    assert label  # the participant saw a theme label to vote on
    _tab(page, "Room screen")
    page.locator(".pbp-present .pbp-bars").wait_for(timeout=3000)
    assert "Vote now" in page.locator(".pbp-present").inner_text()


def test_goals_workbook_live_feedback_and_save(server: str, browser: object) -> None:
    from pbp_facilitate.store import Store

    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = ctx.new_page()
    try:
        page.goto(f"{server}/voila/render/goals.ipynb?token={TOKEN}")
        page.wait_for_selector(".pbp-goals textarea", timeout=90_000)
        box = page.locator(".pbp-goals textarea")
        box.fill("Improve transportation for everyone <b>now</b>.")
        page.locator(".pbp-goals .pbp-crit-time_bound", has_text="Time-bound").wait_for(
            timeout=5000
        )
        assert "✗" in page.locator(".pbp-goals .pbp-crit-time_bound").inner_text()
        assert page.locator(".pbp-goals b", has_text="now").count() == 0, (
            "goal text rendered as markup"
        )
        goal = (
            "By June 2029, raise the share of Eastside renters with stable housing "
            "from 60% to 75%, reported by race and ethnicity."
        )
        box.fill(goal)
        page.wait_for_function(
            "() => document.querySelector('.pbp-goals .pbp-crit-time_bound')"
            "?.textContent.includes('✓')",
            timeout=5000,
        )
        page.get_by_role("button", name="Agreed", exact=True).click()
        page.get_by_role("button", name="Save goal").click()
        page.locator(".pbp-goals .pbp-ok", has_text="Saved goal").wait_for(timeout=5000)
    finally:
        ctx.close()
    with Store(_DB["url"]) as store:
        saved = [g for g in store.list_goals(store.get_session(CODE).id) if g.text == goal]
    assert len(saved) == 1 and saved[0].status == "agreed"
    assert saved[0].check["criteria"]["time_bound"]["passed"] is True


def _api(server: str, method: str, path: str, body: dict | None = None) -> object:
    import httpx

    headers = {"Authorization": f"token {TOKEN}"}
    with httpx.Client(base_url=server, headers=headers, timeout=60) as c:
        r = c.request(method, path, json=body)
    assert r.status_code < 300, (path, r.status_code, r.text)
    return r.json()


def _room_has(page: object, label: str, count: int | None = None) -> str:
    """JS condition: B's room screen lists ``label`` (with ``count`` ideas, when given)."""
    want = "" if count is None else f" && e.querySelector('.pbp-count')?.textContent === '{count}'"
    return (
        "() => [...document.querySelectorAll('.pbp-present .pbp-present-theme')].some(e => "
        f"e.textContent.includes({label!r}){want})"
    )


def test_two_dashboards_share_one_set_of_themes(
    server: str, browser: object, dashboard: object
) -> None:
    """Edits in dashboard A (and through the API) reach dashboard B's room screen within 2 s
    with no new input; a round B starts after a split offers the split themes; a rename during
    the round reaches the phone ballot in English and Spanish, the totals and the summary.
    """
    import httpx

    sessions = _api(server, "GET", "/pbp/api/sessions")["sessions"]
    sid = next(s["id"] for s in sessions if s["code"] == CODE)  # the session the dashboards show
    state = _api(server, "GET", f"/pbp/api/sessions/{sid}")
    if state["voting"] and state["voting"]["status"] == "open":
        _api(server, "POST", f"/pbp/api/voting/{state['voting']['id']}/close")
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    b = ctx.new_page()
    b.goto(f"{server}/voila/render/facilitate.ipynb?token={TOKEN}")
    b.wait_for_selector(".pbp-dash .pbp-themeboard", state="attached", timeout=90_000)
    _tab(b, "Room screen")
    b.locator(".pbp-present .pbp-present-theme").first.wait_for(timeout=30_000)
    a = dashboard
    _tab(a, "Themes")
    # each dashboard refits once when it opens: edit the version both show once those settled
    got, since = _api(server, "GET", f"/pbp/api/sessions/{sid}/themes"), time.monotonic()
    deadline = since + 60
    while time.monotonic() < deadline and time.monotonic() - since < 4:
        time.sleep(0.5)
        now = _api(server, "GET", f"/pbp/api/sessions/{sid}/themes")
        if now["version"] != got["version"]:
            got, since = now, time.monotonic()
    themes = got["themes"]
    big, other = sorted(themes, key=lambda t: -t["size"])[:2]
    delays = {}

    # 1. rename on A's card
    card = a.locator(f".pbp-theme-card.pbp-theme-{big['id']}")
    card.get_by_role("button", name="Edit").click()
    card.get_by_placeholder("New label").fill("Housing families can afford")
    t0 = time.monotonic()
    card.get_by_role("button", name="Rename").click()
    b.wait_for_function(_room_has(b, "Housing families can afford"), timeout=2000)
    delays["rename"] = time.monotonic() - t0

    # 2. merge through the API (the same edit path as the buttons)
    t0 = time.monotonic()
    got = _api(
        server,
        "POST",
        f"/pbp/api/sessions/{sid}/themes/edits",
        {"op": "merge", "theme_ids": [big["id"], other["id"]]},
    )
    stored = time.monotonic()
    merged = next(t for t in got["themes"] if t["id"] == big["id"])
    assert merged["size"] == big["size"] + other["size"]
    assert other["id"] not in {t["id"] for t in got["themes"]}
    b.wait_for_function(_room_has(b, "Housing families can afford", merged["size"]), timeout=2000)
    delays["merge"] = time.monotonic() - t0
    delays["merge after stored"] = time.monotonic() - stored

    # 3. split in 3 on A's card: B shows the smaller theme without new input
    card.locator("input[type=number]").fill("3")
    card.locator("input[type=number]").press("Tab")
    t0 = time.monotonic()
    card.get_by_role("button", name="Split").click()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = _api(server, "GET", f"/pbp/api/sessions/{sid}/themes")
        if len(now["themes"]) == len(got["themes"]) + 2:
            break
        time.sleep(0.1)
    stored = time.monotonic()
    part = next(t for t in now["themes"] if t["id"] == big["id"])
    assert 0 < part["size"] < merged["size"]
    b.wait_for_function(_room_has(b, "Housing families can afford", part["size"]), timeout=2000)
    delays["split"] = time.monotonic() - t0
    delays["split after stored"] = time.monotonic() - stored

    # 4. B starts a round: it offers the themes as they are now, split ones included
    _tab(b, "Voting")
    b.get_by_role("button", name="Start voting on current themes").click()
    b.locator(".pbp-voting .pbp-bars").wait_for(timeout=5000)
    vround = _api(server, "GET", f"/pbp/api/sessions/{sid}")["voting"]
    assert vround["from_themes"] and vround["status"] == "open"
    assert {o["id"] for o in vround["options"]} == {t["id"] for t in now["themes"] if t["size"]}

    # 5. a rename during the round reaches the phone ballots (en, es), the totals, the summary
    _api(
        server,
        "POST",
        f"/pbp/api/sessions/{sid}/themes/edits",
        {"op": "rename", "theme_id": big["id"], "label": "Homes for every family"},
    )
    for lang in ("en", "es"):
        with httpx.Client(base_url=server, timeout=30, headers={"Accept-Language": lang}) as h:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                page = h.get(f"/s/{CODE}").text
                if "Homes for every family" in page:
                    break
                time.sleep(0.2)
        assert "Homes for every family" in page, lang
        vote = page[page.index('id="vote"') :]
        assert page.index('id="vote"') < page.index('class="idea"')  # the ballot comes first
        assert ("Por ejemplo" if lang == "es" else "For example") in vote
    totals = _api(server, "GET", f"/pbp/api/voting/{vround['id']}/totals")
    assert "Homes for every family" in {t["label"] for t in totals["themes"]}
    b.wait_for_function(
        "() => document.querySelector('.pbp-voting .pbp-bars')?.textContent"
        ".includes('Homes for every family')",
        timeout=3000,
    )
    ctx.close()
    from pbp_facilitate.summaries.sections import load_summary, voting_section

    for lang in ("en", "es"):
        html = voting_section(load_summary(CODE, _DB["url"], lang=lang)).html
        assert "Homes for every family" in html and "Housing families" not in html
    print("\nedit-to-other-screen delay: " + ", ".join(f"{k} {v:.2f} s" for k, v in delays.items()))
    assert delays["rename"] < 2.0
    assert delays["merge after stored"] < 2.0 and delays["split after stored"] < 2.0
