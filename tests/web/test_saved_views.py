"""Saved views: an officer saves the list's filter under a name; it is in their navigation only."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.web.conftest import World, page_token
from tracker.models import SavedView

Client = Callable[[str], FlaskClient]


def _views(world: World) -> list[tuple[str, str]]:
    with world.session() as s:
        return [(v.name, v.query) for v in s.scalars(select(SavedView).order_by(SavedView.id))]


def test_a_saved_view_keeps_only_the_filter_and_is_in_my_navigation(client_for: Client, world: World) -> None:
    client = client_for("desk")
    token = page_token(client, "/commitments")
    response = client.post(
        "/commitments/views",
        data={
            "csrf_token": token,
            "name": "  My  overdue ",
            "query": "page=3&overdue=1&junk=x&sort=action&q=",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/commitments?overdue=1&sort=action"
    assert _views(world) == [("My overdue", "overdue=1&sort=action")]
    events = client.get("/events").get_data(as_text=True)
    assert '<nav aria-label="Saved views"' in events
    assert '<a href="/commitments?overdue=1&amp;sort=action">My overdue</a>' in events
    assert "My overdue" not in client_for("other").get("/events").get_data(as_text=True), "views are private"

    # The same name again replaces the view rather than adding a second one.
    client.post("/commitments/views", data={"csrf_token": token, "name": "My overdue", "query": "stale=1"})
    assert _views(world) == [("My overdue", "stale=1")]


def test_a_nameless_view_is_refused_and_only_my_own_view_can_be_deleted(
    client_for: Client, world: World
) -> None:
    client = client_for("desk")
    token = page_token(client, "/commitments")
    refused = client.post("/commitments/views", data={"csrf_token": token, "name": " ", "query": "overdue=1"})
    assert refused.status_code == 302 and _views(world) == []
    assert "give the view a name" in client.get("/commitments").get_data(as_text=True)

    client.post("/commitments/views", data={"csrf_token": token, "name": "Mine", "query": "overdue=1"})
    with world.session() as s:
        view_id = s.scalar(select(SavedView.id))
    other = client_for("other")
    other.post(
        "/commitments/views", data={"csrf_token": page_token(other, "/commitments"), "delete": str(view_id)}
    )
    assert _views(world) == [("Mine", "overdue=1")], "another officer cannot delete it"
    client.post("/commitments/views", data={"csrf_token": token, "delete": str(view_id)})
    with world.session() as s:
        assert s.scalar(select(func.count()).select_from(SavedView)) == 0
