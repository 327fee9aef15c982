"""Every public page of the demo in Arabic, Somali and Persian says everything in the page's language,
or marks what it says in another: a text node outside an element with a `lang` of its own is in the
page's language. A Swedish text shown for want of a translation sits inside lang="sv".

What counts as "not the page's language": in Arabic and Persian any word in Latin letters (a Swedish
or English leak) but for a short list of names and symbols; in Somali (written in Latin letters) any
word of the Swedish catalogue and the demo's Swedish texts that no Somali text uses."""

import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.test import Client

from lofte.core.models import Translation
from lofte.demo import scenario
from lofte.dialogues.models import OpinionExercise
from lofte.surveys.models import Survey

from .demo_copy import DemoTestCase

pytestmark = pytest.mark.sqlite_only  # markup is the same on every database

LANGUAGES = ("ar", "so", "fa")
LOCALE = settings.LOCALE_PATHS[0]
# Names, acronyms and symbols a page in any language may hold as they are: the product, file formats,
# the methods' and standards' names (WCAG AA, axe-core, Getis-Ord Gi*, WDD), authorities' acronyms and
# web addresses (DIGG, digg.se, imy.se).
ALLOWED = {
    "löfte", "pdf", "csv", "geojson", "zip", "a4", "gi", "getis", "ord", "wdd", "wdq", "wcag", "aa", "axe", "core",
    "ip", "digg", "imy", "se", "https", "http", "www", "km", "kg", "sek",
}  # fmt: skip
WORD = re.compile(r"[^\W\d_]{2,}")
LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED = {"script", "style", "title", "textarea", "metadata"}


class TextsByLanguage(HTMLParser):
    """(language, text) of every text node of a page, the language being the nearest `lang`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[tuple[str, str]] = []
        self.broken: list[str] = []  # attributes holding markup: a marked text put where only text goes

    def handle_starttag(self, tag, attrs):
        self.broken += [f"{tag} {name}={value!r}" for name, value in attrs if value and "<span" in value]
        if tag in VOID:
            return
        lang = dict(attrs).get("lang")  # "" is a language of its own: unknown (a resident's words)
        inherited = next((lang for _tag, lang in reversed(self.stack) if lang is not None), None)
        self.stack.append((tag, lang if lang is not None else inherited))

    def handle_endtag(self, tag):
        while self.stack:
            top, _lang = self.stack.pop()
            if top == tag:
                break

    def handle_data(self, data):
        if not data.strip() or any(tag in SKIPPED for tag, _lang in self.stack):
            return
        lang = next((lang for _tag, lang in reversed(self.stack) if lang is not None), None)
        self.found.append((lang if lang is not None else "", data.strip()))


def _words_of(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    texts = [e.msgstr for e in po] + [s for e in po for s in e.msgstr_plural.values()]
    return {w.lower() for text in texts for w in WORD.findall(text)}


def foreign_words(language, text, *, swedish_only=frozenset()):
    """The words of `text` that are not in `language`."""
    words = [w for w in WORD.findall(text) if w.lower() not in ALLOWED]
    if language in ("ar", "fa"):
        return [w for w in words if LATIN.search(w)]
    return [w for w in words if w.lower() in swedish_only]


class LanguageMarkupTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        somali = _words_of("so") | {
            w.lower() for t in Translation.objects.filter(language="so") for w in WORD.findall(t.text)
        }
        cls.swedish_only = frozenset(_words_of("sv") - somali)
        # The survey waves' labels untranslated: a Swedish fallback then also lands in attributes.
        Translation.objects.filter(content_type__model="wave").delete()

    def pages(self):
        slug, area = scenario.SLUG, self.promise.area.code
        survey = Survey.objects.filter(waves__isnull=False).first()
        opinion = OpinionExercise.objects.first()
        return [
            "/", f"/loften/{slug}/", f"/loften/{slug}/historik/", f"/loften/{slug}/rapport/",
            f"/omraden/{area}/", f"/omraden/{area}/tyck-till/", f"/omraden/{area}/rapportera/",
            f"/omraden/{area}/rapporter/", f"/asikter/{opinion.pk}/", f"/asikter/{opinion.pk}/grupper/",
            "/enkat/", f"/enkater/{survey.pk}/resultat/", "/om-medborgarloften/", "/tillganglighet/",
            "/personuppgifter/", "/finns-inte/",
        ]  # fmt: skip

    def test_it_marks_every_text_not_in_the_pages_language(self):
        client = Client(HTTP_HOST="localhost")
        problems = []
        for language in LANGUAGES:
            for path in self.pages():
                response = client.get(f"/{language}{path}")
                self.assertIn(response.status_code, (200, 404), path)
                parser = TextsByLanguage()
                parser.feed(response.content.decode())
                self.assertIn(f'<html lang="{language}"', response.content.decode())
                problems += [f"/{language}{path}: markup in an attribute: {broken}" for broken in parser.broken]
                for lang, text in parser.found:
                    if lang != language:
                        continue  # marked as another language
                    foreign = foreign_words(language, text, swedish_only=self.swedish_only)
                    if foreign:
                        problems.append(f"/{language}{path}: {text[:80]!r} ({', '.join(foreign[:4])})")
        unique = list(dict.fromkeys(problems))
        self.assertEqual(unique, [], f"{len(unique)} texts outside their language's markup:\n" + "\n".join(unique[:80]))

    def test_it_finds_an_unmarked_swedish_text(self):
        parser = TextsByLanguage()
        parser.feed('<html lang="so"><p>Booliska <span lang="sv">besök per dag</span></p><p>minst 2 besök</p></html>')
        self.assertEqual([lang for lang, _text in parser.found], ["so", "sv", "so"])  # the span is Swedish
        self.assertEqual(foreign_words("so", parser.found[0][1], swedish_only=self.swedish_only), [])
        self.assertEqual(foreign_words("so", parser.found[2][1], swedish_only=self.swedish_only), ["minst", "besök"])
        self.assertEqual(foreign_words("ar", "الهدف: minst 2"), ["minst"])


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils (.ci/run installs it)")
class ReportPdfTests(DemoTestCase):
    def test_the_report_pdf_is_tagged_in_each_language_with_its_language_set(self):
        from pypdf import PdfReader

        from lofte.promises.report import render_report

        headings = {
            "ar": "كيف وفينا بوعدنا",
            "so": "Sida aan u oofinnay ballanqaadkeenna",
            "fa": "چگونه به تعهدمان عمل کردیم",
        }
        for language, heading in headings.items():
            with tempfile.NamedTemporaryFile(suffix=".pdf") as out:
                out.write(render_report(self.promise, language=language, fmt="pdf"))
                out.flush()
                info = subprocess.run(["pdfinfo", out.name], capture_output=True, text=True, check=True).stdout
                text = subprocess.run(["pdftotext", out.name, "-"], capture_output=True, text=True, check=True).stdout
                self.assertIn("Tagged:          yes", info, language)
                self.assertEqual(PdfReader(out.name).trailer["/Root"]["/Lang"], language)
                self.assertIn(heading, text.replace("\u200c", ""))
