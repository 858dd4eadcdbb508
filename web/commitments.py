"""Commitments: the filtered list (with bulk status change and CSV export) and one commitment's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from tracker.history_text import describe_change, describe_creation, is_creation_detail, is_tracker_flag
from tracker.models import Commitment, Officer, Status
from tracker.services import extensions
from tracker.services.commitment_queries import (
    DEFAULT_SORT,
    SORTS,
    CommitmentFilter,
    check_filter_text,
    commitment_page,
    commitments_by_ids,
    filter_choices,
    load_commitment,
)
from tracker.services.commitments import PARTY_SEPARATOR, update_commitment
from tracker.services.compliance import OUTCOME_LABELS
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied, VersionConflict
from tracker.services.escalations import describe as describe_escalation
from tracker.services.escalations import escalations_of
from tracker.services.export import commitments_csv
from tracker.services.history import changes_since
from tracker.services.officers import names_by_email
from tracker.services.permissions import can_decide_extension, can_edit
from tracker.services.saved_views import clean_query, delete_view, list_views, save_view
from web.auth import current_officer
from web.db import get_session, now, session_factory, settings
from web.helpers import STATUS_LABELS, parse_date, parse_int, today, whole_number
from web.i18n import language, said, said_text
from web.security import reveal_hidden

bp = Blueprint("commitments", __name__)

PER_PAGE = 50
FLAGS = ("overdue", "stale", "waiting")


def parse_filters(args: MultiDict[str, str]) -> tuple[CommitmentFilter, list[str]]:
    """The list's filters from the query string, and what could not be understood."""
    errors: list[str] = []

    def date(name: str, label: str) -> dt.date | None:
        try:
            return parse_date(args.get(name), label)
        except InvalidInput as exc:
            errors.extend(said(exc))
            return None

    def text(name: str, limit: int = 300) -> str | None:
        try:
            return check_filter_text(name, (args.get(name) or "").strip()[:limit] or None)
        except InvalidInput as exc:
            errors.extend(said(exc))
            return None

    status = (args.get("status") or "").strip() or None
    if status is not None and status not in {s.value for s in Status}:
        errors.append(gettext("unknown status %(value)r", value=status))
        status = None
    readout = (args.get("readout") or "").strip()
    filters = CommitmentFilter(
        status=status,
        party=text("party"),
        desk=text("desk"),
        owner=text("owner"),
        overdue=args.get("overdue") == "1",
        stale=args.get("stale") == "1",
        waiting=args.get("waiting") == "1",
        due_after=date("due_after", gettext("Due from")),
        due_before=date("due_before", gettext("Due until")),
        q=text("q", 200),
        readout_id=whole_number(readout),
    )
    return filters, errors


@bp.route("/commitments")
@login_required
def index() -> str:
    filters, errors = parse_filters(request.args)
    sort = request.args.get("sort") or DEFAULT_SORT
    if sort not in SORTS:
        errors.append(gettext("unknown sort %(value)r", value=sort))
        sort = DEFAULT_SORT
    page_number = request.args.get("page", "1")
    day = today()
    session = get_session()
    page = commitment_page(
        session,
        filters,
        day,
        sort=sort,
        page=whole_number(page_number) or 1,
        per_page=PER_PAGE,
        viewer=current_officer(),
    )
    officer = current_officer()
    editable = {c.id for c in page.items if can_edit(officer, c)}
    return render_template(
        "commitments/list.html",
        page=page,
        filters=filters,
        errors=errors,
        sort=sort,
        sorts=SORTS,
        day=day,
        choices=filter_choices(session),
        editable=editable,
        statuses=list(Status),
        export_url=url_for("commitments.export", **cast(dict[str, Any], request.args.to_dict())),
        filtered=any(request.args.get(k) for k in request.args if k not in ("sort", "page")),
    )


@bp.route("/commitments.csv")
@login_required
def export() -> Response:
    filters, errors = parse_filters(request.args)
    if errors:
        abort(400)
    day = today()
    factory = session_factory()
    officer_id = current_officer().id

    def generate() -> Iterator[str]:
        # The request's own session is closed before the body streams: the export has its own,
        # and reads the officer afresh in it for need-to-know (issue 19).
        # A UTF-8 byte-order mark first: without it Excel reads the file as the local code page
        # and turns "Viet Nam–Japan" or Japanese text into mojibake.
        yield "\ufeff"
        with factory() as session:
            viewer = session.get(Officer, officer_id)
            if viewer is None:
                return
            yield from commitments_csv(session, filters, day, viewer=viewer)

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="commitments-{day.isoformat()}.csv"'},
    )


