"""Events: the things deadlines hang on; setting a date moves the due dates that wait on it."""

from __future__ import annotations

from typing import Any

from flask import Response

from tracker.models import Event
from tracker.services.events import (
    EventSummary,
    MovedDueDate,
    date_event,
    decide_event_date,
    get_event,
    get_proposal,
    list_events,
    pending_proposals,
    proposal_to_dict,
)
from tracker.services.permissions import visible_commitment_ids
from web.api.blueprint import bp
from web.api.common import caller, check_id, json_body, json_response, load_fields
from web.api.schemas import (
    EventDateDecisionResultSchema,
    EventDateDecisionSchema,
    EventDateProposalListSchema,
    EventDateProposalSchema,
    EventDateResultSchema,
    EventDateSchema,
    EventListSchema,
    EventSchema,
)
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
    responses={
        200: ("The event and the commitments whose due dates moved.", EventDateResultSchema),
        202: ("Proposed, not set: other desks' due dates hang on the event.", EventDateProposalSchema),
    },
)
def put_event_date(event_id: int) -> Response:
    """Every commitment that hangs on the event becomes due at its date plus its offset; each
    move is recorded in that commitment's history as made by you. Supervisors and admins set any
    event's date; an officer sets it when only their own desk's commitments hang on it, and
    otherwise the date is stored as a proposal (202) for a supervisor to approve or refuse
    (`POST /event-date-proposals/{id}/decision`)."""
    session = get_session()
    event = get_event(session, check_id(event_id, "event"), viewer=caller())
    data = load_fields(EventDateSchema(), json_body())
    outcome = date_event(session, event, data["date"], by=caller(), now=now())
    if outcome.proposal is not None:
        return json_response(proposal_to_dict(outcome.proposal), status=202)
    # Every due date moves; the answer names only the commitments the caller may see (issue 19).
    moved = _visible(session, outcome.moved)
    return json_response({"event": _event(_summary_of(event)), "moved": _moved(moved)})


def _visible(session: Any, moved: list[MovedDueDate]) -> list[MovedDueDate]:
    shown = visible_commitment_ids(session, caller(), [m.commitment_id for m in moved])
    return [m for m in moved if m.commitment_id in shown]


def _moved(moved: list[MovedDueDate]) -> list[dict[str, Any]]:
    return [
        {
            "commitment_id": m.commitment_id,
            "old": m.old.isoformat() if m.old else None,
            "new": m.new.isoformat() if m.new else None,
        }
        for m in moved
    ]


@bp.get("/event-date-proposals")
@operation(
    summary="List proposed event dates",
    tag=TAG,
    responses={
        200: ("Proposed event dates waiting for a supervisor, oldest first.", EventDateProposalListSchema)
    },
)
def list_event_date_proposals() -> Response:
    """Dates proposed by officers whose date would move other desks' due dates."""
    return json_response({"items": [proposal_to_dict(p) for p in pending_proposals(get_session())]})


@bp.post("/event-date-proposals/<int:proposal_id>/decision")
@operation(
    summary="Approve or refuse a proposed event date",
    tag=TAG,
    body=EventDateDecisionSchema,
    errors=(403, 404),
    responses={
        200: ("The decided proposal, the event and the due dates that moved.", EventDateDecisionResultSchema)
    },
)
def post_event_date_decision(proposal_id: int) -> Response:
    """Supervisors and admins decide others' proposals: an approval sets the event's date (the
    due dates move, recorded as yours); refused when the date changed since it was proposed."""
    session = get_session()
    proposal = get_proposal(session, check_id(proposal_id, "proposed event date"))
    data = load_fields(EventDateDecisionSchema(), json_body())
    moved = decide_event_date(
        session, proposal, by=caller(), approve=data["approve"], note=data.get("note"), now=now()
    )
    moved = _visible(session, moved)
    return json_response(
        {
            "proposal": proposal_to_dict(proposal),
            "event": _event(_summary_of(proposal.event)),
            "moved": _moved(moved),
        }
    )
