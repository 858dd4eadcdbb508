"""The event registry: the things deadlines hang on ("the G7 Summit"), found by a normalised name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.deadlines import event_key
from tracker.models import Event


def find_event(session: Session, name: str) -> Event | None:
    """The event whose name or alias normalises like `name`, if any."""
    key = event_key(name)
    event = session.scalar(select(Event).where(Event.key == key))
    if event is not None:
        return event
    # The registry holds hundreds of events at most: checking aliases in Python is cheap.
    for candidate in session.scalars(select(Event)):
        if any(event_key(alias) == key for alias in candidate.aliases or []):
            return candidate
    return None


def find_or_create_event(session: Session, name: str) -> Event:
    """The registry's event for `name`, created with no date when it is new."""
    event = find_event(session, name)
    if event is None:
        event = Event(name=name.strip(), key=event_key(name), aliases=[])
        session.add(event)
        session.flush()
    elif name.strip() != event.name and name.strip() not in (event.aliases or []):
        event.aliases = [*(event.aliases or []), name.strip()]
    return event
