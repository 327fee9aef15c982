"""Django settings, read from environment variables (see README: Configuration)."""

import base64
import os
import secrets
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from lofte.config.email import email_settings

# Django's forms, admin classes and fields take type parameters for mypy (ModelForm[Promise]); this
# lets the same subscripts run.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("LOFTE_DEBUG")


def secret_key_from_file(
    path: Path, *, make: Callable[[], str] = lambda: secrets.token_urlsafe(50), setting: str = "LOFTE_SECRET_KEY"
) -> str:
    """The key kept in `path`, made by `make` (random, readable by this user only) on the first run.

    Several processes may start at once (app servers, parallel test workers): the key is written whole
    to a file of its own and linked into place, so each reads the one key that got there first."""
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")  # mode 0600
            try:
                with os.fdopen(descriptor, "w") as handle:
                    handle.write(make())
                os.link(draft, path)  # fails if another process linked its key first: that one is kept
            except FileExistsError:
                pass
            finally:
                os.unlink(draft)
        return path.read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{path}: cannot keep a secret key there ({exc.strerror}); set {setting} or {setting}_FILE"
        ) from exc


# Set LOFTE_SECRET_KEY (the same on every app server); without it, a key is made on the first run and
# kept in var/secret_key beside the default database (LOFTE_SECRET_KEY_FILE to put it elsewhere).
SECRET_KEY = os.environ.get("LOFTE_SECRET_KEY") or secret_key_from_file(
    Path(os.environ.get("LOFTE_SECRET_KEY_FILE") or Path.cwd() / "var" / "secret_key")
)

