"""One populated world for the tests of the web app, the API, security and compliance pages.

A *recipe* says what a world holds (officers of each role on two desks, readouts, commitments,
tokens, or a compliance history). Each recipe is built once per backend (and per xdist worker)
into a template database; a test then gets it one of two ways:

- by default, inside a transaction of the test's own that is rolled back at the end. The app's
  sessions, and the sessions the test opens with `world.session()`, join that transaction through
  SAVEPOINTs (SQLAlchemy's "join an external transaction" recipe, `create_savepoint`), so a
  request commits and rolls back exactly as it does in production, and nothing outlives the test.
  This costs one connection and an app (about 40 ms) instead of a database copy, the seeding and
  the scrypt hashes (0.7-1.1 s);
- with `@pytest.mark.committed`, as a database of its own copied from the template, for tests
  whose code opens its own connections: real HTTP servers (other threads), several processes,
  the command line, jobs that commit, or a test that watches from a connection of its own.

Logged-in clients reuse the session cookie of one real login per officer and backend: the
cookie is what a login hands out, and scrypt (0.1 s a login) would otherwise be most of a test.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from tests.conftest import SEED_READOUT, Backend
from tests.factories import PASSWORD, ingest, make_officer, quick_hash
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory
from tracker.models import Base
from tracker.services.tokens import create_token
from web import create_app

# 2018-06-10: four days after the seed meeting, so its commitments are fresh, not yet stale.
NOW = dt.datetime(2018, 6, 10, 9, 0, tzinfo=dt.UTC)
NA_DESK = "North America Desk"
EU_DESK = "Europe Desk"
# scrypt is slow on purpose: the one test password's hash at the tests' cost (tests/factories.py).
_HASH = quick_hash(PASSWORD)

ROLES = {
    # key: (email, role, desk, active)
    "desk": ("desk@example.org", "officer", NA_DESK, True),
    "colleague": ("colleague@example.org", "officer", NA_DESK, True),
    "other": ("other@example.org", "officer", EU_DESK, True),
    "supervisor": ("supervisor@example.org", "supervisor", None, True),
    "admin": ("admin@example.org", "admin", None, True),
    "gone": ("gone@example.org", "officer", NA_DESK, False),
}


class _TemplateCode(BytecodeCache):
    """Compiled templates shared by the tests' apps (keyed by name and source checksum).

    Every test makes an app, and every app would parse and compile each template it renders
    again: 37 ms a template, 0.1-0.2 s a test. The cache changes nothing a page shows."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = _TemplateCode()


@dataclass(frozen=True)
class Recipe:
    """What a world holds: `build` fills a session and returns what the tests need to know
    (ids, emails, tokens); the app settings and clock the tests of that world expect."""

    name: str
    build: Callable[[Session], dict[str, Any]]
    secret_key: str = "test-secret"
    clock: dt.datetime | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)


