"""The `tracker` command line: a thin adapter from arguments to service calls.

Exit codes: 0 success, 1 not found or not allowed, 2 bad input (nothing written),
3 a version conflict (someone else changed it first; nothing written).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tracker.config import Settings
from tracker.db import begin_write, make_engine, make_session_factory
from tracker.services.errors import (
    DuplicateReadout,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceError,
    VersionConflict,
)

EXIT_NOT_FOUND = 1
EXIT_BAD_INPUT = 2
EXIT_CONFLICT = 3

REPO_ROOT = Path(__file__).resolve().parents[1]


class AppContext:
    """What every command needs: settings, and an engine made on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
        return self._engine

    @property
    def factory(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work; service errors become a message and an exit code, nothing written."""
        try:
            with self.factory() as session, session.begin():
                begin_write(session)
                yield session
        except VersionConflict as exc:
            fail(str(exc), EXIT_CONFLICT)
        except (InvalidInput, DuplicateReadout) as exc:
            fail(str(exc), EXIT_BAD_INPUT)
        except (NotFound, PermissionDenied, ServiceError) as exc:
            fail(str(exc), EXIT_NOT_FOUND)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def parse_now(value: str | None) -> dt.datetime:
    """--now as an aware datetime (naive values are taken as UTC); the real clock when absent."""
    if value is None:
        return utcnow()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        fail(f"--now must be an ISO 8601 date-time, got {value!r}", EXIT_BAD_INPUT)
        raise  # unreachable; keeps type checkers informed
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} must be a date as YYYY-MM-DD, got {value!r}", EXIT_BAD_INPUT)
        raise


pass_app = click.make_pass_decorator(AppContext)


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """The commitment follow-up tracker."""
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    app = AppContext(settings)
    ctx.obj = app
    ctx.call_on_close(app.close)


# --- database -----------------------------------------------------------------------------


def alembic_config(database_url: str) -> Any:
    from alembic.config import Config

    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


@main.group()
def db() -> None:
    """Create and migrate the database."""


@db.command("upgrade")
@click.argument("revision", default="head")
@pass_app
def db_upgrade(app: AppContext, revision: str) -> None:
    """Migrate the database up to REVISION (default: head)."""
    from alembic import command

    command.upgrade(alembic_config(app.settings.database_url), revision)
    click.echo(f"database at {revision}")


@db.command("downgrade")
@click.argument("revision")
@pass_app
def db_downgrade(app: AppContext, revision: str) -> None:
    """Migrate the database down to REVISION (e.g. base, or -1)."""
    from alembic import command

    command.downgrade(alembic_config(app.settings.database_url), revision)
    click.echo(f"database at {revision}")


# --- readouts -----------------------------------------------------------------------------


def read_input_file(path: Path) -> str:
    """The file's text, or exit 2 with one clear line (empty, binary, undecodable)."""
    from tracker.extraction import ExtractionError, read_document

    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}", EXIT_BAD_INPUT)
    if not data.strip():
        fail(f"{path} is empty", EXIT_BAD_INPUT)
    try:
        text = read_document(data, path.name)
    except ExtractionError as exc:
        fail(f"{path}: {exc}", EXIT_BAD_INPUT)
    if not text.strip():
        fail(f"{path} has no text", EXIT_BAD_INPUT)
    return text


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--date", "date_", help="Meeting date, YYYY-MM-DD (needed when the text gives no year).")
@click.option("--title")
@click.option("--publisher")
@click.option("--source", help="URL or file name the readout came from (default: the file name).")
@click.option("--by", "by_email", help="Email of the ingesting officer, who will own the commitments.")
@click.option("--desk", help="Desk that owns the commitments (default: the officer's desk).")
@pass_app
def ingest(
    app: AppContext,
    file: Path,
    date_: str | None,
    title: str | None,
    publisher: str | None,
    source: str | None,
    by_email: str | None,
    desk: str | None,
) -> None:
    """Store a readout and print its points and commitments."""
    from tracker.services.officers import get_desk, get_officer_by_email
    from tracker.services.readouts import ingest_text

    meeting_date = parse_date(date_, "--date")
    text = read_input_file(file)
    with app.transaction() as session:
        by = get_officer_by_email(session, by_email) if by_email else None
        desk_row = get_desk(session, desk) if desk else None
        readout = ingest_text(
            session,
            text,
            meeting_date=meeting_date,
            title=title,
            publisher=publisher,
            source=source or file.name,
            by=by,
            desk=desk_row,
            now=utcnow(),
            settings=app.settings.deadlines,
        )
        click.echo(f"readout {readout.id}: {readout.title} ({readout.meeting_date.isoformat()})")
        for point in readout.points:
            click.echo(f"  point {point.number}: {point.kind.value}")
            for c in point.commitments:
                deadline = c.deadline_type.value
                if c.deadline_text:
                    deadline += f" ({c.deadline_text})"
                due = (
                    c.due_date.isoformat()
                    if c.due_date
                    else ("waiting on event date" if c.deadline_type.value == "event" else "-")
                )
                parties = ", ".join(p.name for p in c.parties) or "-"
                click.echo(f"    commitment {c.id}: [{parties}] deadline {deadline}; due {due}")


