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
