"""The load test of issue 20: many clients at once against the web app under gunicorn (two
workers), for a bounded time and a bounded number of requests, on loopback only.

Each client is a thread with its own HTTP connection, alternating the two pages an officer's
day starts with: the dashboard (a logged-in browser session) and the API's first page of
commitments (a bearer token). Eight officers are logged in once (a login costs a scrypt hash, and
the login limit would refuse 64 logins from one address within a minute); the clients share their
sessions and tokens, as several tabs of one officer would. The rate limiter is the server's own
(memory, or Redis when TRACKER_RATELIMIT_STORAGE_URI is set, as in the scale-out layout).

Reported: requests, throughput, p50/p95/p99 latency and errors (any answer but 200, or no answer).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

LOAD_KEYS = (
    "load_clients",
    "load_seconds",
    "load_requests",
    "load_rps",
    "load_p50_ms",
    "load_p95_ms",
    "load_p99_ms",
    "load_errors",
)
# The bound: p95 at 64 clients over two web workers, with no error.
LOAD_TARGETS = (("load_p95_ms", "max", 400.0), ("load_errors", "max", 0))
# However long it is asked to run, no client sends more than this.
MAX_REQUESTS_PER_CLIENT = 10_000
SESSIONS = 8


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` of the sorted values (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_load(
    base: str,
    logged_in: list[Any],
    tokens: list[str],
    clients: int,
    seconds: float,
    log: Callable[[str], None],
) -> dict[str, Any]:
    """`clients` clients for `seconds` against the web app at `base`, sharing the logged-in
    `requests` sessions and the API tokens given (benchmarks.harness starts the server and makes
    them)."""
    import requests

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(index: int) -> None:
        session = requests.Session()
        session.cookies.update(logged_in[index % len(logged_in)].cookies)
        auth = {"Authorization": f"Bearer {tokens[index % len(tokens)]}"}
        mine: list[float] = []
        failed: list[str] = []
        start.wait()
        for n in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline[0]:
                break
            path, headers = ("/", {}) if (n + index) % 2 == 0 else ("/api/v1/commitments", auth)
            began = time.perf_counter()
            try:
                response = session.get(base + path, headers=headers, timeout=60, allow_redirects=False)
                response.content  # noqa: B018 (read the whole answer, as a browser would)
                if response.status_code != 200:
                    failed.append(f"{path}: {response.status_code}")
            except requests.RequestException as exc:
                failed.append(f"{path}: {type(exc).__name__}")
            mine.append((time.perf_counter() - began) * 1000)
        session.close()
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + seconds
    began = time.monotonic()
    start.wait()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    elapsed = time.monotonic() - began
    result: dict[str, Any] = {
        "load_clients": clients,
        "load_seconds": round(elapsed, 1),
        "load_requests": len(latencies),
        "load_rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "load_p50_ms": round(percentile(latencies, 0.50), 1) if latencies else None,
        "load_p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
        "load_p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
        "load_errors": len(errors),
    }
    log(
        f"  load: {clients} clients for {elapsed:.1f} s: {result['load_requests']} requests "
        f"({result['load_rps']}/s), p50 {result['load_p50_ms']} ms, p95 {result['load_p95_ms']} ms, "
        f"p99 {result['load_p99_ms']} ms, {len(errors)} errors"
        + (f" (first: {sorted(set(errors))[:5]})" if errors else "")
    )
    return result
