"""The scheduler process: APScheduler 3.x running the jobs on their intervals.

Settings chosen on purpose:
- coalesce=True: after downtime, missed runs of a job collapse into one run (each job
  catches up on everything that is due by itself, so running it five times adds nothing);
- max_instances=1: a slow run is never overlapped by the next one of the same job;
- misfire_grace_time: a run that starts late (a busy machine, a suspended laptop) still runs
  if it is less than one interval late, instead of being skipped.
"""

from __future__ import annotations

import datetime as dt
import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy.orm import Session, sessionmaker

from jobs.sweep import run_sweep
from tracker.config import Settings

log = logging.getLogger(__name__)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def sweep_job(factory: sessionmaker[Session]) -> None:
    result = run_sweep(factory, _now())
    log.info("overdue sweep: %s overdue, %s stale flagged", result.overdue_flagged, result.stale_flagged)


def build_scheduler(settings: Settings, factory: sessionmaker[Session]) -> BlockingScheduler:
    """A scheduler with every job registered; not started."""
    scheduler = BlockingScheduler(timezone=dt.UTC)
    sweep_seconds = settings.sweep_interval_minutes * 60
    scheduler.add_job(
        sweep_job,
        "interval",
        minutes=settings.sweep_interval_minutes,
        args=[factory],
        id="overdue-sweep",
        name="overdue sweep",
        next_run_time=_now(),
        coalesce=True,
        max_instances=1,
        misfire_grace_time=sweep_seconds,
        replace_existing=True,
    )
    return scheduler


def run_scheduler(settings: Settings, factory: sessionmaker[Session]) -> None:
    """Run the jobs until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    scheduler = build_scheduler(settings, factory)
    for job in scheduler.get_jobs():
        log.info("scheduled job %r every %s", job.name, job.trigger)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("scheduler stopped")
