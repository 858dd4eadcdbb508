"""Eight ingests at once, each naming the same new event and the same new parties (issue 19
item 5): every one succeeds, on SQLite (writers queue on its lock) and on PostgreSQL (where they
raced to the unique keys and 4 to 7 of 8 failed on uq_event_key), and each name is one row."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import func, select

from tests.conftest import SEED_READOUT
from tests.factories import ingest
from tracker.db import make_engine, make_session_factory, transaction
from tracker.models import Commitment, Event, Party, Readout

INGESTS = 8


def test_eight_simultaneous_ingests_naming_the_same_new_event_all_succeed(fresh_database_url: str) -> None:
    seed = SEED_READOUT.read_text(encoding="utf-8")
    texts = [
        seed.replace("Foreign Ministers’ Meeting", f"Foreign Ministers’ Meeting (take {n})", 1)
        for n in range(INGESTS)
    ]
    engine = make_engine(fresh_database_url, pool_size=INGESTS, max_overflow=0)
    factory = make_session_factory(engine)
    barrier = threading.Barrier(INGESTS)
    errors: list[BaseException] = []

    def ingester(text: str) -> None:
        try:
            barrier.wait()
            # As the web app and the CLI write: SQLite's lock taken at BEGIN (tracker.db).
            with transaction(factory) as session:
                ingest(session, text, dt.date(2018, 6, 6))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=ingester, args=(text,)) for text in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        assert errors == []
        with factory() as session:
            assert session.scalar(select(func.count()).select_from(Readout)) == INGESTS
            events = list(session.scalars(select(Event.name)))
            assert len(events) == len(set(events)) >= 1
            parties = list(session.scalars(select(Party.name)))
            assert len(parties) == len(set(parties)) >= 3
            # Every readout's event-bound commitments hang on the one event row.
            hung = session.scalars(select(Commitment.event_id).where(Commitment.event_id.is_not(None)))
            assert len(set(hung)) == len(events)
    finally:
        engine.dispose()
