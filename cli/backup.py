"""`tracker export FILE` / `tracker import FILE`: the whole database as versioned JSON."""

from __future__ import annotations

from pathlib import Path

import click

from cli.app import EXIT_BAD_INPUT, AppContext, fail, pass_app
from tracker.backup import BackupError, export_database, import_database


@click.command("export")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--include-secrets", is_flag=True, help="Also write password hashes and API token hashes.")
@pass_app
def export_(app: AppContext, file: Path, include_secrets: bool) -> None:
    """Write everything (readouts, commitments, history, events, officers, digests) to FILE."""
    tmp = file.with_name(file.name + ".partial")
    with app.engine.connect() as conn, conn.begin(), tmp.open("w", encoding="utf-8") as out:
        counts = export_database(conn, out, include_secrets=include_secrets)
    tmp.replace(file)  # a crash mid-export never leaves a truncated FILE behind
    click.echo(f"exported {sum(counts.values())} rows from {len(counts)} tables to {file}")


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@pass_app
def import_(app: AppContext, file: Path) -> None:
    """Restore FILE into this (empty, migrated) database; all or nothing."""
    try:
        with app.engine.connect() as conn, conn.begin(), file.open(encoding="utf-8") as source:
            counts = import_database(conn, source)
    except BackupError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    click.echo(f"imported {sum(counts.values())} rows into {len(counts)} tables")
