"""An organisation's administrator invites a colleague by e-mail, through a real SMTP server; the
colleague sets a password from a signed, single-use link and logs in. Forgotten passwords the same way."""

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.test import override_settings

from lofte.accounts.models import Membership, Role
from lofte.config.email import email_settings

from .base import BaseTestCase, member


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


class InvitationTests(BaseTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inbox = Inbox()
        with socket.socket() as probe:  # a free port (aiosmtpd checks the one it is given, so not 0)
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        cls.smtp = Controller(cls.inbox, hostname="127.0.0.1", port=port)
        cls.smtp.start()
        cls.settings = override_settings(
            **email_settings(f"smtp://127.0.0.1:{port}"),
            LOFTE_PUBLIC_URL="https://lofte.example.se",
        )
        cls.settings.enable()

    @classmethod
    def tearDownClass(cls):
        cls.settings.disable()
        cls.smtp.stop()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.administrator = member("admin-kommun", cls.municipality, Role.ADMIN)

    def setUp(self):
        self.inbox.messages.clear()

    def link(self, message):
        body = message.get_content()
        (found,) = re.findall(r"https://lofte\.example\.se(/\S+)", body)
        return found

    def test_a_colleague_invited_by_email_sets_a_password_and_logs_in(self):
        self.client.force_login(self.administrator)
        answer = self.client.post(
            f"/en/personal/organisation/{self.municipality.pk}/inbjudan/",
            {"email": "Sara.Ek@Goteborg.se", "name": "Sara Ek", "role": Role.ANALYST},
        )
        self.assertEqual(answer.status_code, 302)
        (message,) = self.inbox.messages
        self.assertEqual(message["To"], "sara.ek@goteborg.se")
        self.assertIn("SDF Västra Hisingen", message["Subject"])
        sara = get_user_model().objects.get(email="sara.ek@goteborg.se")
        self.assertFalse(sara.has_usable_password())
        memberships = Membership.objects.filter(user=sara, organisation=self.municipality)
        self.assertEqual([m.role for m in memberships], [Role.ANALYST])
        self.client.logout()
        form = self.client.get(self.link(message), follow=True)  # Django swaps the token for a session
        self.assertContains(form, 'name="new_password1"')
        password = {"new_password1": "Trygghet-på-torget-2026", "new_password2": "Trygghet-på-torget-2026"}
        self.assertRedirects(self.client.post(form.redirect_chain[-1][0], password), "/en/konto/losenord/klart/")
        self.assertTrue(self.client.login(username="sara.ek@goteborg.se", password="Trygghet-på-torget-2026"))
        self.client.logout()
        used = self.client.get(self.link(message), follow=True)  # once used, the link is void
        self.assertContains(used, "This link does not work")
        self.assertNotContains(used, 'name="new_password1"')

    def test_only_administrators_invite_and_nothing_is_left_of_a_refused_invitation(self):
        self.client.force_login(self.coordinator)  # an owner, not an administrator
        url = f"/en/personal/organisation/{self.municipality.pk}/inbjudan/"
        self.assertEqual(self.client.post(url, {"email": "x@example.se", "role": Role.OWNER}).status_code, 404)
        self.client.force_login(self.administrator)
        bad = self.client.post(url, {"email": "inte en adress", "role": Role.OWNER}, follow=True)
        self.assertContains(bad, "Not an e-mail address")
        case_worker = self.client.post(url, {"email": "y@example.se", "role": Role.CASE_WORKER}, follow=True)
        self.assertContains(case_worker, "You cannot give this role")
        self.assertFalse(get_user_model().objects.filter(email__in=["x@example.se", "y@example.se"]).exists())
        self.assertEqual(self.inbox.messages, [])

    def test_a_forgotten_password_is_reset_by_a_link_on_the_public_address(self):
        self.owner.email = "owner@polisen.se"
        self.owner.save()
        answer = self.client.post("/en/konto/losenord/", {"email": "owner@polisen.se"}, HTTP_HOST="evil.example")
        self.assertEqual(answer.status_code, 400)  # a Host header not allowed is refused outright
        self.client.post("/en/konto/losenord/", {"email": "owner@polisen.se"})
        (message,) = self.inbox.messages
        self.assertIn("/en/konto/losenord/", self.link(message))  # on LOFTE_PUBLIC_URL, never the request's host
        self.client.post("/en/konto/losenord/", {"email": "nobody@example.se"})
        self.assertEqual(len(self.inbox.messages), 1)  # the same page either way, and no mail


@pytest.mark.parametrize(
    "url, expected",
    [
        ("", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("smtp+tls://lofte%40goteborg.se:hemligt@mail.goteborg.se",
         {"EMAIL_HOST": "mail.goteborg.se", "EMAIL_PORT": 587, "EMAIL_HOST_USER": "lofte@goteborg.se",
          "EMAIL_HOST_PASSWORD": "hemligt", "EMAIL_USE_TLS": True}),
        ("smtps://mail.example.se", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
    ],
)  # fmt: skip
def test_the_email_url_gives_djangos_settings(url, expected):
    assert expected.items() <= email_settings(url).items()


def test_an_email_url_that_cannot_work_is_named():
    for url, words in [("http://mail.example.se", "unknown scheme"), ("smtp://", "no host")]:
        with pytest.raises(ValueError, match=words):
            email_settings(url)
