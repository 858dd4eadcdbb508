"""Events: what deadlines hang on, their dates, and setting a date (which moves due dates), or
proposing one for a supervisor to decide when other desks' due dates would move with it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, ngettext
from flask_login import login_required
from werkzeug.wrappers import Response

from tracker.services.commitment_queries import event_commitments
from tracker.services.errors import InvalidInput, NotFound, ServiceError
from tracker.services.events import (
    date_event,
    decide_event_date,
    get_event,
    get_proposal,
    hanging_desk_ids,
    list_events,
    pending_proposals,
)
from tracker.services.permissions import can_decide_event_date, can_set_event_date, visible_commitment_ids
from web.auth import current_officer
from web.db import get_session, now
from web.helpers import parse_date, today
from web.i18n import said_text

bp = Blueprint("events", __name__)

# The moved due dates are shown on the page after the redirect; the session cookie holds a few.
MOVED_SHOWN = 40


@bp.route("/events")
@login_required
def index() -> str:
    proposed: dict[int, int] = {}
    for proposal in pending_proposals(get_session()):
        proposed[proposal.event_id] = proposed.get(proposal.event_id, 0) + 1
    summaries = list_events(get_session(), viewer=current_officer())
    return render_template("events/list.html", summaries=summaries, proposed=proposed)


@bp.route("/events/<int:event_id>")
@login_required
def detail(event_id: int) -> str:
    try:
        event = get_event(get_session(), event_id, viewer=current_officer())
    except NotFound:
        abort(404)
    moved = session.pop("moved_due_dates", None)
    if not moved or moved.get("event") != event_id:
        moved = None
    return render_template(
        "events/detail.html",
        event=event,
        commitments=event_commitments(get_session(), event_id, viewer=current_officer()),
        moved=moved,
        day=today(),
        proposals=pending_proposals(get_session(), event_id),
        can_set=can_set_event_date(current_officer(), hanging_desk_ids(get_session(), event)),
        can_decide=lambda proposal: can_decide_event_date(current_officer(), proposal),
    )


@bp.route("/events/<int:event_id>/date", methods=["POST"])
@login_required
def set_date(event_id: int) -> Response:
    """Set, change or clear the event's date; every due date hanging on it moves with it. An
    officer whose date would move other desks' due dates proposes it instead."""
    db = get_session()
    try:
        event = get_event(db, event_id, viewer=current_officer())
    except NotFound:
        abort(404)
    back = request.form.get("next") == "list"
    try:
        date = parse_date(request.form.get("date"), gettext("The event date"))
        outcome = date_event(db, event, date, by=current_officer(), now=now())
        # Every due date moves; the page names only what the officer may see (issue 19).
        shown = visible_commitment_ids(db, current_officer(), [m.commitment_id for m in outcome.moved])
        outcome.moved[:] = [m for m in outcome.moved if m.commitment_id in shown]
    except (InvalidInput, ServiceError) as exc:
        db.rollback()
        flash(gettext("Not changed: %(reason)s", reason=said_text(exc)), "error")
        return redirect(url_for("events.index") if back else url_for("events.detail", event_id=event_id))
    when = date.isoformat() if date else gettext("unknown")
    if outcome.proposal is not None:
        flash(
            gettext(
                "Proposed %(when)s for %(event)s: other desks' due dates hang on it, so a supervisor "
                "will decide. Nothing has moved yet.",
                when=when,
                event=event.name,
            ),
            "info",
        )
        return redirect(url_for("events.detail", event_id=event_id))
    moves = outcome.moved
    flash(
        ngettext(
            "%(event)s: date set to %(when)s. %(num)d due date moved.",
            "%(event)s: date set to %(when)s. %(num)d due dates moved.",
            len(moves),
            event=event.name,
            when=when,
        ),
        "info",
    )
    session["moved_due_dates"] = {
        "event": event_id,
        "total": len(moves),
        "rows": [
            [m.commitment_id, m.old.isoformat() if m.old else None, m.new.isoformat() if m.new else None]
            for m in moves[:MOVED_SHOWN]
        ],
    }
    return redirect(url_for("events.detail", event_id=event_id))


@bp.route("/events/proposals/<int:proposal_id>", methods=["POST"])
@login_required
def decide(proposal_id: int) -> Response:
    """A supervisor approves (the date is set, due dates move) or refuses a proposed date."""
    db = get_session()
    try:
        proposal = get_proposal(db, proposal_id)
    except NotFound:
        abort(404)
    event_id = proposal.event_id
    if not can_decide_event_date(current_officer(), proposal):
        abort(403)
    approve = request.form.get("decision") == "approve"
    try:
        moves = decide_event_date(
            db, proposal, by=current_officer(), approve=approve, note=request.form.get("note"), now=now()
        )
    except (InvalidInput, ServiceError) as exc:
        db.rollback()
        flash(gettext("Not decided: %(reason)s", reason=said_text(exc)), "error")
        return redirect(url_for("events.detail", event_id=event_id))
    if approve:
        flash(
            ngettext("Approved: %(num)d due date moved.", "Approved: %(num)d due dates moved.", len(moves)),
            "info",
        )
    else:
        flash(gettext("Refused: nothing changed."), "info")
    return redirect(url_for("events.detail", event_id=event_id))
