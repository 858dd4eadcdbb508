"""The scheduler killed with SIGKILL in the middle of digest dispatch, then restarted, twice:
every digest is delivered, and once per Message-ID.

A real SMTP server on loopback holds each message for a moment before answering 250, and the
process is killed while it waits: the worst moment, when the server has the message but the
dispatcher has not yet marked it sent. That digest stays claimed until its claim expires
(tracker.services.outbox.CLAIM_TIMEOUT), then is sent again with the same Message-ID — the documented
caveat, which mail systems collapse. So the assertion is: every digest row ends up sent, the
server received every digest's Message-ID, and the only repeats are the ones in flight at a kill.

The first run is the real `tracker scheduler` process (its own clock); the restarts are
`tracker jobs run digests --now T` processes, T being when a restarted scheduler would next run
once the dead one's lease and claim have expired — the second of them is killed too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from tests import followup_factories as f
from tests.conftest import REPO_ROOT
from tests.jobs.conftest import SmtpServer, free_port
from tracker.db import make_engine, make_session_factory
from tracker.models import Digest, DigestState
from tracker.services.outbox import CLAIM_TIMEOUT

OFFICERS = 10
HOLD_S = 0.4  # how long the server holds each message before its 250
CLI = "from cli.main import main; main()"


class SlowSmtpServer(SmtpServer):
    """Keeps each message, then waits before accepting it; tells the test how many it has."""

    def __init__(self, port: int) -> None:
        super().__init__(port)
        self.received = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        with self.received:
            self.received.notify_all()
        await asyncio.sleep(HOLD_S)
        return answer

    def wait_for(self, count: int, timeout: float = 120) -> None:
        with self.received:
            assert self.received.wait_for(lambda: len(self.messages) >= count, timeout=timeout), (
                f"only {len(self.messages)} of {count} messages arrived"
            )


@pytest.fixture
def slow_smtp() -> Iterator[SlowSmtpServer]:
    server = SlowSmtpServer(free_port())
    server.start()
    yield server
    server.stop()


def _env(url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "TRACKER_DATABASE_URL": url,
        "TRACKER_SMTP_HOST": "127.0.0.1",
        "TRACKER_SMTP_PORT": str(port),
        "TRACKER_MAIL_FROM": "tracker@mofa.example",
        "TRACKER_BASE_URL": "https://tracker.example.org",
        "PYTHONPATH": str(REPO_ROOT),
    }


def _kill_after(process: subprocess.Popen[bytes], smtp: SlowSmtpServer, count: int) -> None:
    smtp.wait_for(count)
    # The count-th message is being held: the process waits for its 250 and dies waiting.
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def _digests(url: str) -> list[Digest]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return list(session.scalars(select(Digest).order_by(Digest.id)))
    finally:
        engine.dispose()


def _zone_at_local_noon(now: dt.datetime) -> str:
    """A fixed-offset IANA zone in which `now` falls around midday (Etc/GMT signs are inverted)."""
    offset = 12 - now.hour  # hours east of UTC that put local time near 12:00
    offset = max(-12, min(14, offset))
    if offset == 0:
        return "Etc/GMT"
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def test_the_chosen_zone_keeps_the_test_inside_one_local_day() -> None:
    from zoneinfo import ZoneInfo

    for hour in range(24):
        now = dt.datetime(2026, 11, 26, hour, 59, tzinfo=dt.UTC)
        local = now.astimezone(ZoneInfo(_zone_at_local_noon(now)))
        end = (now + dt.timedelta(hours=2)).astimezone(ZoneInfo(_zone_at_local_noon(now)))
        assert local.date() == end.date() and 10 <= local.hour <= 14, (hour, local)


@pytest.mark.slow
def test_killed_twice_mid_dispatch_every_digest_arrives_once_per_message_id(
    fresh_database_url: str, slow_smtp: SlowSmtpServer
) -> None:
    engine = make_engine(fresh_database_url)
    zone = _zone_at_local_noon(dt.datetime.now(dt.UTC))
    with make_session_factory(engine).begin() as session:
        for _ in range(OFFICERS):
            # Hour 0 in a zone where it is now about noon: their daily slot has come, and the
            # test's clock (real, then up to ~45 minutes ahead) stays inside that local day.
            officer = f.officer(session, hour=0, desk_name=None, timezone=zone)
            f.commitment(session, owner=officer, action="Send the draft", due_date=dt.date(2001, 1, 1))
    engine.dispose()
    env = _env(fresh_database_url, slow_smtp.port)
    started = dt.datetime.now(dt.UTC)

    # 1. The real scheduler: it writes the outbox and starts sending; killed at the third message.
    scheduler = subprocess.Popen(
        [sys.executable, "-c", CLI, "scheduler"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _kill_after(scheduler, slow_smtp, 3)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
            scheduler.wait()
    after_first = _digests(fresh_database_url)
    assert len(after_first) == OFFICERS, "the outbox was written before any sending"
    assert sum(d.state == DigestState.SENT for d in after_first) < OFFICERS

    # 2. Restarted when the dead process's claim has expired; killed again mid-dispatch.
    first_restart = started + CLAIM_TIMEOUT + dt.timedelta(minutes=1)
    command = [sys.executable, "-c", CLI, "jobs", "run", "digests", "--now"]
    rerun = subprocess.Popen(
        [*command, first_restart.isoformat()],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _kill_after(rerun, slow_smtp, len(slow_smtp.messages) + 3)
    finally:
        if rerun.poll() is None:
            rerun.kill()
            rerun.wait()

    # 3. Restarted again: it finishes. 4. A later run finds nothing left to send.
    second_restart = first_restart + CLAIM_TIMEOUT + dt.timedelta(minutes=1)
    for when in (second_restart, second_restart + dt.timedelta(minutes=30)):
        done = subprocess.run(
            [*command, when.isoformat()], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
    assert "sent: 0" in done.stdout, "the last run had nothing left to send"

    digests = _digests(fresh_database_url)
    assert all(d.state == DigestState.SENT for d in digests), [(d.id, d.state) for d in digests]
    received = Counter(m["Message-ID"].strip() for m in slow_smtp.messages)
    assert set(received) == {d.message_id for d in digests}, "every digest arrived, nothing else did"
    repeats = {mid: n for mid, n in received.items() if n > 1}
    # Only a digest in flight at a kill may arrive twice (same Message-ID), and no more than twice.
    assert len(repeats) <= 2 and all(n == 2 for n in repeats.values()), repeats
    # The rows of those say so: a second attempt.
    assert {d.message_id for d in digests if d.attempts > 1} >= set(repeats)
    assert len(slow_smtp.messages) == len(digests) + len(repeats)
