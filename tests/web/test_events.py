"""Events: the list with waiting counts, and setting a date that moves due dates (with history)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.web.conftest import World, csrf_token, page_token
from tracker.models import Commitment, Event, EventDateProposal, StatusChange

Client = Callable[[str], FlaskClient]
SUMMIT = "U.S.-North Korea Summit Meeting"


def _summit_id(world: World) -> int:
    with world.session() as s:
        event_id = s.scalar(select(Event.id).where(Event.name == SUMMIT))
    assert event_id is not None
    return event_id


def test_the_list_shows_events_and_how_many_wait(client_for: Client, world: World) -> None:
    page = client_for("desk").get("/events").get_data(as_text=True)
    assert SUMMIT in page and "not known yet" in page
    assert "<strong>2 waiting</strong>" in page
    assert f'<label class="visually-hidden" for="date-{_summit_id(world)}">Date of {SUMMIT}</label>' in page


def test_setting_the_date_moves_due_dates_and_shows_which(client_for: Client, world: World) -> None:
    event_id = _summit_id(world)
    client = client_for("desk")
    token = page_token(client, "/events")
    response = client.post(f"/events/{event_id}/date", data={"csrf_token": token, "date": "2018-06-12"})
    assert response.status_code == 302 and response.headers["Location"] == f"/events/{event_id}"
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "date set to 2018-06-12. 2 due dates moved." in page
    assert "Due dates that moved (2)" in page
    point5 = world.commitment_ids[3]
    assert f'href="/commitments/{point5}">#{point5}</a></td><td>—</td><td><strong>2018-06-19</strong>' in page
    with world.session() as s:
        c = s.get(Commitment, point5)
        assert c is not None and c.due_date == dt.date(2018, 6, 19)
        history = s.scalars(select(StatusChange).where(StatusChange.commitment_id == point5)).all()
        assert [(h.field, h.new_value, h.officer_id) for h in history] == [
            ("due_date", "2018-06-19", world.ids["desk"])
        ]
    # The moved list is shown once, not on every later visit.
    assert "Due dates that moved" not in client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "2018-06-19" in client.get(f"/commitments/{point5}").get_data(as_text=True)


def test_clearing_the_date_and_a_bad_date(client_for: Client, world: World) -> None:
    event_id = _summit_id(world)
    client = client_for("desk")
    token = page_token(client, "/events")
    client.post(f"/events/{event_id}/date", data={"csrf_token": token, "date": "2018-06-12"})
    client.post(f"/events/{event_id}/date", data={"csrf_token": token, "date": ""})
    with world.session() as s:
        assert s.get(Event, event_id).date is None  # type: ignore[union-attr]
    response = client.post(
        f"/events/{event_id}/date", data={"csrf_token": token, "date": "next week", "next": "list"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/events"
    assert "Not changed: The event date must be a date" in client.get("/events").get_data(as_text=True)


def test_an_unknown_event_is_404(client_for: Client) -> None:
    client = client_for("desk")
    assert client.get("/events/99999").status_code == 404
    token = page_token(client, "/events")
    assert client.post("/events/99999/date", data={"csrf_token": token, "date": ""}).status_code == 404


def test_another_desks_date_is_a_proposal_a_supervisor_approves_or_refuses(
    client_for: Client, world: World
) -> None:
    """Issue 19: only the NA desk's commitments hang on the summit, so an officer of the Europe
    desk cannot move them; their date waits for a supervisor on the event's page."""
    event_id = _summit_id(world)
    other = client_for("other")
    assert "Propose date" in other.get(f"/events/{event_id}").get_data(as_text=True)
    assert "Set date" in client_for("desk").get(f"/events/{event_id}").get_data(as_text=True)
    token = page_token(other, "/events")
    response = other.post(f"/events/{event_id}/date", data={"csrf_token": token, "date": "2018-06-12"})
    assert response.status_code == 302
    page = other.get(f"/events/{event_id}").get_data(as_text=True)
    assert "Proposed 2018-06-12 for" in page and "a supervisor will decide" in page
    assert "1 proposed date waiting" in other.get("/events").get_data(as_text=True)
    with world.session() as s:
        assert s.get_one(Event, event_id).date is None
        assert s.scalar(select(Commitment.due_date).where(Commitment.id == world.commitment_ids[3])) is None
        proposal_id = s.scalar(select(EventDateProposal.id).where(EventDateProposal.event_id == event_id))
    assert proposal_id is not None
    # Officers see the proposal but no buttons; a supervisor approves it.
    assert f'action="/events/proposals/{proposal_id}"' not in page
    supervisor = client_for("supervisor")
    page = supervisor.get(f"/events/{event_id}").get_data(as_text=True)
    assert f'action="/events/proposals/{proposal_id}"' in page
    token = csrf_token(page)
    assert (
        other.post(
            f"/events/proposals/{proposal_id}",
            data={"csrf_token": page_token(other, "/events"), "decision": "approve"},
        ).status_code
        == 403
    )
    response = supervisor.post(
        f"/events/proposals/{proposal_id}", data={"csrf_token": token, "decision": "approve"}
    )
    assert response.status_code == 302
    with world.session() as s:
        assert s.get_one(Event, event_id).date == dt.date(2018, 6, 12)
        history = s.scalars(
            select(StatusChange).where(StatusChange.commitment_id == world.commitment_ids[3])
        ).all()
        assert [(h.new_value, h.officer_id) for h in history] == [("2018-06-19", world.ids["supervisor"])]
    # A second proposal, refused: nothing moves.
    other.post(f"/events/{event_id}/date", data={"csrf_token": page_token(other, "/events"), "date": ""})
    with world.session() as s:
        second = s.scalar(select(func.max(EventDateProposal.id)))
    supervisor.post(
        f"/events/proposals/{second}",
        data={"csrf_token": page_token(supervisor, "/events"), "decision": "refuse", "note": "not yet"},
    )
    with world.session() as s:
        assert s.get_one(Event, event_id).date == dt.date(2018, 6, 12)
        assert s.get_one(EventDateProposal, second).state.value == "refused"
