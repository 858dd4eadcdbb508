"""The layout for more than one machine (issue 20), run for real on loopback: two web servers
(gunicorn with two workers, and a second server beside it, as a second host would run) against
one database, with the login rate limits kept in Redis (127.0.0.1:6379).

What must hold across them: a session made on one server is valid on any other, and failed logins
counted anywhere count everywhere (with the default `memory://` store each process would count
its own, so a guesser spreading attempts over the workers would get several times the limit).
Two schedulers against one database, one of them active through the lease, are proven by
tests/reliability/test_scheduler_kill.py and tests/jobs/test_lease.py.
"""

from __future__ import annotations

import http.cookiejar
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import Backend
from tests.factories import PASSWORD, make_officer
from tests.jobs.conftest import free_port
from tests.world import csrf_token
from tracker.db import make_engine, make_session_factory
from web.auth import LOGIN_LIMIT_PER_ADDRESS

REPO_ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
# The per-address limit per minute ("30 per minute; ..."): what both servers together allow.
PER_MINUTE = int(LOGIN_LIMIT_PER_ADDRESS.split()[0])

pytestmark = pytest.mark.slow


def _wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}: {process.stderr.read()!r}")  # type: ignore[union-attr]
        try:
            urllib.request.urlopen(url + "/login", timeout=10).close()
            return
        except OSError:  # refused while starting, or too slow to answer yet
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


@pytest.fixture
def two_servers(backend: Backend, fresh_database_url: str) -> Iterator[tuple[str, str, str]]:
    """Two servers on one database and one Redis; yields their URLs and an officer's email."""
    if backend.name != "postgresql":
        pytest.skip("several hosts share a PostgreSQL server; SQLite is one machine's database")
    client = redis.Redis.from_url(REDIS_URL)
    # Counts left by an earlier run in this minute would make the first attempts look limited.
    for key in client.scan_iter(match="LIMITS*login*"):
        client.delete(key)
    engine = make_engine(fresh_database_url)
    with make_session_factory(engine).begin() as session:
        email = make_officer(session, email="scale@example.org", role="officer").email
    engine.dispose()
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": fresh_database_url,
        "TRACKER_SECRET_KEY": "one key for every server of the ministry",
        "TRACKER_RATELIMIT_STORAGE_URI": REDIS_URL,
    }
    ports = (free_port(), free_port())
    commands = (
        [sys.executable, "-m", "cli", "serve", "--port", str(ports[0]), "--workers", "2", "--threads", "4"],
        [sys.executable, "-m", "cli", "serve", "--port", str(ports[1]), "--threads", "4"],
    )
    processes = [
        subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for command in commands
    ]
    try:
        urls = tuple(f"http://127.0.0.1:{port}" for port in ports)
        for url, process in zip(urls, processes, strict=True):
            _wait_until_up(url, process)
        yield urls[0], urls[1], email
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()


class Browser:
    """A cookie jar and the HTTP calls a browser would make, over urllib."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url: str) -> tuple[int, str, str]:
        with self.opener.open(url, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode("utf-8")

    def log_in(self, base: str, email: str, password: str) -> int:
        _, _, form = self.get(base + "/login")
        body = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": csrf_token(form)})
        try:
            with self.opener.open(base + "/login", data=body.encode(), timeout=30) as response:
                return 302 if not response.geturl().endswith("/login") else response.status
        except urllib.error.HTTPError as error:
            return error.code


def test_sessions_and_login_limits_hold_across_servers_and_workers(two_servers: tuple[str, str, str]) -> None:
    # One test for both promises: starting the servers is most of its time.
    first, second, email = two_servers
    _a_session_made_on_one_server_is_valid_on_the_others(first, second, email)
    _failed_logins_count_across_servers_and_workers(first, second)


def _a_session_made_on_one_server_is_valid_on_the_others(first: str, second: str, email: str) -> None:
    browser = Browser()
    assert browser.log_in(first, email, PASSWORD) == 302
    # The gunicorn server's two workers, and the other server, all know the session.
    for base in (first, first, first, first, second, second):
        status, where, page = browser.get(base + "/")
        assert status == 200 and not where.endswith("/login"), f"{base} asked to log in again"
        assert "Log out" in page or "logout" in page


def _failed_logins_count_across_servers_and_workers(first: str, second: str) -> None:
    browsers = {first: Browser(), second: Browser()}
    answers = []
    # A guesser trying a different account each time (so that only the per-address limit counts),
    # spreading the attempts over both servers and, on the first, its two workers.
    for attempt in range(PER_MINUTE + 1):
        base = first if attempt % 2 == 0 else second
        answers.append(browsers[base].log_in(base, f"guess{attempt}@example.org", "wrong password"))
    assert 429 not in answers[:PER_MINUTE], answers
    assert answers[PER_MINUTE] == 429, f"attempt {PER_MINUTE + 1} was let through: {answers}"
