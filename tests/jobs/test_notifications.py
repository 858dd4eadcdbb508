"""Notifications (issue 18): an officer is told when a commitment is given to them or when someone
else changes one they own, at once by mail (a notice through the outbox, sent once) or in their
next digest ("Changes by others"); on SQLite and PostgreSQL, with a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jobs.digests import dispatch_digests, write_notices
from tests import followup_factories as f
from tests.jobs.conftest import SmtpServer, settings_for
from tracker.db import make_engine, make_session_factory
from tracker.deadlines import DeadlineSettings
from tracker.models import (
    Commitment,
    DeadlineType,
    Digest,
    DigestFrequency,
    DigestState,
    Notification,
    Officer,
    OutboxKind,
    Status,
)
from tracker.services import notifications
from tracker.services.commitments import update_commitment
from tracker.services.events import set_event_date
from tracker.services.sweep import sweep

NOW = dt.datetime(2018, 6, 15, 8, 0, tzinfo=dt.UTC)  # a UTC officer's daily slot
FAR = dt.date(2018, 12, 31)  # due, but not soon: nothing else for a digest to say


def _world(factory: sessionmaker[Session], *, immediate: bool, digest: DigestFrequency) -> dict[str, int]:
    """An officer who owns a commitment, and a colleague of the same desk who owns nothing."""
    with factory() as session, session.begin():
        me = f.officer(session, email="me@example.org", name="Mia Owner", frequency=digest)
        me.notify_immediately = immediate
        other = f.officer(
            session, email="other@example.org", name="Colin League", frequency=DigestFrequency.OFF
        )
        mine = f.commitment(session, owner=me, action="Send the draft communique", due_date=FAR)
        theirs = f.commitment(session, owner=other, action="Brief the minister", due_date=FAR)
        session.flush()
        return {"me": me.id, "other": other.id, "mine": mine.id, "theirs": theirs.id}


def _change(
    factory: sessionmaker[Session],
    ids: dict[str, int],
    who: str,
    what: str,
    at: dt.datetime,
    **change: object,
) -> None:
    with factory() as session, session.begin():
        update_commitment(
            session,
            session.get_one(Commitment, ids[what]),
            by=session.get_one(Officer, ids[who]),
            note=f"note by {who}",
            now=at,
            settings=DeadlineSettings(),
            **change,  # type: ignore[arg-type]
        )


def _told(factory: sessionmaker[Session], officer_id: int) -> list[tuple[str, str | None, int]]:
    """(field, new value, commitment) of each notification the officer has, oldest first."""
    with factory() as session:
        rows = session.scalars(
            select(Notification).where(Notification.officer_id == officer_id).order_by(Notification.id)
        )
        return [(n.change.field, n.change.new_value, n.commitment_id) for n in rows]


def test_a_change_by_another_tells_the_owner_and_an_assignment_tells_the_new_owner(
    factory: sessionmaker[Session],
) -> None:
    ids = _world(factory, immediate=False, digest=DigestFrequency.OFF)
    _change(factory, ids, "other", "mine", NOW, status=Status.IN_PROGRESS)
    assert _told(factory, ids["me"]) == [("status", "in_progress", ids["mine"])]

    # Given to me by the colleague: I am told (and so is nobody else: the colleague did it).
    with factory() as session:
        me_email = session.get_one(Officer, ids["me"]).email
    with factory() as session, session.begin():
        update_commitment(
            session,
            session.get_one(Commitment, ids["theirs"]),
            by=session.get_one(Officer, ids["other"]),
            note="yours now",
            now=NOW,
            settings=DeadlineSettings(),
            owner=session.get_one(Officer, ids["me"]),
        )
    assert _told(factory, ids["me"])[-1] == ("owner", me_email, ids["theirs"])
    assert _told(factory, ids["other"]) == []

    # My own changes never tell me; taking a commitment back from me tells me.
    _change(factory, ids, "me", "mine", NOW, status=Status.DONE)
    _change(factory, ids, "me", "theirs", NOW, due_date=dt.date(2018, 11, 30))
    assert len(_told(factory, ids["me"])) == 2
    with factory() as session, session.begin():
        update_commitment(
            session,
            session.get_one(Commitment, ids["theirs"]),
            by=session.get_one(Officer, ids["other"]),
            note="back to me",
            now=NOW,
            settings=DeadlineSettings(),
            owner=session.get_one(Officer, ids["other"]),
        )
    assert _told(factory, ids["me"])[-1] == ("owner", "other@example.org", ids["theirs"])
    assert _told(factory, ids["other"]) == [], "the colleague took it: not news to them"
    with factory() as session:
        assert session.get_one(Commitment, ids["mine"]).version == 3, "one version per save, as before"


def test_set_based_changes_tell_the_owners_and_the_trackers_own_flags_do_not(
    factory: sessionmaker[Session],
) -> None:
    ids = _world(factory, immediate=False, digest=DigestFrequency.OFF)
    with factory() as session, session.begin():
        me = session.get_one(Officer, ids["me"])
        other = session.get_one(Officer, ids["other"])
        summit = f.event(session, "Japan-Freedonia Summit")
        assert me.desk is not None and other.desk is not None  # loaded before the factory adds rows
        rows = [
            f.commitment(session, owner=owner, deadline_type=DeadlineType.EVENT, event_row=summit)
            for owner in (me, other)
        ]
        stale_row = f.commitment(session, owner=me, review_date=dt.date(2018, 6, 1))
        session.flush()
        hanging, stale = [r.id for r in rows], stale_row.id
    # The colleague sets the event's date: both due dates move (one INSERT ... SELECT of history);
    # only my commitment tells me, and the colleague's own tells nobody.
    with factory() as session, session.begin():
        set_event_date(
            session,
            "Japan-Freedonia Summit",
            dt.date(2018, 7, 1),
            by=session.get_one(Officer, ids["other"]),
            now=NOW,
        )
    assert _told(factory, ids["me"]) == [("due_date", "2018-07-01", hanging[0])]
    assert _told(factory, ids["other"]) == []
    # The overdue sweep's stale flag is the tracker's own: no notification.
    with factory() as session, session.begin():
        sweep(session, NOW + dt.timedelta(days=1))
        assert session.get_one(Commitment, stale).flagged_stale_at is not None
    assert len(_told(factory, ids["me"])) == 1


def test_immediate_notice_is_mailed_once_even_when_the_dispatch_runs_twice(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    ids = _world(factory, immediate=True, digest=DigestFrequency.OFF)
    settings = settings_for(fresh_database_url, smtp.port)
    _change(factory, ids, "other", "mine", NOW - dt.timedelta(minutes=3), status=Status.IN_PROGRESS)
    _change(factory, ids, "other", "mine", NOW - dt.timedelta(minutes=2), due_date=dt.date(2018, 10, 1))

    first = dispatch_digests(factory, NOW, settings)
    assert (first.notices, first.sent) == (1, 1)
    again = dispatch_digests(factory, NOW, settings)
    later = dispatch_digests(factory, NOW + dt.timedelta(minutes=15), settings)
    assert (again.notices, again.sent, later.notices, later.sent) == (0, 0, 0, 0)

    [message] = smtp.messages
    assert message["To"].addresses[0].addr_spec == "me@example.org"
    assert "2 changes by others" in message["Subject"]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Colin League changed the status from Open to In progress" in text
    assert "Colin League moved the due date from 31 Dec 2018 to 1 Oct 2018" in text
    assert f"https://tracker.example.org/commitments/{ids['mine']}" in text
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Send the draft communique" in html and 'name="viewport"' in html

    # A later change is a new notice with only what is new.
    _change(factory, ids, "other", "mine", NOW + dt.timedelta(minutes=20), status=Status.DONE)
    assert dispatch_digests(factory, NOW + dt.timedelta(minutes=30), settings).sent == 1
    newer = smtp.messages[1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "from In progress to Done" in newer and "from Open to In progress" not in newer
    assert smtp.messages[1]["Message-ID"] != message["Message-ID"]
    with factory() as session:
        kinds = session.execute(select(Digest.kind, Digest.state).order_by(Digest.id)).all()
    assert kinds == [(OutboxKind.NOTICE, DigestState.SENT)] * 2


def test_a_notice_written_before_a_restart_is_sent_once_after_it(
    factory: sessionmaker[Session], fresh_database_url: str, smtp_down: SmtpServer
) -> None:
    ids = _world(factory, immediate=True, digest=DigestFrequency.OFF)
    settings = settings_for(fresh_database_url, smtp_down.port)
    _change(factory, ids, "other", "mine", NOW - dt.timedelta(minutes=1), status=Status.IN_PROGRESS)
    # The mail server is down: the notice is written and waits in the outbox.
    down = dispatch_digests(factory, NOW, settings)
    assert (down.notices, down.sent, down.retrying) == (1, 0, 1)
    assert write_notices(factory, NOW, settings) == 0, "written once"

    # A new process (new engine) with the server back sends it once.
    smtp_down.start()
    engine = make_engine(fresh_database_url)
    try:
        restarted = make_session_factory(engine)
        results = [dispatch_digests(restarted, NOW + dt.timedelta(minutes=m), settings) for m in (15, 16, 45)]
    finally:
        engine.dispose()
    assert sum(r.sent for r in results) == 1 and sum(r.notices for r in results) == 0
    assert len(smtp_down.messages) == 1


def test_a_notice_read_on_the_dashboard_before_it_goes_is_not_sent(
    factory: sessionmaker[Session], fresh_database_url: str, smtp_down: SmtpServer
) -> None:
    ids = _world(factory, immediate=True, digest=DigestFrequency.OFF)
    settings = settings_for(fresh_database_url, smtp_down.port)
    _change(factory, ids, "other", "mine", NOW - dt.timedelta(minutes=1), status=Status.IN_PROGRESS)
    assert dispatch_digests(factory, NOW, settings).retrying == 1
    with factory() as session, session.begin():
        assert notifications.mark_read(session, session.get_one(Officer, ids["me"]), NOW) == 1
    smtp_down.start()
    result = dispatch_digests(factory, NOW + dt.timedelta(minutes=15), settings)
    assert (result.sent, result.superseded) == (0, 1)
    assert smtp_down.messages == []


def test_digest_preference_tells_it_in_the_next_digest_and_sends_no_notice(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    ids = _world(factory, immediate=False, digest=DigestFrequency.DAILY)
    settings = settings_for(fresh_database_url, smtp.port)
    with factory() as session, session.begin():
        update_commitment(
            session,
            session.get_one(Commitment, ids["theirs"]),
            by=session.get_one(Officer, ids["other"]),
            note="yours from today",
            now=NOW - dt.timedelta(hours=2),
            settings=DeadlineSettings(),
            owner=session.get_one(Officer, ids["me"]),
        )
    # Before the digest hour: nothing at all goes (no notice for a digest-preference officer).
    early = dispatch_digests(factory, NOW - dt.timedelta(hours=1), settings)
    assert (early.notices, early.written, early.sent) == (0, 0, 0)

    result = dispatch_digests(factory, NOW, settings)
    assert (result.notices, result.written, result.sent) == (0, 1, 1)
    [digest] = smtp.messages
    assert digest["Subject"].startswith("Follow-up digest 2018-06-15: 1 change by others")
    for body in (digest.get_body(("plain",)), digest.get_body(("html",))):
        content = body.get_content()  # type: ignore[union-attr]
        section = content[content.index("Changes by others") :]
        assert "Colin League changed the owner from Colin League to you" in section
        assert "yours from today" in section and "Brief the minister" in section

    # Told once: the next day's digest has nothing left to say, so none goes.
    assert dispatch_digests(factory, NOW + dt.timedelta(days=1), settings).sent == 0
    assert len(smtp.messages) == 1
    with factory() as session:
        assert (
            session.scalar(select(func.count()).select_from(Digest).where(Digest.kind == OutboxKind.NOTICE))
            == 0
        )
        [row] = session.scalars(select(Notification).where(Notification.officer_id == ids["me"]))
        assert row.outbox_id is not None and row.read_at is None, "still unread on the dashboard"


def test_the_notice_is_in_the_language_of_the_officers_pages(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    """Chosen in the settings, or (none chosen) what their browser asked for at their last login."""
    ids = _world(factory, immediate=True, digest=DigestFrequency.OFF)
    with factory() as session, session.begin():
        session.get_one(Officer, ids["me"]).browser_language = "ja"
    settings = settings_for(fresh_database_url, smtp.port)
    _change(factory, ids, "other", "mine", NOW - dt.timedelta(minutes=3), status=Status.IN_PROGRESS)
    _change(factory, ids, "other", "mine", NOW - dt.timedelta(minutes=2), due_date=dt.date(2018, 10, 1))
    assert dispatch_digests(factory, NOW, settings).sent == 1
    [message] = smtp.messages
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Colin Leagueが状況を「未着手」から「対応中」に変更しました" in text
    assert "他の人による" in message["Subject"] and "他の人による" in text
    for english in ("changes by others", "Changes by others", "Your notifications", "changed the status"):
        assert english not in text and english not in message["Subject"]

    # Chosen English wins over the browser's Japanese.
    with factory() as session, session.begin():
        session.get_one(Officer, ids["me"]).language = "en"
    _change(factory, ids, "other", "mine", NOW + dt.timedelta(minutes=20), status=Status.DONE)
    assert dispatch_digests(factory, NOW + dt.timedelta(minutes=30), settings).sent == 1
    newer = smtp.messages[1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Colin League changed the status from In progress to Done" in newer
