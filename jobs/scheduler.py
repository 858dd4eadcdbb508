"""The scheduler process: APScheduler 3.x running the jobs on their intervals, each run under a lease.

Settings chosen on purpose (the same for every job):
- coalesce=True: after downtime, missed runs of a job collapse into one run (each job
  catches up on everything that is due by itself, so running it five times adds nothing);
- max_instances=1: a slow run is never overlapped by the next one of the same job in this
  process; the lease (jobs/lease.py) does the same across processes and hosts;
- misfire_grace_time = one interval: a run that starts late (a busy machine, a suspended
  laptop) still runs if it is less than one interval late, instead of being skipped;
- next_run_time = start: both jobs run once as soon as the scheduler starts.

Each run first takes the job's lease row (time to live: one interval, which bounds how long
a crashed holder keeps others waiting); a scheduler that finds the lease held by another
process skips that run. So two schedulers started against one database never run a job at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy.orm import Session, sessionmaker

from jobs.digests import dispatch_digests
from jobs.lease import make_holder, run_exclusive
from jobs.sweep import run_sweep
from tracker.config import Settings

log = logging.getLogger(__name__)

SWEEP_JOB = "overdue-sweep"
DIGEST_JOB = "digests"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _under_lease(
    factory: sessionmaker[Session],
    name: str,
    holder: str,
    ttl: dt.timedelta,
    run: Callable[[dt.datetime], str],
) -> None:
    now = _now()
    ran, summary = run_exclusive(factory, name, lambda: run(now), holder=holder, ttl=ttl)
    if ran:
        log.info("%s: %s", name, summary)
    else:
        log.info("%s: skipped, another scheduler process holds its lease", name)


def sweep_job(factory: sessionmaker[Session], settings: Settings, holder: str, ttl: dt.timedelta) -> None:
    def run(now: dt.datetime) -> str:
        result = run_sweep(factory, now, settings.escalation_steps)
        return (
            f"{result.overdue_flagged} overdue, {result.stale_flagged} stale flagged, "
            f"{result.escalated} escalated"
        )

    _under_lease(factory, SWEEP_JOB, holder, ttl, run)


def digest_job(factory: sessionmaker[Session], settings: Settings, holder: str, ttl: dt.timedelta) -> None:
    def run(now: dt.datetime) -> str:
        r = dispatch_digests(factory, now, settings)
        return (
            f"{r.written} written, {r.sent} sent, {r.retrying} to retry, {r.failed} failed, "
            f"{r.superseded} superseded, {r.revived} revived, {r.notices} notices written"
        )

    _under_lease(factory, DIGEST_JOB, holder, ttl, run)


def build_scheduler(
    settings: Settings, factory: sessionmaker[Session], holder: str | None = None
) -> BlockingScheduler:
    """A scheduler with every job registered; not started."""
    holder = holder or make_holder()
    scheduler = BlockingScheduler(timezone=dt.UTC)
    jobs: list[tuple[str, str, Callable[..., None], list[Any], int]] = [
        (SWEEP_JOB, "overdue sweep", sweep_job, [factory, settings], settings.sweep_interval_minutes),
        (DIGEST_JOB, "digest dispatch", digest_job, [factory, settings], settings.digest_interval_minutes),
    ]
    for job_id, name, func, args, minutes in jobs:
        interval = dt.timedelta(minutes=minutes)
        scheduler.add_job(
            func,
            "interval",
            minutes=minutes,
            args=[*args, holder, interval],
            id=job_id,
            name=name,
            next_run_time=_now(),
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(interval.total_seconds()),
            replace_existing=True,
        )
    return scheduler


def run_scheduler(settings: Settings, factory: sessionmaker[Session]) -> None:
    """Run the jobs until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    holder = make_holder()
    scheduler = build_scheduler(settings, factory, holder)
    log.info("scheduler %s starting", holder)
    for job in scheduler.get_jobs():
        log.info("scheduled job %r every %s (coalesce, max 1 instance, under a lease)", job.name, job.trigger)
    # SIGTERM (what `tracker run`, systemd and container runtimes send) stops it like Ctrl-C:
    # a run in progress finishes and gives its lease back instead of holding it until expiry.
    signal.signal(signal.SIGTERM, _exit)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("scheduler stopping; letting a running job finish")
        if scheduler.running:
            scheduler.shutdown(wait=True)
        log.info("scheduler stopped")


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)
