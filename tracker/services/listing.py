"""Pages of commitments for the web list: sorting, paging and the choices the filters offer."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Commitment, Desk, Officer, Party, Readout, ReadoutPoint, StatusChange
from tracker.services.commitments import CommitmentFilter, filtered_query
from tracker.services.errors import InvalidInput, NotFound

T = TypeVar("T")

# Each sort ends in the id so that a page boundary never splits or repeats rows.
SORTS: dict[str, tuple[str, list[Any]]] = {
    "due": ("Due date (soonest first)", [Commitment.due_date.is_(None), Commitment.due_date, Commitment.id]),
    "due_desc": (
        "Due date (latest first)",
        [Commitment.due_date.is_(None), Commitment.due_date.desc(), Commitment.id.desc()],
    ),
    "updated": ("Recently changed", [Commitment.updated_at.desc(), Commitment.id.desc()]),
    "newest": ("Newest first", [Commitment.id.desc()]),
    "status": (
        "Status",
        [Commitment.status, Commitment.due_date.is_(None), Commitment.due_date, Commitment.id],
    ),
}
DEFAULT_SORT = "due"


@dataclass
class Page(Generic[T]):
    """One page of rows and where it sits in the whole result."""

    rows: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def count_of(session: Session, stmt: Select[Any]) -> int:
    """How many rows `stmt` selects, ignoring its ordering."""
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def commitment_page(
    session: Session,
    filters: CommitmentFilter,
    today: dt.date,
    *,
    sort: str = DEFAULT_SORT,
    page: int = 1,
    per_page: int = 50,
) -> Page[Commitment]:
    """One page of the commitments that pass `filters`, sorted, with what a row shows loaded."""
    if sort not in SORTS:
        raise InvalidInput(f"unknown sort {sort!r}")
    page = max(1, page)
    # Typed loosely: filtered_query's declared row type does not match SQLAlchemy 2.1's stubs.
    stmt: Select[Any] = filtered_query(filters, today)
    total = count_of(session, stmt)
    rows = session.scalars(
        stmt.order_by(None)
        .order_by(*SORTS[sort][1])
        .options(
            selectinload(Commitment.parties),
            selectinload(Commitment.owner),
            selectinload(Commitment.desk),
            selectinload(Commitment.event),
            selectinload(Commitment.point),
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(rows), total, page, per_page)


@dataclass
class FilterChoices:
    """What the filter and edit forms offer: officers, desks and parties by name."""

    officers: list[Officer]
    desks: list[Desk]
    parties: list[str]


def filter_choices(session: Session) -> FilterChoices:
    """Active officers, all desks and all party names, each sorted for a select list."""
    officers = session.scalars(
        select(Officer).where(Officer.is_active.is_(True)).order_by(Officer.name, Officer.email)
    ).all()
    desks = session.scalars(select(Desk).order_by(Desk.name)).all()
    parties = session.scalars(select(Party.name).order_by(Party.name)).all()
    return FilterChoices(list(officers), list(desks), list(parties))


def load_commitment(session: Session, commitment_id: int) -> Commitment:
    """A commitment with its readout point, parties, owner, desk, event and history loaded."""
    commitment = session.scalar(
        select(Commitment)
        .where(Commitment.id == commitment_id)
        .options(
            selectinload(Commitment.point).selectinload(ReadoutPoint.readout),
            selectinload(Commitment.parties),
            selectinload(Commitment.owner),
            selectinload(Commitment.desk),
            selectinload(Commitment.event),
            selectinload(Commitment.history).selectinload(StatusChange.officer),
        )
    )
    if commitment is None:
        raise NotFound(f"no commitment with id {commitment_id}")
    return commitment


def commitments_by_ids(session: Session, ids: list[int]) -> list[Commitment]:
    """The commitments with these ids (missing ones are left out), in id order."""
    if not ids:
        return []
    return list(session.scalars(select(Commitment).where(Commitment.id.in_(ids)).order_by(Commitment.id)))


def readout_title(session: Session, readout_id: int) -> str | None:
    return session.scalar(select(Readout.title).where(Readout.id == readout_id))


def event_commitments(session: Session, event_id: int) -> list[Commitment]:
    """Every commitment whose deadline hangs on the event, soonest due first."""
    return list(
        session.scalars(
            select(Commitment)
            .where(Commitment.event_id == event_id)
            .options(
                selectinload(Commitment.parties),
                selectinload(Commitment.owner),
                selectinload(Commitment.desk),
                selectinload(Commitment.event),
                selectinload(Commitment.point),
            )
            .order_by(Commitment.due_date.is_(None), Commitment.due_date, Commitment.id)
        )
    )