def _safe_return(target: str | None) -> str:
    if target and target.startswith("/commitments") and "//" not in target and "\\" not in target:
        return target
    return url_for("commitments.index")


@bp.route("/commitments/views", methods=["POST"])
@login_required
def views() -> BaseResponse:
    """Save the list's current filter under a name, or delete one of the officer's saved views."""
    session = get_session()
    officer = current_officer()
    delete = request.form.get("delete", "")
    if delete:
        try:
            delete_view(session, officer, int(delete) if delete.isdigit() else 0)
        except NotFound:
            flash(gettext("That saved view no longer exists."), "error")
        else:
            flash(gettext("Saved view deleted."), "info")
        return redirect(url_for("commitments.index"))
    query = clean_query(request.form.get("query", ""))
    back = url_for("commitments.index") + (f"?{query}" if query else "")
    try:
        view = save_view(session, officer, name=request.form.get("name", ""), query=query, now=now())
    except InvalidInput as exc:
        flash(gettext("Not saved: %(reason)s.", reason=said_text(exc)), "error")
        return redirect(back)
    flash(gettext("Saved the view “%(name)s”: it is in the navigation.", name=view.name), "info")
    return redirect(back)


@bp.app_context_processor
def _saved_views() -> dict[str, Any]:
    """Every page's navigation lists the officer's saved views."""
    if not current_user.is_authenticated:
        return {"saved_views": []}
    return {"saved_views": list_views(get_session(), current_user.officer)}


@bp.route("/commitments/bulk", methods=["POST"])
@login_required
def bulk() -> BaseResponse:
    """One status and one note for many commitments; each one changes or is reported, alone."""
    back = _safe_return(request.form.get("next"))
    ids = sorted({n for n in map(whole_number, request.form.getlist("ids")) if n is not None})
    status = request.form.get("status", "")
    note = request.form.get("note", "")
    if not ids:
        flash(gettext("Tick at least one commitment to change."), "error")
        return redirect(back)
    if status not in {s.value for s in Status}:
        flash(gettext("Choose the new status."), "error")
        return redirect(back)
    if not note.strip():
        flash(gettext("A note is required: say why they changed. Nothing was changed."), "error")
        return redirect(back)
    session = get_session()
    officer = current_officer()
    changed: list[int] = []
    refused: list[str] = []
    for c in commitments_by_ids(session, ids, viewer=officer):
        version = request.form.get(f"v{c.id}", "")
        if not version.isdigit():
            refused.append(gettext("#%(id)s (the list was out of date; reload it)", id=c.id))
            continue
        try:
            # A savepoint per commitment: one refused change does not undo the others.
            with session.begin_nested():
                update_commitment(
                    session,
                    c,
                    by=officer,
                    note=note,
                    now=now(),
                    settings=settings().deadlines,
                    expect_version=int(version),
                    status=status,
                )
            changed.append(c.id)
        except PermissionDenied:
            refused.append(gettext("#%(id)s (another desk's)", id=c.id))
        except (VersionConflict, StaleDataError):
            refused.append(gettext("#%(id)s (changed by someone else since you loaded the list)", id=c.id))
    missing = set(ids) - {c.id for c in commitments_by_ids(session, ids, viewer=officer)}
    refused += [gettext("#%(id)s (no longer exists)", id=i) for i in sorted(missing)]
    if changed:
        flash(
            ngettext(
                "Set %(num)d commitment to %(status)s: %(ids)s.",
                "Set %(num)d commitments to %(status)s: %(ids)s.",
                len(changed),
                status=str(STATUS_LABELS.get(status, status)).lower(),
                ids=", ".join(f"#{i}" for i in changed),
            ),
            "info",
        )
    if refused:
        flash(gettext("Not changed: %(which)s.", which="; ".join(refused)), "error")
    return redirect(back)


@dataclass
class HistoryEntry:
    """One save: who, when, the note, and every change it made, in words (tracker.history_text)."""

    at: dt.datetime
    by: Officer | None
    note: str | None
    changes: list[str] = field(default_factory=list)


