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
from sqlalchemy.orm import Session, aliased, outerjoin, selectinload

from tracker import followup
from tracker.models import (
    Commitment,
    Desk,
    Event,
    Officer,
    Party,
    Readout,
    ReadoutPoint,
    commitment_party,
)
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


# A page is read as plain rows, not ORM objects: one SELECT of the columns an item shows (to_dict
# in tracker/services/commitments.py, the shape shared with `tracker show --json`), with the
# many-to-one rows (point, event, owner, desk) as outer joins, and one SELECT of the page's
# parties. Building ~50 Commitment objects with their related objects cost more CPU than the
# query itself. The joined tables are aliases: the owner and desk filters are scalar subqueries
# on `officer` and `desk`, which would otherwise correlate with the joined tables.
_point = aliased(ReadoutPoint, name="page_point")
_event = aliased(Event, name="page_event")
_owner = aliased(Officer, name="page_owner")
_desk = aliased(Desk, name="page_desk")
_PAGE_FROM = (
    outerjoin(Commitment, _point, Commitment.point_id == _point.id)
    .outerjoin(_event, Commitment.event_id == _event.id)
    .outerjoin(_owner, Commitment.owner_id == _owner.id)
    .outerjoin(_desk, Commitment.desk_id == _desk.id)
)
# In this order, unpacked by _item (which must produce exactly what to_dict does).
_PAGE_COLUMNS = (
    Commitment.id,
    Commitment.readout_id,
    _point.number,
    _point.kind,
    Commitment.quote,
    Commitment.quote_start,
    Commitment.quote_end,
    Commitment.action,
    Commitment.deadline_type,
    Commitment.deadline_text,
    _event.name,
    Commitment.deadline_relation,
    Commitment.due_date,
    Commitment.review_date,
    Commitment.status,
    Commitment.version,
    _owner.email,
    _desk.name,
    Commitment.created_at,
    Commitment.updated_at,
)


def _item(row: Any, parties: list[str]) -> dict[str, Any]:
    """One row of _PAGE_COLUMNS as to_dict(commitment) would give it."""
    (
        id_,
        readout_id,
        point,
        kind,
        quote,
        quote_start,
        quote_end,
        action,
        deadline_type,
        deadline_text,
        event,
        relation,
        due_date,
        review_date,
        status,
        version,
        owner,
        desk,
        created_at,
        updated_at,
    ) = row
    return {
        "id": id_,
        "readout_id": readout_id,
        "point": point,
        "kind": kind.value,
        "quote": quote,
        "quote_start": quote_start,
        "quote_end": quote_end,
        "parties": parties,
        "action": action,
        "deadline_type": deadline_type.value,
        "deadline_text": deadline_text,
        "event": event,
        "relation": relation.value if relation else None,
        "due_date": due_date.isoformat() if due_date else None,
        "review_date": review_date.isoformat() if review_date else None,
        "status": status.value,
        "version": version,
        "owner": owner,
        "desk": desk,
        "created_at": created_at.isoformat(),
        "updated_at": updated_at.isoformat(),
    }


def _page_rows(stmt: Select[Any], session: Session) -> list[Any]:
    return list(session.execute(stmt.with_only_columns(*_PAGE_COLUMNS).select_from(_PAGE_FROM)))


def _party_names(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """Each commitment's party names, by name (the order of Commitment.parties)."""
    names: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        stmt = (
            select(commitment_party.c.commitment_id, Party.name)
            .join(Party, Party.id == commitment_party.c.party_id)
            .where(commitment_party.c.commitment_id.in_(ids))
            .order_by(commitment_party.c.commitment_id, Party.name)
        )
        for commitment_id, name in session.execute(stmt):
            names[commitment_id].append(name)
    return names


def commitment_page(
    session: Session,
    filters: CommitmentFilter,
    today: dt.date,
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[dict[str, Any]]:
    """One page of the commitments that pass `filters`, in the list's order (due date, then id),
    as the items the API shows (exactly to_dict's shape).

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
    rows: list[Any] = []
    if dated is not None:
        rows = _page_rows(dated.order_by(Commitment.due_date, Commitment.id).limit(size + 1), session)
    if len(rows) <= size:
        rows += _page_rows(undated.order_by(Commitment.id).limit(size + 1 - len(rows)), session)
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor(
            {"k": "c", "i": last.id, "d": last.due_date.isoformat() if last.due_date else None}
        )
    parties = _party_names(session, [row.id for row in rows])
    return Page([_item(row, parties[row.id]) for row in rows], next_cursor)


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
        .where(scope, followup.active(Commitment), Commitment.due_date.is_not(None))
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
