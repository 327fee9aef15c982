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
