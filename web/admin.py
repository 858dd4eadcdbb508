"""Administration (admins only): officers, desks, and failed digests to retry."""

from __future__ import annotations

import zoneinfo
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from tracker.escalation import format_steps
from tracker.models import DayCount, Desk, DigestFrequency, Officer, Role
from tracker.services import admin as service
from tracker.services import desk_policy, outbox
from tracker.services.errors import InvalidInput, NotFound
from tracker.services.officers import create_officer
from tracker.services.permissions import is_admin
from web.auth import current_officer, permission_required
from web.db import get_session, now, settings
from web.helpers import WEEKDAYS, parse_int
from web.i18n import said, said_text

bp = Blueprint("admin", __name__, url_prefix="/admin")


def choices() -> dict[str, Any]:
    return {
        "roles": list(Role),
        "frequencies": list(DigestFrequency),
        "weekdays": WEEKDAYS,
        "zones": sorted(zoneinfo.available_timezones()),
        "desks": service.list_desks(get_session()),
    }


def _officer(officer_id: int) -> Officer:
    try:
        return service.get_officer(get_session(), officer_id)
    except NotFound:
        abort(404)


@bp.route("/")
@permission_required(is_admin)
def index() -> Response:
    return redirect(url_for("admin.officers"))


@bp.route("/officers")
@permission_required(is_admin)
def officers(errors: list[str] | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "admin/officers.html",
        officers=service.list_officers(get_session()),
        errors=errors or [],
        form=request.form,
        **choices(),
    ), status


@bp.route("/officers", methods=["POST"])
@permission_required(is_admin)
def add_officer() -> tuple[str, int] | Response:
    form = request.form
    try:
        officer = create_officer(
            get_session(),
            email=form.get("email", ""),
            name=form.get("name", ""),
            role=form.get("role", Role.OFFICER.value),
            desk=form.get("desk") or None,
            timezone=form.get("timezone") or "UTC",
            password=form.get("password", ""),
            digest_frequency=form.get("digest_frequency", DigestFrequency.DAILY.value),
            digest_hour=parse_int(form.get("digest_hour"), gettext("The digest hour"), default=8) or 0,
        )
    except InvalidInput as exc:
        get_session().rollback()
        return officers(errors=said(exc), status=400)
    flash(gettext("Added %(name)s (%(email)s).", name=officer.name, email=officer.email), "info")
    return redirect(url_for("admin.officers"))


def _edit_page(officer: Officer, errors: list[str] | None = None, status: int = 200) -> tuple[str, int]:
    return render_template("admin/officer.html", officer=officer, errors=errors or [], **choices()), status


@bp.route("/officers/<int:officer_id>")
@permission_required(is_admin)
def officer(officer_id: int) -> tuple[str, int]:
    return _edit_page(_officer(officer_id))


@bp.route("/officers/<int:officer_id>", methods=["POST"])
@permission_required(is_admin)
def update_officer(officer_id: int) -> tuple[str, int] | Response:
    target = _officer(officer_id)
    form = request.form
    try:
        service.update_officer(
            get_session(),
            target,
            by=current_officer(),
            name=form.get("name", ""),
            role=form.get("role", ""),
            desk=form.get("desk") or None,
            timezone=form.get("timezone", ""),
            digest_frequency=form.get("digest_frequency", ""),
            digest_hour=parse_int(form.get("digest_hour"), gettext("The digest hour"), default=8) or 0,
            digest_weekday=parse_int(form.get("digest_weekday"), gettext("The digest weekday"), default=0)
            or 0,
        )
    except InvalidInput as exc:
        get_session().rollback()
        return _edit_page(_officer(officer_id), said(exc), 400)
    flash(gettext("Saved %(name)s.", name=target.name), "info")
    return redirect(url_for("admin.officer", officer_id=officer_id))


@bp.route("/officers/<int:officer_id>/password", methods=["POST"])
@permission_required(is_admin)
def reset_password(officer_id: int) -> tuple[str, int] | Response:
    target = _officer(officer_id)
    try:
        service.reset_password(get_session(), target, request.form.get("password", ""))
    except InvalidInput as exc:
        get_session().rollback()
        return _edit_page(_officer(officer_id), said(exc), 400)
    flash(
        gettext("New password set for %(name)s. Tell them through a separate channel.", name=target.name),
        "info",
    )
    return redirect(url_for("admin.officer", officer_id=officer_id))


