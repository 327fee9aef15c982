"""An organisation's public profile: contact and logo set by its administrators and shown on its
promises; the logo is re-encoded, and what is not a picture is refused by name."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lofte.accounts.models import Organisation, Role

from .base import BaseTestCase, member


def picture(fmt="PNG", size=(1200, 600)):
    out = io.BytesIO()
    Image.new("RGB", size, (161, 38, 43)).save(out, format=fmt)
    return SimpleUploadedFile(f"logo.{fmt.lower()}", out.getvalue(), content_type=f"image/{fmt.lower()}")


class OrganisationProfileTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin = member("org-admin", cls.police, Role.ADMIN)

    def post(self, user, **form):
        self.client.force_login(user)
        fields = {"website": "", "contact_email": "", "contact_phone": ""} | form
        return self.client.post(f"/personal/organisation/{self.police.pk}/profil/", fields, follow=True)

    def test_it_stores_the_contact_and_a_small_png_logo_shown_on_the_promise(self):
        answer = self.post(self.admin, website="https://polisen.se", contact_email="hisingen@polisen.se",
                           contact_phone="114 14", logo=picture("JPEG"))  # fmt: skip
        self.assertContains(answer, "Sparat.")
        police = Organisation.objects.get(pk=self.police.pk)
        stored = Image.open(io.BytesIO(bytes(police.logo)))
        self.assertEqual((stored.format, stored.size), ("PNG", (400, 200)))  # re-encoded, fitted in 400 x 200
        self.client.logout()
        page = self.client.get(f"/loften/{self.promise.slug}/")
        self.assertContains(page, "Vem ger löftet")
        self.assertContains(page, 'href="mailto:hisingen@polisen.se"')
        self.assertContains(page, 'href="tel:11414"')
        self.assertContains(page, f"/organisationer/{self.police.pk}/logotyp.png")
        logo = self.client.get(f"/organisationer/{self.police.pk}/logotyp.png")
        self.assertEqual((logo.status_code, logo["Content-Type"]), (200, "image/png"))
        self.assertEqual(self.client.get(f"/organisationer/{self.municipality.pk}/logotyp.png").status_code, 404)

    def test_it_refuses_what_is_not_a_picture_and_keeps_the_old_profile(self):
        self.post(self.admin, contact_email="a@polisen.se")
        svg = SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>", content_type="image/svg+xml")
        for form, message in (
            ({"logo": svg}, "inte en bild som går att läsa"),
            ({"logo": picture("GIF")}, "PNG, JPEG eller WebP"),
            ({"contact_email": "inte-en-adress"}, "Inte en giltig adress"),
            ({"website": "javascript:alert(1)"}, "Inte en giltig adress"),
        ):
            self.assertContains(self.post(self.admin, **({"contact_email": "b@polisen.se"} | form)), message)
            self.assertEqual(Organisation.objects.get(pk=self.police.pk).contact_email, "a@polisen.se")

    def test_only_its_administrators_change_it(self):
        for user in (self.officer, self.owner):  # owners of promises are not administrators of the police
            self.assertEqual(self.post(user, contact_email="x@example.se").status_code, 404)
        self.assertEqual(Organisation.objects.get(pk=self.police.pk).contact_email, "")

    def test_a_promise_without_weapons_does_not_tell_the_public_it_seized_none(self):
        page = self.client.get(f"/en/loften/{self.promise.slug}/").content.decode()
        self.assertIn('data-figure="visits"', page)  # the patrol commitment covers visits
        self.assertNotIn('data-figure="weapons"', page)
        self.assertNotIn('data-figure="narcotics"', page)
        self.assertIn("data-last-updated", page)
