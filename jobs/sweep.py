"""The overdue sweep as a job: one sweep (tracker.services.sweep) in its own transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from tracker.db import begin_write, refresh_statistics
from tracker.escalation import DEFAULT_STEPS, Step, parse_steps
from tracker.services.sweep import SweepResult, sweep


def run_sweep(
    factory: sessionmaker[Session], now: dt.datetime, ladder: tuple[Step, ...] | None = None
) -> SweepResult:
    """One sweep in its own transaction, then fresh planner statistics (SQLite). `ladder`: the
    default escalation ladder (Settings.escalation_steps)."""
    with factory() as session, session.begin():
        # A writer from the start (BEGIN IMMEDIATE on SQLite): the sweep reads, then writes, and a
        # read transaction that must become a writer after another sweep wrote fails at once with
        # "database is locked" instead of waiting its turn (two schedulers without a lease).
        begin_write(session)
        result = sweep(session, now, parse_steps(DEFAULT_STEPS) if ladder is None else ladder)
    with factory() as session:
        # PRAGMA optimize may write (ANALYZE): as a writer from the start, for the same reason.
        begin_write(session)
        refresh_statistics(session)
    return result