@bp.route("/officers/<int:officer_id>/active", methods=["POST"])
@permission_required(is_admin)
def set_active(officer_id: int) -> tuple[str, int] | Response:
    target = _officer(officer_id)
    active = request.form.get("active") == "1"
    try:
        service.set_active(get_session(), target, active, by=current_officer(), now=now())
    except InvalidInput as exc:
        get_session().rollback()
        return _edit_page(_officer(officer_id), said(exc), 400)
    if active:
        flash(gettext("%(name)s is active again.", name=target.name), "info")
    else:
        flash(gettext("%(name)s is deactivated: they can no longer log in.", name=target.name), "info")
    return redirect(url_for("admin.officer", officer_id=officer_id))


@bp.route("/desks")
@permission_required(is_admin)
def desks(errors: list[str] | None = None, status: int = 200) -> tuple[str, int]:
    session = get_session()
    default = settings().escalation_steps
    return render_template(
        "admin/desks.html",
        rows=service.list_desks(session),
        errors=errors or [],
        policies=[
            (desk, policy, desk_policy.policy_to_dict(desk, policy, default))
            for desk, policy in desk_policy.list_policies(session)
        ],
        default_ladder=format_steps(default),
        day_counts=[d.value for d in DayCount],
        officers=service.list_officers(session),
    ), status


@bp.route("/desks", methods=["POST"])
@permission_required(is_admin)
def add_desk() -> tuple[str, int] | Response:
    try:
        desk = service.create_desk(get_session(), request.form.get("name", ""))
    except InvalidInput as exc:
        get_session().rollback()
        return desks(said(exc), 400)
    flash(gettext("Added desk %(name)s.", name=desk.name), "info")
    return redirect(url_for("admin.desks"))


@bp.route("/desks/<int:desk_id>", methods=["POST"])
@permission_required(is_admin)
def rename_desk(desk_id: int) -> tuple[str, int] | Response:
    try:
        desk = service.rename_desk(get_session(), desk_id, request.form.get("name", ""))
    except NotFound:
        abort(404)
    except InvalidInput as exc:
        get_session().rollback()
        return desks(said(exc), 400)
    flash(gettext("Renamed the desk to %(name)s.", name=desk.name), "info")
    return redirect(url_for("admin.desks"))


@bp.route("/desks/<int:desk_id>/countries", methods=["POST"])
@permission_required(is_admin)
def update_desk_countries(desk_id: int) -> tuple[str, int] | Response:
    """The countries a desk covers: the ingest preview gives a readout with that counterpart to it."""
    session = get_session()
    desk = session.get(Desk, desk_id)
    if desk is None:
        abort(404)
    try:
        names = desk_policy.set_countries(session, desk, request.form.get("countries", ""))
    except InvalidInput as exc:
        session.rollback()
        return desks([f"{desk.name}: {exc}"], 400)
    if names:
        flash(gettext("%(desk)s covers %(countries)s.", desk=desk.name, countries=", ".join(names)), "info")
    else:
        flash(gettext("%(desk)s covers no country.", desk=desk.name), "info")
    return redirect(url_for("admin.desks"))


@bp.route("/desks/<int:desk_id>/policy", methods=["POST"])
@permission_required(is_admin)
def update_desk_policy(desk_id: int) -> tuple[str, int] | Response:
    """A desk's escalation contacts and ladder, and how it counts days (issue 17)."""
    session = get_session()
    desk = session.get(Desk, desk_id)
    if desk is None:
        abort(404)
    form = request.form
    try:
        desk_policy.update_policy(
            session,
            desk,
            supervisor=form.get("supervisor", ""),
            head=form.get("head", ""),
            escalation_steps=form.get("escalation_steps", ""),
            country=form.get("country", ""),
            day_count=form.get("day_count", "calendar"),
        )
    except InvalidInput as exc:
        session.rollback()
        return desks([f"{desk.name}: {exc}"], 400)
    flash(gettext("Saved the follow-up policy of %(name)s.", name=desk.name), "info")
    return redirect(url_for("admin.desks"))


@bp.route("/digests")
@permission_required(is_admin)
def digests() -> str:
    return render_template(
        "admin/digests.html",
        failed=outbox.list_digests(get_session(), failed_only=True),
        counts=outbox.digest_counts(get_session()),
    )


@bp.route("/digests/<int:digest_id>/retry", methods=["POST"])
@permission_required(is_admin)
def retry_digest(digest_id: int) -> Response:
    try:
        digest = outbox.retry_digest(get_session(), digest_id, now())
    except NotFound:
        abort(404)
    except InvalidInput as exc:
        flash(said_text(exc), "error")
        return redirect(url_for("admin.digests"))
    flash(
        gettext(
            "Digest %(id)s for %(email)s will be sent on the next dispatch run.",
            id=digest.id,
            email=digest.officer.email,
        ),
        "info",
    )
    return redirect(url_for("admin.digests"))
