"""The overdue sweep: flag, once each, the active commitments that became overdue or stale.

Set-based on purpose: an INSERT ... SELECT for the history rows and one UPDATE per flag,
whatever the size of the table (a million rows is the design point; see PERFORMANCE.md).
"""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, insert, literal, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import QueryableAttribute, Session, sessionmaker

from tracker.models import ACTIVE_STATUSES, Commitment, StatusChange


@dataclass
class SweepResult:
    overdue_flagged: int
    stale_flagged: int


def _flag(
    session: Session,
    condition: ColumnElement[bool],
    flag_column: str,
    field: str,
    value_column: QueryableAttribute[Any],
    note: str,
    now: dt.datetime,
) -> int:
    column = getattr(Commitment, flag_column)
    where = and_(condition, column.is_(None))
    history = select(
        Commitment.id,
        literal(now, type_=StatusChange.changed_at.type),
        literal(field),
        cast(value_column, String),
        literal(note),
    ).where(where)
    # In commitment order, so that the history rows' commitment_id index grows at its end
    # instead of taking 300,000 random inserts: 4-6 s -> 1.4 s at 1M on SQLite (issue 7 bench).
    history = history.order_by(Commitment.id)
    session.execute(
        insert(StatusChange).from_select(
            ["commitment_id", "changed_at", "field", "new_value", "note"], history
        )
    )
    # A bulk UPDATE bypasses the ORM's version counter on purpose: flagging is not an edit
    # by a person, and must not make an officer's open form look stale.
    # An UPDATE's result is a CursorResult (it has a row count).
    result = typing.cast(
        CursorResult[Any],
        session.execute(
            update(Commitment)
            .where(where)
            .values({flag_column: now})
            .execution_options(synchronize_session=False)
        ),
    )
    return result.rowcount or 0


def sweep(session: Session, now: dt.datetime) -> SweepResult:
    """Flag overdue and stale commitments that are not flagged yet; idempotent."""
    today = now.astimezone(dt.UTC).date()
    active = Commitment.status.in_(ACTIVE_STATUSES)
    overdue = _flag(
        session,
        and_(active, Commitment.due_date < today),
        "flagged_overdue_at",
        "overdue",
        Commitment.due_date,
        "past its due date",
        now,
    )
    stale = _flag(
        session,
        and_(active, Commitment.review_date < today),
        "flagged_stale_at",
        "stale",
        Commitment.review_date,
        "review date passed with no update",
        now,
    )
    return SweepResult(overdue_flagged=overdue, stale_flagged=stale)


def run_sweep(factory: sessionmaker[Session], now: dt.datetime) -> SweepResult:
    """One sweep in its own transaction, then fresh planner statistics on SQLite."""
    with factory() as session, session.begin():
        result = sweep(session, now)
    with factory() as session:
        refresh_statistics(session)
    return result


def refresh_statistics(session: Session) -> None:
    """Let SQLite update its query-planner statistics when the tables have changed enough.

    PostgreSQL's autovacuum does this by itself; SQLite never does. Without statistics its
    planner guessed the dashboard's counts query onto the (status, review_date) index and read
    every active row: 2.0 s at 1M commitments, 90 ms after ANALYZE (issue 7 bench). PRAGMA
    optimize is a no-op when nothing changed much, so the hourly sweep is a cheap place for it.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA optimize")
        session.commit()
