"""Desk officers' pages."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from tracker.services.commitments import CommitmentFilter, list_commitments
from web.db import get_session, now

bp = Blueprint("views", __name__)

PAGE_SIZE = 200


@bp.route("/")
@login_required
def index() -> str:
    return commitments()


@bp.route("/commitments")
@login_required
def commitments() -> str:
    filters = CommitmentFilter(
        status=request.args.get("status") or None,
        party=request.args.get("party") or None,
        overdue=request.args.get("overdue") == "1",
    )
    today = now().date()
    rows = list_commitments(get_session(), filters, today, limit=PAGE_SIZE)
    return render_template("commitments.html", rows=rows, today=today, title="Commitments")
