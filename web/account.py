"""My settings: time zone, digest preference, which saved view is my dashboard, and a preview of
my next digest."""

from __future__ import annotations

import zoneinfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, refresh
from flask_login import login_required
from werkzeug.wrappers import Response

from tracker.digests import SECTION_TITLES, build_digest
from tracker.models import DigestFrequency
from tracker.services.admin import LANGUAGES, set_language, update_preferences
from tracker.services.errors import InvalidInput, NotFound
from tracker.services.saved_views import dashboard_view, list_views, set_dashboard
from web.auth import current_officer
from web.db import get_session, now, settings
from web.helpers import WEEKDAYS, parse_int
from web.i18n import said

bp = Blueprint("account", __name__)


def _page(errors: list[str] | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "account/settings.html",
        officer=current_officer(),
        errors=errors or [],
        frequencies=list(DigestFrequency),
        weekdays=WEEKDAYS,
        zones=sorted(zoneinfo.available_timezones()),
        languages=LANGUAGES,
        has_tokens="tokens" in current_app.blueprints,
        views=list_views(get_session(), current_officer()),
        dashboard=dashboard_view(get_session(), current_officer()),
    ), status


@bp.route("/settings")
@login_required
def settings_page() -> tuple[str, int]:
    return _page()


@bp.route("/settings", methods=["POST"])
@login_required
def save() -> tuple[str, int] | Response:
    form = request.form
    try:
        notify = form.get("notify")
        if notify not in (None, "immediate", "digest"):
            raise InvalidInput(
                gettext("unknown notification preference %(value)s: immediate or digest", value=repr(notify))
            )
        update_preferences(
            get_session(),
            current_officer(),
            timezone=form.get("timezone", ""),
            digest_frequency=form.get("digest_frequency", ""),
            digest_hour=parse_int(form.get("digest_hour"), gettext("The digest hour"), default=8) or 0,
            digest_weekday=parse_int(form.get("digest_weekday"), gettext("The digest weekday"), default=0)
            or 0,
            notify_immediately=None if notify is None else notify == "immediate",
        )
        set_language(get_session(), current_officer(), form.get("language"))
        if "dashboard_view" in form:
            chosen = form.get("dashboard_view", "")
            set_dashboard(get_session(), current_officer(), int(chosen) if chosen.isdigit() else None)
        # The request has already picked its language (the labels above): pick it again, so that
        # "Settings saved." is said in the language just chosen.
        refresh()
    except NotFound:
        get_session().rollback()
        return _page([gettext("choose the dashboard from your saved views")], 400)
    except InvalidInput as exc:
        get_session().rollback()
        return _page(said(exc), 400)
    flash(gettext("Settings saved."), "info")
    return redirect(url_for("account.settings_page"))


@bp.route("/settings/digest-preview")
@login_required
def digest_preview() -> str:
    """What my next digest would say, built exactly as the dispatcher builds it; nothing is sent."""
    content = build_digest(get_session(), current_officer(), now(), settings().base_url)
    return render_template("account/digest_preview.html", content=content, titles=SECTION_TITLES)
