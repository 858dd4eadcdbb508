"""One database session per request, committed once after the view, rolled back on error.

Requests that may write (anything but GET/HEAD/OPTIONS, less the views marked `reads_only`,
such as the login) begin as writers (BEGIN IMMEDIATE on SQLite), so they queue on the busy
timeout instead of failing on a read-then-write upgrade. They wait at most WRITE_WAIT_S for
another writer (a long import, a second process): then the request answers 503 with Retry-After
(web/security.py; a problem document under /api) and nothing is written, well before a person or
a client gives up. Reading requests never write in their own transaction, so they never wait on
a writer: the little bookkeeping a read does (an API token's last use) goes through
`side_write`, which gives up rather than wait. A database that cannot be reached is answered
with 503 too, including when that is found at commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import Flask, Response, current_app, g, request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tracker.config import DEFAULT_WRITE_WAIT_SECONDS, Settings
from tracker.db import begin_write, commit_without_waiting

log = logging.getLogger(__name__)

_READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The longest a request waits for another writer's lock (SQLite's busy timeout, PostgreSQL's
# lock_timeout) before it answers 503, by default: clients commonly give up at 10-30 s (issue 19).
# Settings.write_wait_seconds (TRACKER_WRITE_WAIT_SECONDS) sets it.
WRITE_WAIT_S = DEFAULT_WRITE_WAIT_SECONDS
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., object])


def reads_only(view: F) -> F:
    """Mark a POST view that writes nothing to the database (the login): its transaction does
    not take the write lock, so it never waits on another writer."""
    view.__dict__["tracker_reads_only"] = True
    return view


def _may_write() -> bool:
    if request.method in _READ_ONLY_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    # Wrappers (the rate limiter's) keep the view's __dict__ through functools.wraps.
    return not (view is not None and getattr(view, "tracker_reads_only", False))


def get_session() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["tracker.session_factory"]()
        if _may_write():
            # A request that may write takes SQLite's write lock up front, so that a read
            # followed by a write waits for other writers instead of failing as "locked".
            begin_write(g.db_session)
            g.db_writer = True
    session: Session = g.db_session
    return session


def writing_session() -> Session:
    """The request's session as a writer, for a `reads_only` view that finds it must write after
    all (a sign-in through the directory records the officer). What it read so far is read
    again: its transaction restarts holding the write lock, waiting at most WRITE_WAIT_S."""
    session = get_session()
    if not g.get("db_writer"):
        # Nothing was written yet (the view reads only until now): restart as a writer.
        session.rollback()
        begin_write(session)
        g.db_writer = True
    return session


@contextmanager
def outside_transaction(*, write_after: bool) -> Iterator[None]:
    """Run slow work that needs no database (parsing and extracting a document) with the request's
    transaction ended, so that a writing request does not hold SQLite's write lock meanwhile.

    Issue 19: a preview of a 100,000-paragraph .docx held the lock for 106 s and every other
    writer failed. What the request read so far stays loaded (the factory does not expire on
    commit). With `write_after` the request takes the write lock again afterwards, before it
    reads what it will write against (duplicates, events); without it (a preview, a dry run)
    the rest of the request only reads, in a plain transaction that blocks no writer.
    """
    session: Session | None = g.get("db_session")
    if session is not None:
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("outside_transaction() with changes pending: they belong to the request")
        # Nothing of the request's is written yet; commit rather than roll back so that nothing
        # loaded is expired (a rollback would).
        session.commit()
    try:
        yield
    finally:
        if session is not None and write_after:
            begin_write(session)
            g.db_writer = True


def session_factory() -> sessionmaker[Session]:
    """For work that outlives the request's own session (a streamed export)."""
    factory: sessionmaker[Session] = current_app.extensions["tracker.session_factory"]
    return factory


def side_write(work: Callable[[Session], T]) -> T:
    """Run `work` in a short session of its own and keep what it wrote only if the database takes
    it at once: a write that would have to wait for another writer is dropped (and logged).

    For bookkeeping that a reading request does on the side, such as an API token's last use:
    the request's own transaction stays read-only, so a reader never waits on a writer or fails
    with "database is locked" because of it. `work`'s result is returned either way; objects in
    it belong to the closed side session (load what the request needs again in its own).
    """
    with session_factory()() as session:
        result = work(session)
        if session.new or session.dirty or session.deleted:
            try:
                commit_without_waiting(session)
            except OperationalError as exc:
                session.rollback()
                log.info("side write on %s %s skipped: %s", request.method, request.path, exc.orig)
    return result


def settings() -> Settings:
    value: Settings = current_app.extensions["tracker.settings"]
    return value


def now() -> dt.datetime:
    """The clock at the web edge (services take it as an argument).

    Tests may fix it by setting `app.extensions["tracker.clock"]` to a callable.
    """
    clock: Callable[[], dt.datetime] | None = current_app.extensions.get("tracker.clock")
    return clock() if clock is not None else dt.datetime.now(dt.UTC)


def _commit(response: Response) -> Response:
    session: Session | None = g.pop("db_session", None)
    if session is None:
        return response
    try:
        if response.status_code < 400:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()
    return response


def _close(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()


def init_app(app: Flask) -> None:
    app.after_request(_commit)
    app.teardown_request(_close)
