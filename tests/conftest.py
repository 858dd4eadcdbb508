"""Fixtures: every database test runs on SQLite and on PostgreSQL, on a schema built by migrations.

- `database_url` (per test session and backend): a database migrated to head once.
- `session`: a Session inside a transaction that is rolled back after each test
  (SQLAlchemy's "join an external transaction" recipe), so tests do not see each other.
- `fresh_database_url`: a database of its own at head, for code that opens its own
  connections and commits (CLI, jobs, the web app, several processes).
- `empty_database_url`: a database with no tables, for migration tests.
- `world` (tests/world.py): a populated world (officers, readouts, tokens) and apps on it,
  rolled back after each test, or committed in a database of its own with `@pytest.mark.committed`.

PostgreSQL databases get unique names, so that several test runs can share one server.
Set TRACKER_TEST_SKIP_POSTGRES=1 to skip the PostgreSQL half (make test does so only,
with a loud message, when no server can be had).
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tracker.db import alembic_config, make_engine

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus" / "dev"
SEED_READOUT = REPO_ROOT / "sample_data" / "mofa-2018-06-06-japan-us-fm.txt"
PG_ADMIN_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", "postgresql"]


def _skip_postgres() -> bool:
    return os.environ.get("TRACKER_TEST_SKIP_POSTGRES") == "1"


class PostgresServer:
    """Creates and drops uniquely named databases on the test server.

    Drops happen on a thread of their own: PostgreSQL 15's DROP DATABASE waits for an immediate
    checkpoint of the whole server (0.1 s on an idle server, 1-6 s while other tests write), which
    would otherwise hold up the test that released the database, once for every committed test.
    `close` waits for them all.
    """

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self.admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []
        self._to_drop: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._dropper: threading.Thread | None = None
        self._drop_errors: list[BaseException] = []

    def url_for(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        name = f"tracker_test_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        self.created.append(name)
        return name

    def _drop_now(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def _drop_queued(self) -> None:
        while (name := self._to_drop.get()) is not None:
            try:
                self._drop_now(name)
            except BaseException as exc:  # reported by close()
                self._drop_errors.append(exc)

    def drop(self, name: str) -> None:
        """Drop `name` soon, on the dropping thread (see the class)."""
        if name in self.created:
            self.created.remove(name)
        if self._dropper is None:
            self._dropper = threading.Thread(target=self._drop_queued, name="drop-databases", daemon=True)
            self._dropper.start()
        self._to_drop.put(name)

    def close(self) -> None:
        if self._dropper is not None:
            self._to_drop.put(None)
            self._dropper.join()
        for name in list(self.created):
            self._drop_now(name)
        self.created.clear()
        self.admin.dispose()
        assert not self._drop_errors, f"test databases that could not be dropped: {self._drop_errors}"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    if _skip_postgres():
        pytest.skip("PostgreSQL run skipped: TRACKER_TEST_SKIP_POSTGRES=1")
    server = PostgresServer(PG_ADMIN_URL)
    try:
        with server.admin.connect():
            pass
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.fail(
            f"cannot reach the PostgreSQL test server at {PG_ADMIN_URL}: {exc}. "
            "Start it (make test does) or set TRACKER_TEST_SKIP_POSTGRES=1."
        )
    yield server
    server.close()


def migrate(url: str, revision: str = "head") -> None:
    config = alembic_config(url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, revision)


class Backend:
    """One database server kind and how to get databases on it."""

    def __init__(self, name: str, tmp: Path, pg: PostgresServer | None) -> None:
        self.name = name
        self.tmp = tmp
        self.pg = pg
        self._template: str | None = None
        self._database_url: str | None = None
        self._engine: Engine | None = None
        # What other fixtures build once per backend (tests/world.py's worlds); closed at the end.
        self.cache: dict[str, Any] = {}

    def empty_url(self) -> str:
        if self.pg is None:
            return f"sqlite:///{self.tmp / f'{uuid.uuid4().hex}.db'}"
        return self.pg.url_for(self.pg.create())

    def template_url(self) -> str:
        """A database at head that is never used directly, only copied."""
        if self._template is None:
            url = self.empty_url()
            migrate(url)
            self._template = url
        return self._template

    def fresh_url(self) -> str:
        return self.copy(self.template_url())

    def copy(self, template: str) -> str:
        """A new database holding what `template` holds (which must have no open connections)."""
        if self.pg is None:
            path = self.tmp / f"{uuid.uuid4().hex}.db"
            shutil.copyfile(make_url(template).database or "", path)
            return f"sqlite:///{path}"
        return self.pg.url_for(self.pg.create(template=make_url(template).database))

    def release(self, url: str) -> None:
        if self.pg is not None:
            self.pg.drop(make_url(url).database or "")

    def database_url(self) -> str:
        """The database at head that the rolled-back `session` tests share."""
        if self._database_url is None:
            url = self.empty_url()
            migrate(url)
            self._database_url = url
        return self._database_url

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.database_url())
        return self._engine

    def close(self) -> None:
        try:
            for value in self.cache.values():
                value.close()
        finally:
            if self._engine is not None:
                self._engine.dispose()


@pytest.fixture(scope="session")
def backends(request: pytest.FixtureRequest) -> Iterator[dict[str, Backend]]:
    """Each backend made once per session (per xdist worker), whatever order the tests come in.

    `backend` is parametrised; pytest tears a session fixture's instance down whenever the next
    test wants the other parameter, which under xdist (each worker gets tests of both backends,
    interleaved) would migrate and seed again and again. The backends live here instead.
    """
    if not _skip_postgres():
        request.getfixturevalue("postgres_server")  # set up first, so that it is closed last
    made: dict[str, Backend] = {}
    yield made
    for made_backend in made.values():
        made_backend.close()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(
    request: pytest.FixtureRequest, backends: dict[str, Backend], tmp_path_factory: pytest.TempPathFactory
) -> Backend:
    if request.param not in backends:
        tmp = tmp_path_factory.mktemp(request.param)
        pg = request.getfixturevalue("postgres_server") if request.param == "postgresql" else None
        backends[request.param] = Backend(request.param, tmp, pg)
    return backends[request.param]


@pytest.fixture(scope="session")
def database_url(backend: Backend) -> str:
    return backend.database_url()


@pytest.fixture(scope="session")
def engine(backend: Backend) -> Engine:
    return backend.engine()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with engine.connect() as connection:
        transaction = connection.begin()
        db_session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield db_session
        finally:
            db_session.close()
            transaction.rollback()


@pytest.fixture
def fresh_database_url(backend: Backend) -> Iterator[str]:
    url = backend.fresh_url()
    yield url
    backend.release(url)


@pytest.fixture
def empty_database_url(backend: Backend) -> Iterator[str]:
    url = backend.empty_url()
    yield url
    backend.release(url)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests (marked `slow` or `browser`) first: spread over the xdist workers from the
    start, rather than one of them left running alone at the end while the others idle."""
    items.sort(key=lambda item: not any(item.get_closest_marker(m) for m in ("slow", "browser")))


# The populated world (tests/world.py) is a fixture for every directory.
from tests.world import world, world_recipe, worlds  # noqa: E402, F401


@pytest.fixture(autouse=True)
def _english_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's messages in English whatever the developer's locale (LANG=ja_JP.UTF-8 would make
    them Japanese: cli/i18n.py); a test of the Japanese sets its own language."""
    monkeypatch.setenv("TRACKER_LANGUAGE", "en")
