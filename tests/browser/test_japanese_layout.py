"""The pages in Japanese in headless Chromium (issue 18): an officer switches to 日本語 in My
settings, and every page in the navigation, the commitments list, a commitment and the preview
then read in Japanese and still fit a phone (390×844) and a laptop (1366×900) without sideways
scrolling. Screenshots of the dashboard, the list, a commitment and the preview in Japanese at
both widths go to tests/artifacts/ (ja-*.png)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.chromium import ARTIFACTS, SharedChromium, watch_problems
from tests.browser.test_layout import LAPTOP, PHONE, SIDEWAYS, Served, _log_in, _nav_links, served
from tests.conftest import SEED_READOUT

__all__ = ["served"]  # the served app of the layout tests: Japanese and English readouts, a desk


def _switch_to_japanese(page: Any, base: str) -> None:
    # By the select's name, not its label: the served world is the module's, so the officer may
    # already read the page in Japanese from the test at the other width.
    page.goto(f"{base}/settings")
    page.locator("select[name=language]").select_option("ja")
    page.locator("form:has(select[name=language]) button[type=submit]").first.click()
    page.wait_for_url(f"{base}/settings")
    assert page.locator("html").get_attribute("lang") == "ja"


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1366"])
def test_the_pages_in_japanese_fit_without_sideways_scrolling(
    chromium: SharedChromium, served: Served, viewport: dict[str, int]
) -> None:
    width = viewport["width"]
    with chromium.session() as browser:
        try:
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            problems = watch_problems(page)
            _log_in(page, served.base, served.email)
            _switch_to_japanese(page, served.base)
            seen: dict[str, list[str]] = {}
            links = _nav_links(page, "メイン")
            assert len(links) >= 9, links
            for href in links:
                page.goto(f"{served.base}{href}")
                assert page.locator("html").get_attribute("lang") == "ja", href
                seen[href] = page.evaluate(SIDEWAYS)
            page.goto(f"{served.base}/")
            assert page.get_by_role("heading", name="ダッシュボード", level=1).is_visible()
            page.screenshot(path=str(ARTIFACTS / f"ja-dashboard-{width}.png"), full_page=True)
            page.goto(f"{served.base}/commitments")
            seen["/commitments (list)"] = page.evaluate(SIDEWAYS)
            labels = page.locator("table.commitments tbody tr").first.evaluate(
                "r => [...r.children].map(c => c.getAttribute('data-label'))"
            )
            assert "期限の定め" in labels, labels  # a phone's cards are labelled in Japanese too
            page.screenshot(path=str(ARTIFACTS / f"ja-commitments-{width}.png"), full_page=True)
            page.locator("table.commitments tbody a[href^='/commitments/']").first.click()
            page.wait_for_load_state()
            seen[page.url] = page.evaluate(SIDEWAYS)
            page.screenshot(path=str(ARTIFACTS / f"ja-commitment-{width}.png"), full_page=True)
            page.goto(f"{served.base}/readouts/new")
            page.get_by_label("会談の日付").fill("2018-06-06")
            page.get_by_label("会談概要の本文").fill(SEED_READOUT.read_text(encoding="utf-8"))
            page.get_by_role("button", name="プレビュー").click()
            page.wait_for_url(f"{served.base}/readouts/new")
            seen["preview"] = page.evaluate(SIDEWAYS)
            page.screenshot(path=str(ARTIFACTS / f"ja-preview-{width}.png"), full_page=True)
            assert problems == []
            assert {href: found for href, found in seen.items() if found} == {}
            context.close()
        finally:
            browser.close()
