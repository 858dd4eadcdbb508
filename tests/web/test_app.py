"""The web app's login and first page, through Flask's test client, on a real database."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import SEED_READOUT
from tests.factories import PASSWORD, ingest, make_officer
from tests.world import Recipe, World


def build_one_desk(session: Session) -> dict[str, Any]:
    """One officer with a password and the sample readout."""
    officer = make_officer(session, email="desk@example.org")
    ingest(session, SEED_READOUT.read_text(encoding="utf-8"), dt.date(2018, 6, 6), by=officer)
    return {}


@pytest.fixture
def world_recipe() -> Recipe:
    return Recipe("one-desk", build_one_desk, secret_key="test")


@pytest.fixture
def app(world: World) -> Flask:
    return world.app


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "every form carries a CSRF token"
    return match.group(1)


def login(client: FlaskClient, email: str = "desk@example.org", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    token = _csrf(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def test_pages_need_a_login(app: Flask) -> None:
    response = app.test_client().get("/commitments")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_then_the_sample_readouts_commitments(app: Flask) -> None:
    client = app.test_client()
    response = login(client)
    assert response.status_code == 302
    page = client.get("/commitments").get_data(as_text=True)
    assert "Republic of Korea" in page
    assert "desk@example.org" in page


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(app: Flask) -> None:
    wrong = login(app.test_client(), password="not the password").get_data(as_text=True)
    unknown = login(app.test_client(), email="who@example.org").get_data(as_text=True)
    assert "Email or password is not right." in wrong
    assert "Email or password is not right." in unknown


def test_login_without_csrf_token_is_refused(app: Flask) -> None:
    response = app.test_client().post("/login", data={"email": "desk@example.org", "password": PASSWORD})
    assert response.status_code == 400
