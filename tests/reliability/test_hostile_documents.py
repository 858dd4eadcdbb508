"""Hostile documents through the web app and the API (issue 19, item 1): reading and extracting
never hold the database's write lock, and what is too big or too slow is refused with a clear
4xx while other users' writes go on."""

from __future__ import annotations

import io
import sqlite3
import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from tests.api.conftest import assert_problem
from tests.extraction import bombs
from tests.extraction.test_bombs import UNLIMITED
from tests.web.conftest import page_token
from tests.world import World
from tracker.extraction.limits import ReadingLimits
from tracker.models import Readout


def _numbered(points: int) -> str:
    lines = [f"{n}. Japan will provide support to Ukraine by the end of the year." for n in range(points)]
    return "Readout of the meeting, 3 December 2026\n\n" + "\n".join(lines) + "\n"


def _write_beside(url: str, timeout_s: float) -> float:
    """Write through a connection of our own (SQLite's write lock taken); the seconds it took."""
    path = make_url(url).database
    assert path
    started = time.monotonic()
    connection = sqlite3.connect(path, timeout=timeout_s, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE officer SET name = name WHERE id = (SELECT min(id) FROM officer)")
        connection.execute("COMMIT")
    finally:
        connection.close()
    return time.monotonic() - started


@pytest.mark.committed
@pytest.mark.slow
@pytest.mark.parametrize("where", ["api", "web"])
def test_other_writers_go_on_while_a_preview_parses(world: World, where: str) -> None:
    if not world.url.startswith("sqlite"):
        pytest.skip("SQLite's single write lock is what this is about")
    # A legal readout big enough that extracting it takes seconds (the limits raised to let it in);
    # made bigger until it does on this machine (extraction gets faster as it is improved).
    world.make_app(
        reading=ReadingLimits(max_characters=5_000_000, max_points=100_000, max_commitments=100_000)
    )
    client = world.logged_in(world.emails["desk"])

    def post(text: str) -> int:
        if where == "api":
            return world.call("POST", "/api/v1/readouts?dry_run=1", json={"text": text}).status_code
        token = page_token(client, "/readouts/new")
        data = {"csrf_token": token, "text": text, "meeting_date": "2026-12-03"}
        return client.post("/readouts/new", data=data).status_code

    # Warm up (the first request imports and builds what the app needs) on a small readout.
    assert post(_numbered(3)) == 200
    points = 3000 if where == "api" else 800
    for _ in range(4):
        text = _numbered(points)
        result: dict[str, Any] = {}

        def preview(text: str = text, result: dict[str, Any] = result) -> None:
            started = time.monotonic()
            result["status"] = post(text)
            result["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=preview)
        thread.start()
        try:
            time.sleep(1.0)  # the request is authenticated and parsing
            waited = _write_beside(world.url, timeout_s=2.0)
            still_parsing = thread.is_alive()
        finally:
            thread.join()
        assert result["status"] == 200
        if still_parsing:
            break
        points *= 3
    print(f"write beside a {result['seconds']:.1f} s preview ({points} points) took {waited:.2f} s")
    assert still_parsing, f"the preview ended before the write even at {points} points"
    assert waited < 1.5


def _readouts(world: World) -> int:
    with world.session() as session:
        return session.scalar(select(func.count()).select_from(Readout)) or 0


def test_a_document_over_a_limit_is_a_clear_4xx_and_stores_nothing(world: World) -> None:
    before = _readouts(world)
    bomb = bombs.docx_inflating(60_000_000)  # (a bigger upload is spooled to a temporary file)
    response = world.call(
        "POST",
        "/api/v1/readouts",
        data={"file": (io.BytesIO(bomb), "bomb.docx"), "meeting_date": "2026-12-03"},
        content_type="multipart/form-data",
    )
    body = assert_problem(response, 422)
    assert body["detail"].startswith("the file could not be read: bomb.docx: this document inflates to 5")
    assert body["detail"].endswith(" bytes; the limit is 30,000,000")
    assert body["errors"] == {"file": [body["detail"]]}

    client = world.logged_in(world.emails["desk"])
    token = page_token(client, "/readouts/new")
    page = client.post(
        "/readouts/new",
        data={"csrf_token": token, "document": (io.BytesIO(bombs.pdf_pages(300)), "long.pdf")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 400
    assert "this document has 300 pages; the limit is 200" in page.get_data(as_text=True)
    text = "Readout\n\n" + "x" * 300_001
    api_text = world.call("POST", "/api/v1/readouts?dry_run=1", json={"text": text})
    assert assert_problem(api_text, 422)["detail"] == "the text has 300,010 characters; the limit is 300,000"
    assert _readouts(world) == before


def test_a_document_that_reads_too_long_is_a_clear_4xx(world: World) -> None:
    # The reading limits lifted: the worker's time bound (TRACKER_PARSE_TIMEOUT_SECONDS) stops it.
    world.make_app(reading=UNLIMITED, parse_timeout_seconds=1)
    slow = bombs.docx_paragraphs(100_000)
    started = time.monotonic()
    response = world.call(
        "POST",
        "/api/v1/readouts?dry_run=1",
        data={"file": (io.BytesIO(slow), "slow.docx")},
        content_type="multipart/form-data",
    )
    body = assert_problem(response, 422)
    assert (
        body["detail"] == "the readout could not be read: it took longer than 1 s to read; the limit is 1 s"
    )
    client = world.logged_in(world.emails["desk"])
    page = client.post(
        "/readouts/new",
        data={"csrf_token": page_token(client, "/readouts/new"), "document": (io.BytesIO(slow), "slow.docx")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 400
    assert "it took longer than 1 s to read; the limit is 1 s" in page.get_data(as_text=True)
    assert time.monotonic() - started < 6
