"""Events: what deadlines hang on, their dates, and setting a date (which moves due dates)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from tracker.services.commitment_queries import event_commitments
from tracker.services.errors import InvalidInput, NotFound, ServiceError
from tracker.services.events import get_event, list_events, set_event_date
from tracker.services.permissions import visible_commitment_ids
from web.auth import current_officer
from web.db import get_session, now
from web.helpers import parse_date, today

bp = Blueprint("events", __name__)

# The moved due dates are shown on the page after the redirect; the session cookie holds a few.
MOVED_SHOWN = 40


@bp.route("/events")
@login_required
def index() -> str:
    return render_template("events/list.html", summaries=list_events(get_session(), viewer=current_officer()))


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
    )


@bp.route("/events/<int:event_id>/date", methods=["POST"])
@login_required
def set_date(event_id: int) -> Response:
    """Set, change or clear the event's date; every due date hanging on it moves with it."""
    db = get_session()
    try:
        event = get_event(db, event_id, viewer=current_officer())
    except NotFound:
        abort(404)
    back = request.form.get("next") == "list"
    try:
        date = parse_date(request.form.get("date"), "The event date")
        moves = set_event_date(db, event.name, date, by=current_officer(), now=now())
        # Every due date moves; the page names only what the officer may see (issue 19).
        shown = visible_commitment_ids(db, current_officer(), [m.commitment_id for m in moves])
        moves = [m for m in moves if m.commitment_id in shown]
    except (InvalidInput, ServiceError) as exc:
        db.rollback()
        flash(f"Not changed: {exc}", "error")
        return redirect(url_for("events.index") if back else url_for("events.detail", event_id=event_id))
    when = date.isoformat() if date else "unknown"
    flash(
        f"{event.name}: date set to {when}. {len(moves)} due date{'s' if len(moves) != 1 else ''} moved.",
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
