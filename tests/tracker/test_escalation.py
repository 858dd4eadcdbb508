"""Escalation (issue 17): overdue commitments climb their desk's ladder in the sweep, once per step,
are cleared when they move, and stop on an approved extension; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import followup_factories as f
from tracker.deadlines import DeadlineSettings
from tracker.digests import build_digest
from tracker.escalation import LadderError, Step, parse_steps
from tracker.models import (
    Commitment,
    DeadlineType,
    Escalation,
    ExtensionState,
    Officer,
    Role,
    Status,
    StatusChange,
)
from tracker.services.commitments import update_commitment
from tracker.services.desk_policy import update_policy
from tracker.services.errors import InvalidInput, PermissionDenied
from tracker.services.escalations import open_escalations
from tracker.services.events import set_event_date
from tracker.services.extensions import decide_extension, request_extension
from tracker.services.sweep import sweep

DUE = dt.date(2026, 11, 2)
SETTINGS = DeadlineSettings()


def at(days: int) -> dt.datetime:
    """The sweep's clock `days` after the due date, at 09:00 UTC."""
    return dt.datetime.combine(DUE + dt.timedelta(days=days), dt.time(9), tzinfo=dt.UTC)


class Desk:
    """A desk with a supervisor, a head of division and an officer, its policy set."""

    def __init__(self, session: Session, name: str = "Japan Desk", steps: str | None = None) -> None:
        self.supervisor = f.officer(session, desk_name=name, role=Role.SUPERVISOR, name="Sue Pervisor")
        self.head = f.officer(session, desk_name=None, role=Role.SUPERVISOR, name="Hedda Division")
        self.officer = f.officer(session, desk_name=name)
        assert self.officer.desk is not None
        update_policy(
            session,
            self.officer.desk,
            supervisor=self.supervisor.email,
            head=self.head.email,
            escalation_steps=steps,
        )


def escalations(session: Session, commitment: Commitment) -> list[tuple[int, str, bool]]:
    rows = session.scalars(
        select(Escalation).where(Escalation.commitment_id == commitment.id).order_by(Escalation.id)
    )
    return [(e.step, e.recipient.email, e.cleared_at is None) for e in rows]


def history(session: Session, commitment: Commitment, field: str) -> list[tuple[str | None, str | None]]:
    rows = session.scalars(
        select(StatusChange)
        .where(StatusChange.commitment_id == commitment.id, StatusChange.field == field)
        .order_by(StatusChange.id)
    )
    return [(r.new_value, r.note) for r in rows]


def test_each_step_happens_once_when_its_days_are_reached(session: Session) -> None:
    desk = Desk(session)
    c = f.commitment(session, owner=desk.officer, due_date=DUE)
    later = f.commitment(session, owner=desk.officer, due_date=DUE + dt.timedelta(days=24))

    assert sweep(session, at(6)).escalated == 0  # within the grace period
    assert sweep(session, at(7)).escalated == 1
    assert sweep(session, at(7) + dt.timedelta(hours=1)).escalated == 0
    assert sweep(session, at(29)).escalated == 0
    assert sweep(session, at(30)).escalated == 1
    assert sweep(session, at(31)).escalated == 1  # `later` reaches its first step (7 days)
    assert sweep(session, at(45)).escalated == 0

    assert escalations(session, c) == [(1, desk.supervisor.email, True), (2, desk.head.email, True)]
    assert escalations(session, later) == [(1, desk.supervisor.email, True)]
    assert history(session, c, "escalated") == [
        (desk.supervisor.email, "7 days overdue: escalated to the desk's supervisor (step 1)"),
        (desk.head.email, "30 days overdue: escalated to the head of division (step 2)"),
    ]


def test_a_commitment_found_long_overdue_climbs_every_step_at_once(session: Session) -> None:
    desk = Desk(session)
    c = f.commitment(session, owner=desk.officer, due_date=DUE)
    assert sweep(session, at(40)).escalated == 2
    assert [step for step, _, _ in escalations(session, c)] == [1, 2]


