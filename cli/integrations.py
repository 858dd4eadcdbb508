"""`tracker` commands of the integrations (API tokens, CSV export)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from cli.app import EXIT_BAD_INPUT, AppContext, fail, pass_app, utcnow
from cli.commitments import build_filters, commitment_filter_options
from cli.i18n import say

# --- tokens -------------------------------------------------------------------------------


@click.group()
def tokens() -> None:
    """Personal API tokens and calendar-feed tokens."""


@tokens.command("create")
@click.option("--email", required=True, help="The officer the token acts as.")
@click.option("--name", default="", help="What the token is for (shown in lists).")
@click.option("--kind", type=click.Choice(["api", "feed"]), default="api", show_default=True)
@pass_app
def tokens_create(app: AppContext, email: str, name: str, kind: str) -> None:
    """Make a token and print it once (only its hash is kept; a new feed token replaces the old)."""
    from tracker.services.officers import get_officer_by_email
    from tracker.services.tokens import create_token

    with app.transaction() as session:
        officer = get_officer_by_email(session, email)
        token, plaintext = create_token(session, officer, kind, name, utcnow())
        token_id = token.id
    click.echo(
        say(
            "%(kind)s token %(id)s for %(email)s (shown once; keep it secret):",
            kind=kind,
            id=token_id,
            email=officer.email,
        ),
        err=True,
    )
    if kind == "feed":
        click.echo(f"{app.settings.base_url}/feeds/{plaintext}.ics")
    else:
        click.echo(plaintext)


@tokens.command("revoke")
@click.argument("token_id", type=int)
@click.option("--email", help="Only revoke it if it is this officer's token.")
@pass_app
def tokens_revoke(app: AppContext, token_id: int, email: str | None) -> None:
    """Revoke token TOKEN_ID: it stops working at once."""
    from tracker.services.officers import get_officer_by_email
    from tracker.services.tokens import revoke_token

    with app.transaction() as session:
        officer = get_officer_by_email(session, email) if email else None
        token = revoke_token(session, officer, token_id, utcnow())
        click.echo(
            say(
                "token %(id)s (%(kind)s, %(name)s) of %(email)s is revoked",
                id=token.id,
                kind=token.kind.value,
                name=token.name,
                email=token.officer.email,
            )
        )


@tokens.command("list")
@click.option("--email", required=True)
@pass_app
def tokens_list(app: AppContext, email: str) -> None:
    """An officer's tokens (never the tokens themselves: they are not stored)."""
    from tracker.services.officers import get_officer_by_email
    from tracker.services.tokens import list_tokens

    with app.transaction() as session:
        officer = get_officer_by_email(session, email)
        rows = list_tokens(session, officer)
        if not rows:
            click.echo(say("%(email)s has no tokens", email=officer.email))
        for tok in rows:
            state = (
                say("revoked %(at)s", at=f"{tok.revoked_at:%Y-%m-%d %H:%M}")
                if tok.revoked_at
                else say("active")
            )
            used = f"{tok.last_used_at:%Y-%m-%d %H:%M}" if tok.last_used_at else say("never")
            click.echo(
                say(
                    "%(id)6s  %(kind)-4s  %(state)-24s created %(created)s  last used %(used)s  %(name)s",
                    id=tok.id,
                    kind=tok.kind.value,
                    state=state,
                    created=f"{tok.created_at:%Y-%m-%d %H:%M}",
                    used=used,
                    name=tok.name,
                )
            )


# --- CSV ----------------------------------------------------------------------------------


@click.command("export-csv")
@commitment_filter_options
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write here (default: stdout).")
@pass_app
def export_csv(app: AppContext, out: Path | None, **filter_options: Any) -> None:
    """The filtered commitments as CSV (UTF-8, header row; the filters of `tracker list`)."""
    from tracker.services.export import commitments_csv

    filters = build_filters(**filter_options)
    today = utcnow().date()
    if out is None:
        with app.transaction() as session:
            for chunk in commitments_csv(session, filters, today, viewer=None):
                sys.stdout.write(chunk)
        return
    # Written under a temporary name and renamed, so a failed export never leaves half a file.
    part = out.with_name(out.name + ".part")
    try:
        with app.transaction() as session, part.open("w", encoding="utf-8", newline="") as fh:
            for chunk in commitments_csv(session, filters, today, viewer=None):
                fh.write(chunk)
    except OSError as exc:
        part.unlink(missing_ok=True)
        fail(say("cannot write %(path)s: %(why)s", path=out, why=exc.strerror), EXIT_BAD_INPUT)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    part.replace(out)
    click.echo(say("wrote %(path)s", path=out), err=True)
