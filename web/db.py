"""One database session per request, committed once after the view, rolled back on error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask, Response, current_app, g, request
from sqlalchemy.orm import Session, sessionmaker

from tracker.config import Settings
from tracker.db import begin_write

_READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["tracker.session_factory"]()
        if request.method not in _READ_ONLY_METHODS:
            # A request that may write takes SQLite's write lock up front, so that a read
            # followed by a write waits for other writers instead of failing as "locked".
            begin_write(g.db_session)
    session: Session = g.db_session
    return session


def session_factory() -> sessionmaker[Session]:
    """For work that outlives the request's own session (a streamed export)."""
    factory: sessionmaker[Session] = current_app.extensions["tracker.session_factory"]
    return factory


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
