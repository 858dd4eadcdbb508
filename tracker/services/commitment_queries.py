"""Reading commitments: the filters every list shares, the pages of the web list (numbered) and
of the API (keyset), one commitment with its history, and the JSON shape both show.

Every reader loads what a commitment row shows with the same loader options (`ROW_OPTIONS`), so a
list never lazy-loads row by row. Changing commitments is `tracker.services.commitments`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, outerjoin, selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from tracker import followup
from tracker.models import (
    Commitment,
    Desk,
    Event,
    Officer,
    Party,
    Readout,
    ReadoutPoint,
    Status,
    StatusChange,
    commitment_party,
)
from tracker.services.errors import N_, InvalidInput, NotFound
from tracker.services.history import history_to_dict
from tracker.services.paging import (
    DEFAULT_PAGE_SIZE,
    InvalidCursor,
    Page,
    decode_cursor,
    encode_cursor,
    numbered_page,
    page_size,
)
from tracker.services.permissions import can_see_readout, commitment_visible

# What a row of any commitment list shows beside the commitment itself: its parties, owner, desk,
# event and readout point, each loaded for the whole list in one SELECT.
ROW_OPTIONS: tuple[_AbstractLoad, ...] = (
    selectinload(Commitment.parties),
    selectinload(Commitment.owner),
    selectinload(Commitment.desk),
    selectinload(Commitment.event),
    selectinload(Commitment.point),
)


@dataclass
class CommitmentFilter:
    """The filters shared by the CLI, the web list and the API list."""

    status: str | None = None
    party: str | None = None
    desk: str | None = None
    owner: str | None = None  # an officer's email
    overdue: bool = False
    stale: bool = False
    waiting: bool = False
    due_before: dt.date | None = None
    due_after: dt.date | None = None
    q: str | None = None
    readout_id: int | None = None

    def __post_init__(self) -> None:
        for name in ("status", "party", "desk", "owner", "q"):
            check_filter_text(name, getattr(self, name))


def check_filter_text(name: str, value: str | None) -> str | None:
    """`value` of the text filter `name`; InvalidInput when it holds NUL: no stored text does
    (PostgreSQL cannot store it), and its driver refuses to send one."""
    if value is not None and "\x00" in value:
        raise InvalidInput(N_("the %(name)s filter must not contain NUL characters"), name=name)
    return value


def parse_status(value: str) -> Status:
    """`value` as a Status, or InvalidInput naming the valid ones."""
    try:
        return Status(value)
    except ValueError:
        raise InvalidInput(
            N_("unknown status %(value)r (choose from %(choices)s)"),
            value=value,
            choices=", ".join(s.value for s in Status),
        ) from None


def filtered_query(
    filters: CommitmentFilter, today: dt.date, *, viewer: Officer | None, session: Session | None = None
) -> Select[Commitment]:
    """A SELECT of the commitments that pass `filters` and that `viewer` may see (None: the
    operator at the command line), ordered by due date then id; with `session`, the rule is read
    as a list of hidden readouts (see `commitment_visible`)."""
    stmt = select(Commitment).where(commitment_visible(viewer, session=session))
    if filters.status:
        stmt = stmt.where(Commitment.status == parse_status(filters.status))
    if filters.party:
        name = filters.party.strip().lower()
        stmt = stmt.where(
            exists()
            .where(commitment_party.c.commitment_id == Commitment.id)
            .where(commitment_party.c.party_id == Party.id)
            .where(func.lower(Party.name) == name)
        )
    if filters.desk:
        stmt = stmt.where(
            Commitment.desk_id == select(Desk.id).where(Desk.name == filters.desk).scalar_subquery()
        )
    if filters.owner:
        stmt = stmt.where(
            Commitment.owner_id
            == select(Officer.id)
            .where(func.lower(Officer.email) == filters.owner.strip().lower())
            .scalar_subquery()
        )
    if filters.overdue:
        stmt = stmt.where(followup.overdue(Commitment, today))
    if filters.stale:
        stmt = stmt.where(followup.stale(Commitment, today))
    if filters.waiting:
        stmt = stmt.where(followup.waiting(Commitment))
    if filters.due_before:
        stmt = stmt.where(Commitment.due_date <= filters.due_before)
    if filters.due_after:
        stmt = stmt.where(Commitment.due_date >= filters.due_after)
    if filters.q:
        pattern = f"%{filters.q.strip().lower()}%"
        stmt = stmt.where(
            or_(func.lower(Commitment.quote).like(pattern), func.lower(Commitment.action).like(pattern))
        )
    if filters.readout_id is not None:
        stmt = stmt.where(Commitment.readout_id == filters.readout_id)
    return stmt.order_by(Commitment.due_date.is_(None), Commitment.due_date, Commitment.id)


def list_commitments(
    session: Session,
    filters: CommitmentFilter,
    today: dt.date,
    limit: int | None = None,
    *,
    viewer: Officer | None,
) -> list[Commitment]:
    """The commitments that pass `filters`, with what showing them needs loaded up front."""
    stmt = filtered_query(filters, today, viewer=viewer, session=session).options(*ROW_OPTIONS)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def get_commitment(session: Session, commitment_id: int, *, viewer: Officer | None = None) -> Commitment:
    """The commitment with `commitment_id`, or NotFound (also when `viewer` may not see it;
    None: the operator at the command line)."""
    commitment = session.get(Commitment, commitment_id)
    if commitment is None or not can_see_readout(session, viewer, commitment.readout_id):
        raise NotFound(N_("no commitment with id %(commitment_id)s"), commitment_id=commitment_id)
    return commitment


def to_dict(c: Commitment) -> dict[str, Any]:
    """The JSON shape of a commitment, shared by `tracker show --json` and the API."""
    return {
        "id": c.id,
        "readout_id": c.readout_id,
        "point": c.point.number,
        "kind": c.point.kind.value,
        "quote": c.quote,
        "quote_start": c.quote_start,
        "quote_end": c.quote_end,
        "parties": [p.name for p in c.parties],
        "action": c.action,
        "deadline_type": c.deadline_type.value,
        "deadline_text": c.deadline_text,
        "event": c.event.name if c.event else None,
        "relation": c.deadline_relation.value if c.deadline_relation else None,
        "due_date": c.due_date.isoformat() if c.due_date else None,
        "review_date": c.review_date.isoformat() if c.review_date else None,
        "status": c.status.value,
        "version": c.version,
        "owner": c.owner.email if c.owner else None,
        "desk": c.desk.name if c.desk else None,
        "created_at": c.created_at.isoformat(),
        "updated_at": c.updated_at.isoformat(),
    }


def to_dict_with_history(c: Commitment) -> dict[str, Any]:
    """`to_dict` plus the history, oldest first: `tracker show --json` and the API's one commitment."""
    data = to_dict(c)
    data["history"] = [history_to_dict(h) for h in c.history]
    return data


