"""The public frame: pages about the site (defaults, and the administrators' own words), Swedish
and English error pages, a skip link and the admin link for superusers only."""

from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings
from django.utils import translation
from django.views.defaults import server_error

from lofte.core.models import SitePage

from .base import BaseTestCase


class SitePageTests(BaseTestCase):
    def test_it_shows_the_default_pages_in_both_languages(self):
        for path, words in (
            ("/tillganglighet/", ["Tillgänglighetsredogörelse", "(WCAG) 2.1", "DIGG", "Kända brister"]),
            ("/en/tillganglighet/", ["Accessibility statement", "Known gaps", "digg.se"]),
            ("/personuppgifter/", ["Personuppgifter", "Integritetsskyddsmyndigheten", "30"]),
            ("/en/personuppgifter/", ["Personal data", "imy.se"]),
            ("/om-medborgarloften/", ["Vad är ett medborgarlöfte?", "ingen mätbar förändring"]),
            ("/en/om-medborgarloften/", ["What is a citizen promise?", "no measurable change"]),
        ):
            page = self.client.get(path)
            for word in words:
                self.assertContains(page, word, msg_prefix=path)

    @override_settings(LOFTE_CONTACT_EMAIL="tillganglighet@example.se")
    def test_it_names_the_contact_when_one_is_set(self):
        self.assertContains(self.client.get("/tillganglighet/"), 'href="mailto:tillganglighet@example.se"')

    def test_the_administrators_text_replaces_the_default_escaped(self):
        SitePage.objects.create(key="accessibility", body="## Vår redogörelse\n\nVi <b>testar</b> allt.", body_en="")
        page = self.client.get("/en/tillganglighet/")  # no English text: the Swedish
        self.assertContains(page, "<h2>Vår redogörelse</h2>", html=True)
        self.assertContains(page, "Vi &lt;b&gt;testar&lt;/b&gt; allt.")
        self.assertNotContains(page, "Known gaps")

    def test_the_administrators_text_is_marked_swedish_until_translated_in_the_admin(self):
        page = SitePage.objects.create(key="privacy", body="Vi sparar inga namn.")
        self.assertContains(
            self.client.get("/so/personuppgifter/"), '<div lang="sv" dir="ltr"><p>Vi sparar inga namn.</p>'
        )
        admin = get_user_model().objects.create_superuser("root", "root@example.se", "x" * 20)
        self.client.force_login(admin)
        url = f"/admin/core/sitepage/{page.pk}/change/"
        prefix = "core-translation-content_type-object_id"
        form = {"key": "privacy", "body": "Vi sparar inga namn.", "body_en": "", f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-0-language": "so",
                f"{prefix}-0-text": "Magacyo ma kaydinno.", f"{prefix}-0-status": "accepted"}  # fmt: skip
        self.assertEqual(self.client.post(url, form).status_code, 302)
        self.client.logout()
        shown = self.client.get("/so/personuppgifter/")
        self.assertContains(shown, "Magacyo ma kaydinno.")
        self.assertNotContains(shown, "Vi sparar inga namn.")

    def test_every_page_has_a_skip_link_and_the_footer_links(self):
        page = self.client.get("/")
        self.assertContains(page, '<a class="skip" href="#main">Hoppa till innehållet</a>', html=True)
        self.assertContains(page, 'id="main"')
        for path in ("/om-medborgarloften/", "/tillganglighet/", "/personuppgifter/"):
            self.assertContains(page, f'href="{path}"')

    def test_the_admin_link_is_for_superusers_only(self):
        self.client.force_login(self.owner)  # staff, not superuser
        self.assertNotContains(self.client.get("/personal/"), 'href="/admin/"')
        admin = get_user_model().objects.create_superuser("root", "root@example.se", "x" * 20)
        self.client.force_login(admin)
        self.assertContains(self.client.get("/personal/"), 'href="/admin/"')


class ErrorPageTests(BaseTestCase):
    def test_not_found_is_in_the_page_language(self):
        sv = self.client.get("/finns-inte/")
        self.assertEqual(sv.status_code, 404)
        self.assertContains(sv, "Sidan finns inte", status_code=404)
        en = self.client.get("/en/no-such-page/")
        self.assertContains(en, "Page not found", status_code=404)
        self.assertContains(en, '<html lang="en" dir="ltr">', status_code=404)

    def test_not_allowed_is_in_swedish_and_says_what_to_do(self):
        self.client.force_login(self.officer)  # analysts import, officers do not
        page = self.client.get("/personal/import/")
        self.assertContains(page, "Inte tillåtet", status_code=403)

    def test_the_server_error_page_needs_no_request_context(self):
        with translation.override("sv"):
            answer = server_error(RequestFactory().get("/"))
        self.assertEqual(answer.status_code, 500)
        self.assertIn("Något gick fel", answer.content.decode())
