"""Participant pages in real headless Chromium (Debian's /usr/bin/chromium via Playwright)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support import PHONE, ROOT, axe_findings

from pbp_facilitate.intake.standalone import IntakeServer
from pbp_facilitate.settings import load_settings
from pbp_facilitate.store import Store
from pbp_facilitate.surveys import load_survey

pytestmark = pytest.mark.browser


pytest.importorskip("playwright.sync_api")
pytest.importorskip("axe_playwright_python.sync_playwright")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    db = tmp_path_factory.mktemp("browser") / "pbp.sqlite3"
    store = Store(f"sqlite:///{db}")
    survey = load_survey(ROOT / "surveys" / "visioning.yaml")
    sess = store.create_session(survey, "Eastside visioning", code="PHONE2")
    vote = store.create_session(survey, "Vote night", code="VOTE34")
    store.start_voting_round(
        vote.id, [{"id": 1, "label": "Parks"}, {"id": 2, "label": "Buses"}], dots=3
    )
    srv = IntakeServer(load_settings(environ={}), store).start()
    try:
        yield {"srv": srv, "store": store, "session": sess, "vote": vote, "base": srv.url}
    finally:
        srv.stop()
        store.close()


def serious(page: Any) -> list[str]:
    """Return axe-core violations of impact serious or critical on the page."""
    return axe_findings(page)


def test_phone_joins_by_code_and_submits_in_spanish(server: dict[str, Any], browser: Any) -> None:
    ctx = browser.new_context(locale="es-ES", **PHONE)
    page = ctx.new_page()
    page.goto(server["base"] + "/join")
    assert page.get_attribute("html", "lang") == "es"
    page.get_by_label("Código de la sesión").fill("phone2")
    page.get_by_role("button", name="Unirse").click()
    page.wait_for_url("**/s/PHONE2")
    box = page.get_by_label("Imagine nuestra comunidad dentro de diez años")
    box.fill("Más árboles y bancos 🌳")
    counter = page.locator("#count-" + box.get_attribute("id").split("-")[1])
    assert counter.inner_text() == "22 de 1000 caracteres"
    page.get_by_role("button", name="Enviar mi idea").click()
    status = page.get_by_role("status").filter(has_text="Su idea se guardó")
    status.wait_for()
    assert "¡Gracias! Su idea se guardó." in status.inner_text()
    assert page.locator("blockquote.quote").inner_text() == "Más árboles y bancos 🌳"
    # "add another idea" leads to an empty box ready for the next one
    page.get_by_role("link", name="Añadir otra idea").click()
    assert page.get_by_label("Imagine nuestra comunidad dentro de diez años").input_value() == ""
    subs = server["store"].list_submissions(server["session"].id)
    assert subs[-1].text == "Más árboles y bancos 🌳" and subs[-1].language == "es"
    # the visible switch changes the language
    page.get_by_role("link", name="English").click()
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_role("button", name="Send my idea").is_visible()
    ctx.close()


def test_works_with_javascript_off(server: dict[str, Any], browser: Any) -> None:
    ctx = browser.new_context(java_script_enabled=False, locale="en-US", **PHONE)
    page = ctx.new_page()
    page.goto(server["base"] + "/join")
    page.get_by_label("Session code").fill("PHONE2")
    page.get_by_role("button", name="Join").click()
    page.wait_for_url("**/s/PHONE2")
    assert not page.locator(".count").is_visible()  # the counter is an enhancement only
    page.get_by_role("button", name="Send my idea").click()  # empty first: a readable error
    assert "Your idea is empty" in page.locator(".error").first.inner_text()
    page.get_by_label("Imagine our community ten years from now").fill("No-JS idea")
    page.get_by_role("button", name="Send my idea").click()
    page.get_by_text("Thank you! Your idea was saved.").wait_for()
    assert page.locator("blockquote.quote").inner_text() == "No-JS idea"
    assert server["store"].list_submissions(server["session"].id)[-1].text == "No-JS idea"
    ctx.close()


def test_xss_string_shows_as_text(server: dict[str, Any], browser: Any) -> None:
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    attack = '<img src=x onerror="alert(1)"><script>window.__xss=1;alert(2)</script>"\u202etxt.exe'
    page.goto(server["base"] + "/s/PHONE2?lang=en")
    page.get_by_label("Imagine our community ten years from now").fill(attack)
    page.get_by_role("button", name="Send my idea").click()
    page.get_by_text("Thank you! Your idea was saved.").wait_for()
    assert page.locator("blockquote.quote").inner_text() == attack
    assert page.locator("blockquote.quote img, blockquote.quote script").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []
    ctx.close()


def test_axe_finds_no_serious_violations(server: dict[str, Any], browser: Any) -> None:
    ctx = browser.new_context(locale="en-US", **PHONE)
    page = ctx.new_page()
    found: dict[str, list[str]] = {}
    page.goto(server["base"] + "/join")
    found["join"] = serious(page)
    page.goto(server["base"] + "/join?code=NOPE22")
    found["join error"] = serious(page)
    page.goto(server["base"] + "/s/PHONE2")
    page.locator("details.about summary").click()
    found["session with demographics"] = serious(page)
    page.get_by_role("button", name="Send my idea").click()
    found["empty error"] = serious(page)
    page.get_by_label("Imagine our community ten years from now").fill("Accessible idea")
    page.get_by_role("button", name="Send my idea").click()
    page.get_by_text("Thank you!").wait_for()
    found["confirmation"] = serious(page)
    page.goto(server["base"] + "/s/VOTE34?lang=es")
    found["vote (es)"] = serious(page)
    page.goto(server["base"] + "/s/NOSUCH")
    found["not found"] = serious(page)
    ctx.close()
    assert found == {k: [] for k in found}


def test_focus_order_follows_the_page(server: dict[str, Any], browser: Any) -> None:
    ctx = browser.new_context(locale="en-US")
    page = ctx.new_page()
    page.goto(server["base"] + "/s/PHONE2")
    order = []
    for _ in range(6):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        )
    # skip link, language switch, then the prompt's box, the "about you" summary, the button
    assert order[0] == "Skip to content"
    assert order[1] == "Español"
    assert order[2].startswith("text-")
    assert order[3] == "About you (optional)"
    assert order[4] == "Send my idea"
    ctx.close()


def test_phone_spreads_dots_and_changes_them(server: dict[str, Any], browser: Any) -> None:
    ctx = browser.new_context(locale="en-US", **PHONE)
    page = ctx.new_page()
    page.goto(server["base"] + "/s/VOTE34")
    page.get_by_label("Dots for “Parks”").select_option("2")
    page.get_by_label("Dots for “Buses”").select_option("1")
    page.get_by_role("button", name="Save my vote").click()
    page.get_by_text("Your vote was saved").wait_for()
    assert page.get_by_label("Dots for “Parks”").input_value() == "2"  # the ballot is shown back
    page.get_by_label("Dots for “Buses”").select_option("3")
    page.get_by_role("button", name="Save my vote").click()
    assert "You placed 5 dots but have only 3" in page.get_by_role("alert").inner_text()
    store = server["store"]
    rnd = store.current_voting_round(server["vote"].id)
    assert sorted(store.vote_totals(rnd.id).items()) == [
        (1, {"dots": 2, "voters": 1}),
        (2, {"dots": 1, "voters": 1}),
    ]
    ctx.close()


def test_page_follows_the_facilitator_and_keeps_the_draft(
    server: dict[str, Any], browser: Any
) -> None:
    import time

    store, sess = server["store"], server["session"]
    prompts = store.list_prompts(sess.id)
    store.open_only(sess.id, prompts[0].id)
    ctx = browser.new_context(locale="en-US", **PHONE)
    page = ctx.new_page()
    page.goto(server["base"] + "/s/PHONE2")
    first = page.get_by_label("Imagine our community ten years from now")
    first.fill("A half-typed draft")
    # The facilitator opens the next prompt too: the phone follows within 2 s, the draft survives.
    store.open_only(sess.id, None)
    store.set_prompt_open(prompts[0].id, True)
    store.set_prompt_open(prompts[1].id, True)
    t0 = time.monotonic()
    page.get_by_label("What gets in the way of that future today?").wait_for(timeout=5000)
    assert time.monotonic() - t0 < 2.5
    assert (
        page.get_by_label("Imagine our community ten years from now").input_value()
        == "A half-typed draft"
    )
    # Closing every prompt empties the page the same way.
    store.open_only(sess.id, None)
    page.get_by_text("There is no open question right now", exact=False).wait_for(timeout=5000)
    store.open_only(sess.id, prompts[0].id)
    ctx.close()
