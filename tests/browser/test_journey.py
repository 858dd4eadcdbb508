"""The desk officer's journey in headless Chromium against the app served by waitress.

Log in → paste the seed readout → correct one commitment's parties in the preview → save → set
the U.S.-North Korea Summit date on /events → point 5's due date appears → mark it done with a
note → it is in the history; an officer of another desk can read it but not change it.

Saves tests/artifacts/dashboard.png, ingest-preview.png and commitment.png (git-ignored).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.browser.chromium import ARTIFACTS, SharedChromium, watch_problems
from tests.conftest import SEED_READOUT
from tests.factories import PASSWORD, make_officer
from tests.live_server import serve
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory
from tracker.models import Commitment, Readout, Status, StatusChange
from web import create_app

# The app's clock: nine days after the meeting, three days after the summit date set below.
NOW = dt.datetime(2018, 6, 15, 9, 0, tzinfo=dt.UTC)
SUMMIT = "U.S.-North Korea Summit Meeting"
POINT5_QUOTE = "following the U.S.-North Korea Summit Meeting, Japan and the United States"


@dataclass
class Served:
    base: str
    database_url: str
    desk_email: str
    other_email: str


@pytest.fixture
def served(fresh_database_url: str) -> Iterator[Served]:
    engine = make_engine(fresh_database_url)
    with make_session_factory(engine).begin() as session:
        desk = make_officer(session, email="kono-desk@example.org", desk="North America Desk")
        other = make_officer(session, email="paris-desk@example.org", desk="Europe Desk")
        emails = (desk.email, other.email)
    engine.dispose()
    app = create_app(Settings(database_url=fresh_database_url, secret_key="browser-test"))
    app.extensions["tracker.clock"] = lambda: NOW
    # Closing waitress from another thread while its loop sits in select() raised EBADF in
    # that thread now and then; the shared live server stops its own loop instead.
    try:
        with serve(app, threads=4) as base:
            yield Served(base, fresh_database_url, *emails)
    finally:
        app.extensions["tracker.engine"].dispose()


def _point5(database_url: str) -> tuple[int, list[str], dt.date | None, Status, list[tuple[str, str | None]]]:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            c = session.scalar(select(Commitment).where(Commitment.quote.startswith(POINT5_QUOTE)))
            assert c is not None, "point 5's commitment was stored"
            history = session.scalars(select(StatusChange).where(StatusChange.commitment_id == c.id)).all()
            return (
                c.id,
                [p.name for p in c.parties],
                c.due_date,
                c.status,
                [(h.field, h.note) for h in history],
            )
    finally:
        engine.dispose()


@pytest.mark.browser
def test_the_desk_officers_journey(chromium: SharedChromium, served: Served) -> None:
    base = served.base
    with chromium.session() as browser:
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            problems = watch_problems(page)

            page.goto(f"{base}/")
            assert page.url.startswith(f"{base}/login")
            page.get_by_label("Email").fill(served.desk_email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{base}/")
            assert page.title() == "Dashboard · Commitment tracker"
            # The first Tab reaches the skip link: keyboard users can jump past the navigation.
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.textContent") == "Skip to content"

            # Ingest by pasting; the preview shows points and quotes, nothing is stored yet.
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Ingest", exact=True).click()
            page.get_by_label("Meeting date").fill("2018-06-06")
            page.get_by_label("Readout text").fill(SEED_READOUT.read_text(encoding="utf-8"))
            page.get_by_role("button", name="Preview").click()
            page.wait_for_url(f"{base}/readouts/new")
            assert page.get_by_text("Not saved yet.").is_visible()
            assert page.locator(".readout-text .point").count() == 5
            row = page.locator("fieldset.commitment-row", has_text="point 5")
            assert row.count() == 1, "the extraction finds point 5's commitment"
            parties = row.get_by_label("Parties (separate with semicolons)")
            assert parties.input_value() == "Japan; United States; Republic of Korea"
            page.screenshot(path=str(ARTIFACTS / "ingest-preview.png"), full_page=True)
            parties.fill("Japan; United States")
            page.get_by_role("button", name="Save readout").click()
            page.wait_for_url(re.compile(rf"{re.escape(base)}/readouts/\d+$"))
            assert page.get_by_text("Saved readout").is_visible()
            cid, names, due, status, _ = _point5(served.database_url)
            assert sorted(names) == ["Japan", "United States"], "stored as corrected"
            assert due is None and status == Status.OPEN

            # Set the summit's date: point 5 ("promptly ... following") becomes due a week later.
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Events", exact=True).click()
            summit_row = page.locator("tr", has_text=SUMMIT)
            summit_row.get_by_label(f"Date of {SUMMIT}").fill("2018-06-12")
            summit_row.get_by_role("button", name="Set date").click()
            page.wait_for_url(re.compile(rf"{re.escape(base)}/events/\d+$"))
            moved = page.locator("section.moved")
            assert moved.get_by_role("link", name=f"#{cid}").is_visible()
            assert "2018-06-19" in moved.locator("tr", has_text=f"#{cid}").inner_text()
            assert _point5(served.database_url)[2] == dt.date(2018, 6, 19)

            page.get_by_role("navigation", name="Main").get_by_role(
                "link", name="Dashboard", exact=True
            ).click()
            assert page.locator(".count-due_soon .n").first.inner_text() == "1"
            assert page.get_by_text("OVERDUE by 3 days").first.is_visible(), "the before-summit one is late"
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

            # Mark it done with a note; the history shows who, what and why.
            page.goto(f"{base}/commitments/{cid}")
            assert page.locator("dd.due").inner_text().startswith("2018-06-19")
            page.get_by_label("Status").select_option("done")
            page.get_by_label("Note (required: why it changed)").fill(
                "Shared the readout with Seoul and Washington"
            )
            page.get_by_role("button", name="Save change").click()
            page.wait_for_url(f"{base}/commitments/{cid}")
            timeline = page.locator("ol.timeline")
            assert "changed the status from Open to Done" in timeline.inner_text()
            assert "Shared the readout with Seoul and Washington" in timeline.inner_text()
            assert served.desk_email in timeline.inner_text()
            page.screenshot(path=str(ARTIFACTS / "commitment.png"), full_page=True)
            _, _, _, status, history = _point5(served.database_url)
            assert status == Status.DONE
            assert ("status", "Shared the readout with Seoul and Washington") in history

            # Readable at tablet width: nothing forces sideways scrolling.
            page.set_viewport_size({"width": 768, "height": 1024})
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

            page.get_by_role("button", name=re.compile("^Log out")).click()
            page.wait_for_url(f"{base}/login")

            # An officer of another desk reads it but is offered no way to change it.
            page.get_by_label("Email").fill(served.other_email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{base}/")
            page.goto(f"{base}/commitments/{cid}")
            assert page.get_by_text("You can read this commitment but not change it").is_visible()
            assert page.get_by_role("button", name="Save change").count() == 0
            assert page.locator("input[name=version]").count() == 0
            assert problems == []
        finally:
            browser.close()

    engine = make_engine(served.database_url)
    with make_session_factory(engine)() as session:
        assert session.scalar(select(Readout.id).where(Readout.title.startswith("Japan-U.S."))) is not None
    engine.dispose()
