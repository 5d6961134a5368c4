"""The published site in real headless Chromium (Debian's /usr/bin/chromium via Playwright):
axe-core finds no serious or critical violation, pages fit a 390 px phone, and opening them
from disk makes no request anywhere (as from a USB stick)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support import PHONE, ROOT, axe_findings

from pbp_facilitate.demo import seed_demo
from pbp_facilitate.settings import load_settings
from pbp_facilitate.store import Store
from pbp_facilitate.summaries.site import publish

pytestmark = pytest.mark.browser


pytest.importorskip("playwright.sync_api")
pytest.importorskip("axe_playwright_python.sync_playwright")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("site")
    url = f"sqlite:///{tmp / 'pbp.sqlite3'}"
    with Store(url) as store:
        seed_demo(store, ROOT / "surveys" / "visioning.yaml")
    settings = load_settings(
        {
            "database_url": url,
            "surveys_dir": ROOT / "surveys",
            "workbooks_dir": ROOT / "workbooks",
            "outputs_dir": tmp / "outputs",
        },
        environ={},
    )
    publish(settings, tmp / "site", series=["eastside-2026"])
    return tmp / "site"


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "index.html" or p.parent == site)


def test_every_page_is_axe_clean_fits_a_phone_and_requests_nothing(
    site: Path, browser: Any
) -> None:
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    found: dict[str, list[str]] = {}
    wide: dict[str, int] = {}
    pages = _pages(site)
    assert len(pages) >= 9
    for path in pages:
        name = str(path.relative_to(site))
        page.goto(path.as_uri())
        found[name] = axe_findings(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[name] = width
        assert page.evaluate("document.documentElement.lang") in ("en", "es")
        assert page.locator("h1").count() == 1
    ctx.close()
    assert found == {k: [] for k in found}
    assert wide == {}  # wide tables scroll inside their own box, the page never does
    outside = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert outside == []


def test_links_work_from_disk(site: Path, browser: Any) -> None:
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="Español").click()
    assert page.evaluate("document.documentElement.lang") == "es"
    page.get_by_role("link", name="Youth voice session").click()
    assert page.locator("h1").inner_text() == "Youth voice session"
    assert page.evaluate("document.documentElement.lang") == "es"
    page.get_by_role("link", name="English").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("link", name="All published summaries").click()
    assert page.url.endswith("/index.en.html")
    page.get_by_role("link", name="Eastside 2026: visioning and youth voice").click()
    assert "Participation across the series" in page.content()
    ctx.close()
