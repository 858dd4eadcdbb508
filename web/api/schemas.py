"""The API's request and response shapes as marshmallow schemas.

They do two jobs: requests are validated by loading them, and the OpenAPI document is
generated from them (web/api/spec.py), so the document cannot drift from what is checked.
Response schemas describe the dicts that the services' `to_dict` functions build; the API
tests validate real responses against the document to keep the two in step.
"""

from __future__ import annotations

from typing import TypeVar

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from tracker.extraction.language import available_languages
from tracker.models import DeadlineType, PointKind, Relation, Status
from tracker.services.paging import MAX_PAGE_SIZE

# The largest id a path or query parameter may name: ids are 32-bit on PostgreSQL, and a
# larger number would overflow SQLite's driver instead of simply finding nothing.
MAX_ID = 2**31 - 1
S = TypeVar("S", bound=type[Schema])
# RFC 9110 If-Match: "*" or a comma-separated list of (possibly weak) entity tags.
ETAG_LIST = r'^\s*(\*|(W/)?"[\x21\x23-\x7e]*"(\s*,\s*(W/)?"[\x21\x23-\x7e]*")*)\s*$'

# Text a client sends may hold anything but NUL: PostgreSQL's text cannot store it, and no stored
# value contains it, so a filter with one could never match (and a driver refuses to send it).
NO_NUL = validate.Regexp(r"^[^\x00]*$", error="must not contain NUL characters")

# --- helpers ------------------------------------------------------------------------------


def _all_required(schema: S) -> S:
    """Mark every field of a response schema required: the API always sends every key."""
    for field in schema._declared_fields.values():
        field.required = True
    return schema


def _text(max_length: int, description: str) -> fields.Str:
    """A text filter of a query string."""
    return fields.Str(
        validate=[validate.Length(max=max_length), NO_NUL], metadata={"description": description}
    )


def _enum(enum: type, **kwargs: object) -> fields.Enum:
    return fields.Enum(enum, by_value=True, **kwargs)  # type: ignore[arg-type]


# --- problems -----------------------------------------------------------------------------


class ProblemSchema(Schema):
    """An RFC 9457 problem document; extension members depend on the problem."""

    class Meta:
        unknown = RAISE

    type = fields.Str(required=True, metadata={"format": "uri-reference"})
    title = fields.Str(required=True)
    status = fields.Int(required=True, validate=validate.Range(min=400, max=599))
    detail = fields.Str(required=True)
    instance = fields.Str(metadata={"format": "uri-reference"})
    errors = fields.Dict(
        keys=fields.Str(),
        metadata={"description": "Field-by-field validation messages (422 and 400)."},
    )
    readout_id = fields.Int(metadata={"description": "The readout already stored (409)."})
    current_version = fields.Int(metadata={"description": "The commitment's version now (412)."})
    changes = fields.List(
        fields.Str(), metadata={"description": "What others changed since your version (412)."}
    )


# --- commitments --------------------------------------------------------------------------


