"""One database session per request, committed once after the view, rolled back on error."""

from __future__ import annotations

import datetime as dt

from flask import Flask, Response, current_app, g
from sqlalchemy.orm import Session

from tracker.config import Settings


def get_session() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["tracker.session_factory"]()
    session: Session = g.db_session
    return session


def settings() -> Settings:
    value: Settings = current_app.extensions["tracker.settings"]
    return value


def now() -> dt.datetime:
    """The clock at the web edge (services take it as an argument)."""
    return dt.datetime.now(dt.UTC)


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
