"""Logging in and out (Flask-Login sessions, Flask-WTF CSRF on every form), and the check that
a view's permission rule (tracker.services.permissions) allows the logged-in officer.

Failed logins are rate-limited with Flask-Limiter, per address (one address guessing many
accounts) and per account (the email typed, known or not, so the answer says nothing about
which accounts exist). Only failed attempts count: an office behind one NAT address logging in
at nine is not slowed down. The per-account limit binds only the addresses that have themselves
failed on that account within the hour (OWASP ASVS V2.2): a guesser who runs an account into its
limit is stopped, but the owner, from an address that has not failed, still gets in with the
right password, so nobody can lock anyone out. The counts live in
`TRACKER_RATELIMIT_STORAGE_URI` (memory:// by default, which is per process: several web
workers need a shared store such as redis:// or memcached://).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.sansio.blueprints import BlueprintSetupState
from flask_babel import gettext
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from limits import parse
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from tracker.directory import DirectoryUnavailable, sign_in
from tracker.models import Officer, TokenKind
from tracker.services.admin import note_browser_language
from tracker.services.officers import end_sessions, officer_for_session, session_id
from tracker.services.tokens import authenticate_token
from web.db import get_session, now, reads_only, settings, side_write, writing_session
from web.helpers import safe_next
from web.i18n import LANGUAGES, N_

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()

F = TypeVar("F", bound=Callable[..., Any])

# Failed login attempts allowed before a 429 (Flask-Limiter rate strings).
LOGIN_LIMIT_PER_ACCOUNT = "5 per minute; 20 per hour"
LOGIN_LIMIT_PER_ADDRESS = "30 per minute; 200 per hour"
# How long an address that failed on an account stays bound by that account's limit.
FAILED_ON_ACCOUNT = parse("1 per hour")
LOGIN_FAILED = N_("Email or password is not right.")
DIRECTORY_DOWN = N_(
    "The ministry's directory cannot be reached just now, so you cannot sign in. "
    "Please try again in a few minutes."
)


class CurrentOfficer(UserMixin):
    """The logged-in officer as Flask-Login sees it; the row itself is `self.officer`."""

    def __init__(self, officer: Officer) -> None:
        self.officer = officer
        # What the session cookie holds: the officer and their session version, so that the
        # cookie stops working when the version moves on (logout, new password, new role ...).
        self.id = session_id(officer)

    @property
    def is_active(self) -> bool:
        return self.officer.is_active


@login_manager.user_loader
def load_user(user_id: str) -> CurrentOfficer | None:
    officer = officer_for_session(get_session(), user_id)
    return CurrentOfficer(officer) if officer is not None else None


def officer_for_token(plaintext: str, kind: TokenKind) -> Officer | None:
    """The officer an API or feed token acts as (in the request's session), else None.

    The token's last use is recorded on the side (`side_write`), so that a reading request stays
    read-only and never waits on another writer for it."""

    def authenticate(session: Session) -> int | None:
        officer = authenticate_token(session, plaintext, kind, now())
        return officer.id if officer is not None else None

    officer_id = side_write(authenticate)
    return get_session().get(Officer, officer_id) if officer_id is not None else None


def current_officer() -> Officer:
    """The logged-in officer's row, in the request's session."""
    officer: Officer = current_user.officer
    return officer


def permission_required(rule: Callable[[Officer], bool]) -> Callable[[F], F]:
    """Log in first; then 403 unless `rule` (from tracker.services.permissions) allows the officer."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not rule(current_officer()):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorator


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


@bp.route("/login", methods=["GET", "POST"])
@reads_only  # checking a password writes nothing: a login never waits on another writer
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        try:
            # Directory first when one is configured (tracker.directory), else local accounts.
            email, password = form.email.data or "", form.password.data or ""
            # The directory's sign-in writes the officer's row (role, desk): it takes the write
            # session then; a local login only reads.
            sessions = writing_session if settings().directory else get_session
            officer = sign_in(sessions, settings().directory, email, password)
        except DirectoryUnavailable:
            flash(gettext(DIRECTORY_DOWN), "error")
            return make_response(render_template("login.html", form=form), 503, {"Retry-After": "60"})
        if officer is not None:
            # Their mail follows their pages' language when they chose none: note what this
            # browser asks for, on the side (a login never waits on another writer).
            asked = request.accept_languages.best_match(LANGUAGES)
            if asked and officer.language is None and officer.browser_language != asked:
                officer_id = officer.id
                side_write(lambda session: note_browser_language(session, officer_id, asked))
            login_user(CurrentOfficer(officer))
            return redirect(safe_next(request.args.get("next"), url_for("dashboard.index")))
        flash(gettext(LOGIN_FAILED), "error")
    # 200 with the form again; the rate limiter counts it as a failed attempt.
    return render_template("login.html", form=form)


@bp.route("/logout", methods=["POST"])
@reads_only  # loading who is logged in takes no write lock: only ending the sessions does
@login_required
def logout() -> Response:
    """Log out everywhere: every session of this officer ends, not only this browser's. When
    the database cannot take the write now, this browser is still logged out."""
    officer_id = current_officer().id
    try:
        session = writing_session()
        end_sessions(session, session.get_one(Officer, officer_id))
    except OperationalError:
        get_session().rollback()
        logout_user()
        flash(
            gettext(
                "You are logged out in this browser; your other sessions could not be ended just now "
                "(the database is busy). Log in and out again to end them."
            ),
            "error",
        )
        return redirect(url_for("auth.login"))
    logout_user()
    flash(gettext("You are logged out, in this browser and everywhere else."), "info")
    return redirect(url_for("auth.login"))


def _login_email() -> str:
    return (request.form.get("email") or "").strip().lower()


def _login_account() -> str:
    return "login-account:" + _login_email()


def _login_failed(response: Response) -> bool:
    # A 503 (the directory is down) says nothing about the password: it does not count.
    return response.status_code not in (302, 503)


def _limiter() -> Limiter:
    limiter: Limiter = current_app.extensions["tracker.limiter"]
    return limiter


def _address_clean_for_account() -> bool:
    """True unless this address failed to log in to the typed account within the hour."""
    return _limiter().limiter.test(FAILED_ON_ACCOUNT, "login-failed", _login_email(), get_remote_address())


def _remember_failed_address(response: Response) -> Response:
    # A 429 was refused before the password was checked: not a failure of this address.
    failed = _login_failed(response) and response.status_code != 429
    if request.endpoint == "auth.login" and request.method == "POST" and failed:
        _limiter().limiter.hit(FAILED_ON_ACCOUNT, "login-failed", _login_email(), get_remote_address())
    return response


def _init_rate_limits(app: Flask, storage_uri: str) -> None:
    # One limiter per app (its storage is per app, so test apps do not share counts); the
    # login view is wrapped here rather than decorated at import for the same reason.
    limiter = Limiter(
        key_func=get_remote_address,
        storage_uri=storage_uri,
        strategy="fixed-window",
        headers_enabled=False,
    )
    limiter.init_app(app)
    view: Any = app.view_functions["auth.login"]
    view = limiter.limit(
        LOGIN_LIMIT_PER_ACCOUNT,
        key_func=_login_account,
        methods=["POST"],
        deduct_when=_login_failed,
        # An address that has not failed on the account is not bound by its limit: see the top.
        exempt_when=_address_clean_for_account,
        scope="login-account",
    )(view)
    view = limiter.limit(
        LOGIN_LIMIT_PER_ADDRESS, methods=["POST"], deduct_when=_login_failed, scope="login-address"
    )(view)
    app.view_functions["auth.login"] = view
    app.after_request(_remember_failed_address)
    app.extensions["tracker.limiter"] = limiter


@bp.record
def _rate_limit_login(state: BlueprintSetupState) -> None:
    # Runs when the blueprint is registered, after its routes (recorded above) are in place.
    app = cast(Flask, state.app)
    _init_rate_limits(app, app.extensions["tracker.settings"].ratelimit_storage_uri)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Please log in to see this page.")
    # Flask-Login flashes the message through this, in the browser's language (nobody is logged in).
    login_manager.localize_callback = gettext
    csrf.init_app(app)
