"""One database session per request, committed once after the view, rolled back on error.

Requests that may write (anything but GET/HEAD/OPTIONS) begin as writers (BEGIN IMMEDIATE on
SQLite), so they queue on the busy timeout instead of failing. A reading request can still meet
SQLite's "database is locked" when it writes a little at the end (an API token's last use) and
another writer committed meanwhile; such a request is run once more, as a writer, from the
start: its first attempt was rolled back, so nothing is done twice. A database that cannot be
reached at all is answered with 503 (web/security.py), including when that is found at commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask, Response, current_app, g, request
from flask import session as cookie_session
from sqlalchemy.orm import Session, sessionmaker

from tracker.config import Settings
from tracker.db import begin_write

_READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["tracker.session_factory"]()
        if request.method not in _READ_ONLY_METHODS or g.get("tracker_write_retry"):
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


def _discard_attempt() -> None:
    """Forget everything the failed attempt loaded, so the next one starts clean."""
    _close(None)
    g.pop("_login_user", None)  # Flask-Login's cached officer belonged to the closed session
    g.pop("api_officer", None)
    for upload in request.files.values():
        upload.stream.seek(0)


def _with_retry_on_locked(app: Flask) -> None:
    dispatch = app.full_dispatch_request

    def full_dispatch_request() -> Response:
        from web.security import (
            DATABASE_UNAVAILABLE,
            database_unavailable,
            is_sqlite_locked,
            unavailable_response,
        )

        flashes = list(cookie_session.get("_flashes", []))
        try:
            return dispatch()
        except DATABASE_UNAVAILABLE as exc:
            if database_unavailable(exc):
                return app.finalize_request(unavailable_response(exc), from_error_handler=True)
            if not is_sqlite_locked(exc):
                raise
        _discard_attempt()
        if flashes:
            cookie_session["_flashes"] = flashes
        else:
            cookie_session.pop("_flashes", None)
        g.tracker_write_retry = True
        return dispatch()

    app.full_dispatch_request = full_dispatch_request  # type: ignore[method-assign]


def retrying() -> bool:
    """True during the second attempt of a request whose first met "database is locked"."""
    return bool(g.get("tracker_write_retry"))


def init_app(app: Flask) -> None:
    app.after_request(_commit)
    app.teardown_request(_close)
    _with_retry_on_locked(app)