def test_who_is_told_and_when_follow_the_desk(session: Session) -> None:
    own = Desk(session, "Korea Desk", steps="3:head")
    silent = Desk(session, "China Desk", steps="none")
    nobody = f.officer(session, desk_name="Unstaffed Desk")  # a desk with no policy: no one to tell
    c_own = f.commitment(session, owner=own.officer, due_date=DUE)
    c_silent = f.commitment(session, owner=silent.officer, due_date=DUE)
    c_nobody = f.commitment(session, owner=nobody, due_date=DUE)
    c_no_desk = f.commitment(session, owner=None, due_date=DUE)
    done = f.commitment(session, owner=own.officer, due_date=DUE, status=Status.DONE)

    sweep(session, at(100))

    assert escalations(session, c_own) == [(1, own.head.email, True)]
    for quiet in (c_silent, c_nobody, c_no_desk, done):
        assert escalations(session, quiet) == []


def test_a_desk_without_a_supervisor_skips_that_step_until_one_is_named(session: Session) -> None:
    desk = Desk(session)
    assert desk.officer.desk is not None
    update_policy(session, desk.officer.desk, supervisor="")
    c = f.commitment(session, owner=desk.officer, due_date=DUE)
    assert sweep(session, at(10)).escalated == 0
    update_policy(session, desk.officer.desk, supervisor=desk.supervisor.email)
    assert sweep(session, at(11)).escalated == 1
    assert escalations(session, c) == [(1, desk.supervisor.email, True)]


def test_the_default_ladder_comes_from_the_settings(session: Session) -> None:
    desk = Desk(session)
    c = f.commitment(session, owner=desk.officer, due_date=DUE)
    assert sweep(session, at(3), parse_steps("2:supervisor")).escalated == 1
    assert escalations(session, c) == [(1, desk.supervisor.email, True)]


def test_a_move_clears_it_and_a_commitment_still_overdue_climbs_afresh(session: Session) -> None:
    desk = Desk(session)
    c = f.commitment(session, owner=desk.officer, due_date=DUE)
    sweep(session, at(10))
    update_commitment(
        session, c, by=desk.officer, note="started", now=at(12), settings=SETTINGS, status=Status.IN_PROGRESS
    )
    assert escalations(session, c) == [(1, desk.supervisor.email, False)]
    # Still overdue, but it moved: the supervisor is not told again at the next sweep ...
    assert sweep(session, at(13)).escalated == 0
    assert sweep(session, at(18)).escalated == 0
    # ... only a step's days after the move.
    assert sweep(session, at(19)).escalated == 1
    assert escalations(session, c) == [(1, desk.supervisor.email, False), (1, desk.supervisor.email, True)]
    cleared = session.scalars(select(Escalation).where(Escalation.commitment_id == c.id)).first()
    assert cleared is not None and cleared.cleared_note == "status changed to in_progress"

    # A new due date in the future: cleared, and nothing to escalate.
    update_commitment(
        session,
        c,
        by=desk.officer,
        note="agreed later",
        now=at(20),
        settings=SETTINGS,
        due_date=at(40).date(),
    )
    assert not [e for e in escalations(session, c) if e[2]]
    assert sweep(session, at(21)).escalated == 0


def test_an_event_date_that_moves_clears_the_escalation(session: Session) -> None:
    desk = Desk(session)
    summit = f.event(session, "Pacific Islands Leaders Meeting", date=DUE)
    c = f.commitment(
        session,
        owner=desk.officer,
        deadline_type=DeadlineType.EVENT,
        event_row=summit,
        due_date=DUE,
    )
    sweep(session, at(8))
    set_event_date(session, "Pacific Islands Leaders Meeting", at(60).date(), by=None, now=at(9))
    assert escalations(session, c) == [(1, desk.supervisor.email, False)]


def test_an_approved_extension_moves_the_due_date_and_stops_the_escalation(session: Session) -> None:
    desk = Desk(session)
    c = f.commitment(session, owner=desk.officer, due_date=DUE)
    sweep(session, at(8))
    request = request_extension(
        session, c, by=desk.officer, new_due_date=at(30).date(), reason="the other side asked", now=at(9)
    )
    assert request.state == ExtensionState.PENDING
    # Still pending: the escalation stands.
    assert escalations(session, c) == [(1, desk.supervisor.email, True)]

    decide_extension(
        session, request, by=desk.supervisor, approve=True, note="fine", now=at(10), settings=SETTINGS
    )
    session.refresh(c)
    assert (c.due_date, request.state, request.decided_by) == (
        at(30).date(),
        ExtensionState.APPROVED,
        desk.supervisor,
    )
    assert escalations(session, c) == [(1, desk.supervisor.email, False)]
    assert sweep(session, at(20)).escalated == 0
    fields = [
        (h.field, h.officer_id)
        for h in session.scalars(
            select(StatusChange).where(StatusChange.commitment_id == c.id).order_by(StatusChange.id)
        )
    ]
    assert fields == [
        ("overdue", None),
        ("escalated", None),
        ("extension_requested", desk.officer.id),
        ("due_date", desk.supervisor.id),
        ("extension", desk.supervisor.id),
    ]