@_all_required
class CommitmentSchema(Schema):
    """The same object as `tracker show --json` (tracker.services.commitments.to_dict)."""

    id = fields.Int()
    readout_id = fields.Int()
    point = fields.Str(metadata={"description": "The point's number as printed in the readout."})
    kind = _enum(PointKind)
    quote = fields.Str(metadata={"description": "The undertaking, verbatim from the readout."})
    quote_start = fields.Int()
    quote_end = fields.Int()
    parties = fields.List(fields.Str())
    action = fields.Str()
    deadline_type = _enum(DeadlineType)
    deadline_text = fields.Str(allow_none=True)
    event = fields.Str(allow_none=True)
    relation = _enum(Relation, allow_none=True)
    due_date = fields.Date(allow_none=True)
    review_date = fields.Date(allow_none=True)
    status = _enum(Status)
    version = fields.Int(metadata={"description": "Also sent as the ETag; send it back in If-Match."})
    owner = fields.Str(allow_none=True, metadata={"description": "The owner's email."})
    desk = fields.Str(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


@_all_required
class HistoryEntrySchema(Schema):
    id = fields.Int()
    changed_at = fields.DateTime()
    by = fields.Str(allow_none=True, metadata={"description": "Email; null when the tracker changed it."})
    field = fields.Str()
    old_value = fields.Str(allow_none=True)
    new_value = fields.Str(allow_none=True)
    note = fields.Str(allow_none=True)


@_all_required
class EscalationSchema(Schema):
    """One step of an escalation (issue 17): who was told, when, and whether it was cleared."""

    id = fields.Int()
    step = fields.Int()
    days_overdue = fields.Int()
    contact = fields.Str(metadata={"description": "supervisor or head (of division)."})
    to = fields.Str(metadata={"description": "The email of the officer it was escalated to."})
    due_date = fields.Date()
    escalated_at = fields.DateTime()
    cleared_at = fields.DateTime(allow_none=True)
    cleared_note = fields.Str(allow_none=True)


@_all_required
class ExtensionSchema(Schema):
    """A request to move the due date, and the supervisor's decision."""

    id = fields.Int()
    commitment_id = fields.Int()
    requested_by = fields.Str()
    requested_at = fields.DateTime()
    old_due_date = fields.Date()
    new_due_date = fields.Date()
    reason = fields.Str()
    state = fields.Str(validate=validate.OneOf(["pending", "approved", "refused"]))
    decided_by = fields.Str(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_note = fields.Str(allow_none=True)


@_all_required
class CommitmentDetailSchema(CommitmentSchema):
    history = fields.List(fields.Nested(HistoryEntrySchema))
    escalations = fields.List(fields.Nested(EscalationSchema))
    extensions = fields.List(fields.Nested(ExtensionSchema))


class ExtensionCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    new_due_date = fields.Date(required=True, metadata={"description": "The due date asked for."})
    reason = fields.Str(
        required=True, validate=[validate.Length(min=1, max=2000), NO_NUL], metadata={"description": "Why."}
    )


class ExtensionDecisionSchema(Schema):
    class Meta:
        unknown = RAISE

    approve = fields.Bool(required=True, metadata={"description": "true approves (the due date moves)."})
    note = fields.Str(
        allow_none=True,
        validate=[validate.Length(max=2000), NO_NUL],
        metadata={"description": "Required to refuse."},
    )


@_all_required
class CommitmentPageSchema(Schema):
    items = fields.List(fields.Nested(CommitmentSchema))
    next_cursor = fields.Str(
        allow_none=True, metadata={"description": "Pass as `cursor` for the next page; null on the last."}
    )


class PageQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    limit = fields.Int(
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": f"Items per page (default 50, at most {MAX_PAGE_SIZE})."},
    )
    cursor = fields.Str(
        validate=validate.Length(min=1, max=500),
        metadata={"description": "The `next_cursor` of the previous page."},
    )


class CommitmentQuerySchema(PageQuerySchema):
    """The filters of the web list, as query parameters."""

    status = _enum(Status)
    party = fields.Str(
        validate=[validate.Length(max=200), NO_NUL], metadata={"description": "A party's name."}
    )
    desk = fields.Str(validate=[validate.Length(max=200), NO_NUL], metadata={"description": "A desk's name."})
    owner = fields.Str(
        validate=[validate.Length(max=320), NO_NUL], metadata={"description": "The owner's email."}
    )
    overdue = fields.Bool(metadata={"description": "Only active commitments past their due date."})
    stale = fields.Bool(metadata={"description": "Only active commitments past their review date."})
    waiting = fields.Bool(metadata={"description": "Only those waiting on an event's date."})
    due_before = fields.Date(metadata={"description": "Due on or before this date."})
    due_after = fields.Date(metadata={"description": "Due on or after this date."})
    q = fields.Str(
        validate=[validate.Length(max=500), NO_NUL], metadata={"description": "Words in quote or action."}
    )
    readout_id = fields.Int(validate=validate.Range(min=1, max=MAX_ID))


class CommitmentPatchSchema(Schema):
    """A change with the note that says why; fields left out are left alone."""

    class Meta:
        unknown = RAISE

    status = _enum(Status)
    owner = fields.Str(
        allow_none=True,
        validate=[validate.Length(min=1, max=320), NO_NUL],
        metadata={"description": "The new owner's email; null to leave it unowned."},
    )
    due_date = fields.Date(allow_none=True, metadata={"description": "null clears the due date."})
    note = fields.Str(
        required=True,
        validate=[validate.Length(min=1, max=5000), NO_NUL],
        metadata={"description": "Why it changed."},
    )


class IfMatchSchema(Schema):
    if_match = fields.Str(
        required=True,
        data_key="If-Match",
        validate=validate.Regexp(ETAG_LIST),
        metadata={"description": 'The ETag of the version you read (`"3"`); a stale one gets 412.'},
    )


# --- readouts -----------------------------------------------------------------------------


@_all_required
class ReadoutSummarySchema(Schema):
    id = fields.Int()
    title = fields.Str()
    publisher = fields.Str(allow_none=True)
    source = fields.Str(allow_none=True)
    meeting_date = fields.Date()
    language = fields.Str(metadata={"description": "The language the readout was read in (en, ja)."})
    ingested_at = fields.DateTime()
    ingested_by = fields.Str(allow_none=True)
    restricted_to = fields.List(
        fields.Str(),
        allow_none=True,
        metadata={
            "description": "Need-to-know: the desks that alone (with admins) see it; null if not restricted."
        },
    )
    marking = fields.Str(
        allow_none=True, metadata={"description": "Its marking when restricted (Confidential)."}
    )


@_all_required
class PointSchema(Schema):
    number = fields.Str()
    position = fields.Int()
    section = fields.Str(allow_none=True)
    kind = _enum(PointKind)
    start_offset = fields.Int()
    end_offset = fields.Int()
    text = fields.Str()
    commitments = fields.List(fields.Nested(CommitmentSchema))


@_all_required
class ReadoutSchema(ReadoutSummarySchema):
    text = fields.Str()
    points = fields.List(fields.Nested(PointSchema))


@_all_required
class ReadoutPageSchema(Schema):
    items = fields.List(fields.Nested(ReadoutSummarySchema))
    next_cursor = fields.Str(allow_none=True)


class _ReadoutFieldsSchema(Schema):
    meeting_date = fields.Date(
        allow_none=True, metadata={"description": "Needed when the text does not state the meeting's date."}
    )
    title = fields.Str(allow_none=True, validate=[validate.Length(max=500), NO_NUL])
    publisher = fields.Str(allow_none=True, validate=[validate.Length(max=300), NO_NUL])
    source = fields.Str(allow_none=True, validate=[validate.Length(max=1000), NO_NUL])
    language = fields.Str(
        allow_none=True,
        validate=validate.OneOf(available_languages()),
        metadata={"description": "The readout's language; detected from the text when left out."},
    )
    restricted_to = fields.List(
        fields.Str(validate=[validate.Length(min=1, max=200), NO_NUL]),
        validate=validate.Length(max=100),
        metadata={"description": "Need-to-know: restrict it to these desks (yours among them)."},
    )
    marking = fields.Str(
        allow_none=True,
        validate=[validate.Length(max=100), NO_NUL],
        metadata={"description": "Shown wherever a restricted readout appears (Confidential)."},
    )


class ReadoutCreateSchema(_ReadoutFieldsSchema):
    class Meta:
        unknown = RAISE

    text = fields.Str(
        required=True, validate=validate.Length(min=1), metadata={"description": "The readout."}
    )


class ReadoutUploadSchema(_ReadoutFieldsSchema):
    """The form fields of a multipart upload (the file itself is checked by the view)."""

    class Meta:
        unknown = EXCLUDE

    file = fields.Raw(
        required=True,
        metadata={
            "type": "string",
            "format": "binary",
            "contentMediaType": "application/octet-stream",
            "description": "A .txt, .html, .docx or .pdf document.",
        },
    )


class RestrictionSchema(Schema):
    class Meta:
        unknown = RAISE

    restricted_to = fields.List(
        fields.Str(validate=[validate.Length(min=1, max=200), NO_NUL]),
        required=True,
        validate=validate.Length(max=100),
        metadata={"description": "The desks that may see it; empty lifts the restriction."},
    )
    marking = fields.Str(allow_none=True, validate=[validate.Length(max=100), NO_NUL])
    note = fields.Str(allow_none=True, validate=[validate.Length(max=4000), NO_NUL])


class DryRunQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    dry_run = fields.Bool(metadata={"description": "Extract and return the preview; store nothing."})


@_all_required
class FieldNoteSchema(Schema):
    """Why the extraction read a field as it did, and whether an officer should check it first."""

    field = fields.Str(validate=validate.OneOf(("kind", "parties", "deadline")))
    reason = fields.Str()
    weak = fields.Bool()


@_all_required
class PreviewCommitmentSchema(Schema):
    quote = fields.Str()
    quote_start = fields.Int()
    quote_end = fields.Int()
    action = fields.Str()
    parties = fields.List(fields.Str())
    deadline_type = _enum(DeadlineType)
    deadline_text = fields.Str(allow_none=True)
    event = fields.Str(allow_none=True)
    relation = _enum(Relation, allow_none=True)
    due_date = fields.Date(allow_none=True)
    confidence = fields.Float(
        metadata={"description": "1 when no field is weak, halved for each weak field (see `notes`)."}
    )
    notes = fields.List(fields.Nested(FieldNoteSchema))


@_all_required
class PreviewPointSchema(PointSchema):
    """A point as the preview shows it: its commitments are not stored yet."""

    commitments = fields.List(fields.Nested(PreviewCommitmentSchema))
    kind_note = fields.Nested(FieldNoteSchema, allow_none=True)


@_all_required
class PossibleUndertakingSchema(Schema):
    """A sentence that reads like an undertaking but gave no commitment."""

    position = fields.Int(metadata={"description": "The point it is in."})
    quote = fields.Str()
    quote_start = fields.Int()
    quote_end = fields.Int()
    cue = fields.Str(metadata={"description": "The words that make it read like one."})
    parties = fields.List(fields.Str())


@_all_required
class ReadoutPreviewSchema(Schema):
    dry_run = fields.Bool(metadata={"description": "Always true: nothing was stored."})
    title = fields.Str(allow_none=True)
    meeting_date = fields.Date()
    meeting_date_basis = fields.Str()
    language = fields.Str(metadata={"description": "The language the readout was read in (en, ja)."})
    duplicate_of = fields.Int(
        allow_none=True, metadata={"description": "The stored readout with the same text, if any."}
    )
    text = fields.Str()
    points = fields.List(fields.Nested(PreviewPointSchema))
    possible_undertakings = fields.List(
        fields.Nested(PossibleUndertakingSchema),
        metadata={
            "description": "Possible undertakings, not extracted: add them as commitments or leave them."
        },
    )


# --- events -------------------------------------------------------------------------------


@_all_required
class EventSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    aliases = fields.List(fields.Str())
    date = fields.Date(allow_none=True)
    waiting_open = fields.Int(metadata={"description": "Active commitments waiting on this date."})
    open_total = fields.Int(metadata={"description": "Active commitments that hang on this event."})


@_all_required
class EventListSchema(Schema):
    items = fields.List(fields.Nested(EventSchema))


class EventDateSchema(Schema):
    class Meta:
        unknown = RAISE

    date = fields.Date(
        required=True, allow_none=True, metadata={"description": "The event's date; null when unknown again."}
    )


@_all_required
class MovedDueDateSchema(Schema):
    commitment_id = fields.Int()
    old = fields.Date(allow_none=True)
    new = fields.Date(allow_none=True)


@_all_required
class EventDateResultSchema(Schema):
    event = fields.Nested(EventSchema)
    moved = fields.List(
        fields.Nested(MovedDueDateSchema), metadata={"description": "Commitments whose due date moved."}
    )


@_all_required
class EventDateProposalSchema(Schema):
    """A date proposed by an officer whose date would move other desks' due dates (issue 19)."""

    id = fields.Int()
    event_id = fields.Int()
    date = fields.Date(allow_none=True, metadata={"description": "The proposed date; null: unknown again."})
    old_date = fields.Date(allow_none=True, metadata={"description": "The event's date when proposed."})
    proposed_by = fields.Str()
    proposed_at = fields.DateTime()
    state = fields.Str(validate=validate.OneOf(["pending", "approved", "refused"]))
    decided_by = fields.Str(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_note = fields.Str(allow_none=True)


@_all_required
class EventDateProposalListSchema(Schema):
    items = fields.List(fields.Nested(EventDateProposalSchema))


class EventDateDecisionSchema(Schema):
    class Meta:
        unknown = RAISE

    approve = fields.Bool(
        required=True, metadata={"description": "true approves (the event takes the date)."}
    )
    note = fields.Str(allow_none=True, validate=[validate.Length(max=2000), NO_NUL])


@_all_required
class EventDateDecisionResultSchema(Schema):
    proposal = fields.Nested(EventDateProposalSchema)
    event = fields.Nested(EventSchema)
    moved = fields.List(
        fields.Nested(MovedDueDateSchema), metadata={"description": "Commitments whose due date moved."}
    )
