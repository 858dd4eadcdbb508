"""`tracker officers add`."""

from __future__ import annotations

import sys

import click

from cli.app import AppContext, pass_app
from cli.i18n import say, word


@click.group()
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
        click.echo(
            say(
                "officer %(id)s: %(email)s (%(role)s)",
                id=officer.id,
                email=officer.email,
                role=word(officer.role.value),
            )
        )
