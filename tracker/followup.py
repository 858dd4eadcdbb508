"""What "overdue", "due soon", "stale" and "waiting on an event" mean: the one definition.

A commitment asks for work while it is *active* (open or in progress). An active commitment is
- **overdue** when its due date is before today;
- **due soon** when it is due from today to a horizon (the last day that counts);
- **stale** when its review date passed with no update;
- **waiting on an event** when it hangs on an event whose date is not known yet (an event
  deadline with no due date).

The rules come in two forms, side by side here so that they cannot drift apart:
- SQL conditions, for every statement that selects by them (the overdue sweep, the digests, the
  dashboard, the commitment lists, compliance and the reports). Each takes the commitment's
  columns as `c`: the mapped `Commitment` class, or the columns of a subquery (`subquery.c`);
- Python predicates (`FollowUpState`), for a commitment already in hand: the ORM entity and the
  plain rows the dashboard reads.

This module imports no model (the models use `FollowUpState`), so statuses and the deadline
type are compared by their stored values.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, literal_column

# Statuses in which a commitment still asks for work: only these can be overdue, stale or waiting.
ACTIVE_STATUSES = ("open", "in_progress")
# The deadline type of a commitment that hangs on an event (tracker.models.DeadlineType.EVENT).
EVENT_DEADLINE = "event"
# The follow-up sections the dashboard and the digest list, in the order they list them.
SECTIONS = ("overdue", "due_soon", "stale", "waiting")
# "Due soon" in the digest: due from today through this many days ahead.
DUE_SOON_DAYS = 7


def active(c: Any, *, written_out: bool = False) -> ColumnElement[bool]:
    """`status IN ('open', 'in_progress')`. `written_out` puts the values in the SQL text: a bound
    (expanding) IN makes SQLAlchemy rewrite a cached statement's text on every execution."""
    if written_out:
        return c.status.in_([literal_column(f"'{status}'") for status in ACTIVE_STATUSES])
    return c.status.in_(ACTIVE_STATUSES)  # type: ignore[no-any-return]


def section_conditions(c: Any, today: Any, horizon_end: Any) -> dict[str, ColumnElement[bool]]:
    """Each section's condition on an active commitment, by its dates alone (the caller adds the
    status test, so that a statement can read one status at a time along an index). `today` and
    `horizon_end` may be dates, columns or bound parameters."""
    return {
        "overdue": c.due_date < today,
        "due_soon": and_(c.due_date >= today, c.due_date <= horizon_end),
        "stale": c.review_date < today,
        "waiting": undated_event_deadline(c),
    }


def undated_event_deadline(c: Any) -> ColumnElement[bool]:
    """Hangs on an event and has no due date (the event's date is not known)."""
    # The literal (not a bound parameter) lets SQLite use the partial index
    # ix_commitment_waiting, whose predicate names this very value.
    return and_(c.deadline_type == literal_column(f"'{EVENT_DEADLINE}'"), c.due_date.is_(None))


def overdue(c: Any, today: Any) -> ColumnElement[bool]:
    """Active and due before `today`."""
    return and_(active(c), c.due_date < today)


def overdue_by(c: Any, today: dt.date, days: int) -> ColumnElement[bool]:
    """Active and at least `days` (>= 1) days past its due date on `today`: an escalation step's
    condition (tracker.escalation)."""
    return and_(active(c), c.due_date <= today - dt.timedelta(days=days))


def stale(c: Any, today: Any) -> ColumnElement[bool]:
    """Active and past its review date."""
    return and_(active(c), c.review_date < today)


def waiting(c: Any) -> ColumnElement[bool]:
    """Active and hanging on an event whose date is not known."""
    return and_(active(c), undated_event_deadline(c))


class _FollowUpFields(Protocol):
    @property
    def status(self) -> Any: ...
    @property
    def due_date(self) -> dt.date | None: ...
    @property
    def review_date(self) -> dt.date | None: ...
    @property
    def deadline_type(self) -> Any: ...


def _is_active(row: _FollowUpFields) -> bool:
    return getattr(row.status, "value", row.status) in ACTIVE_STATUSES


class FollowUpState:
    """The same rules for a commitment in hand: the ORM entity and the dashboard's plain rows."""

    def is_overdue(self: _FollowUpFields, today: dt.date) -> bool:
        return _is_active(self) and self.due_date is not None and self.due_date < today

    def is_stale(self: _FollowUpFields, today: dt.date) -> bool:
        return _is_active(self) and self.review_date is not None and self.review_date < today

    def is_waiting_on_event(self: _FollowUpFields) -> bool:
        return _is_active(self) and self.deadline_type == EVENT_DEADLINE and self.due_date is None
