"""The four follow-up sections that the dashboard and the reminder digest both list.

An active commitment is in a section by its dates alone: overdue (due before today), due soon
(due from today to a horizon), stale (its review date passed) and waiting (it hangs on an
event whose date is not known yet). `conditions` gives each section's SQL condition on bound
values, so that a statement built once is run for any date.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, literal_column

from tracker.models import Commitment, DeadlineType

SECTIONS = ("overdue", "due_soon", "stale", "waiting")


def conditions(today: ColumnElement[Any], horizon_end: ColumnElement[Any]) -> dict[str, ColumnElement[bool]]:
    """Each section's condition on an active commitment (the caller adds the status test), with
    `today` and `horizon_end` (the last day that counts as due soon) as bound parameters."""
    return {
        "overdue": Commitment.due_date < today,
        "due_soon": and_(Commitment.due_date >= today, Commitment.due_date <= horizon_end),
        "stale": Commitment.review_date < today,
        # The literal (not a bound parameter) lets SQLite use the partial index
        # ix_commitment_waiting, whose predicate names this very value.
        "waiting": and_(
            Commitment.deadline_type == literal_column(f"'{DeadlineType.EVENT.value}'"),
            Commitment.due_date.is_(None),
        ),
    }
