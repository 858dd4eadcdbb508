"""Who may do what, for every route of the app, generated from its own URL map.

Every (endpoint, method) in `app.url_map` must have a row in EXPECT, so a new route without a
decision about who may use it fails this test. Each row says what each of six callers gets:
anonymous, an officer of the desk that owns the seed readout's commitments, an officer of another
desk, a supervisor, an admin, and an officer deactivated after logging in (whose cookie and
tokens must stop working). Requests carry real form data and a valid CSRF token, so a refusal
is the role rule speaking and not a malformed request; web calls carry the role's session cookie,
API calls its bearer token, feed calls its feed token.

"Never more": every request that is refused, and every read, is checked to leave the database
exactly as it was (every row of every table), not just to answer with the right status.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from tests.security.conftest import LOGGED_IN, ROLES, Secured, Unchanged, snapshot
from tests.web.conftest import EU_DESK, NA_DESK, csrf_token
from tests.web.forms import form_fields
from tracker.models import Commitment, Event, Officer

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Expect:
    status: int
    # For redirects: where to. "/login" is Flask-Login sending an anonymous caller away.
    location: str | None = None
    # Whether the request may change stored data; when False the database must be unchanged.
    writes: bool = False


OK = Expect(200)
LOGIN = Expect(302, "/login")
FORBIDDEN = Expect(403)
NOT_FOUND = Expect(404)
UNAUTHORISED = Expect(401)
DONE = Expect(302, writes=True)  # a change accepted, then the usual redirect
DONE_200 = Expect(200, writes=True)  # a change accepted, answered with a page or JSON
CREATED = Expect(201, writes=True)
NOT_CHANGED = Expect(302)  # the form is handled, nothing is changed (the page says why)
ANON = ("anonymous", "gone")


def roles(anon: Expect, **by_role: Expect) -> dict[str, Expect]:
    """`anon` for the anonymous and the deactivated caller; the named roles as given."""
    table = dict.fromkeys(ANON, anon)
    table.update(by_role)
    assert set(table) == set(ROLES), f"missing roles: {set(ROLES) - set(table)}"
    return table


def everyone(expect: Expect) -> dict[str, Expect]:
    return dict.fromkeys(ROLES, expect)


def page() -> dict[str, Expect]:
    """A page for anyone logged in (officers read everything)."""
    return roles(LOGIN, **dict.fromkeys(LOGGED_IN, OK))


def admin_page() -> dict[str, Expect]:
    return roles(LOGIN, desk=FORBIDDEN, other=FORBIDDEN, supervisor=FORBIDDEN, admin=OK)


def admin_action() -> dict[str, Expect]:
    return roles(LOGIN, desk=FORBIDDEN, other=FORBIDDEN, supervisor=FORBIDDEN, admin=DONE)


def desk_change(done: Expect = DONE, refused: Expect = FORBIDDEN) -> dict[str, Expect]:
    """Changing a commitment of the NA desk: its officers, supervisors and admins; not another desk."""
    return roles(LOGIN, desk=done, other=refused, supervisor=done, admin=done)


def any_officer(done: Expect) -> dict[str, Expect]:
    return roles(LOGIN, **dict.fromkeys(LOGGED_IN, done))


def api(done: Expect = OK) -> dict[str, Expect]:
    return roles(UNAUTHORISED, **dict.fromkeys(LOGGED_IN, done))


EXPECT: dict[tuple[str, str], dict[str, Expect]] = {
    # Public: the login page, the app's own assets, the API's description.
    ("auth.login", "GET"): everyone(OK),
    ("auth.login", "POST"): everyone(OK),  # wrong password (or a deactivated account): the form again
    ("static", "GET"): everyone(OK),
    ("compliance.css", "GET"): everyone(OK),
    ("api.docs", "GET"): everyone(OK),
    ("api.openapi_json", "GET"): everyone(OK),
    # Only with a valid feed token: an unknown one and a deactivated officer's lead nowhere.
    ("feeds.feed", "GET"): roles(NOT_FOUND, **dict.fromkeys(LOGGED_IN, OK)),
    # Pages: anyone logged in reads everything.
    ("dashboard.index", "GET"): page(),
    ("readouts.index", "GET"): page(),
    ("readouts.detail", "GET"): page(),
    ("readouts.new", "GET"): page(),
    ("commitments.index", "GET"): page(),
    ("commitments.detail", "GET"): page(),
    ("commitments.export", "GET"): page(),
    ("events.index", "GET"): page(),
    ("events.detail", "GET"): page(),
    ("account.settings_page", "GET"): page(),
    ("account.digest_preview", "GET"): page(),
    ("tokens.index", "GET"): page(),
    ("compliance.reports", "GET"): page(),
    ("compliance.chart", "GET"): page(),
    ("compliance.report_csv", "GET"): page(),
    ("compliance.brief", "GET"): page(),
    ("compliance.brief_pdf", "GET"): page(),
    ("compliance.brief_docx", "GET"): page(),
    ("compliance.reaffirmations", "GET"): page(),
    # Administration: admins only.
    ("admin.index", "GET"): roles(
        LOGIN, desk=FORBIDDEN, other=FORBIDDEN, supervisor=FORBIDDEN, admin=Expect(302, "/admin/officers")
    ),
    ("admin.officers", "GET"): admin_page(),
    ("admin.officer", "GET"): admin_page(),
    ("admin.desks", "GET"): admin_page(),
    ("admin.digests", "GET"): admin_page(),
    ("admin.add_officer", "POST"): admin_action(),
    ("admin.update_officer", "POST"): admin_action(),
    ("admin.reset_password", "POST"): admin_action(),
    ("admin.set_active", "POST"): admin_action(),
    ("admin.add_desk", "POST"): admin_action(),
    ("admin.rename_desk", "POST"): admin_action(),
    ("admin.retry_digest", "POST"): admin_action(),
    # Commitments: their desk, supervisors and admins change them; another desk does not.
    ("commitments.update", "POST"): desk_change(),
    # The bulk form refuses another desk's rows one by one and says so; nothing is changed.
    ("commitments.bulk", "POST"): desk_change(refused=NOT_CHANGED),
    # Saved views are each officer's own: any officer saves theirs.
    ("commitments.views", "POST"): any_officer(DONE),
    ("compliance.outcome", "POST"): desk_change(),
    ("compliance.confirm", "POST"): desk_change(),
    # Events are shared by all desks: an officer of the desk whose commitments hang on the event
    # dates it; another desk's officer only proposes a date (stored: a write), and a supervisor
    # or admin decides the proposal (issue 19).
    ("events.set_date", "POST"): any_officer(DONE),
    ("events.decide", "POST"): roles(LOGIN, desk=FORBIDDEN, other=FORBIDDEN, supervisor=DONE, admin=DONE),
    # Ingest: any officer.
    ("readouts.preview", "POST"): any_officer(OK),
    ("readouts.review", "POST"): any_officer(DONE),
    # My own settings and tokens.
    ("account.save", "POST"): any_officer(DONE),
    # Marks only the caller's own notifications read; this world has none, so nothing changes
    # (another officer's id is 404: tests/web/test_notifications.py).
    ("dashboard.mark_read", "POST"): any_officer(NOT_CHANGED),
    ("tokens.create_api_token", "POST"): any_officer(DONE_200),
    ("tokens.new_feed", "POST"): any_officer(DONE_200),
    ("tokens.revoke", "POST"): any_officer(Expect(303, "/settings/tokens", writes=True)),
    # Logging out ends every session of the officer (their session version moves on: a write).
    ("auth.logout", "POST"): roles(
        Expect(302, "/login"), **dict.fromkeys(LOGGED_IN, Expect(302, "/login", writes=True))
    ),
    # The API: a bearer token of an active officer, the same desk rule for changes.
    ("api.list_readouts", "GET"): api(),
    ("api.get_readout", "GET"): api(),
    ("api.create_readout", "POST"): api(CREATED),
    ("api.list_commitments", "GET"): api(),
    ("api.get_commitment", "GET"): api(),
    ("api.patch_commitment", "PATCH"): roles(
        UNAUTHORISED, desk=DONE_200, other=FORBIDDEN, supervisor=DONE_200, admin=DONE_200
    ),
    ("api.list_events_", "GET"): api(),
    ("api.get_event_", "GET"): api(),
    ("api.put_event_date", "PUT"): roles(
        UNAUTHORISED, desk=DONE_200, other=Expect(202, writes=True), supervisor=DONE_200, admin=DONE_200
    ),
    ("api.list_event_date_proposals", "GET"): api(),
    ("api.post_event_date_decision", "POST"): roles(
        UNAUTHORISED, desk=FORBIDDEN, other=FORBIDDEN, supervisor=DONE_200, admin=DONE_200
    ),
    # Issue 17: extensions are asked by those who may change the commitment and decided by a
    # supervisor or admin (never the officer of the desk); a desk's escalation policy is an admin's.
    ("commitments.request_extension", "POST"): desk_change(),
    ("commitments.decide_extension", "POST"): roles(
        LOGIN, desk=FORBIDDEN, other=FORBIDDEN, supervisor=DONE, admin=DONE
    ),
    ("admin.update_desk_policy", "POST"): admin_action(),
    ("admin.update_desk_countries", "POST"): admin_action(),
    ("api.post_extension", "POST"): roles(
        UNAUTHORISED, desk=CREATED, other=FORBIDDEN, supervisor=CREATED, admin=CREATED
    ),
    ("api.post_extension_decision", "POST"): roles(
        UNAUTHORISED, desk=FORBIDDEN, other=FORBIDDEN, supervisor=DONE_200, admin=DONE_200
    ),
    # Readouts of one meeting are shared like events: any officer links, unlinks and reads them.
    ("links.page", "GET"): page(),
    ("links.progress", "GET"): page(),
    ("links.link", "POST"): any_officer(DONE),
    ("links.remove", "POST"): any_officer(DONE),
    # Accepting progress changes a commitment, so it needs a proposal for it (and the desk rule):
    # for a commitment the readout reports nothing on, it is refused and nothing changes.
    ("links.accept", "POST"): any_officer(NOT_CHANGED),
    ("api.get_links", "GET"): api(),
    ("api.get_reconciliation", "GET"): api(),
    ("api.get_progress", "GET"): api(),
    ("api.create_link", "POST"): api(CREATED),
    ("api.accept", "POST"): api(Expect(422)),
    # Issue 19: admins change who may see a readout; a supervisor may too, but only keeping their
    # own desk among those named, and the one here has no desk: refused with the reason, unchanged.
    ("readouts.restrict", "POST"): roles(
        LOGIN, desk=FORBIDDEN, other=FORBIDDEN, supervisor=NOT_CHANGED, admin=DONE
    ),
    ("api.put_restriction", "PUT"): roles(
        UNAUTHORISED, desk=FORBIDDEN, other=FORBIDDEN, supervisor=Expect(422), admin=DONE_200
    ),
}


def routes(app: Flask) -> dict[tuple[str, str], str]:
    """(endpoint, method) -> rule, for every route and method the app serves (HEAD and OPTIONS
    are Flask's own: HEAD is GET without a body)."""
    out = {}
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            out[(rule.endpoint, method)] = rule.rule
    return out


# --- building each request -------------------------------------------------------------------


def _version(s: Secured, commitment_id: int) -> int:
    with s.factory() as session:
        version = session.scalar(select(Commitment.version).where(Commitment.id == commitment_id))
    assert version is not None
    return version


def _values(s: Secured, role: str) -> dict[str, Any]:
    ids = s.world.commitment_ids
    with s.factory() as session:
        event_id = session.scalar(select(Event.id).order_by(Event.id).limit(1))
        eu_desk = session.get_one(Officer, s.world.ids["other"]).desk_id
    assert event_id is not None and len(ids) >= 4
    return {
        "commitment_id": ids[0],
        "readout_id": s.world.readout_id,
        "event_id": event_id,
        "officer_id": s.world.ids["colleague"],
        "desk_id": eu_desk,
        "digest_id": s.failed_digest_id,
        "earlier_id": ids[3],
        "later_id": ids[2],
        "name": "open-overdue",
        "filename": "tracker.css",
        "token": s.feed_tokens.get(role, "no-such-feed-token"),
    }


def _readout_text(role: str, via: str) -> str:
    return (
        f"Japan-France meeting ({via}, {role})\n\nOn June 6, 2018, the two ministers met.\n\n"
        f"1. Japan will send an economic mission ({via} {role}) to France by July 1, 2018.\n"
    )


QUERIES = {
    "compliance.brief_pdf": {"party": "United States"},
    "compliance.brief_docx": {"party": "United States"},
}


def _form(s: Secured, endpoint: str, role: str) -> dict[str, Any]:
    """The fields a browser would send (less the CSRF token, added by the caller)."""
    ids = s.world.commitment_ids
    email = s.world.emails.get(role, "nobody@example.org")
    officer_fields = {
        "name": "Colleague",
        "role": "officer",
        "desk": NA_DESK,
        "timezone": "UTC",
        "digest_frequency": "daily",
        "digest_hour": "8",
        "digest_weekday": "0",
    }
    forms: dict[str, Callable[[], dict[str, Any]]] = {
        # The deactivated officer tries their real password: still "not right".
        "auth.login": lambda: {
            "email": email,
            "password": "correct horse battery" if role == "gone" else "wrong password",
        },
        "dashboard.mark_read": lambda: {"all": "1"},
        "account.save": lambda: (
            {k: officer_fields[k] for k in ("timezone", "digest_frequency")}
            | {"digest_hour": "9", "digest_weekday": "1"}
        ),
        "admin.add_officer": lambda: (
            officer_fields | {"email": f"new-{role}@example.org", "password": "a long new password"}
        ),
        "admin.update_officer": lambda: officer_fields,
        "admin.reset_password": lambda: {"password": "another long password"},
        "admin.set_active": lambda: {"active": "1"},
        "admin.add_desk": lambda: {"name": f"Desk added by {role}"},
        "admin.rename_desk": lambda: {"name": f"{EU_DESK} ({role})"},
        "commitments.update": lambda: {
            "status": "in_progress",
            "note": f"progress noted by {role}",
            "version": str(_version(s, ids[0])),
        },
        "commitments.bulk": lambda: {
            "ids": str(ids[1]),
            "status": "in_progress",
            "note": f"bulk by {role}",
            f"v{ids[1]}": str(_version(s, ids[1])),
        },
        "compliance.outcome": lambda: {
            "outcome": "partial",
            "note": f"assessed by {role}",
            "version": str(_version(s, ids[2])),
        },
        "events.set_date": lambda: {"date": "2018-06-12"},
        "commitments.views": lambda: {"name": f"Overdue of {role}", "query": "overdue=1&page=2"},
        "commitments.request_extension": lambda: {"new_due_date": "2018-10-01", "reason": f"asked by {role}"},
        "commitments.decide_extension": lambda: {"decision": "approve", "note": f"approved by {role}"},
        "events.decide": lambda: {"decision": "approve", "note": f"approved by {role}"},
        "admin.update_desk_countries": lambda: {"countries": "Canada; EU"},
        "admin.update_desk_policy": lambda: {
            "supervisor": "",
            "head": "",
            "escalation_steps": "7:supervisor,30:head",
            "country": "JP",
            "day_count": "calendar",
        },
        "links.link": lambda: {
            "other_id": str(s.link_targets["web"].get(role, s.link_targets["web"]["desk"])),
            "kind": "counterpart",
        },
        "links.accept": lambda: {"commitment_id": str(ids[0]), "version": str(_version(s, ids[0]))},
        "readouts.preview": lambda: {"text": _readout_text(role, "preview"), "meeting_date": "2018-06-06"},
        "tokens.create_api_token": lambda: {"name": "from the matrix"},
        "tokens.revoke": lambda: {"token_id": str(s.spare_token_ids.get(role, 1))},
        "readouts.restrict": lambda: {"restrict_desk": NA_DESK, "marking": f"Confidential ({role})"},
    }
    make = forms.get(endpoint)
    return make() if make else {}


def _review_form(s: Secured, role: str, token: str) -> dict[str, Any]:
    """The review form exactly as the preview page renders it, confirmed with "save"."""
    client = s.clients[role]
    response = client.post(
        "/readouts/new",
        data={"csrf_token": token, "text": _readout_text(role, "review"), "meeting_date": "2018-06-06"},
    )
    if response.status_code != 200:  # anonymous: there is no preview to confirm
        return {}
    fields: dict[str, Any] = form_fields(response.get_data(as_text=True), "/readouts/review")
    fields["action"] = "save"
    return fields


def _api_body(s: Secured, endpoint: str, role: str) -> tuple[dict[str, Any] | None, dict[str, str]]:
    ids = s.world.commitment_ids
    if endpoint == "api.create_readout":
        return {"text": _readout_text(role, "api"), "meeting_date": "2018-06-06"}, {}
    if endpoint == "api.patch_commitment":
        version = _version(s, ids[3])
        return {"status": "in_progress", "note": f"api change by {role}"}, {"If-Match": f'"{version}"'}
    if endpoint == "api.put_event_date":
        return {"date": "2018-06-13"}, {}
    if endpoint == "api.post_extension":
        return {"new_due_date": "2018-10-01", "reason": f"asked by {role} over the API"}, {}
    if endpoint == "api.post_event_date_decision":
        return {"approve": True, "note": f"approved by {role} over the API"}, {}
    if endpoint == "api.post_extension_decision":
        return {"approve": True, "note": f"approved by {role} over the API"}, {}
    if endpoint == "api.create_link":
        return {
            "other_readout_id": s.link_targets["api"].get(role, s.link_targets["api"]["desk"]),
            "kind": "counterpart",
        }, {}
    if endpoint == "api.accept":
        return {"commitment_id": ids[0]}, {}
    if endpoint == "api.put_restriction":
        return {"restricted_to": [NA_DESK], "marking": f"Confidential ({role}, API)"}, {}
    return None, {}


def request_for(s: Secured, endpoint: str, method: str, rule: str, role: str) -> tuple[str, dict[str, Any]]:
    """The URL and test-client arguments of a realistic request to `endpoint` by `role`."""
    values = _values(s, role)
    if endpoint == "api.patch_commitment":
        values["commitment_id"] = s.world.commitment_ids[3]
    via = "api" if endpoint.startswith("api.") else "web"
    if endpoint in ("commitments.request_extension", "api.post_extension"):
        values["commitment_id"] = s.extension_targets[via].get(role, s.extension_targets[via]["desk"])
    values["request_id"] = s.pending_requests[via].get(role, s.pending_requests[via]["supervisor"])
    values["link_id"] = s.link_ids.get(role, s.link_ids["desk"])
    values["proposal_id"] = s.pending_proposals[via].get(role, s.pending_proposals[via]["supervisor"])
    if endpoint == "links.remove":
        values["readout_id"] = s.hub_readout_id
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule)
    kwargs: dict[str, Any] = {}
    if endpoint in QUERIES:
        kwargs["query_string"] = QUERIES[endpoint]
    if endpoint.startswith("api."):
        body, headers = _api_body(s, endpoint, role)
        if role in s.api_tokens:
            headers["Authorization"] = f"Bearer {s.api_tokens[role]}"
        kwargs["headers"] = headers
        if body is not None:
            kwargs["json"] = body
        return url, kwargs
    if method == "POST":
        token = csrf_token(s.clients[role].get("/login").get_data(as_text=True))
        data = _review_form(s, role, token) if endpoint == "readouts.review" else _form(s, endpoint, role)
        kwargs["data"] = {**data, "csrf_token": token}
    return url, kwargs


