"""Storing a readout in bulk (one INSERT per table): the objects handed back are the stored rows,
the statements do not grow with the commitments, and a rolled-back ingest leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from tests.conftest import CORPUS_DIR, SEED_READOUT
from tests.factories import NOW, ingest, make_officer
from tracker.deadlines import event_key
from tracker.models import Commitment, Event, Party, Readout, ReadoutPoint, commitment_party

SEED_TEXT = SEED_READOUT.read_text(encoding="utf-8")
ONE_POINT = (
    "Japan-Australia Foreign Ministers' Telephone Talk\n\n"
    "1. The two ministers confirmed that Japan and Australia will hold the next dialogue "
    "ahead of the G7 Summit.\n"
)


def _columns(obj: object, table_columns: list[str]) -> dict[str, object]:
    return {name: getattr(obj, name) for name in table_columns}


@contextmanager
def _statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = session.get_bind().engine

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_returned_objects_are_the_stored_rows(session: Session) -> None:
    officer = make_officer(session, desk="Japan Desk")
    readout = ingest(session, SEED_TEXT, dt.date(2018, 6, 6), by=officer)
    shown = {
        "readout": _columns(readout, list(Readout.__table__.c.keys())),
        "points": [_columns(p, list(ReadoutPoint.__table__.c.keys())) for p in readout.points],
        "commitments": [
            (_columns(c, list(Commitment.__table__.c.keys())), [p.name for p in c.parties], c.event)
            for p in readout.points
            for c in p.commitments
        ],
    }
    assert shown["commitments"], "the seed readout has commitments"
    for point in readout.points:
        assert point.readout is readout
        for c in point.commitments:
            assert c.point is point and c.readout is readout
            assert c.owner is officer and c.desk is officer.desk and c.history == []
    readout_id = readout.id
    session.expire_all()
    stored = session.get(Readout, readout_id)
    assert stored is readout, "the identity map holds the very objects handed back"
    session.expunge_all()
    stored = session.get(Readout, readout_id)
    assert stored is not None and stored is not readout
    assert _columns(stored, list(Readout.__table__.c.keys())) == shown["readout"]
    assert [_columns(p, list(ReadoutPoint.__table__.c.keys())) for p in stored.points] == shown["points"]
    loaded = [
        (_columns(c, list(Commitment.__table__.c.keys())), sorted(p.name for p in c.parties), c.event)
        for p in stored.points
        for c in p.commitments
    ]
    assert [(cols, sorted(names)) for cols, names, _ in shown["commitments"]] == [
        (cols, names) for cols, names, _ in loaded
    ]


def test_the_statements_do_not_grow_with_the_commitments(session: Session) -> None:
    make_officer(session)
    with _statements(session) as small:
        ingest(session, ONE_POINT, dt.date(2024, 3, 1))
    with _statements(session) as large:
        readout = ingest(session, SEED_TEXT, dt.date(2018, 6, 6))
    assert sum(len(p.commitments) for p in readout.points) > 1
    inserts = [s for s in large if s.lstrip().upper().startswith("INSERT")]
    # readout, readout_point, commitment, commitment_party; plus a new party or event at most
    # once each (one statement per table, whatever the number of rows).
    tables = [s.split()[2] for s in inserts]
    assert len(tables) == len(set(tables)), tables
    assert len(large) <= len(small) + 4, large


def test_a_rolled_back_ingest_leaves_no_objects_and_the_next_one_is_right(session: Session) -> None:
    unit = session.begin_nested()
    first = ingest(session, SEED_TEXT, dt.date(2018, 6, 6))
    first_ids = {c.id for p in first.points for c in p.commitments}
    unit.rollback()
    assert first not in session
    assert all(c not in session for p in first.points for c in p.commitments)
    assert session.scalar(select(func.count()).select_from(Commitment)) == 0
    # SQLite gives the same ids again: the session must hold the new rows, not the old ones.
    second = ingest(session, ONE_POINT, dt.date(2024, 3, 1))
    again = {c.id for p in second.points for c in p.commitments}
    assert again, first_ids
    for point in second.points:
        for c in point.commitments:
            assert session.get(Commitment, c.id) is c
            assert second.text[c.quote_start : c.quote_end] == c.quote
    session.expunge_all()
    reloaded = session.get(Readout, second.id)
    assert reloaded is not None and reloaded.text == ONE_POINT


def test_parties_and_events_are_found_once_per_readout_and_created_when_new(session: Session) -> None:
    session.add(Event(name="G7 Summit Meeting", key=event_key("the G7 Summit"), aliases=["Seven Summit"]))
    session.add(Party(name="Japan", aliases=[]))
    session.flush()
    readout = ingest(session, ONE_POINT, dt.date(2024, 3, 1))
    commitments = [c for p in readout.points for c in p.commitments]
    assert commitments
    names = {p.name for c in commitments for p in c.parties}
    assert {"Japan", "Australia"} <= names
    assert session.scalar(select(func.count()).select_from(Party).where(Party.name == "Japan")) == 1
    links = session.execute(select(func.count()).select_from(commitment_party)).scalar_one()
    assert links == sum(len(c.parties) for c in commitments)
    hanging = [c for c in commitments if c.event is not None]
    for c in hanging:
        assert c.event_id == c.event.id


def test_every_corpus_readout_stores_what_it_shows(session: Session) -> None:
    texts = sorted(CORPUS_DIR.glob("*.txt"))[:6] if CORPUS_DIR.is_dir() else []
    for n, path in enumerate(texts):
        readout = ingest(session, path.read_text(encoding="utf-8"), NOW.date())
        expected = [(c.id, c.quote, c.due_date, c.review_date) for p in readout.points for c in p.commitments]
        rows = session.execute(
            select(Commitment.id, Commitment.quote, Commitment.due_date, Commitment.review_date)
            .where(Commitment.readout_id == readout.id)
            .order_by(Commitment.id)
        ).all()
        assert [tuple(r) for r in rows] == sorted(expected), (n, path.name)