def test_a_refused_extension_keeps_the_due_date_and_is_in_the_history(session: Session) -> None:
    desk = Desk(session)
    c = f.commitment(session, owner=desk.officer, due_date=DUE)
    request = request_extension(
        session, c, by=desk.officer, new_due_date=at(30).date(), reason="busy", now=at(1)
    )
    with pytest.raises(InvalidInput, match="note"):
        decide_extension(
            session, request, by=desk.head, approve=False, note=" ", now=at(2), settings=SETTINGS
        )
    decide_extension(
        session, request, by=desk.head, approve=False, note="not a reason", now=at(2), settings=SETTINGS
    )
    session.refresh(c)
    assert (c.due_date, request.state) == (DUE, ExtensionState.REFUSED)
    assert history(session, c, "extension") == [("refused", "not a reason")]
    with pytest.raises(InvalidInput, match="refused already"):
        decide_extension(
            session, request, by=desk.head, approve=True, note=None, now=at(3), settings=SETTINGS
        )


def test_extension_requests_are_checked_before_anything_is_written(session: Session) -> None:
    desk = Desk(session)
    other = f.officer(session, desk_name="Korea Desk")
    c = f.commitment(session, owner=desk.officer, due_date=DUE)
    with pytest.raises(PermissionDenied):
        request_extension(session, c, by=other, new_due_date=at(30).date(), reason="mine?", now=at(1))
    with pytest.raises(InvalidInput, match="after the current one"):
        request_extension(session, c, by=desk.officer, new_due_date=DUE, reason="same day", now=at(1))
    with pytest.raises(InvalidInput, match="reason"):
        request_extension(session, c, by=desk.officer, new_due_date=at(30).date(), reason="  ", now=at(1))
    undated = f.commitment(session, owner=desk.officer, deadline_type=DeadlineType.ONGOING)
    with pytest.raises(InvalidInput, match="no due date"):
        request_extension(
            session, undated, by=desk.officer, new_due_date=at(30).date(), reason="x", now=at(1)
        )
    first = request_extension(
        session, c, by=desk.officer, new_due_date=at(30).date(), reason="one", now=at(1)
    )
    with pytest.raises(InvalidInput, match="waiting for a decision"):
        request_extension(session, c, by=desk.officer, new_due_date=at(40).date(), reason="two", now=at(1))
    # Officers decide nothing; nobody decides their own request; the desk's named supervisor does.
    with pytest.raises(PermissionDenied):
        decide_extension(session, first, by=other, approve=True, note=None, now=at(2), settings=SETTINGS)
    own = request_extension(
        session,
        f.commitment(session, owner=desk.supervisor, due_date=DUE),
        by=desk.supervisor,
        new_due_date=at(5).date(),
        reason="mine",
        now=at(1),
    )
    with pytest.raises(PermissionDenied, match="own request"):
        decide_extension(
            session, own, by=desk.supervisor, approve=True, note=None, now=at(2), settings=SETTINGS
        )
    # An approval after the due date moved would extend something else.
    update_commitment(
        session, c, by=desk.officer, note="moved", now=at(2), settings=SETTINGS, due_date=at(3).date()
    )
    with pytest.raises(InvalidInput, match="moved since the request"):
        decide_extension(
            session, first, by=desk.supervisor, approve=True, note=None, now=at(3), settings=SETTINGS
        )
    assert (
        session.scalar(
            select(func.count()).select_from(StatusChange).where(StatusChange.field == "extension")
        )
        == 0
    )


def test_two_sweeps_at_one_instant_escalate_once(session: Session) -> None:
    """The unique key, not the lease: a second INSERT of the same open step adds nothing."""
    desk = Desk(session)
    c = f.commitment(session, owner=desk.officer, due_date=DUE)
    sweep(session, at(8))
    sweep(session, at(8))
    assert escalations(session, c) == [(1, desk.supervisor.email, True)]
    assert len(history(session, c, "escalated")) == 1


