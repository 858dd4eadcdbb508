"""The overdue sweep: flag, once each, the active commitments that became overdue or stale, then
escalate those that stayed overdue past a step of their desk's ladder (issue 17).

Set-based on purpose: one UPDATE per flag with its history rows (one statement on PostgreSQL), and one
INSERT ... SELECT of escalations (and one of their history) per rung of the ladders in use,
whatever the size of the table (a million rows is the design point; see PERFORMANCE.md). What
"overdue" and "stale" mean is `tracker.followup`; escalation is `tracker.services.escalations`;
the job that runs the sweep on a schedule is `jobs/sweep.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import Session

from tracker import followup
from tracker.escalation import DEFAULT_STEPS, Step, parse_steps
from tracker.models import Commitment
from tracker.services.escalations import escalate
from tracker.services.history import sql_value, update_with_history

_DEFAULT_LADDER = parse_steps(DEFAULT_STEPS)


@dataclass
class SweepResult:
    overdue_flagged: int
    stale_flagged: int
    escalated: int = 0


def _flag(
    session: Session,
    condition: ColumnElement[bool],
    flag: Any,
    field: str,
    date_column: Any,
    note: str,
    now: dt.datetime,
) -> int:
    # Flag and history in one atomic step per row, whatever runs beside the sweep. The bulk
    # UPDATE bypasses the ORM's version counter on purpose: flagging is not an edit by a person,
    # and must not make an officer's open form look stale.
    return update_with_history(
        session,
        and_(condition, flag.is_(None)),
        {flag.key: now},
        field=field,
        new=sql_value(session, date_column),
        by=None,
        now=now,
        note=note,
    )


def sweep(session: Session, now: dt.datetime, ladder: tuple[Step, ...] = _DEFAULT_LADDER) -> SweepResult:
    """Flag overdue and stale commitments that are not flagged yet, and escalate those due for a
    step (`ladder`: the default for desks without their own); idempotent."""
    today = now.astimezone(dt.UTC).date()
    overdue = _flag(
        session,
        followup.overdue(Commitment, today),
        Commitment.flagged_overdue_at,
        "overdue",
        Commitment.due_date,
        "past its due date",
        now,
    )
    stale = _flag(
        session,
        followup.stale(Commitment, today),
        Commitment.flagged_stale_at,
        "stale",
        Commitment.review_date,
        "review date passed with no update",
        now,
    )
    escalated = escalate(session, now, ladder)
    return SweepResult(overdue_flagged=overdue, stale_flagged=stale, escalated=escalated)