ALLOWED_HOSTS = env_list("LOFTE_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("LOFTE_CSRF_TRUSTED_ORIGINS", [])

# The working directory is where `var/` lives by default, as the README describes.
DEFAULT_DATABASE_URL = "sqlite:///" + str(Path.cwd() / "var" / "lofte.sqlite3")
DATABASE_URL = os.environ.get("LOFTE_DATABASE_URL", DEFAULT_DATABASE_URL)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets the dashboard read while an import writes. 16 KiB pages (set when the file is
    # created, ignored after) make bulk loads, index builds and table scans ~25 % faster than 4 KiB.
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    # One writer at a time: a transaction takes the write lock when it begins (so two writers never
    # deadlock half-way), and a writer waits this long for another before the request answers 503.
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", int(os.environ.get("LOFTE_SQLITE_TIMEOUT", "30")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # Only for its templates and static files: the API docs page then loads Swagger UI from Löfte's
    # own static files, not a CDN (it works offline and under the pages' content security policy).
    "ninja",
    "lofte.core",
    "lofte.accounts",
    "lofte.places",
    "lofte.activities",
    "lofte.promises",
    "lofte.incidents",
    "lofte.cases",
    "lofte.surveys",
    "lofte.dialogues",
    "lofte.observations",
    "lofte.plans",
    "lofte.api",
    "lofte.demo",
]

MIDDLEWARE = [
    "lofte.core.requestlog.request_log",
    "lofte.core.middleware.body_size_limit",
    "lofte.core.middleware.refuse_nul_characters",
    "django.middleware.security.SecurityMiddleware",
    "lofte.core.middleware.DatabaseBusyMiddleware",
    "lofte.core.middleware.content_security_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lofte.api.middleware.api_language",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Password guessing (django-axes): after LOFTE_LOGIN_FAILURES wrong passwords for one account from one
# address, that pair is refused for LOFTE_LOGIN_COOLOFF_MINUTES, the right password included.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOFTE_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOFTE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy: the header it writes the client's address into (lofte/core/client.py).
LOFTE_CLIENT_IP_HEADER = os.environ.get("LOFTE_CLIENT_IP_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "lofte.core.client.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

ROOT_URLCONF = "lofte.config.urls"
WSGI_APPLICATION = "lofte.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lofte.config.navigation.navigation",
                "lofte.core.context_processors.map_tiles",
                "lofte.core.context_processors.languages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "promise-list"

# Computed results (survey estimates, situation pictures) are kept in files that every app-server
# process on this machine shares; their keys name the data they were computed from. Several
# machines: point LOFTE_CACHE_DIR at shared storage, or configure a shared cache such as Redis.


def cache_from_url(url: str, *, folder: str) -> dict[str, Any]:
    """Django's cache settings for ``LOFTE_CACHE_URL``: empty for files in ``folder`` (the processes of
    one server share them); ``redis://``, ``rediss://`` or ``unix://`` for Django's own Redis cache,
    which several app servers share (job progress, the limiter, computed figures once for all)."""
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": folder,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    scheme = url.partition("://")[0].lower()
    if scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "lofte"}
    raise ImproperlyConfigured(
        f"LOFTE_CACHE_URL: {scheme or url!r} is not a cache Löfte knows; use redis://HOST:6379/0, rediss://…, "
        "unix:///path/to/redis.sock, or leave it empty for files in LOFTE_CACHE_DIR"
    )


CACHES = {
    "default": cache_from_url(
        os.environ.get("LOFTE_CACHE_URL", "").strip(),
        folder=os.environ.get("LOFTE_CACHE_DIR") or str(Path.cwd() / "var" / "cache"),
    )
}

# Uploaded files (incident files waiting for the import worker); never served to the web.
MEDIA_ROOT = os.environ.get("LOFTE_UPLOAD_DIR") or str(Path.cwd() / "var" / "uploads")
LOFTE_IMPORT_MAX_MB = int(os.environ.get("LOFTE_IMPORT_MAX_MB", "500"))
# Every other request body: larger ones are answered 413 unread; JSON and form fields up to it are read.
LOFTE_MAX_BODY_MB = int(os.environ.get("LOFTE_MAX_BODY_MB", "10"))
DATA_UPLOAD_MAX_MEMORY_SIZE = LOFTE_MAX_BODY_MB * 1_000_000
# Caps on an area's outline: the uploaded file's size (the form's whole body is capped at
# LOFTE_MAX_BODY_MB first, so a larger cap here would never be reached), and the vertices of any stored
# outline (every page that draws the area sends them all; the police's vulnerable-area outlines have
# at most 250).
LOFTE_MAX_OUTLINE_BYTES = int(os.environ.get("LOFTE_MAX_OUTLINE_MB", str(LOFTE_MAX_BODY_MB))) * 1_000_000
LOFTE_MAX_OUTLINE_VERTICES = int(os.environ.get("LOFTE_MAX_OUTLINE_VERTICES", "50000"))

# Swedish first; English under /en/.
LANGUAGE_CODE = "sv"
# Swedish first (at the root), English under /en/; the residents' pages and the questionnaire also in
# the languages of the areas' information meetings: Arabic and Persian (right to left) and Somali.
LANGUAGES = [("sv", "Svenska"), ("en", "English"), ("ar", "العربية"), ("so", "Soomaali"), ("fa", "فارسی")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# Days are typed as 2016-03-01 on every page (lofte.core.widgets.DayInput), and only so: Django's own
# Swedish and English formats also read 1/4/2016, as the 4th of January.
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
FORMAT_MODULE_PATH = ["lofte.config.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

STATIC_URL = "static/"
# Only production needs collected files (`lofte collectstatic` into LOFTE_STATIC_ROOT).
STATIC_ROOT = os.environ.get("LOFTE_STATIC_ROOT") or None
# Serving straight from the app folders needs no collectstatic step for the demo.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
# Outside debug mode Löfte is served over HTTPS: plain HTTP is redirected, cookies are Secure and
# browsers are told to come back only over HTTPS (HSTS). LOFTE_HTTPS=0 turns all three off, for a
# server on a closed network; behind a proxy that ends TLS set LOFTE_PROXY_SSL_HEADER (below).
HTTPS = env_bool("LOFTE_HTTPS", default=not DEBUG) or env_bool("LOFTE_SECURE_COOKIES")
SECURE_SSL_REDIRECT = HTTPS and env_bool("LOFTE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("LOFTE_HSTS_SECONDS", "31536000")) if HTTPS else 0
# Subdomains and the browsers' preload list are the domain owner's choice (a municipality's other
# services may live under the same domain): off unless asked for.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("LOFTE_HSTS_SUBDOMAINS")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005", "security.W021"]
# e.g. "HTTP_X_FORWARDED_PROTO": the header a reverse proxy sets to "https" (only if it always sets it).
if os.environ.get("LOFTE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["LOFTE_PROXY_SSL_HEADER"], "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# A patrol visit started on the phone and never ended is closed after this many minutes.
LOFTE_MAX_VISIT_MINUTES = int(os.environ.get("LOFTE_MAX_VISIT_MINUTES", "60"))
# A visit shorter than this many minutes (a mis-tap, a drive past) does not count towards a promise's
# patrol targets; it is still stored and shown on the dosage page.
LOFTE_MIN_VISIT_MINUTES = float(os.environ.get("LOFTE_MIN_VISIT_MINUTES", "1"))
# Key of the keyed hash that lets case workers recognise a person without storing who it is.
LOFTE_CASE_KEY = os.environ.get("LOFTE_CASE_KEY", "")
# Keys that encrypt case notes at rest (Fernet; lofte.core.encrypted), kept outside the database so that
# a copy of it (a backup) holds only ciphertext. Comma-separated: the first encrypts, all decrypt (key
# rotation, docs/deploy.md). Without LOFTE_FIELD_KEY a key is made on the first run and kept in
# var/field_key (LOFTE_FIELD_KEY_FILE to put it elsewhere): keep it with care, apart from the backups.
LOFTE_FIELD_KEYS = [key.strip() for key in os.environ.get("LOFTE_FIELD_KEY", "").split(",") if key.strip()] or [
    key.strip()
    for key in secret_key_from_file(
        Path(os.environ.get("LOFTE_FIELD_KEY_FILE") or Path.cwd() / "var" / "field_key"),
        make=lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        setting="LOFTE_FIELD_KEY",
    ).split()
]
# Public tables suppress counts below this (DESIGN.md section 7).
LOFTE_SMALL_COUNT_THRESHOLD = int(os.environ.get("LOFTE_SMALL_COUNT_THRESHOLD", "5"))
# A resident's e-mail address on a report is kept for feedback only, and deleted this many days after
# the report (`lofte purge-resident-contacts`).
LOFTE_RESIDENT_CONTACT_DAYS = int(os.environ.get("LOFTE_RESIDENT_CONTACT_DAYS", "90"))
# Survey estimates from fewer answers than this are not published (too uncertain, and disclosive).
LOFTE_SURVEY_MIN_ANSWERS = int(os.environ.get("LOFTE_SURVEY_MIN_ANSWERS", "30"))
# The finest grid one situation page draws: a 50 m grid over a whole city took 96 s and gigabytes.
LOFTE_MAX_GRID_CELLS = int(os.environ.get("LOFTE_MAX_GRID_CELLS", "40000"))
# Opinion exercises: at most this many new voters (votes without a voter cookie) and votes from one
# address to one exercise an hour. Generous, since a whole estate may share one address.
LOFTE_OPINION_VOTERS_PER_HOUR = int(os.environ.get("LOFTE_OPINION_VOTERS_PER_HOUR", "20"))
LOFTE_OPINION_VOTES_PER_HOUR = int(os.environ.get("LOFTE_OPINION_VOTES_PER_HOUR", "600"))
# Metric CRS for distances, grids and place radii (SWEREF 99 TM for Sweden).
LOFTE_METRIC_CRS = os.environ.get("LOFTE_METRIC_CRS", "EPSG:3006")
# Map tiles; empty means a plain outline map.
LOFTE_TILES_URL = os.environ.get("LOFTE_TILES_URL", "")
# Shown on every map with tiles, as the tile server's terms ask (OpenStreetMap's: "© OpenStreetMap contributors").
LOFTE_TILES_ATTRIBUTION = os.environ.get("LOFTE_TILES_ATTRIBUTION", "")
# Where residents reach this site; printed on survey letters.
LOFTE_PUBLIC_URL = os.environ.get("LOFTE_PUBLIC_URL", "http://localhost:8000")
# Where `lofte fetch-polisen` keeps every response and event of the polisen.se feed.
LOFTE_POLISEN_ARCHIVE = os.environ.get("LOFTE_POLISEN_ARCHIVE") or str(Path.cwd() / "var" / "polisen")
# Invitations and password resets (lofte.config.email): SMTP in production, printed to the console by default.
LOFTE_EMAIL_URL = os.environ.get("LOFTE_EMAIL_URL", "")
globals().update(email_settings(LOFTE_EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("LOFTE_EMAIL_FROM", "Löfte <noreply@localhost>")
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # seconds: an invitation's or a reset's link works for three days
# Where residents report a problem with the site (accessibility, personal data): shown on those pages.
LOFTE_CONTACT_EMAIL = os.environ.get("LOFTE_CONTACT_EMAIL", "")

LOG_LEVEL = os.environ.get("LOFTE_LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Everything reaches the one console handler once, through the root: Django's default
        # handlers for "django" (a second console in debug mode, mail to admins) are replaced.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # 4xx answers are in lofte.request's line; Django logs them again as warnings, 403s with a
        # traceback. Server errors (500) keep theirs.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
        "lofte.request": {"level": os.environ.get("LOFTE_REQUEST_LOG_LEVEL", "INFO")},
        # WeasyPrint warns of every SVG style property it does not draw (matplotlib's charts have many):
        # noise for whoever reads the log. Its errors still show.
        "weasyprint": {"level": "ERROR"},
    },
}
