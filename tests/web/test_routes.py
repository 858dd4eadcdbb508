"""Every page route of the app, from its own URL map, for every role: so a new route cannot be forgotten.

Each GET page is also checked for what every page owes its reader: a title, one h1, a label for
every field, a CSRF token in every POST form, and no inline script, style or event handler (the
Content-Security-Policy would block them).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.web.conftest import World, page_token
from tracker.models import Desk, Event

Client = Callable[[str], FlaskClient]
# Blueprints of other areas test their own routes (the JSON API, feeds, tokens, compliance reports).
OTHER_AREAS = ("static", "api", "feeds", "tokens", "compliance")
ADMIN_ONLY = "admin."
ROLES = ("desk", "other", "supervisor", "admin")


def _values(world: World) -> dict[str, int]:
    with world.session() as s:
        return {
            "commitment_id": world.commitment_ids[0],
            "readout_id": world.readout_id,
            "event_id": s.scalar(select(Event.id).limit(1)) or 0,
            "officer_id": world.ids["desk"],
            "desk_id": s.scalar(select(Desk.id).limit(1)) or 0,
            "digest_id": 1,
            "request_id": 1,  # an extension request (issue 17)
            "link_id": 1,  # a link between readouts of one meeting (issue 17)
            "proposal_id": 1,  # a proposed event date (issue 19)
        }


def _routes(app: Flask, method: str) -> list[tuple[str, str]]:
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in OTHER_AREAS or method not in (rule.methods or ()):
            continue
        rules.append((rule.endpoint, rule.rule))
    return sorted(rules)


def _url(rule: str, values: dict[str, int]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule)


def test_anonymous_visitors_are_sent_to_log_in(app: Flask, world: World) -> None:
    values = _values(world)
    client = app.test_client()
    token = page_token(client, "/login")
    requests = [("GET", e, r) for e, r in _routes(app, "GET")] + [
        ("POST", e, r) for e, r in _routes(app, "POST")
    ]
    for method, endpoint, rule in requests:
        if endpoint == "auth.login":
            continue
        url = _url(rule, values)
        response = client.post(url, data={"csrf_token": token}) if method == "POST" else client.get(url)
        assert response.status_code == 302, (endpoint, url, response.status_code)
        assert response.headers["Location"].startswith("/login"), endpoint


def test_every_page_for_every_role(client_for: Client, app: Flask, world: World) -> None:
    values = _values(world)
    gets = [(e, r) for e, r in _routes(app, "GET") if e != "auth.login"]
    assert len(gets) >= 15, "the page list comes from the app itself"
    for role in ROLES:
        client = client_for(role)
        for endpoint, rule in gets:
            url = _url(rule, values)
            response = client.get(url)
            if endpoint.startswith(ADMIN_ONLY) and role != "admin":
                assert response.status_code == 403, (role, url)
            elif endpoint == "admin.index":
                assert response.status_code == 302, (role, url)
            else:
                assert response.status_code in (200, 302), (role, url, response.status_code)
            response.close()


def test_every_page_is_labelled_titled_and_free_of_inline_code(
    client_for: Client, app: Flask, world: World
) -> None:
    values = _values(world)
    client = client_for("admin")
    pages = {"/login": app.test_client().get("/login").get_data(as_text=True)}
    for endpoint, rule in _routes(app, "GET"):
        if endpoint in ("auth.login", "admin.index", "commitments.export"):
            continue
        url = _url(rule, values)
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)
    for url, html in pages.items():
        assert re.search(r"<title>[^<]*\S[^<]* · Commitment tracker</title>", html), url
        assert len(re.findall(r"<h1[ >]", html)) == 1, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script on {url}"
        assert not re.search(r"\sstyle=", html), f"inline style on {url}"
        assert not re.search(r"<[^>]+\son[a-z]+=", html), f"inline event handler on {url}"
        assert "<style" not in html, url
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S):
            assert 'name="csrf_token"' in form, f"a POST form without CSRF token on {url}"
        labels = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if re.search(r'type="(?:hidden|submit|button)"', tag):
                continue
            field_id = re.search(r'\bid="([^"]+)"', tag)
            labelled = (field_id and field_id.group(1) in labels) or "aria-label=" in tag
            # A field inside its <label> is labelled too.
            if not labelled:
                labelled = bool(re.search(r"<label[^>]*>[^<]*" + re.escape(tag), html))
            assert labelled, f"unlabelled field on {url}: {tag}"


def test_a_deactivated_officer_cannot_get_in(app: Flask, world: World) -> None:
    from tests.web.conftest import csrf_token

    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"email": world.emails["gone"], "password": "correct horse battery", "csrf_token": token},
    )
    assert response.status_code == 200 and "Email or password is not right." in response.get_data(
        as_text=True
    )
    assert client.get("/").status_code == 302
