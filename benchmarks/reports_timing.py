"""How long the reports page and its charts and CSV files take (issue 18: under 300 ms), or with
--pages every page of the navigation (--language ja: as a Japanese officer reads them).

    python -m benchmarks.reports_timing --size 100000          # the bench's synthetic ministry
    python -m benchmarks.reports_timing --database-url URL --email E --password P   # e.g. `make run`'s demo

With --size, a throw-away SQLite database is filled by the bench's loader (benchmarks.harness)
and a plain officer of desk 1 looks; otherwise the database given is only read. Each path is
fetched through the app in this process (no HTTP), `--runs` times after a first fetch; the first
(templates compiled, caches cold) and the median of the rest are printed in milliseconds.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

# The pages of the navigation (`--pages`), for the page timings of issue 18.
PAGES = (
    "/",
    "/commitments",
    "/readouts",
    "/readouts/new",
    "/events",
    "/reports",
    "/brief?party=United+States",
    "/settings",
    "/settings/tokens",
    "/api/v1/docs",
)
PATHS = (
    "/reports",
    "/reports/charts/open-overdue.svg",
    "/reports/charts/compliance-by-counterpart.svg",
    "/reports/counterparts.csv",
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, help="Commitments of a synthetic database (throw-away SQLite).")
    parser.add_argument("--database-url")
    parser.add_argument("--email")
    parser.add_argument("--password")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", action="store_true", help="Time the navigation's pages instead.")
    parser.add_argument("--language", help="The officer's language for the pages (en, ja).")
    args = parser.parse_args(argv)

    from benchmarks.harness import BENCH_PASSWORD, bench_email, load_synthetic, migrate
    from tracker.config import Settings
    from web import create_app

    directory: Path | None = None
    url, email, password = args.database_url, args.email, args.password
    if args.size:
        directory = Path(tempfile.mkdtemp(prefix="tracker-reports-"))
        url = f"sqlite:///{directory / 'bench.db'}"
        migrate(url)
        load_synthetic(url, args.size, max(10, args.size // 500))
        email, password = bench_email(1), BENCH_PASSWORD
    if not (url and email and password):
        parser.error("give --size, or --database-url with --email and --password")
    try:
        app = create_app(Settings(database_url=url, secret_key="reports-timing"))
        client = app.test_client()
        login = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login)
        data = {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
        if client.post("/login", data=data).status_code not in (302, 303):
            print("could not log in", file=sys.stderr)
            return 1
        if args.language:
            settings_page = client.get("/settings").get_data(as_text=True)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', settings_page)
            client.post(
                "/settings",
                data={"csrf_token": token.group(1) if token else "", "language": args.language,
                      "timezone": "UTC", "digest_frequency": "daily"},
            )  # fmt: skip
            lang = re.search(r'<html lang="([^"]+)"', client.get("/").get_data(as_text=True))
            print(f"pages in {lang.group(1) if lang else '?'}")
        for path in PAGES if args.pages else PATHS:
            times = []
            for _ in range(args.runs + 1):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    print(f"{path}: HTTP {response.status_code}", file=sys.stderr)
                    return 1
            print(f"{path}: first {times[0]:.0f} ms, median {statistics.median(times[1:]):.0f} ms")
        return 0
    finally:
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
