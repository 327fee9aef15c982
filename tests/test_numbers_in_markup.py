"""Numbers meant for machines (SVG coordinates and sizes, CSS widths, data attributes) are written
the same in every language: a Swedish decimal comma in them draws a tangle. Every page of the demo
with a chart or a bar is rendered in Swedish and English and its machine numbers parsed."""

import re

from django.contrib.auth import get_user_model
from django.core.cache import cache

from lofte.demo import scenario

from .demo_copy import DemoTestCase

NUMBER = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"
ATTRIBUTES = re.compile(r'\s(x|y|x1|x2|y1|y2|cx|cy|r|width|height|stroke-width|data-gini|data-value)="([^"]*)"')


def machine_numbers(page):
    """Every number in markup meant for machines, as floats; AssertionError naming the first that is
    not written as a plain decimal number."""
    found = []
    for points in re.findall(r'\spoints="([^"]*)"', page):
        for pair in points.split():
            x, y = pair.split(",")  # "0,95,84,19" would not split in two
            found += [float(x), float(y)]
    for box in re.findall(r'\sviewBox="([^"]*)"', page):
        found += [float(v) for v in box.split()]
    for name, value in ATTRIBUTES.findall(page):
        value = value.removesuffix("pt").removesuffix("%").removesuffix("px")
        assert re.fullmatch(NUMBER, value), f'{name}="{value}"'
        found.append(float(value))
    for width in re.findall(r'style="width: ([^"%;]*)%', page):
        assert re.fullmatch(NUMBER, width), f"width: {width}%"
        found.append(float(width))
    for path in re.findall(r'\sd="([^"]*)"', page):
        for token in path.split():
            assert re.fullmatch(r"[MLCZzQHVAmlchvaq]|" + NUMBER, token), f"path token {token!r}"
    return found


class NumbersInMarkupTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()  # the demo, copied in (cls.promise)
        cls.analyst = get_user_model().objects.get(username="analytiker")
        cls.owner = get_user_model().objects.get(username="kommunpolis")

    def setUp(self):
        cache.clear()

    def pages(self, path, user=None):
        if user:
            self.client.force_login(user)
        return {
            language: self.client.get(prefix + path).content.decode()
            for language, prefix in (("sv", ""), ("en", "/en"))
        }

    def test_every_page_with_a_chart_writes_plain_numbers_in_both_languages(self):
        slug, area = scenario.SLUG, self.promise.area.code
        for path, user in (
            (f"/loften/{slug}/", None),
            (f"/loften/{slug}/rapport/", None),
            (f"/loften/{slug}/dosering/", self.owner),
            (f"/lagesbild/{area}/?start=2016-03-01&end=2017-02-28", self.analyst),
        ):
            for language, page in self.pages(path, user).items():
                with self.subTest(path=path, language=language):
                    self.assertTrue(machine_numbers(page) or "<svg" not in page)

    def test_the_concentration_curve_is_the_same_line_in_swedish_and_english(self):
        pages = self.pages(f"/lagesbild/{self.promise.area.code}/?start=2016-03-01&end=2017-02-28", self.analyst)
        lines = {
            language: re.search(r'<polyline [^>]*points="([^"]+)"', page).group(1) for language, page in pages.items()
        }
        self.assertEqual(lines["sv"], lines["en"])
        self.assertGreater(len(lines["sv"].split()), 10)
