"""The Flask web app: a thin adapter from requests to tracker services."""

from __future__ import annotations

import secrets

from flask import Flask

from tracker.config import Settings
from tracker.db import make_engine, make_session_factory


def create_app(settings: Settings | None = None, *, testing: bool = False) -> Flask:
    """The app factory: one engine per app, one database transaction per request."""
    settings = settings or Settings.from_env()
    if settings.is_production and not settings.secret_key:
        raise RuntimeError("TRACKER_SECRET_KEY must be set when TRACKER_ENV=production")
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        TESTING=testing,
    )
    # A request waits at most this long for another writer's lock, then answers 503 (web/db.py).
    engine = make_engine(settings.database_url, lock_wait_s=settings.write_wait_seconds)
    app.extensions["tracker.settings"] = settings
    app.extensions["tracker.engine"] = engine
    app.extensions["tracker.session_factory"] = make_session_factory(engine)

    # Imported here, not at the top: `import web.db` (say, in a test) must not pull in every view.
    from web import (
        account,
        admin,
        auth,
        commitments,
        compliance,
        dashboard,
        db,
        events,
        feeds,
        helpers,
        i18n,
        links,
        readouts,
        security,
        tokens,
    )
    from web.api import routes as api

    db.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    helpers.init_app(app)
    i18n.init_app(app)
    for blueprint in (
        auth.bp,
        dashboard.bp,
        readouts.bp,
        commitments.bp,
        events.bp,
        admin.bp,
        account.bp,
        api.bp,  # integrations: the JSON API, calendar feeds and token settings
        feeds.bp,
        tokens.bp,
        compliance.bp,  # reports, pre-meeting brief, outcomes, reaffirmations (issue 9)
        links.bp,  # readouts of one meeting reconciled, progress from later readouts (issue 17)
    ):
        app.register_blueprint(blueprint)
    return app
