"""Events: the things deadlines hang on; setting a date moves the due dates that wait on it."""

from __future__ import annotations

from typing import Any

from flask import Response

from tracker.models import Event
from tracker.services.events import EventSummary, get_event, list_events, set_event_date
from tracker.services.permissions import visible_commitment_ids
from web.api.blueprint import bp
from web.api.common import caller, check_id, json_body, json_response, load_fields
from web.api.schemas import EventDateResultSchema, EventDateSchema, EventListSchema, EventSchema
from web.api.spec import operation
from web.db import get_session, now

TAG = "Events"


def _event(summary: EventSummary) -> dict[str, Any]:
    e = summary.event
    return {
        "id": e.id,
        "name": e.name,
        "aliases": list(e.aliases or []),
        "date": e.date.isoformat() if e.date else None,
        "waiting_open": summary.waiting_open,
        "open_total": summary.open_total,
    }


def _summary_of(event: Event) -> EventSummary:
    for summary in list_events(get_session(), viewer=caller()):
        if summary.event.id == event.id:
            return summary
    return EventSummary(event, 0, 0)


@bp.get("/events")
@operation(
    summary="List events",
    tag=TAG,
    responses={200: ("Every event: dated ones by date, then those whose date is unknown.", EventListSchema)},
)
def list_events_() -> Response:
    """With how many active commitments hang on each and how many wait on its date."""
    return json_response({"items": [_event(s) for s in list_events(get_session(), viewer=caller())]})


@bp.get("/events/<int:event_id>")
@operation(summary="Get an event", tag=TAG, responses={200: ("The event.", EventSchema)})
def get_event_(event_id: int) -> Response:
    """One event with its counts."""
    event = get_event(get_session(), check_id(event_id, "event"), viewer=caller())
    return json_response(_event(_summary_of(event)))


@bp.put("/events/<int:event_id>/date")
@operation(
    summary="Set or clear an event's date",
    tag=TAG,
    body=EventDateSchema,
    errors=(404,),
    responses={200: ("The event and the commitments whose due dates moved.", EventDateResultSchema)},
)
def put_event_date(event_id: int) -> Response:
    """Every commitment that hangs on the event becomes due at its date plus its offset; each
    move is recorded in that commitment's history as made by you."""
    session = get_session()
    event = get_event(session, check_id(event_id, "event"), viewer=caller())
    data = load_fields(EventDateSchema(), json_body())
    moved = set_event_date(session, event.name, data["date"], by=caller(), now=now())
    # Every due date moves; the answer names only the commitments the caller may see (issue 19).
    shown = visible_commitment_ids(session, caller(), [m.commitment_id for m in moved])
    moved = [m for m in moved if m.commitment_id in shown]
    return json_response(
        {
            "event": _event(_summary_of(event)),
            "moved": [
                {
                    "commitment_id": m.commitment_id,
                    "old": m.old.isoformat() if m.old else None,
                    "new": m.new.isoformat() if m.new else None,
                }
                for m in moved
            ],
        }
    )
