"""The scheduler: both jobs registered with the settings chosen on purpose; a real process running them."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from jobs.scheduler import DIGEST_JOB, SWEEP_JOB, build_scheduler
from tests.conftest import REPO_ROOT
from tests.jobs.conftest import SmtpServer, settings_for
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory


def test_both_jobs_are_registered_with_coalescing_one_instance_and_grace() -> None:
    settings = Settings(database_url="sqlite://", sweep_interval_minutes=60, digest_interval_minutes=15)
    engine = make_engine("sqlite://")
    try:
        scheduler = build_scheduler(settings, make_session_factory(engine), holder="test")
        jobs = {job.id: job for job in scheduler.get_jobs()}
    finally:
        engine.dispose()
    assert set(jobs) == {SWEEP_JOB, DIGEST_JOB}
    for job_id, minutes in ((SWEEP_JOB, 60), (DIGEST_JOB, 15)):
        job = jobs[job_id]
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time == minutes * 60
        assert job.trigger.interval.total_seconds() == minutes * 60


@pytest.mark.slow
def test_the_scheduler_process_runs_both_jobs_and_stops_cleanly(
    fresh_database_url: str, smtp: SmtpServer
) -> None:
    settings = settings_for(fresh_database_url, smtp.port)
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": fresh_database_url,
        "TRACKER_SMTP_PORT": str(settings.smtp_port),
        "PYTHONPATH": str(REPO_ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", "from cli.main import main; main()", "scheduler"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr or []), daemon=True)
    reader.start()
    wanted = [
        "scheduled job 'overdue sweep'",
        "scheduled job 'digest dispatch'",
        "overdue-sweep: 0 overdue, 0 stale flagged",
        "digests: 0 written, 0 sent",
    ]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(any(w in line for line in lines) for w in wanted):
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=30)
        reader.join(timeout=10)
        if process.stderr is not None:
            process.stderr.close()
    output = "".join(lines)
    for w in wanted:
        # The whole log in the message: pytest would cut it, and it says why a job did not run.
        assert w in output, f"{w!r} not logged; the scheduler said:\n{output}"
    assert "scheduler stopped" in output
    assert process.returncode == 0
    assert "Traceback" not in output
