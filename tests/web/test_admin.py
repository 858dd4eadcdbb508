"""Administration: only admins; officers (add, edit, deactivate, password), desks, failed digests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.web.conftest import NOW, World, csrf_token, log_in, page_token
from tracker.models import Desk, Digest, DigestState, Officer, Role

Client = Callable[[str], FlaskClient]
ADMIN_PAGES = ["/admin/", "/admin/officers", "/admin/desks", "/admin/digests"]


@pytest.mark.parametrize("role", ["desk", "other", "supervisor"])
def test_admin_pages_are_for_admins_only(client_for: Client, world: World, role: str) -> None:
    client = client_for(role)
    for path in [*ADMIN_PAGES, f"/admin/officers/{world.ids['desk']}"]:
        assert client.get(path).status_code == 403, path
    token = page_token(client, "/settings")
    response = client.post("/admin/officers", data={"csrf_token": token, "email": "x@example.org"})
    assert response.status_code == 403
    assert "Admin</a>" not in client.get("/").get_data(as_text=True)


def test_admins_see_the_pages(client_for: Client, world: World) -> None:
    client = client_for("admin")
    assert client.get("/admin/").headers["Location"] == "/admin/officers"
    for path in ADMIN_PAGES[1:]:
        assert client.get(path).status_code == 200, path
    page = client.get("/admin/officers").get_data(as_text=True)
    assert "gone@example.org" in page and "DEACTIVATED" in page


def _officer(world: World, email: str) -> Officer:
    with world.session() as s:
        officer = s.scalar(select(Officer).where(Officer.email == email))
        assert officer is not None
        s.expunge(officer)
        return officer


def test_add_an_officer_who_can_then_log_in(client_for: Client, world: World, app: Flask) -> None:
    client = client_for("admin")
    token = page_token(client, "/admin/officers")
    response = client.post(
        "/admin/officers",
        data={
            "csrf_token": token,
            "name": "Akiko Sato",
            "email": "akiko@example.org",
            "password": "a long enough password",
            "role": "officer",
            "desk": "Asia Desk",
            "timezone": "Asia/Tokyo",
            "digest_frequency": "weekly",
            "digest_hour": "7",
        },
    )
    assert response.status_code == 302
    officer = _officer(world, "akiko@example.org")
    assert (officer.role, officer.timezone, officer.digest_frequency.value, officer.digest_hour) == (
        Role.OFFICER,
        "Asia/Tokyo",
        "weekly",
        7,
    )
    log_in(app.test_client(), "akiko@example.org", "a long enough password")
    again = client.post(
        "/admin/officers",
        data={"csrf_token": token, "name": "Again", "email": "akiko@example.org", "password": "whatever12"},
    )
    assert again.status_code == 400 and "already exists" in again.get_data(as_text=True)
    short = client.post(
        "/admin/officers",
        data={"csrf_token": token, "name": "Short", "email": "short@example.org", "password": "short"},
    )
    assert short.status_code == 400 and "at least 8 characters" in short.get_data(as_text=True)


def test_edit_role_desk_timezone_and_digest(client_for: Client, world: World) -> None:
    client = client_for("admin")
    target = world.ids["desk"]
    token = page_token(client, f"/admin/officers/{target}")
    response = client.post(
        f"/admin/officers/{target}",
        data={
            "csrf_token": token,
            "name": "Desk Officer",
            "role": "supervisor",
            "desk": "Europe Desk",
            "timezone": "Europe/Paris",
            "digest_frequency": "off",
            "digest_hour": "9",
            "digest_weekday": "4",
        },
    )
    assert response.status_code == 302
    officer = _officer(world, "desk@example.org")
    assert officer.role == Role.SUPERVISOR and officer.timezone == "Europe/Paris"
    assert (officer.digest_frequency.value, officer.digest_hour, officer.digest_weekday) == ("off", 9, 4)
    with world.session() as s:
        assert s.get(Desk, officer.desk_id).name == "Europe Desk"  # type: ignore[union-attr]
    bad = client.post(
        f"/admin/officers/{target}",
        data={
            "csrf_token": token,
            "name": "X",
            "role": "officer",
            "timezone": "Mars/Olympus",
            "digest_frequency": "daily",
        },
    )
    assert bad.status_code == 400 and "unknown time zone" in bad.get_data(as_text=True)


def test_an_admin_cannot_demote_or_deactivate_themself(client_for: Client, world: World) -> None:
    client = client_for("admin")
    me = world.ids["admin"]
    token = page_token(client, f"/admin/officers/{me}")
    demote = client.post(
        f"/admin/officers/{me}",
        data={
            "csrf_token": token,
            "name": "Admin",
            "role": "officer",
            "timezone": "UTC",
            "digest_frequency": "daily",
        },
    )
    assert demote.status_code == 400 and "cannot take the admin role from yourself" in demote.get_data(
        as_text=True
    )
    off = client.post(f"/admin/officers/{me}/active", data={"csrf_token": token, "active": "0"})
    assert off.status_code == 400
    assert _officer(world, "admin@example.org").role == Role.ADMIN


def test_deactivate_reactivate_and_reset_password(client_for: Client, world: World, app: Flask) -> None:
    client = client_for("admin")
    target = world.ids["colleague"]
    colleague = client_for("colleague")
    token = page_token(client, f"/admin/officers/{target}")
    assert (
        client.post(f"/admin/officers/{target}/active", data={"csrf_token": token, "active": "0"}).status_code
        == 302
    )
    assert not _officer(world, "colleague@example.org").is_active
    # Their open session ends at once, and they cannot log in again.
    assert colleague.get("/").status_code == 302
    fresh = app.test_client()
    login_page = fresh.get("/login").get_data(as_text=True)
    refused = fresh.post(
        "/login",
        data={
            "email": "colleague@example.org",
            "password": "correct horse battery",
            "csrf_token": csrf_token(login_page),
        },
    )
    assert refused.status_code == 200 and "Email or password is not right." in refused.get_data(as_text=True)
    client.post(f"/admin/officers/{target}/active", data={"csrf_token": token, "active": "1"})
    response = client.post(
        f"/admin/officers/{target}/password", data={"csrf_token": token, "password": "brand new password"}
    )
    assert response.status_code == 302
    log_in(app.test_client(), "colleague@example.org", "brand new password")
    short = client.post(f"/admin/officers/{target}/password", data={"csrf_token": token, "password": "x"})
    assert short.status_code == 400


def test_desks_add_and_rename(client_for: Client, world: World) -> None:
    client = client_for("admin")
    token = page_token(client, "/admin/desks")
    assert client.post("/admin/desks", data={"csrf_token": token, "name": "Africa Desk"}).status_code == 302
    clash = client.post("/admin/desks", data={"csrf_token": token, "name": "africa desk"})
    assert clash.status_code == 400 and "already exists" in clash.get_data(as_text=True)
    with world.session() as s:
        desk_id = s.scalar(select(Desk.id).where(Desk.name == "Africa Desk"))
    assert (
        client.post(
            f"/admin/desks/{desk_id}", data={"csrf_token": token, "name": "Africa Division"}
        ).status_code
        == 302
    )
    page = client.get("/admin/desks").get_data(as_text=True)
    assert "Africa Division" in page and "Africa Desk" not in page
    assert client.post("/admin/desks/99999", data={"csrf_token": token, "name": "X"}).status_code == 404
    clash = client.post(f"/admin/desks/{desk_id}", data={"csrf_token": token, "name": "Europe Desk"})
    assert clash.status_code == 400


def test_failed_digests_are_listed_and_retried(client_for: Client, world: World) -> None:
    with world.session() as s, s.begin():
        digest = Digest(
            officer_id=world.ids["desk"],
            period="daily:2018-06-09",
            subject="3 commitments need attention",
            body_text="…",
            body_html="<p>…</p>",
            message_id="<digest-1@tracker>",
            state=DigestState.FAILED,
            attempts=5,
            last_error="SMTP 451: try again later",
            created_at=NOW,
        )
        s.add(digest)
        s.flush()
        digest_id = digest.id
    client = client_for("admin")
    page = client.get("/admin/digests").get_data(as_text=True)
    assert "SMTP 451: try again later" in page and "desk@example.org" in page
    token = csrf_token(page)
    assert client.post(f"/admin/digests/{digest_id}/retry", data={"csrf_token": token}).status_code == 302
    with world.session() as s:
        row = s.get(Digest, digest_id)
        assert row is not None
        assert (row.state, row.attempts, row.next_attempt_at) == (DigestState.PENDING, 0, NOW)
    assert "will be sent on the next dispatch run" in client.get("/admin/digests").get_data(as_text=True)
    client.post(f"/admin/digests/{digest_id}/retry", data={"csrf_token": token})
    assert "has not failed" in client.get("/admin/digests").get_data(as_text=True)
    assert client.post("/admin/digests/99999/retry", data={"csrf_token": token}).status_code == 404


def test_unknown_officer_is_404(client_for: Client) -> None:
    assert client_for("admin").get("/admin/officers/99999").status_code == 404
