"""Saved views: an officer saves the list's filter under a name; it is in their navigation only."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.web.conftest import World, page_token
from tests.web.forms import form_fields
from tracker.models import Commitment, SavedView

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


def test_a_saved_view_can_be_my_dashboard(client_for: Client, world: World) -> None:
    client = client_for("desk")
    token = page_token(client, "/commitments")
    client.post(
        "/commitments/views", data={"csrf_token": token, "name": "Korea", "query": "party=Republic+of+Korea"}
    )
    client.post("/commitments/views", data={"csrf_token": token, "name": "Done", "query": "status=done"})
    with world.session() as s:
        korea = s.scalar(select(SavedView.id).where(SavedView.name == "Korea"))
        korea_ids = [
            c.id for c in s.scalars(select(Commitment)) if "Republic of Korea" in {p.name for p in c.parties}
        ]
    assert korea_ids, "the sample readout has commitments with the Republic of Korea"
    settings = client.get("/settings").get_data(as_text=True)
    assert '<option value="">The standard dashboard</option>' in settings
    assert f'<option value="{korea}">Saved view: Korea</option>' in settings

    fields = form_fields(settings, "/settings")
    fields["dashboard_view"] = str(korea)
    assert client.post("/settings", data=fields).status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "<h1>Dashboard: Korea</h1>" in page
    shown = [int(i) for i in re.findall(r'<td><a href="/commitments/(\d+)">', page)]
    assert sorted(shown) == sorted(korea_ids)
    assert 'href="/commitments?party=Republic+of+Korea"' in page
    standard = client.get("/?standard=1").get_data(as_text=True)
    assert "<h1>Dashboard</h1>" in standard and "Your dashboard is one of your saved views" in standard
    # Views are private: another officer's dashboard is theirs, and my view id is not theirs to choose.
    assert "<h1>Dashboard</h1>" in client_for("other").get("/").get_data(as_text=True)
    other = client_for("other")
    theirs = form_fields(other.get("/settings").get_data(as_text=True), "/settings")
    theirs["dashboard_view"] = str(korea)
    refused = other.post("/settings", data=theirs)
    assert refused.status_code == 400 and "choose the dashboard from your saved views" in refused.get_data(
        as_text=True
    )
    # Back to the standard dashboard; deleting the view does the same.
    fields["dashboard_view"] = ""
    client.post("/settings", data=fields)
    assert "<h1>Dashboard</h1>" in client.get("/").get_data(as_text=True)
    fields["dashboard_view"] = str(korea)
    client.post("/settings", data=fields)
    client.post("/commitments/views", data={"csrf_token": token, "delete": str(korea)})
    assert "<h1>Dashboard</h1>" in client.get("/").get_data(as_text=True)
