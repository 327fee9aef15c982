"""Settings come from the environment; without LOFTE_SECRET_KEY a key is made once and kept."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # child processes: not in `make test-fast`


def run_check(cwd=None, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOFTE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "lofte.cli", "check"], capture_output=True, text=True, env=env, timeout=120, cwd=cwd
    )


def test_without_a_secret_key_the_first_run_makes_one_and_keeps_it(tmp_path):
    assert run_check(cwd=tmp_path).returncode == 0
    kept = tmp_path / "var" / "secret_key"
    key = kept.read_text()
    assert len(key) >= 60 and oct(kept.stat().st_mode & 0o777) == "0o600"
    assert run_check(cwd=tmp_path).returncode == 0
    assert kept.read_text() == key


def test_it_says_so_when_it_cannot_keep_a_key(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    result = run_check(cwd=tmp_path, LOFTE_SECRET_KEY_FILE=str(blocked / "secret_key"))
    assert result.returncode != 0 and "cannot keep a secret key there" in result.stderr


def test_it_starts_with_a_secret_key():
    result = run_check(LOFTE_SECRET_KEY="x" * 50, LOFTE_ALLOWED_HOSTS="lofte.example.se")
    assert result.returncode == 0, result.stderr


def test_it_starts_in_debug_mode_without_a_secret_key(tmp_path):
    assert run_check(cwd=tmp_path, LOFTE_DEBUG="1").returncode == 0


PRODUCTION = {
    "LOFTE_SECRET_KEY": "k7#Qz9!pL2@vX8$wR4%tY6^uI0&oP3*aS5(dF1)gHj8Kl2Zx4Cv6Bn8Mq0We2Rt4Yu6",
    "LOFTE_ALLOWED_HOSTS": "lofte.example.se",
    "LOFTE_PUBLIC_URL": "https://lofte.example.se",  # printed on survey letters
    "LOFTE_EMAIL_URL": "smtp+tls://lofte%40example.se:hemligt@mail.example.se:587",  # invitations
}


def deploy_check(**env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOFTE_")} | env
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' setting, not a deployment's
    command = [sys.executable, "-m", "lofte.cli", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_it_is_served_over_https_with_secure_cookies_and_hsts_outside_debug():
    result = deploy_check(**PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_deploy_check_says_when_mail_would_only_be_printed():
    result = deploy_check(**PRODUCTION | {"LOFTE_EMAIL_URL": ""})
    assert result.returncode != 0
    assert "lofte.W002" in result.stdout + result.stderr


def test_https_can_be_turned_off_for_a_closed_network_and_the_deploy_check_says_so():
    result = deploy_check(**PRODUCTION, LOFTE_HTTPS="0")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


def test_the_cache_is_files_by_default_and_redis_when_a_url_says_so():
    from django.core.exceptions import ImproperlyConfigured

    from lofte.config.settings import cache_from_url

    files = cache_from_url("", folder="/srv/lofte/cache")
    assert (files["BACKEND"], files["LOCATION"]) == (
        "django.core.cache.backends.filebased.FileBasedCache",
        "/srv/lofte/cache",
    )
    for url in ("redis://cache.internal:6379/0", "rediss://:secret@cache.internal:6380/1", "unix:///run/redis.sock"):
        redis = cache_from_url(url, folder="/unused")
        assert (redis["BACKEND"], redis["LOCATION"]) == ("django.core.cache.backends.redis.RedisCache", url)
    with pytest.raises(ImproperlyConfigured, match="LOFTE_CACHE_URL: 'memcached'"):
        cache_from_url("memcached://cache.internal:11211", folder="/unused")


def test_the_system_checks_find_no_error():
    """Django's checks (models, admin, URLs) pass: the demo and the server refuse to start otherwise, and
    the test runner does not run them."""
    from django.core.management import call_command

    call_command("check", fail_level="ERROR")
