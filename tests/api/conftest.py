"""An app on a fresh database (SQLite and PostgreSQL) with officers of two desks, a supervisor,
a deactivated officer, an API token for each, the seed readout and a readout with dated deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import SEED_READOUT
from tests.factories import NOW, ingest, make_officer
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory
from tracker.services.tokens import create_token
from web import create_app

BASE_URL = "https://tracker.example.org"
PROBLEM = "application/problem+json"


def dated_readout(n: int, *, start: dt.date = dt.date(2018, 7, 1), tag: str = "") -> str:
    """A readout of `n` numbered points, each a Japan–France commitment with its own date;
    every second date repeats, so that pages must break ties on id."""
    lines = [f"Japan-France Working Group {tag}".strip(), "", "On June 7, 2018, the two sides met.", ""]
    for i in range(n):
        due = start + dt.timedelta(days=(i // 2) * 3)
        when = f"{due:%B} {due.day}, {due.year}"
        lines.append(f"{i + 1}. Japan will send economic mission {tag}{i + 1} to France by {when}.")
    return "\n".join(lines) + "\n"


@dataclass
class World:
    app: Flask
    url: str
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)

    @property
    def client(self) -> FlaskClient:
        return self.app.test_client()

    def call(self, method: str, path: str, who: str | None = "desk", **kwargs: Any) -> TestResponse:
        headers = dict(kwargs.pop("headers", {}) or {})
        if who is not None:
            headers["Authorization"] = f"Bearer {self.tokens[who]}"
        return self.client.open(path, method=method, headers=headers, **kwargs)


def build_world(url: str, **settings: Any) -> World:
    engine = make_engine(url)
    tokens: dict[str, str] = {}
    ids: dict[str, Any] = {}
    with make_session_factory(engine).begin() as session:
        desk = make_officer(session, email="desk@example.org", desk="North America Desk")
        # Only the desk officer logs in to the web pages: the others need no (slow, scrypt) password.
        colleague = make_officer(
            session, email="colleague@example.org", desk="North America Desk", password=None
        )
        other = make_officer(session, email="other@example.org", desk="Europe Desk", password=None)
        supervisor = make_officer(
            session, email="sup@example.org", role="supervisor", desk=None, password=None
        )
        gone = make_officer(session, email="gone@example.org", desk="North America Desk", password=None)
        for name, officer in [
            ("desk", desk),
            ("colleague", colleague),
            ("other", other),
            ("supervisor", supervisor),
            ("gone", gone),
        ]:
            tokens[name] = create_token(session, officer, "api", f"{name} token", NOW)[1]
        gone.is_active = False
        seed = ingest(session, SEED_READOUT.read_text(encoding="utf-8"), dt.date(2018, 6, 6), by=desk)
        dated = ingest(session, dated_readout(6), dt.date(2018, 6, 7), by=desk)
        ids.update(
            seed=seed.id,
            dated=dated.id,
            seed_commitments=[c.id for p in seed.points for c in p.commitments],
            dated_commitments=[c.id for p in dated.points for c in p.commitments],
            desk_officer=desk.id,
        )
    engine.dispose()
    app = create_app(
        Settings(database_url=url, secret_key="test", base_url=BASE_URL, **settings), testing=True
    )
    # Tests see exceptions as problems (the 500 handler), as a client would.
    return World(app=app, url=url, tokens=tokens, ids=ids)


@pytest.fixture
def world(fresh_database_url: str) -> Iterator[World]:
    w = build_world(fresh_database_url)
    yield w
    w.app.extensions["tracker.engine"].dispose()


def assert_problem(response: TestResponse, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem document with `status`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body: dict[str, Any] = response.get_json(force=True)
    assert body["status"] == status
    assert body["type"].startswith("/api/v1/docs#problem-")
    assert body["title"] and body["detail"]
    return body
