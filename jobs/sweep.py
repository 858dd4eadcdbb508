"""The overdue sweep as a job: one sweep (tracker.services.sweep) in its own transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from tracker.db import refresh_statistics
from tracker.escalation import DEFAULT_STEPS, Step, parse_steps
from tracker.services.sweep import SweepResult, sweep


def run_sweep(
    factory: sessionmaker[Session], now: dt.datetime, ladder: tuple[Step, ...] | None = None
) -> SweepResult:
    """One sweep in its own transaction, then fresh planner statistics (SQLite). `ladder`: the
    default escalation ladder (Settings.escalation_steps)."""
    with factory() as session, session.begin():
        result = sweep(session, now, parse_steps(DEFAULT_STEPS) if ladder is None else ladder)
    with factory() as session:
        refresh_statistics(session)
    return result
