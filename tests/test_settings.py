"""Settings come from the environment; a missing secret key outside debug mode is an error."""

import os
import subprocess
import sys


def run_check(**env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOFTE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "lofte.cli", "check"], capture_output=True, text=True, env=env, timeout=120
    )


def test_it_refuses_to_start_without_a_secret_key_outside_debug():
    result = run_check()
    assert result.returncode != 0
    assert "LOFTE_SECRET_KEY" in result.stderr


def test_it_starts_with_a_secret_key():
    result = run_check(LOFTE_SECRET_KEY="x" * 50, LOFTE_ALLOWED_HOSTS="lofte.example.se")
    assert result.returncode == 0, result.stderr


def test_it_starts_in_debug_mode_without_a_secret_key():
    assert run_check(LOFTE_DEBUG="1").returncode == 0


PRODUCTION = {
    "LOFTE_SECRET_KEY": "k7#Qz9!pL2@vX8$wR4%tY6^uI0&oP3*aS5(dF1)gHj8Kl2Zx4Cv6Bn8Mq0We2Rt4Yu6",
    "LOFTE_ALLOWED_HOSTS": "lofte.example.se",
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


def test_https_can_be_turned_off_for_a_closed_network_and_the_deploy_check_says_so():
    result = deploy_check(**PRODUCTION, LOFTE_HTTPS="0")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr
