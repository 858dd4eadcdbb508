"""Reports, the pre-meeting brief, outcome assessment and reaffirmation review (issue 9).

A thin adapter: figures come from tracker.reports and tracker.services.compliance, the brief
from tracker.brief, writes go through the services; the request commits once (web.db).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response as BaseResponse

from tracker.brief import Brief, build_brief, format_score, render_body, render_docx, render_pdf, stylesheet
from tracker.models import Commitment, Outcome, Party, Readout
from tracker.reports import (
    CHARTS,
    CSV_TABLES,
    DEFAULT_WEEKS,
    MAX_WEEKS,
    Report,
    build_report,
    chart_svg,
    table_csv,
)
from tracker.services.compliance import OUTCOME_LABELS, evidence_for, set_outcome
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied, ServiceError, VersionConflict
from tracker.services.permissions import can_see_readout
from tracker.services.reaffirmations import confirm_by_ids, proposals_for_readout, reaffirmations_for
from web.auth import current_officer
from web.db import get_session, now, settings
from web.helpers import parse_date, safe_next
from web.i18n import language, said, said_text
from web.labels import tr

bp = Blueprint("compliance", __name__)

STYLESHEET = Path(__file__).resolve().parent / "templates" / "compliance" / "compliance.css"
# The charts are images: nothing in them may run or load.
CHART_CSP = "default-src 'none'"
# The part of the report each chart draws (a chart builds nothing else).
CHART_PARTS = {"open-overdue": ("timeline",), "compliance-by-counterpart": ("counterparts",)}


def _today() -> dt.date:
    from web.helpers import today

    return today()


def _weeks() -> int:
    raw = request.args.get("weeks", "")
    if raw.isdigit():
        return max(1, min(int(raw), MAX_WEEKS))
    return DEFAULT_WEEKS


@bp.route("/compliance.css")
def css() -> Response:
    """The brief's print stylesheet and the reports layout, served by the app (no inline styles)."""
    body = stylesheet() + "\n" + STYLESHEET.read_text(encoding="utf-8")
    response = Response(body, mimetype="text/css")
    response.cache_control.max_age = 300
    return response


# --- reports ------------------------------------------------------------------------------


def _span() -> dict[str, Any]:
    """The meetings the report is of, from the query string ("from", "to"); InvalidInput if a
    date cannot be read or the range is back to front."""
    date_from = parse_date(request.args.get("from"), gettext("The first meeting date"))
    date_to = parse_date(request.args.get("to"), gettext("The last meeting date"))
    if date_from and date_to and date_from > date_to:
        raise InvalidInput(gettext("the first meeting date is after the last"))
    return {"date_from": date_from, "date_to": date_to}


def _report_args(span: dict[str, Any], weeks: int) -> dict[str, str]:
    """The query string that gives a chart or a CSV file the page's range."""
    args = {"weeks": str(weeks)}
    if span["date_from"]:
        args["from"] = span["date_from"].isoformat()
    if span["date_to"]:
        args["to"] = span["date_to"].isoformat()
    return args


@bp.route("/reports")
@login_required
def reports() -> tuple[str, int]:
    today = _today()
    weeks = _weeks()
    errors: list[str] = []
    try:
        span = _span()
    except InvalidInput as exc:
        errors.append(str(exc))
        span = {"date_from": None, "date_to": None}
    report = build_report(
        get_session(),
        today=today,
        home_party=settings().home_party,
        weeks=weeks,
        viewer=current_officer(),
        **span,
    )
    return render_template(
        "compliance/reports.html",
        title=gettext("Reports"),
        section="reports",
        report=report,
        weeks=weeks,
        charts=CHARTS,
        score=format_score,
        errors=errors,
        args=_report_args(span, weeks),
        form={k: request.args.get(k, "") for k in ("from", "to")},
    ), 400 if errors else 200


