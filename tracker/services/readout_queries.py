"""Finding stored readouts (title, publisher, dates, party) and loading one with its points."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session, selectinload

from tracker import followup
from tracker.models import Commitment, Officer, Party, Readout, ReadoutPoint, commitment_party
from tracker.services.commitment_queries import ROW_OPTIONS
from tracker.services.errors import N_, NotFound
from tracker.services.paging import InvalidCursor, Page, count_of, decode_cursor, encode_cursor, page_size
from tracker.services.permissions import readout_visible


@dataclass
class ReadoutFilter:
    q: str | None = None  # words in the title
    publisher: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    party: str | None = None  # a party named in one of its commitments


@dataclass
class ReadoutRow:
    readout: Readout
    commitments: int
    open_commitments: int


def _like(value: str) -> str:
    # LIKE wildcards typed by the officer are meant literally.
    escaped = value.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_readouts(
    session: Session, filters: ReadoutFilter, *, page: int = 1, per_page: int = 50, viewer: Officer | None
) -> Page[ReadoutRow]:
    """Readouts passing `filters` that `viewer` may see, newest meeting first, with their
    commitment counts."""
    stmt = select(Readout).where(readout_visible(viewer))
    if filters.q:
        stmt = stmt.where(func.lower(Readout.title).like(_like(filters.q), escape="\\"))
    if filters.publisher:
        stmt = stmt.where(func.lower(Readout.publisher).like(_like(filters.publisher), escape="\\"))
    if filters.date_from:
        stmt = stmt.where(Readout.meeting_date >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Readout.meeting_date <= filters.date_to)
    if filters.party:
        stmt = stmt.where(
            exists()
            .where(Commitment.readout_id == Readout.id)
            .where(commitment_party.c.commitment_id == Commitment.id)
            .where(commitment_party.c.party_id == Party.id)
            .where(func.lower(Party.name) == filters.party.strip().lower())
        )
    total = count_of(session, stmt)
    page = max(1, page)
    readouts = session.scalars(
        stmt.order_by(Readout.meeting_date.desc(), Readout.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    ids = [r.id for r in readouts]
    counts: dict[int, tuple[int, int]] = {}
    if ids:
        for readout_id, total_count, open_count in session.execute(
            select(
                Commitment.readout_id,
                func.count(),
                func.coalesce(func.sum(case((followup.active(Commitment), 1), else_=0)), 0),
            )
            .where(Commitment.readout_id.in_(ids))
            .group_by(Commitment.readout_id)
        ):
            counts[readout_id] = (total_count, open_count)
    rows = [ReadoutRow(r, *counts.get(r.id, (0, 0))) for r in readouts]
    return Page(rows, total=total, number=page, per_page=per_page)


def load_readout(session: Session, readout_id: int, *, viewer: Officer | None) -> Readout:
    """A readout with its points, their commitments and what those show, or NotFound (also
    when `viewer` may not see it)."""
    readout = session.scalar(
        select(Readout)
        .where(Readout.id == readout_id, readout_visible(viewer))
        .options(
            selectinload(Readout.points).selectinload(ReadoutPoint.commitments).options(*ROW_OPTIONS),
            selectinload(Readout.ingested_by),
        )
    )
    if readout is None:
        raise NotFound(N_("no readout with id %(readout_id)s"), readout_id=readout_id)
    return readout


def readout_title(session: Session, readout_id: int, *, viewer: Officer | None) -> str | None:
    """The readout's title, or None when there is no such readout or `viewer` may not see it."""
    return session.scalar(select(Readout.title).where(Readout.id == readout_id, readout_visible(viewer)))


def readout_page(
    session: Session, *, cursor: str | None = None, limit: int | None = None, viewer: Officer | None
) -> Page[Readout]:
    """One page of the readouts `viewer` may see, the most recently stored first (by id)."""
    size = page_size(limit)
    stmt = (
        select(Readout)
        .where(readout_visible(viewer))
        .options(selectinload(Readout.ingested_by))
        .order_by(Readout.id.desc())
    )
    if cursor is not None:
        last_id = decode_cursor(cursor, "r").get("i")
        if not isinstance(last_id, int):
            raise InvalidCursor("the cursor is not one this API gave out")
        stmt = stmt.where(Readout.id < last_id)
    rows = list(session.scalars(stmt.limit(size + 1)))
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = encode_cursor({"k": "r", "i": rows[-1].id})
    return Page(rows, next_cursor=next_cursor)
