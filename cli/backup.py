"""`tracker export FILE` / `tracker import FILE`: the whole database as versioned JSON."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.orm import Session

from cli.app import EXIT_BAD_INPUT, AppContext, fail, pass_app
from cli.i18n import said, say
from tracker.backup import BackupError, export_database, import_database


@click.command("export")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--include-secrets", is_flag=True, help="Also write password hashes and API token hashes.")
@click.option(
    "--by",
    "by_email",
    metavar="EMAIL",
    help="Made for this officer: leaves out the restricted readouts they may not see (unless an admin).",
)
@pass_app
def export_(app: AppContext, file: Path, include_secrets: bool, by_email: str | None) -> None:
    """Write everything (readouts, commitments, history, events, officers, digests) to FILE."""
    from tracker.services.errors import ServiceError
    from tracker.services.officers import get_officer_by_email

    tmp = file.with_name(file.name + ".partial")
    try:
        with app.engine.connect() as conn, conn.begin(), tmp.open("w", encoding="utf-8") as out:
            viewer = None
            if by_email is not None:
                viewer = get_officer_by_email(Session(bind=conn), by_email)
            counts = export_database(conn, out, include_secrets=include_secrets, viewer=viewer)
    except (BackupError, ServiceError) as exc:
        tmp.unlink(missing_ok=True)
        fail(said(exc), EXIT_BAD_INPUT)
    tmp.replace(file)  # a crash mid-export never leaves a truncated FILE behind
    click.echo(
        say(
            "exported %(rows)s rows from %(tables)s tables to %(file)s",
            rows=sum(counts.values()),
            tables=len(counts),
            file=file,
        )
    )


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@pass_app
def import_(app: AppContext, file: Path) -> None:
    """Restore FILE into this (empty, migrated) database; all or nothing."""
    try:
        with app.engine.connect() as conn, conn.begin(), file.open(encoding="utf-8") as source:
            counts = import_database(conn, source)
    except BackupError as exc:
        fail(said(exc), EXIT_BAD_INPUT)
    click.echo(
        say("imported %(rows)s rows into %(tables)s tables", rows=sum(counts.values()), tables=len(counts))
    )
