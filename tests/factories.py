"""Test data factories: rows made through the services, as the application makes them."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy.orm import Session

from tracker.deadlines import DeadlineSettings
from tracker.models import Officer, Readout
from tracker.services.officers import create_officer
from tracker.services.readouts import ingest_text

NOW = dt.datetime(2018, 6, 6, 12, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_officer(
    session: Session,
    *,
    desk: str | None = "North America Desk",
    role: str = "officer",
    email: str | None = None,
    timezone: str = "UTC",
    password: str | None = PASSWORD,
) -> Officer:
    n = next(_counter)
    return create_officer(
        session,
        email=email or f"officer{n}@example.org",
        name=f"Officer {n}",
        role=role,
        desk=desk,
        timezone=timezone,
        password=password,
    )


def ingest(
    session: Session,
    text: str,
    meeting_date: dt.date,
    *,
    by: Officer | None = None,
    now: dt.datetime = NOW,
    settings: DeadlineSettings | None = None,
) -> Readout:
    return ingest_text(
        session, text, meeting_date=meeting_date, by=by, now=now, settings=settings or DeadlineSettings()
    )
