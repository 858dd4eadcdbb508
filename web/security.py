"""Security headers on every response, friendly error pages, and text that cannot hide itself.

The Content-Security-Policy allows scripts and styles from the app's own origin only, so a
readout that smuggles in `<script>` or an inline handler could not run even if escaping failed;
that is also why templates carry no inline `style=` attributes and no inline scripts.
"""

from __future__ import annotations

import logging
import re

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from markupsafe import Markup, escape
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from web.api.problems import problem_response
from web.i18n import N_

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

# Bidi overrides/isolates and zero-width characters can make a quote read differently from
# what it says; on pages they are shown as visible code points instead of acting on the text.
_HIDDEN_CHARS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def reveal_hidden(text: str) -> str:
    """`text` with invisible direction and zero-width characters written out as ⟨U+XXXX⟩."""
    return _HIDDEN_CHARS.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def has_hidden(value: object) -> bool:
    """True when `value` holds invisible direction or zero-width characters (a Jinja test)."""
    return isinstance(value, str) and _HIDDEN_CHARS.search(value) is not None


def form_value(value: object) -> Markup:
    """`value` escaped but otherwise as it is, for a form field's value or a textarea: what the
    form sends back must be the text itself, not the ⟨U+XXXX⟩ shown on the page (which would be
    saved in its place, issue 19); inside a field the characters cannot reorder the page."""
    return escape("" if value is None else value)


def _finalize(value: object) -> object:
    # Markup is HTML the app built itself (CSRF fields, already-escaped fragments): left alone.
    # ASCII text holds none of the hidden characters: skip the regex (most strings on a page).
    if isinstance(value, str) and not isinstance(value, Markup) and not value.isascii():
        return reveal_hidden(value)
    return value


def _headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html" and "Cache-Control" not in response.headers:
        # Pages show a ministry's records: no copies in shared or back-button caches.
        response.headers["Cache-Control"] = "no-store"
    return response


_MESSAGES = {
    400: (
        N_("Bad request"),
        N_("The request could not be understood. Go back, check the form and try again."),
    ),
    403: (
        N_("Not allowed"),
        N_("You are logged in, but this page or action is not open to your role or desk."),
    ),
    404: (N_("Not found"), N_("There is nothing at this address. It may have been mistyped or removed.")),
    405: (N_("Not allowed here"), N_("This address does not accept that kind of request.")),
    413: (
        N_("File too large"),
        N_("The upload is larger than the tracker accepts. Paste the text instead, or split the document."),
    ),
    429: (
        N_("Too many attempts"),
        N_("Too many failed attempts from here or for this account. Wait a few minutes and try again."),
    ),
    503: (
        N_("Temporarily unavailable"),
        N_("The tracker cannot reach its database just now, and nothing was saved. Try again in a minute."),
    ),
    500: (
        N_("Something went wrong"),
        N_("The tracker hit an error and nothing was saved. Please try again."),
    ),
}


# A page or JSON body, its status code, and headers.
ErrorAnswer = tuple[Response | str, int, dict[str, str]]


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"
    )


def _error_page(error: HTTPException) -> ErrorAnswer:
    code = error.code or 500
    # The error's own headers (Allow on a 405, Retry-After ...) belong on the friendly page too.
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    title, message = _MESSAGES.get(code, (error.name, error.description or ""))
    if isinstance(error, CSRFError):
        title, message = (
            N_("Form expired"),
            N_("The form had expired or came from elsewhere. Reload the page and try again."),
        )
    title, message = gettext(title), gettext(message)
    if _wants_json():
        return jsonify(error=code, message=message), code, headers
    return render_template("error.html", code=code, error_title=title, message=message), code, headers


# The database server is down, restarting or unreachable, or (SQLite) another writer held the
# lock for the whole busy timeout: the request could not be served, but nothing is wrong with it
# or with the app, and the pool reconnects by itself (pre-ping).
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, DisconnectionError, InterfaceError)


def database_unavailable(error: BaseException | None) -> bool:
    """True for the errors that mean "the database cannot serve this now" (answered with 503)."""
    return isinstance(error, DATABASE_UNAVAILABLE)


def _unavailable(error: Exception) -> ErrorAnswer:
    # One line, no traceback: an outage produces many of these. The statement is left out
    # (`hide_parameters` aside, it may hold what the user typed).
    log.warning("database unavailable on %s %s: %s", request.method, request.path, type(error).__name__)
    if request.path.startswith("/api/"):
        return (
            problem_response(
                503,
                "the database is unavailable just now; nothing was changed; try again shortly",
            ),
            503,
            {"Retry-After": "30"},
        )
    # The page is drawn without the database: who is logged in cannot be looked up now, so the
    # layout shows the visitor as logged out (their session cookie is kept for when it is back).
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    page, code, headers = _error_page(ServiceUnavailable())
    return page, code, {**headers, "Retry-After": "30"}


def _server_error(error: Exception) -> ErrorAnswer:
    original = getattr(error, "original_exception", None) or error
    if database_unavailable(original):
        # Raised where no handler sees it (committing after the view): still an outage, not a bug.
        return _unavailable(original)
    # Only the message reaches the page; the traceback goes to the log.
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=original)
    return _error_page(InternalServerError())


def init_app(app: Flask) -> None:
    app.after_request(_headers)
    app.jinja_env.finalize = _finalize
    app.jinja_env.filters["form_value"] = form_value
    app.jinja_env.tests["hidden_chars"] = has_hidden
    for code in (400, 403, 404, 405, 413, 429, 503):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(CSRFError, _error_page)
    app.register_error_handler(500, _server_error)
    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, database_error)


def database_error(error: Exception) -> ErrorAnswer:
    """Handler for SQLAlchemy's connection errors: 503 (the database cannot serve this now)."""
    return _unavailable(error)
