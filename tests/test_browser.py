"""The public page in a real browser (Debian's Chromium driven by Playwright), desktop and phone."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("LOFTE_CHROMIUM", "/usr/bin/chromium"))
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra")
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
    pytest.mark.django_db(transaction=True),
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def demo(live_server):
    from lofte.demo import scenario

    scenario.build()
    return live_server.url


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_it_shows_the_demo_promise_readably_on_desktop_and_phone(browser, demo, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{demo}/loften/vastra-hisingen-2016/")
    assert page.locator("[data-figure=visits]").inner_text().replace("\xa0", " ") == "1 016"
    assert page.locator("h1").is_visible()
    # Nothing is wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/loften/vastra-hisingen-2016/")
    assert page.locator("[data-figure=visits]").inner_text() == "1,016"
    assert page.locator(".status-partly_kept").first.inner_text() == "partly kept"


def test_it_logs_an_owner_in_and_shows_the_dashboard(browser, demo):
    page = browser.new_page()
    page.goto(f"{demo}/en/login/")
    page.get_by_label("Username").fill("kommunpolis")
    page.get_by_label("Password").fill("lofte-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/personal/")
    assert "Citizen promise Västra Hisingen" in page.content()