def history_entries(c: Commitment) -> list[HistoryEntry]:
    """The commitment's history, newest first, ending with where it came from."""
    names = names_by_email(
        get_session(),
        (
            v
            for row in c.history
            if row.field in ("owner", "escalated")
            for v in (row.old_value, row.new_value)
        ),
    )
    entries: list[HistoryEntry] = []
    corrections: str | None = None
    for row in c.history:
        if is_creation_detail(row.field):
            corrections = row.new_value
            continue
        last = entries[-1] if entries else None
        if last is None or last.at != row.changed_at or last.by is not row.officer or last.note != row.note:
            last = HistoryEntry(row.changed_at, row.officer, row.note)
            entries.append(last)
        if row.officer is None and is_tracker_flag(row.field):
            last.note = None  # the sentence already says why
        if row.field != "note" or not last.changes:
            last.changes.append(
                describe_change(
                    row.field,
                    row.old_value,
                    row.new_value,
                    by=row.officer.name if row.officer else None,
                    names=names,
                    say=gettext,
                    locale=language(),
                )
            )
    readout = c.point.readout
    by = readout.ingested_by
    created = HistoryEntry(c.created_at, by, None)
    created.changes.append(
        describe_creation(
            readout.title,
            c.point.number,
            by=by.name if by else None,
            say=gettext,
            corrections=corrections,
        )
    )
    return [*reversed(entries), created]


def _context(c: Commitment) -> tuple[str, str, str]:
    """The point's words before the quote, the quote, and after it."""
    point = c.point
    text = point.readout.text
    if point.start_offset <= c.quote_start and c.quote_end <= point.end_offset:
        return (
            text[point.start_offset : c.quote_start],
            text[c.quote_start : c.quote_end],
            text[c.quote_end : point.end_offset],
        )
    return "", c.quote, ""


def _render_detail(c: Commitment, *, status: int = 200, **extra: Any) -> tuple[str, int]:
    officer = current_officer()
    form = extra.pop("form", None) or {
        "status": c.status.value,
        "owner_id": str(c.owner_id or ""),
        "due_date": c.due_date.isoformat() if c.due_date else "",
        "parties": _parties_field(c),
        "action": _action_field(c),
        "note": "",
    }
    session = get_session()
    requests = extensions.requests_of(session, c.id)
    pending = next((r for r in requests if r.state.value == "pending"), None)
    return render_template(
        "commitments/detail.html",
        c=c,
        context=_context(c),
        history=history_entries(c),
        may_edit=can_edit(officer, c),
        escalations=[(e, describe_escalation(e)) for e in escalations_of(session, c.id)],
        extension_requests=requests,
        pending_extension=pending,
        may_decide=pending is not None and can_decide_extension(officer, pending),
        extension_form=extra.pop("extension_form", None) or {"new_due_date": "", "reason": "", "note": ""},
        outcome_labels=OUTCOME_LABELS,
        choices=filter_choices(get_session()),
        statuses=list(Status),
        day=today(),
        form=form,
        version=extra.pop("version", c.version),
        **extra,
    ), status


def _parties_field(c: Commitment) -> str:
    """The parties as the form shows them, typed back the same way ("Japan; Republic of Korea")."""
    return reveal_hidden(PARTY_SEPARATOR.join(p.name for p in c.parties))


def _action_field(c: Commitment) -> str:
    """The action as the form shows it. Like every page, the form shows hidden direction and
    zero-width characters as ⟨U+XXXX⟩ (issue 19); a field sent back as shown is unchanged."""
    return reveal_hidden(c.action)


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _load(commitment_id: int) -> Commitment:
    try:
        return load_commitment(get_session(), commitment_id, viewer=current_officer())
    except NotFound:
        abort(404)


@bp.route("/commitments/<int:commitment_id>")
@login_required
def detail(commitment_id: int) -> tuple[str, int]:
    return _render_detail(_load(commitment_id))


