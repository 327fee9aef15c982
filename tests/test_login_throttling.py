"""Password guessing: five wrong passwords for one account from one address lock that pair out for a
quarter of an hour, the right password included; other accounts and addresses are not affected."""

from django.contrib.auth.models import User
from django.test import TestCase, override_settings


@override_settings(AXES_ENABLED=True)
class LoginThrottlingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        User.objects.create_user("kommunpolis", password="right-password")
        User.objects.create_user("samordnare", password="right-password")

    def log_in(self, username, password, address="192.0.2.1"):
        return self.client.post("/en/login/", {"username": username, "password": password}, REMOTE_ADDR=address)

    def test_it_refuses_the_right_password_after_five_wrong_ones(self):
        for _ in range(4):
            self.assertEqual(self.log_in("kommunpolis", "guess").status_code, 200)  # the form again
        self.assertEqual(self.log_in("kommunpolis", "guess").status_code, 429)  # the fifth locks out
        locked = self.log_in("kommunpolis", "right-password")
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, "Too many attempts", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_locks_out_only_that_account_from_that_address(self):
        for _ in range(5):
            self.log_in("kommunpolis", "guess")
        self.assertEqual(self.log_in("samordnare", "right-password").status_code, 302)
        self.client.logout()
        self.assertEqual(self.log_in("kommunpolis", "right-password", address="198.51.100.7").status_code, 302)

    def test_a_success_clears_the_count(self):
        for _ in range(4):
            self.log_in("kommunpolis", "guess")
        self.assertEqual(self.log_in("kommunpolis", "right-password").status_code, 302)
        self.client.logout()
        for _ in range(4):
            self.log_in("kommunpolis", "guess")
        self.assertEqual(self.log_in("kommunpolis", "right-password").status_code, 302)


@override_settings(AXES_ENABLED=True, LOFTE_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR")
class BehindAProxyTests(TestCase):
    """Every request comes from the proxy (127.0.0.1); the proxy names the client in X-Forwarded-For."""

    @classmethod
    def setUpTestData(cls):
        User.objects.create_user("kommunpolis", password="right-password")

    def log_in(self, password, client):
        data = {"username": "kommunpolis", "password": password}
        return self.client.post("/en/login/", data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=client)

    def test_a_guesser_behind_the_proxy_locks_out_only_their_own_address(self):
        for _ in range(5):
            self.log_in("guess", "203.0.113.9")
        self.assertEqual(self.log_in("right-password", "203.0.113.9").status_code, 429)
        self.assertEqual(self.log_in("right-password", "198.51.100.7").status_code, 302)

    def test_it_takes_the_address_the_proxy_added(self):
        for _ in range(5):
            self.log_in("guess", "10.9.9.9, 203.0.113.9")  # the client wrote the first one itself
        self.assertEqual(self.log_in("right-password", "203.0.113.9").status_code, 429)
