"""Settings for the test suite: the real settings with a test-only secret key."""

import os

os.environ.setdefault("LOFTE_SECRET_KEY", "tests-only-not-a-secret")

from lofte.config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Live-server threads must close their connections, or the test database cannot be dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Password-guessing protection is tested on its own (tests/test_login_throttling.py); elsewhere the
# tests log in and out many times from one address.
AXES_ENABLED = False

# The test client and the live server speak plain HTTP; production's HTTPS settings are tested by
# running `lofte check --deploy` in tests/test_settings.py.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# Each test run starts with an empty cache of its own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Uploads of a test run go to a folder of its own.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="lofte-test-uploads-")