# Each sort ends in the id so that a page boundary never splits or repeats rows.
# The owner's name, for sorting by owner without joining `officer` into every filtered query.
_owner_name = (
    select(Officer.name).where(Officer.id == Commitment.owner_id).correlate(Commitment).scalar_subquery()
)

# Each sort the list's column headers offer, ascending and descending ("_desc"); the id breaks ties
# so that pages never overlap.
SORTS: dict[str, tuple[str, list[Any]]] = {
    "due": ("Due date (soonest first)", [Commitment.due_date.is_(None), Commitment.due_date, Commitment.id]),
    "due_desc": (
        "Due date (latest first)",
        [Commitment.due_date.is_(None), Commitment.due_date.desc(), Commitment.id.desc()],
    ),
    "updated": ("Recently changed", [Commitment.updated_at.desc(), Commitment.id.desc()]),
    "newest": ("Newest first", [Commitment.id.desc()]),
    "oldest": ("Oldest first", [Commitment.id]),
    "status": (
        "Status",
        [Commitment.status, Commitment.due_date.is_(None), Commitment.due_date, Commitment.id],
    ),
    "status_desc": ("Status (reversed)", [Commitment.status.desc(), Commitment.id.desc()]),
    "action": ("Action (A–Z)", [func.lower(Commitment.action), Commitment.id]),
    "action_desc": ("Action (Z–A)", [func.lower(Commitment.action).desc(), Commitment.id.desc()]),
    "owner": ("Owner (A–Z)", [_owner_name.is_(None), _owner_name, Commitment.id]),
    "owner_desc": ("Owner (Z–A)", [_owner_name.is_(None), _owner_name.desc(), Commitment.id.desc()]),
}
DEFAULT_SORT = "due"


