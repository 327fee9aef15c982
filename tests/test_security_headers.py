"""Every page carries a Content-Security-Policy that lets only this site's scripts run."""

from django.test import TestCase, override_settings

from lofte.core.middleware import csp_header


class SecurityHeaderTests(TestCase):
    def test_every_page_forbids_scripts_from_elsewhere_and_inline(self):
        for url in ("/", "/en/login/", "/api/v1/promises/"):
            policy = self.client.get(url)["Content-Security-Policy"]
            self.assertIn("script-src 'self'", policy, url)
            self.assertNotIn("unsafe-inline'", policy.split("style-src-attr")[0], url)
            self.assertIn("frame-ancestors 'none'", policy)

    def test_map_tiles_are_allowed_from_the_configured_server_only(self):
        self.assertIn("img-src 'self' data:;", csp_header("") + ";")
        header = csp_header("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
        self.assertIn("img-src 'self' data: https://*.tile.openstreetmap.org", header)

    @override_settings(SECURE_SSL_REDIRECT=True)
    def test_plain_http_is_redirected_to_https(self):
        response = self.client.get("/en/login/")
        self.assertEqual((response.status_code, response["Location"]), (301, "https://testserver/en/login/"))
