"""The dashboard: an officer's and a desk's commitments that need attention, in a fixed number of queries.

Four buckets (overdue, due within the horizon, stale, waiting on an event date) for two scopes
(mine; my desk's, owned by others). Counts come from one aggregate query; the rows from one query
per scope with a cap, so the number of statements does not grow with the data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, case, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from tracker.models import ACTIVE_STATUSES, Commitment, DeadlineType, Desk, Officer, Role

BUCKETS = ("overdue", "due_soon", "stale", "waiting")
BUCKET_LABELS = {
    "overdue": "Overdue",
    "due_soon": "Due in the next 7 days",
    "stale": "Stale (no update since the review date)",
    "waiting": "Waiting on an event date",
}
ROW_CAP = 200


@dataclass
class Scope:
    """One scope's buckets: the rows shown (capped) and the true counts."""

    label: str
    rows: dict[str, list[Commitment]] = field(default_factory=lambda: {b: [] for b in BUCKETS})
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))


@dataclass
class Dashboard:
    mine: Scope
    desk: Scope | None
    desk_name: str | None  # the desk filter for links; None for "all desks"
    horizon_days: int


def _conditions(today: dt.date, horizon_days: int) -> dict[str, ColumnElement[bool]]:
    return {
        "overdue": Commitment.due_date < today,
        "due_soon": and_(
            Commitment.due_date >= today, Commitment.due_date <= today + dt.timedelta(days=horizon_days)
        ),
        "stale": Commitment.review_date < today,
        "waiting": and_(Commitment.deadline_type == DeadlineType.EVENT, Commitment.due_date.is_(None)),
    }


def desk_scope_for(session: Session, officer: Officer, desk_name: str | None) -> Desk | bool | None:
    """The desk whose section the officer sees: their own; supervisors may pick any, or all (True)."""
    if officer.role in (Role.SUPERVISOR, Role.ADMIN):
        if desk_name == "*":
            return True
        if desk_name:
            desk = session.scalar(select(Desk).where(Desk.name == desk_name))
            if desk is not None:
                return desk
        return officer.desk if officer.desk is not None else True
    return officer.desk


def build_dashboard(
    session: Session,
    officer: Officer,
    today: dt.date,
    *,
    desk_name: str | None = None,
    horizon_days: int = 7,
) -> Dashboard:
    """What needs the officer's attention, and their desk's (supervisors: any desk or all)."""
    conditions = _conditions(today, horizon_days)
    attention = or_(*conditions.values())
    active = Commitment.status.in_(ACTIVE_STATUSES)
    mine_clause = Commitment.owner_id == officer.id

    desk = desk_scope_for(session, officer, desk_name)
    desk_clause: ColumnElement[bool] | None
    if desk is True:
        desk_clause, label, link_desk = true(), "All desks", "*"
    elif isinstance(desk, Desk):
        desk_clause, label, link_desk = Commitment.desk_id == desk.id, desk.name, desk.name
    else:
        desk_clause, label, link_desk = None, "", None
    if desk_clause is not None:
        # The desk section shows others' work: mine is already above.
        desk_clause = and_(desk_clause, or_(Commitment.owner_id.is_(None), Commitment.owner_id != officer.id))

    def counts_for(clause: ColumnElement[bool]) -> list[ColumnElement[int]]:
        return [
            func.coalesce(func.sum(case((and_(clause, cond), 1), else_=0)), 0) for cond in conditions.values()
        ]

    columns = counts_for(mine_clause) + (counts_for(desk_clause) if desk_clause is not None else [])
    scope_clause = or_(mine_clause, desk_clause) if desk_clause is not None else mine_clause
    counts = session.execute(select(*columns).where(active, scope_clause)).one()

    mine = Scope("Mine")
    mine.counts = dict(zip(BUCKETS, counts[:4], strict=True))
    desk_scope = None
    if desk_clause is not None:
        desk_scope = Scope(label)
        desk_scope.counts = dict(zip(BUCKETS, counts[4:], strict=True))

    options = (
        selectinload(Commitment.parties),
        selectinload(Commitment.owner),
        selectinload(Commitment.event),
        selectinload(Commitment.point),
        selectinload(Commitment.desk),
    )
    order = (Commitment.due_date.is_(None), Commitment.due_date, Commitment.id)
    for scope, clause in ((mine, mine_clause), (desk_scope, desk_clause)):
        if scope is None or clause is None:
            continue
        rows = session.scalars(
            select(Commitment)
            .where(active, clause, attention)
            .options(*options)
            .order_by(*order)
            .limit(ROW_CAP)
        ).all()
        for c in rows:
            if c.is_overdue(today):
                scope.rows["overdue"].append(c)
            elif c.due_date is not None and c.due_date <= today + dt.timedelta(days=horizon_days):
                scope.rows["due_soon"].append(c)
            if c.is_stale(today):
                scope.rows["stale"].append(c)
            if c.is_waiting_on_event():
                scope.rows["waiting"].append(c)
    return Dashboard(mine=mine, desk=desk_scope, desk_name=link_desk, horizon_days=horizon_days)
