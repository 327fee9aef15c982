"""A live server and Debian's Chromium driven by Playwright, for the browser tests."""

import os
import time
import unittest
from pathlib import Path

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management.base import CommandError
from django.db.utils import OperationalError

from .demo_copy import load_demo

CHROMIUM = Path(os.environ.get("LOFTE_CHROMIUM", "/usr/bin/chromium"))
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # a test extra
    sync_playwright = None


@unittest.skipIf(sync_playwright is None, "playwright is not installed (pip install -e '.[test]')")
@unittest.skipIf(not CHROMIUM.exists(), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
class BrowserTestCase(StaticLiveServerTestCase):
    """A class-scoped live server: it stops, and closes its connections, before the database is dropped."""

    @classmethod
    def setUpClass(cls):
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
        super().setUpClass()
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        load_demo()  # built once per process, copied in for each test (the database is emptied after it)

    def _fixture_teardown(self):
        # The live server may still be finishing a request the browser has already received (its
        # connection closes after the response is sent); on SQLite's shared in-memory database that
        # request's lock makes the flush fail at once ("database table is locked") instead of waiting.
        for attempt in range(50):
            try:
                return super()._fixture_teardown()
            except (OperationalError, CommandError) as exc:
                if "locked" not in str(exc) and "couldn't be flushed" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)

    def logged_in_page(self, username, **options):
        """A new page (`options` as Playwright's new_page), logged in as `username` of the demo, on the
        dashboard; `page.csp` collects what the Content-Security-Policy blocked."""
        page = self.browser.new_page(**options)
        page.csp = []
        page.on("console", lambda message: "Content Security Policy" in message.text and page.csp.append(message.text))
        page.goto(f"{self.live_server_url}/en/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("lofte-demo")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/personal/")
        return page
