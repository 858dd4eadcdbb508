"""`tracker ingest`, `tracker demo` and `tracker eval`: readouts in, and how well they are read."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli.app import EXIT_BAD_INPUT, AppContext, fail, parse_date, pass_app, read_input_file, utcnow
from cli.i18n import said, say, word
from tracker.db import REPO_ROOT
from tracker.extraction.language import available_languages

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.models import Officer


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--date", "date_", help="Meeting date, YYYY-MM-DD (needed when the text gives no year).")
@click.option("--title")
@click.option("--publisher")
@click.option("--source", help="URL or file name the readout came from (default: the file name).")
@click.option("--by", "by_email", help="Email of the ingesting officer, who will own the commitments.")
@click.option("--desk", help="Desk that owns the commitments (default: the officer's desk).")
@click.option(
    "--language",
    type=click.Choice(list(available_languages())),
    help="The readout's language (default: detected from the text).",
)
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
    language: str | None,
) -> None:
    """Store a readout and print its points and commitments."""
    from tracker.services.errors import InvalidInput
    from tracker.services.officers import get_desk, get_officer_by_email
    from tracker.services.readouts import extract_readout, ingest_text

    meeting_date = parse_date(date_, "--date")
    text = read_input_file(file, app.settings.reading)
    # Extracted before the transaction: the write lock is not held while the text is read
    # (issue 19).
    try:
        extracted = extract_readout(
            text,
            meeting_date,
            app.settings.deadlines,
            publisher=publisher,
            language=language,
            limits=app.settings.reading,
        )
    except InvalidInput as exc:
        fail(said(exc), EXIT_BAD_INPUT)
        raise  # unreachable (fail exits); keeps type checkers informed
    with app.transaction() as session:
        by = get_officer_by_email(session, by_email) if by_email else None
        desk_row = get_desk(session, desk) if desk else None
        readout = ingest_text(
            session,
            extracted.text,
            extracted=extracted,
            meeting_date=meeting_date,
            title=title,
            publisher=publisher,
            source=source or file.name,
            by=by,
            desk=desk_row,
            now=utcnow(),
            settings=app.settings.deadlines,
            language=language,
        )
        click.echo(
            say(
                "readout %(id)s: %(title)s (%(date)s, %(language)s)",
                id=readout.id,
                title=readout.title,
                date=readout.meeting_date.isoformat(),
                language=readout.language,
            )
        )
        for point in readout.points:
            click.echo(say("  point %(number)s: %(kind)s", number=point.number, kind=word(point.kind.value)))
            for c in point.commitments:
                deadline = word(c.deadline_type.value)
                if c.deadline_text:
                    deadline += f" ({c.deadline_text})"
                due = (
                    c.due_date.isoformat()
                    if c.due_date
                    else (say("waiting on event date") if c.deadline_type.value == "event" else "-")
                )
                parties = ", ".join(p.name for p in c.parties) or "-"
                click.echo(
                    say(
                        "    commitment %(id)s: [%(parties)s] deadline %(deadline)s; due %(due)s",
                        id=c.id,
                        parties=parties,
                        deadline=deadline,
                        due=due,
                    )
                )
        # What reads like an undertaking but gave no commitment is not stored; say so rather than
        # lose it silently (the web preview and the API's dry run offer to make it a commitment).
        for extracted_point in extracted.points:
            for f in extracted_point.flags:
                click.echo(
                    say(
                        "  possible undertaking, not extracted (point %(number)s): “%(quote)s”",
                        number=extracted_point.number,
                        quote=f.quote,
                    )
                )


@click.command("eval")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--details", is_flag=True, help="Also list each miss, extra and wrong field per readout, with its words."
)
def eval_(directory: Path, as_json: bool, details: bool) -> None:
    """Measure extraction against a directory of gold-labelled readouts."""
    from tracker.extraction.evaluation import details_json, evaluate, format_details, format_table

    result = evaluate(directory)
    if as_json:
        data = dict(result)
        if details:
            data["details"] = details_json(result)
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(format_table(result))
    if details:
        click.echo()
        click.echo(format_details(result))


@click.command("demo")
@click.option("--email", default="demo@example.org", show_default=True)
@click.option("--password", default="demo-password", show_default=True)
@click.option("--admin-email", default="admin@example.org", show_default=True)
@click.option("--admin-password", default="admin-password", show_default=True)
@pass_app
def demo(app: AppContext, email: str, password: str, admin_email: str, admin_password: str) -> None:
    """Load the sample readout, a demo officer and a demo admin (idempotent; for `make run`)."""
    from tracker.services.readouts import find_duplicate, ingest_text

    sample = REPO_ROOT / "sample_data" / "mofa-2018-06-06-japan-us-fm.txt"
    text = read_input_file(sample)
    with app.transaction() as session:
        officer = _demo_officer(session, email, "Demo Officer", "supervisor", password)
        # The supervisor cannot reach the admin pages (officers, desks, escalation): a new user
        # should not have to discover `tracker officers add --role admin` to see them.
        _demo_officer(session, admin_email, "Demo Admin", "admin", admin_password)
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
    click.echo(say("demo login (supervisor): %(email)s / %(password)s", email=email, password=password))
    click.echo(
        say("demo login (admin):      %(email)s / %(password)s", email=admin_email, password=admin_password)
    )


def _demo_officer(session: Session, email: str, name: str, role: str, password: str) -> Officer:
    """The demo account with this email, created on the first run."""
    from tracker.services.errors import NotFound
    from tracker.services.officers import create_officer, get_officer_by_email

    try:
        return get_officer_by_email(session, email)
    except NotFound:
        return create_officer(
            session,
            email=email,
            name=name,
            role=role,
            desk="North America Desk",
            timezone="Asia/Tokyo",
            password=password,
        )
