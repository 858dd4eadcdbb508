"""Debian's Chromium driven by Playwright: one way to launch it and to catch what goes wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = "/usr/bin/chromium"
# The closed network refuses Chromium's own background connections: turn them off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def watch_problems(page: Any) -> list[str]:
    """A list that collects the page's script errors, CSP violations and failed loads."""
    problems: list[str] = []
    # A CSP violation or script error shows as a console error; a failed load as a response
    # (the browser's own favicon request is not the app's concern).
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    return problems


class BrowserSession:
    """One test's use of the worker's shared Chromium: the contexts (cookies, storage) it opens are
    its own and are closed when the test ends, so that tests share the browser process alone.

    Starting Playwright's driver and Chromium took 2 to 3 s a test here, for 24 browser tests."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self._contexts: list[Any] = []

    def new_context(self, **options: Any) -> Any:
        context = self._browser.new_context(**options)
        self._contexts.append(context)
        return context

    def new_page(self, **options: Any) -> Any:
        return self.new_context(**options).new_page()

    def close(self) -> None:
        while self._contexts:
            self._contexts.pop().close()

    def __enter__(self) -> BrowserSession:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class SharedChromium:
    """The worker's Chromium, launched at its first use and relaunched if it died."""

    def __init__(self, playwright: Any) -> None:
        self._playwright = playwright
        self._browser: Any = None

    def session(self) -> BrowserSession:
        if self._browser is None or not self._browser.is_connected():
            if not Path(CHROMIUM).exists():
                raise RuntimeError(f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium")
            ARTIFACTS.mkdir(exist_ok=True)
            self._browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        return BrowserSession(self._browser)

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
