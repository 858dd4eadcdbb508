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
from tracker.deadlines import DeadlineSettings, event_key
from tracker.models import Base, Commitment, Digest, DigestState, Event, EventDateProposal, Officer, TokenKind
from tracker.services.extensions import request_extension
from tracker.services.readout_links import confirm_link
from tracker.services.readouts import ingest_text
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
    # Issue 17's routes, one object per role that acts, so no role finds another's change made:
    # dated NA-desk commitments to ask an extension of (web and API), pending requests to decide
    # (web and API), and counterpart links to remove; `hub_readout_id` is linked to each.
    extension_targets: dict[str, dict[str, int]] = field(default_factory=dict)
    pending_requests: dict[str, dict[str, int]] = field(default_factory=dict)
    link_ids: dict[str, int] = field(default_factory=dict)
    # Issue 19: proposed event dates waiting for a decision, one per deciding role and way in,
    # each on an event of its own (an approval dates it, which would stale a proposal beside it).
    pending_proposals: dict[str, dict[str, int]] = field(default_factory=dict)
    hub_readout_id: int = 0
    # Readouts not linked yet, one per role and way in (web, api), to link the seed readout to.
    link_targets: dict[str, dict[str, int]] = field(default_factory=dict)

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


def rows_written(factory: sessionmaker[Session]) -> int:
    """How many rows the test's transaction has inserted, updated or deleted so far.

    The world's sessions all share one connection in one rolled-back transaction, so the database
    counts every write for us: SQLite's `total_changes()` for the connection, PostgreSQL's
    `pg_stat_xact_all_tables` for the transaction (savepoints rolled back included). While the
    count stands still, no row can have changed, and a full `snapshot` would only prove it again.
    """
    with factory() as session:
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            return int(connection.exec_driver_sql("SELECT total_changes()").scalar_one())
        return int(
            connection.exec_driver_sql(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_all_tables"
            ).scalar_one()
        )


class Unchanged:
    """Checks that a request left every stored row as it was, taking a full `snapshot` only when
    the database counted a write since the last one (a writing request before, or a bookkeeping
    column such as a token's last use, which `snapshot` leaves out)."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory
        self.rows: dict[str, list[tuple[Any, ...]]] | None = None
        self.count = -1
        self.snapshots = 0

    def _take(self) -> None:
        self.rows = snapshot(self.factory)
        self.count = rows_written(self.factory)
        self.snapshots += 1

    def before(self) -> None:
        if self.rows is None or rows_written(self.factory) != self.count:
            self._take()

    def check(self, what: str) -> None:
        if rows_written(self.factory) == self.count:
            return
        before = self.rows
        self._take()
        assert self.rows == before, f"{what} changed stored data"


ACTING = ("desk", "supervisor", "admin")
DECIDING = ("supervisor", "admin")


def _seed_follow_up(s: Secured, session: Session) -> None:
    """Dated commitments, pending extension requests and counterpart links (see Secured)."""
    desk = session.get_one(Officer, s.world.ids["desk"])
    items = "\n".join(
        f"{n}. Japan will send economic mission number {n} to the United States by July {n}, 2018."
        for n in range(1, 11)
    )
    hub = ingest_text(
        session,
        f"Japan-United States follow-up meeting\n\nOn June 6, 2018, the two ministers met.\n\n{items}\n",
        meeting_date=dt.date(2018, 6, 6),
        by=desk,
        now=NOW,
        settings=DeadlineSettings(),
    )
    dated = iter(sorted(c.id for p in hub.points for c in p.commitments if c.due_date is not None))
    s.hub_readout_id = hub.id
    for via in ("web", "api"):
        s.extension_targets[via] = {role: next(dated) for role in ACTING}
        s.pending_requests[via] = {}
        for role in DECIDING:
            commitment = session.get_one(Commitment, next(dated))
            request = request_extension(
                session, commitment, by=desk, new_due_date=dt.date(2018, 9, 1), reason="elections", now=NOW
            )
            s.pending_requests[via][role] = request.id
    other = session.get_one(Officer, s.world.ids["other"])
    for via in ("web", "api"):
        s.pending_proposals[via] = {}
        for role in DECIDING:
            name = f"Matrix summit {via} {role}"
            event = Event(name=name, key=event_key(name), aliases=[])
            proposal = EventDateProposal(
                event=event, date=dt.date(2018, 9, 1), proposed_by=other, proposed_at=NOW
            )
            session.add(proposal)
            session.flush()
            s.pending_proposals[via][role] = proposal.id
    calls = iter(range(1, 100))

    def call() -> int:
        n = next(calls)
        return ingest_text(
            session,
            f"Japan-United States call {n}\n\nOn June 6, 2018, the ministers spoke.\n\n"
            f"1. The United States will hold consultation number {n} with Japan.\n",
            meeting_date=dt.date(2018, 6, 6),
            by=desk,
            now=NOW,
            settings=DeadlineSettings(),
        ).id

    for role in LOGGED_IN:
        s.link_ids[role] = confirm_link(session, hub.id, call(), "counterpart", by=desk, now=NOW).id
    s.link_targets = {via: {role: call() for role in LOGGED_IN} for via in ("web", "api")}


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
        _seed_follow_up(s, session)
    s.clients["anonymous"] = app.test_client()
    for role in ROLES[1:]:
        s.clients[role] = world.logged_in(world.emails[role], app)
    # Deactivated after logging in: the session cookie it holds must stop working.
    set_active(world.factory, gone, False)
    yield s
