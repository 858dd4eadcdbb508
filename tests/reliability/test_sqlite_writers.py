"""Many writers on one SQLite file: read-then-write units of work never fail with "database is locked"."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from tests.conftest import SEED_READOUT, Backend
from tests.factories import NOW, ingest, make_officer
from tracker.db import begin_write, make_engine, make_session_factory
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment, Officer, StatusChange
from tracker.services.commitments import update_commitment

THREADS = 8
WRITES_EACH = 10


def test_concurrent_read_then_write_transactions_all_succeed(backend: Backend) -> None:
    if backend.name != "sqlite":
        # PostgreSQL has row locks and MVCC; the optimistic-locking tests cover it.
        pytest.skip("SQLite's single-writer lock is what this test is about")
    url = backend.fresh_url()
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        officer = make_officer(session, role="supervisor", email="writer@example.org")
        ingest(session, SEED_READOUT.read_text(encoding="utf-8"), dt.date(2018, 6, 6), by=officer)
    with factory() as session:
        cid = session.scalars(select(Commitment.id).order_by(Commitment.id)).first()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        for i in range(WRITES_EACH):
            try:
                with factory() as session, session.begin():
                    begin_write(session)
                    by = session.scalars(select(Officer).where(Officer.email == "writer@example.org")).one()
                    c = session.get(Commitment, cid)
                    assert c is not None
                    update_commitment(
                        session,
                        c,
                        by=by,
                        note=f"writer {n} note {i}",
                        now=NOW + dt.timedelta(seconds=i),
                        settings=DeadlineSettings(),
                    )
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        with factory() as session:
            c = session.get(Commitment, cid)
            assert c is not None and c.version == 1 + THREADS * WRITES_EACH
            notes = session.scalar(select(func.count()).where(StatusChange.commitment_id == cid))
            assert notes == THREADS * WRITES_EACH
    finally:
        engine.dispose()
        backend.release(url)