@bp.route("/commitments/<int:commitment_id>", methods=["POST"])
@login_required
def update(commitment_id: int) -> tuple[str, int] | BaseResponse:
    session = get_session()
    c = _load(commitment_id)
    officer = current_officer()
    if not can_edit(officer, c):
        abort(403)
    # What the officer typed, shown again if the save is refused.
    form = {
        "status": request.form.get("status", c.status.value),
        "owner_id": request.form.get("owner_id", str(c.owner_id or "")),
        "due_date": request.form.get("due_date", c.due_date.isoformat() if c.due_date else ""),
        "parties": request.form.get("parties", _parties_field(c)),
        "action": request.form.get("action", _action_field(c)),
        "note": request.form.get("note", ""),
    }
    expected: int | None = None
    try:
        expected = parse_int(request.form.get("version"), gettext("version"))
        if expected is None:
            raise InvalidInput(gettext("the form is missing its version; reload the page"))
        # A field the form did not send stays as it is; an empty owner or date clears it.
        changes: dict[str, Any] = {}
        if "owner_id" in request.form:
            owner: Officer | None = None
            if form["owner_id"]:
                owner = session.get(Officer, int(form["owner_id"])) if form["owner_id"].isdigit() else None
                if owner is None:
                    raise InvalidInput(gettext("choose the owner from the list"))
            changes["owner"] = owner
        if "due_date" in request.form:
            changes["due_date"] = parse_date(form["due_date"], gettext("The due date"))
        if "parties" in request.form and not _same_words(form["parties"], _parties_field(c)):
            changes["parties"] = form["parties"]
        if "action" in request.form and not _same_words(form["action"], _action_field(c)):
            changes["action"] = form["action"]
        update_commitment(
            session,
            c,
            by=officer,
            note=form["note"],
            now=now(),
            settings=settings().deadlines,
            expect_version=expected,
            status=form["status"] or None,
            **changes,
        )
    except InvalidInput as exc:
        session.rollback()
        return _render_detail(_load(commitment_id), status=400, errors=said(exc), form=form)
    except PermissionDenied:
        abort(403)
    except (VersionConflict, StaleDataError):
        # Nothing of this save is kept; show what the others did, against the fresh row.
        session.rollback()
        fresh = _load(commitment_id)
        # In the page's language, whichever check refused it (the service's own list is English).
        others = changes_since(session, fresh.id, expected or 0, say=gettext, locale=language())
        return _render_detail(
            fresh, status=409, conflict=others or [gettext("(the change left no field history)")], form=form
        )
    flash(gettext("Saved. The change is in the history below."), "info")
    return redirect(url_for("commitments.detail", commitment_id=commitment_id))


@bp.route("/commitments/<int:commitment_id>/extensions", methods=["POST"])
@login_required
def request_extension(commitment_id: int) -> tuple[str, int] | BaseResponse:
    """An officer asks for the due date to move, with a reason; a supervisor decides."""
    session = get_session()
    c = _load(commitment_id)
    officer = current_officer()
    if not can_edit(officer, c):
        abort(403)
    form = {
        "new_due_date": request.form.get("new_due_date", ""),
        "reason": request.form.get("reason", ""),
        "note": "",
    }
    try:
        new_due = parse_date(form["new_due_date"], gettext("The new due date"))
        if new_due is None:
            raise InvalidInput(gettext("give the new due date you ask for"))
        extensions.request_extension(
            session, c, by=officer, new_due_date=new_due, reason=form["reason"], now=now()
        )
    except InvalidInput as exc:
        session.rollback()
        return _render_detail(_load(commitment_id), status=400, errors=said(exc), extension_form=form)
    flash(gettext("Extension requested. A supervisor will approve or refuse it."), "info")
    return redirect(url_for("commitments.detail", commitment_id=commitment_id) + "#extension-h")


@bp.route("/extensions/<int:request_id>/decision", methods=["POST"])
@login_required
def decide_extension(request_id: int) -> tuple[str, int] | BaseResponse:
    """A supervisor approves (the due date moves, the escalation stops) or refuses a request."""
    session = get_session()
    try:
        pending = extensions.get_request(session, request_id, viewer=current_officer())
    except NotFound:
        abort(404)
    commitment_id = pending.commitment_id
    decision = request.form.get("decision", "")
    note = request.form.get("note", "")
    try:
        if decision not in ("approve", "refuse"):
            raise InvalidInput(gettext("choose to approve or refuse the request"))
        extensions.decide_extension(
            session,
            pending,
            by=current_officer(),
            approve=decision == "approve",
            note=note,
            now=now(),
            settings=settings().deadlines,
        )
    except PermissionDenied:
        abort(403)
    except (InvalidInput, StaleDataError) as exc:
        session.rollback()
        message = (
            said_text(exc)
            if isinstance(exc, InvalidInput)
            else gettext("the commitment changed meanwhile; try again")
        )
        return _render_detail(
            _load(commitment_id),
            status=400,
            errors=[message],
            extension_form={"new_due_date": "", "reason": "", "note": note},
        )
    if decision == "approve":
        flash(gettext("Extension approved: the due date moved."), "info")
    else:
        flash(gettext("Extension refused."), "info")
    return redirect(url_for("commitments.detail", commitment_id=commitment_id))
