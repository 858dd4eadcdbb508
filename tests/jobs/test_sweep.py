"""The overdue sweep flags exactly the overdue and stale commitments, once each."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import followup_factories as f
from tests.conftest import SEED_READOUT
from tests.factories import ingest
from tracker.models import Commitment, DeadlineType, Status, StatusChange
from tracker.services.events import set_event_date
from tracker.services.sweep import sweep


def test_sweep_flags_overdue_and_stale_once(session: Session) -> None:
    ingest(session, SEED_READOUT.read_text(encoding="utf-8"), dt.date(2018, 6, 6))
    rows = session.scalars(select(Commitment).order_by(Commitment.id)).all()
    assert len(rows) >= 3
    a, b, c = rows[0], rows[1], rows[2]
    a.due_date, a.review_date = dt.date(2018, 6, 10), None
    b.due_date, b.review_date = dt.date(2018, 6, 30), None
    c.due_date, c.review_date = None, dt.date(2018, 6, 12)
    for other in rows[3:]:
        other.due_date, other.review_date = None, None
    done = rows[-1] if len(rows) > 3 else None
    if done is not None:
        done.status, done.due_date = Status.DONE, dt.date(2018, 6, 1)
    session.flush()
    versions_before = {r.id: r.version for r in rows}

    now = dt.datetime(2018, 6, 15, 9, 0, tzinfo=dt.UTC)
    result = sweep(session, now)
    assert (result.overdue_flagged, result.stale_flagged) == (1, 1)
    session.expire_all()
    assert a.flagged_overdue_at == now and b.flagged_overdue_at is None
    assert c.flagged_stale_at == now and c.flagged_overdue_at is None
    history = session.scalars(select(StatusChange).order_by(StatusChange.id)).all()
    assert [(h.commitment_id, h.field, h.new_value, h.officer_id) for h in history] == [
        (a.id, "overdue", "2018-06-10", None),
        (c.id, "stale", "2018-06-12", None),
    ]
    # The sweep is not an officer's edit: versions stay, so open forms are not made stale.
    assert {r.id: r.version for r in rows} == versions_before

    again = sweep(session, now + dt.timedelta(hours=1))
    assert (again.overdue_flagged, again.stale_flagged) == (0, 0)
    assert len(session.scalars(select(StatusChange)).all()) == 2


def test_waiting_on_an_event_is_never_overdue_until_the_event_has_a_date(session: Session) -> None:
    summit = f.event(session, "Japan-China-ROK Trilateral Summit")
    owner = f.officer(session)
    waiting = f.commitment(
        session, owner=owner, deadline_type=DeadlineType.EVENT, event_row=summit, offset_days=7
    )
    now = dt.datetime(2018, 6, 15, 9, 0, tzinfo=dt.UTC)

    assert (sweep(session, now).overdue_flagged, waiting.is_waiting_on_event()) == (0, True)

    # The summit turns out to have been on 1 June: due 8 June, overdue now, flagged once.
    set_event_date(session, "Trilateral Summit", dt.date(2018, 6, 1), by=None, now=now)
    assert sweep(session, now).overdue_flagged == 1
    assert sweep(session, now + dt.timedelta(hours=1)).overdue_flagged == 0
    session.expire_all()
    assert waiting.flagged_overdue_at == now

    # Moved to a later date: the flag goes, and the sweep has nothing to flag.
    set_event_date(session, "Trilateral Summit", dt.date(2018, 7, 1), by=None, now=now)
    session.expire_all()
    assert waiting.flagged_overdue_at is None
    assert sweep(session, now).overdue_flagged == 0
    # Moved back into the past: overdue again, flagged again (with its own history row).
    set_event_date(session, "Trilateral Summit", dt.date(2018, 6, 2), by=None, now=now)
    assert sweep(session, now + dt.timedelta(hours=2)).overdue_flagged == 1
    fields = session.scalars(
        select(StatusChange.field).where(StatusChange.commitment_id == waiting.id).order_by(StatusChange.id)
    ).all()
    assert fields == ["due_date", "overdue", "due_date", "due_date", "overdue"]
