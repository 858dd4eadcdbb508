"""Passwords, logins, cookies, headers, limits and logs.

- passwords are scrypt hashes; an unknown email, a wrong password and a deactivated account get
  the very same answer;
- failed logins are rate-limited per account (from any address) and per address (over any
  accounts), with the same answer whether the account exists; successful logins do not count;
- the session cookie is HttpOnly and SameSite=Lax, and Secure when the app is served over https;
- every kind of response carries the security headers;
- production refuses to start without its own secret key; uploads over the limit get 413 (web
  and API) and store nothing;
- no password, token or secret reaches the logs, whatever is logged at DEBUG, while logging in,
  making and using tokens, serving the feed over HTTP, failing, and sending mail with SMTP login.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.security import check_password_hash
from werkzeug.serving import make_server

from jobs.digests import dispatch_digests
from tests.factories import PASSWORD
from tests.jobs.conftest import SmtpServer, free_port
from tests.security.conftest import Secured
from tests.web.conftest import World, csrf_token
from tracker.config import Settings
from tracker.models import Officer, Readout
from tracker.services.officers import create_officer
from web import create_app
from web.auth import LOGIN_FAILED

TOO_MANY = "Too many attempts"
# LOGIN_LIMIT_PER_ACCOUNT allows 5 failed attempts a minute.
LOGIN_ATTEMPTS_BEFORE_LIMIT = 5


def _login(client: FlaskClient, email: str, password: str, address: str = "127.0.0.1") -> tuple[int, str]:
    env = {"REMOTE_ADDR": address}
    token = csrf_token(client.get("/login", environ_base=env).get_data(as_text=True))
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}, environ_base=env
    )
    return response.status_code, response.get_data(as_text=True)


def _without_csrf(html: str) -> str:
    """The page less its CSRF token and the email typed back into the form."""
    html = re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", html)
    return re.sub(r'(<input[^>]*name="email"[^>]*value=")[^"]*"', r'\1"', html)


def test_passwords_are_salted_scrypt_hashes(world: World) -> None:
    # Officers made as the app makes them (the world's own are hashed at the tests' cheaper cost,
    # tests/factories.py): at the production cost, each with its own salt.
    with world.session() as session, session.begin():
        for n in (1, 2):
            create_officer(session, email=f"hashed{n}@example.org", name=f"Hashed {n}", password=PASSWORD)
    with world.session() as session:
        hashes = list(
            session.scalars(select(Officer.password_hash).where(Officer.email.like("hashed%@example.org")))
        )
    assert len(hashes) == 2 and len(set(hashes)) == 2, "salted: one password, two hashes"
    assert all(h and h.startswith("scrypt:32768:8:1$") for h in hashes)
    assert all(h and check_password_hash(h, PASSWORD) for h in hashes)
    assert all(h and not check_password_hash(h, PASSWORD + "x") for h in hashes)
    assert all(h and PASSWORD not in h for h in hashes)


def test_unknown_email_wrong_password_and_deactivated_get_the_same_answer(app: Flask, world: World) -> None:
    answers = [
        _login(app.test_client(), "nobody@example.org", PASSWORD),
        _login(app.test_client(), world.emails["desk"], "not the password"),
        _login(app.test_client(), world.emails["gone"], PASSWORD),  # the right password
    ]
    assert {status for status, _ in answers} == {200}
    pages = {_without_csrf(page) for _, page in answers}
    assert len(pages) == 1, "the three answers differ"
    assert LOGIN_FAILED in pages.pop()


@pytest.mark.slow
def test_failed_logins_are_limited_per_account_but_never_lock_the_owner_out(app: Flask, world: World) -> None:
    """ASVS V2.2: a guesser is stopped per account, but cannot lock the owner out (issue 19)."""
    for email in (world.emails["desk"], "nobody@example.org"):
        # The guesser's two addresses: their failures on the account count from each one's
        # second (the first is an address that had not failed yet), until 429...
        statuses = [
            _login(app.test_client(), email, "wrong password", address=f"10.0.0.{n % 2 + 1}")[0]
            for n in range(LOGIN_ATTEMPTS_BEFORE_LIMIT + 3)
        ]
        assert statuses == [200] * (LOGIN_ATTEMPTS_BEFORE_LIMIT + 2) + [429], (email, statuses)
        # ...and from them even the right password is refused now.
        status, page = _login(app.test_client(), email, PASSWORD, address="10.0.0.1")
        assert status == 429 and TOO_MANY in page, email
        # A fresh address gets its one answer: a wrong password is just wrong (then it is limited too).
        assert _login(app.test_client(), email, "wrong again", address="10.0.7.7")[0] == 200, email
        assert _login(app.test_client(), email, "wrong again", address="10.0.7.7")[0] == 429, email
    # The owner, from an address that has not failed, logs in with the right password.
    assert _login(app.test_client(), world.emails["desk"], PASSWORD, address="10.0.0.99")[0] == 302
    # An account that does not exist is answered exactly like one that does.
    known = _login(app.test_client(), world.emails["desk"], "x", address="10.0.0.1")
    unknown = _login(app.test_client(), "nobody@example.org", "x", address="10.0.0.1")
    assert known[0] == unknown[0] == 429
    assert _without_csrf(known[1]) == _without_csrf(unknown[1])
    # Other accounts are not affected.
    assert _login(app.test_client(), world.emails["colleague"], PASSWORD)[0] == 302


@pytest.mark.slow
def test_failed_logins_are_limited_per_address_over_any_accounts(app: Flask, world: World) -> None:
    for n in range(30):
        assert _login(app.test_client(), f"guess{n}@example.org", "pw", address="192.0.2.7")[0] == 200
    status, page = _login(app.test_client(), world.emails["desk"], PASSWORD, address="192.0.2.7")
    assert status == 429 and TOO_MANY in page
    assert _login(app.test_client(), world.emails["desk"], PASSWORD, address="192.0.2.8")[0] == 302


@pytest.mark.slow
def test_successful_logins_do_not_count(app: Flask, world: World) -> None:
    for _ in range(12):
        assert _login(app.test_client(), world.emails["desk"], PASSWORD)[0] == 302


def _session_cookie(app: Flask, email: str) -> Any:
    client = app.test_client()
    assert _login(client, email, PASSWORD)[0] == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie


@pytest.mark.parametrize(
    ("base_url", "secure"), [("https://tracker.mofa.example", True), ("http://127.0.0.1:5000", False)]
)
def test_the_session_cookie_is_httponly_lax_and_secure_over_https(
    world: World, base_url: str, secure: bool
) -> None:
    app = world.make_app(clock=None, secret_key="k" * 32, base_url=base_url)
    cookie = _session_cookie(app, world.emails["desk"])
    assert cookie.http_only and cookie.same_site == "Lax"
    assert cookie.secure is secure


def _assert_headers(response: Any, what: str) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, what
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, what
    assert "script-src 'self'" in csp or "default-src 'none'" in csp, what
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer"), what


def test_every_kind_of_response_carries_the_security_headers(secured: Secured) -> None:
    desk = secured.clients["desk"]
    anon = secured.app.test_client()
    bearer = {"Authorization": f"Bearer {secured.api_tokens['desk']}"}
    cid = secured.world.commitment_ids[0]
    responses = {
        "page": desk.get("/"),
        "login": anon.get("/login"),
        "redirect": anon.get("/commitments"),
        "404 page": desk.get("/nowhere"),
        "403 page": secured.clients["other"].post(
            f"/commitments/{cid}",
            data={"csrf_token": csrf_token(secured.clients["other"].get("/login").get_data(as_text=True))},
        ),
        "405 page": desk.delete("/"),
        "csrf 400": desk.post("/settings", data={}),
        "csv": desk.get("/commitments.csv"),
        "static": anon.get("/static/tracker.css"),
        "api json": anon.get("/api/v1/commitments", headers=bearer),
        "api 401": anon.get("/api/v1/commitments"),
        "api 404": anon.get("/api/v1/nowhere", headers=bearer),
        "api docs": anon.get("/api/v1/docs"),
        "openapi": anon.get("/api/v1/openapi.json"),
        "feed": anon.get(f"/feeds/{secured.feed_tokens['desk']}.ics"),
        "feed 404": anon.get("/feeds/nothing.ics"),
    }
    for what, response in responses.items():
        _assert_headers(response, what)
        response.close()
    assert responses["page"].headers["Cache-Control"] == "no-store"


def test_production_refuses_to_start_without_its_secret_key(world: World) -> None:
    with pytest.raises(RuntimeError, match="TRACKER_SECRET_KEY"):
        create_app(Settings.from_env({"TRACKER_ENV": "production", "TRACKER_DATABASE_URL": world.url}))
    with pytest.raises(RuntimeError, match="TRACKER_SECRET_KEY"):
        create_app(Settings(database_url=world.url, env="production", secret_key=""))
    app = create_app(Settings(database_url=world.url, env="production", secret_key="s" * 64))
    try:
        assert app.config["SECRET_KEY"] == "s" * 64
    finally:
        app.extensions["tracker.engine"].dispose()


@pytest.fixture
def small_limit_app(world: World) -> Flask:
    return world.make_app(clock=None, secret_key="test-secret", max_upload_bytes=4096)


def test_uploads_over_the_limit_get_413_and_store_nothing(
    small_limit_app: Flask, world: World, secured: Secured
) -> None:
    def readouts() -> int:
        with world.session() as session:
            return session.scalar(select(func.count()).select_from(Readout)) or 0

    before = readouts()
    big = ("Japan will send a mission to France by July 1, 2018. " * 200).encode()
    assert len(big) > 4096
    client = small_limit_app.test_client()
    assert _login(client, world.emails["desk"], PASSWORD)[0] == 302
    token = csrf_token(client.get("/readouts/new").get_data(as_text=True))
    page = client.post(
        "/readouts/new",
        data={
            "csrf_token": token,
            "meeting_date": "2018-06-06",
            "file": (io.BytesIO(big), "big.txt"),
        },
        content_type="multipart/form-data",
    )
    assert page.status_code == 413 and "File too large" in page.get_data(as_text=True)
    bearer = {"Authorization": f"Bearer {secured.api_tokens['desk']}"}
    api = small_limit_app.test_client()
    upload = api.post(
        "/api/v1/readouts",
        headers=bearer,
        data={"meeting_date": "2018-06-06", "file": (io.BytesIO(big), "big.txt")},
        content_type="multipart/form-data",
    )
    as_json = api.post(
        "/api/v1/readouts", headers=bearer, json={"text": big.decode(), "meeting_date": "2018-06-06"}
    )
    for response in (upload, as_json):
        assert response.status_code == 413
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == 413
    assert readouts() == before


# --- no secrets in logs ----------------------------------------------------------------------

SMTP_USER, SMTP_PASSWORD = "tracker-mailer", "smtp-s3cret-pa55word"


class AuthSmtpServer(SmtpServer):
    """The loopback SMTP server, wanting a login (plain AUTH without TLS: loopback only)."""

    def start(self) -> None:
        def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
                SMTP_USER.encode(),
                SMTP_PASSWORD.encode(),
            )
            return AuthResult(success=ok, handled=False)

        self._controller = Controller(
            self,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=authenticator,
            auth_require_tls=False,
            auth_required=False,  # smtplib logs in whenever AUTH is offered
        )
        self._controller.start()


@pytest.fixture
def auth_smtp() -> Iterator[AuthSmtpServer]:
    server = AuthSmtpServer(free_port())
    server.start()
    yield server
    server.stop()


def _serve(app: Flask) -> tuple[str, Any]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


@pytest.mark.committed  # served over real HTTP from other threads, digests sent by the job
def test_no_password_token_or_secret_reaches_the_logs(
    secured: Secured,
    auth_smtp: AuthSmtpServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    world, app = secured.world, secured.app
    secrets = {PASSWORD, "wrong password 123", "a brand new password", SMTP_PASSWORD, "test-secret"}
    secrets |= set(secured.api_tokens.values()) | set(secured.feed_tokens.values())

    # Logging in, failing to, an admin setting a password.
    client = app.test_client()
    assert _login(client, world.emails["admin"], "wrong password 123")[0] == 200
    assert _login(client, world.emails["admin"], PASSWORD)[0] == 302
    token = csrf_token(client.get("/login").get_data(as_text=True))
    reset = client.post(
        f"/admin/officers/{world.ids['colleague']}/password",
        data={"csrf_token": token, "password": "a brand new password"},
    )
    assert reset.status_code == 302
    # Making tokens on the settings page (the page shows each once).
    page = client.post("/settings/tokens/api", data={"csrf_token": token, "name": "mine"}).get_data(
        as_text=True
    )
    made = re.search(r"<code[^>]*>([A-Za-z0-9_-]{40,})</code>", page) or re.search(
        r'value="([A-Za-z0-9_-]{40,})"', page
    )
    assert made, "the new token is shown once"
    secrets.add(made.group(1))
    feed_page = client.post("/settings/tokens/feed", data={"csrf_token": token}).get_data(as_text=True)
    feed_url = re.search(r"/feeds/([A-Za-z0-9_-]{40,})\.ics", feed_page)
    assert feed_url
    secrets.add(feed_url.group(1))
    # Using them over real HTTP (the development server logs each request line), good and bad.
    base, server = _serve(app)
    try:
        bearer = {"Authorization": f"Bearer {made.group(1)}"}
        assert requests.get(f"{base}/api/v1/commitments", headers=bearer, timeout=30).status_code == 200
        assert (
            requests.get(
                f"{base}/api/v1/commitments", headers={"Authorization": "Bearer " + PASSWORD}, timeout=30
            ).status_code
            == 401
        )
        assert requests.get(f"{base}/feeds/{feed_url.group(1)}.ics", timeout=30).status_code == 200
        assert requests.get(f"{base}/feeds/{secured.feed_tokens['admin']}.ics", timeout=30).status_code == 404
        # An unexpected failure inside an authenticated API call is logged with its traceback.
        monkeypatch.setattr(
            "web.api.commitments.commitment_items_page",
            lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")),
        )
        assert requests.get(f"{base}/api/v1/commitments", headers=bearer, timeout=30).status_code == 500
    finally:
        server.shutdown()
    # Sending digests through a server that wants a login: once refused, once accepted.
    settings = Settings(
        database_url=world.url,
        base_url="https://tracker.example.org",
        smtp_port=auth_smtp.port,
        smtp_username=SMTP_USER,
        smtp_password="not-" + SMTP_PASSWORD,
        mail_from="tracker@mofa.example",
    )
    secrets.add("not-" + SMTP_PASSWORD)
    now = dt.datetime(2018, 6, 20, 8, 0, tzinfo=dt.UTC)
    refused = dispatch_digests(world.factory, now, settings)
    assert refused.sent == 0 and refused.retrying >= 1
    accepted = dispatch_digests(
        world.factory,
        now + dt.timedelta(days=1),
        Settings(**{**settings.__dict__, "smtp_password": SMTP_PASSWORD}),
    )
    assert accepted.sent >= 1 and auth_smtp.messages

    # The test's own client and SMTP server log on their side; what the tracker logs is checked.
    theirs = ("mail.log", "aiosmtpd", "asyncio", "urllib3")
    ours = [r for r in caplog.records if not r.name.startswith(theirs)]
    assert any(r.name == "werkzeug" and "/feeds/" in r.getMessage() for r in ours), (
        "request lines were logged"
    )
    assert any("API error" in r.getMessage() for r in ours)
    text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''} {caplog.handler.format(r)}" for r in ours)
    for secret in secrets:
        assert secret not in text, f"a secret reached the logs: {secret[:6]}..."
