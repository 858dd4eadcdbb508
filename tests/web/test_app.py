"""The web app's login and first page, through Flask's test client, on a real database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SEED_READOUT
from tests.factories import PASSWORD, ingest, make_officer
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory
from web import create_app


@pytest.fixture
def app(fresh_database_url: str) -> Iterator[Flask]:
    engine = make_engine(fresh_database_url)
    with make_session_factory(engine).begin() as session:
        officer = make_officer(session, email="desk@example.org")
        ingest(session, SEED_READOUT.read_text(encoding="utf-8"), dt.date(2018, 6, 6), by=officer)
    engine.dispose()
    flask_app = create_app(Settings(database_url=fresh_database_url, secret_key="test"), testing=True)
    yield flask_app
    flask_app.extensions["tracker.engine"].dispose()


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
