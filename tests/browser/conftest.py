"""The browser tests' Chromium: one per xdist worker, shared by its tests (tests.browser.chromium)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.chromium import SharedChromium


@pytest.fixture(scope="session")
def chromium() -> Iterator[SharedChromium]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        shared = SharedChromium(playwright)
        try:
            yield shared
        finally:
            shared.close()
