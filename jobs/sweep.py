"""The overdue sweep as a job: one sweep (tracker.services.sweep) in its own transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from tracker.db import refresh_statistics
from tracker.services.sweep import SweepResult, sweep


def run_sweep(factory: sessionmaker[Session], now: dt.datetime) -> SweepResult:
    """One sweep in its own transaction, then fresh planner statistics (SQLite)."""
    with factory() as session, session.begin():
        result = sweep(session, now)
    with factory() as session:
        refresh_statistics(session)
    return result