# --- commitments --------------------------------------------------------------------------


_FILTER_OPTIONS = [
    click.option("--overdue", is_flag=True, help="Only active commitments past their due date."),
    click.option("--stale", is_flag=True, help="Only active commitments past their review date."),
    click.option("--waiting", is_flag=True, help="Only those waiting on an event date."),
    click.option("--status"),
    click.option("--party"),
    click.option("--desk"),
    click.option("--owner", help="Owner's email."),
    click.option("--due-before", help="Due on or before, YYYY-MM-DD."),
    click.option("--due-after", help="Due on or after, YYYY-MM-DD."),
    click.option("-q", "--query", "q", help="Words in the quote or action."),
]


def commitment_filter_options(command: Any) -> Any:
    """The filters of `tracker list`, shared by every command that selects commitments."""
    for option in reversed(_FILTER_OPTIONS):
        command = option(command)
    return command


def build_filters(
    *,
    overdue: bool,
    stale: bool,
    waiting: bool,
    status: str | None,
    party: str | None,
    desk: str | None,
    owner: str | None,
    due_before: str | None,
    due_after: str | None,
    q: str | None,
) -> Any:
    """The options of `commitment_filter_options` as a CommitmentFilter (exit 2 on a bad value)."""
    from tracker.services.commitments import CommitmentFilter, parse_status

    if status:
        try:
            parse_status(status)
        except InvalidInput as exc:
            fail(str(exc), EXIT_BAD_INPUT)
    return CommitmentFilter(
        status=status,
        party=party,
        desk=desk,
        owner=owner,
        overdue=overdue,
        stale=stale,
        waiting=waiting,
        due_before=parse_date(due_before, "--due-before"),
        due_after=parse_date(due_after, "--due-after"),
        q=q,
    )


@main.command("list")
@commitment_filter_options
@click.option("--json", "as_json", is_flag=True)
@pass_app
def list_(app: AppContext, as_json: bool, **filter_options: Any) -> None:
    """List commitments."""
    from tracker.services.commitments import list_commitments, to_dict

    filters = build_filters(**filter_options)
    with app.transaction() as session:
        rows = [to_dict(c) for c in list_commitments(session, filters, utcnow().date())]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no commitments match")
    for r in rows:
        due = r["due_date"] or ("waiting on event" if r["deadline_type"] == "event" else "-")
        click.echo(f"{r['id']:>6}  {r['status']:<11} due {due:<16} [{', '.join(r['parties'])}] {r['action']}")


@main.command()
@click.argument("commitment_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def show(app: AppContext, commitment_id: int, as_json: bool) -> None:
    """Show one commitment with its history."""
    from tracker.services.commitments import get_commitment, to_dict_with_history

    with app.transaction() as session:
        data = to_dict_with_history(get_commitment(session, commitment_id))
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for key in (
        "id",
        "status",
        "version",
        "parties",
        "action",
        "quote",
        "deadline_type",
        "deadline_text",
        "event",
        "due_date",
        "review_date",
        "owner",
        "desk",
    ):
        value = data[key]
        click.echo(f"{key:>13}: {', '.join(value) if isinstance(value, list) else value}")
    for h in data["history"]:
        click.echo(
            f"  {h['changed_at']} {h['by'] or 'tracker'}: {h['field']} "
            f"{h['old_value']} -> {h['new_value']} ({h['note']})"
        )


@main.command()
@click.argument("commitment_id", type=int)
@click.argument("new_status")
@click.option("--by", "by_email", required=True, help="Email of the officer making the change.")
@click.option("--note", required=True, help="Why it changed.")
@click.option(
    "--expect-version", type=int, help="Refuse (exit 3) if the commitment is no longer at this version."
)
@pass_app
def status(
    app: AppContext, commitment_id: int, new_status: str, by_email: str, note: str, expect_version: int | None
) -> None:
    """Change a commitment's status, recording who, when and why."""
    from tracker.services.commitments import get_commitment, parse_status, update_commitment
    from tracker.services.officers import get_officer_by_email

    with app.transaction() as session:
        target = parse_status(new_status)
        by = get_officer_by_email(session, by_email)
        c = get_commitment(session, commitment_id)
        update_commitment(
            session,
            c,
            by=by,
            note=note,
            now=utcnow(),
            status=target,
            expect_version=expect_version,
            settings=app.settings.deadlines,
        )
        click.echo(f"commitment {c.id} is now {c.status.value} (version {c.version})")


# --- officers -----------------------------------------------------------------------------


@main.group()
def officers() -> None:
    """Manage officers."""


@officers.command("add")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", default="officer", show_default=True)
@click.option("--desk")
@click.option("--timezone", default="UTC", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_app
def officers_add(
    app: AppContext, email: str, name: str, role: str, desk: str | None, timezone: str, password_stdin: bool
) -> None:
    """Add an officer (digest: daily at 08:00 local time)."""
    from tracker.services.officers import create_officer

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    with app.transaction() as session:
        officer = create_officer(
            session, email=email, name=name, role=role, desk=desk, timezone=timezone, password=password
        )
        click.echo(f"officer {officer.id}: {officer.email} ({officer.role.value})")


# --- evaluation ---------------------------------------------------------------------------


@main.command("eval")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True)
def eval_(directory: Path, as_json: bool) -> None:
    """Measure extraction against a directory of gold-labelled readouts."""
    from tracker.evaluation import evaluate, format_table

    result = evaluate(directory)
    click.echo(json.dumps(result, indent=2) if as_json else format_table(result))


# --- processes ----------------------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Threads per worker process.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=int,
    help="Worker processes; more than one runs gunicorn so that every core serves requests.",
)
@pass_app
def serve(app: AppContext, host: str, port: int, threads: int, workers: int) -> None:
    """Serve the web app with a production WSGI server (waitress; gunicorn for several workers)."""
    if workers > 1:
        _serve_gunicorn(app.settings, host, port, threads, workers)
        return
    import waitress

    from web import create_app

    wsgi = create_app(app.settings)
    click.echo(f"serving on http://{host}:{port}/")
    waitress.serve(wsgi, host=host, port=port, threads=threads)


