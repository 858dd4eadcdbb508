"""Readouts of one meeting and progress from later readouts (issue 17): links, reconciliation,
progress proposals and their acceptance. The shapes are declared here, beside their views."""

from __future__ import annotations

from typing import Any

from flask import Response
from marshmallow import RAISE, Schema, fields, validate

from tracker.models import LinkKind, Readout, ReadoutLink
from tracker.progress import Outcome
from tracker.services.commitment_queries import to_dict_with_history
from tracker.services.errors import NotFound
from tracker.services.permissions import can_see_readout
from tracker.services.progress import accept_progress, proposal_to_dict
from tracker.services.progress import propose_for_readout as progress_for
from tracker.services.readout_links import confirm_link, links_of, propose_for_readout
from tracker.services.reconciliation import reconcile, reconciliation_to_dict
from web.api.blueprint import bp
from web.api.common import caller, check_id, json_body, json_response, load_fields
from web.api.schemas import MAX_ID, CommitmentDetailSchema, _all_required
from web.api.spec import operation
from web.db import get_session, now, settings

TAG = "Readouts of one meeting"


@_all_required
class LinkSchema(Schema):
    id = fields.Int()
    kind = fields.Str(validate=validate.OneOf([k.value for k in LinkKind]))
    readout_id = fields.Int(metadata={"description": "For a translation, the original (authoritative)."})
    other_readout_id = fields.Int()
    confirmed_at = fields.DateTime()
    confirmed_by = fields.Str(allow_none=True)
    aligned = fields.Int(metadata={"description": "Undertakings reported by both readouts."})


@_all_required
class LinkProposalSchema(Schema):
    readout_id = fields.Int()
    title = fields.Str()
    meeting_date = fields.Date()
    language = fields.Str()
    kind = fields.Str(validate=validate.OneOf([k.value for k in LinkKind]))
    score = fields.Float()
    reasons = fields.List(fields.Str())


@_all_required
class LinksSchema(Schema):
    links = fields.List(fields.Nested(LinkSchema))
    proposals = fields.List(fields.Nested(LinkProposalSchema))


class LinkCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    other_readout_id = fields.Int(required=True, validate=validate.Range(min=1, max=MAX_ID))
    kind = fields.Str(required=True, validate=validate.OneOf([k.value for k in LinkKind]))


@_all_required
class WordingSchema(Schema):
    commitment_id = fields.Int(allow_none=True)
    quote = fields.Str()
    parties = fields.List(fields.Str())
    deadline_type = fields.Str()
    deadline_text = fields.Str(allow_none=True)
    due_date = fields.Date(allow_none=True)


@_all_required
class ReconciledRowSchema(Schema):
    status = fields.Str(validate=validate.OneOf(["both", "only_this", "only_other"]))
    this = fields.Nested(WordingSchema, allow_none=True)
    other = fields.Nested(WordingSchema, allow_none=True)
    score = fields.Float(allow_none=True)
    flags = fields.List(fields.Str())


@_all_required
class ReconciliationSchema(Schema):
    link_id = fields.Int()
    kind = fields.Str()
    readout_id = fields.Int()
    other_readout_id = fields.Int()
    other_title = fields.Str()
    confirmed_at = fields.DateTime()
    confirmed_by = fields.Str(allow_none=True)
    counts = fields.Dict(keys=fields.Str(), values=fields.Int())
    rows = fields.List(fields.Nested(ReconciledRowSchema))


@_all_required
class ReconciliationListSchema(Schema):
    items = fields.List(fields.Nested(ReconciliationSchema))


@_all_required
class ProgressProposalSchema(Schema):
    commitment_id = fields.Int()
    commitment_version = fields.Int()
    commitment_quote = fields.Str()
    commitment_status = fields.Str()
    earlier_readout_id = fields.Int()
    earlier_title = fields.Str()
    earlier_meeting_date = fields.Date()
    outcome = fields.Str(validate=validate.OneOf([o.value for o in Outcome]))
    new_status = fields.Str(allow_none=True)
    evidence = fields.Str()
    evidence_start = fields.Int()
    evidence_end = fields.Int()
    score = fields.Float()
    cue = fields.Str()


@_all_required
class ProgressListSchema(Schema):
    items = fields.List(fields.Nested(ProgressProposalSchema))


class ProgressAcceptSchema(Schema):
    class Meta:
        unknown = RAISE

    commitment_id = fields.Int(required=True, validate=validate.Range(min=1, max=MAX_ID))
    expect_version = fields.Int(
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "Refuse with 412 if the commitment changed since this version."},
    )


