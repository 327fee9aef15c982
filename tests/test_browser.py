"""The public page in a real browser (Debian's Chromium driven by Playwright), desktop and phone."""

import os
import unittest
from pathlib import Path

from django.test import LiveServerTestCase

from lofte.demo import scenario

CHROMIUM = Path(os.environ.get("LOFTE_CHROMIUM", "/usr/bin/chromium"))
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # a test extra
    sync_playwright = None


@unittest.skipIf(sync_playwright is None, "playwright is not installed (pip install -e '.[test]')")
@unittest.skipIf(not CHROMIUM.exists(), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
class BrowserTests(LiveServerTestCase):
    """A class-scoped live server: it stops, and closes its connections, before the database is dropped."""

    @classmethod
    def setUpClass(cls):
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
        super().setUpClass()
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        scenario.build()

    def check_demo_page(self, width, height):
        page = self.browser.new_page(viewport={"width": width, "height": height})
        page.goto(f"{self.live_server_url}/loften/vastra-hisingen-2016/")
        self.assertEqual(page.locator("[data-figure=visits]").inner_text().replace("\xa0", " "), "1 016")
        self.assertTrue(page.locator("h1").is_visible())
        # Nothing is wider than the screen: no sideways scrolling on a phone.
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), width)
        page.get_by_role("link", name="English").click()
        page.wait_for_url("**/en/loften/vastra-hisingen-2016/")
        self.assertEqual(page.locator("[data-figure=visits]").inner_text(), "1,016")
        self.assertEqual(page.locator(".status-partly_kept").first.inner_text(), "partly kept")
        page.close()

    def test_it_shows_the_demo_promise_readably_on_a_desktop(self):
        self.check_demo_page(1280, 900)

    def test_it_shows_the_demo_promise_readably_on_a_phone(self):
        self.check_demo_page(390, 844)

    def test_it_logs_an_owner_in_and_shows_the_dashboard(self):
        page = self.browser.new_page()
        page.goto(f"{self.live_server_url}/en/login/")
        page.get_by_label("Username").fill("kommunpolis")
        page.get_by_label("Password").fill("lofte-demo")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/personal/")
        self.assertIn("Citizen promise Västra Hisingen", page.content())
        page.close()
