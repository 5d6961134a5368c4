"""Reactions on a phone in real headless Chromium: JavaScript on (Spanish) and off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support import PHONE, ROOT, axe_findings

from pbp_facilitate.intake.handler import PARTICIPANT_COOKIE
from pbp_facilitate.intake.standalone import IntakeServer
from pbp_facilitate.settings import load_settings
from pbp_facilitate.store import Store
from pbp_facilitate.surveys import load_survey

pytestmark = pytest.mark.browser

IDEAS = [
    ("Más árboles en las calles del barrio.", "es"),
    ("Guardería gratuita para familias.", "es"),
    ("A bus shelter at every stop.", "en"),
]
HIDDEN = "HIDDEN spam: buy cheap watches"

pytest.importorskip("playwright.sync_api")
pytest.importorskip("axe_playwright_python.sync_playwright")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    db = tmp_path_factory.mktemp("browser-react") / "pbp.sqlite3"
    store = Store(f"sqlite:///{db}")
    survey = load_survey(ROOT / "surveys" / "visioning.yaml")
    sess = store.create_session(survey, "Eastside visioning", code="REACT2")
    prompt = store.list_prompts(sess.id)[0]
    for i, (text, lang) in enumerate(IDEAS):
        store.add_submission(sess.id, prompt.id, text, language=lang, participant_key=f"a{i}")
    spam = store.add_submission(sess.id, prompt.id, HIDDEN, participant_key="spammer")[0]
    store.set_hidden(spam.id, True)
    store.open_reactions(sess.id, prompt.id)
    srv = IntakeServer(load_settings({"page_cache_s": 0}, environ={}), store).start()
    try:
        yield {"srv": srv, "store": store, "session": sess, "base": srv.url}
    finally:
        srv.stop()
        store.close()


def serious(page: Any) -> list[str]:
    """Return axe-core violations of impact serious or critical on the page."""
    return axe_findings(page)


def react_through(page: Any, buttons: list[str]) -> list[str]:
    """Press one button per idea; return the ideas shown, in order."""
    shown = []
    for name in buttons:
        shown.append(page.locator("blockquote.quote").inner_text())
        assert HIDDEN not in page.content()
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_url("**/react?saved=1*")
    return shown


def test_phone_reacts_in_spanish_with_javascript(server: dict[str, Any], browser: Any) -> None:
    ctx = browser.new_context(locale="es-ES", **PHONE)
    page = ctx.new_page()
    page.goto(server["base"] + "/s/REACT2")
    assert page.get_attribute("html", "lang") == "es"
    page.get_by_role("link", name="Empezar a reaccionar").click()
    page.wait_for_url("**/s/REACT2/react")
    assert page.get_by_role("heading", name="¿Qué opina usted?").is_visible()
    assert not serious(page), serious(page)
    shown = react_through(page, ["De acuerdo", "En desacuerdo"])
    assert set(shown) == {IDEAS[0][0], IDEAS[1][0]}  # Spanish ideas first for a Spanish phone
    assert "Guardado" in page.get_by_role("status").first.inner_text()
    shown += react_through(page, ["Paso / no estoy seguro"])
    assert "Ya reaccionó a todas las ideas" in page.locator("main").inner_text()
    page.get_by_role("link", name="Parar por ahora y volver").click()
    page.wait_for_url("**/s/REACT2")
    key = next(c["value"] for c in ctx.cookies() if c["name"] == PARTICIPANT_COOKIE)
    assert sorted(server["store"].participant_reactions(server["session"].id, key).values()) == [
        -1,
        0,
        1,
    ]
    ctx.close()


def test_phone_reacts_with_javascript_off(server: dict[str, Any], browser: Any) -> None:
    ctx = browser.new_context(java_script_enabled=False, locale="en-US", **PHONE)
    page = ctx.new_page()
    page.goto(server["base"] + "/s/REACT2/react")
    assert page.get_by_role("button", name="Agree", exact=True).is_visible()
    shown = react_through(page, ["Agree", "Disagree", "Agree"])
    assert sorted(shown) == sorted(t for t, _ in IDEAS)
    assert "You have reacted to every idea" in page.locator("main").inner_text()
    ctx.close()  # (axe-core needs JavaScript: the pages are checked in the test above)
