"""The dashboard: what needs my attention and my desk's; or, when the officer chose one in their
settings, one of their saved views (`?standard=1` shows the standard dashboard still)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from tracker.models import Officer, SavedView
from tracker.services import notifications
from tracker.services.commitment_queries import DEFAULT_SORT, SORTS, commitment_page, filter_choices
from tracker.services.dashboard import BUCKET_LABELS, BUCKETS, build_dashboard
from tracker.services.errors import NotFound
from tracker.services.permissions import sees_every_desk
from tracker.services.saved_views import dashboard_view
from web.auth import current_officer
from web.commitments import parse_filters
from web.db import get_session, now
from web.helpers import today, whole_number
from web.i18n import language

bp = Blueprint("dashboard", __name__)


@bp.app_context_processor
def _unread_notifications() -> dict[str, Any]:
    """Every page's navigation shows how many notifications the officer has not read."""
    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": notifications.unread_count(get_session(), current_user.officer)}


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read() -> BaseResponse:
    """Mark one notification read (`id`), or all of mine (`all`); back to the dashboard."""
    ids: list[int] | None = None
    if not request.form.get("all"):
        ids = [whole_number(v) or 0 for v in request.form.getlist("id")]
        if not ids:
            abort(400)
    try:
        marked = notifications.mark_read(get_session(), current_officer(), now(), ids)
    except NotFound:
        abort(404)
    if ids is None:
        said = ngettext("%(num)d notification marked read.", "%(num)d notifications marked read.", marked)
        flash(said, "info")
    return redirect(url_for("dashboard.index") + "#news-h")


@bp.route("/")
@login_required
def index() -> str:
    officer = current_officer()
    day = today()
    view = dashboard_view(get_session(), officer)
    if view is not None and request.args.get("standard") != "1":
        return _saved_view_dashboard(view, officer, day)
    board = build_dashboard(get_session(), officer, day, desk_name=request.args.get("desk") or None)
    bucket_args: dict[str, dict[str, Any]] = {
        "overdue": {"overdue": "1"},
        "due_soon": {
            "due_after": day.isoformat(),
            "due_before": (day + dt.timedelta(days=board.horizon_days)).isoformat(),
        },
        "stale": {"stale": "1"},
        "waiting": {"waiting": "1"},
    }
    # Each count links to the commitments list filtered to exactly those rows.
    desk_arg: dict[str, Any] = {"desk": board.desk_name} if board.desk_name not in (None, "*") else {}
    links = {
        "mine": {b: url_for("commitments.index", owner=officer.email, **bucket_args[b]) for b in BUCKETS},
        "desk": {
            b: url_for(
                "commitments.index",
                **desk_arg,
                **bucket_args[b],
            )
            for b in BUCKETS
        },
    }
    desks = filter_choices(get_session()).desks if sees_every_desk(officer) else []
    unread = notifications.unread(get_session(), officer)
    news = notifications.describe(get_session(), officer, unread, say=gettext, locale=language())
    return render_template(
        "dashboard.html",
        board=board,
        buckets=BUCKETS,
        labels=BUCKET_LABELS,
        day=day,
        desks=desks,
        officer=officer,
        links=links,
        news=[(line, line.said) for line in news],
        has_view=view is not None,
    )


# How many of a saved view's commitments the dashboard shows (the list has them all).
VIEW_ROWS = 50


def _saved_view_dashboard(view: SavedView, officer: Officer, day: dt.date) -> str:
    """The dashboard as the officer's saved view: its first commitments, as the list sorts them
    (the notifications stay on the standard dashboard; the navigation counts them)."""
    args = MultiDict(parse_qsl(view.query))
    filters, errors = parse_filters(args)
    sort = args.get("sort") or DEFAULT_SORT
    page = commitment_page(
        get_session(),
        filters,
        day,
        sort=sort if sort in SORTS else DEFAULT_SORT,
        page=1,
        per_page=VIEW_ROWS,
        viewer=officer,
    )
    return render_template(
        "dashboard_view.html",
        view=view,
        page=page,
        errors=errors,
        day=day,
        officer=officer,
        list_url=url_for("commitments.index") + (f"?{view.query}" if view.query else ""),
        unread=notifications.unread_count(get_session(), officer),
    )
