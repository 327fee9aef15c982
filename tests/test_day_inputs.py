"""Days are written and read as the page says, not as the browser's language would (issue 24: the
browser's own date field showed "mm/dd/yyyy" on Swedish pages in an English Chromium)."""

from html.parser import HTMLParser

from .base import BaseTestCase


class Inputs(HTMLParser):
    """The attributes of every <input> with a pattern in a page."""

    def __init__(self, text):
        super().__init__()
        self.found = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "input" and dict(attrs).get("pattern"):
            self.found.append(dict(attrs))


class DayInputTests(BaseTestCase):
    def day_fields(self, url):
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200, url)
        return Inputs(page.content.decode()).found

    def test_it_asks_for_days_as_2016_03_01_in_the_pages_language(self):
        self.client.force_login(self.owner)
        for url, names in [
            (f"/personal/loften/{self.draft.slug}/andra/", {"period_start", "period_end"}),
            ("/lagesbild/bisk/", {"start", "end"}),
        ]:
            fields = self.day_fields(url)
            self.assertEqual({f.get("name") for f in fields}, names)
            for field in fields:
                self.assertEqual((field.get("type"), field.get("dir")), ("text", "ltr"))
                self.assertEqual(field.get("placeholder"), "ÅÅÅÅ-MM-DD")
        (start, _) = self.day_fields(f"/en/personal/loften/{self.draft.slug}/andra/")
        self.assertEqual((start.get("value"), start.get("placeholder")), ("2016-03-01", "YYYY-MM-DD"))
        self.assertEqual(self.client.get("/personal/").status_code, 200)
        self.assertFalse(b'type="date"' in self.client.get(f"/personal/loften/{self.draft.slug}/andra/").content)

    def test_it_reads_the_day_it_shows(self):
        self.client.force_login(self.owner)
        url = f"/personal/loften/{self.draft.slug}/andra/"
        form = {"title": "Ny titel", "problem": "Otrygghet", "period_start": "2016-04-01", "period_end": "2017-03-31"}
        self.assertEqual(self.client.post(url, form).status_code, 302)
        self.draft.refresh_from_db()
        self.assertEqual(str(self.draft.period_start), "2016-04-01")
        refused = self.client.post(url, form | {"period_start": "1/4/2016"})
        self.assertEqual(refused.status_code, 400)
        self.assertIn("period_start", refused.context["form"].errors)
