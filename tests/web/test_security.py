"""Security designed in: headers, CSRF, escaped hostile text, friendly error pages without traces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import ingest
from tests.web.conftest import World, page_token
from tracker.models import Desk, Officer
from web.security import reveal_hidden

Client = Callable[[str], FlaskClient]

HOSTILE = (
    "Hostile <script>alert('title')</script> Meeting\n\n"
    "On May 1, the ministers met.\n"
    "1. The two ministers confirmed that Japan and France will <img src=x onerror=alert(1)> cooperate "
    "closely on \u202egnp.exe\u202c matters\u200b before the G7 Summit.\n"
    "2. Minister said <b>bold</b> things.\n"
)


def test_security_headers_on_pages_and_errors(client_for: Client, app: Flask) -> None:
    client = client_for("desk")
    for path in ("/", "/login", "/no-such-page", "/static/tracker.css"):
        with client.get(path) as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_samesite(app: Flask) -> None:
    client = app.test_client()
    client.get("/login")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_every_state_changing_route_needs_csrf(client_for: Client, world: World, app: Flask) -> None:
    client = client_for("admin")
    cid = world.commitment_ids[0]
    for path in (
        f"/commitments/{cid}",
        "/commitments/bulk",
        "/readouts/new",
        "/readouts/review",
        "/settings",
        "/admin/officers",
        "/admin/desks",
        "/logout",
    ):
        response = client.post(path, data={"note": "x", "status": "done", "version": "1"})
        assert response.status_code == 400, path
        assert "Form expired" in response.get_data(as_text=True)


def test_hostile_readout_text_is_escaped_and_hidden_characters_shown(
    client_for: Client, world: World
) -> None:
    with world.session() as s, s.begin():
        by = s.get(Officer, world.ids["desk"])
        readout = ingest(s, HOSTILE, dt.date(2018, 5, 1), by=by)
        readout_id = readout.id
        cid = readout.points[0].commitments[0].id if readout.points[0].commitments else None
    client = client_for("desk")
    pages = [client.get(f"/readouts/{readout_id}"), client.get("/readouts"), client.get("/commitments")]
    if cid is not None:
        pages.append(client.get(f"/commitments/{cid}"))
    for response in pages:
        html = response.get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold</b>" not in html
        assert "\u202e" not in html and "\u200b" not in html
    detail = pages[0].get_data(as_text=True)
    assert "&lt;script&gt;alert(" in detail
    assert "&lt;img src=x onerror=alert(1)&gt;" in detail
    assert "⟨U+202E⟩gnp.exe⟨U+202C⟩" in detail
    # The ingest preview escapes too.
    token = page_token(client, "/readouts/new")
    preview = client.post(
        "/readouts/new",
        data={"csrf_token": token, "text": HOSTILE + "3. More.\n", "meeting_date": "2018-05-01"},
    ).get_data(as_text=True)
    assert "<script>alert" not in preview and "&lt;script&gt;" in preview


def test_reveal_hidden_names_each_invisible_character() -> None:
    assert reveal_hidden("a\u202eb\u2066c\u200dd\ufeff") == "a⟨U+202E⟩b⟨U+2066⟩c⟨U+200D⟩d⟨U+FEFF⟩"
    assert reveal_hidden("plain, 日本語 and Ελληνικά") == "plain, 日本語 and Ελληνικά"


def test_friendly_404_and_json_for_the_api(client_for: Client) -> None:
    client = client_for("desk")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Not found" in page and "Back to the dashboard" in page
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.is_json


@pytest.fixture
def failing_app(world: World, app: Flask) -> Flask:
    """The app with one route that writes and then fails, as an unexpected bug would."""

    def explode() -> str:
        from web.db import get_session

        get_session().add(Desk(name="Half-written desk"))
        get_session().flush()
        raise RuntimeError("secret internals: /etc/tracker.conf line 12")

    app.add_url_rule("/explode", "explode", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_a_server_error_is_friendly_shows_no_trace_and_writes_nothing(
    failing_app: Flask, world: World
) -> None:
    response = failing_app.test_client().get("/explode")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page and "nothing was saved" in page
    assert "secret internals" not in page and "Traceback" not in page and "RuntimeError" not in page
    with world.session() as s:
        assert s.scalar(select(func.count()).select_from(Desk).where(Desk.name == "Half-written desk")) == 0


def test_login_redirects_only_to_this_site(app: Flask, world: World) -> None:
    from tests.web.conftest import csrf_token

    for target, expected in (
        ("/commitments", "/commitments"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
    ):
        client = app.test_client()
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post(
            f"/login?next={target}",
            data={"email": world.emails["desk"], "password": "correct horse battery", "csrf_token": token},
        )
        assert response.headers["Location"] == expected, target
