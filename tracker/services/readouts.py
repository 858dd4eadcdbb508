"""Ingesting readouts: extract, resolve deadlines against the event registry, store."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.deadlines import DeadlineSettings, resolve_due_date
from tracker.extraction import ExtractionError, extract
from tracker.extraction.types import ExtractedReadout
from tracker.models import (
    Commitment,
    DeadlineType,
    Desk,
    Officer,
    Party,
    PointKind,
    Readout,
    ReadoutPoint,
    Relation,
    Status,
)
from tracker.services.errors import DuplicateReadout, InvalidInput
from tracker.services.events import find_or_create_event


def content_hash(text: str) -> str:
    """The identity of a readout's text: the same words with other line endings or
    surrounding blank space are the same readout."""
    normalised = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def find_duplicate(session: Session, text: str) -> Readout | None:
    """The stored readout with the same text, if any."""
    return session.scalar(select(Readout).where(Readout.content_hash == content_hash(text)))


def extract_readout(text: str, meeting_date: dt.date | None, settings: DeadlineSettings) -> ExtractedReadout:
    """Run the extraction pipeline, refusing what cannot be stored (no points, no date)."""
    check_storable(text)
    try:
        extracted = extract(text, meeting_date, settings)
    except ExtractionError as exc:
        raise InvalidInput(str(exc)) from exc
    if extracted.meeting_date is None:
        raise InvalidInput(
            f"the meeting date is unknown ({extracted.meeting_date_basis}); give it with --date"
        )
    if not extracted.points:
        raise InvalidInput("no points found in the readout")
    return extracted


def check_storable(text: str) -> None:
    """Refuse text that no database column can hold verbatim, before anything is written."""
    if not text.strip():
        raise InvalidInput("the readout is empty")
    if "\x00" in text:
        # PostgreSQL text cannot hold NUL, and a readout never has one: it is a binary file.
        raise InvalidInput("the readout contains NUL bytes: it looks like a binary file, not text")


def get_or_create_party(session: Session, name: str, cache: dict[str, Party]) -> Party:
    """The party with canonical `name`, created when new."""
    if name in cache:
        return cache[name]
    party = session.scalar(select(Party).where(Party.name == name))
    if party is None:
        party = Party(name=name, aliases=[])
        session.add(party)
    cache[name] = party
    return party


def review_date_for(
    deadline_type: DeadlineType, meeting_date: dt.date, settings: DeadlineSettings
) -> dt.date | None:
    """Ongoing and open-ended commitments are reviewed on a cadence so that none rots silently."""
    if deadline_type in (DeadlineType.ONGOING, DeadlineType.NONE):
        return meeting_date + dt.timedelta(days=settings.review_cadence_days)
    return None


def store_readout(
    session: Session,
    extracted: ExtractedReadout,
    *,
    title: str | None,
    publisher: str | None,
    source: str | None,
    by: Officer | None,
    desk: Desk | None,
    now: dt.datetime,
    settings: DeadlineSettings,
) -> Readout:
    """Store an extracted (possibly corrected) readout with its points and commitments."""
    text = extracted.text
    check_storable(text)
    duplicate = find_duplicate(session, text)
    if duplicate is not None:
        raise DuplicateReadout(duplicate.id, duplicate.title)
    meeting_date = extracted.meeting_date
    if meeting_date is None:
        raise InvalidInput("the meeting date is unknown; give it with --date")
    readout = Readout(
        title=(title or extracted.title or "Untitled readout").strip()[:500],
        publisher=publisher,
        source=source,
        meeting_date=meeting_date,
        text=text,
        content_hash=content_hash(text),
        ingested_at=now,
        ingested_by=by,
    )
    session.add(readout)
    parties: dict[str, Party] = {}
    owner_desk = desk if desk is not None else (by.desk if by is not None else None)
    # Lookups of parties and events below must not flush half-built rows.
    with session.no_autoflush:
        for point in extracted.points:
            row = ReadoutPoint(
                readout=readout,
                number=point.number[:20],
                position=point.order,
                section=point.section[:300] if point.section else None,
                start_offset=point.start,
                end_offset=point.end,
                kind=PointKind(point.kind),
            )
            session.add(row)
            for item in point.commitments:
                if text[item.start : item.end] != item.quote:
                    raise InvalidInput(f"the quote {item.quote!r} is not the text at its offsets")
                spec = item.deadline
                deadline_type = DeadlineType(spec.type)
                event = find_or_create_event(session, spec.event) if spec.event else None
                due = resolve_due_date(spec, meeting_date, event.date if event else None)
                commitment = Commitment(
                    point=row,
                    readout=readout,
                    quote=item.quote,
                    quote_start=item.start,
                    quote_end=item.end,
                    action=item.action,
                    deadline_type=deadline_type,
                    deadline_text=spec.text,
                    event=event,
                    deadline_relation=Relation(spec.relation) if spec.relation else None,
                    deadline_offset_days=spec.offset_days,
                    due_date=due,
                    review_date=review_date_for(deadline_type, meeting_date, settings),
                    status=Status.OPEN,
                    owner=by,
                    desk=owner_desk,
                    created_at=now,
                    updated_at=now,
                )
                commitment.parties = [
                    get_or_create_party(session, p, parties) for p in dict.fromkeys(item.parties)
                ]
                session.add(commitment)
    session.flush()
    return readout


def ingest_text(
    session: Session,
    text: str,
    *,
    meeting_date: dt.date | None,
    title: str | None = None,
    publisher: str | None = None,
    source: str | None = None,
    by: Officer | None = None,
    desk: Desk | None = None,
    now: dt.datetime,
    settings: DeadlineSettings,
) -> Readout:
    """Extract and store a readout's text; a text stored before raises DuplicateReadout."""
    duplicate = find_duplicate(session, text)
    if duplicate is not None:
        raise DuplicateReadout(duplicate.id, duplicate.title)
    extracted = extract_readout(text, meeting_date, settings)
    return store_readout(
        session,
        extracted,
        title=title,
        publisher=publisher,
        source=source,
        by=by,
        desk=desk,
        now=now,
        settings=settings,
    )
