"""The `tracker` command group, with every command registered here, explicitly.

Exit codes: 0 success, 1 not found or not allowed, 2 bad input (nothing written),
3 a version conflict (someone else changed it first; nothing written).

Each command module defines its commands and imports only `cli.app` (and `cli.commitments` for
the shared filters); this module imports them all and nothing imports it back.
"""

from __future__ import annotations

import click

from cli import (
    backup,
    bench,
    commitments,
    compliance,
    database,
    escalation,
    followup,
    integrations,
    links,
    officers,
    processes,
    readouts,
)
from cli.app import EXIT_BAD_INPUT, AppContext, fail
from cli.i18n import choose
from tracker.config import Settings


@click.group()
@click.option(
    "--language",
    type=click.Choice(["en", "ja"]),
    help="The language of messages (else TRACKER_LANGUAGE, else LC_ALL/LC_MESSAGES/LANG; English).",
)
@click.pass_context
def main(ctx: click.Context, language: str | None) -> None:
    """The commitment follow-up tracker."""
    choose(language)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    app = AppContext(settings)
    ctx.obj = app
    ctx.call_on_close(app.close)


COMMANDS: list[click.Command] = [
    database.db,
    readouts.ingest,
    readouts.demo,
    readouts.eval_,
    commitments.list_,
    commitments.show,
    commitments.status,
    officers.officers,
    processes.serve,
    processes.scheduler,
    processes.run,
    followup.events,
    followup.jobs,
    followup.digests,
    escalation.desks,
    escalation.extension,
    escalation.escalations,
    integrations.tokens,
    integrations.export_csv,
    compliance.brief,
    compliance.outcome,
    compliance.reaffirm,
    compliance.reaffirmations,
    compliance.compliance,
    links.links,
    links.link,
    links.unlink,
    links.reconcile,
    links.progress,
    links.eval_reconcile,
    links.eval_progress,
    backup.export_,
    backup.import_,
    bench.bench,
]
for command in COMMANDS:
    main.add_command(command)
