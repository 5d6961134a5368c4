"""The facilitator workbooks are accessible: axe-core finds nothing, the keyboard reaches and
works every main control, and focus shows.

A real ``pbp serve`` on a seeded demo database, the workbooks through Voilà with the token, in
Debian's headless Chromium: every tab of the live dashboard (Session, Live feed, Themes,
Voting, Room screen and its projector mode), the goals workbook and the equity workbook.
Facilitators are people with disabilities as well; the participant pages are tested the same
way in tests/test_browser_intake.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import CHROMIUM, ROOT, Served, axe_findings

pytestmark = pytest.mark.browser

TOKEN = "a11y-test-token-0123456789abcdef0123"
CODE = "DEMO26"
TABS = ("Session", "Live feed", "Themes", "Voting", "Room screen")

pytest.importorskip("playwright.sync_api")
pytest.importorskip("axe_playwright_python.sync_playwright")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``pbp serve`` on a seeded demo database (goals too); yields the base URL."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from pbp_facilitate.demo import seed_demo
    from pbp_facilitate.store import Store

    tmp = tmp_path_factory.mktemp("a11y")
    url = f"sqlite:///{tmp / 'a11y.sqlite3'}"
    with Store(url) as store:
        seed_demo(store, ROOT / "surveys" / "visioning.yaml", with_goals=True)
    env = {"PBP_DATA_DIR": str(tmp), "PBP_SURVEYS_DIR": str(ROOT / "surveys")}
    served = Served(
        ["--token", TOKEN], tmp, env, db=url, workbooks=ROOT / "workbooks", log=tmp / "serve.log"
    )
    try:
        yield served.base
    finally:
        served.stop()


def _open(browser: Any, server: str, workbook: str, ready: str) -> tuple[Any, Any]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = ctx.new_page()
    page.goto(f"{server}/voila/render/{workbook}?token={TOKEN}", timeout=120_000)
    page.wait_for_selector(ready, state="attached", timeout=90_000)
    page.wait_for_timeout(1000)  # the first poll has drawn every panel
    return ctx, page


@pytest.fixture(scope="module")
def dashboard(server: str, browser: Any) -> Iterator[Any]:
    ctx, page = _open(browser, server, "facilitate.ipynb", ".pbp-dash .pbp-themeboard")
    try:
        yield page
    finally:
        ctx.close()


def violations(page: Any) -> list[str]:
    """Return every axe-core violation on the page (any impact), one line each."""
    return axe_findings(page, impacts=None)


def _tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(400)


def test_every_dashboard_tab_is_axe_clean(dashboard: Any) -> None:
    found: dict[str, list[str]] = {}
    for name in TABS:
        _tab(dashboard, name)
        found[name] = violations(dashboard)
    dashboard.get_by_role("button", name="Projector mode").click()
    dashboard.locator(".pbp-projector").wait_for(state="attached", timeout=3000)
    try:
        found["Room screen, projector mode"] = violations(dashboard)
    finally:
        dashboard.get_by_role("button", name="Projector mode").click()
        dashboard.locator(".pbp-projector").wait_for(state="detached", timeout=3000)
    assert found == {k: [] for k in found}


def test_join_qr_says_the_url_and_code(dashboard: Any) -> None:
    """The QR code is named by the join URL and the code, on the Session tab and the room
    screen; the content sits in a main landmark.
    """
    for tab, where in (("Session", ".pbp-join"), ("Room screen", ".pbp-present")):
        _tab(dashboard, tab)
        img = dashboard.locator(f"{where} img").first
        name = img.get_attribute("alt") or img.get_attribute("title") or ""
        assert CODE in name and f"/s/{CODE}" in name, (tab, name)
    assert dashboard.locator("[role=main] .pbp-dash").count() == 1


@pytest.mark.parametrize(
    ("workbook", "ready"),
    [("goals.ipynb", ".pbp-goals textarea"), ("equity.ipynb", ".pbp-eq")],
)
def test_goals_and_equity_workbooks_are_axe_clean(
    server: str, browser: Any, workbook: str, ready: str
) -> None:
    ctx, page = _open(browser, server, workbook, ready)
    try:
        found = {workbook: violations(page)}
        tabs = page.locator(".pbp-dash [role=tab]")
        for i in range(tabs.count()):  # the equity panel's own tabs
            tabs.nth(i).click()
            page.wait_for_timeout(400)
            found[f"{workbook}, tab {tabs.nth(i).inner_text().strip()}"] = violations(page)
    finally:
        ctx.close()
    assert found == {k: [] for k in found}


def _active(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => { const a = document.activeElement; const s = getComputedStyle(a);
        return {tag: a.tagName, role: a.getAttribute('role') || '',
                text: (a.textContent || a.value || '').trim().slice(0, 60),
                outline: s.outlineStyle !== 'none' ? parseFloat(s.outlineWidth) : 0,
                shadow: s.boxShadow !== 'none'}; }"""
    )


def _tab_until(page: Any, found: Any, limit: int = 60) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        el = _active(page)
        if found(el):
            return el
    raise AssertionError(f"Tab never reached the control; last focus {el}")


def test_keyboard_reaches_tabs_and_controls_and_focus_shows(server: str, browser: Any) -> None:
    ctx, page = _open(browser, server, "facilitate.ipynb", ".pbp-dash .pbp-themeboard")
    try:
        page.locator("body").click(position={"x": 5, "y": 5})
        tab = _tab_until(page, lambda el: el["role"] == "tab")
        assert tab["text"] == "Session"
        assert tab["outline"] >= 2, f"no visible focus on the tab bar: {tab}"
        # arrows move along the tab bar; Enter and Space open the focused tab
        for key, name in (("Enter", "Live feed"), (" ", "Themes")):
            for _ in range(8):
                if _active(page)["text"] == name:
                    break
                page.keyboard.press("ArrowRight")
            assert _active(page)["text"] == name
            page.keyboard.press(key)
            selected = page.get_by_role("tab", name=name)
            assert selected.get_attribute("aria-selected") == "true", (key, name)
        # every main control of the Voting tab is reached by Tab, and a button works by key
        page.get_by_role("tab", name="Voting").click()
        page.get_by_role("tab", name="Voting").focus()
        start = _tab_until(page, lambda el: "Start voting" in el["text"])
        assert start["outline"] >= 2 or start["shadow"], f"no visible focus: {start}"
        page.keyboard.press("Enter")
        # the demo already holds a closed round (bars shown): wait for the new round to open
        page.wait_for_function(
            "() => [...document.querySelectorAll('.pbp-voting button')]"
            ".some(b => b.textContent.includes('Close voting') && !b.disabled)",
            timeout=5000,
        )
        close = _tab_until(page, lambda el: "Close voting" in el["text"], limit=10)
        assert close["tag"] == "BUTTON"
        page.keyboard.press(" ")
        page.get_by_text("Voting results").first.wait_for(state="attached", timeout=5000)
        # the room screen's projector toggle, on and off, by keyboard only
        page.get_by_role("tab", name="Room screen").click()
        page.get_by_role("tab", name="Room screen").focus()
        toggle = _tab_until(page, lambda el: "Projector mode" in el["text"], limit=15)
        assert toggle["outline"] >= 2 or toggle["shadow"], f"no visible focus: {toggle}"
        page.keyboard.press("Enter")
        page.locator(".pbp-projector").wait_for(state="attached", timeout=3000)
        page.keyboard.press(" ")
        page.locator(".pbp-projector").wait_for(state="detached", timeout=3000)
    finally:
        ctx.close()