def commitment_page(
    session: Session,
    filters: CommitmentFilter,
    today: dt.date,
    *,
    sort: str = DEFAULT_SORT,
    page: int = 1,
    per_page: int = DEFAULT_PAGE_SIZE,
    viewer: Officer | None,
) -> Page[Commitment]:
    """Page number `page` of the commitments that pass `filters`, sorted, with what a row shows
    loaded (the web list)."""
    if sort not in SORTS:
        raise InvalidInput(N_("unknown sort %(sort)r"), sort=sort)
    # Typed loosely: filtered_query's declared row type does not match SQLAlchemy 2.1's stubs.
    stmt: Select[Any] = filtered_query(filters, today, viewer=viewer, session=session)
    # The readout's marking is shown on each row (need-to-know, issue 19); not its text.
    marking = selectinload(Commitment.readout).load_only(Readout.is_restricted, Readout.marking)
    stmt = stmt.order_by(None).order_by(*SORTS[sort][1]).options(*ROW_OPTIONS, marking)
    rows, total, number = numbered_page(session, stmt, page, per_page)
    return Page(rows, total=total, number=number, per_page=per_page)


# A page is read as plain rows, not ORM objects: one SELECT of the columns an item shows (to_dict
# above, the shape shared with `tracker show --json`), with the
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


def commitment_items_page(
    session: Session,
    filters: CommitmentFilter,
    today: dt.date,
    *,
    cursor: str | None = None,
    limit: int | None = None,
    viewer: Officer | None,
) -> Page[dict[str, Any]]:
    """One page of the commitments that pass `filters`, in the list's order (due date, then id),
    as the items the API shows (exactly to_dict's shape).

    The order is dated rows by (due_date, id), then undated rows by id: the same as ordering by
    (due_date IS NULL, due_date, id), but read as two keyset ranges that plain indexes serve,
    (due_date, id) and the primary key, so a page reads its rows in index order and stops instead
    of sorting every row that passes the filters. The second range is read only when the first
    runs out within the page.
    """
    size = page_size(limit)
    base = filtered_query(filters, today, viewer=viewer, session=session).order_by(None)
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
    return Page([_item(row, parties[row.id]) for row in rows], next_cursor=next_cursor)


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


def load_commitment(session: Session, commitment_id: int, *, viewer: Officer | None) -> Commitment:
    """A commitment with its readout point, parties, owner, desk, event and history loaded;
    NotFound when there is none or `viewer` may not see it."""
    commitment = session.scalar(
        select(Commitment)
        .where(Commitment.id == commitment_id, commitment_visible(viewer))
        .options(
            *ROW_OPTIONS,
            selectinload(Commitment.point).selectinload(ReadoutPoint.readout),
            selectinload(Commitment.history).selectinload(StatusChange.officer),
        )
    )
    if commitment is None:
        raise NotFound(N_("no commitment with id %(commitment_id)s"), commitment_id=commitment_id)
    return commitment


def commitments_by_ids(session: Session, ids: list[int], *, viewer: Officer | None) -> list[Commitment]:
    """The commitments with these ids that `viewer` may see (others are left out), in id order."""
    if not ids:
        return []
    return list(
        session.scalars(
            select(Commitment)
            .where(Commitment.id.in_(ids), commitment_visible(viewer))
            .order_by(Commitment.id)
        )
    )


def event_commitments(session: Session, event_id: int, *, viewer: Officer | None) -> list[Commitment]:
    """Every commitment `viewer` may see whose deadline hangs on the event, soonest due first."""
    return list(
        session.scalars(
            select(Commitment)
            .where(Commitment.event_id == event_id, commitment_visible(viewer))
            .options(*ROW_OPTIONS)
            .order_by(Commitment.due_date.is_(None), Commitment.due_date, Commitment.id)
        )
    )


def feed_commitments(session: Session, officer: Officer) -> list[Commitment]:
    """What an officer's calendar feed shows: the active commitments with a due date that they
    own or that belong to their desk (a supervisor's feed too: a calendar is personal)."""
    mine = Commitment.owner_id == officer.id
    scope = or_(mine, Commitment.desk_id == officer.desk_id) if officer.desk_id is not None else mine
    stmt = (
        select(Commitment)
        .where(
            scope,
            followup.active(Commitment),
            Commitment.due_date.is_not(None),
            commitment_visible(officer),
        )
        .options(*ROW_OPTIONS, selectinload(Commitment.readout))
        .order_by(Commitment.due_date, Commitment.id)
    )
    return list(session.scalars(stmt))