def _report_part(parts: tuple[str, ...]) -> tuple[dict[str, Any], Report]:
    """The request's range of meetings and the report's `parts` for it, as the viewer may see
    them (400 for a range that does not parse: the page itself says why)."""
    try:
        span = _span()
    except InvalidInput:
        abort(400)
    report = build_report(
        get_session(),
        today=_today(),
        home_party=settings().home_party,
        weeks=_weeks(),
        viewer=current_officer(),
        parts=parts,
        **span,
    )
    return span, report


@bp.route("/reports/<name>.csv")
@login_required
def report_csv(name: str) -> Response:
    """One of the page's tables as CSV, for the page's range of meetings."""
    if name not in CSV_TABLES:
        abort(404)
    span, report = _report_part((CSV_TABLES[name][0],))
    bounds = "-".join(d.isoformat() for d in (span["date_from"], span["date_to"]) if d)
    filename = f"report-{name}-{bounds or 'all'}-as-of-{report.today.isoformat()}.csv"
    # The byte-order mark the commitments export starts with: Excel then reads UTF-8.
    return Response(
        "\ufeff" + table_csv(name, report),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/reports/charts/<name>.svg")
@login_required
def chart(name: str) -> Response:
    if name not in CHARTS:
        abort(404)
    _, report = _report_part(CHART_PARTS[name])
    response = Response(chart_svg(name, report), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = CHART_CSP
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the pre-meeting brief ----------------------------------------------------------------


def _brief_from_args() -> Brief | None:
    party = (request.args.get("party") or "").strip()
    if not party:
        return None
    date_from = parse_date(request.args.get("from"), gettext("The start date"))
    date_to = parse_date(request.args.get("to"), gettext("The end date"))
    # In the page's language: the officer's choice, else their browser's.
    return build_brief(
        get_session(),
        party,
        date_from,
        date_to,
        today=_today(),
        viewer=current_officer(),
        language=language(),
    )


def _parties() -> list[str]:
    return list(get_session().scalars(select(Party.name).order_by(Party.name)))


@bp.route("/brief")
@login_required
def brief() -> tuple[str, int]:
    errors: list[str] = []
    data: Brief | None = None
    status = 200
    try:
        data = _brief_from_args()
    except NotFound as exc:
        errors, status = said(exc), 404
    except InvalidInput as exc:
        errors, status = said(exc), 400
    home = settings().home_party.lower()
    parties = _parties()
    return render_template(
        "compliance/brief.html",
        title=gettext("Brief: %(party)s", party=data.party) if data else gettext("Pre-meeting brief"),
        section="brief",
        brief=data,
        body=render_body(data) if data else None,
        errors=errors,
        # The counterpart first in the list; our own government stays choosable.
        parties=[p for p in parties if p.lower() != home] + [p for p in parties if p.lower() == home],
        args=request.args,
    ), status


def _download(kind: str) -> Response:
    try:
        data = _brief_from_args()
    except NotFound:
        abort(404)
    except InvalidInput:
        abort(400)
    if data is None:
        abort(400)
    slug = re.sub(r"[^a-z0-9]+", "-", data.party.lower()).strip("-") or "party"
    filename = f"brief-{slug}-{data.today.isoformat()}.{kind}"
    if kind == "pdf":
        body, mimetype = render_pdf(data), "application/pdf"
    else:
        body = render_docx(data)
        mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@bp.route("/brief.pdf")
@login_required
def brief_pdf() -> Response:
    return _download("pdf")


@bp.route("/brief.docx")
@login_required
def brief_docx() -> Response:
    return _download("docx")


# --- outcome assessment -------------------------------------------------------------------


@bp.route("/commitments/<int:commitment_id>/outcome", methods=["POST"])
@login_required
def outcome(commitment_id: int) -> BaseResponse:
    session = get_session()
    c = session.get(Commitment, commitment_id)
    if c is None or not can_see_readout(session, current_officer(), c.readout_id):
        abort(404)
    back = safe_next(request.form.get("next"), url_for("commitments.detail", commitment_id=c.id))
    raw_version = (request.form.get("version") or "").strip()
    try:
        readout_raw = (request.form.get("evidence_readout_id") or "").strip()
        if readout_raw and not readout_raw.isdigit():
            raise InvalidInput(gettext("the evidence readout must be a readout number"))
        set_outcome(
            session,
            c,
            request.form.get("outcome", ""),
            by=current_officer(),
            note=request.form.get("note", ""),
            evidence_urls=(request.form.get("evidence") or "").split(),
            evidence_readout_id=int(readout_raw) if readout_raw else None,
            now=now(),
            expect_version=int(raw_version) if raw_version.isdigit() else None,
        )
    except PermissionDenied:
        session.rollback()
        abort(403)
    except (ServiceError, StaleDataError) as exc:
        # Nothing of the assessment is kept; the message says why.
        session.rollback()
        if isinstance(exc, VersionConflict | StaleDataError):
            flash(
                gettext("Someone else changed this commitment meanwhile; check it and assess again."), "error"
            )
        else:
            flash(gettext("The outcome was not saved: %(reason)s", reason=said_text(exc)), "error")
        return redirect(back)
    flash(
        gettext(
            "Outcome of commitment #%(id)s set to %(outcome)s.",
            id=c.id,
            outcome=tr(OUTCOME_LABELS[c.outcome or Outcome.TOO_EARLY]),
        ),
        "info",
    )
    return redirect(back)


# --- reaffirmations -----------------------------------------------------------------------


@bp.app_template_global("compliance_links")
def compliance_links(commitment_id: int) -> dict[str, list[Any]]:
    """For other pages' templates: a commitment's evidence and reaffirmation links (both ways)."""
    session = get_session()
    links = reaffirmations_for(session, [commitment_id], viewer=current_officer())
    return {
        "evidence": evidence_for(session, [commitment_id])[commitment_id],
        "reaffirmed_by": [link for link in links if link.commitment_id == commitment_id],
        "reaffirms": [link for link in links if link.reaffirmed_by_id == commitment_id],
    }


@bp.route("/readouts/<int:readout_id>/reaffirmations")
@login_required
def reaffirmations(readout_id: int) -> str:
    session = get_session()
    readout = session.get(Readout, readout_id)
    if readout is None or not can_see_readout(session, current_officer(), readout.id):
        abort(404)
    ids = list(session.scalars(select(Commitment.id).where(Commitment.readout_id == readout.id)))
    confirmed = [
        link
        for link in reaffirmations_for(session, ids, viewer=current_officer())
        if link.readout_id == readout.id
    ]
    return render_template(
        "compliance/reaffirmations.html",
        title=gettext("Reaffirmations: %(title)s", title=readout.title),
        section="readouts",
        readout=readout,
        proposals=proposals_for_readout(session, readout, viewer=current_officer()),
        confirmed=confirmed,
        later={c.id: c for c in session.scalars(select(Commitment).where(Commitment.id.in_(ids)))},
    )


@bp.route(
    "/readouts/<int:readout_id>/reaffirmations/<int:earlier_id>/<int:later_id>/confirm", methods=["POST"]
)
@login_required
def confirm(readout_id: int, earlier_id: int, later_id: int) -> BaseResponse:
    session = get_session()
    back = url_for("compliance.reaffirmations", readout_id=readout_id)
    later = session.get(Commitment, later_id)
    if (
        later is None
        or later.readout_id != readout_id
        or not can_see_readout(session, current_officer(), readout_id)
    ):
        abort(404)
    try:
        confirm_by_ids(session, earlier_id, later_id, by=current_officer(), now=now())
    except NotFound:
        session.rollback()
        abort(404)
    except PermissionDenied:
        session.rollback()
        abort(403)
    except ServiceError as exc:
        session.rollback()
        flash(gettext("Not linked: %(reason)s", reason=said_text(exc)), "error")
        return redirect(back)
    flash(
        gettext("Linked: commitment #%(new)s reaffirms commitment #%(old)s.", new=later_id, old=earlier_id),
        "info",
    )
    return redirect(back)
