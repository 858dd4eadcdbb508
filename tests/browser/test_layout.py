"""The pages' layout in headless Chromium at a phone's width (390×844) and a laptop's (1366×900).

Every page in the navigation fits the phone without sideways scrolling (neither the page nor a
table inside it), the preview's sticky "Save readout" bar never covers a field, and the desk's
list shows at least 20 commitments a screen on the laptop. Screenshots of the dashboard, the
commitments list, the preview and a commitment page at both widths go to tests/artifacts/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.chromium import ARTIFACTS, SharedChromium, watch_problems
from tests.conftest import SEED_READOUT, Backend
from tests.factories import PASSWORD, make_officer
from tests.live_server import serve
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory
from tracker.models import Commitment
from tracker.services.commitments import update_commitment
from tracker.services.readouts import ingest_text
from web import create_app

# Eight years after the 2018 meeting: the case of an old readout ingested today.
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
JA_READOUT = SEED_READOUT.with_name("mofaj-2018-06-06-japan-us-fm.txt")
SYNTHETIC = Path(__file__).resolve().parents[1] / "extraction" / "synthetic"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}

# Elements that scroll sideways inside the page (a table in an `overflow: auto` box) count as
# sideways scrolling too: the document's own width alone would not see a cut-off table.
SIDEWAYS = """() => {
  const out = [];
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth) out.push('document ' + width);
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
      out.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth);
  }
  return out;
}"""


@dataclass
class Served:
    base: str
    email: str
    admin_email: str


@pytest.fixture(scope="module")
def served(backend: Backend) -> Iterator[Served]:
    """One served world per backend for the tests of this module: they read it, and where one
    writes (the feed test's token) no other test reads what it wrote."""
    fresh_database_url = backend.fresh_url()
    engine = make_engine(fresh_database_url)
    settings = Settings(database_url=fresh_database_url, secret_key="layout-test")
    with make_session_factory(engine).begin() as session:
        desk = make_officer(session, email="kono-desk@example.org", role="supervisor")
        admin = make_officer(session, email="admin@example.org", role="admin")
        # The Japanese original and the synthetic readouts: enough commitments to fill a screen,
        # while the English seed stays new for the preview.
        for path in [JA_READOUT, *sorted(SYNTHETIC.glob("*.txt"))[:12]]:
            ingest_text(
                session,
                path.read_text(encoding="utf-8"),
                meeting_date=dt.date(2018, 6, 6),
                publisher="Ministry of Foreign Affairs of Japan",
                source=path.name,
                by=desk,
                now=NOW,
                settings=settings.deadlines,
            )
        # The admin starts work on one of the desk officer's commitments: their dashboard lists it
        # with "Mark read" and the navigation counts it (notifications), at both widths.
        first = session.scalars(
            select(Commitment).where(Commitment.owner_id == desk.id).order_by(Commitment.id)
        )
        update_commitment(
            session,
            next(iter(first)),
            by=admin,
            note="Checked with the embassy",
            now=NOW,
            settings=settings.deadlines,
            status="in_progress",
        )
        emails = (desk.email, admin.email)
    engine.dispose()
    app = create_app(settings)
    app.extensions["tracker.clock"] = lambda: NOW
    try:
        with serve(app, threads=4) as base:
            yield Served(base, *emails)
    finally:
        app.extensions["tracker.engine"].dispose()
        backend.release(fresh_database_url)


def _log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def _preview(page: Any, base: str) -> None:
    page.goto(f"{base}/readouts/new")
    page.get_by_label("Meeting date").fill("2018-06-06")
    page.get_by_label("Readout text").fill(SEED_READOUT.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url(f"{base}/readouts/new")


def _overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
        or a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
    )


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1366"])
def test_the_sticky_save_bar_does_not_cover_the_title(
    chromium: SharedChromium, served: Served, viewport: dict[str, int]
) -> None:
    with chromium.session() as browser:
        try:
            page = browser.new_page(viewport=viewport)
            _log_in(page, served.base, served.email)
            _preview(page, served.base)
            bar = page.locator(".actions.sticky")
            title = page.get_by_label("Title", exact=True)
            for when in ("as the preview opens", "after tabbing to it"):
                if when != "as the preview opens":
                    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                    title.focus()
                box, bar_box = title.bounding_box(), bar.bounding_box()
                assert box is not None and bar_box is not None
                inside = box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
                assert inside, f"the title is on screen {when}"
                assert not _overlaps(box, bar_box), f"the save bar covers the title {when}"
            # Only the chosen deadline type's fields show; choosing another shows its own.
            row = page.locator("fieldset.commitment-row .row", has=page.locator("select.deadline-type")).first
            row.locator("select.deadline-type").select_option("ongoing")
            assert row.locator("[data-for]:visible").count() == 0
            row.locator("select.deadline-type").select_option("event")
            assert row.locator("[data-for=event]:visible").count() == 3
            assert row.locator("[data-for=date]:visible").count() == 0
        finally:
            browser.close()


def _nav_links(page: Any, name: str = "Main") -> list[str]:
    """The links of the main navigation (`name`: its label in the page's language)."""
    links = page.get_by_role("navigation", name=name).locator("a")
    return [str(links.nth(i).get_attribute("href")) for i in range(links.count())]


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1366"])
def test_every_page_in_the_navigation_fits_without_sideways_scrolling(
    chromium: SharedChromium, served: Served, viewport: dict[str, int]
) -> None:
    width = viewport["width"]
    with chromium.session() as browser:
        try:
            seen: dict[str, list[str]] = {}
            for email in (served.email, served.admin_email):
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                problems = watch_problems(page)
                _log_in(page, served.base, email)
                links = _nav_links(page)
                assert len(links) >= 9, links
                for href in links:
                    page.goto(f"{served.base}{href}")
                    seen[href] = page.evaluate(SIDEWAYS)
                if email == served.email:
                    page.goto(f"{served.base}/")
                    assert page.locator("nav .badge.unread").inner_text() == "1"
                    assert (
                        page.locator("#news-h").is_visible()
                        and page.get_by_text("Checked with the embassy").count()
                    )
                    if width == LAPTOP["width"]:
                        heights = page.locator("table.commitments tbody tr").evaluate_all(
                            "rs => rs.map(r => r.getBoundingClientRect().height)"
                        )
                        assert heights and max(heights) < 32, "the dashboard shows one line a commitment"
                    page.screenshot(path=str(ARTIFACTS / f"layout-dashboard-{width}.png"), full_page=True)
                    page.goto(f"{served.base}/commitments")
                    seen["/commitments (list)"] = page.evaluate(SIDEWAYS)
                    labels = page.locator("table.commitments tbody tr").first.evaluate(
                        "r => [...r.children].map(c => c.getAttribute('data-label'))"
                    )
                    assert "Deadline" in labels, labels  # a card's labels are the column names, no arrows
                    page.screenshot(path=str(ARTIFACTS / f"layout-commitments-{width}.png"), full_page=True)
                    first = page.locator("table.commitments tbody a[href^='/commitments/']").first
                    first.click()
                    page.wait_for_load_state()
                    seen[page.url] = page.evaluate(SIDEWAYS)
                    page.screenshot(path=str(ARTIFACTS / f"layout-commitment-{width}.png"), full_page=True)
                    _preview(page, served.base)
                    seen["preview"] = page.evaluate(SIDEWAYS)
                    page.screenshot(path=str(ARTIFACTS / f"layout-preview-{width}.png"), full_page=True)
                assert problems == []
                context.close()
            assert "/admin/officers" in seen, "the admin's navigation was visited too"
            assert {href: found for href, found in seen.items() if found} == {}
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1366"])
def test_a_saved_view_chosen_as_the_dashboard_is_shown_and_fits(
    chromium: SharedChromium, served: Served, viewport: dict[str, int]
) -> None:
    width = viewport["width"]
    name = f"Due first {width}"
    with chromium.session() as browser:
        page = browser.new_page(viewport=viewport)
        problems = watch_problems(page)
        # The admin's own views and dashboard: the other tests look at the desk officer's.
        _log_in(page, served.base, served.admin_email)
        try:
            page.goto(f"{served.base}/commitments?sort=due")
            page.locator("details.save-view summary").click()
            page.locator("#view-name").fill(name)
            page.get_by_role("button", name="Save view").click()
            page.wait_for_load_state()
            page.goto(f"{served.base}/settings")
            page.get_by_label("My dashboard").select_option(label=f"Saved view: {name}")
            page.get_by_role("button", name="Save settings").click()
            page.wait_for_load_state()
            page.goto(f"{served.base}/")
            assert page.locator("h1").inner_text() == f"Dashboard: {name}"
            assert page.locator("table.commitments tbody tr").count() > 0
            assert page.evaluate(SIDEWAYS) == []
            page.screenshot(path=str(ARTIFACTS / f"layout-dashboard-view-{width}.png"), full_page=True)
            page.get_by_role("link", name="Standard dashboard").click()
            page.wait_for_load_state()
            assert page.locator("h1").inner_text() == "Dashboard"
            assert problems == []
        finally:
            page.goto(f"{served.base}/settings")
            page.get_by_label("My dashboard").select_option(value="")
            page.get_by_role("button", name="Save settings").click()
            page.wait_for_load_state()
            browser.close()


@pytest.mark.browser
def test_the_list_shows_twenty_rows_a_screen_and_the_bulk_bar_when_rows_are_ticked(
    chromium: SharedChromium, served: Served
) -> None:
    with chromium.session() as browser:
        try:
            page = browser.new_page(viewport=LAPTOP)
            problems = watch_problems(page)
            _log_in(page, served.base, served.email)
            page.goto(f"{served.base}/commitments")
            rows = page.locator("table.commitments tbody tr")
            heights = rows.evaluate_all("rs => rs.map(r => r.getBoundingClientRect().height)")
            visible = rows.evaluate_all(
                "rs => rs.filter(r => r.getBoundingClientRect().bottom <= innerHeight).length"
            )
            assert max(heights) < 32, "one line per commitment"
            assert visible >= 20, f"{visible} rows on the first screen"

            bar = page.locator("fieldset.bulk-bar")
            assert not bar.is_visible(), "no bulk bar before a row is ticked"
            page.locator("input[name=ids]").nth(1).check()
            page.locator("input[name=ids]").nth(2).check()
            assert bar.is_visible() and "(2 ticked)" in bar.inner_text()
            box = bar.bounding_box()
            assert box is not None and box["y"] + box["height"] <= LAPTOP["height"], (
                "in reach, not at the page's end"
            )
            page.locator("input[name=ids]").nth(1).uncheck()
            page.locator("input[name=ids]").nth(2).uncheck()
            assert not bar.is_visible()

            page.get_by_role("link", name="Action", exact=True).click()
            page.wait_for_url("**sort=action**")
            assert page.locator("th[aria-sort=ascending]").inner_text().startswith("Action")
            assert problems == []
        finally:
            browser.close()


@pytest.mark.browser
def test_the_feed_url_copies_and_turning_it_off_or_replacing_it_asks_first(
    chromium: SharedChromium,
    served: Served,
) -> None:
    with chromium.session() as browser:
        try:
            context = browser.new_context(viewport=LAPTOP)
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.base)
            page = context.new_page()
            problems = watch_problems(page)
            _log_in(page, served.base, served.email)
            page.goto(f"{served.base}/settings/tokens")
            page.get_by_role("button", name="Make a feed URL").click()
            url = page.get_by_role("textbox", name="Feed URL").input_value()
            page.get_by_role("button", name="Copy").click()
            page.get_by_text("Copied.").wait_for(timeout=5000)  # the clipboard write is asynchronous
            assert page.evaluate("navigator.clipboard.readText()") == url

            asked: list[str] = []

            def answer(accept: bool) -> None:
                def on_dialog(dialog: Any) -> None:
                    asked.append(dialog.message)
                    dialog.accept() if accept else dialog.dismiss()

                page.once("dialog", on_dialog)

            page.goto(f"{served.base}/settings/tokens")
            answer(False)
            page.get_by_role("button", name="Turn the feed off").click()
            assert asked and asked[-1].startswith("Turn the calendar feed off?")
            assert page.get_by_text("Your feed is active").is_visible(), "dismissed: nothing changed"
            answer(False)
            page.get_by_role("button", name="Replace the feed URL").click()
            assert asked[-1].startswith("Replace the feed URL?")
            assert page.get_by_role("textbox", name="Feed URL").count() == 0, "dismissed: no new URL"
            answer(True)
            page.get_by_role("button", name="Replace the feed URL").click()
            page.wait_for_load_state()
            assert page.get_by_role("textbox", name="Feed URL").input_value() not in ("", url)
            assert problems == []
        finally:
            browser.close()