def _order(key: tuple[str, str]) -> tuple[int, str, str]:
    # Reads first (the feed and tokens are still the seeded ones), then changes, logout last.
    endpoint, method = key
    return (2 if endpoint == "auth.logout" else int(method != "GET"), endpoint, method)


def _check(response: TestResponse, expect: Expect, what: str) -> None:
    assert response.status_code == expect.status, (what, response.status_code, response.get_data()[:300])
    if expect.location is not None:
        assert response.headers["Location"].startswith(expect.location), (what, response.headers["Location"])
    elif response.status_code in (301, 302, 303):
        # Done, not bounced: a logged-in caller is never sent to the login page.
        assert not response.headers["Location"].startswith("/login"), what
    if response.status_code == 401:
        assert response.mimetype == "application/problem+json", what
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), what
    if response.status_code == 403:
        body = response.get_data(as_text=True)
        assert "Not allowed" in body, what


# --- the tests -------------------------------------------------------------------------------


def test_every_route_has_an_expectation_for_every_role(app: Flask) -> None:
    served = routes(app)
    missing = sorted(set(served) - set(EXPECT))
    stale = sorted(set(EXPECT) - set(served))
    assert not missing, f"routes without an authorisation expectation (add them to EXPECT): {missing}"
    assert not stale, f"expectations for routes that no longer exist: {stale}"
    for key, table in EXPECT.items():
        assert set(table) == set(ROLES), key


