"""The dashboard: an officer's and a desk's commitments that need attention, in a fixed number of queries.

Four buckets (overdue, due within the horizon, stale, waiting on an event date) for two scopes
(mine; my desk's, owned by others). Each bucket shows its first ROWS_PER_BUCKET rows, with its
exact count and a link to the full list (the commitments list filtered to that bucket).

Three statements, whatever the size of the data (issue 7, measured at 1,000,000 commitments):
- the counts: one SELECT of scalar `count(*)` subqueries, each answered from an index alone
  (owner's or desk's (status, due_date | review_date), and a partial index for the waiting
  bucket). The desk section excludes my own rows by subtracting my rows on that desk rather than
  by testing owner_id row by row, which would read every row of the desk's bucket;
- the rows: one UNION ALL of `ORDER BY ... LIMIT` subqueries per scope, bucket and active status,
  each walking an index in order and stopping after ROWS_PER_BUCKET rows (one per status because
  an index on (status, due_date) is in due-date order only within one status), read as plain rows;
- the parties of the shown rows.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from tracker import followup
from tracker.followup import ACTIVE_STATUSES, SECTIONS, FollowUpState, section_conditions
from tracker.models import (
    Commitment,
    DeadlineType,
    Desk,
    Event,
    Officer,
    Party,
    Status,
    commitment_party,
)
from tracker.services.permissions import commitment_visible_bound, hidden_ids, sees_every_desk

BUCKETS = SECTIONS
BUCKET_LABELS = {
    "overdue": "Overdue",
    "due_soon": "Due in the next 7 days",
    "stale": "Stale (no update since the review date)",
    "waiting": "Waiting on an event date",
}
# Rows shown per bucket and scope; the counts stay exact and link to the full filtered list.
ROWS_PER_BUCKET = 10


@dataclass(frozen=True)
class Named:
    name: str


@dataclass
class DashboardRow(FollowUpState):
    """What the dashboard shows of a commitment: a plain row, not an ORM entity (no loading)."""

    id: int
    action: str
    due_date: dt.date | None
    review_date: dt.date | None
    status: Status
    deadline_type: DeadlineType
    owner: Named | None
    event: Named | None
    parties: list[Named] = field(default_factory=list)


@dataclass
class Scope:
    """One scope's buckets: the first rows of each and the true counts."""

    label: str
    rows: dict[str, list[DashboardRow]] = field(default_factory=lambda: {b: [] for b in BUCKETS})
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))


@dataclass
class Dashboard:
    mine: Scope
    desk: Scope | None
    desk_name: str | None  # the desk filter for links; None for "all desks"
    horizon_days: int


# The statements are built once per shape and reused with bound values (the officer, the desk,
# the dates): building SQLAlchemy expressions costs more CPU than running the index-only counts.
_ME = bindparam("me", type_=Integer)
_DESK = bindparam("desk_id", type_=Integer)
_TODAY = bindparam("today", type_=Date)
_HORIZON_END = bindparam("horizon_end", type_=Date)


def _conditions() -> dict[str, ColumnElement[bool]]:
    return section_conditions(Commitment, _TODAY, _HORIZON_END)


def _order(bucket: str) -> tuple[Any, ...]:
    """Each bucket's order, as its index walks it: the most urgent first, then by id."""
    if bucket == "stale":
        return (Commitment.review_date, Commitment.id)
    if bucket == "waiting":
        return (Commitment.id,)
    return (Commitment.due_date, Commitment.id)


def _sort_key(bucket: str, row: DashboardRow) -> tuple[Any, ...]:
    if bucket == "stale":
        return (row.review_date or dt.date.max, row.id)
    if bucket == "waiting":
        return (row.id,)
    return (row.due_date or dt.date.max, row.id)


def desk_scope_for(session: Session, officer: Officer, desk_name: str | None) -> Desk | bool | None:
    """The desk whose section the officer sees: their own; supervisors may pick any, or all (True)."""
    if sees_every_desk(officer):
        if desk_name == "*":
            return True
        if desk_name:
            desk = session.scalar(select(Desk).where(Desk.name == desk_name))
            if desk is not None:
                return desk
        return officer.desk if officer.desk is not None else True
    return officer.desk


def _count(*where: ColumnElement[bool]) -> Any:
    return select(func.count()).select_from(Commitment).where(*where).scalar_subquery()


def _visible(hiding: bool) -> list[ColumnElement[bool]]:
    # Need-to-know (issue 19): with readouts hidden from the officer, every count and row leaves
    # their commitments out (bound as :hidden_readouts).
    return [commitment_visible_bound(Commitment.readout_id)] if hiding else []


@functools.cache
def _counts_statement(desk_mode: str | None, hiding: bool = False) -> Select[Any]:
    """The counts of both scopes in one SELECT; `desk_mode` is None (no desk section), "one"
    (the desk bound as :desk_id) or "all" (every desk); `hiding`: leave out :hidden_readouts."""
    conditions = _conditions()
    active = and_(followup.active(Commitment), *_visible(hiding))
    mine_clause = Commitment.owner_id == _ME
    desk_clause = Commitment.desk_id == _DESK if desk_mode == "one" else None
    columns = [_count(mine_clause, active, cond).label(f"mine_{b}") for b, cond in conditions.items()]
    if desk_mode is not None:
        for b, cond in conditions.items():
            everyone = _count(*([desk_clause] if desk_clause is not None else []), active, cond)
            # The desk section shows others' work: mine is already above. My rows on this desk
            # (all of mine for "all desks") are subtracted; they are few next to the desk's.
            mine_here = (
                _count(mine_clause, desk_clause, active, cond)
                if desk_clause is not None
                else _count(mine_clause, active, cond)
            )
            columns.append((everyone - mine_here).label(f"desk_{b}"))
    return select(*columns)


