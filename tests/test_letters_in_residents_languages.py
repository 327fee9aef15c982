"""Invitation letters in Arabic, Persian and Somali (lofte.surveys.letters_shaped): shaped by Pango and
HarfBuzz in Noto's Arabic faces, tagged with the document's language, and their text extracts in
reading order; the page and the command offer them to those who run the survey, nobody else."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from lofte.surveys import codes, letters_shaped
from lofte.surveys.letters import LetterError

from .survey_base import SurveyTestCase

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (.ci/run installs it)")


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_info(path):
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def pdf_fonts(path):
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


class LettersTests(SurveyTestCase):
    anonymous = False

    def setUp(self):
        import tempfile
        from pathlib import Path

        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.invitations = list(self.wave.invitations.order_by("number")[:3])

    def write(self, language, kind="invite"):
        path = self.tmp / f"{language}.pdf"
        letters_shaped.write(path, self.wave, self.invitations, language=language, kind=kind)
        return path

    def test_it_writes_an_arabic_letter_whose_text_extracts_in_reading_order(self):
        path = self.write("ar")
        text = pdf_text(path)
        self.assertIn("ما مدى شعورك بالأمان في منطقتك؟", text)  # logical order, joined letters unshaped back
        self.assertIn("اذهب إلى", text)
        code = codes.code_for(self.wave.code_salt, self.invitations[0].number)
        self.assertIn(code, text)
        self.assertIn("Pages:           3", pdf_info(path))
        self.assertIn("Tagged:          yes", pdf_info(path))
        self.assertIn("Noto-Naskh-Arabic", pdf_fonts(path))  # an Arabic face, not boxes

    def test_it_sets_the_documents_language(self):
        from pypdf import PdfReader

        for language in ("ar", "fa", "so"):
            self.assertEqual(PdfReader(self.write(language)).trailer["/Root"]["/Lang"], language)

    def test_it_writes_persian_and_somali_letters(self):
        # The zero-width non-joiners between a word and its suffix draw nothing, so they extract as nothing.
        self.assertIn("در محله‌ی خود چقدر احساس امنیت می‌کنید؟".replace("\u200c", ""), pdf_text(self.write("fa")))
        somali = pdf_text(self.write("so", kind="remind"))
        self.assertIn("Xusuusin", somali)
        self.assertIn("/so/enkat/", somali)

    def test_it_refuses_a_language_it_has_no_letter_in(self):
        with self.assertRaises(LetterError):
            self.write("de")

    def test_the_page_offers_the_letters_to_owners_and_logs_them(self):
        self.client.force_login(self.owner)
        url = reverse("survey-letters", args=[self.survey.slug, self.wave.pk])
        page = self.client.get(reverse("survey", args=[self.survey.slug])).content.decode()
        self.assertIn(f"{url}?language=ar", page)
        with self.assertLogs("lofte.audit", level="INFO") as logged:
            response = self.client.get(url + "?language=fa")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertIn(f"{self.survey.slug}-{self.wave.pk}-invite-fa.pdf", response["Content-Disposition"])
        self.assertIn("language=fa", "".join(logged.output))
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(url + "?language=fa").status_code, 404)

    def test_the_command_writes_them_too(self):
        from django.core.management import call_command

        out = self.tmp / "letters.pdf"
        call_command("survey-letters", self.survey.slug, self.wave.label, "--out", str(out), "--language", "ar")
        self.assertIn("ما مدى شعورك", pdf_text(out))
