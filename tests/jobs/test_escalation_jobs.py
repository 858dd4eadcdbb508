"""Escalation in the scheduled sweep (issue 17): two schedulers on one database never escalate a
commitment twice, whether the lease keeps them apart or not; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jobs.scheduler import SWEEP_JOB, build_scheduler
from jobs.sweep import run_sweep
from tests import followup_factories as f
from tracker.config import Settings
from tracker.escalation import DEFAULT_STEPS, parse_steps
from tracker.models import Escalation, Role, StatusChange
from tracker.services.desk_policy import update_policy

COMMITMENTS = 30


def _seed(factory: sessionmaker[Session], due: dt.date) -> None:
    with factory() as session, session.begin():
        supervisor = f.officer(session, role=Role.SUPERVISOR, desk_name="Japan Desk")
        head = f.officer(session, role=Role.SUPERVISOR, desk_name=None)
        officer = f.officer(session, desk_name="Japan Desk")
        assert officer.desk is not None
        update_policy(session, officer.desk, supervisor=supervisor.email, head=head.email)
        for _ in range(COMMITMENTS):
            f.commitment(session, owner=officer, due_date=due)


def _counts(factory: sessionmaker[Session]) -> tuple[int, int, int]:
    with factory() as session:
        rows = session.scalar(select(func.count()).select_from(Escalation)) or 0
        distinct = session.scalar(
            select(func.count()).select_from(
                select(Escalation.commitment_id, Escalation.step).distinct().subquery()
            )
        )
        history = session.scalar(
            select(func.count()).select_from(StatusChange).where(StatusChange.field == "escalated")
        )
    return rows, distinct or 0, history or 0


def _together(runs: list[Callable[[], object]]) -> None:
    """Start every run at once (a barrier), each in its own thread, and wait for them all."""
    barrier = threading.Barrier(len(runs))
    errors: list[BaseException] = []

    def go(run: Callable[[], object]) -> None:
        try:
            barrier.wait()
            run()
        except BaseException as exc:  # reported below, on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def test_two_schedulers_never_escalate_twice(factory: sessionmaker[Session], fresh_database_url: str) -> None:
    # Due 40 days ago by the real clock, which the scheduler's jobs read: both steps are due.
    _seed(factory, dt.datetime.now(dt.UTC).date() - dt.timedelta(days=40))
    settings = Settings(database_url=fresh_database_url)
    jobs = []
    for holder in ("scheduler-a", "scheduler-b"):
        scheduler = build_scheduler(settings, factory, holder=holder)
        job = scheduler.get_job(SWEEP_JOB)
        assert job is not None
        jobs.append(job)

    def repeatedly(job: object) -> Callable[[], None]:
        def run() -> None:
            for _ in range(5):
                job.func(*job.args)  # type: ignore[attr-defined]

        return run

    _together([repeatedly(job) for job in jobs])

    assert _counts(factory) == (2 * COMMITMENTS, 2 * COMMITMENTS, 2 * COMMITMENTS)


def test_the_unique_key_holds_when_two_sweeps_run_at_once_without_a_lease(
    factory: sessionmaker[Session],
) -> None:
    now = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
    _seed(factory, now.date() - dt.timedelta(days=40))
    ladder = parse_steps(DEFAULT_STEPS)
    # Different instants, as two processes would have: each records the history of its own rows.
    _together([lambda n=n: run_sweep(factory, now + dt.timedelta(microseconds=n), ladder) for n in range(3)])
    assert _counts(factory) == (2 * COMMITMENTS, 2 * COMMITMENTS, 2 * COMMITMENTS)
    # A restart runs the sweep again: nothing new.
    assert run_sweep(factory, now + dt.timedelta(hours=1), ladder).escalated == 0