@functools.lru_cache(maxsize=1024)
def _rows_statement(
    desk_mode: str | None, wanted: tuple[tuple[str, str], ...], hiding: bool = False
) -> Select[Any]:
    """The first rows of each (scope, bucket) in `wanted`, one UNION ALL, with what is shown."""
    conditions = _conditions()
    mine_clause = Commitment.owner_id == _ME
    others = or_(Commitment.owner_id.is_(None), Commitment.owner_id != _ME)
    where_of: dict[str, list[ColumnElement[bool]]] = {
        "mine": [mine_clause],
        "desk": [Commitment.desk_id == _DESK, others] if desk_mode == "one" else [others],
    }
    parts: list[Select[Any]] = []
    for scope_key, b in wanted:
        for status in ACTIVE_STATUSES:
            inner = (
                select(
                    literal(scope_key).label("scope"),
                    literal(b).label("bucket"),
                    Commitment.id.label("id"),
                )
                .where(*where_of[scope_key], Commitment.status == status, conditions[b], *_visible(hiding))
                .order_by(*_order(b))
                .limit(ROWS_PER_BUCKET)
                .subquery()
            )
            parts.append(select(inner.c.scope, inner.c.bucket, inner.c.id))
    picked = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("picked")
    owner = aliased(Officer)
    return (
        select(
            picked.c.scope,
            picked.c.bucket,
            Commitment.id,
            Commitment.action,
            Commitment.due_date,
            Commitment.review_date,
            Commitment.status,
            Commitment.deadline_type,
            owner.name.label("owner_name"),
            Event.name.label("event_name"),
        )
        .select_from(picked)
        .join(Commitment, Commitment.id == picked.c.id)
        .outerjoin(owner, owner.id == Commitment.owner_id)
        .outerjoin(Event, Event.id == Commitment.event_id)
    )


def build_dashboard(
    session: Session,
    officer: Officer,
    today: dt.date,
    *,
    desk_name: str | None = None,
    horizon_days: int = 7,
) -> Dashboard:
    """What needs the officer's attention, and their desk's (supervisors: any desk or all)."""
    desk = desk_scope_for(session, officer, desk_name)
    label: str
    link_desk: str | None
    if desk is True:
        label, link_desk = "All desks", "*"
    elif isinstance(desk, Desk):
        label, link_desk = desk.name, desk.name
    else:
        label, link_desk = "", None
    has_desk = desk is True or isinstance(desk, Desk)

    params: dict[str, Any] = {
        "me": officer.id,
        "desk_id": desk.id if isinstance(desk, Desk) else None,
        "today": today,
        "horizon_end": today + dt.timedelta(days=horizon_days),
    }
    hidden = hidden_ids(session, officer)
    if hidden:
        params["hidden_readouts"] = hidden
    desk_mode = "one" if isinstance(desk, Desk) else ("all" if desk is True else None)

    # --- counts: one statement, every term answered from an index -------------------------
    counts = session.execute(_counts_statement(desk_mode, bool(hidden)), params).one()

    mine = Scope("Mine")
    mine.counts = {b: int(counts[i]) for i, b in enumerate(BUCKETS)}
    desk_scope = None
    if has_desk:
        desk_scope = Scope(label)
        desk_scope.counts = {b: int(counts[4 + i]) for i, b in enumerate(BUCKETS)}

    # --- rows: the first few of each non-empty bucket, one statement ------------------------
    scopes: list[tuple[str, Scope]] = [("mine", mine)]
    if desk_scope is not None:
        scopes.append(("desk", desk_scope))
    wanted = tuple((key, b) for key, scope in scopes for b in BUCKETS if scope.counts[b])
    if wanted:
        rows = session.execute(_rows_statement(desk_mode, wanted, bool(hidden)), params).all()
        found: dict[tuple[str, str], list[DashboardRow]] = defaultdict(list)
        by_id: dict[int, DashboardRow] = {}
        for r in rows:
            item = by_id.get(r.id)
            if item is None:
                item = by_id[r.id] = DashboardRow(
                    id=r.id,
                    action=r.action,
                    due_date=r.due_date,
                    review_date=r.review_date,
                    status=r.status,
                    deadline_type=r.deadline_type,
                    owner=Named(r.owner_name) if r.owner_name is not None else None,
                    event=Named(r.event_name) if r.event_name is not None else None,
                )
            found[(r.scope, r.bucket)].append(item)
        for scope_key, scope in scopes:
            for b in BUCKETS:
                items = sorted(found.get((scope_key, b), ()), key=lambda row, b=b: _sort_key(b, row))
                scope.rows[b] = items[:ROWS_PER_BUCKET]
        shown = {row.id: row for _key, scope in scopes for b in BUCKETS for row in scope.rows[b]}
        if shown:
            for commitment_id, name in session.execute(
                select(commitment_party.c.commitment_id, Party.name)
                .join(Party, Party.id == commitment_party.c.party_id)
                .where(commitment_party.c.commitment_id.in_(list(shown)))
                .order_by(Party.name)
            ):
                shown[commitment_id].parties.append(Named(name))
    return Dashboard(mine=mine, desk=desk_scope, desk_name=link_desk, horizon_days=horizon_days)
