"""`tracker brief`, `outcome`, `reaffirm`, `reaffirmations` and `compliance` (issue 9)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cli.app import EXIT_BAD_INPUT, AppContext, fail, parse_date, pass_app, utcnow
from cli.i18n import N_, say, word
from tracker.models import Outcome, Readout
from tracker.services.admin import LANGUAGES


@click.command()
@click.option("--party", required=True, help='The counterpart, e.g. "United States".')
@click.option("--from", "date_from", help="First meeting date, YYYY-MM-DD.")
@click.option("--to", "date_to", help="Last meeting date, YYYY-MM-DD.")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write it; the format follows the extension: .pdf, .docx or .html.",
)
@click.option("--today", help="The day the brief is as of (default: today, UTC).")
@click.option(
    "--language",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="The language the brief is written in.",
)
@pass_app
def brief(
    app: AppContext,
    party: str,
    date_from: str | None,
    date_to: str | None,
    out: Path,
    today: str | None,
    language: str,
) -> None:
    """Write the pre-meeting brief: every commitment with PARTY and where it stands."""
    from tracker.brief import RENDERERS, build_brief, render

    if out.suffix.lower() not in RENDERERS:
        fail(say("--out must end in .pdf, .docx or .html, got %(name)r", name=out.name), EXIT_BAD_INPUT)
    start = parse_date(date_from, "--from")
    end = parse_date(date_to, "--to")
    as_of = parse_date(today, "--today") or utcnow().date()
    with app.transaction() as session:
        data = build_brief(session, party, start, end, today=as_of, viewer=None, language=language)
        content = render(data, out.suffix)
    try:
        out.write_bytes(content)
    except OSError as exc:
        fail(say("cannot write %(path)s: %(why)s", path=out, why=exc.strerror), EXIT_BAD_INPUT)
    s = data.summary
    click.echo(
        say(
            "brief for %(party)s: %(total)s commitments in %(meetings)s meetings "
            "(%(open)s open, %(overdue)s overdue) -> %(out)s",
            party=data.party,
            total=s.total,
            meetings=len(data.meetings),
            open=s.open + s.in_progress,
            overdue=s.overdue,
            out=out,
        )
    )


@click.command()
@click.argument("commitment_id", type=int)
@click.argument("outcome", type=click.Choice([o.value for o in Outcome]))
@click.option("--by", "by_email", required=True, help="Email of the officer making the assessment.")
@click.option("--note", required=True, help="What the assessment rests on.")
@click.option("--evidence", "evidence_urls", multiple=True, help="An http(s) link to evidence (repeatable).")
@click.option("--evidence-readout", type=int, help="The id of a later readout that shows the outcome.")
@click.option("--expect-version", type=int, help="Refuse (exit 3) if the commitment has changed since.")
@pass_app
def outcome(
    app: AppContext,
    commitment_id: int,
    outcome: str,
    by_email: str,
    note: str,
    evidence_urls: tuple[str, ...],
    evidence_readout: int | None,
    expect_version: int | None,
) -> None:
    """Assess how far a commitment was kept: fulfilled, partial, not_fulfilled or too_early."""
    from tracker.services.commitment_queries import get_commitment
    from tracker.services.compliance import set_outcome
    from tracker.services.officers import get_officer_by_email

    with app.transaction() as session:
        by = get_officer_by_email(session, by_email)
        c = get_commitment(session, commitment_id)
        set_outcome(
            session,
            c,
            outcome,
            by=by,
            note=note,
            evidence_urls=evidence_urls,
            evidence_readout_id=evidence_readout,
            now=utcnow(),
            expect_version=expect_version,
        )
        click.echo(
            say(
                "commitment %(id)s: outcome %(outcome)s (version %(version)s)",
                id=c.id,
                outcome=word(outcome),
                version=c.version,
            )
        )


@click.command()
@click.argument("earlier_id", type=int)
@click.argument("later_id", type=int)
@click.option("--by", "by_email", required=True, help="Email of the officer confirming the link.")
@pass_app
def reaffirm(app: AppContext, earlier_id: int, later_id: int, by_email: str) -> None:
    """Record that commitment LATER_ID reaffirms the earlier commitment EARLIER_ID."""
    from tracker.services.officers import get_officer_by_email
    from tracker.services.reaffirmations import confirm_by_ids

    with app.transaction() as session:
        by = get_officer_by_email(session, by_email)
        link = confirm_by_ids(session, earlier_id, later_id, by=by, now=utcnow())
        click.echo(
            say(
                "commitment %(later)s reaffirms commitment %(earlier)s (similarity %(score).0f)",
                later=later_id,
                earlier=earlier_id,
                score=link.score,
            )
        )


@click.command()
@click.argument("readout_id", type=int)
@click.option("--threshold", type=float, help="Similarity from which to propose (0-100).")
@pass_app
def reaffirmations(app: AppContext, readout_id: int, threshold: float | None) -> None:
    """Propose earlier open commitments that a readout's commitments likely reaffirm."""
    from tracker.services.errors import NotFound
    from tracker.services.reaffirmations import DEFAULT_THRESHOLD, proposals_for_readout

    with app.transaction() as session:
        readout = session.get(Readout, readout_id)
        if readout is None:
            raise NotFound(N_("no readout with id %(id)s"), id=readout_id)
        proposals = proposals_for_readout(
            session, readout, threshold=DEFAULT_THRESHOLD if threshold is None else threshold, viewer=None
        )
        if not proposals:
            click.echo(say("no likely reaffirmations"))
        for p in proposals:
            e = p.earlier
            click.echo(
                say(
                    "%(score)5.1f  commitment %(later)s reaffirms %(earlier)s "
                    "(%(date)s %(title)s): %(action)s",
                    score=p.score,
                    later=p.later_id,
                    earlier=e.id,
                    date=e.readout.meeting_date.isoformat(),
                    title=e.readout.title,
                    action=e.action,
                )
            )
            click.echo(f"       tracker reaffirm {e.id} {p.later_id} --by EMAIL")


@click.command()
@click.option(
    "--by",
    "grouping",
    type=click.Choice(["party", "counterpart", "meeting", "desk"]),
    default="counterpart",
    show_default=True,
)
@click.option("--today", help="The day overdue is counted at (default: today, UTC).")
@pass_app
def compliance(app: AppContext, grouping: str, today: str | None) -> None:
    """Print compliance and delivery figures per party, counterpart, meeting or desk."""
    from tracker.brief import format_score
    from tracker.services.compliance import rollup

    as_of: dt.date = parse_date(today, "--today") or utcnow().date()
    with app.transaction() as session:
        rows = rollup(session, grouping, today=as_of, home_party=app.settings.home_party, viewer=None)  # type: ignore[arg-type]
    click.echo(
        f"{'':<32} {say('made'):>5} {say('on time'):>8} {say('late'):>5} {say('overdue'):>8} "
        f"{say('score'):>6} {'n':>4}"
    )
    for r in rows:
        label = r.label if r.meeting_date is None else f"{r.meeting_date.isoformat()} {r.label}"
        click.echo(
            f"{label[:32]:<32} {r.made:>5} {r.done_on_time:>8} {r.done_late:>5} {r.overdue:>8} "
            f"{format_score(r.score):>6} {r.assessed:>4}"
        )
