"""No N+1: a dashboard request and a digest build issue as many SQL statements at ten times the data.

The data comes from the benchmark's own generator (benchmarks.harness), at two sizes, on SQLite and
PostgreSQL. Counting statements (not timing them) keeps the test exact and quick; the figures
themselves come from `tracker bench`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event

from benchmarks import harness as bench
from tests.conftest import Backend
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory
from tracker.models import Officer

SIZES = (150, 1500)
OFFICERS = 10  # one desk: every officer's desk section grows with the data too


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def loaded(backend: Backend) -> Iterator[dict[int, str]]:
    """A database per size, filled by the benchmark's generator."""
    urls = {}
    try:
        for size in SIZES:
            url = backend.fresh_url()
            urls[size] = url
            bench.load_synthetic(url, size, OFFICERS)
        yield urls
    finally:
        for url in urls.values():
            backend.release(url)


def digest_statements(url: str) -> int:
    from tracker.digests import build_digest

    engine = make_engine(url)
    try:
        factory = make_session_factory(engine)
        with factory() as session, session.begin():
            officer = session.get(Officer, 1)
            with counting(engine) as statements:
                content = build_digest(session, officer, bench.BENCH_NOW, "http://tracker.example")
            assert content is not None
        return len(statements)
    finally:
        engine.dispose()


def dashboard_statements(url: str) -> int:
    from web import create_app

    app = create_app(Settings(database_url=url, secret_key="statement-count"), testing=True)
    app.config["WTF_CSRF_ENABLED"] = False
    engine = app.extensions["tracker.engine"]
    try:
        client = app.test_client()
        response = client.post(
            "/login", data={"email": bench.bench_email(1), "password": bench.BENCH_PASSWORD}
        )
        assert response.status_code in (302, 303)
        client.get("/")  # the first request compiles templates; count a steady-state one
        with counting(engine) as statements:
            response = client.get("/")
        assert response.status_code == 200
        return len(statements)
    finally:
        engine.dispose()


def test_digest_statements_do_not_grow_with_the_data(loaded: dict[int, str]) -> None:
    small, large = (digest_statements(loaded[size]) for size in SIZES)
    assert large == small, f"a digest took {small} statements at {SIZES[0]} rows, {large} at {SIZES[1]}"


def test_dashboard_statements_do_not_grow_with_the_data(loaded: dict[int, str]) -> None:
    small, large = (dashboard_statements(loaded[size]) for size in SIZES)
    assert large == small, f"the dashboard took {small} statements at {SIZES[0]} rows, {large} at {SIZES[1]}"
