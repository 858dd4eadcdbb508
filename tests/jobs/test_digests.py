"""Digest dispatch against a real SMTP server on loopback: exactly once, nothing lost."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cli.main import main
from jobs.digests import dispatch_digests, write_due_digests
from tests import followup_factories as f
from tests.conftest import REPO_ROOT
from tests.jobs.conftest import SmtpServer, settings_for
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory
from tracker.models import Digest, DigestState
from tracker.services.outbox import CLAIM_TIMEOUT, claim

# 08:00 UTC on a Friday: a UTC officer's daily slot.
NOW = dt.datetime(2018, 6, 15, 8, 0, tzinfo=dt.UTC)
CLI = "from cli.main import main; main()"


def _seed(factory: sessionmaker[Session], n: int = 1, timezone: str = "UTC", **kw: object) -> list[str]:
    """`n` officers, each with one overdue commitment; their emails."""
    emails = []
    with factory() as session, session.begin():
        for _ in range(n):
            officer = f.officer(session, timezone=timezone, desk_name=None, **kw)  # type: ignore[arg-type]
            f.commitment(session, owner=officer, action="Send the draft", due_date=dt.date(2018, 6, 1))
            emails.append(officer.email)
    return emails


def _digests(factory: sessionmaker[Session]) -> list[Digest]:
    with factory() as session:
        return list(session.scalars(select(Digest).order_by(Digest.id)))


def test_dispatch_twice_sends_one_multipart_email(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    [email] = _seed(factory)
    settings = settings_for(fresh_database_url, smtp.port)

    first = dispatch_digests(factory, NOW, settings)
    assert (first.written, first.sent, first.retrying, first.failed) == (1, 1, 0, 0)
    again = dispatch_digests(factory, NOW + dt.timedelta(minutes=15), settings)
    assert (again.written, again.sent) == (0, 0)

    [message] = smtp.messages
    [digest] = _digests(factory)
    assert (digest.state, digest.attempts, digest.sent_at) == (DigestState.SENT, 1, NOW)
    assert digest.period == "daily:2018-06-15"
    assert message["Message-ID"].strip() == digest.message_id
    assert message["To"].addresses[0].addr_spec == email
    assert message["From"].addresses[0].addr_spec == "tracker@mofa.example"
    assert message["Subject"] == "Follow-up digest 2018-06-15: 1 overdue"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Send the draft" in text and "https://tracker.example.org/commitments/" in text
    assert '<a href="https://tracker.example.org/commitments/' in html


def test_nothing_to_report_sends_nothing(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    with factory() as session, session.begin():
        f.officer(session, desk_name="Quiet Desk")
    result = dispatch_digests(factory, NOW, settings_for(fresh_database_url, smtp.port))
    assert (result.written, result.sent) == (0, 0)
    assert smtp.messages == [] and _digests(factory) == []


def test_smtp_down_stays_pending_then_is_sent_once_with_the_same_message_id(
    factory: sessionmaker[Session], fresh_database_url: str, smtp_down: SmtpServer
) -> None:
    _seed(factory, 2)
    settings = settings_for(fresh_database_url, smtp_down.port)

    down = dispatch_digests(factory, NOW, settings)
    assert (down.written, down.sent, down.retrying, down.failed) == (2, 0, 1, 0)
    first, second = _digests(factory)
    assert (first.state, first.attempts, first.next_attempt_at) == (
        DigestState.PENDING,
        1,
        NOW + dt.timedelta(minutes=15),
    )
    assert "cannot connect" in (first.last_error or "")
    # The server is down: the second digest was not tried, and spent no attempt.
    assert (second.state, second.attempts) == (DigestState.PENDING, 0)
    message_ids = {d.id: d.message_id for d in (first, second)}

    smtp_down.start()
    # Before the backoff has passed, only the untried digest goes.
    early = dispatch_digests(factory, NOW + dt.timedelta(minutes=5), settings)
    assert (early.written, early.sent) == (0, 1)
    later = dispatch_digests(factory, NOW + dt.timedelta(minutes=15), settings)
    assert (later.written, later.sent) == (0, 1)
    assert dispatch_digests(factory, NOW + dt.timedelta(hours=1), settings).sent == 0

    rows = _digests(factory)
    assert [(d.state, d.attempts) for d in rows] == [(DigestState.SENT, 2), (DigestState.SENT, 1)]
    assert sorted(m["Message-ID"].strip() for m in smtp_down.messages) == sorted(message_ids.values())


def test_a_crash_between_writing_and_sending_is_recovered(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    _seed(factory, 2)
    settings = settings_for(fresh_database_url, smtp.port)
    # The process died after writing the outbox...
    assert write_due_digests(factory, NOW, settings) == 2
    # ... or after claiming one digest, before talking to the server.
    first, _ = _digests(factory)
    with factory() as session, session.begin():
        assert claim(session, first.id, NOW)

    result = dispatch_digests(factory, NOW + dt.timedelta(minutes=1), settings)
    assert (result.written, result.sent) == (0, 1)  # the claimed one is left alone for now
    result = dispatch_digests(factory, NOW + CLAIM_TIMEOUT, settings)
    assert result.sent == 1
    assert len(smtp.messages) == 2
    assert {m["Message-ID"].strip() for m in smtp.messages} == {d.message_id for d in _digests(factory)}


def test_refused_digests_are_retried_with_backoff_then_marked_failed(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    _seed(factory)
    settings = settings_for(fresh_database_url, smtp.port)
    smtp.refuse_recipients = True
    when = NOW
    for attempt, delay in ((1, 15), (2, 30)):
        result = dispatch_digests(factory, when, settings)
        assert (result.sent, result.retrying, result.failed) == (0, 1, 0)
        [digest] = _digests(factory)
        assert (digest.attempts, digest.next_attempt_at) == (attempt, when + dt.timedelta(minutes=delay))
        assert "550" in (digest.last_error or "")
        assert dispatch_digests(factory, when + dt.timedelta(minutes=delay - 1), settings).retrying == 0
        when += dt.timedelta(minutes=delay)
    result = dispatch_digests(factory, when, settings)
    assert (result.sent, result.retrying, result.failed) == (0, 0, 1)
    [digest] = _digests(factory)
    assert (digest.state, digest.attempts, digest.next_attempt_at) == (DigestState.FAILED, 3, None)
    # Given up on: later runs of the same day leave it (the next day's digest would supersede it).
    assert dispatch_digests(factory, when + dt.timedelta(hours=1), settings).failed == 0

    runner = CliRunner()
    env = _cli_env(settings)
    listed = runner.invoke(main, ["digests", "list", "--failed"], env=env, catch_exceptions=False)
    assert listed.exit_code == 0
    assert f"{digest.id:>6}  failed" in listed.output and "550" in listed.output
    retried = runner.invoke(main, ["digests", "retry", str(digest.id)], env=env, catch_exceptions=False)
    assert retried.exit_code == 0 and "pending" in retried.output
    assert "no failed digests" in runner.invoke(main, ["digests", "list", "--failed"], env=env).output

    smtp.refuse_recipients = False
    sent = runner.invoke(
        main, ["jobs", "run", "digests", "--now", (when + dt.timedelta(hours=1)).isoformat()], env=env
    )
    assert sent.exit_code == 0, sent.output
    assert "sent: 1" in sent.output
    assert [m["Message-ID"].strip() for m in smtp.messages] == [digest.message_id]


def test_two_dispatchers_at_once_send_one_email_per_officer(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    emails = _seed(factory, 6)
    settings = settings_for(fresh_database_url, smtp.port)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def dispatcher() -> None:
        engine = make_engine(fresh_database_url)
        try:
            barrier.wait()
            dispatch_digests(make_session_factory(engine), NOW, settings)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    received = smtp.by_recipient()
    assert sorted(received) == sorted(emails)
    assert all(len(messages) == 1 for messages in received.values())
    assert len(_digests(factory)) == 6


@pytest.mark.slow
def test_two_dispatcher_processes_at_once_send_one_email_per_officer(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    emails = _seed(factory, 4)
    env = {**os.environ, **_cli_env(settings_for(fresh_database_url, smtp.port))}
    command = [sys.executable, "-c", CLI, "jobs", "run", "digests", "--now", NOW.isoformat()]
    processes = [
        subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    received = smtp.by_recipient()
    assert sorted(received) == sorted(emails)
    assert all(len(messages) == 1 for messages in received.values())


def test_tokyo_and_washington_officers_each_get_theirs_at_their_own_0800(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    [tokyo] = _seed(factory, timezone="Asia/Tokyo")
    [washington] = _seed(factory, timezone="America/New_York")
    settings = settings_for(fresh_database_url, smtp.port)
    arrivals: dict[str, list[dt.datetime]] = {tokyo: [], washington: []}
    # 14:00 UTC on 14 June: 23:00 in Tokyo and 10:00 in Washington, both past their 08:00,
    # so the first run catches up on the 14th's digests; then the scheduler's cadence (every
    # 15 minutes) for two days.
    start = dt.datetime(2018, 6, 14, 14, 0, tzinfo=dt.UTC)
    now = start
    while now < start + dt.timedelta(days=2):
        seen = len(smtp.messages)
        dispatch_digests(factory, now, settings)
        for message in smtp.messages[seen:]:
            arrivals[message["To"].addresses[0].addr_spec].append(now)
        now += dt.timedelta(minutes=15)

    tz_tokyo, tz_washington = ZoneInfo("Asia/Tokyo"), ZoneInfo("America/New_York")
    assert [t.astimezone(tz_tokyo).isoformat() for t in arrivals[tokyo]] == [
        "2018-06-14T23:00:00+09:00",  # catching up on the 14th
        "2018-06-15T08:00:00+09:00",
        "2018-06-16T08:00:00+09:00",
    ]
    assert [t.astimezone(tz_washington).isoformat() for t in arrivals[washington]] == [
        "2018-06-14T10:00:00-04:00",  # catching up on the 14th
        "2018-06-15T08:00:00-04:00",
        "2018-06-16T08:00:00-04:00",
    ]
    with factory() as session:
        periods = sorted(session.scalars(select(Digest.period)))
    assert periods == sorted(["daily:2018-06-14", "daily:2018-06-15", "daily:2018-06-16"] * 2)


def _cli_env(settings: Settings) -> dict[str, str]:
    return {
        "TRACKER_DATABASE_URL": settings.database_url,
        "TRACKER_SMTP_HOST": settings.smtp_host,
        "TRACKER_SMTP_PORT": str(settings.smtp_port),
        "TRACKER_MAIL_FROM": settings.mail_from,
        "TRACKER_BASE_URL": settings.base_url,
        "TRACKER_DIGEST_MAX_ATTEMPTS": str(settings.digest_max_attempts),
    }
