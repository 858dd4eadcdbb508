"""Ingesting readouts: extract, resolve deadlines against the event registry, store."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from tracker.db import attach_inserted
from tracker.deadlines import CALENDAR_DAYS, DayCounter, DeadlineSettings, resolve_due_date, review_date
from tracker.extraction import ExtractionError, extract, read_document
from tracker.extraction.limits import DEFAULT_LIMITS, ReadingLimits
from tracker.extraction.types import ExtractedReadout
from tracker.isolation import Bounds, Busy, Overrun, run_bounded
from tracker.models import (
    Commitment,
    DeadlineType,
    Desk,
    Event,
    Officer,
    Party,
    PointKind,
    Readout,
    ReadoutPoint,
    Relation,
    Status,
    commitment_party,
)
from tracker.services.desk_policy import desk_days
from tracker.services.errors import N_, DuplicateReadout, InvalidInput, ReaderBusy, UnreadableDocument
from tracker.services.events import find_or_create_event
from tracker.text import one_line, xml_safe


def content_hash(text: str) -> str:
    """The identity of a readout's text: the same words with other line endings or
    surrounding blank space are the same readout."""
    normalised = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def find_duplicate(session: Session, text: str) -> Readout | None:
    """The stored readout with the same text, if any."""
    return session.scalar(select(Readout).where(Readout.content_hash == content_hash(text)))


def extract_readout(
    text: str,
    meeting_date: dt.date | None,
    settings: DeadlineSettings,
    *,
    publisher: str | None = None,
    language: str | None = None,
    limits: ReadingLimits = DEFAULT_LIMITS,
) -> ExtractedReadout:
    """Run the extraction pipeline, refusing what cannot be stored (no points, no date, over
    `limits`).

    The publisher, as the officer typed it, tells extraction whose side the readout speaks for:
    a readout calls its own leader just "the Prime Minister". `language` ("en", "ja") is the
    officer's choice of grammar; None detects it from the text.
    """
    check_storable(text)
    # Characters XML cannot hold would reach the Word brief in quotes (issue 19): replaced one
    # for one, so no offset moves.
    text = xml_safe(text)
    try:
        extracted = extract(
            text, meeting_date, settings, publisher=publisher, language=language, limits=limits
        )
    except ExtractionError as exc:
        raise InvalidInput(str(exc)) from exc
    if extracted.meeting_date is None:
        raise InvalidInput(
            N_("the meeting date is unknown (%(meeting_date_basis)s); give it with --date"),
            meeting_date_basis=extracted.meeting_date_basis,
        )
    if not extracted.points:
        raise InvalidInput(N_("no points found in the readout"))
    return extracted


def read_and_extract(
    document: bytes | None,
    filename: str | None,
    text: str,
    meeting_date: dt.date | None,
    settings: DeadlineSettings,
    *,
    publisher: str | None = None,
    language: str | None = None,
    limits: ReadingLimits = DEFAULT_LIMITS,
) -> ExtractedReadout:
    """Read an uploaded document (or take the pasted `text` when there is none) and extract it.

    Needs no database: callers run it before they open a write (issue 19), and the web app in a
    worker process under time and memory limits. UnreadableDocument for a file that cannot be
    read, InvalidInput for text that gives no readout.
    """
    if document is not None:
        try:
            text = read_document(document, filename or "upload.txt", limits)
        except ExtractionError as exc:
            raise UnreadableDocument(N_("the file could not be read: %(exc)s"), exc=exc) from exc
    if not text.strip():
        raise InvalidInput(N_("paste the readout's text or choose a file"))
    return extract_readout(
        text, meeting_date, settings, publisher=publisher, language=language, limits=limits
    )


def read_and_extract_bounded(
    document: bytes | None,
    filename: str | None,
    text: str,
    meeting_date: dt.date | None,
    settings: DeadlineSettings,
    *,
    publisher: str | None = None,
    language: str | None = None,
    limits: ReadingLimits = DEFAULT_LIMITS,
    bounds: Bounds,
) -> ExtractedReadout:
    """`read_and_extract` in a worker process under `bounds` (time, memory), so that no
    document can take the caller down; UnreadableDocument when it overruns them, ReaderBusy when
    no worker came free in time."""
    measured = run_bounded(
        read_and_extract,
        document,
        filename,
        text,
        meeting_date,
        settings,
        publisher=publisher,
        language=language,
        limits=limits,
        bounds=bounds,
    )
    if isinstance(measured.error, Busy):
        raise ReaderBusy(str(measured.error)) from measured.error
    if isinstance(measured.error, Overrun):
        raise UnreadableDocument(
            N_("the readout could not be read: %(error)s"), error=measured.error
        ) from measured.error
    return measured.result()


def check_storable(text: str) -> None:
    """Refuse text that no database column can hold verbatim, before anything is written."""
    if not text.strip():
        raise InvalidInput(N_("the readout is empty"))
    if "\x00" in text:
        # PostgreSQL text cannot hold NUL, and a readout never has one: it is a binary file.
        raise InvalidInput(N_("the readout contains NUL bytes: it looks like a binary file, not text"))


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
    deadline_type: DeadlineType,
    meeting_date: dt.date,
    settings: DeadlineSettings,
    days: DayCounter = CALENDAR_DAYS,
) -> dt.date | None:
    """Ongoing and open-ended commitments are reviewed on a cadence so that none rots silently
    (counted in the owning desk's days)."""
    if deadline_type in (DeadlineType.ONGOING, DeadlineType.NONE):
        return review_date(meeting_date, settings, days)
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
    digest = content_hash(text)
    _refuse_duplicate(session, digest)
    return _store(
        session,
        extracted,
        digest,
        title=title,
        publisher=publisher,
        source=source,
        by=by,
        desk=desk,
        now=now,
        settings=settings,
    )


def _refuse_duplicate(session: Session, digest: str) -> None:
    """DuplicateReadout when a readout with this content hash is stored (by the unique index)."""
    row = session.execute(_DUPLICATE, {"digest": digest}).first()
    if row is not None:
        raise DuplicateReadout(row.id, row.title)


def _resolve_parties(session: Session, names: list[str]) -> dict[str, Party]:
    """The parties called `names` (one SELECT), the new ones created (one INSERT)."""
    if not names:
        return {}
    found = {p.name: p for p in session.scalars(_PARTIES, {"names": names})}
    # Sorted, so that two ingests inserting the same new parties take their keys in one order.
    missing = sorted(n for n in names if n not in found)
    if not missing:
        return found
    if session.connection().dialect.name == "sqlite":
        # Under SQLite's write lock nobody else inserts: the batch of known ids stands.
        values: list[dict[str, object]] = [{"name": n, "aliases": []} for n in missing]
        ids = _insert_returning_ids(session, _PARTY, values)
        new = [Party(id=i, name=v["name"], aliases=[]) for i, v in zip(ids, values, strict=True)]
        attach_inserted(session, new)
        found.update((p.name, p) for p in new)
        return found
    # PostgreSQL: a concurrent ingest may be inserting the same new party. ON CONFLICT DO NOTHING
    # waits for it and skips the row instead of failing the whole ingest on the unique name
    # (issue 19 item 5); the rows it made are then read like the ones that were there.
    inserted = session.execute(
        postgresql.insert(_PARTY).on_conflict_do_nothing().returning(_PARTY.c.id, _PARTY.c.name),
        [{"name": n, "aliases": []} for n in missing],
    ).all()
    new = [Party(id=row.id, name=row.name, aliases=[]) for row in inserted]
    attach_inserted(session, new)
    found.update((p.name, p) for p in new)
    rest = [n for n in missing if n not in found]
    if rest:
        found.update((p.name, p) for p in session.scalars(_PARTIES, {"names": rest}))
    return found


def _store(
    session: Session,
    extracted: ExtractedReadout,
    digest: str,
    *,
    title: str | None,
    publisher: str | None,
    source: str | None,
    by: Officer | None,
    desk: Desk | None,
    now: dt.datetime,
    settings: DeadlineSettings,
) -> Readout:
    """Insert the readout, its points, commitments, new parties and party links with one
    statement per table (see _insert_returning_ids), then give back the ORM objects, attached
    to the session and loaded, as a flush of the same objects would have left them.

    The ORM's flush sent one INSERT ... RETURNING per object on SQLite (about 35 a readout)
    and looked parties and events up once per commitment: 77 readouts/s at 1M commitments."""
    meeting_date = extracted.meeting_date
    if meeting_date is None:
        raise InvalidInput(N_("the meeting date is unknown; give it with --date"))
    _check_quotes(extracted)  # everything is checked before anything is written
    # Pending changes first (the rows below may refer to them); then no flush until the end.
    session.flush()
    with session.no_autoflush:
        # The readout first: on SQLite its INSERT takes the write lock that the bulk inserts
        # below rely on.
        readout = _insert_readout(
            session, extracted, digest, title=title, publisher=publisher, source=source, by=by, now=now
        )
        events = _events_of(session, extracted)
        parties = _resolve_parties(
            session, list(dict.fromkeys(p for item in extracted.commitments for p in item.parties))
        )
        points = _insert_points(session, extracted, readout.id)
        owner_desk = desk if desk is not None else (by.desk if by is not None else None)
        commitments = _insert_commitments(
            session,
            extracted,
            points,
            events,
            parties,
            meeting_date,
            by,
            owner_desk.id if owner_desk is not None else None,
            now,
            settings,
            desk_days(owner_desk),
        )
        attach_inserted(session, [readout, *points, *(c for c, _ in commitments)])
        _set_loaded_relationships(readout, points, commitments, by, desk)
    session.flush()
    return readout


def _check_quotes(extracted: ExtractedReadout) -> None:
    """InvalidInput unless every commitment's quote is the text at its offsets."""
    for item in extracted.commitments:
        if extracted.text[item.start : item.end] != item.quote:
            raise InvalidInput(N_("the quote %(quote)r is not the text at its offsets"), quote=item.quote)


def _insert_readout(
    session: Session,
    extracted: ExtractedReadout,
    digest: str,
    *,
    title: str | None,
    publisher: str | None,
    source: str | None,
    by: Officer | None,
    now: dt.datetime,
) -> Readout:
    values = {
        "title": one_line(title or extracted.title or "Untitled readout").strip()[:500],
        "publisher": one_line(publisher) if publisher is not None else None,
        "source": one_line(source) if source is not None else None,
        "meeting_date": extracted.meeting_date,
        "language": extracted.language,
        "text": extracted.text,
        "content_hash": digest,
        "ingested_at": now,
        "ingested_by_id": by.id if by is not None else None,
    }
    readout_id = session.execute(insert(_READOUT).returning(_READOUT.c.id), values).scalar_one()
    return Readout(id=readout_id, **values)


def _events_of(session: Session, extracted: ExtractedReadout) -> dict[str, Event]:
    """The registry's event for each event name the deadlines hang on, created when new."""
    names = {item.deadline.event for item in extracted.commitments if item.deadline.event}
    # In one order (sorted), so that two ingests creating the same new events never wait on
    # each other's keys crosswise.
    return {name: find_or_create_event(session, name) for name in sorted(names)}


def _insert_points(session: Session, extracted: ExtractedReadout, readout_id: int) -> list[ReadoutPoint]:
    values: list[dict[str, object]] = [
        {
            "readout_id": readout_id,
            "number": point.number[:20],
            "position": point.order,
            "section": point.section[:300] if point.section else None,
            "start_offset": point.start,
            "end_offset": point.end,
            "kind": PointKind(point.kind),
        }
        for point in extracted.points
    ]
    ids = _insert_returning_ids(session, _POINT, values)
    return [ReadoutPoint(id=i, **v) for i, v in zip(ids, values, strict=True)]


# A stored commitment and what it links to: its point's index, its event and its parties.
_Stored = tuple[Commitment, tuple[int, Event | None, list[Party]]]


def _insert_commitments(
    session: Session,
    extracted: ExtractedReadout,
    points: list[ReadoutPoint],
    events: dict[str, Event],
    parties: dict[str, Party],
    meeting_date: dt.date,
    by: Officer | None,
    desk_id: int | None,
    now: dt.datetime,
    settings: DeadlineSettings,
    days: DayCounter,
) -> list[_Stored]:
    """Insert the commitments (due and review dates resolved, in the desk's `days`) and their
    party links."""
    values: list[dict[str, object]] = []
    links: list[tuple[int, Event | None, list[Party]]] = []
    for index, point in enumerate(extracted.points):
        for item in point.commitments:
            spec = item.deadline
            deadline_type = DeadlineType(spec.type)
            event = events[spec.event] if spec.event else None
            values.append(
                {
                    "point_id": points[index].id,
                    "readout_id": points[index].readout_id,
                    "quote": item.quote,
                    "quote_start": item.start,
                    "quote_end": item.end,
                    "action": item.action,
                    "deadline_type": deadline_type,
                    "deadline_text": spec.text,
                    "event_id": event.id if event is not None else None,
                    "deadline_relation": Relation(spec.relation) if spec.relation else None,
                    "deadline_offset_days": spec.offset_days,
                    "due_date": resolve_due_date(spec, meeting_date, event.date if event else None, days),
                    "review_date": review_date_for(deadline_type, meeting_date, settings, days),
                    "status": Status.OPEN,
                    "owner_id": by.id if by is not None else None,
                    "desk_id": desk_id,
                    "version": 1,
                    "flagged_overdue_at": None,
                    "flagged_stale_at": None,
                    "created_at": now,
                    "updated_at": now,
                    "outcome": None,
                    "outcome_note": None,
                    "outcome_at": None,
                    "outcome_by_id": None,
                }
            )
            links.append((index, event, [parties[p] for p in dict.fromkeys(item.parties)]))
    ids = _insert_returning_ids(session, _COMMITMENT, values)
    party_rows = [
        {"commitment_id": cid, "party_id": party.id}
        for cid, (_, _, linked) in zip(ids, links, strict=True)
        for party in linked
    ]
    if party_rows:
        session.execute(insert(commitment_party), party_rows)
    return [(Commitment(id=cid, **v), link) for cid, v, link in zip(ids, values, links, strict=True)]


def _set_loaded_relationships(
    readout: Readout,
    points: list[ReadoutPoint],
    commitments: list[_Stored],
    by: Officer | None,
    desk: Desk | None,
) -> None:
    """Set the new objects' relationships as loaded, as reading them back would."""
    set_committed_value(readout, "ingested_by", by)
    for point in points:
        set_committed_value(point, "readout", readout)
    by_point: list[list[Commitment]] = [[] for _ in points]
    for commitment, (index, event, linked) in commitments:
        set_committed_value(commitment, "point", points[index])
        set_committed_value(commitment, "readout", readout)
        set_committed_value(commitment, "event", event)
        set_committed_value(commitment, "owner", by)
        if desk is not None:
            set_committed_value(commitment, "desk", desk)
        set_committed_value(commitment, "outcome_by", None)
        set_committed_value(commitment, "parties", linked)
        by_point[index].append(commitment)
    for point, in_point in zip(points, by_point, strict=True):
        set_committed_value(point, "commitments", in_point)
    set_committed_value(readout, "points", points)


def _insert_returning_ids(session: Session, table: Table, values: list[dict[str, object]]) -> list[int]:
    """Insert `values` into `table` in one batch; the new rows' ids, in the order of `values`.

    Called after this transaction's first INSERT, so it holds the database's write lock.
    """
    if not values:
        return []
    if session.connection().dialect.name == "sqlite":
        # SQLite cannot return the ids of a multi-row INSERT in parameter order, so SQLAlchemy
        # would send one INSERT per row; under the write lock nobody else inserts, so give the
        # rows the ids SQLite would have given them (max + 1, ...) and send one executemany.
        first = (session.execute(_MAX_ID[table.name]).scalar() or 0) + 1
        ids = list(range(first, first + len(values)))
        session.execute(insert(table), [{"id": i, **v} for i, v in zip(ids, values, strict=True)])
        return ids
    # Elsewhere (PostgreSQL) insertmanyvalues batches the rows and RETURNING keeps their order.
    result = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), values)
    return list(result.scalars())