def test_the_supervisors_digest_has_its_own_section(session: Session) -> None:
    desk = Desk(session)
    c = f.commitment(session, owner=desk.officer, due_date=DUE, action="Open the consulate")
    request = request_extension(
        session,
        f.commitment(session, owner=desk.officer, due_date=DUE, action="Sign the accord"),
        by=desk.officer,
        new_due_date=at(40).date(),
        reason="waiting on the other side",
        now=at(1),
    )
    sweep(session, at(8))
    content = build_digest(session, desk.supervisor, at(8) + dt.timedelta(hours=1), "https://t.example")
    assert content is not None
    assert content.subject.startswith("Follow-up digest 2026-11-10: 2 escalated to you, 1 extension requests")
    section = content.text.split("Escalated to you (2)\n", 1)[1].split("\n\n", 1)[0]
    assert f"#{c.id} Open the consulate" in section
    assert "due 2026-11-02, 8 days overdue; escalated 2026-11-10 at 7 days" in section
    assert "Extension requests awaiting your decision (1)" in content.text
    assert "asks to move it from 2026-11-02 to 2026-12-12: waiting on the other side" in content.text
    assert "Escalated to you" in content.html
    # The officer who asked is not asked to decide; the head is not told before step 2.
    head = build_digest(session, desk.head, at(8) + dt.timedelta(hours=1), "https://t.example")
    assert head is None or "Escalated to you" not in head.text
    officer = build_digest(session, desk.officer, at(8) + dt.timedelta(hours=1), "https://t.example")
    assert officer is not None and "Extension requests awaiting" not in officer.text

    decide_extension(
        session, request, by=desk.supervisor, approve=True, note=None, now=at(8), settings=SETTINGS
    )
    update_commitment(
        session, c, by=desk.officer, note="done", now=at(8), settings=SETTINGS, status=Status.DONE
    )
    after = build_digest(session, desk.supervisor, at(8) + dt.timedelta(hours=2), "https://t.example")
    assert after is None or "Escalated to you" not in after.text
    assert open_escalations(session, desk.supervisor) == []


def test_a_japanese_supervisors_escalations_and_extension_requests_are_in_japanese(session: Session) -> None:
    """Issue 18: the sections of issue 17 in the reader's language, dates as 2026年11月2日."""
    desk = Desk(session)
    desk.supervisor.language = "ja"
    f.commitment(session, owner=desk.officer, due_date=DUE, action="Open the consulate")
    request_extension(
        session,
        f.commitment(session, owner=desk.officer, due_date=DUE, action="Sign the accord"),
        by=desk.officer,
        new_due_date=at(40).date(),
        reason="waiting on the other side",
        now=at(1),
    )
    sweep(session, at(8))
    content = build_digest(session, desk.supervisor, at(8) + dt.timedelta(hours=1), "https://t.example")
    assert content is not None
    assert content.subject.startswith(
        "フォローアップ・ダイジェスト（2026年11月10日）：エスカレーション 2件、延長申請 1件"
    )
    assert "期限：2026年11月2日、8日超過；2026年11月10日に超過7日の時点でエスカレーション" in content.text
    assert (
        f"{desk.officer.name}が期限を2026年11月2日から2026年12月12日に変更するよう申請しています："
        "waiting on the other side" in content.text
    )
    assert "Escalated to you" not in content.text and "asks to move it" not in content.html


def test_ladders_are_read_strictly() -> None:
    assert parse_steps(" 30:head, 7:Supervisor ") == (Step(7, "supervisor"), Step(30, "head"))
    assert parse_steps("none") == ()
    for bad in ("7", "7:minister", "x:head", "0:head", "7:head,7:supervisor"):
        with pytest.raises(LadderError):
            parse_steps(bad)


def test_policies_are_checked_before_anything_is_written(session: Session) -> None:
    desk = Desk(session)
    assert desk.officer.desk is not None
    for bad in (
        {"escalation_steps": "7:boss"},
        {"supervisor": "nobody@example.org"},
        {"day_count": "working"},
    ):
        with pytest.raises(InvalidInput):
            update_policy(session, desk.officer.desk, **bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="country"):
        update_policy(session, desk.officer.desk, country="XX")
    gone = session.get(Officer, desk.head.id)
    assert gone is not None
    gone.is_active = False
    with pytest.raises(InvalidInput, match="deactivated"):
        update_policy(session, desk.officer.desk, head=gone.email)
