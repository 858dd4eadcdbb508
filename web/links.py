"""Readouts of one meeting and progress read from later readouts (issue 17), on the web.

A thin adapter: the reconciliation page of a readout (its links, the readouts of the same meeting
proposed for linking, and for each link what both sides report and what only one does), and the
progress a readout reports on earlier commitments, each accepted by a button. Writes go through
tracker.services.readout_links and tracker.services.progress; the request commits once (web.db).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from tracker.models import LinkKind, Readout
from tracker.services.errors import NotFound, PermissionDenied, ServiceError, VersionConflict
from tracker.services.permissions import can_see_readout
from tracker.services.progress import accept_progress
from tracker.services.progress import propose_for_readout as progress_for_readout
from tracker.services.readout_links import confirm_link, propose_for_readout, unlink
from tracker.services.reconciliation import reconcile
from web.auth import current_officer
from web.db import get_session, now, settings
from web.i18n import said_text
from web.labels import tr

bp = Blueprint("links", __name__)

STATUS_LABELS = {
    "both": "Reported by both",
    "only_this": "Not in the other side's readout",
    "only_other": "Only in the other readout",
}


def _readout(readout_id: int) -> Readout:
    readout = get_session().get(Readout, readout_id)
    if readout is None or not can_see_readout(get_session(), current_officer(), readout.id):
        abort(404)
    return readout


@bp.route("/readouts/<int:readout_id>/reconcile")
@login_required
def page(readout_id: int) -> str:
    """The readout's links, what each reconciles to, and the readouts proposed for linking."""
    session = get_session()
    readout = _readout(readout_id)
    return render_template(
        "links/reconcile.html",
        title=gettext("Reconcile: %(title)s", title=readout.title),
        section="readouts",
        readout=readout,
        reconciliations=reconcile(session, readout.id, viewer=current_officer()),
        proposals=propose_for_readout(session, readout, viewer=current_officer()),
        kinds=[k.value for k in LinkKind],
        labels=STATUS_LABELS,
    )


@bp.route("/readouts/<int:readout_id>/links", methods=["POST"])
@login_required
def link(readout_id: int) -> Response:
    session = get_session()
    readout = _readout(readout_id)
    back = url_for("links.page", readout_id=readout.id)
    other = request.form.get("other_id", "")
    try:
        if not other.isdigit():
            raise NotFound("choose the readout to link")
        made = confirm_link(
            session, readout.id, int(other), request.form.get("kind", ""), by=current_officer(), now=now()
        )
    except PermissionDenied:
        session.rollback()
        abort(403)
    except ServiceError as exc:
        session.rollback()
        flash(gettext("Not linked: %(reason)s", reason=said_text(exc)), "error")
        return redirect(back)
    flash(
        gettext(
            "Linked readout %(a)s and readout %(b)s as %(kind)s: %(n)s undertakings reported by both.",
            a=made.readout_id,
            b=made.other_readout_id,
            kind=tr(made.kind),
            n=len(made.alignments),
        ),
        "info",
    )
    return redirect(back)


@bp.route("/readouts/<int:readout_id>/links/<int:link_id>/delete", methods=["POST"])
@login_required
def remove(readout_id: int, link_id: int) -> Response:
    session = get_session()
    try:
        unlink(session, link_id, by=current_officer())
    except NotFound:
        session.rollback()
        abort(404)
    except ServiceError as exc:
        session.rollback()
        flash(gettext("Not removed: %(reason)s", reason=said_text(exc)), "error")
        return redirect(url_for("links.page", readout_id=readout_id))
    flash(gettext("Link %(id)s removed.", id=link_id), "info")
    return redirect(url_for("links.page", readout_id=readout_id))


@bp.route("/readouts/<int:readout_id>/progress")
@login_required
def progress(readout_id: int) -> str:
    """What this readout reports about earlier open commitments, each to accept."""
    readout = _readout(readout_id)
    return render_template(
        "links/progress.html",
        title=gettext("Progress reported: %(title)s", title=readout.title),
        section="readouts",
        readout=readout,
        proposals=progress_for_readout(get_session(), readout, viewer=current_officer()),
    )


@bp.route("/readouts/<int:readout_id>/progress", methods=["POST"])
@login_required
def accept(readout_id: int) -> Response:
    session = get_session()
    readout = _readout(readout_id)
    back = url_for("links.progress", readout_id=readout.id)
    raw_id, raw_version = request.form.get("commitment_id", ""), request.form.get("version", "")
    if not raw_id.isdigit():
        abort(400)
    try:
        done = accept_progress(
            session,
            readout,
            int(raw_id),
            by=current_officer(),
            now=now(),
            settings=settings().deadlines,
            expect_version=int(raw_version) if raw_version.isdigit() else None,
        )
    except PermissionDenied:
        session.rollback()
        abort(403)
    except (VersionConflict, StaleDataError):
        session.rollback()
        flash(gettext("Someone else changed that commitment meanwhile; check it and accept again."), "error")
        return redirect(back)
    except ServiceError as exc:
        session.rollback()
        flash(gettext("Not accepted: %(reason)s", reason=said_text(exc)), "error")
        return redirect(back)
    flash(
        gettext(
            "Commitment #%(id)s: %(outcome)s per this readout (status %(status)s).",
            id=done.commitment.id,
            outcome=tr(done.outcome),
            status=tr(done.commitment.status),
        ),
        "info",
    )
    return redirect(back)
