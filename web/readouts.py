"""Readouts: the searchable list, one readout's page, and ingest (paste or upload → preview → save).

Nothing is stored before the officer confirms. The preview's state travels in a signed payload
(itsdangerous, keyed by the app's secret) next to the text itself, which is checked against the
hash inside the payload; so a tampered preview is refused, and every correction typed on top of it
is validated by `tracker.services.ingest_review` before it is applied. Under each commitment the
preview proposes the earlier open commitments it likely reaffirms (unticked: a link writes to the
earlier commitment's history, so the officer opts in); on save the proposals are computed again
and only ticked pairs that are still proposed are linked.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import login_required
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from tracker.extraction.language import available_languages, grammar_for
from tracker.extraction.types import ExtractedReadout
from tracker.models import Readout
from tracker.services.commitment_queries import filter_choices
from tracker.services.desk_policy import default_assignment
from tracker.services.errors import DuplicateReadout, InvalidInput, NotFound, ReaderBusy, ServiceError
from tracker.services.ingest_review import (
    DEADLINE_TYPES,
    KINDS,
    RELATIONS,
    STATUSES,
    Assignment,
    Key,
    Review,
    RowInput,
    apply_corrections,
    from_payload,
    link_reaffirmations,
    preview_rows,
    promote_flag,
    propose_for_review,
    start_review,
    store_reviewed,
    to_payload,
)
from tracker.services.permissions import can_edit, can_restrict, can_see_readout
from tracker.services.progress import accept_progress
from tracker.services.progress import propose_for_extracted as propose_progress_for_extracted
from tracker.services.readout_links import confirm_link
from tracker.services.readout_links import propose_for_extracted as propose_links_for_extracted
from tracker.services.readout_queries import ReadoutFilter, list_readouts, load_readout
from tracker.services.readouts import find_duplicate, read_and_extract_bounded
from tracker.services.reaffirmations import Proposal
from tracker.services.restrictions import change_restriction, marking_of, restrict_at_ingest
from web.auth import current_officer
from web.db import get_session, now, outside_transaction, settings
from web.helpers import parse_date, today, whole_number
from web.highlight import PointSpan, QuoteSpan, blocks
from web.i18n import LANGUAGE_NAMES, said, said_text
from web.labels import tr

bp = Blueprint("readouts", __name__)

PREVIEW_MAX_AGE_S = 24 * 3600
UPLOAD_TYPES = (".txt", ".html", ".htm", ".docx", ".pdf")


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="tracker.ingest-preview")


# --- list and detail ---------------------------------------------------------------------------


@bp.route("/readouts")
@login_required
def index() -> str:
    errors: list[str] = []

    def date(name: str, label: str) -> dt.date | None:
        try:
            return parse_date(request.args.get(name), label)
        except InvalidInput as exc:
            errors.extend(said(exc))
            return None

    filters = ReadoutFilter(
        q=(request.args.get("q") or "").strip()[:200] or None,
        publisher=(request.args.get("publisher") or "").strip()[:200] or None,
        date_from=date("date_from", "Met from"),
        date_to=date("date_to", "Met until"),
        party=(request.args.get("party") or "").strip() or None,
    )
    page_number = request.args.get("page", "1")
    page = list_readouts(
        get_session(),
        filters,
        page=whole_number(page_number) or 1,
        viewer=current_officer(),
    )
    return render_template(
        "readouts/list.html",
        page=page,
        filters=filters,
        errors=errors,
        parties=filter_choices(get_session()).parties,
    )


def readout_blocks(readout: Readout) -> list[Any]:
    return blocks(
        readout.text,
        [
            PointSpan(
                p.position,
                p.number,
                p.kind.value,
                p.start_offset,
                p.end_offset,
                [QuoteSpan(c.quote_start, c.quote_end, f"#{c.id}", f"c-{c.id}") for c in p.commitments],
            )
            for p in readout.points
        ],
    )


@bp.route("/readouts/<int:readout_id>")
@login_required
def detail(readout_id: int) -> str:
    try:
        readout = load_readout(get_session(), readout_id, viewer=current_officer())
    except NotFound:
        abort(404)
    officer = current_officer()
    return render_template(
        "readouts/detail.html",
        readout=readout,
        text_blocks=readout_blocks(readout),
        day=today(),
        may_restrict=can_restrict(officer),
        desks=filter_choices(get_session()).desks if can_restrict(officer) else [],
    )


@bp.route("/readouts/<int:readout_id>/restriction", methods=["POST"])
@login_required
def restrict(readout_id: int) -> Response:
    """Need-to-know (issue 19): an admin, or a supervisor who sees it, changes who may see it."""
    session = get_session()
    officer = current_officer()
    try:
        readout = load_readout(session, readout_id, viewer=officer)
    except NotFound:
        abort(404)
    if not can_restrict(officer):
        abort(403)
    try:
        changed = change_restriction(
            session,
            readout,
            desks=request.form.getlist("restrict_desk"),
            marking=request.form.get("marking"),
            by=officer,
            now=now(),
            note=(request.form.get("note") or "").strip() or None,
        )
    except InvalidInput as exc:
        session.rollback()
        flash(gettext("Not changed: %(reason)s", reason=said_text(exc)), "error")
        return redirect(url_for("readouts.detail", readout_id=readout_id))
    if changed:
        if readout.is_restricted:
            desks = ", ".join(d.name for d in readout.access_desks) or gettext("admins only")
            who = gettext("%(marking)s: %(desks)s", marking=marking_of(readout), desks=desks)
        else:
            who = gettext("everyone (no restriction)")
        flash(gettext("Who may see this readout: %(who)s.", who=who), "info")
    if not can_see_readout(session, officer, readout_id):
        return redirect(url_for("readouts.index"))
    return redirect(url_for("readouts.detail", readout_id=readout_id))


# --- ingest ------------------------------------------------------------------------------------


def _duplicate_page(duplicate: Readout) -> tuple[str, int]:
    """409: the text is stored already; its title and link only for an officer who may see it."""
    if can_see_readout(get_session(), current_officer(), duplicate.id):
        return _form_page([], status=409, duplicate=duplicate)
    return _form_page(
        ["This readout is already stored (restricted to other desks). Nothing was stored."], status=409
    )


def _form_page(errors: list[str], *, status: int = 200, duplicate: Readout | None = None) -> tuple[str, int]:
    return render_template(
        "readouts/new.html",
        languages=languages(),
        errors=errors,
        duplicate=duplicate,
        form=request.form,
        upload_types=", ".join(UPLOAD_TYPES),
        max_mb=settings().max_upload_bytes / (1024 * 1024),
    ), status


@bp.route("/readouts/new")
@login_required
def new() -> tuple[str, int]:
    return _form_page([])


@dataclass(frozen=True)
class ProposalRow:
    """A likely reaffirmation as the preview shows it under its commitment."""

    proposal: Proposal
    may_link: bool  # the earlier commitment is on a desk this officer may change
    ticked: bool


def _reaffirmation_rows(review: Review, ticked: dict[Key, set[int]]) -> list[list[ProposalRow]]:
    """For each row of the preview (in order), the earlier commitments it likely repeats."""
    officer = current_officer()
    proposals = propose_for_review(get_session(), review, viewer=current_officer())
    out = []
    for p, c, _ in review.rows():
        key = (p.order, c.start, c.end)
        out.append(
            [
                ProposalRow(pr, can_edit(officer, pr.earlier), pr.earlier_id in ticked.get(key, set()))
                for pr in proposals.get(key, [])
            ]
        )
    return out


def _preview_page(
    review: Review,
    meta: dict[str, str],
    *,
    errors: list[str] | None = None,
    status: int = 200,
    ticked: dict[Key, set[int]] | None = None,
) -> tuple[str, int]:
    ex = review.extracted
    numbered = {(p.order, c.start, c.end): n for n, (p, c, _) in enumerate(review.rows(), start=1)}
    flags = [(p, f) for p in ex.points for f in p.flags]
    flag_numbers = {(p.order, f.start, f.end): i for i, (p, f) in enumerate(flags, start=1)}
    text_blocks = blocks(
        ex.text,
        [
            PointSpan(
                p.order,
                p.number,
                p.kind,
                p.start,
                p.end,
                [
                    QuoteSpan(
                        c.start,
                        c.end,
                        f"C{numbered[(p.order, c.start, c.end)]}",
                        f"row-{numbered[(p.order, c.start, c.end)]}",
                    )
                    for c in p.commitments
                ]
                + [
                    QuoteSpan(
                        f.start,
                        f.end,
                        f"F{flag_numbers[(p.order, f.start, f.end)]}",
                        f"flag-{flag_numbers[(p.order, f.start, f.end)]}",
                        kind="flag",
                    )
                    for f in p.flags
                ],
            )
            for p in ex.points
        ],
    )
    session = get_session()
    link_proposals = propose_links_for_extracted(
        session,
        ex,
        title=meta.get("title") or None,
        publisher=meta.get("publisher") or None,
        viewer=current_officer(),
    )
    progress_proposals = propose_progress_for_extracted(
        session,
        ex,
        title=meta.get("title") or None,
        publisher=meta.get("publisher") or None,
        exclude=[p.readout_id for p in link_proposals],
        viewer=current_officer(),
    )
    return render_template(
        "readouts/preview.html",
        languages=languages(),
        review=review,
        link_proposals=link_proposals,
        progress_proposals=progress_proposals,
        rows=preview_rows(get_session(), review),
        flags=flags,
        reaffirmations=_reaffirmation_rows(review, ticked or {}),
        text_blocks=text_blocks,
        state=_signer().dumps(to_payload(review)),
        # Base64 keeps the text byte-exact through the browser (no newline or NUL rewriting).
        text_b64=base64.b64encode(ex.text.encode("utf-8")).decode("ascii"),
        meta=meta,
        errors=errors or [],
        choices=filter_choices(get_session()),
        kinds=KINDS,
        deadline_types=DEADLINE_TYPES,
        relations=RELATIONS,
        statuses=STATUSES,
        old_readout=_old_readout(ex.meeting_date),
    ), status


def _old_readout(meeting: dt.date | None) -> bool:
    """A readout older than one review cadence: its commitments may have moved on since."""
    return meeting is not None and (today() - meeting).days > settings().deadlines.review_cadence_days


def _meta(form: Any) -> dict[str, str]:
    meta = {k: (form.get(k) or "").strip()[:1000] for k in ("title", "publisher", "source", "marking")}
    # Need-to-know (issue 19): the desks ticked in the preview, one name a line.
    meta["restrict_desks"] = "\n".join(v.strip() for v in form.getlist("restrict_desk") if v.strip())
    return meta


def _language(form: Any) -> str | None:
    """The grammar the officer chose ("" detects it); InvalidInput for one we cannot read."""
    chosen = (form.get("language") or "").strip()
    if not chosen:
        return None
    if chosen not in available_languages():
        raise InvalidInput(
            gettext("unknown language %(language)r; choose one of %(choices)s")
            % {"language": chosen, "choices": ", ".join(available_languages())}
        )
    return chosen


def languages() -> list[tuple[str, str]]:
    """(code, name) of every language extraction reads, for the ingest forms."""
    return [(code, grammar_for(code).name) for code in available_languages()]


@bp.route("/readouts/new", methods=["POST"])
@login_required
def preview() -> tuple[str, int]:
    """Extract the pasted or uploaded readout and show it for correction; nothing is stored."""
    session = get_session()
    meta = _meta(request.form)
    upload = request.files.get("document")
    # Browsers send pasted text with CRLF line ends; offsets are kept on LF text.
    text = request.form.get("text", "").replace("\r\n", "\n")
    try:
        meeting_date = parse_date(request.form.get("meeting_date"), gettext("The meeting date"))
        language = _language(request.form)
        document: bytes | None = None
        name: str | None = None
        if upload is not None and upload.filename:
            name = upload.filename
            if not name.lower().endswith(UPLOAD_TYPES):
                raise InvalidInput(
                    gettext("upload a %(types)s file (got %(name)r)")
                    % {"types": ", ".join(UPLOAD_TYPES), "name": name}
                )
            document = upload.read()
            meta["source"] = meta["source"] or name[:1000]
        # Reading and extracting need no database and may be slow: not under the write lock; the
        # preview only reads.
        with outside_transaction(write_after=False):
            extracted = read_and_extract_bounded(
                document,
                name,
                text,
                meeting_date,
                settings().deadlines,
                publisher=meta["publisher"] or None,
                language=language,
                limits=settings().reading,
                bounds=settings().parse_bounds,
            )
        duplicate = find_duplicate(session, extracted.text)
        if duplicate is not None:
            return _duplicate_page(duplicate)
    except InvalidInput as exc:
        return _form_page(said(exc), status=400)
    except ReaderBusy as exc:
        # The server's readers are all busy: nothing is wrong with the document (a 503, the
        # form kept as typed).
        return _form_page(said(exc), status=503)
    if not meta["title"]:
        meta["title"] = (extracted.title or "")[:500]
    return _preview_page(_first_review(extracted), meta)


def _first_review(extracted: ExtractedReadout) -> Review:
    """The first preview: its commitments given to the desk covering the readout's counterpart
    (and that desk's obvious owner), else to the officer ingesting and their desk."""
    officer = current_officer()
    owner, desk = default_assignment(
        get_session(),
        [c.parties for c in extracted.commitments],
        home_party=settings().home_party,
        ingesting=officer,
    )
    if desk is not None and desk.id != officer.desk_id:
        if owner is not None:
            said = gettext(
                "Given to %(desk)s, which covers the readout's counterpart, and to %(owner)s. "
                "Change the owner and desk below if that is wrong.",
                desk=desk.name,
                owner=owner.name,
            )
        else:
            said = gettext(
                "Given to %(desk)s, which covers the readout's counterpart; choose an owner. "
                "Change the desk below if that is wrong.",
                desk=desk.name,
            )
        flash(said, "info")
    return start_review(extracted, owner, desk)


def _flag_key(value: str) -> Key | None:
    """The possible undertaking a "Make it a commitment" button names ("point:start:end")."""
    parts = value.split(":")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    order, start, end = (int(part) for part in parts)
    return order, start, end


def _row_input(form: Any, prefix: str) -> RowInput:
    def get(name: str) -> str:
        return str(form.get(f"{prefix}{name}", ""))

    return RowInput(
        keep=form.get(f"{prefix}keep") == "1",
        parties=get("parties"),
        action=get("action"),
        deadline_type=get("deadline_type") or "none",
        deadline_text=get("deadline_text"),
        event=get("event"),
        relation=get("relation"),
        offset_days=get("offset_days"),
        date=get("date"),
        owner_id=get("owner"),
        desk_id=get("desk"),
        status=get("status"),
        point_order=get("point"),
        quote=get("quote"),
    )


@bp.route("/readouts/review", methods=["POST"])
@login_required
def review() -> tuple[str, int] | Response:
    """Apply the officer's corrections; show the preview again, or save it when they confirm."""
    session = get_session()
    meta = _meta(request.form)
    try:
        text = base64.b64decode(request.form.get("text_b64", ""), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        abort(400)
    try:
        payload = _signer().loads(request.form.get("state", ""), max_age=PREVIEW_MAX_AGE_S)
        current = from_payload(text, payload)
    except BadSignature:
        flash(gettext("The preview had expired or was altered. Please start the ingest again."), "error")
        return _form_page([], status=400)
    except InvalidInput as exc:
        return _form_page(said(exc), status=400)
    try:
        language = _language(request.form)
        if language is not None and language != current.extracted.language:
            # Another grammar reads other points and commitments: the text is read again.
            with outside_transaction(write_after=False):
                extracted = read_and_extract_bounded(
                    None,
                    None,
                    text,
                    current.extracted.meeting_date,
                    settings().deadlines,
                    publisher=meta["publisher"] or None,
                    language=language,
                    limits=settings().reading,
                    bounds=settings().parse_bounds,
                )
            flash(
                gettext(
                    "Read again as %(language)s. Nothing is saved yet.",
                    language=LANGUAGE_NAMES.get(language, grammar_for(language).name),
                ),
                "info",
            )
            return _preview_page(_first_review(extracted), meta)
    except InvalidInput as exc:
        return _preview_page(current, meta, errors=said(exc), status=400)
    except ReaderBusy as exc:
        return _preview_page(current, meta, errors=said(exc), status=503)
    choices = filter_choices(session)
    n_rows = len(current.rows())
    # The earlier commitments ticked under each row, by the row's key (stable across corrections).
    ticked: dict[Key, set[int]] = {
        (p.order, c.start, c.end): {int(v) for v in request.form.getlist(f"c{n}_reaffirms") if v.isdigit()}
        for n, (p, c, _) in enumerate(current.rows(), start=1)
    }
    try:
        corrected = apply_corrections(
            current,
            point_kinds={
                p.order: request.form.get(f"p{p.order}_kind", p.kind) for p in current.extracted.points
            },
            rows=[_row_input(request.form, f"c{n}_") for n in range(1, n_rows + 1)],
            added=_row_input(request.form, "new_") if request.form.get("new_quote", "").strip() else None,
            officer_ids={o.id for o in choices.officers},
            desk_ids={d.id for d in choices.desks},
            settings=settings().deadlines,
            as_of=str(request.form.get("as_of", "")),
        )
    except InvalidInput as exc:
        return _preview_page(current, meta, errors=said(exc), status=400, ticked=ticked)
    promote = _flag_key(request.form.get("promote", ""))
    if promote is not None:
        officer = current_officer()
        try:
            corrected, row = promote_flag(
                corrected, promote, Assignment(officer.id, officer.desk_id), settings().deadlines
            )
        except InvalidInput as exc:
            return _preview_page(corrected, meta, errors=said(exc), status=400, ticked=ticked)
        flash(
            gettext(
                "The possible undertaking is now commitment C%(row)s, with its words as the quote: "
                "check its parties and deadline. Nothing is saved yet.",
                row=row,
            ),
            "info",
        )
        return _preview_page(corrected, meta, ticked=ticked)
    if request.form.get("action") != "save":
        flash(gettext("Preview updated with your corrections. Nothing is saved yet."), "info")
        return _preview_page(corrected, meta, ticked=ticked)
    try:
        readout = store_reviewed(
            session,
            corrected,
            title=meta["title"] or None,
            publisher=meta["publisher"] or None,
            source=meta["source"] or None,
            by=current_officer(),
            now=now(),
            settings=settings().deadlines,
        )
        # Restricted before anything links to it, in the same transaction: never visible to all.
        restrict_at_ingest(
            session,
            readout,
            desks=meta["restrict_desks"].split("\n"),
            marking=meta["marking"],
            by=current_officer(),
        )
        links = link_reaffirmations(session, readout, ticked, by=current_officer(), now=now())
    except DuplicateReadout as exc:
        session.rollback()
        duplicate = session.get(Readout, exc.readout_id)
        if duplicate is None:
            abort(409)
        return _duplicate_page(duplicate)
    except InvalidInput as exc:
        session.rollback()
        return _preview_page(corrected, meta, errors=said(exc), status=400, ticked=ticked)
    count = len(corrected.rows())
    flash(
        ngettext(
            "Saved readout “%(title)s” with %(num)d commitment.",
            "Saved readout “%(title)s” with %(num)d commitments.",
            count,
            title=readout.title,
        ),
        "info",
    )
    _link_and_accept(readout)
    if links.linked:
        pairs = ", ".join(
            gettext("#%(new)s reaffirms #%(old)s", new=link.reaffirmed_by_id, old=link.commitment_id)
            for link in links.linked
        )
        flash(gettext("Linked as reaffirmations: %(pairs)s.", pairs=pairs), "info")
    if links.ignored:
        flash(
            ngettext(
                "Not linked: %(num)d ticked match no longer proposed for that commitment (or on a desk "
                "you cannot change). See the readout's reaffirmations page.",
                "Not linked: %(num)d ticked matches no longer proposed for that commitment (or on a desk "
                "you cannot change). See the readout's reaffirmations page.",
                len(links.ignored),
            ),
            "error",
        )
    return redirect(url_for("readouts.detail", readout_id=readout.id))


def _link_and_accept(readout: Readout) -> None:
    """After saving: link the readouts of the same meeting and accept the progress the officer
    ticked in the preview. Each is proposed again and goes through its service in a savepoint of
    its own, so one refused (say, by another desk's permission) leaves the readout and the rest."""
    session = get_session()
    for value in request.form.getlist("link_to"):
        other, _, kind = value.partition(":")
        if not other.isdigit():
            continue
        try:
            with session.begin_nested():
                made = confirm_link(session, readout.id, int(other), kind, by=current_officer(), now=now())
            flash(
                gettext("Linked with readout %(id)s as %(kind)s.", id=int(other), kind=tr(made.kind)), "info"
            )
        except ServiceError as exc:
            flash(
                gettext("Not linked with readout %(id)s: %(reason)s", id=other, reason=said_text(exc)),
                "error",
            )
    for value in request.form.getlist("progress_accept"):
        if not value.isdigit():
            continue
        try:
            with session.begin_nested():
                done = accept_progress(
                    session,
                    readout,
                    int(value),
                    by=current_officer(),
                    now=now(),
                    settings=settings().deadlines,
                )
            flash(
                gettext(
                    "Commitment #%(id)s: %(outcome)s per this readout.", id=value, outcome=tr(done.outcome)
                ),
                "info",
            )
        except (ServiceError, StaleDataError) as exc:
            flash(
                gettext("Commitment #%(id)s not changed: %(reason)s", id=value, reason=said_text(exc)),
                "error",
            )
