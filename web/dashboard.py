"""The dashboard: what needs my attention and my desk's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required

from tracker.services import notifications
from tracker.services.commitment_queries import filter_choices
from tracker.services.dashboard import BUCKET_LABELS, BUCKETS, build_dashboard
from tracker.services.permissions import sees_every_desk
from web.auth import current_officer
from web.db import get_session
from web.helpers import today
from web.i18n import language

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@login_required
def index() -> str:
    officer = current_officer()
    day = today()
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
        news_days=7,
    )
