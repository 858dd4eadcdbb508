"""The reports page and the brief in headless Chromium: charts load under the app's CSP; screenshots.

Saves tests/artifacts/reports.png and tests/artifacts/brief.png (git-ignored) to look at.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from tests.browser.chromium import ARTIFACTS, SharedChromium, watch_problems
from tests.compliance.seed import SYNTHETIC_EARLIER_US, seed_history
from tests.factories import PASSWORD, ingest
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory
from web import create_app


@pytest.fixture
def server(fresh_database_url: str) -> Iterator[tuple[str, str]]:
    engine = make_engine(fresh_database_url)
    with make_session_factory(engine).begin() as session:
        seed = seed_history(session)
        # SYNTHETIC earlier readout (tests/compliance/seed.py), so the brief shows two meetings.
        ingest(session, SYNTHETIC_EARLIER_US, dt.date(2018, 3, 2), by=seed.officer)
        email = seed.officer.email
    engine.dispose()
    app = create_app(Settings(database_url=fresh_database_url, secret_key="test"))
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", email
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
        app.extensions["tracker.engine"].dispose()


@pytest.mark.browser
def test_reports_page_shows_its_charts_in_a_browser(
    chromium: SharedChromium, server: tuple[str, str]
) -> None:
    base, email = server
    with chromium.session() as browser:
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems = watch_problems(page)

            page.goto(f"{base}/login")
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")

            page.goto(f"{base}/reports?weeks=12")
            page.wait_for_load_state("networkidle")
            assert page.locator("h1").inner_text() == "Reports"
            images = page.locator("figure img")
            assert images.count() == 2
            for i in range(2):
                # A chart that failed to load (or was blocked) has no natural size.
                width = images.nth(i).evaluate("img => img.complete ? img.naturalWidth : 0")
                assert width > 0, images.nth(i).get_attribute("src")
            assert (
                page.locator("table caption", has_text="delivery and compliance per counterpart").count() == 1
            )
            page.screenshot(path=str(ARTIFACTS / "reports.png"), full_page=True)

            page.goto(f"{base}/brief?party=United+States")
            page.wait_for_load_state("networkidle")
            assert page.locator("h1", has_text="Commitments with United States").count() == 1
            page.screenshot(path=str(ARTIFACTS / "brief.png"), full_page=True)
            page.emulate_media(media="print")
            assert page.locator("header.site").is_hidden()
            assert problems == []
        finally:
            browser.close()