def _serve_gunicorn(settings: Settings, host: str, port: int, threads: int, workers: int) -> None:
    import os
    import secrets

    env = dict(os.environ)
    if not settings.secret_key:
        # Each worker is its own process: without one shared key a session cookie signed by one
        # worker would be refused by the next. Production refuses to start without a key anyway.
        env["TRACKER_SECRET_KEY"] = secrets.token_hex(32)
    click.echo(f"serving on http://{host}:{port}/ with {workers} gunicorn workers x {threads} threads")
    # No access log: feed URLs carry their secret token in the path.
    args = [sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--workers", str(workers)]
    args += ["--threads", str(threads), "--bind", f"{host}:{port}", "web:create_app()"]
    os.execvpe(sys.executable, args, env)


@main.command()
@pass_app
def scheduler(app: AppContext) -> None:
    """Run the scheduled jobs (exactly one such process per database)."""
    from jobs.scheduler import run_scheduler

    run_scheduler(app.settings, app.factory)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def run(host: str, port: int) -> None:
    """Serve the web app and run the scheduler beside it, as two processes."""
    scheduler_process = subprocess.Popen([sys.executable, "-m", "tracker", "scheduler"])
    try:
        subprocess.call([sys.executable, "-m", "tracker", "serve", "--host", host, "--port", str(port)])
    finally:
        scheduler_process.terminate()
        scheduler_process.wait(timeout=10)


@main.group()
def jobs() -> None:
    """Run a scheduled job once (for cron and tests)."""


@jobs.group("run")
def jobs_run() -> None:
    """Run one job now."""


@jobs_run.command("overdue-sweep")
@click.option("--now", "now_", help="Fix the clock (ISO 8601).")
@pass_app
def jobs_run_sweep(app: AppContext, now_: str | None) -> None:
    """Flag overdue and stale commitments once."""
    from jobs.sweep import run_sweep

    result = run_sweep(app.factory, parse_now(now_))
    click.echo(f"overdue flagged: {result.overdue_flagged}; stale flagged: {result.stale_flagged}")


@main.command("demo")
@click.option("--email", default="demo@example.org", show_default=True)
@click.option("--password", default="demo-password", show_default=True)
@pass_app
def demo(app: AppContext, email: str, password: str) -> None:
    """Load the sample readout and a demo officer (idempotent; for `make run`)."""
    from tracker.services.errors import NotFound as _NotFound
    from tracker.services.officers import create_officer, get_officer_by_email
    from tracker.services.readouts import find_duplicate, ingest_text

    sample = REPO_ROOT / "sample_data" / "mofa-2018-06-06-japan-us-fm.txt"
    text = read_input_file(sample)
    with app.transaction() as session:
        try:
            officer = get_officer_by_email(session, email)
        except _NotFound:
            officer = create_officer(
                session,
                email=email,
                name="Demo Officer",
                role="supervisor",
                desk="North America Desk",
                timezone="Asia/Tokyo",
                password=password,
            )
        if find_duplicate(session, text) is None:
            ingest_text(
                session,
                text,
                meeting_date=dt.date(2018, 6, 6),
                publisher="Ministry of Foreign Affairs of Japan",
                source=sample.name,
                by=officer,
                now=utcnow(),
                settings=app.settings.deadlines,
            )
    click.echo(f"demo login: {email} / {password}")


# Commands that live beside their own domain register themselves on `main` when imported.
from tracker import cli_backup, cli_bench, cli_compliance, cli_followup, cli_integrations  # noqa: E402, F401
