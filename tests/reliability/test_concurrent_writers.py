"""20 officers change the same commitment at the same moment, over real HTTP (waitress), each
with its own logged-in session (web) or token (API) and the version it read.

Per round, every writer reads the commitment, all wait at a barrier until each has read the same
version, then all send their change at once: exactly one is accepted, the other 19 get a
conflict (409 on the web, 412 from the API), and none gets a 500 — on SQLite, where writers
queue on one lock, and on PostgreSQL, where they race to the row. Meanwhile readers hammer the
API with fresh tokens (each first use writes the token's last-use time), which on SQLite is the
read-then-write that can meet "database is locked". The history holds each accepted change once
and nothing from the refused ones.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from tests.conftest import SEED_READOUT
from tests.factories import PASSWORD, ingest
from tests.live_server import serve
from tests.web.conftest import csrf_token
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory
from tracker.models import Commitment, StatusChange, TokenKind
from tracker.services.officers import create_officer, hash_password
from tracker.services.tokens import create_token
from web import create_app

WRITERS = 20
ROUNDS = 3
READER_TOKENS = 40
NOW = dt.datetime(2018, 6, 10, 9, 0, tzinfo=dt.UTC)


@dataclass
class Crowd:
    app: Flask
    url: str
    emails: list[str]
    tokens: list[str]
    reader_tokens: list[str]
    commitment_id: int


@pytest.fixture
def crowd(fresh_database_url: str) -> Iterator[Crowd]:
    engine = make_engine(fresh_database_url)
    password_hash = hash_password(PASSWORD)  # scrypt once, not once per officer
    emails, tokens, readers = [], [], []
    with make_session_factory(engine).begin() as session:
        officers = []
        for n in range(WRITERS):
            officer = create_officer(
                session, email=f"writer{n}@example.org", name=f"Writer {n}", desk="North America Desk"
            )
            officer.password_hash = password_hash
            officers.append(officer)
            emails.append(officer.email)
            tokens.append(create_token(session, officer, TokenKind.API, "writer", NOW)[1])
        for n in range(READER_TOKENS):
            readers.append(create_token(session, officers[n % WRITERS], TokenKind.API, f"reader {n}", NOW)[1])
        readout = ingest(
            session, SEED_READOUT.read_text(encoding="utf-8"), dt.date(2018, 6, 6), by=officers[0]
        )
        cid = min(c.id for p in readout.points for c in p.commitments)
    engine.dispose()
    app = create_app(Settings(database_url=fresh_database_url, secret_key="concurrency"))
    yield Crowd(app, fresh_database_url, emails, tokens, readers, cid)
    app.extensions["tracker.engine"].dispose()


def _web_session(base: str, email: str) -> requests.Session:
    http = requests.Session()
    token = csrf_token(http.get(f"{base}/login", timeout=60).text)
    response = http.post(
        f"{base}/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302, response.text[:300]
    return http


def _history(url: str, cid: int) -> tuple[int, list[tuple[str | None, str, str | None]]]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            version = session.scalar(select(Commitment.version).where(Commitment.id == cid))
            rows = session.execute(
                select(StatusChange.note, StatusChange.field, StatusChange.new_value)
                .where(StatusChange.commitment_id == cid, StatusChange.officer_id.is_not(None))
                .order_by(StatusChange.id)
            )
            return version or 0, [tuple(r) for r in rows]  # type: ignore[misc]
    finally:
        engine.dispose()


def _run_rounds(
    n: int, read: Callable[[int], tuple[object, int]], write: Callable[[int, object, int, int], int]
) -> list[list[tuple[int, int, int]]]:
    """ROUNDS rounds of: every writer reads, all meet at a barrier, all write. Per round, the
    (writer, version read, status) of each write."""
    results: list[list[tuple[int, int, int]]] = []
    with ThreadPoolExecutor(max_workers=n) as pool:
        for r in range(ROUNDS):
            barrier = threading.Barrier(n, timeout=120)

            def one(i: int, r: int = r, barrier: threading.Barrier = barrier) -> tuple[int, int, int]:
                state, version = read(i)
                barrier.wait()
                return i, version, write(i, state, version, r)

            results.append(list(pool.map(one, range(n))))
    return results


def _readers(base: str, tokens: list[str], statuses: Counter[int]) -> None:
    """One API read per fresh token, eight at a time, while the writers write."""

    def read(token: str) -> None:
        response = requests.get(
            f"{base}/api/v1/commitments?limit=5", headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        statuses[response.status_code] += 1

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(read, tokens))


def _check(rounds: list[list[tuple[int, int, int]]], accepted: int, conflict: set[int]) -> list[int]:
    winners = []
    for results in rounds:
        versions = {v for _, v, _ in results}
        assert len(versions) == 1, f"the writers did not all read the same version: {versions}"
        statuses = Counter(s for _, _, s in results)
        assert statuses[accepted] == 1, statuses
        assert sum(statuses[c] for c in conflict) == WRITERS - 1, statuses
        winners += [i for i, _, s in results if s == accepted]
    return winners


@pytest.mark.slow
def test_twenty_web_sessions_change_one_commitment_at_once(crowd: Crowd) -> None:
    cid = crowd.commitment_id
    start_version, start_history = _history(crowd.url, cid)
    with serve(crowd.app) as base:
        sessions = list(ThreadPoolExecutor(max_workers=8).map(lambda e: _web_session(base, e), crowd.emails))

        def read(i: int) -> tuple[object, int]:
            page = sessions[i].get(f"{base}/commitments/{cid}", timeout=60)
            assert page.status_code == 200
            version = re.search(r'name="version" value="(\d+)"', page.text)
            assert version
            return csrf_token(page.text), int(version.group(1))

        def write(i: int, token: object, version: int, r: int) -> int:
            response = sessions[i].post(
                f"{base}/commitments/{cid}",
                data={
                    "csrf_token": token,
                    "version": str(version),
                    "status": "in_progress" if r % 2 == 0 else "open",
                    "note": f"web round {r} writer {i}",
                },
                allow_redirects=False,
                timeout=120,
            )
            if response.status_code == 409:
                assert "changed" in response.text  # the refusal says someone else changed it
            return response.status_code

        reads = Counter[int]()
        reader = threading.Thread(target=_readers, args=(base, crowd.reader_tokens[:20], reads))
        reader.start()
        rounds = _run_rounds(WRITERS, read, write)
        reader.join(timeout=120)
    winners = _check(rounds, 302, {409})
    assert set(reads) == {200}, f"a concurrent reader got {reads}"
    version, history = _history(crowd.url, cid)
    assert version == start_version + ROUNDS
    new = history[len(start_history) :]
    assert [note for note, _, _ in new] == [f"web round {r} writer {w}" for r, w in enumerate(winners)]
    assert [(field, value) for _, field, value in new] == [
        ("status", "in_progress" if r % 2 == 0 else "open") for r in range(ROUNDS)
    ]


@pytest.mark.slow
def test_twenty_api_clients_change_one_commitment_at_once_with_if_match(crowd: Crowd) -> None:
    cid = crowd.commitment_id
    start_version, start_history = _history(crowd.url, cid)
    with serve(crowd.app) as base:
        clients = [requests.Session() for _ in range(WRITERS)]
        for http, token in zip(clients, crowd.tokens, strict=True):
            http.headers["Authorization"] = f"Bearer {token}"

        def read(i: int) -> tuple[object, int]:
            response = clients[i].get(f"{base}/api/v1/commitments/{cid}", timeout=60)
            assert response.status_code == 200
            return response.headers["ETag"], int(response.headers["ETag"].strip('"'))

        def write(i: int, etag: object, version: int, r: int) -> int:
            response = clients[i].patch(
                f"{base}/api/v1/commitments/{cid}",
                headers={"If-Match": str(etag)},
                json={"status": "done" if r % 2 == 0 else "in_progress", "note": f"api round {r} writer {i}"},
                timeout=120,
            )
            if response.status_code != 200:
                assert response.headers["Content-Type"].startswith("application/problem+json")
            return response.status_code

        reads = Counter[int]()
        reader = threading.Thread(target=_readers, args=(base, crowd.reader_tokens[20:], reads))
        reader.start()
        rounds = _run_rounds(WRITERS, read, write)
        reader.join(timeout=120)
    winners = _check(rounds, 200, {409, 412})
    assert set(reads) == {200}, f"a concurrent reader got {reads}"
    version, history = _history(crowd.url, cid)
    assert version == start_version + ROUNDS
    new = history[len(start_history) :]
    assert [note for note, _, _ in new] == [f"api round {r} writer {w}" for r, w in enumerate(winners)]
