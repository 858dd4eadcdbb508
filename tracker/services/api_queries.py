"""Keyset pagination for the API's lists: pages that stay stable while rows are added.

An offset would skip or repeat rows when others are inserted or deleted between two page
requests; a keyset cursor names the last row seen in the list's total order instead, so the
next page starts right after it whatever happened before it.

The cursor is opaque to clients (URL-safe base64 of a small JSON object); a cursor that does
not decode is InvalidCursor.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.models import ACTIVE_STATUSES, Commitment, Desk, Event, Officer, Party, Readout, ReadoutPoint
from tracker.services.commitments import CommitmentFilter, filtered_query
from tracker.services.errors import InvalidInput

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


class InvalidCursor(InvalidInput):
    pass


def encode_cursor(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, kind: str) -> dict[str, Any]:
    """The cursor's fields, checked to be a cursor of this `kind` of list."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidCursor("the cursor is not one this API gave out") from None
    if not isinstance(data, dict) or data.get("k") != kind:
        raise InvalidCursor("the cursor is not one this API gave out")
    return data


T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def _page_size(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_PAGE_SIZE
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE_SIZE}")
    return limit


# The many-to-one rows (owner, desk, event, point) come in the page's own SELECT as outer joins,
# each with only the columns a page shows (to_dict); the parties, a collection, in one more.
_PAGE_OPTIONS = (
    selectinload(Commitment.parties).load_only(Party.name),
    joinedload(Commitment.owner).load_only(Officer.email),
    joinedload(Commitment.desk).load_only(Desk.name),
    joinedload(Commitment.event).load_only(Event.name),
    joinedload(Commitment.point).load_only(ReadoutPoint.number, ReadoutPoint.kind),
)


def commitment_page(
    session: Session,
    filters: CommitmentFilter,
    today: dt.date,
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Commitment]:
    """One page of the commitments that pass `filters`, in the list's order (due date, then id).

    The order is dated rows by (due_date, id), then undated rows by id: the same as ordering by
    (due_date IS NULL, due_date, id), but read as two keyset ranges that plain indexes serve,
    (due_date, id) and the primary key, so a page reads its rows in index order and stops instead
    of sorting every row that passes the filters. The second range is read only when the first
    runs out within the page.
    """
    size = _page_size(limit)
    base = filtered_query(filters, today).order_by(None)
    dated: Select[Commitment] | None = base.where(Commitment.due_date.is_not(None))
    undated = base.where(Commitment.due_date.is_(None))
    if cursor is not None:
        data = decode_cursor(cursor, "c")
        last_id, last_due = data.get("i"), data.get("d")
        if not isinstance(last_id, int) or not (last_due is None or isinstance(last_due, str)):
            raise InvalidCursor("the cursor is not one this API gave out")
        if last_due is None:
            dated = None  # past every dated row
            undated = undated.where(Commitment.id > last_id)
        else:
            try:
                due = dt.date.fromisoformat(last_due)
            except ValueError:
                raise InvalidCursor("the cursor is not one this API gave out") from None
            assert dated is not None
            dated = dated.where(
                or_(Commitment.due_date > due, and_(Commitment.due_date == due, Commitment.id > last_id))
            )
    rows: list[Commitment] = []
    if dated is not None:
        stmt = dated.order_by(Commitment.due_date, Commitment.id).options(*_PAGE_OPTIONS).limit(size + 1)
        rows = list(session.scalars(stmt))
    if len(rows) <= size:
        stmt = undated.order_by(Commitment.id).options(*_PAGE_OPTIONS).limit(size + 1 - len(rows))
        rows += list(session.scalars(stmt))
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor(
            {"k": "c", "i": last.id, "d": last.due_date.isoformat() if last.due_date else None}
        )
    return Page(rows, next_cursor)


def readout_page(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[Readout]:
    """One page of readouts, the most recently stored first (by id, which only grows)."""
    size = _page_size(limit)
    stmt = select(Readout).options(selectinload(Readout.ingested_by)).order_by(Readout.id.desc())
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
    return Page(rows, next_cursor)


def feed_commitments(session: Session, officer: Officer) -> list[Commitment]:
    """What an officer's calendar feed shows: the active commitments with a due date that they
    own or that belong to their desk (a supervisor's feed too: a calendar is personal)."""
    mine = Commitment.owner_id == officer.id
    scope = or_(mine, Commitment.desk_id == officer.desk_id) if officer.desk_id is not None else mine
    stmt = (
        select(Commitment)
        .where(scope, Commitment.status.in_(ACTIVE_STATUSES), Commitment.due_date.is_not(None))
        .options(
            selectinload(Commitment.parties),
            selectinload(Commitment.owner),
            selectinload(Commitment.desk),
            selectinload(Commitment.event),
            selectinload(Commitment.readout),
        )
        .order_by(Commitment.due_date, Commitment.id)
    )
    return list(session.scalars(stmt))
