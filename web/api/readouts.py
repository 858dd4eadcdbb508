"""Readouts: ingest (text or file; `dry_run` previews without storing), list, and one in full."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from tracker.extraction.types import ExtractedReadout, FieldNote
from tracker.models import Event, Readout
from tracker.services.commitment_queries import to_dict
from tracker.services.desk_policy import desk_days
from tracker.services.errors import ReaderBusy, UnreadableDocument
from tracker.services.ingest_review import notes_with_registry, resolve_deadlines
from tracker.services.readout_queries import load_readout, readout_page
from tracker.services.readouts import find_duplicate, ingest_text, read_and_extract_bounded
from tracker.services.restrictions import change_restriction, marking_of, restrict_at_ingest
from web.api.blueprint import bp
from web.api.common import caller, check_id, json_body, json_response, load_fields, load_query
from web.api.problems import ApiProblem
from web.api.schemas import (
    DryRunQuerySchema,
    PageQuerySchema,
    ReadoutCreateSchema,
    ReadoutPageSchema,
    ReadoutPreviewSchema,
    ReadoutSchema,
    ReadoutSummarySchema,
    ReadoutUploadSchema,
    RestrictionSchema,
)
from web.api.spec import API_PREFIX, operation
from web.db import get_session, now, outside_transaction, settings

TAG = "Readouts"


def _summary(r: Readout) -> dict[str, Any]:
    return {
        "id": r.id,
        "title": r.title,
        "publisher": r.publisher,
        "source": r.source,
        "meeting_date": r.meeting_date.isoformat(),
        "language": r.language,
        "ingested_at": r.ingested_at.isoformat(),
        "ingested_by": r.ingested_by.email if r.ingested_by else None,
        "restricted_to": [d.name for d in r.access_desks] if r.is_restricted else None,
        "marking": marking_of(r),
    }


def _full(r: Readout) -> dict[str, Any]:
    data = _summary(r)
    data["text"] = r.text
    data["points"] = [
        {
            "number": p.number,
            "position": p.position,
            "section": p.section,
            "kind": p.kind.value,
            "start_offset": p.start_offset,
            "end_offset": p.end_offset,
            "text": r.text[p.start_offset : p.end_offset],
            "commitments": [to_dict(c) for c in p.commitments],
        }
        for p in r.points
    ]
    return data


def _load(readout_id: int) -> Readout:
    check_id(readout_id, "readout")
    return load_readout(get_session(), readout_id, viewer=caller())


@bp.get("/readouts")
@operation(
    summary="List readouts",
    tag=TAG,
    query=PageQuerySchema,
    responses={200: ("One page of readouts, the most recently stored first.", ReadoutPageSchema)},
)
def list_readouts() -> Response:
    """Readouts without their text; follow `next_cursor` until it is null."""
    args = load_query(PageQuerySchema)
    page = readout_page(get_session(), cursor=args.get("cursor"), limit=args.get("limit"), viewer=caller())
    return json_response({"items": [_summary(r) for r in page.items], "next_cursor": page.next_cursor})


@bp.get("/readouts/<int:readout_id>")
@operation(
    summary="Get a readout with its points and commitments",
    tag=TAG,
    responses={200: ("The readout.", ReadoutSchema)},
)
def get_readout(readout_id: int) -> Response:
    """The text as ingested; every offset points into it."""
    return json_response(_full(_load(readout_id)))


def _upload_fields() -> tuple[bytes, str, dict[str, Any]]:
    """The uploaded file's bytes and name, and the form's other fields (the file is not read yet)."""
    form: dict[str, Any] = {k: v for k, v in request.form.to_dict().items() if v != ""}
    if "restricted_to" in form:
        form["restricted_to"] = request.form.getlist("restricted_to")
    errors: dict[str, list[str]] = {}
    data = load_fields(ReadoutUploadSchema(exclude=["file"]), form)
    upload = request.files.get("file")
    if upload is None:
        errors["file"] = ["Missing data for required field."]
        raise ApiProblem(422, "the request body is not valid", errors=errors)
    return upload.read(), upload.filename or "upload.txt", data


def _note(note: FieldNote) -> dict[str, Any]:
    return {"field": note.field, "reason": note.reason, "weak": note.weak}


def _preview(extracted: ExtractedReadout, duplicate_of: int | None) -> dict[str, Any]:
    meeting_date = extracted.meeting_date
    assert meeting_date is not None  # extract_readout refuses a readout without one
    session = get_session()
    deadlines = resolve_deadlines(session, extracted, desk_days(caller().desk))
    points = []
    seen: dict[str, Event | None] = {}
    for p in extracted.points:
        items = []
        for c in p.commitments:
            spec = c.deadline
            resolved = deadlines[(p.order, c.start, c.end)]
            notes = notes_with_registry(session, c, seen)
            items.append(
                {
                    "quote": c.quote,
                    "quote_start": c.start,
                    "quote_end": c.end,
                    "action": c.action,
                    "parties": list(dict.fromkeys(c.parties)),
                    "deadline_type": spec.type,
                    "deadline_text": spec.text,
                    "event": resolved.event,
                    "relation": spec.relation,
                    "due_date": resolved.due_date.isoformat() if resolved.due_date else None,
                    "confidence": 0.5 ** sum(1 for n in notes if n.weak),
                    "notes": [_note(n) for n in notes],
                }
            )
        points.append(
            {
                "number": p.number,
                "position": p.order,
                "section": p.section,
                "kind": p.kind,
                "start_offset": p.start,
                "end_offset": p.end,
                "text": extracted.text[p.start : p.end],
                "commitments": items,
                "kind_note": _note(p.kind_note) if p.kind_note else None,
            }
        )
    return {
        "dry_run": True,
        "title": extracted.title,
        "meeting_date": meeting_date.isoformat(),
        "meeting_date_basis": extracted.meeting_date_basis,
        "language": extracted.language,
        "duplicate_of": duplicate_of,
        "text": extracted.text,
        "points": points,
        # What reads like an undertaking but gave no commitment, so that a client loses nothing.
        "possible_undertakings": [
            {
                "position": p.order,
                "quote": f.quote,
                "quote_start": f.start,
                "quote_end": f.end,
                "cue": f.cue,
                "parties": list(f.parties),
            }
            for p in extracted.points
            for f in p.flags
        ],
    }


@bp.post("/readouts")
@operation(
    summary="Ingest a readout",
    tag=TAG,
    query=DryRunQuerySchema,
    body=ReadoutCreateSchema,
    multipart=ReadoutUploadSchema,
    errors=(409,),
    responses={
        200: ("With `dry_run`: the preview of what would be stored; nothing was.", ReadoutPreviewSchema),
        201: ("The stored readout with its points and commitments (owned by you).", ReadoutSchema),
    },
    response_headers={201: {"Location": ""}},
)
def create_readout() -> Response:
    """Send the text as JSON, or upload a .txt/.html/.docx/.pdf as multipart/form-data (`file`).
    A readout whose text is already stored is refused with 409 and the stored one's id."""
    dry_run = load_query(DryRunQuerySchema).get("dry_run", False)
    document: bytes | None = None
    filename: str | None = None
    if request.mimetype == "multipart/form-data":
        document, filename, data = _upload_fields()
        text = ""
    else:
        data = load_fields(ReadoutCreateSchema(), json_body())
        text = data["text"]
    cfg = settings().deadlines
    # Reading and extracting need no database and may be slow: not under the write lock
    # (issue 19); a save takes it again and checks for a duplicate under it, a dry run only reads.
    try:
        with outside_transaction(write_after=not dry_run):
            extracted = read_and_extract_bounded(
                document,
                filename,
                text,
                data.get("meeting_date"),
                cfg,
                publisher=data.get("publisher"),
                language=data.get("language"),
                limits=settings().reading,
                bounds=settings().parse_bounds,
            )
    except UnreadableDocument as exc:
        raise ApiProblem(422, str(exc), errors={"file": [str(exc)]}) from None
    except ReaderBusy as exc:
        raise ApiProblem(503, str(exc), headers={"Retry-After": "30"}) from None
    session = get_session()
    if dry_run:
        duplicate = find_duplicate(session, extracted.text)
        return json_response(_preview(extracted, duplicate.id if duplicate else None))
    readout = ingest_text(
        session,
        extracted.text,
        meeting_date=data.get("meeting_date"),
        title=data.get("title"),
        publisher=data.get("publisher"),
        source=data.get("source"),
        by=caller(),
        now=now(),
        settings=cfg,
        language=data.get("language"),
        extracted=extracted,
    )
    # Restricted in the same transaction as it is stored: never visible to all (issue 19).
    restrict_at_ingest(
        session, readout, desks=data.get("restricted_to") or [], marking=data.get("marking"), by=caller()
    )
    return json_response(
        _full(_load(readout.id)), status=201, headers={"Location": f"{API_PREFIX}/readouts/{readout.id}"}
    )


@bp.put("/readouts/<int:readout_id>/restriction")
@operation(
    summary="Change who may see a readout (need-to-know) and its marking",
    tag=TAG,
    body=RestrictionSchema,
    errors=(403,),
    responses={200: ("The readout, restricted as asked.", ReadoutSummarySchema)},
)
def put_restriction(readout_id: int) -> Response:
    """Admins, and supervisors who can see the readout; each commitment's history records it."""
    readout = _load(readout_id)
    data = load_fields(RestrictionSchema(), json_body())
    change_restriction(
        get_session(),
        readout,
        desks=data["restricted_to"],
        marking=data.get("marking"),
        by=caller(),
        now=now(),
        note=data.get("note"),
    )
    return json_response(_summary(readout))
