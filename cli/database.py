"""`tracker db upgrade|downgrade`: create and migrate the database with Alembic."""

from __future__ import annotations

import click

from cli.app import AppContext, pass_app
from cli.i18n import say
from tracker.db import alembic_config


@click.group()
def db() -> None:
    """Create and migrate the database."""


@db.command("upgrade")
@click.argument("revision", default="head")
@pass_app
def db_upgrade(app: AppContext, revision: str) -> None:
    """Migrate the database up to REVISION (default: head)."""
    from alembic import command

    command.upgrade(alembic_config(app.settings.database_url), revision)
    click.echo(say("database at %(revision)s", revision=revision))


@db.command("downgrade")
@click.argument("revision")
@pass_app
def db_downgrade(app: AppContext, revision: str) -> None:
    """Migrate the database down to REVISION (e.g. base, or -1)."""
    from alembic import command

    command.downgrade(alembic_config(app.settings.database_url), revision)
    click.echo(say("database at %(revision)s", revision=revision))
