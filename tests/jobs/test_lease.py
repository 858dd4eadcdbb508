"""The job lease: at most one process runs a job at a time, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jobs.lease import acquire_lease, release_lease, run_exclusive
from tests.conftest import REPO_ROOT
from tracker.models import JobLease

TTL = dt.timedelta(minutes=15)
SHORT = dt.timedelta(seconds=1)


def test_one_holder_at_a_time_until_release_or_expiry(factory: sessionmaker[Session]) -> None:
    assert acquire_lease(factory, "digests", "a", SHORT)
    assert not acquire_lease(factory, "digests", "b", SHORT)
    assert acquire_lease(factory, "overdue-sweep", "b", SHORT)  # one lease per job
    assert acquire_lease(factory, "digests", "a", SHORT)  # renewal
    # A crashed holder blocks the others only until its lease expires.
    time.sleep(1.2)
    assert acquire_lease(factory, "digests", "b", TTL)
    release_lease(factory, "digests", "a")  # not a's any more: no effect
    assert not acquire_lease(factory, "digests", "a", TTL)
    release_lease(factory, "digests", "b")
    assert acquire_lease(factory, "digests", "a", TTL)


def test_run_exclusive_runs_only_under_the_lease(factory: sessionmaker[Session]) -> None:
    def nested() -> tuple[bool, str | None]:
        return run_exclusive(factory, "job", lambda: "inner", holder="other", ttl=TTL)

    ran, inner = run_exclusive(factory, "job", nested, holder="me", ttl=TTL)
    assert (ran, inner) == (True, (False, None))
    # Released afterwards: the next run, by anyone, goes ahead.
    assert run_exclusive(factory, "job", lambda: 42, holder="other", ttl=TTL) == (True, 42)
    with factory() as session:
        lease = session.scalar(select(JobLease).where(JobLease.name == "job"))
        assert lease is not None and lease.expires_at <= dt.datetime.now(dt.UTC)


def test_a_scheduler_whose_clock_runs_a_day_ahead_holds_the_lease_no_longer_than_its_interval(
    factory: sessionmaker[Session],
) -> None:
    """Issue 19 item 10: the lease is timed by the database's clock, capped at the time to live."""
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    # What such a scheduler wrote before: a lease until tomorrow. It counts as expired, since no
    # lease taken now could run that long.
    with factory() as session, session.begin():
        session.add(JobLease(name="digests", holder="ahead", expires_at=ahead + TTL))
    assert acquire_lease(factory, "digests", "on-time", TTL)
    release_lease(factory, "digests", "on-time")
    # Whatever its own clock says, the lease it takes now ends one time to live from the
    # database's now; the others take over after that, not a day later.
    assert run_exclusive(
        factory, "digests", lambda: acquire_lease(factory, "digests", "x", TTL), holder="ahead", ttl=SHORT
    ) == (True, False)
    assert acquire_lease(factory, "digests", "ahead", SHORT)
    with factory() as session:
        lease = session.scalars(select(JobLease).where(JobLease.name == "digests")).one()
        assert lease.expires_at <= dt.datetime.now(dt.UTC) + SHORT
    assert not acquire_lease(factory, "digests", "on-time", TTL)
    time.sleep(1.2)
    assert acquire_lease(factory, "digests", "on-time", TTL)


def _worker(url: str, outfile: Path, mode: str, seconds: float) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.lease_worker", url, "test-job", str(outfile), mode, str(seconds)],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_two_processes_never_run_the_job_at_once(fresh_database_url: str, tmp_path: Path) -> None:
    files = [tmp_path / "a.log", tmp_path / "b.log"]
    workers = [_worker(fresh_database_url, path, "loop", 3.0) for path in files]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs

    runs: list[tuple[int, int, str]] = []
    tries = 0
    for path in files:
        lines = path.read_text().split()
        pairs = list(zip(lines[::2], lines[1::2], strict=True))
        starts = [int(v) for k, v in pairs if k == "start"]
        ends = [int(v) for k, v in pairs if k == "end"]
        assert len(starts) == len(ends) >= 1, f"{path.name} never got the lease"
        runs += [(s, e, path.name) for s, e in zip(starts, ends, strict=True)]
        tries += sum(int(v) for k, v in pairs if k == "tries")
    runs.sort()
    # They competed: many attempts were refused while the other held the lease.
    assert len(runs) >= 10 and tries > 2 * len(runs)
    for (_, end, who), (start, _, other) in itertools.pairwise(runs):
        assert start > end, f"{other} started while {who} was still running"


def test_a_killed_holder_keeps_the_lease_until_it_expires(
    factory: sessionmaker[Session], fresh_database_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "crash.log"
    worker = _worker(fresh_database_url, log, "crash", 2)
    output = worker.communicate(timeout=60)
    assert worker.returncode == 0, output
    assert log.read_text() == "acquired\n"
    assert not acquire_lease(factory, "test-job", "survivor", TTL)
    time.sleep(2.2)
    assert acquire_lease(factory, "test-job", "survivor", TTL)