def _readout(readout_id: int) -> Readout:
    check_id(readout_id, "readout")
    readout = get_session().get(Readout, readout_id)
    if readout is None or not can_see_readout(get_session(), caller(), readout.id):
        raise NotFound(f"no readout with id {readout_id}")
    return readout


def _link(link: ReadoutLink) -> dict[str, Any]:
    return {
        "id": link.id,
        "kind": link.kind.value,
        "readout_id": link.readout_id,
        "other_readout_id": link.other_readout_id,
        "confirmed_at": link.confirmed_at.isoformat(),
        "confirmed_by": link.confirmed_by.email if link.confirmed_by else None,
        "aligned": len(link.alignments),
    }


@bp.get("/readouts/<int:readout_id>/links")
@operation(
    summary="A readout's links and the readouts of the same meeting proposed for linking",
    tag=TAG,
    responses={200: ("Its links, and stored readouts of the same meeting not linked yet.", LinksSchema)},
)
def get_links(readout_id: int) -> Response:
    """Proposals: met within a day, naming the same parties, not contradicting level or form."""
    session = get_session()
    readout = _readout(readout_id)
    proposals = [
        {
            "readout_id": p.readout_id,
            "title": p.title,
            "meeting_date": p.meeting_date.isoformat(),
            "language": p.language,
            "kind": p.kind.value,
            "score": p.score,
            "reasons": list(p.reasons),
        }
        for p in propose_for_readout(session, readout, viewer=caller())
    ]
    return json_response(
        {
            "links": [_link(link) for link in links_of(session, readout.id, viewer=caller())],
            "proposals": proposals,
        }
    )


@bp.post("/readouts/<int:readout_id>/links")
@operation(
    summary="Link a readout with another readout of its meeting",
    tag=TAG,
    body=LinkCreateSchema,
    errors=(403,),
    responses={201: ("The link, its commitments aligned.", LinkSchema)},
)
def create_link(readout_id: int) -> Response:
    """A translation folds the translation's matching commitments into the original's (one set is
    tracked); a counterpart keeps both sets and records which undertakings both report."""
    readout = _readout(readout_id)
    data = load_fields(LinkCreateSchema(), json_body())
    made = confirm_link(
        get_session(), readout.id, data["other_readout_id"], data["kind"], by=caller(), now=now()
    )
    return json_response(_link(made), status=201)


@bp.get("/readouts/<int:readout_id>/reconciliation")
@operation(
    summary="Reconcile a readout with the linked readouts of its meeting",
    tag=TAG,
    responses={200: ("One reconciliation per link.", ReconciliationListSchema)},
)
def get_reconciliation(readout_id: int) -> Response:
    """Rows: reported by both (with both quotes; flagged when deadlines or parties differ), or by
    one side only."""
    readout = _readout(readout_id)
    return json_response(
        {"items": [reconciliation_to_dict(r) for r in reconcile(get_session(), readout.id, viewer=caller())]}
    )


@bp.get("/readouts/<int:readout_id>/progress")
@operation(
    summary="Progress a readout reports on earlier open commitments",
    tag=TAG,
    responses={200: ("Proposed status changes, the readout's words as evidence.", ProgressListSchema)},
)
def get_progress(readout_id: int) -> Response:
    """done, progress or reaffirmed, for open commitments of earlier meetings with its parties."""
    readout = _readout(readout_id)
    return json_response(
        {"items": [proposal_to_dict(p) for p in progress_for(get_session(), readout, viewer=caller())]}
    )


@bp.post("/readouts/<int:readout_id>/progress")
@operation(
    summary="Accept a progress proposal",
    tag=TAG,
    body=ProgressAcceptSchema,
    errors=(403, 412),
    responses={200: ("The earlier commitment, changed, with its history.", CommitmentDetailSchema)},
    response_headers={200: {"ETag": ""}},
)
def accept(readout_id: int) -> Response:
    """Changes the earlier commitment through the normal service: permission, version, history,
    a note citing this readout. 422 when the readout is not (any more) proposed for it."""
    readout = _readout(readout_id)
    data = load_fields(ProgressAcceptSchema(), json_body())
    done = accept_progress(
        get_session(),
        readout,
        data["commitment_id"],
        by=caller(),
        now=now(),
        settings=settings().deadlines,
        expect_version=data.get("expect_version"),
    )
    c = done.commitment
    return json_response(
        to_dict_with_history(c),
        headers={"ETag": f'"{c.version}"'},
    )
