"""Commitments: the filtered list (cursor pages), one with its history, and changes with If-Match."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, request

from tracker.models import Commitment
from tracker.services.commitment_queries import (
    CommitmentFilter,
    commitment_items_page,
    load_commitment,
    to_dict_with_history,
)
from tracker.services.commitments import update_commitment
from tracker.services.errors import NotFound as ServiceNotFound
from tracker.services.extensions import (
    decide_extension,
    followup_to_dict,
    get_request,
    request_extension,
    request_to_dict,
)
from tracker.services.officers import get_officer_by_email
from tracker.services.permissions import can_edit
from web.api.blueprint import bp
from web.api.common import caller, check_id, json_body, json_response, load_fields, load_query
from web.api.problems import ApiProblem
from web.api.schemas import (
    ETAG_LIST,
    CommitmentDetailSchema,
    CommitmentPageSchema,
    CommitmentPatchSchema,
    CommitmentQuerySchema,
    ExtensionCreateSchema,
    ExtensionDecisionSchema,
    ExtensionSchema,
    IfMatchSchema,
)
from web.api.spec import operation
from web.db import get_session, now, settings

TAG = "Commitments"
_ETAG = re.compile(r'^"(\d{1,10})"$')


def etag(version: int) -> str:
    return f'"{version}"'


def _load(commitment_id: int) -> Commitment:
    check_id(commitment_id, "commitment")
    return load_commitment(get_session(), commitment_id, viewer=caller())


@bp.get("/commitments")
@operation(
    summary="List commitments",
    tag=TAG,
    query=CommitmentQuerySchema,
    responses={200: ("One page of commitments, by due date (undated last), then id.", CommitmentPageSchema)},
)
def list_commitments() -> Response:
    """The same filters as the web list; follow `next_cursor` until it is null."""
    args = load_query(CommitmentQuerySchema)
    filters = CommitmentFilter(
        status=args["status"].value if "status" in args else None,
        party=args.get("party") or None,
        desk=args.get("desk") or None,
        owner=args.get("owner") or None,
        overdue=args.get("overdue", False),
        stale=args.get("stale", False),
        waiting=args.get("waiting", False),
        due_before=args.get("due_before"),
        due_after=args.get("due_after"),
        q=args.get("q") or None,
        readout_id=args.get("readout_id"),
    )
    page = commitment_items_page(
        get_session(),
        filters,
        now().date(),
        cursor=args.get("cursor"),
        limit=args.get("limit"),
        viewer=caller(),
    )
    return json_response({"items": page.items, "next_cursor": page.next_cursor})


@bp.get("/commitments/<int:commitment_id>")
@operation(
    summary="Get a commitment with its history",
    tag=TAG,
    responses={200: ("The commitment; its ETag is its version.", CommitmentDetailSchema)},
    response_headers={200: {"ETag": ""}},
)
def get_commitment(commitment_id: int) -> Response:
    """The object of `tracker show --json`, with the history of every change."""
    commitment = _load(commitment_id)
    return json_response(_detail(commitment), headers={"ETag": etag(commitment.version)})


def _detail(commitment: Commitment) -> dict[str, Any]:
    return {**to_dict_with_history(commitment), **followup_to_dict(get_session(), commitment)}


def _expected_version(header: str | None, current: int) -> int:
    """The version the client read, from If-Match (RFC 9110: strong comparison)."""
    if header is None or not header.strip():
        raise ApiProblem(
            428,
            "send the ETag you read as If-Match, so that a change made meanwhile is not overwritten",
        )
    if not re.match(ETAG_LIST, header):
        raise ApiProblem(
            400,
            'If-Match must be the quoted ETag you read (like "3"), or a comma-separated list of them',
            slug="bad-request",
            errors={"If-Match": ["not a list of entity tags"]},
        )
    versions = []
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*":
            return current
        match = _ETAG.match(tag)
        if match:
            versions.append(int(match.group(1)))
    if not versions:
        raise ApiProblem(
            412,
            f"If-Match {header.strip()[:80]!r} names no version of this commitment; "
            f"its ETag is {etag(current)}",
            headers={"ETag": etag(current)},
            current_version=current,
            changes=[],
        )
    return current if current in versions else versions[0]


@bp.patch("/commitments/<int:commitment_id>")
@operation(
    summary="Change status, owner or due date",
    tag=TAG,
    headers=IfMatchSchema,
    body=CommitmentPatchSchema,
    errors=(403, 404, 412, 428),
    responses={200: ("The changed commitment with its new ETag.", CommitmentDetailSchema)},
    response_headers={200: {"ETag": ""}},
)
def patch_commitment(commitment_id: int) -> Response:
    """Send `If-Match` with the ETag you read: if anyone changed the commitment since, the
    answer is 412 with what they changed, and nothing is written. A note is required."""
    session = get_session()
    commitment = _load(commitment_id)
    officer = caller()
    if not can_edit(officer, commitment):
        raise ApiProblem(403, f"{officer.email} may not change commitment {commitment.id} (another desk's)")
    data = load_fields(CommitmentPatchSchema(), json_body())
    expected = _expected_version(request.headers.get("If-Match"), commitment.version)
    changes: dict[str, Any] = {}
    if "status" in data:
        changes["status"] = data["status"]
    if "due_date" in data:
        changes["due_date"] = data["due_date"]
    if "owner" in data:
        if data["owner"] is None:
            changes["owner"] = None
        else:
            try:
                changes["owner"] = get_officer_by_email(session, data["owner"])
            except ServiceNotFound as exc:
                raise ApiProblem(422, str(exc), errors={"owner": [str(exc)]}) from None
    update_commitment(
        session,
        commitment,
        by=officer,
        note=data["note"],
        now=now(),
        settings=settings().deadlines,
        expect_version=expected,
        **changes,
    )
    return json_response(_detail(commitment), headers={"ETag": etag(commitment.version)})


@bp.post("/commitments/<int:commitment_id>/extensions")
@operation(
    summary="Ask for an extension",
    tag=TAG,
    body=ExtensionCreateSchema,
    errors=(403, 404),
    responses={201: ("The request, waiting for a supervisor's decision.", ExtensionSchema)},
)
def post_extension(commitment_id: int) -> Response:
    """Ask for the due date to move to `new_due_date`, saying why; a supervisor approves or
    refuses (`POST /extensions/{id}/decision`). One request waits at a time."""
    session = get_session()
    commitment = _load(commitment_id)
    data = load_fields(ExtensionCreateSchema(), json_body())
    created = request_extension(
        session, commitment, by=caller(), new_due_date=data["new_due_date"], reason=data["reason"], now=now()
    )
    return json_response(request_to_dict(created), status=201)


@bp.post("/extensions/<int:request_id>/decision")
@operation(
    summary="Approve or refuse an extension",
    tag=TAG,
    body=ExtensionDecisionSchema,
    errors=(403, 404),
    responses={200: ("The decided request.", ExtensionSchema)},
)
def post_extension_decision(request_id: int) -> Response:
    """Supervisors and admins, or the desk's named supervisor or head, decide others' requests:
    an approval moves the due date (and stops the escalation); a refusal needs a note."""
    session = get_session()
    pending = get_request(session, check_id(request_id, "extension request"), viewer=caller())
    data = load_fields(ExtensionDecisionSchema(), json_body())
    decided = decide_extension(
        session,
        pending,
        by=caller(),
        approve=data["approve"],
        note=data.get("note"),
        now=now(),
        settings=settings().deadlines,
    )
    return json_response(request_to_dict(decided))