@pytest.mark.slow
def test_each_role_gets_what_the_rules_say_and_nothing_more(secured: Secured) -> None:
    served = routes(secured.app)
    assert len(served) >= 55, "the route list comes from the app itself"
    checked = 0
    # Every row of every table compared before and after each request that must not write; the
    # full comparison is made when the database counted a write in between (see `Unchanged`).
    unchanged = Unchanged(secured.factory)
    for role in ROLES:
        client = secured.clients[role]
        for endpoint, method in sorted(served, key=_order):
            expect = EXPECT[(endpoint, method)][role]
            url, kwargs = request_for(secured, endpoint, method, served[(endpoint, method)], role)
            if not expect.writes:
                unchanged.before()
            response = client.open(url, method=method, **kwargs)
            what = f"{role} {method} {url} ({endpoint})"
            _check(response, expect, what)
            response.close()
            if not expect.writes:
                unchanged.check(what)
            checked += 1
    assert checked == len(served) * len(ROLES)
    print(f"{checked} requests, {unchanged.snapshots} full snapshots")


@pytest.mark.slow
def test_methods_a_route_does_not_serve_are_405_for_everyone(secured: Secured) -> None:
    app = secured.app
    adapter = app.url_map.bind("localhost")
    urls = sorted(
        {request_for(secured, e, m, rule, "desk")[0] for (e, m), rule in routes(app).items() if m == "GET"}
        | {request_for(secured, e, m, rule, "desk")[0] for (e, m), rule in routes(app).items()}
    )
    before = snapshot(secured.factory)
    refused = 0
    for role in ROLES:
        client = secured.clients[role]
        for url in urls:
            allowed = adapter.allowed_methods(url.split("?")[0])
            for method in METHODS:
                if method in allowed:
                    continue
                response = client.open(url, method=method)
                assert response.status_code == 405, (role, method, url, response.status_code)
                assert set(response.headers["Allow"].replace(" ", "").split(",")) >= set(allowed) - {
                    "OPTIONS"
                }, url
                refused += 1
    assert refused > 100
    assert snapshot(secured.factory) == before


