"""Settings → API tokens: officers make and revoke their own tokens and feed URL, with CSRF."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import BASE_URL, World


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "every form carries a CSRF token"
    return match.group(1)


@pytest.fixture
def client(world: World) -> FlaskClient:
    return world.logged_in("desk@example.org")


def test_the_page_needs_a_login(world: World) -> None:
    response = world.app.test_client().get("/settings/tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_new_api_token_is_shown_once_and_works(client: FlaskClient, world: World) -> None:
    page = client.get("/settings/tokens")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    response = client.post(
        "/settings/tokens/api",
        data={"name": "reporting script", "csrf_token": _csrf(page.get_data(as_text=True))},
    )
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    token = re.search(r'id="new-token"[^>]*value="([^"]+)"', html)
    assert token and "reporting script" in html
    api = world.app.test_client()
    assert (
        api.get("/api/v1/commitments", headers={"Authorization": f"Bearer {token.group(1)}"}).status_code
        == 200
    )
    # Shown once: the next visit lists the token by name only.
    again = client.get("/settings/tokens").get_data(as_text=True)
    assert token.group(1) not in again and "reporting script" in again


def test_revoking_a_token_stops_it(client: FlaskClient, world: World) -> None:
    html = client.get("/settings/tokens").get_data(as_text=True)
    token_id = re.search(r'name="token_id" value="(\d+)"', html)
    assert token_id, "the fixture's desk token is listed"
    response = client.post(
        "/settings/tokens/revoke", data={"token_id": token_id.group(1), "csrf_token": _csrf(html)}
    )
    assert response.status_code == 303
    assert "Revoked" in client.get(response.headers["Location"]).get_data(as_text=True)
    api = world.app.test_client()
    denied = api.get("/api/v1/commitments", headers={"Authorization": f"Bearer {world.tokens['desk']}"})
    assert denied.status_code == 401


def test_nobody_revokes_another_officers_token(client: FlaskClient, world: World) -> None:
    html = client.get("/settings/tokens").get_data(as_text=True)
    # The colleague's token was made second in the fixture, so its id is the desk token's + 1.
    own = int(re.search(r'name="token_id" value="(\d+)"', html).group(1))  # type: ignore[union-attr]
    response = client.post(
        "/settings/tokens/revoke", data={"token_id": str(own + 1), "csrf_token": _csrf(html)}
    )
    assert response.status_code == 404
    api = world.app.test_client()
    ok = api.get("/api/v1/commitments", headers={"Authorization": f"Bearer {world.tokens['colleague']}"})
    assert ok.status_code == 200


def test_the_feed_url_is_made_replaced_and_turned_off(client: FlaskClient, world: World) -> None:
    html = client.get("/settings/tokens").get_data(as_text=True)
    assert "no active feed" in html
    first = client.post("/settings/tokens/feed", data={"csrf_token": _csrf(html)}).get_data(as_text=True)
    first_url = re.search(r'id="new-feed"[^>]*value="([^"]+)"', first).group(1)  # type: ignore[union-attr]
    assert first_url.startswith(f"{BASE_URL}/feeds/") and first_url.endswith(".ics")
    feed = world.app.test_client()
    assert feed.get(first_url.removeprefix(BASE_URL)).status_code == 200

    second = client.post("/settings/tokens/feed", data={"csrf_token": _csrf(first)}).get_data(as_text=True)
    second_url = re.search(r'id="new-feed"[^>]*value="([^"]+)"', second).group(1)  # type: ignore[union-attr]
    assert feed.get(first_url.removeprefix(BASE_URL)).status_code == 404
    assert feed.get(second_url.removeprefix(BASE_URL)).status_code == 200

    feed_id = re.findall(r'name="token_id" value="(\d+)"', second)[-1]
    client.post("/settings/tokens/revoke", data={"token_id": feed_id, "csrf_token": _csrf(second)})
    assert feed.get(second_url.removeprefix(BASE_URL)).status_code == 404


@pytest.mark.parametrize("path", ["/settings/tokens/api", "/settings/tokens/feed", "/settings/tokens/revoke"])
def test_every_form_needs_its_csrf_token(client: FlaskClient, path: str) -> None:
    response = client.post(path, data={"name": "x", "token_id": "1"})
    assert response.status_code == 400
