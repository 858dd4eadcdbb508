"""`tracker links`, `link`, `unlink`, `reconcile`, `progress`, `eval-reconcile` and `eval-progress`
(issue 17): readouts of one meeting, and progress read from later readouts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.app import AppContext, pass_app, utcnow
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
                f"link {link.id}: {link.kind.value} of readout {other.id} ({other.title}); "
                f"{len(link.alignments)} undertakings aligned"
            )
        if not proposals:
            click.echo("no readout of the same meeting proposed")
        for p in proposals:
            click.echo(
                f"proposed {p.kind.value}: readout {p.readout_id} {p.title} ({p.meeting_date.isoformat()}, "
                f"{p.language}) · {p.score:.2f} · {'; '.join(p.reasons)}"
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
            f"link {made.id}: readout {made.readout_id} and readout {made.other_readout_id} "
            f"({made.kind.value}); "
            f"{len(made.alignments)} undertakings reported by both"
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
        click.echo(f"link {link_id} removed")


_STATUS_WORDS = {
    "both": "both report it",
    "only_this": "not in the other side's readout",
    "only_other": "only in the other readout",
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
            click.echo(f"readout {readout_id} is linked to no other readout (see tracker links {readout_id})")
        for r in found:
            click.echo(
                f"== {r.kind.value}: readout {r.this.id} ({r.this.title}) with readout {r.other.id} "
                f"({r.other.title}): {r.count('both')} in both, {r.count('only_this')} only here, "
                f"{r.count('only_other')} only there, {r.flagged} flagged"
            )
            for row in r.rows:
                click.echo(f"  [{_STATUS_WORDS[row.status]}]")
                if row.this:
                    ref = f"#{row.this.commitment_id}" if row.this.commitment_id else "-"
                    click.echo(f"    here  {ref}: {row.this.quote}")
                if row.other:
                    ref = f"#{row.other.commitment_id}" if row.other.commitment_id else "translation"
                    click.echo(f"    there {ref}: {row.other.quote}")
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
                raise InvalidInput("--accept needs --by EMAIL")
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
                f"commitment {c.id}: {done.outcome.value} per readout {readout.id}; status {c.status.value} "
                f"(version {c.version})"
            )
            return
        proposals = propose_for_readout(session, readout, viewer=None)
        if as_json:
            click.echo(json.dumps([proposal_to_dict(p) for p in proposals], ensure_ascii=False, indent=2))
            return
        if not proposals:
            click.echo("no earlier open commitment reported on")
        for p in proposals:
            c = p.commitment
            click.echo(
                f"{p.outcome.value:<10} commitment {c.id} "
                f"({c.readout.meeting_date.isoformat()} {c.readout.title}): {c.quote}"
            )
            click.echo(f"           evidence: {p.evidence}")
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
