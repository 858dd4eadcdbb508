"""`tracker events`, `tracker jobs run` and `tracker digests`: the follow-up engine on the command line."""

from __future__ import annotations

import datetime as dt
import json

import click

from cli.app import EXIT_BAD_INPUT, AppContext, fail, parse_now, pass_app, utcnow
from cli.i18n import DIGEST_STATES, ngettext, said, say, word
from tracker.services.errors import AmbiguousName

# --- events -------------------------------------------------------------------------------


@click.group()
def events() -> None:
    """The events deadlines hang on, and their dates."""


@events.command("set")
@click.argument("name")
@click.argument("date")
@click.option("--by", "by_email", help="Email of the officer setting the date (recorded in the history).")
@pass_app
def events_set(app: AppContext, name: str, date: str, by_email: str | None) -> None:
    """Set the date of event NAME (YYYY-MM-DD, or "unknown") and move the due dates that hang on it."""
    from tracker.services.events import resolve_event, set_event_date
    from tracker.services.officers import get_officer_by_email

    new_date: dt.date | None
    if date.strip().lower() in {"unknown", "none", "-"}:
        new_date = None
    else:
        try:
            new_date = dt.date.fromisoformat(date)
        except ValueError:
            fail(say("DATE must be YYYY-MM-DD (or 'unknown'), got %(value)r", value=date), EXIT_BAD_INPUT)
            return
    with app.transaction() as session:
        by = get_officer_by_email(session, by_email) if by_email else None
        try:
            event = resolve_event(session, name)
        except AmbiguousName as exc:
            fail(said(exc), EXIT_BAD_INPUT)
            return
        old = event.date
        moves = set_event_date(session, name, new_date, by=by, now=utcnow())
        click.echo(
            say(
                "event %(id)s %(name)s: %(old)s -> %(new)s; %(moved)s",
                id=event.id,
                name=event.name,
                old=_date(old),
                new=_date(new_date),
                moved=ngettext("%(num)d due date moved", "%(num)d due dates moved", len(moves)),
            )
        )
        for move in moves:
            click.echo(
                say(
                    "  commitment %(id)s: due %(old)s -> %(new)s",
                    id=move.commitment_id,
                    old=_date(move.old),
                    new=_date(move.new),
                )
            )


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else say("date unknown")


@events.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def events_list(app: AppContext, as_json: bool) -> None:
    """List events with their dates and how many open commitments wait on each."""
    from tracker.services.events import list_events

    with app.transaction() as session:
        rows = [
            {
                "id": s.event.id,
                "name": s.event.name,
                "aliases": list(s.event.aliases or []),
                "date": s.event.date.isoformat() if s.event.date else None,
                "waiting_open": s.waiting_open,
                "open_total": s.open_total,
            }
            for s in list_events(session, viewer=None)
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(say("no events"))
    for r in rows:
        click.echo(
            say(
                "%(id)5s  %(date)-12s  %(name)s  (%(waiting)s waiting on its date, %(open)s open)",
                id=r["id"],
                date=r["date"] or say("date unknown"),
                name=r["name"],
                waiting=r["waiting_open"],
                open=r["open_total"],
            )
        )


# --- jobs and digests ---------------------------------------------------------------------


@click.group()
def jobs() -> None:
    """Run a scheduled job once (for cron and tests)."""


@jobs.group("run")
def jobs_run() -> None:
    """Run one job now."""


@jobs_run.command("overdue-sweep")
@click.option("--now", "now_", help="Fix the clock (ISO 8601).")
@pass_app
def jobs_run_sweep(app: AppContext, now_: str | None) -> None:
    """Flag overdue and stale commitments once, and escalate those due for a step."""
    from jobs.sweep import run_sweep

    result = run_sweep(app.factory, parse_now(now_), app.settings.escalation_steps)
    click.echo(
        say(
            "overdue flagged: %(overdue)s; stale flagged: %(stale)s; escalated: %(escalated)s",
            overdue=result.overdue_flagged,
            stale=result.stale_flagged,
            escalated=result.escalated,
        )
    )


@jobs_run.command("digests")
@click.option("--now", "now_", help="Fix the clock (ISO 8601).")
@pass_app
def jobs_run_digests(app: AppContext, now_: str | None) -> None:
    """Write the digests whose time has come and send the pending ones, once."""
    from jobs.digests import dispatch_digests

    result = dispatch_digests(app.factory, parse_now(now_), app.settings)
    click.echo(
        say(
            "digests written: %(written)s; sent: %(sent)s; to retry: %(retrying)s; failed: %(failed)s; "
            "superseded: %(superseded)s; revived after an outage: %(revived)s; notices written: %(notices)s",
            written=result.written,
            sent=result.sent,
            retrying=result.retrying,
            failed=result.failed,
            superseded=result.superseded,
            revived=result.revived,
            notices=result.notices,
        )
    )


@click.group()
def digests() -> None:
    """The digest outbox."""


@digests.command("list")
@click.option("--failed", "failed_only", is_flag=True, help="Only digests given up on.")
@click.option("--limit", default=100, show_default=True, type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def digests_list(app: AppContext, failed_only: bool, limit: int, as_json: bool) -> None:
    """List the newest digests with their state, attempts and last error."""
    from tracker.services.outbox import list_digests

    with app.transaction() as session:
        rows = [
            {
                "id": d.id,
                "officer": d.officer.email,
                "period": d.period,
                "kind": d.kind.value,
                "state": d.state.value,
                "attempts": d.attempts,
                "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
                "last_error": d.last_error,
                "message_id": d.message_id,
                "subject": d.subject,
            }
            for d in list_digests(session, failed_only=failed_only, limit=limit)
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(say("no failed digests") if failed_only else say("no digests"))
    for r in rows:
        line = say(
            "%(id)6s  %(state)-7s  %(period)-18s  %(officer)s  attempts %(attempts)s",
            id=r["id"],
            state=word(str(r["state"]), DIGEST_STATES),
            period=r["period"],
            officer=r["officer"],
            attempts=r["attempts"],
        )
        if r["last_error"]:
            line += say("  last error: %(error)s", error=r["last_error"])
        click.echo(line)


@digests.command("retry")
@click.argument("digest_id", type=int)
@pass_app
def digests_retry(app: AppContext, digest_id: int) -> None:
    """Put a failed digest back in the queue (sent at the next dispatch, same Message-ID)."""
    from tracker.services.outbox import retry_digest

    with app.transaction() as session:
        digest = retry_digest(session, digest_id, None)
        click.echo(
            say("digest %(id)s is %(state)s", id=digest.id, state=word(digest.state.value, DIGEST_STATES))
        )
