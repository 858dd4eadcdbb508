"""A digest says what is true when it arrives, and one bad digest stops no other (issues 18, 19):
dispatch against a real SMTP server on loopback that refuses, is down, then accepts."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jobs.digests import dispatch_digests
from tests import followup_factories as f
from tests.jobs.conftest import SmtpServer, settings_for
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment, DeadlineType, Digest, DigestState, Officer, Status
from tracker.services.admin import update_preferences
from tracker.services.commitments import update_commitment

NOW = dt.datetime(2018, 6, 15, 8, 0, tzinfo=dt.UTC)  # a UTC officer's daily slot


def _digests(factory: sessionmaker[Session]) -> list[Digest]:
    with factory() as session:
        return list(session.scalars(select(Digest).order_by(Digest.id)))


def _bodies(message: object) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()  # type: ignore[attr-defined]
    html = message.get_body(("html",)).get_content()  # type: ignore[attr-defined]
    return text, html


def test_a_digest_refused_then_accepted_says_what_is_true_when_it_is_sent(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    with factory() as session, session.begin():
        officer = f.officer(session, desk_name=None)
        done_later = f.commitment(
            session, owner=officer, action="Send the draft", due_date=dt.date(2018, 6, 1)
        )
        summit = f.event(session, "Japan-Freedonia Summit")
        dated_later = f.commitment(
            session,
            owner=officer,
            action="Brief the Freedonia desk",
            deadline_type=DeadlineType.EVENT,
            event_row=summit,
        )
        ids = (officer.id, done_later.id, dated_later.id)
    settings = settings_for(fresh_database_url, smtp.port)

    smtp.refuse_recipients = True
    assert dispatch_digests(factory, NOW, settings).retrying == 1
    [written] = _digests(factory)
    assert "Send the draft" in written.body_text and "date unknown" in written.body_text

    # Meanwhile the officer marks one done and the other gets its date.
    with factory() as session, session.begin():
        by = session.get_one(Officer, ids[0])
        for cid, change in ((ids[1], {"status": Status.DONE}), (ids[2], {"due_date": dt.date(2018, 6, 20)})):
            update_commitment(
                session,
                session.get_one(Commitment, cid),
                by=by,
                note="done",
                now=NOW + dt.timedelta(minutes=5),
                settings=DeadlineSettings(),
                **change,  # type: ignore[arg-type]
            )

    smtp.refuse_recipients = False
    later = NOW + dt.timedelta(minutes=15)
    result = dispatch_digests(factory, later, settings)
    assert (result.sent, result.superseded) == (1, 0)
    [message] = smtp.messages
    text, html = _bodies(message)
    assert "Send the draft" not in text and "Send the draft" not in html
    assert "Brief the Freedonia desk" in text and "due 2018-06-20" in text
    assert "date unknown" not in text and "waiting on" not in text.lower()
    assert message["Subject"] == "Follow-up digest 2018-06-15: 1 due this week"
    # The same digest (its Message-ID, sent once), and the outbox keeps what was sent.
    [sent] = _digests(factory)
    assert message["Message-ID"].strip() == sent.message_id == written.message_id
    assert (sent.state, sent.attempts, sent.body_text) == (DigestState.SENT, 2, text.replace("\r\n", "\n"))
    # Issue 18, on a phone: the HTML says how wide it is, so it is not shown at 40 %.
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_a_digest_with_nothing_left_to_report_is_superseded_not_sent(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    with factory() as session, session.begin():
        officer = f.officer(session, desk_name=None)
        c = f.commitment(session, owner=officer, action="Send the draft", due_date=dt.date(2018, 6, 1))
        ids = (officer.id, c.id)
    settings = settings_for(fresh_database_url, smtp.port)
    smtp.refuse_recipients = True
    dispatch_digests(factory, NOW, settings)
    with factory() as session, session.begin():
        update_commitment(
            session,
            session.get_one(Commitment, ids[1]),
            by=session.get_one(Officer, ids[0]),
            note="sent it",
            now=NOW,
            settings=DeadlineSettings(),
            status=Status.DONE,
        )
    smtp.refuse_recipients = False
    result = dispatch_digests(factory, NOW + dt.timedelta(minutes=15), settings)
    assert (result.sent, result.superseded) == (0, 1)
    assert smtp.messages == []
    assert [d.state for d in _digests(factory)] == [DigestState.SUPERSEDED]


def test_one_bad_digest_stops_no_other(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    """Issue 19 item 3: rows stored before names were checked (or by hand) still reach the
    dispatcher; each digest is sent in its own guard, and the To: display name is neutralised."""
    with factory() as session, session.begin():
        crlf_name = f.officer(session, desk_name=None, name="Ev\u202eil\r\nBcc: spy@evil.example")
        crlf_email = f.officer(session, desk_name=None, email="bad@example.org\r\nBcc: spy@evil.example")
        good = f.officer(session, desk_name=None)
        for o in (crlf_name, crlf_email, good):
            f.commitment(session, owner=o, action="Send the draft", due_date=dt.date(2018, 6, 1))
        emails = (crlf_name.email, crlf_email.email, good.email)
    settings = settings_for(fresh_database_url, smtp.port)

    result = dispatch_digests(factory, NOW, settings)
    assert (result.written, result.sent, result.retrying) == (3, 2, 1)
    received = smtp.by_recipient()
    assert sorted(received) == sorted([emails[0], emails[2]])
    [to_crlf_name] = received[emails[0]]
    assert to_crlf_name["To"].addresses[0].display_name == "Evil Bcc: spy@evil.example"
    assert all(m["Bcc"] is None for m in smtp.messages)
    bad = next(d for d in _digests(factory) if d.state != DigestState.SENT)
    assert (bad.state, bad.attempts) == (DigestState.PENDING, 1)
    assert bad.last_error and "ValueError" in bad.last_error and not bad.is_last_error_transient


def test_a_refused_recipient_is_that_digest_s_failure_not_an_outage(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    """smtplib's refusals are OSErrors too: one refused mailbox was taken for a lost connection,
    which stopped the run (and would have been retried as an outage)."""
    with factory() as session, session.begin():
        refused, accepted = f.officer(session, desk_name=None), f.officer(session, desk_name=None)
        for o in (refused, accepted):
            f.commitment(session, owner=o, action="Send the draft", due_date=dt.date(2018, 6, 1))
        emails = (refused.email, accepted.email)
    smtp.refuse_addresses.add(emails[0])
    result = dispatch_digests(factory, NOW, settings_for(fresh_database_url, smtp.port))
    assert (result.sent, result.retrying) == (1, 1)
    assert list(smtp.by_recipient()) == [emails[1]]
    failed = next(d for d in _digests(factory) if d.state == DigestState.PENDING)
    assert failed.last_error and failed.last_error.startswith("recipient refused")
    assert "550" in failed.last_error and not failed.is_last_error_transient


def test_digests_failed_during_a_48_hour_outage_go_out_once_the_server_answers(
    factory: sessionmaker[Session], fresh_database_url: str, smtp_down: SmtpServer
) -> None:
    """Issue 19 item 10: given up on while the server was down, retried when it answers, unless
    a newer digest superseded them."""
    with factory() as session, session.begin():
        officer = f.officer(session, desk_name=None)
        f.commitment(session, owner=officer, action="Send the draft", due_date=dt.date(2018, 6, 1))
    settings = settings_for(fresh_database_url, smtp_down.port)
    now = NOW
    while now < NOW + dt.timedelta(hours=47):  # down from 08:00 on the 15th to 07:00 on the 17th
        assert dispatch_digests(factory, now, settings).sent == 0
        now += dt.timedelta(hours=1)
    assert [(d.period, d.state) for d in _digests(factory)] == [
        ("daily:2018-06-15", DigestState.FAILED),
        ("daily:2018-06-16", DigestState.FAILED),
    ]

    smtp_down.start()
    back = dispatch_digests(factory, now, settings)
    assert (back.revived, back.sent, back.superseded) == (2, 1, 1)
    fifteenth, sixteenth = _digests(factory)
    assert (fifteenth.state, sixteenth.state) == (DigestState.SUPERSEDED, DigestState.SENT)
    [message] = smtp_down.messages
    assert message["Message-ID"].strip() == sixteenth.message_id
    assert message["Subject"].startswith("Follow-up digest 2018-06-17")  # as true on the day it went
    # The day's own digest still comes at 08:00.
    assert dispatch_digests(factory, now + dt.timedelta(hours=1), settings).sent == 1


def test_moving_from_tokyo_to_los_angeles_sends_one_digest_per_local_day(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    with factory() as session, session.begin():
        officer = f.officer(session, desk_name=None, timezone="Asia/Tokyo")
        f.commitment(session, owner=officer, action="Send the draft", due_date=dt.date(2018, 6, 1))
        officer_id = officer.id
    settings = settings_for(fresh_database_url, smtp.port)
    start = dt.datetime(2018, 6, 14, 23, 0, tzinfo=dt.UTC)  # 08:00 on the 15th in Tokyo
    assert dispatch_digests(factory, start, settings).sent == 1
    with factory() as session, session.begin():
        officer = session.get_one(Officer, officer_id)
        update_preferences(
            session,
            officer,
            timezone="America/Los_Angeles",
            digest_frequency="daily",
            digest_hour=8,
            digest_weekday=0,
        )
    arrivals = [start]
    now = start + dt.timedelta(minutes=15)
    while now < start + dt.timedelta(hours=40):
        if dispatch_digests(factory, now, settings).sent:
            arrivals.append(now)
        now += dt.timedelta(minutes=15)
    la = ZoneInfo("America/Los_Angeles")
    # In Los Angeles it was 16:00 on the 14th: that day had its digest (from Tokyo); the next is
    # the 15th's, at 08:00 there.
    assert [a.astimezone(la).isoformat() for a in arrivals] == [
        "2018-06-14T16:00:00-07:00",
        "2018-06-15T08:00:00-07:00",
    ]
