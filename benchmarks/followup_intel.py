"""Issue 17's two fast paths, measured on the bench database: finding the stored readouts of a new
readout's meeting (target ≤ 50 ms) and proposing the progress it reports (target ≤ 200 ms), both
for one ingested readout against every commitment stored.

`measure_followup_intel` is called by `benchmarks.harness.run_bench` after the ingest measurement
(so the big database also holds real readouts). Measured at 100,000 commitments on SQLite with the
harness's `create_database`, `migrate` and `load_synthetic` then this function: 1.7 ms and 66 ms.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tracker.db import make_engine, make_session_factory

REPO_ROOT = Path(__file__).resolve().parents[1]
# A real pair: an undertaking (2020) and the readout that reports it done (2022), both Japan-Australia.
EARLIER = REPO_ROOT / "corpus" / "progress" / "texts" / "govonline-2020-11-17-japan-australia-summit.txt"
LATER = REPO_ROOT / "corpus" / "progress" / "texts" / "mofa-2022-01-06-japan-australia-raa-signing.txt"


def measure_followup_intel(url: str, runs: int, log: Callable[[str], None]) -> dict[str, float]:
    """Median milliseconds of link proposals and progress proposals for one stored readout."""
    from sqlalchemy import select

    from tracker.deadlines import DeadlineSettings
    from tracker.models import Officer
    from tracker.services.progress import propose_for_readout as progress_for
    from tracker.services.readout_links import propose_for_readout as links_for
    from tracker.services.readouts import find_duplicate, ingest_text

    engine = make_engine(url)
    factory = make_session_factory(engine)
    now = dt.datetime(2026, 12, 3, tzinfo=dt.UTC)
    try:
        with factory.begin() as session:
            by = session.scalar(select(Officer).order_by(Officer.id).limit(1))
            for path, day in ((EARLIER, dt.date(2020, 11, 17)), (LATER, dt.date(2022, 1, 6))):
                text = path.read_text(encoding="utf-8")
                if find_duplicate(session, text) is None:
                    ingest_text(session, text, meeting_date=day, by=by, now=now, settings=DeadlineSettings())
        link_ms: list[float] = []
        progress_ms: list[float] = []
        found: dict[str, Any] = {}
        for _ in range(runs):
            with factory() as session:
                later = find_duplicate(session, LATER.read_text(encoding="utf-8"))
                assert later is not None
                started = time.perf_counter()
                found["links"] = links_for(session, later, viewer=None)
                link_ms.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                found["progress"] = progress_for(session, later, viewer=None)
                progress_ms.append((time.perf_counter() - started) * 1000)
        log(
            f"  link proposals {statistics.median(link_ms):.1f} ms ({len(found['links'])} proposed), "
            f"progress proposals {statistics.median(progress_ms):.1f} ms ({len(found['progress'])} proposed)"
        )
        return {
            "link_proposals_ms": round(statistics.median(link_ms), 1),
            "progress_proposals_ms": round(statistics.median(progress_ms), 1),
        }
    finally:
        engine.dispose()
