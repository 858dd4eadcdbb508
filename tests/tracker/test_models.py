"""Model round trips and the constraints the database enforces (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from tests.factories import make_officer
from tracker.models import (
    Commitment,
    DeadlineType,
    Event,
    Party,
    PointKind,
    Readout,
    ReadoutPoint,
    Relation,
    Status,
    StatusChange,
)
from tracker.services.readouts import content_hash

T0 = dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.UTC)


def _readout(session: Session, body: str = "1. Japan will act.") -> Readout:
    readout = Readout(
        title="T",
        publisher="P",
        source="s.txt",
        meeting_date=dt.date(2024, 5, 1),
        text=body,
        content_hash=content_hash(body),
        ingested_at=T0,
    )
    session.add(readout)
    session.flush()
    return readout


def _commitment(session: Session, readout: Readout, **kw: object) -> Commitment:
    point = ReadoutPoint(
        readout=readout,
        number="1",
        position=1,
        start_offset=0,
        end_offset=len(readout.text),
        kind=PointKind.COMMITMENT,
    )
    values: dict[str, object] = {
        "point": point,
        "readout": readout,
        "quote": "Japan will act",
        "quote_start": 3,
        "quote_end": 17,
        "action": "act",
        "deadline_type": DeadlineType.ONGOING,
        "created_at": T0,
        "updated_at": T0,
    }
    values.update(kw)
    c = Commitment(**values)
    session.add(c)
    session.flush()
    return c


def test_round_trip_of_a_commitment_with_parties_event_and_history(session: Session) -> None:
    officer = make_officer(session)
    readout = _readout(session)
    event = Event(name="G7 Summit", key="g7 summit", aliases=["G7"], date=dt.date(2024, 6, 13))
    c = _commitment(
        session,
        readout,
        event=event,
        deadline_type=DeadlineType.EVENT,
        deadline_relation=Relation.BEFORE,
        due_date=dt.date(2024, 6, 13),
        owner=officer,
        desk=officer.desk,
    )
    c.parties = [Party(name="Japan", aliases=["JPN"]), Party(name="United States", aliases=["U.S."])]
    session.add(
        StatusChange(
            commitment=c,
            officer=officer,
            changed_at=T0,
            field="status",
            old_value="open",
            new_value="done",
            note="n",
        )
    )
    session.flush()
    cid = c.id
    session.expunge_all()

    loaded = session.get(Commitment, cid)
    assert loaded is not None
    assert [p.name for p in loaded.parties] == ["Japan", "United States"]
    assert loaded.event is not None and loaded.event.date == dt.date(2024, 6, 13)
    assert loaded.event.aliases == ["G7"]
    assert loaded.deadline_relation is Relation.BEFORE
    assert loaded.status is Status.OPEN
    assert loaded.version == 1
    assert loaded.created_at == T0 and loaded.created_at.tzinfo is not None
    assert loaded.owner is not None and loaded.owner.email == officer.email
    assert [h.new_value for h in loaded.history] == ["done"]
    assert loaded.point.text == "1. Japan will act."


def test_same_content_hash_is_refused_by_the_database(session: Session) -> None:
    _readout(session, "1. Japan will act.")
    with pytest.raises(IntegrityError):
        _readout(session, "1. Japan will act.\r\n")


def test_an_invalid_status_is_refused_before_and_by_the_database(session: Session) -> None:
    c = _commitment(session, _readout(session))
    c.status = "finished"  # type: ignore[assignment]
    with pytest.raises(StatementError):
        session.flush()
    session.rollback()


def test_the_check_constraint_refuses_an_invalid_status_written_in_sql(session: Session) -> None:
    c = _commitment(session, _readout(session))
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE commitment SET status = 'finished' WHERE id = :id"), {"id": c.id})


def test_naive_datetimes_are_refused(session: Session) -> None:
    readout = _readout(session)
    readout.ingested_at = dt.datetime(2024, 1, 1, 12, 0)
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()
    session.rollback()


def test_foreign_keys_are_enforced(session: Session) -> None:
    with pytest.raises(IntegrityError):
        session.execute(
            text(
                "INSERT INTO readout_point (readout_id, number, position, start_offset, end_offset, kind)"
                " VALUES (999999, '1', 1, 0, 5, 'commitment')"
            )
        )


def test_overdue_stale_and_waiting_are_derived(session: Session) -> None:
    today = dt.date(2024, 7, 1)
    c = _commitment(
        session, _readout(session), due_date=dt.date(2024, 6, 30), review_date=dt.date(2024, 6, 1)
    )
    assert c.is_overdue(today) and c.is_stale(today)
    c.status = Status.DONE
    assert not c.is_overdue(today) and not c.is_stale(today)
    w = session.scalar(select(Commitment).where(Commitment.id == c.id))
    assert w is not None
    w.status, w.deadline_type, w.due_date = Status.OPEN, DeadlineType.EVENT, None
    assert w.is_waiting_on_event()
