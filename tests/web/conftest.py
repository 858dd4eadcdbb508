"""Fixtures for the web app: a fresh database per test (SQLite and PostgreSQL), seeded with the
sample readout and one officer per role, the clock fixed, and test clients logged in by role."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import SEED_READOUT
from tests.factories import PASSWORD, ingest, make_officer
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory
from tracker.services.officers import hash_password
from web import create_app

# 2018-06-10: four days after the seed meeting, so its commitments are fresh, not yet stale.
NOW = dt.datetime(2018, 6, 10, 9, 0, tzinfo=dt.UTC)
NA_DESK = "North America Desk"
EU_DESK = "Europe Desk"
# scrypt is slow on purpose: hash the one test password once, not once per officer.
_HASH = hash_password(PASSWORD)


@dataclass
class World:
    """Who and what the seeded database holds (ids, so they outlive the seeding session)."""

    url: str
    emails: dict[str, str]
    ids: dict[str, int]
    readout_id: int
    commitment_ids: list[int]
    factory: sessionmaker[Session]

    def session(self) -> Session:
        return self.factory()


ROLES = {
    # key: (email, role, desk, active)
    "desk": ("desk@example.org", "officer", NA_DESK, True),
    "colleague": ("colleague@example.org", "officer", NA_DESK, True),
    "other": ("other@example.org", "officer", EU_DESK, True),
    "supervisor": ("supervisor@example.org", "supervisor", None, True),
    "admin": ("admin@example.org", "admin", None, True),
    "gone": ("gone@example.org", "officer", NA_DESK, False),
}


@pytest.fixture
def world(fresh_database_url: str) -> Iterator[World]:
    engine = make_engine(fresh_database_url)
    factory = make_session_factory(engine)
    ids: dict[str, int] = {}
    with factory.begin() as session:
        officers = {}
        for key, (email, role, desk, active) in ROLES.items():
            officer = make_officer(session, email=email, role=role, desk=desk, password=None)
            officer.password_hash = _HASH
            officer.is_active = active
            officers[key] = officer
        readout = ingest(
            session,
            SEED_READOUT.read_text(encoding="utf-8"),
            dt.date(2018, 6, 6),
            by=officers["desk"],
            now=NOW - dt.timedelta(days=4),
        )
        session.flush()
        ids = {key: o.id for key, o in officers.items()}
        commitment_ids = sorted(c.id for p in readout.points for c in p.commitments)
        readout_id = readout.id
    yield World(
        fresh_database_url,
        {k: v[0] for k, v in ROLES.items()},
        ids,
        readout_id,
        commitment_ids,
        factory,
    )
    engine.dispose()


@pytest.fixture
def app(world: World) -> Iterator[Flask]:
    flask_app = create_app(Settings(database_url=world.url, secret_key="test-secret"), testing=True)
    flask_app.extensions["tracker.clock"] = lambda: NOW
    yield flask_app
    flask_app.extensions["tracker.engine"].dispose()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "every form carries a CSRF token"
    return match.group(1)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, f"{email} could not log in"


@pytest.fixture
def client_for(app: Flask, world: World) -> Callable[[str], FlaskClient]:
    """A test client logged in as the officer with that role key (see ROLES)."""

    def make(key: str) -> FlaskClient:
        client = app.test_client()
        log_in(client, world.emails[key])
        return client

    return make


def page_token(client: FlaskClient, path: str) -> str:
    """The CSRF token from the form on `path`."""
    response = client.get(path)
    assert response.status_code == 200, path
    return csrf_token(response.get_data(as_text=True))
