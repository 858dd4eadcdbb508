"""Engines and sessions for SQLite (the embedded default) and PostgreSQL (scale-out), and the
Alembic configuration that migrates them."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import (
    DeclarativeBase,
    Session,
    SessionTransaction,
    make_transient_to_detached,
    sessionmaker,
)

# The repository (or installed tree) root: alembic.ini and migrations/ live there.
REPO_ROOT = Path(__file__).resolve().parents[1]
# How long a writer waits for SQLite's write lock (jobs and the CLI; the web app waits less,
# web/db.py WRITE_WAIT_S, since a person or a client is waiting for the answer).
SQLITE_BUSY_TIMEOUT_S = 30
# Page cache per connection, at most (grown as pages are read). SQLite's default of 2 MiB is
# smaller than what one dashboard reads at a million commitments (an officer's rows are spread
# over the table), so every request re-read its pages from the OS: 5x slower counts (issue 7).
SQLITE_CACHE_KIB = 65536


def _sqlite_on_connect(busy_timeout_s: float) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling issues BEGIN lazily and breaks SAVEPOINTs;
        # we turn it off and emit BEGIN ourselves (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    return on_connect


# Execution option that makes a SQLite transaction take the write lock at BEGIN.
#
# In WAL mode a deferred transaction that reads and then writes fails at once with
# "database is locked" if another connection committed in between: the busy timeout
# cannot help, because its snapshot is already stale. Transactions that will write
# (web requests that change data, jobs, the CLI) begin IMMEDIATE instead and wait their turn.
BEGIN_IMMEDIATE = "tracker_begin_immediate"


def _sqlite_on_begin(conn: Any) -> None:
    if conn.get_execution_options().get(BEGIN_IMMEDIATE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def make_engine(url: str, *, lock_wait_s: float | None = None, **kwargs: Any) -> Engine:
    """An engine for `url`, with SQLite opened in WAL mode with foreign keys and a busy timeout.

    `lock_wait_s` bounds how long a statement waits for a lock held by another connection
    (SQLite's busy timeout, else SQLITE_BUSY_TIMEOUT_S; PostgreSQL's lock_timeout, else none)
    before it fails with OperationalError.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        busy_timeout_s = SQLITE_BUSY_TIMEOUT_S if lock_wait_s is None else lock_wait_s
        kwargs.setdefault("connect_args", {"timeout": busy_timeout_s})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect(busy_timeout_s))
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # Plain postgresql:// means psycopg 3 here, the driver we install.
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if lock_wait_s is not None:
        kwargs.setdefault("connect_args", {"options": f"-c lock_timeout={int(lock_wait_s * 1000)}"})
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def begin_write(session: Session) -> None:
    """Start `session`'s transaction as a writer (BEGIN IMMEDIATE on SQLite; a no-op elsewhere).

    Call before the first statement of a unit of work that will write.
    """
    session.connection(execution_options={BEGIN_IMMEDIATE: True})


def commit_without_waiting(session: Session) -> None:
    """Commit, but fail at once (OperationalError) rather than wait for another writer's lock.

    On SQLite the busy timeout is zero while the pending changes are flushed (and restored); on
    PostgreSQL the lock timeout is short for the rest of this transaction. For writes that may
    be dropped.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        usual = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        # The first write takes the write lock (WAL); once it has it, COMMIT needs no other.
        connection.exec_driver_sql("PRAGMA busy_timeout=0")
        try:
            session.flush()
        finally:
            # The connection goes back to the pool: it must wait as usual for its next user.
            connection.exec_driver_sql(f"PRAGMA busy_timeout={int(usual or 0)}")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL lock_timeout = '100ms'")
    session.commit()


@contextmanager
def transaction(factory: sessionmaker[Session], *, write: bool = True) -> Iterator[Session]:
    """One unit of work: commit at the end, roll back on any error."""
    with factory() as session, session.begin():
        if write:
            begin_write(session)
        yield session


def alembic_config(database_url: str) -> Any:
    """The Alembic configuration of this repository's migrations, pointed at `database_url`."""
    from alembic.config import Config

    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def insert_ignore(session: Session, model: type[DeclarativeBase], values: dict[str, Any]) -> bool:
    """INSERT the row unless a unique key says it exists; True when this call inserted it.

    `ON CONFLICT DO NOTHING` (both databases) rather than catching IntegrityError: a concurrent
    writer of the same key waits for the first and then does nothing, with no error to unwind.
    """
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    table = typing.cast(Table, model.__table__)  # type: ignore[attr-defined]
    # RETURNING says whether a row went in: the drivers' row count is not reliable here
    # (psycopg reports -1 through SQLAlchemy for an INSERT ... ON CONFLICT).
    stmt = (
        module.insert(table).values(**values).on_conflict_do_nothing().returning(*table.primary_key.columns)
    )
    return session.execute(stmt).first() is not None


def database_now(session: Session) -> dt.datetime:
    """The database server's clock (UTC), for what several hosts must agree on (the job lease)."""
    if session.get_bind().dialect.name == "postgresql":
        value = session.execute(text("SELECT statement_timestamp()")).scalar_one()
        return typing.cast(dt.datetime, value).astimezone(dt.UTC)
    # SQLite runs in this process: its clock is this host's, read to the millisecond.
    value = session.execute(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar_one()
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def refresh_statistics(session: Session) -> None:
    """Let SQLite update its query-planner statistics when the tables have changed enough.

    PostgreSQL's autovacuum does this by itself; SQLite never does. Without statistics its
    planner guessed the dashboard's counts query onto the (status, review_date) index and read
    every active row: 2.0 s at 1M commitments, 90 ms after ANALYZE (issue 7 bench). PRAGMA
    optimize is a no-op when nothing changed much, so the hourly sweep is a cheap place for it.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA optimize")
        session.commit()


# session.info key: the objects attach_inserted attached, with the transaction that inserted them.
_INSERTED = "tracker.inserted_objects"


def attach_inserted(session: Session, objects: Sequence[object]) -> None:
    """Attach `objects`, whose rows this transaction just inserted with exactly their attribute
    values (a Core INSERT, faster than a flush), to `session` as the flush would have left them:
    persistent and clean, and expunged again if the transaction that inserted them rolls back."""
    for obj in objects:
        make_transient_to_detached(obj)
    session.add_all(objects)
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_INSERTED, []).append((transaction, list(objects)))


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_soft_rollback")
def _expunge_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    """Objects attached by attach_inserted leave the session with the transaction that inserted
    them (or one around it), as flushed objects do."""
    groups = session.info.get(_INSERTED)
    if not groups:
        return
    kept = []
    for transaction, objects in groups:
        if _within(transaction, previous_transaction):
            for obj in objects:
                if obj in session:
                    session.expunge(obj)
        else:
            kept.append((transaction, objects))
    session.info[_INSERTED] = kept


@event.listens_for(Session, "after_transaction_end")
def _forget_inserted(session: Session, transaction: SessionTransaction) -> None:
    # Once the outermost transaction is over (after a rollback has expunged its objects), the
    # objects are ordinary persistent ones.
    if transaction.parent is None:
        session.info.pop(_INSERTED, None)
