"""A process that competes for a job lease (run by tests/jobs/test_lease.py as a subprocess).

python -m tests.jobs.lease_worker URL JOB OUTFILE MODE SECONDS
  MODE loop:  until SECONDS have passed, run a job of 50 ms under the lease as often as it
              can, writing "start <ns>" and "end <ns>" (system-wide monotonic clock) per run;
  MODE crash: take the lease for SECONDS, write "acquired", and die without releasing it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time

from jobs.lease import acquire_lease, make_holder, run_exclusive
from tracker.db import make_engine, make_session_factory


def main(url: str, job: str, outfile: str, mode: str, seconds: float) -> None:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    holder = make_holder()
    with open(outfile, "a", encoding="utf-8") as out:
        if mode == "crash":
            if acquire_lease(factory, job, holder, dt.timedelta(seconds=seconds)):
                out.write("acquired\n")
                out.flush()
            os._exit(0)  # no release, no cleanup: as if killed

        def work() -> None:
            out.write(f"start {time.monotonic_ns()}\n")
            out.flush()
            time.sleep(0.05)
            out.write(f"end {time.monotonic_ns()}\n")
            out.flush()

        deadline = time.monotonic() + seconds
        tries = 0
        while time.monotonic() < deadline:
            tries += 1
            run_exclusive(
                factory,
                job,
                work,
                holder=holder,
                ttl=dt.timedelta(seconds=30),
            )
            time.sleep(0.002)
        out.write(f"tries {tries}\n")
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]))
