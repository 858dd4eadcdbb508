"""The overdue sweep beside concurrent status changes (issue 19 item 6): whatever commits while a
sweep runs, the commitments it flagged are exactly those it wrote an "overdue" history row for.

On PostgreSQL the history INSERT ... SELECT and the flagging UPDATE used to be two statements,
each seeing the rows as of its own start: a status change committed between them left a
commitment flagged with no history row (or a history row with no flag).
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests import followup_factories as f
from tracker.db import begin_write, make_engine, make_session_factory, transaction
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment, Status, StatusChange
from tracker.services.commitments import update_commitment
from tracker.services.sweep import SweepResult, sweep

NOW = dt.datetime(2018, 6, 15, 9, 0, tzinfo=dt.UTC)
DUE = dt.date(2018, 6, 1)


@pytest.fixture
def engine_and_factory(fresh_database_url: str) -> Iterator[tuple[Engine, sessionmaker[Session]]]:
    engine = make_engine(fresh_database_url)
    yield engine, make_session_factory(engine)
    engine.dispose()


def _seed(factory: sessionmaker[Session], statuses: list[Status]) -> tuple[str, list[int]]:
    with factory() as session, session.begin():
        officer = f.officer(session, desk_name="Japan Desk")
        ids = [f.commitment(session, owner=officer, due_date=DUE, status=s).id for s in statuses]
        return officer.email, ids


def _change(
    factory: sessionmaker[Session], email: str, commitment_id: int, status: Status, now: dt.datetime
) -> None:
    from tracker.models import Officer

    with transaction(factory) as session:
        by = session.scalars(select(Officer).where(Officer.email == email)).one()
        commitment = session.get_one(Commitment, commitment_id)
        update_commitment(
            session, commitment, by=by, note="moved", now=now, status=status, settings=DeadlineSettings()
        )


def _sweep_and_check(factory: sessionmaker[Session], now: dt.datetime) -> SweepResult:
    """One sweep in its transaction; before it commits, what it flagged must be what it logged."""
    with factory() as session, session.begin():
        begin_write(session)
        result = sweep(session, now)
        flagged = set(session.scalars(select(Commitment.id).where(Commitment.flagged_overdue_at == now)))
        logged = set(
            session.scalars(
                select(StatusChange.commitment_id).where(
                    StatusChange.field == "overdue", StatusChange.changed_at == now
                )
            )
        )
        assert flagged == logged, (
            f"flagged without history: {flagged - logged}, history without flag: {logged - flagged}"
        )
        assert result.overdue_flagged == len(flagged)
    return result


def test_a_status_change_committed_in_the_middle_of_a_sweep(
    engine_and_factory: tuple[Engine, sessionmaker[Session]], fresh_database_url: str
) -> None:
    engine, factory = engine_and_factory
    email, (active, done) = _seed(factory, [Status.OPEN, Status.DONE])
    other_engine = make_engine(fresh_database_url)
    other = make_session_factory(other_engine)
    changers: list[threading.Thread] = []

    def change_both() -> None:
        _change(other, email, active, Status.DONE, NOW)
        _change(other, email, done, Status.OPEN, NOW)

    def after_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # Right after the sweep writes its history, another officer changes both commitments and
        # commits (at most 2 s: once the sweep's statement holds the rows or the write lock, the
        # change waits for the sweep to commit, as it should).
        if "INSERT INTO status_change" in statement and not changers:
            changer = threading.Thread(target=change_both)
            changers.append(changer)
            changer.start()
            changer.join(timeout=2)

    event.listen(engine, "after_cursor_execute", after_execute)
    try:
        _sweep_and_check(factory, NOW)
    finally:
        event.remove(engine, "after_cursor_execute", after_execute)
        for changer in changers:
            changer.join(timeout=60)
        other_engine.dispose()
    assert changers, "the sweep wrote no history"


def test_repeated_sweeps_beside_status_changes_keep_flag_and_history_together(
    engine_and_factory: tuple[Engine, sessionmaker[Session]], fresh_database_url: str
) -> None:
    _, factory = engine_and_factory
    statuses = [Status.OPEN, Status.IN_PROGRESS, Status.DONE]
    email, ids = _seed(factory, [statuses[n % 3] for n in range(60)])
    stop = threading.Event()
    errors: list[BaseException] = []
    changes = [0, 0]

    def changer(n: int, mine: list[int]) -> None:
        engine = make_engine(fresh_database_url)
        other = make_session_factory(engine)
        rng = random.Random(n)
        try:
            while not stop.is_set():
                _change(other, email, rng.choice(mine), rng.choice(statuses), NOW)
                changes[n] += 1
                # An officer's pace, not a tight loop: thousands of changes a second only made
                # every sweep wait for the lock (15 s on SQLite) without testing anything more.
                time.sleep(0.01)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=changer, args=(n, ids[n::2])) for n in range(2)]
    for t in threads:
        t.start()
    try:
        # 25 sweeps at least, and on until the changers have made more changes than that (on a
        # loaded machine they may get fewer turns; the check needs changes beside the sweeps).
        n = 0
        while n < 25 or (sum(changes) <= 25 and n < 250):
            _sweep_and_check(factory, NOW + dt.timedelta(minutes=n))
            n += 1
            # A pause between sweeps: on SQLite a sweep retaking the write lock at once would
            # leave the changers (queued on the same lock) no turn.
            time.sleep(0.02)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    print(f"{n} sweeps beside {sum(changes)} changes")
    assert errors == []
    assert sum(changes) > 25