_READOUT: Table = Readout.__table__  # type: ignore[assignment]
_POINT: Table = ReadoutPoint.__table__  # type: ignore[assignment]
_COMMITMENT: Table = Commitment.__table__  # type: ignore[assignment]
_PARTY: Table = Party.__table__  # type: ignore[assignment]
# Built once: statements are cached compiled, but building the expression costs on every call.
_DUPLICATE = select(Readout.id, Readout.title).where(Readout.content_hash == bindparam("digest"))
_PARTIES = select(Party).where(Party.name.in_(bindparam("names", expanding=True)))
_MAX_ID = {t.name: select(func.max(t.c.id)) for t in (_POINT, _COMMITMENT, _PARTY)}


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
    language: str | None = None,
    extracted: ExtractedReadout | None = None,
) -> Readout:
    """Extract and store a readout's text; a text stored before raises DuplicateReadout.

    `language` overrides the detected language ("en", "ja"). `extracted` is the text's
    extraction when the caller ran it already, outside the write (see `read_and_extract`)."""
    digest = content_hash(text)
    _refuse_duplicate(session, digest)
    if extracted is None:
        extracted = extract_readout(text, meeting_date, settings, publisher=publisher, language=language)
    check_storable(extracted.text)
    stored_digest = content_hash(extracted.text)
    if stored_digest != digest:
        _refuse_duplicate(session, stored_digest)
    return _store(
        session,
        extracted,
        stored_digest,
        title=title,
        publisher=publisher,
        source=source,
        by=by,
        desk=desk,
        now=now,
        settings=settings,
    )
