"""Rows for follow-up scenarios, built directly with the models.

Precise scenarios (this one overdue, that one waiting on an event) should not depend on what
the extraction pipeline makes of a readout, so these factories write the rows themselves.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.deadlines import event_key
from tracker.models import (
    Commitment,
    DeadlineType,
    Desk,
    DigestFrequency,
    Event,
    Officer,
    Party,
    PointKind,
    Readout,
    ReadoutPoint,
    Relation,
    Role,
    Status,
)

_counter = itertools.count(1)
CREATED = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)


def desk(session: Session, name: str) -> Desk:
    row = session.scalar(select(Desk).where(Desk.name == name))
    if row is None:
        row = Desk(name=name)
        session.add(row)
        session.flush()
    return row


def officer(
    session: Session,
    *,
    desk_name: str | None = "Japan Desk",
    role: Role = Role.OFFICER,
    timezone: str = "UTC",
    frequency: DigestFrequency = DigestFrequency.DAILY,
    hour: int = 8,
    weekday: int = 0,
    email: str | None = None,
    name: str | None = None,
    created_at: dt.datetime = CREATED,
) -> Officer:
    n = next(_counter)
    row = Officer(
        name=name or f"Officer {n}",
        email=email or f"followup{n}-{uuid.uuid4().hex[:6]}@example.org",
        role=role,
        desk=desk(session, desk_name) if desk_name else None,
        timezone=timezone,
        digest_frequency=frequency,
        digest_hour=hour,
        digest_weekday=weekday,
        created_at=created_at,
    )
    session.add(row)
    session.flush()
    return row


def event(
    session: Session, name: str, date: dt.date | None = None, aliases: list[str] | None = None
) -> Event:
    row = Event(name=name, key=event_key(name), aliases=aliases or [], date=date)
    session.add(row)
    session.flush()
    return row


def readout(
    session: Session, meeting_date: dt.date = dt.date(2018, 6, 6), title: str | None = None
) -> Readout:
    n = next(_counter)
    text = f"Readout {n}: " + "x" * 200
    row = Readout(
        title=title or f"Meeting {n}",
        meeting_date=meeting_date,
        text=text,
        content_hash=uuid.uuid4().hex,
        ingested_at=CREATED,
    )
    session.add(row)
    session.flush()
    return row


def commitment(
    session: Session,
    *,
    owner: Officer | None = None,
    desk_row: Desk | None = None,
    action: str = "Follow up",
    deadline_type: DeadlineType = DeadlineType.DATE,
    due_date: dt.date | None = None,
    review_date: dt.date | None = None,
    event_row: Event | None = None,
    offset_days: int = 0,
    relation: Relation | None = None,
    status: Status = Status.OPEN,
    parties: list[str] | None = None,
    source: Readout | None = None,
) -> Commitment:
    source = source or readout(session)
    point = ReadoutPoint(
        readout=source,
        number=str(next(_counter)),
        position=next(_counter),
        start_offset=0,
        end_offset=50,
        kind=PointKind.COMMITMENT,
    )
    row = Commitment(
        point=point,
        readout=source,
        quote=source.text[0:50],
        quote_start=0,
        quote_end=50,
        action=action,
        deadline_type=deadline_type,
        deadline_text=None,
        event=event_row,
        deadline_relation=relation,
        deadline_offset_days=offset_days,
        due_date=due_date,
        review_date=review_date,
        status=status,
        owner=owner,
        desk=desk_row if desk_row is not None else (owner.desk if owner is not None else None),
        created_at=CREATED,
        updated_at=CREATED,
    )
    session.add_all([point, row])
    if parties:
        with session.no_autoflush:
            row.parties = [_party(session, p) for p in parties]
    session.flush()
    return row


def _party(session: Session, name: str) -> Party:
    row = session.scalar(select(Party).where(Party.name == name))
    if row is None:
        row = Party(name=name, aliases=[])
        session.add(row)
        session.flush()
    return row
