"""Fixtures for the security tests: the web tests' populated world (tests/world.py: one officer
per role, the seed readout, SQLite and PostgreSQL), plus for every role an API token, a spare API
token, a calendar feed token and a test client — the deactivated officer's client logged in while
still active. All of it is made inside the test's rolled-back transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from tests.web.conftest import (  # noqa: F401  (fixtures used by the tests here)
    NOW,
    World,
    app,
    client_for,
    csrf_token,
)
from tracker.models import Base, Digest, DigestState, Officer, TokenKind
from tracker.services.tokens import create_token

ROLES = ("anonymous", "desk", "other", "supervisor", "admin", "gone")
LOGGED_IN = ("desk", "other", "supervisor", "admin")
# Columns that a read may legitimately touch (a token's last use is written at most once a minute).
VOLATILE_COLUMNS = {"last_used_at"}
VOLATILE_TABLES = {"job_lease"}


@dataclass
class Secured:
    """The seeded world with tokens and clients for every role (see ROLES)."""

    world: World
    app: Flask
    api_tokens: dict[str, str] = field(default_factory=dict)
    spare_token_ids: dict[str, int] = field(default_factory=dict)
    feed_tokens: dict[str, str] = field(default_factory=dict)
    clients: dict[str, FlaskClient] = field(default_factory=dict)
    failed_digest_id: int = 0

    @property
    def factory(self) -> sessionmaker[Session]:
        return self.world.factory


def snapshot(factory: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row of every table (less bookkeeping columns), to prove nothing changed."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with factory() as session:
        # Core rows from the session's connection: the same rows, without the ORM's overhead
        # (the authorisation matrix takes about 600 snapshots).
        connection = session.connection()
        for table in Base.metadata.sorted_tables:
            if table.name in VOLATILE_TABLES:
                continue
            columns = [c for c in table.c if c.name not in VOLATILE_COLUMNS]
            rows = connection.execute(select(*columns))
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def set_active(factory: sessionmaker[Session], officer_id: int, active: bool) -> None:
    with factory.begin() as session:
        session.execute(update(Officer).where(Officer.id == officer_id).values(is_active=active))


@pytest.fixture
def secured(app: Flask, world: World) -> Iterator[Secured]:  # noqa: F811
    s = Secured(world=world, app=app)
    gone = world.ids["gone"]
    set_active(world.factory, gone, True)  # tokens and a login need an active officer
    with world.factory.begin() as session:
        for role in ROLES[1:]:
            officer = session.get_one(Officer, world.ids[role])
            s.api_tokens[role] = create_token(session, officer, TokenKind.API, f"{role} api", NOW)[1]
            spare, _ = create_token(session, officer, TokenKind.API, f"{role} spare", NOW)
            s.spare_token_ids[role] = spare.id
            s.feed_tokens[role] = create_token(session, officer, TokenKind.FEED, "feed", NOW)[1]
        digest = Digest(
            officer_id=world.ids["desk"],
            period="daily:2018-06-09",
            subject="Follow-up digest",
            body_text="text",
            body_html="<p>html</p>",
            message_id="<failed-digest@tracker.example>",
            state=DigestState.FAILED,
            attempts=5,
            last_error="550 mailbox unavailable",
            created_at=NOW - dt.timedelta(days=1),
        )
        session.add(digest)
        session.flush()
        s.failed_digest_id = digest.id
    s.clients["anonymous"] = app.test_client()
    for role in ROLES[1:]:
        s.clients[role] = world.logged_in(world.emails[role], app)
    # Deactivated after logging in: the session cookie it holds must stop working.
    set_active(world.factory, gone, False)
    yield s