def dated_readout(n: int, *, start: dt.date = dt.date(2018, 7, 1), tag: str = "") -> str:
    """A readout of `n` numbered points, each a Japan–France commitment with its own date;
    every second date repeats, so that pages must break ties on id."""
    lines = [f"Japan-France Working Group {tag}".strip(), "", "On June 7, 2018, the two sides met.", ""]
    for i in range(n):
        due = start + dt.timedelta(days=(i // 2) * 3)
        when = f"{due:%B} {due.day}, {due.year}"
        lines.append(f"{i + 1}. Japan will send economic mission {tag}{i + 1} to France by {when}.")
    return "\n".join(lines) + "\n"


def build_desks(session: Session, *, dated: bool = False, emails: Mapping[str, str] = {}) -> dict[str, Any]:
    """Officers of each role on two desks (one deactivated), an API token each, the sample
    readout owned by the North America desk, and with `dated` a readout of six dated points.
    `emails` replaces the email of some roles (the API tests know the supervisor by another)."""
    roles = {key: (emails.get(key, email), *rest) for key, (email, *rest) in ROLES.items()}
    officers = {}
    for key, (email, role, desk, _active) in roles.items():
        officer = make_officer(session, email=email, role=role, desk=desk, password=None)
        officer.password_hash = _HASH
        officers[key] = officer
    tokens = {
        key: create_token(session, officer, "api", f"{key} token", NOW - dt.timedelta(days=4))[1]
        for key, officer in officers.items()
    }
    for key, (_email, _role, _desk, active) in roles.items():
        officers[key].is_active = active
    seed = ingest(
        session,
        SEED_READOUT.read_text(encoding="utf-8"),
        dt.date(2018, 6, 6),
        by=officers["desk"],
        now=NOW - dt.timedelta(days=4),
    )
    session.flush()
    ids: dict[str, Any] = {key: o.id for key, o in officers.items()}
    ids.update(
        seed=seed.id,
        seed_commitments=[c.id for p in seed.points for c in p.commitments],
        desk_officer=officers["desk"].id,
    )
    if dated:
        later = ingest(session, dated_readout(6), dt.date(2018, 6, 7), by=officers["desk"])
        session.flush()
        ids.update(dated=later.id, dated_commitments=[c.id for p in later.points for c in p.commitments])
    return {
        "emails": {k: v[0] for k, v in roles.items()},
        "ids": ids,
        "tokens": tokens,
        "readout_id": seed.id,
        "commitment_ids": sorted(ids["seed_commitments"]),
    }


# The web pages and security: the sample readout only, the clock fixed four days after it.
DESKS = Recipe("desks", build_desks, clock=NOW)
# The JSON API: the sample readout and a readout of dated points, on the real clock.
API_BASE_URL = "https://tracker.example.org"
DESKS_AND_DATED = Recipe(
    "desks+dated",
    lambda session: build_desks(session, dated=True, emails={"supervisor": "sup@example.org"}),
    secret_key="test",
    settings={"base_url": API_BASE_URL},
)


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


@dataclass
class Built:
    """A recipe built on one backend: the template, what it holds, and the shared copy that the
    rolled-back tests run on (a PostgreSQL template may have no connections, so it is not used)."""

    template_url: str
    data: dict[str, Any]
    shared_url: str
    shared_engine: Engine
    # (secret key, email) -> the session cookie of a real login
    cookies: dict[tuple[str, str], str] = field(default_factory=dict)


class Worlds:
    """The recipes built so far on one backend."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.built: dict[str, Built] = {}

    def get(self, recipe: Recipe) -> Built:
        if recipe.name not in self.built:
            url = self.backend.fresh_url()
            engine = make_engine(url)
            with make_session_factory(engine).begin() as session:
                data = recipe.build(session)
            engine.dispose()
            shared = self.backend.copy(url)
            self.built[recipe.name] = Built(url, data, shared, make_engine(shared))
        return self.built[recipe.name]

    def close(self) -> None:
        """Dispose of the engines, and fail loudly if a test wrote past its transaction."""
        leaked = []
        for name, built in self.built.items():
            after = _rows(built.shared_engine)
            built.shared_engine.dispose()
            template = make_engine(built.template_url)
            try:
                if _rows(template) != after:
                    leaked.append(name)
            finally:
                template.dispose()
        assert not leaked, (
            f"a test committed into the shared world {leaked} from a connection of its own: "
            "mark it @pytest.mark.committed"
        )


def _rows(engine: Engine) -> dict[str, list[str]]:
    """Every row of every table, comparable between two databases."""
    with engine.connect() as conn:
        return {
            table.name: sorted(repr(tuple(row)) for row in conn.execute(select(table)))
            for table in Base.metadata.sorted_tables
        }


@dataclass
class World:
    """A populated database for one test, its sessions, and apps on it."""

    url: str
    factory: sessionmaker[Session]
    engine: Engine
    data: dict[str, Any]
    recipe: Recipe
    built: Built
    # The test's outer transaction when rolled back; None on a committed database of its own.
    connection: Connection | None
    _apps: list[Flask] = field(default_factory=list)

    @property
    def ids(self) -> dict[str, Any]:
        ids: dict[str, Any] = self.data["ids"]
        return ids

    @property
    def emails(self) -> dict[str, str]:
        emails: dict[str, str] = self.data["emails"]
        return emails

    @property
    def tokens(self) -> dict[str, str]:
        tokens: dict[str, str] = self.data["tokens"]
        return tokens

    @property
    def readout_id(self) -> int:
        return int(self.data["readout_id"])

    @property
    def commitment_ids(self) -> list[int]:
        ids: list[int] = self.data["commitment_ids"]
        return ids

    def session(self) -> Session:
        return self.factory()

    def make_app(self, *, clock: dt.datetime | str | None = "recipe", **settings: Any) -> Flask:
        """An app on this world's database (in a rolled-back world, inside the test's transaction),
        with the recipe's clock and settings unless given (`clock=None`: the real clock)."""
        values: dict[str, Any] = {
            "database_url": self.url,
            "secret_key": self.recipe.secret_key,
            **self.recipe.settings,
            **settings,
        }
        app = create_app(Settings(**values), testing=True)
        app.jinja_env.bytecode_cache = TEMPLATE_CODE
        when = self.recipe.clock if clock == "recipe" else clock
        if isinstance(when, dt.datetime):
            app.extensions["tracker.clock"] = lambda: when
        if self.connection is not None:
            # The app asks these two for its sessions (web/db.py): both now lead to the test's
            # connection. The engine is the one the connection came from, for event listeners.
            app.extensions["tracker.engine"].dispose()
            app.extensions["tracker.engine"] = self.engine
            app.extensions["tracker.session_factory"] = self.factory
        self._apps.append(app)
        return app

    @property
    def app(self) -> Flask:
        """The world's own app (made on first use)."""
        if not self._apps:
            self.make_app()
        return self._apps[0]

    @property
    def client(self) -> FlaskClient:
        """A client of the world's app, not logged in."""
        return self.app.test_client()

    def logged_in(self, email: str, app: Flask | None = None) -> FlaskClient:
        """A client of `app` (the world's own by default) logged in as `email`."""
        app = app or self.app
        client = app.test_client()
        key = (str(app.config["SECRET_KEY"]), email)
        cookie = self.built.cookies.get(key)
        if cookie is None:
            log_in(client, email)
            session_cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
            assert session_cookie is not None, f"{email} got no session cookie"
            self.built.cookies[key] = session_cookie.value
        else:
            client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
        return client

    def call(self, method: str, path: str, who: str | None = "desk", **kwargs: Any) -> TestResponse:
        """An API request with the bearer token of `who` (none when None)."""
        headers = dict(kwargs.pop("headers", {}) or {})
        if who is not None:
            headers["Authorization"] = f"Bearer {self.tokens[who]}"
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def close(self) -> None:
        for app in self._apps:
            if self.connection is None:
                app.extensions["tracker.engine"].dispose()


@pytest.fixture(scope="session")
def worlds(backend: Backend) -> Worlds:
    """The worlds built on `backend` (kept on it, and closed with it at the end of the session)."""
    made: Worlds = backend.cache.setdefault("worlds", Worlds(backend))
    return made


@pytest.fixture
def world_recipe() -> Recipe:
    """Which world the tests of a directory or module want (override it there)."""
    return DESKS


@pytest.fixture
def world(request: pytest.FixtureRequest, worlds: Worlds, world_recipe: Recipe) -> Iterator[World]:
    built = worlds.get(world_recipe)
    data = copy.deepcopy(built.data)
    if request.node.get_closest_marker("committed") is not None:
        url = worlds.backend.copy(built.template_url)
        engine = make_engine(url)
        committed = World(url, make_session_factory(engine), engine, data, world_recipe, built, None)
        try:
            yield committed
        finally:
            committed.close()
            engine.dispose()
            worlds.backend.release(url)
        return
    with built.shared_engine.connect() as connection:
        transaction = connection.begin()
        factory = sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        rolled_back = World(
            built.shared_url, factory, built.shared_engine, data, world_recipe, built, connection
        )
        try:
            yield rolled_back
        finally:
            rolled_back.close()
            transaction.rollback()
