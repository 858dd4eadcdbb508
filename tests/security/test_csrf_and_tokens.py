"""CSRF on every state-changing form, the API only with a bearer token, feeds only with a feed
token — each list generated from the app's URL map, so a new route is covered as it is added."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests.security.conftest import LOGGED_IN, Secured, snapshot
from tests.security.test_authorisation_matrix import request_for, routes
from tests.web.conftest import csrf_token
from tracker.models import ApiToken, TokenKind
from tracker.services.tokens import hash_token

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
PUBLIC_API = {"api.docs", "api.openapi_json"}


def _forms(app: Flask) -> list[tuple[str, str, str]]:
    """Every (endpoint, method, rule) outside the API that changes state."""
    return sorted(
        (endpoint, method, rule)
        for (endpoint, method), rule in routes(app).items()
        if method in STATE_CHANGING and not endpoint.startswith("api.")
    )


def _api(app: Flask) -> list[tuple[str, str, str]]:
    return sorted(
        (endpoint, method, rule)
        for (endpoint, method), rule in routes(app).items()
        if endpoint.startswith("api.") and endpoint not in PUBLIC_API
    )


def test_every_state_changing_form_refuses_a_request_without_a_valid_csrf_token(secured: Secured) -> None:
    forms = _forms(secured.app)
    assert len(forms) >= 20, "the list comes from the URL map"
    before = snapshot(secured.factory)
    for role in ("anonymous", "desk", "admin"):
        client = secured.clients[role]
        for endpoint, method, rule in forms:
            url, kwargs = request_for(secured, endpoint, method, rule, role)
            data = dict(kwargs.get("data", {}))
            for bad in (None, "not-a-token", data.get("csrf_token", "") + "x"):
                sent = {k: v for k, v in data.items() if k != "csrf_token"}
                if bad is not None:
                    sent["csrf_token"] = bad
                response = client.open(url, method=method, data=sent)
                assert response.status_code == 400, (role, endpoint, bad, response.status_code)
                assert "Form expired" in response.get_data(as_text=True), endpoint
    assert snapshot(secured.factory) == before, "a refused form changed stored data"


def test_a_token_from_another_session_is_refused(secured: Secured) -> None:
    # A CSRF token is bound to the session it was issued to: the attacker's own does not do.
    attacker = secured.app.test_client()
    token = csrf_token(attacker.get("/login").get_data(as_text=True))
    cid = secured.world.commitment_ids[0]
    response = secured.clients["desk"].post(
        f"/commitments/{cid}",
        data={"csrf_token": token, "status": "done", "note": "forged", "version": "1"},
    )
    assert response.status_code == 400


def test_the_api_never_accepts_the_session_cookie(secured: Secured) -> None:
    endpoints = _api(secured.app)
    assert len(endpoints) >= 8
    before = snapshot(secured.factory)
    for role in LOGGED_IN:
        client = secured.clients[role]  # holds a logged-in session cookie
        for endpoint, method, rule in endpoints:
            url, kwargs = request_for(secured, endpoint, method, rule, role)
            headers = {k: v for k, v in kwargs.get("headers", {}).items() if k != "Authorization"}
            for auth in (None, "Basic ZGVzazpwdw==", "Bearer", "Bearer " + "x" * 43, "Cookie session"):
                sent = dict(headers)
                if auth is not None:
                    sent["Authorization"] = auth
                response = client.open(url, method=method, headers=sent, json=kwargs.get("json"))
                assert response.status_code == 401, (role, endpoint, auth, response.status_code)
                assert response.mimetype == "application/problem+json"
    assert snapshot(secured.factory) == before


def test_tokens_are_stored_hashed_and_each_kind_opens_only_its_door(secured: Secured) -> None:
    with secured.factory() as session:
        stored = {t.token_hash for t in session.scalars(select(ApiToken))}
    for token in [*secured.api_tokens.values(), *secured.feed_tokens.values()]:
        assert token not in stored and hash_token(token) in stored
        assert all(token not in h for h in stored)
    client = secured.app.test_client()
    feed, api = secured.feed_tokens["desk"], secured.api_tokens["desk"]
    assert client.get(f"/feeds/{feed}.ics").status_code == 200
    assert client.get(f"/feeds/{api}.ics").status_code == 404, "an API token is not a feed token"
    headers = {"Authorization": f"Bearer {feed}"}
    assert client.get("/api/v1/commitments", headers=headers).status_code == 401, "nor the reverse"
    assert client.get("/api/v1/commitments", headers={"Authorization": f"Bearer {api}"}).status_code == 200


def test_revoked_tokens_stop_working_at_once(secured: Secured) -> None:
    desk = secured.clients["desk"]
    client = secured.app.test_client()
    api = {"Authorization": f"Bearer {secured.api_tokens['desk']}"}
    feed = f"/feeds/{secured.feed_tokens['desk']}.ics"
    with secured.factory() as session:
        ids = {
            t.kind: t.id
            for t in session.scalars(
                select(ApiToken).where(
                    ApiToken.token_hash.in_(
                        [hash_token(secured.api_tokens["desk"]), hash_token(secured.feed_tokens["desk"])]
                    )
                )
            )
        }
    token = csrf_token(desk.get("/settings/tokens").get_data(as_text=True))
    for kind in (TokenKind.API, TokenKind.FEED):
        response = desk.post("/settings/tokens/revoke", data={"csrf_token": token, "token_id": ids[kind]})
        assert response.status_code == 303
    assert client.get("/api/v1/commitments", headers=api).status_code == 401
    assert client.get(feed).status_code == 404
    # The page lists them as revoked and never shows a token or its hash again.
    page = desk.get("/settings/tokens").get_data(as_text=True)
    with secured.factory() as session:
        hashes = list(session.scalars(select(ApiToken.token_hash)))
    assert all(h not in page for h in hashes)
    assert secured.api_tokens["desk"] not in page and secured.feed_tokens["desk"] not in page