def test_the_edit_form_is_shown_only_to_those_who_may_use_it(secured: Secured) -> None:
    cid = secured.world.commitment_ids[0]
    action = f'action="/commitments/{cid}"'
    for role, may in (("desk", True), ("other", False), ("supervisor", True), ("admin", True)):
        html = secured.clients[role].get(f"/commitments/{cid}").get_data(as_text=True)
        assert (action in html) is may, role


def test_the_unchanged_check_sees_a_write_made_through_the_app_s_connection(secured: Secured) -> None:
    """The matrix skips the full comparison while the database counts no write: that count must
    move for a write, and a bookkeeping column alone must not fail the comparison."""
    unchanged = Unchanged(secured.factory)
    unchanged.before()
    unchanged.check("a request that wrote nothing")
    assert unchanged.snapshots == 1
    with secured.factory.begin() as session:
        officer = session.get_one(Officer, secured.world.ids["desk"])
        officer.name = "Renamed behind the check's back"
    with pytest.raises(AssertionError, match="changed stored data"):
        unchanged.check("a rename")
    assert unchanged.snapshots == 2
    response = secured.clients["desk"].get(
        "/api/v1/commitments", headers={"Authorization": f"Bearer {secured.api_tokens['other']}"}
    )
    assert response.status_code == 200  # a token's first use writes its last_used_at: volatile
    unchanged.before()
    unchanged.check("a read with a token")
