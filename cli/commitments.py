"""`tracker list`, `show` and `status`, and the commitment filters other commands share."""

from __future__ import annotations

import json
from typing import Any

import click

from cli.app import EXIT_BAD_INPUT, AppContext, fail, parse_date, pass_app, utcnow
from cli.i18n import N_, current, said, say, word
from tracker.services.errors import InvalidInput

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
    from tracker.services.commitment_queries import CommitmentFilter, parse_status

    try:
        if status:
            parse_status(status)
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
    except InvalidInput as exc:
        fail(said(exc), EXIT_BAD_INPUT)
        raise  # unreachable: fail exits


# What `tracker show` lists, in order, each under its label (in English the field's name).
FIELDS = {
    "id": N_("id"),
    "status": N_("status"),
    "version": N_("version"),
    "parties": N_("parties"),
    "action": N_("action"),
    "quote": N_("quote"),
    "deadline_type": N_("deadline_type"),
    "deadline_text": N_("deadline_text"),
    "event": N_("event"),
    "due_date": N_("due_date"),
    "review_date": N_("review_date"),
    "owner": N_("owner"),
    "desk": N_("desk"),
}


@click.command("list")
@commitment_filter_options
@click.option("--json", "as_json", is_flag=True)
@pass_app
def list_(app: AppContext, as_json: bool, **filter_options: Any) -> None:
    """List commitments."""
    from tracker.services.commitment_queries import list_commitments, to_dict

    filters = build_filters(**filter_options)
    with app.transaction() as session:
        rows = [to_dict(c) for c in list_commitments(session, filters, utcnow().date(), viewer=None)]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(say("no commitments match"))
    for r in rows:
        due = r["due_date"] or (say("waiting on event") if r["deadline_type"] == "event" else "-")
        click.echo(
            say(
                "%(id)6s  %(status)-11s due %(due)-16s [%(parties)s] %(action)s",
                id=r["id"],
                status=word(r["status"]),
                due=due,
                parties=", ".join(r["parties"]),
                action=r["action"],
            )
        )


@click.command()
@click.argument("commitment_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def show(app: AppContext, commitment_id: int, as_json: bool) -> None:
    """Show one commitment with its history."""
    from tracker.history_text import describe_change
    from tracker.i18n import say_in
    from tracker.services.commitment_queries import get_commitment, to_dict_with_history
    from tracker.services.extensions import followup_to_dict

    with app.transaction() as session:
        c = get_commitment(session, commitment_id)
        data = {**to_dict_with_history(c), **followup_to_dict(session, c)}
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for key in FIELDS:
        value = data[key]
        if isinstance(value, list):
            shown = ", ".join(value)
        elif value is None and current() != "en":
            shown = say("none")
        else:
            shown = word(value) if key in ("status", "deadline_type") else value
        click.echo(f"{say(FIELDS[key]):>13}: {shown}")
    for e in data["escalations"]:
        state = say("cleared %(date)s", date=e["cleared_at"][:10]) if e["cleared_at"] else say("open")
        click.echo(
            say(
                "  escalated to %(to)s (%(contact)s) on %(date)s, %(days)s days overdue (%(state)s)",
                to=e["to"],
                contact=word(e["contact"]),
                date=e["escalated_at"][:10],
                days=e["days_overdue"],
                state=state,
            )
        )
    for x in data["extensions"]:
        click.echo(
            say(
                "  extension %(id)s to %(due)s: %(state)s (%(reason)s)",
                id=x["id"],
                due=x["new_due_date"],
                state=word(x["state"]),
                reason=x["reason"],
            )
        )
    for h in data["history"]:
        if current() != "en":
            # In the officer's language, each change as the web app's history says it.
            change = describe_change(
                h["field"],
                h["old_value"],
                h["new_value"],
                by=h["by"],
                say=say_in(current()),
                locale=current(),
            )
            click.echo(
                say("  %(at)s %(change)s (%(note)s)", at=h["changed_at"], change=change, note=h["note"])
            )
            continue
        click.echo(
            say(
                "  %(at)s %(by)s: %(field)s %(old)s -> %(new)s (%(note)s)",
                at=h["changed_at"],
                by=h["by"] or say("tracker"),
                field=h["field"],
                old=h["old_value"],
                new=h["new_value"],
                note=h["note"],
            )
        )


@click.command()
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
    from tracker.services.commitment_queries import get_commitment, parse_status
    from tracker.services.commitments import update_commitment
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
        click.echo(
            say(
                "commitment %(id)s is now %(status)s (version %(version)s)",
                id=c.id,
                status=word(c.status.value),
                version=c.version,
            )
        )
