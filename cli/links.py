"""`tracker links`, `link`, `unlink`, `reconcile`, `progress`, `eval-reconcile` and `eval-progress`
(issue 17): readouts of one meeting, and progress read from later readouts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.app import AppContext, pass_app, utcnow
from cli.i18n import N_, say, word
from tracker.models import LinkKind, Readout


def _readout(session: object, readout_id: int) -> Readout:
    from sqlalchemy.orm import Session

    from tracker.services.errors import NotFound

    assert isinstance(session, Session)
    readout = session.get(Readout, readout_id)
    if readout is None:
        raise NotFound(f"no readout with id {readout_id}")
    return readout


@click.command()
@click.argument("readout_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def links(app: AppContext, readout_id: int, as_json: bool) -> None:
    """Show a readout's links and the stored readouts of the same meeting proposed for linking."""
    from tracker.services.readout_links import links_of, propose_for_readout

    with app.transaction() as session:
        readout = _readout(session, readout_id)
        found = links_of(session, readout.id, viewer=None)
        proposals = propose_for_readout(session, readout, viewer=None)
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "links": [
                            {
                                "id": link.id,
                                "kind": link.kind.value,
                                "readout_id": link.readout_id,
                                "other_readout_id": link.other_readout_id,
                                "aligned": len(link.alignments),
                            }
                            for link in found
                        ],
                        "proposals": [
                            {
                                "readout_id": p.readout_id,
                                "title": p.title,
                                "kind": p.kind.value,
                                "score": p.score,
                                "reasons": list(p.reasons),
                            }
                            for p in proposals
                        ],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        for link in found:
            other = link.other_readout if link.readout_id == readout.id else link.readout
            click.echo(
                say(
                    "link %(id)s: %(kind)s of readout %(other)s (%(title)s); "
                    "%(aligned)s undertakings aligned",
                    id=link.id,
                    kind=word(link.kind.value),
                    other=other.id,
                    title=other.title,
                    aligned=len(link.alignments),
                )
            )
        if not proposals:
            click.echo(say("no readout of the same meeting proposed"))
        for p in proposals:
            click.echo(
                say(
                    "proposed %(kind)s: readout %(id)s %(title)s (%(date)s, %(language)s) "
                    "· %(score).2f · %(reasons)s",
                    kind=word(p.kind.value),
                    id=p.readout_id,
                    title=p.title,
                    date=p.meeting_date.isoformat(),
                    language=p.language,
                    score=p.score,
                    reasons="; ".join(p.reasons),
                )
            )
            click.echo(f"       tracker link {readout.id} {p.readout_id} --kind {p.kind.value} --by EMAIL")


@click.command()
@click.argument("readout_id", type=int)
@click.argument("other_id", type=int)
@click.option("--kind", type=click.Choice([k.value for k in LinkKind]), required=True)
@click.option("--by", "by_email", required=True, help="Email of the officer confirming the link.")
@pass_app
def link(app: AppContext, readout_id: int, other_id: int, kind: str, by_email: str) -> None:
    """Link two readouts of one meeting and align their commitments."""
    from tracker.services.officers import get_officer_by_email
    from tracker.services.readout_links import confirm_link

    with app.transaction() as session:
        by = get_officer_by_email(session, by_email)
        made = confirm_link(session, readout_id, other_id, kind, by=by, now=utcnow())
        click.echo(
            say(
                "link %(id)s: readout %(readout)s and readout %(other)s (%(kind)s); "
                "%(aligned)s undertakings reported by both",
                id=made.id,
                readout=made.readout_id,
                other=made.other_readout_id,
                kind=word(made.kind.value),
                aligned=len(made.alignments),
            )
        )


@click.command()
@click.argument("link_id", type=int)
@click.option("--by", "by_email", required=True)
@pass_app
def unlink(app: AppContext, link_id: int, by_email: str) -> None:
    """Remove a counterpart link (a translation's link stays: its commitments were folded)."""
    from tracker.services.officers import get_officer_by_email
    from tracker.services.readout_links import unlink as remove

    with app.transaction() as session:
        remove(session, link_id, by=get_officer_by_email(session, by_email))
        click.echo(say("link %(id)s removed", id=link_id))


_STATUS_WORDS = {
    "both": N_("both report it"),
    "only_this": N_("not in the other side's readout"),
    "only_other": N_("only in the other readout"),
}


