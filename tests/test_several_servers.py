"""Two app servers on one PostgreSQL and one Redis, as a region runs them (docs/deploy.md): each in a
folder of its own, as on machines of their own. What is done through one is seen through the other at
once: a login, an update for residents on the public page; what one computes, the other finds in the
shared cache."""

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from datetime import date
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from lofte.accounts.models import ApiToken

from .base import BaseTestCase

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
SECRET = "several-servers-test-secret-key-0123456789-abcdefghij"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered on port {port} within {seconds} s")


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("LOFTE_REQUIRE_POSTGRES"):
            pytest.fail("redis-server is missing (apt-get install redis-server); CI must run this test")
        pytest.skip("no redis-server on this machine (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=30)


def database_url():
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    )


@pytest.fixture
def servers(tmp_path, redis_url):
    """Two `lofte serve` processes on the test database, each in its own folder (its own var/)."""
    if connection.vendor != "postgresql":
        pytest.skip("several app servers share a PostgreSQL; the PostgreSQL leg of the suite runs this")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOFTE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env |= {
        "LOFTE_DATABASE_URL": database_url(),
        "LOFTE_CACHE_URL": redis_url,
        "LOFTE_SECRET_KEY": SECRET,
        "LOFTE_FIELD_KEY": "",
        "LOFTE_HTTPS": "0",
        "LOFTE_ALLOWED_HOSTS": "127.0.0.1",
    }
    started = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        port = free_port()
        command = [sys.executable, "-m", "lofte.cli", "serve", "--port", str(port), "--threads", "2"]
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started.append((process, port, folder))
    try:
        for _, port, _ in started:
            wait_for(port)
        yield [Server(port) for _, port, _ in started], redis_url, [folder for _, _, folder in started]
    finally:
        for process, _, _ in started:
            process.terminate()
            process.wait(timeout=30)


class Server:
    def __init__(self, port):
        self.port = port

    def request(self, method, path, *, body=None, headers=None, cookies=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(headers or {})
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        conn.request(method, path, body=body, headers=headers)
        answer = conn.getresponse()
        content = answer.read().decode()
        jar = SimpleCookie()
        for value in answer.headers.get_all("Set-Cookie") or []:
            jar.load(value)
        conn.close()
        return answer.status, content, {k: v.value for k, v in jar.items()}, answer


class TwoServerData(BaseTestCase):
    """The personas and the published promise of the other tests, committed for the servers to read."""


def test_what_one_server_does_the_other_shows_at_once(servers):
    (a, b), redis_url, folders = servers
    TwoServerData.setUpTestData()
    data = TwoServerData
    owner = data.owner
    # Hashed as the servers hash (the suite's own settings use a fast hasher they do not know).
    owner.password = PBKDF2PasswordHasher().encode("a long password for two servers", "two-servers-salt", 1000)
    owner.save()
    token = ApiToken.issue(owner, "integration")[1]

    # A login on one server is a login on the other (sessions live in the database).
    status, page, cookies, _ = a.request("GET", "/en/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urlencode({"username": "owner", "password": "a long password for two servers", "csrfmiddlewaretoken": csrf})
    status, _page, session, _ = a.request(
        "POST",
        "/en/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{a.port}/en/login/",
        },
        cookies=cookies,
    )
    assert status == 302 and "sessionid" in session, re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", _page))[-1500:]
    status, dashboard, _, _ = b.request("GET", "/en/personal/", cookies=session)
    assert status == 200 and "owner" in dashboard

    # The public page as a visitor sees it, through server b (and so kept in the shared cache) ...
    promise = data.promise
    status, before, _, _ = b.request("GET", f"/en/loften/{promise.slug}/")
    assert status == 200
    assert "Two servers, one promise" not in before
    # ... an update written through server a ...
    body = json.dumps(
        {"published_on": date.today().isoformat(), "text": "Två servrar", "text_en": "Two servers, one promise"}
    )
    status, _, _, _ = a.request(
        "POST",
        f"/api/v1/commitments/{data.patrol_commitment.pk}/updates/",
        body=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert status == 201
    # ... is on the public page of server b at once, and of server a.
    for server in (b, a):
        status, after, _, _ = server.request("GET", f"/en/loften/{promise.slug}/")
        assert status == 200 and "Two servers, one promise" in after

    # What the servers computed is in Redis, and not in files of either server's own.
    import redis

    kept = redis.Redis.from_url(redis_url).keys("lofte:*promise-page:*")
    assert kept, "the public page was not kept in the shared cache"
    for folder in folders:
        own = folder / "var" / "cache"
        assert not own.exists() or not any(own.iterdir()), f"{own} holds cached files"
