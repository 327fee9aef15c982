"""Texts users write, in the residents' languages: shown in the page's language where translated, in
Swedish marked as Swedish where not, outdated when the Swedish changes, translated side by side by the
promise's owners only, and out to a translator and back as a PO file."""

import polib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lofte.core import translations
from lofte.core.models import Translation
from lofte.core.problems import InputProblem
from lofte.core.translations import SwedishFallback, localized
from lofte.promises import translations as promise_texts
from tests.base import BaseTestCase

PAGE = "/ar/loften/published-promise/"


def _text(promise, language, key, user):
    return next(t for t in promise_texts.texts(promise, language, user) if t.key == key)


class TranslationTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Translation.objects.all().delete()  # the starting categories' drafts (a migration's): none to begin with

    def translate(self, obj, field, language, text, *, accept=False):
        item = next(t for t in translations.texts([(obj, field, "x")], language))
        translations.save(self.owner, item, language, text, accept=accept)


class ShownTests(TranslationTestCase):
    def test_it_shows_the_translation_on_the_page_in_its_language(self):
        self.translate(self.promise, "title", "ar", "وعد تجريبي")
        page = self.client.get(PAGE).content.decode()
        self.assertIn("<h1>وعد تجريبي</h1>", page)
        self.assertNotIn(f"<h1>{self.promise.title}", page)

    def test_it_marks_a_swedish_fallback_as_swedish_with_a_note(self):
        page = self.client.get(PAGE).content.decode()
        self.assertIn('<span lang="sv" dir="ltr">Otrygghet på torgen</span> <small class="only-sv">', page)
        self.assertIn("<title>Löfte published-promise – Löfte</title>", page)  # the title holds text only

    def test_it_marks_a_place_name_as_swedish_without_a_note(self):
        with self.settings(LANGUAGE_CODE="sv"):
            from django.utils import translation

            with translation.override("so"):
                name = localized(self.area, "name")
        self.assertIsInstance(name, SwedishFallback)
        self.assertEqual(name.__html__(), '<span lang="sv" dir="ltr">Biskopsgården</span>')

    def test_it_stops_showing_a_translation_once_the_swedish_text_changes(self):
        self.translate(self.promise, "problem", "ar", "نص تجريبي للمشكلة", accept=True)
        self.assertIn("نص تجريبي للمشكلة", self.client.get(PAGE).content.decode())
        self.promise.problem = "Skottlossningar på torgen"
        self.promise.save()
        page = self.client.get(PAGE).content.decode()
        self.assertNotIn("نص تجريبي للمشكلة", page)
        self.assertIn('<span lang="sv" dir="ltr">Skottlossningar på torgen</span>', page)
        self.assertEqual(
            _text(self.promise, "ar", f"promises.promise:{self.promise.pk}:problem", self.owner).state, "outdated"
        )

    def test_it_forgets_the_translations_of_a_deleted_text(self):
        self.translate(self.patrol_commitment, "unit", "fa", "بازدید در روز")
        self.patrol_commitment.delete()
        self.assertFalse(Translation.objects.filter(field="unit").exists())

    def test_it_translates_only_into_the_residents_languages(self):
        item = translations.texts([(self.promise, "title", "x")], "ar")[0]
        with self.assertRaises(InputProblem):
            translations.save(self.owner, item, "de", "Versprechen", accept=False)


class PageTests(TranslationTestCase):
    def url(self, language="ar"):
        return reverse("promise-translate", args=[self.promise.slug, language])

    def test_it_lets_an_owner_translate_side_by_side_and_accept(self):
        self.client.force_login(self.owner)
        key = f"promises.commitment:{self.patrol_commitment.pk}:text"
        page = self.client.get(self.url()).content.decode()
        self.assertIn(f'name="t:{key}" lang="ar" dir="rtl"', page)
        response = self.client.post(self.url(), {f"t:{key}": "دوريات", f"accept:{key}": "1"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(_text(self.promise, "ar", key, self.owner).state, "accepted")
        overview = self.client.get(reverse("promise-translations", args=[self.promise.slug])).content.decode()
        self.assertIn("data-accepted>1</td>", overview)

    def test_it_refuses_a_translation_longer_than_the_field_and_keeps_the_others(self):
        self.client.force_login(self.owner)
        unit = f"promises.commitment:{self.patrol_commitment.pk}:unit"
        title = f"promises.promise:{self.promise.pk}:title"
        english = f"/en/personal/loften/{self.promise.slug}/oversattningar/ar/"
        page = self.client.post(english, {f"t:{unit}": "x" * 51, f"t:{title}": "وعد"}, follow=True)
        self.assertContains(page, "at most 50 characters")
        self.assertEqual(list(Translation.objects.values_list("field", flat=True)), ["title"])

    def test_it_refuses_an_officer_and_another_organisation(self):
        for user in (self.officer, self.outsider):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url()).status_code, 404)
            self.client.post(self.url(), {f"t:promises.promise:{self.promise.pk}:title": "x"})
        self.assertFalse(Translation.objects.exists())

    def test_it_answers_404_for_a_language_texts_are_not_translated_into(self):
        self.client.force_login(self.owner)
        self.assertEqual(self.client.get(self.url("de")).status_code, 404)

    def test_it_ignores_a_posted_text_of_another_promise(self):
        self.client.force_login(self.owner)
        self.client.post(self.url(), {f"t:promises.promise:{self.draft.pk}:title": "x"})
        self.assertFalse(Translation.objects.exists())


