"""`tracker desks`, `tracker extension` and `tracker escalations`: escalation to a supervisor and
working days on the command line (issue 17)."""

from __future__ import annotations

import json

import click

from cli.app import EXIT_BAD_INPUT, AppContext, fail, parse_date, pass_app, utcnow
from cli.i18n import say, word

_UNSET = object()


@click.group()
def desks() -> None:
    """Desks' follow-up policy: escalation contacts and ladder, and how days are counted."""


@desks.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def desks_list(app: AppContext, as_json: bool) -> None:
    """Every desk with its supervisor, head of division, escalation ladder and day count."""
    from tracker.services.desk_policy import list_policies, policy_to_dict

    with app.transaction() as session:
        rows = [
            policy_to_dict(desk, policy, app.settings.escalation_steps)
            for desk, policy in list_policies(session)
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(say("no desks"))
    for r in rows:
        ladder = r["escalation_steps"] or say("no escalation")
        click.echo(
            say(
                "%(desk)s: supervisor %(supervisor)s, head %(head)s, escalation %(ladder)s, %(days)s",
                desk=r["desk"],
                supervisor=r["supervisor"] or "-",
                head=r["head"] or "-",
                ladder=ladder if r["own_ladder"] else say("%(ladder)s (default)", ladder=ladder),
                days=_days(r["days"]),
            )
            + (say(", covers %(countries)s", countries=", ".join(r["countries"])) if r["countries"] else "")
        )


@desks.command("set")
@click.argument("name")
@click.option("--supervisor", help="Email of the desk's supervisor ('' names no one).")
@click.option("--head", help="Email of the head of division ('' names no one).")
@click.option("--escalation", help='The ladder, e.g. "7:supervisor,30:head"; "none"; "default".')
@click.option("--country", help="The post's country (ISO code, e.g. JP) for working days ('' clears).")
@click.option("--days", type=click.Choice(["calendar", "working"]), help="How the desk counts days.")
@click.option(
    "--covers",
    help="The countries the desk covers, e.g. \"US; Canada\" ('' covers none): the ingest preview "
    "gives a readout with that counterpart to the desk.",
)
@pass_app
def desks_set(
    app: AppContext,
    name: str,
    supervisor: str | None,
    head: str | None,
    escalation: str | None,
    country: str | None,
    days: str | None,
    covers: str | None,
) -> None:
    """Change desk NAME's follow-up policy; options left out stay as they are."""
    from tracker.services.desk_policy import policy_to_dict, set_countries, update_policy
    from tracker.services.officers import get_desk

    given = {
        "supervisor": supervisor,
        "head": head,
        "escalation_steps": escalation,
        "country": country,
        "day_count": days,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes and covers is None:
        fail(
            say("give at least one of --supervisor, --head, --escalation, --country, --days, --covers"),
            EXIT_BAD_INPUT,
        )
    with app.transaction() as session:
        desk = get_desk(session, name)
        if covers is not None:
            set_countries(session, desk, covers)
        policy = update_policy(session, desk, **changes) if changes else desk.policy
        r = policy_to_dict(desk, policy, app.settings.escalation_steps)
        click.echo(
            say(
                "%(desk)s: supervisor %(supervisor)s, head %(head)s, escalation %(ladder)s, %(days)s, "
                "covers %(countries)s",
                desk=r["desk"],
                supervisor=r["supervisor"] or "-",
                head=r["head"] or "-",
                ladder=r["escalation_steps"] or word("none"),
                days=_days(r["days"]),
                countries=", ".join(r["countries"]) or say("no country"),
            )
        )


def _days(said: str) -> str:
    """How a desk counts days ("calendar days", "working days (JP)") in this run's language."""
    if said.startswith("working days (") and said.endswith(")"):
        return say("working days (%(country)s)", country=said[len("working days (") : -1])
    return word(said)


@click.group()
def extension() -> None:
    """Ask for a commitment's due date to move, and decide such requests."""


@extension.command("request")
@click.argument("commitment_id", type=int)
@click.option("--by", "by_email", required=True, help="Email of the officer asking.")
@click.option("--due", required=True, help="The new due date asked for, YYYY-MM-DD.")
@click.option("--reason", required=True, help="Why.")
@pass_app
def extension_request(app: AppContext, commitment_id: int, by_email: str, due: str, reason: str) -> None:
    """Ask for commitment COMMITMENT_ID's due date to move to --due."""
    from tracker.services.commitment_queries import get_commitment
    from tracker.services.extensions import request_extension
    from tracker.services.officers import get_officer_by_email

    new_due = parse_date(due, "--due")
    assert new_due is not None
    with app.transaction() as session:
        by = get_officer_by_email(session, by_email)
        created = request_extension(
            session,
            get_commitment(session, commitment_id),
            by=by,
            new_due_date=new_due,
            reason=reason,
            now=utcnow(),
        )
        click.echo(
            say(
                "extension request %(id)s: commitment %(commitment)s %(old)s -> %(new)s (pending)",
                id=created.id,
                commitment=commitment_id,
                old=created.old_due_date.isoformat(),
                new=created.new_due_date.isoformat(),
            )
        )


def _decide(app: AppContext, request_id: int, by_email: str, approve: bool, note: str | None) -> None:
    from tracker.services.extensions import decide_extension, get_request
    from tracker.services.officers import get_officer_by_email

    with app.transaction() as session:
        by = get_officer_by_email(session, by_email)
        decided = decide_extension(
            session,
            get_request(session, request_id, viewer=None),
            by=by,
            approve=approve,
            note=note,
            now=utcnow(),
            settings=app.settings.deadlines,
        )
        click.echo(
            say(
                "extension request %(id)s %(state)s; commitment %(commitment)s due %(due)s",
                id=decided.id,
                state=word(decided.state.value),
                commitment=decided.commitment_id,
                due=decided.commitment.due_date.isoformat() if decided.commitment.due_date else "-",
            )
        )


@extension.command("approve")
@click.argument("request_id", type=int)
@click.option("--by", "by_email", required=True, help="Email of the supervisor deciding.")
@click.option("--note", help="A note for the history.")
@pass_app
def extension_approve(app: AppContext, request_id: int, by_email: str, note: str | None) -> None:
    """Approve request REQUEST_ID: the due date moves and the escalation stops."""
    _decide(app, request_id, by_email, True, note)


@extension.command("refuse")
@click.argument("request_id", type=int)
@click.option("--by", "by_email", required=True, help="Email of the supervisor deciding.")
@click.option("--note", required=True, help="Why it is refused.")
@pass_app
def extension_refuse(app: AppContext, request_id: int, by_email: str, note: str) -> None:
    """Refuse request REQUEST_ID, saying why."""
    _decide(app, request_id, by_email, False, note)


@extension.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def extension_list(app: AppContext, as_json: bool) -> None:
    """The requests waiting for a decision, oldest first."""
    from tracker.services.extensions import pending_requests, request_to_dict

    with app.transaction() as session:
        rows = [request_to_dict(r) for r in pending_requests(session)]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(say("no extension requests waiting"))
    for r in rows:
        click.echo(
            say(
                "%(id)5s  commitment %(commitment)s  %(old)s -> %(new)s  by %(by)s: %(reason)s",
                id=r["id"],
                commitment=r["commitment_id"],
                old=r["old_due_date"],
                new=r["new_due_date"],
                by=r["requested_by"],
                reason=r["reason"],
            )
        )


@click.command()
@click.option("--to", "to_email", help="Only those escalated to this officer (email).")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def escalations(app: AppContext, to_email: str | None, as_json: bool) -> None:
    """The open escalations: overdue commitments a supervisor or head of division was told about."""
    from tracker.services.escalations import escalation_to_dict, open_escalations
    from tracker.services.officers import get_officer_by_email

    with app.transaction() as session:
        recipient = get_officer_by_email(session, to_email) if to_email else None
        rows = [
            {"commitment_id": e.commitment_id, "action": e.commitment.action, **escalation_to_dict(e)}
            for e in open_escalations(session, recipient)
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(say("no open escalations"))
    for r in rows:
        click.echo(
            say(
                "commitment %(id)s: escalated to %(to)s (%(contact)s) on %(date)s, %(days)s days overdue "
                "(due %(due)s): %(action)s",
                id=r["commitment_id"],
                to=r["to"],
                contact=r["contact"],
                date=r["escalated_at"][:10],
                days=r["days_overdue"],
                action=r["action"],
                due=r["due_date"],
            )
        )
