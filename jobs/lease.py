"""A lease row per job, so that two scheduler processes on one database never run a job at once.

A process runs a job only while it holds the job's unexpired lease (`job_lease` row: name,
holder, expires_at). Taking it is one conditional INSERT or UPDATE in its own short transaction,
which both SQLite (one writer at a time) and PostgreSQL (the UPDATE re-checks its WHERE after
waiting for a concurrent one) make atomic; so it works where a PostgreSQL advisory lock would
not (SQLite) and survives a crashed holder (the lease simply expires).

Caveats: a run must finish within the lease's time to live (the scheduler uses the job's
interval), and the hosts' clocks must agree to well within it.
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

from tracker.db import insert_ignore
from tracker.models import JobLease

T = TypeVar("T")


def make_holder() -> str:
    """This process's name as a lease holder: host, pid and a random part (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire_lease(
    factory: sessionmaker[Session], name: str, holder: str, now: dt.datetime, ttl: dt.timedelta
) -> bool:
    """Take (or renew) the lease on `name` until now + ttl; False while another holder has it."""
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
                or_(JobLease.holder == holder, JobLease.expires_at <= now),
            )
            .values(holder=holder, expires_at=expires)
            .execution_options(synchronize_session=False)
        )
        return taken.rowcount == 1  # type: ignore[attr-defined]


def release_lease(factory: sessionmaker[Session], name: str, holder: str, now: dt.datetime) -> None:
    """Give the lease up (if `holder` still has it) so that another process need not wait for expiry."""
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
    now: dt.datetime,
    ttl: dt.timedelta,
) -> tuple[bool, T | None]:
    """Run `job` under the lease on `name`: (True, its result), or (False, None) when another has it."""
    if not acquire_lease(factory, name, holder, now, ttl):
        return False, None
    try:
        return True, job()
    finally:
        release_lease(factory, name, holder, now)