class FileTests(TranslationTestCase):
    def export(self, language="so"):
        self.client.force_login(self.owner)
        response = self.client.get(f"/en/personal/loften/{self.promise.slug}/oversattningar/{language}.po")
        self.assertEqual(response.status_code, 200)
        return polib.pofile(response.content.decode())

    def upload(self, content, language="so", name="so.po"):
        url = f"/en/personal/loften/{self.promise.slug}/oversattningar/{language}/las-in/"
        file = SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)
        return self.client.post(url, {"file": file}, follow=True)

    def test_it_exports_every_text_and_reads_a_translators_file_back(self):
        self.translate(self.promise, "title", "so", "Ballanqaad", accept=False)
        po = self.export()
        by_key = {entry.msgctxt: entry for entry in po}
        title = by_key[f"promises.promise:{self.promise.pk}:title"]
        self.assertEqual((title.msgid, title.msgstr, title.flags), (self.promise.title, "Ballanqaad", ["fuzzy"]))
        self.assertIn(f"places.area:{self.area.pk}:name", by_key)
        title.flags.remove("fuzzy")  # the translator accepts the draft
        by_key[f"promises.commitment:{self.patrol_commitment.pk}:unit"].msgstr = "booqasho maalintii"
        self.upload(str(po))
        self.assertEqual(_text(self.promise, "so", title.msgctxt, self.owner).state, "accepted")
        unit = _text(self.promise, "so", f"promises.commitment:{self.patrol_commitment.pk}:unit", self.owner)
        self.assertEqual((unit.state, unit.translation.text), ("accepted", "booqasho maalintii"))

    def test_it_refuses_a_file_naming_a_text_of_another_promise_and_stores_nothing(self):
        po = self.export()
        po[0].msgstr = "Ballanqaad"
        po.append(polib.POEntry(msgctxt=f"promises.promise:{self.draft.pk}:title", msgid=self.draft.title, msgstr="x"))
        page = self.upload(str(po)).content.decode()
        self.assertIn("names no text of this list", page)
        self.assertIn("so.po, line", page)
        self.assertFalse(Translation.objects.exists())

    def test_it_refuses_a_file_naming_another_organisations_area(self):
        po = self.export()
        po.append(polib.POEntry(msgctxt=f"places.area:{self.other_area.pk}:name", msgid="Hjällbo", msgstr="x"))
        self.assertIn("names no text of this list", self.upload(str(po)).content.decode())
        self.assertFalse(Translation.objects.exists())

    def test_it_lists_shared_texts_only_for_those_who_may_change_them(self):
        from lofte.accounts.models import Role
        from tests.base import member

        viewer = member("area-less-owner", self.other_police, Role.OWNER)
        self.promise.parties.add(self.other_police)  # a party whose organisation does not hold the area
        keys = {t.key.split(":")[0] for t in promise_texts.texts(self.promise, "ar", viewer)}
        self.assertIn("promises.promise", keys)
        self.assertNotIn("places.area", keys)
        self.assertNotIn("places.place", keys)
        self.assertIn("places.area", {t.key.split(":")[0] for t in promise_texts.texts(self.promise, "ar", self.owner)})

    def test_it_refuses_a_file_made_before_the_swedish_text_changed(self):
        po = self.export()
        po[0].msgstr = "Ballanqaad"
        self.promise.title = "Nytt namn"
        self.promise.save()
        page = self.upload(str(po)).content.decode()
        self.assertIn("has changed since the file was made", page)
        self.assertFalse(Translation.objects.exists())

    def test_it_refuses_a_file_in_another_language(self):
        po = self.export("ar")
        po[0].msgstr = "x"
        page = self.upload(str(po), language="so").content.decode()
        self.assertIn("not so", page)
        self.assertFalse(Translation.objects.exists())

    def test_it_never_reads_a_server_file_named_in_an_upload(self):
        self.client.force_login(self.owner)
        page = self.upload("/etc/passwd").content.decode()
        self.assertIn("is not a PO file", page)
        page = self.upload(b"\xff\xfe not utf-8\n").content.decode()
        self.assertIn("is not a PO file", page)


class PrefetchTests(TranslationTestCase):
    def test_it_prefetches_a_lists_translations_in_one_query(self):
        self.translate(self.patrol_commitment, "text", "fa", "گشت")
        commitments = list(self.promise.commitments.all())
        with self.assertNumQueries(1):
            translations.prefetch(commitments, "fa")
            self.assertEqual(translations.translated(commitments[0], "text", "fa"), "گشت")


class ProgressTests(TranslationTestCase):
    def test_it_says_how_far_each_language_has_come(self):
        from io import StringIO

        from django.core.management import call_command

        self.translate(self.promise, "title", "so", "Ballanqaad")
        self.translate(self.promise, "problem", "so", "Dhibaato", accept=True)
        found = translations.progress("so")
        self.assertEqual((found.texts, found.text_drafts), (2, 1))
        self.assertGreater(found.translated, 400)
        self.assertLessEqual(found.drafts, found.translated)
        out = StringIO()
        call_command("translation-status", stdout=out)
        self.assertIn("so: ", out.getvalue())
        self.assertIn("2 users' texts translated, 1 of them drafts", out.getvalue())
