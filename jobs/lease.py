"""A lease row per job, so that two scheduler processes on one database never run a job at once.

A process runs a job only while it holds the job's unexpired lease (`job_lease` row: name,
holder, expires_at). Taking it is one conditional INSERT or UPDATE in its own short transaction,
which both SQLite (one writer at a time) and PostgreSQL (the UPDATE re-checks its WHERE after
waiting for a concurrent one) make atomic; so it works where a PostgreSQL advisory lock would
not (SQLite) and survives a crashed holder (the lease simply expires).

Every time here is the database's clock, never the caller's: a scheduler whose clock ran a day
ahead wrote a lease that expired a day later, and held the job that long (issue 19 item 10). The
lease runs for its time to live from the database's now, so no holder keeps it longer than that;
and an expiry further off than twice the time to live (written by such a clock before) counts as
expired. Caveat: a run must finish within the lease's time to live (the scheduler uses the job's
interval).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import or_, update
from sqlalchemy.orm import Session, sessionmaker

from tracker.db import database_now, insert_ignore
from tracker.models import JobLease

T = TypeVar("T")


def make_holder() -> str:
    """This process's name as a lease holder: host, pid and a random part (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire_lease(factory: sessionmaker[Session], name: str, holder: str, ttl: dt.timedelta) -> bool:
    """Take (or renew) the lease on `name` for `ttl` from the database's now; False while another
    holder has it."""
    with factory() as session, session.begin():
        now = database_now(session)
    expires = now + ttl
    # The first statement of the transaction writes: on SQLite that takes the write lock at
    # once (waiting on the busy timeout) instead of failing on a read-then-write upgrade.
    with factory() as session, session.begin():
        if insert_ignore(session, JobLease, {"name": name, "holder": holder, "expires_at": expires}):
            return True
        taken = session.execute(
            update(JobLease)
            .where(
                JobLease.name == name,
                or_(
                    JobLease.holder == holder,
                    JobLease.expires_at <= now,
                    # No honest holder's lease ends more than one time to live after the database's
                    # now (plus the moment between reading the clock and writing): beyond two, it
                    # was timed by a clock running ahead, and does not count.
                    JobLease.expires_at > now + 2 * ttl,
                ),
            )
            .values(holder=holder, expires_at=expires)
            .execution_options(synchronize_session=False)
        )
        return taken.rowcount == 1  # type: ignore[attr-defined]


def release_lease(factory: sessionmaker[Session], name: str, holder: str) -> None:
    """Give the lease up (if `holder` still has it) so that another process need not wait for expiry."""
    with factory() as session, session.begin():
        now = database_now(session)
    with factory() as session, session.begin():
        session.execute(
            update(JobLease)
            .where(JobLease.name == name, JobLease.holder == holder)
            .values(expires_at=now)
            .execution_options(synchronize_session=False)
        )


def run_exclusive(
    factory: sessionmaker[Session],
    name: str,
    job: Callable[[], T],
    *,
    holder: str,
    ttl: dt.timedelta,
) -> tuple[bool, T | None]:
    """Run `job` under the lease on `name`: (True, its result), or (False, None) when another has it."""
    if not acquire_lease(factory, name, holder, ttl):
        return False, None
    try:
        return True, job()
    finally:
        release_lease(factory, name, holder)
