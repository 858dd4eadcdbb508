"""Sessions that end (issue 19, item 7): a session cookie stops working when its officer logs
out (everywhere), is given a new password, changes role or is deactivated, and stays dead when
the officer is reactivated; so do their API and feed tokens.

Each test copies a logged-in cookie into a second client first, as a thief (or a forgotten
browser at another desk) would hold it, and checks that copy after the event.
"""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.security.conftest import Secured
from tests.world import World, csrf_token, log_in


def _thief(secured: Secured, victim: FlaskClient) -> FlaskClient:
    """A second client holding a copy of `victim`'s session cookie."""
    app = secured.app
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = victim.get_cookie(name)
    assert cookie is not None
    copy = app.test_client()
    copy.set_cookie(name, cookie.value)
    assert copy.get("/commitments").status_code == 200, "the copied cookie works before the event"
    return copy


def _logged_out(client: FlaskClient) -> bool:
    response = client.get("/commitments")
    return response.status_code == 302 and "/login" in response.headers["Location"]


def _admin_post(secured: Secured, path: str, **data: str) -> None:
    admin = secured.clients["admin"]
    token = csrf_token(admin.get("/admin/officers").get_data(as_text=True))
    response = admin.post(path, data={"csrf_token": token, **data})
    assert response.status_code == 302, response.get_data(as_text=True)


def _fresh_login(secured: Secured, email: str) -> FlaskClient:
    client = secured.app.test_client()
    log_in(client, email)
    return client


def test_logout_ends_every_session_of_the_officer(secured: Secured, world: World) -> None:
    mine = _fresh_login(secured, world.emails["desk"])
    stolen = _thief(secured, mine)
    elsewhere = _fresh_login(secured, world.emails["desk"])
    token = csrf_token(mine.get("/commitments").get_data(as_text=True))
    assert mine.post("/logout", data={"csrf_token": token}).status_code == 302
    assert _logged_out(mine) and _logged_out(stolen) and _logged_out(elsewhere)
    # Another officer is not logged out, and the officer can log in again.
    assert secured.clients["other"].get("/commitments").status_code == 200
    assert not _logged_out(_fresh_login(secured, world.emails["desk"]))


def test_a_password_reset_ends_the_officers_sessions(secured: Secured, world: World) -> None:
    stolen = _thief(secured, _fresh_login(secured, world.emails["desk"]))
    _admin_post(secured, f"/admin/officers/{world.ids['desk']}/password", password="correct horse battery")
    assert _logged_out(stolen)


def test_a_role_change_ends_the_officers_sessions(secured: Secured, world: World) -> None:
    stolen = _thief(secured, _fresh_login(secured, world.emails["desk"]))
    _admin_post(
        secured,
        f"/admin/officers/{world.ids['desk']}",
        name="Desk Officer",
        role="supervisor",
        desk="North America Desk",
        timezone="UTC",
        digest_frequency="daily",
        digest_hour="8",
        digest_weekday="0",
    )
    assert _logged_out(stolen)


def test_sessions_and_tokens_stay_dead_after_deactivate_then_reactivate(
    secured: Secured, world: World
) -> None:
    stolen = _thief(secured, _fresh_login(secured, world.emails["desk"]))
    bearer = {"Authorization": f"Bearer {secured.api_tokens['desk']}"}
    feed = f"/feeds/{secured.feed_tokens['desk']}.ics"
    anon = secured.app.test_client()
    assert anon.get("/api/v1/commitments", headers=bearer).status_code == 200
    assert anon.get(feed).status_code == 200
    target = world.ids["desk"]
    _admin_post(secured, f"/admin/officers/{target}/active", active="0")
    _admin_post(secured, f"/admin/officers/{target}/active", active="1")
    assert _logged_out(stolen)
    assert anon.get("/api/v1/commitments", headers=bearer).status_code == 401
    assert anon.get(feed).status_code == 404
    # The officer logs in afresh and can make new tokens.
    assert not _logged_out(_fresh_login(secured, world.emails["desk"]))
