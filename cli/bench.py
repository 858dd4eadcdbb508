"""`tracker bench`: the performance harness (benchmarks.harness) on the command line."""

from __future__ import annotations

import json
import signal
import sys

import click

from cli.app import EXIT_BAD_INPUT, fail


@click.command("bench")
@click.option("--size", default=100_000, show_default=True, type=click.IntRange(min=3), help="Commitments.")
@click.option("--officers", default=200, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--database-url",
    help="A PostgreSQL server to run on (a fresh database is created there and dropped after); "
    "default: a temporary SQLite file.",
)
@click.option("--runs", default=5, show_default=True, type=click.IntRange(min=1), help="Runs per median.")
@click.option(
    "--load-clients",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Also run the load test: this many clients at once against gunicorn (two workers); 0: no load test.",
)
@click.option(
    "--load-seconds",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=1, max=600),
    help="How long the load test runs.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with the figures.")
def bench(
    size: int,
    officers: int,
    database_url: str | None,
    runs: int,
    load_clients: int,
    load_seconds: float,
    as_json: bool,
) -> None:
    """Measure the tracker on a synthetic database of SIZE commitments (never touches real data)."""
    from benchmarks.harness import RESULT_KEYS, missed_targets, run_bench
    from benchmarks.load import LOAD_KEYS

    def log(message: str) -> None:
        click.echo(message, err=as_json)

    # A terminated bench still drops its database and temporary files (the finally blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))

    try:
        result = run_bench(size, officers, database_url, runs, log, load_clients, load_seconds)
    except ValueError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
        return
    keys = RESULT_KEYS + (LOAD_KEYS if load_clients else ())
    if as_json:
        click.echo(json.dumps({key: result[key] for key in keys}))
        return
    for key in keys:
        click.echo(f"{key:>17}: {result[key]}")
    missed = missed_targets(result)
    click.echo("targets: all met" if not missed else "targets missed: " + "; ".join(missed))