@click.command()
@click.argument("readout_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def reconcile(app: AppContext, readout_id: int, as_json: bool) -> None:
    """Reconcile a readout with the linked readouts of its meeting."""
    from tracker.services.reconciliation import reconcile as build
    from tracker.services.reconciliation import reconciliation_to_dict

    with app.transaction() as session:
        found = build(session, readout_id, viewer=None)
        if as_json:
            click.echo(json.dumps([reconciliation_to_dict(r) for r in found], ensure_ascii=False, indent=2))
            return
        if not found:
            click.echo(
                say("readout %(id)s is linked to no other readout (see tracker links %(id)s)", id=readout_id)
            )
        for r in found:
            click.echo(
                say(
                    "== %(kind)s: readout %(this)s (%(this_title)s) "
                    "with readout %(other)s (%(other_title)s): "
                    "%(both)s in both, %(here)s only here, %(there)s only there, %(flagged)s flagged",
                    kind=word(r.kind.value),
                    this=r.this.id,
                    this_title=r.this.title,
                    other=r.other.id,
                    other_title=r.other.title,
                    both=r.count("both"),
                    here=r.count("only_this"),
                    there=r.count("only_other"),
                    flagged=r.flagged,
                )
            )
            for row in r.rows:
                click.echo(f"  [{say(_STATUS_WORDS[row.status])}]")
                if row.this:
                    ref = f"#{row.this.commitment_id}" if row.this.commitment_id else "-"
                    click.echo(say("    here  %(ref)s: %(quote)s", ref=ref, quote=row.this.quote))
                if row.other:
                    ref = f"#{row.other.commitment_id}" if row.other.commitment_id else say("translation")
                    click.echo(say("    there %(ref)s: %(quote)s", ref=ref, quote=row.other.quote))
                for flag in row.flags:
                    click.echo(f"    ! {flag}")


@click.command()
@click.argument("readout_id", type=int)
@click.option("--accept", "accept_id", type=int, help="Accept the proposal for this earlier commitment.")
@click.option("--by", "by_email", help="Email of the officer accepting (with --accept).")
@click.option("--expect-version", type=int, help="Refuse (exit 3) if the commitment changed since.")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def progress(
    app: AppContext,
    readout_id: int,
    accept_id: int | None,
    by_email: str | None,
    expect_version: int | None,
    as_json: bool,
) -> None:
    """Propose what a readout reports about earlier open commitments; --accept applies one."""
    from tracker.services.errors import InvalidInput
    from tracker.services.officers import get_officer_by_email
    from tracker.services.progress import accept_progress, proposal_to_dict, propose_for_readout

    with app.transaction() as session:
        readout = _readout(session, readout_id)
        if accept_id is not None:
            if not by_email:
                raise InvalidInput(N_("--accept needs --by EMAIL"))
            done = accept_progress(
                session,
                readout,
                accept_id,
                by=get_officer_by_email(session, by_email),
                now=utcnow(),
                settings=app.settings.deadlines,
                expect_version=expect_version,
            )
            c = done.commitment
            click.echo(
                say(
                    "commitment %(id)s: %(outcome)s per readout %(readout)s; "
                    "status %(status)s (version %(version)s)",
                    id=c.id,
                    outcome=word(done.outcome.value),
                    readout=readout.id,
                    status=word(c.status.value),
                    version=c.version,
                )
            )
            return
        proposals = propose_for_readout(session, readout, viewer=None)
        if as_json:
            click.echo(json.dumps([proposal_to_dict(p) for p in proposals], ensure_ascii=False, indent=2))
            return
        if not proposals:
            click.echo(say("no earlier open commitment reported on"))
        for p in proposals:
            c = p.commitment
            click.echo(
                say(
                    "%(outcome)-10s commitment %(id)s (%(date)s %(title)s): %(quote)s",
                    outcome=word(p.outcome.value),
                    id=c.id,
                    date=c.readout.meeting_date.isoformat(),
                    title=c.readout.title,
                    quote=c.quote,
                )
            )
            click.echo(say("           evidence: %(evidence)s", evidence=p.evidence))
            click.echo(f"           tracker progress {readout.id} --accept {c.id} --by EMAIL")


@click.command("eval-reconcile")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--similarity",
    type=click.Choice(["words", "embeddings", "both"]),
    help="How English is compared with English (default: words).",
)
@click.option("--threshold", type=float, help="Alignment score from which a pair is taken (0-1).")
def eval_reconcile(directory: Path, as_json: bool, similarity: str | None, threshold: float | None) -> None:
    """Measure the alignment of readouts of one meeting against labelled pairs (corpus/pairs)."""
    from tracker.reconcile_evaluation import evaluate, format_table

    result = evaluate(directory, english=similarity, threshold=threshold)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json else format_table(result))


@click.command("eval-progress")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True)
def eval_progress(directory: Path, as_json: bool) -> None:
    """Measure progress read from later readouts against labelled pairs (corpus/progress)."""
    from tracker.progress_evaluation import evaluate, format_table

    result = evaluate(directory)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json else format_table(result))
