"""The ingest preview: what the officer corrected before saving, checked and applied.

The preview travels between requests as a plain payload (points, commitments, owners and desks,
tied to the text by its hash). The web layer signs it, so that only states this module produced
come back; every correction the officer makes on top is validated here before it is applied,
and `store_reviewed` stores exactly the corrected result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from tracker.deadlines import (
    CALENDAR_DAYS,
    DayCounter,
    DeadlineSettings,
    resolve_due_date,
    review_date,
)
from tracker.extraction.language import grammar_for
from tracker.extraction.party_names import split_parties
from tracker.extraction.types import (
    DeadlineSpec,
    ExtractedCommitment,
    ExtractedPoint,
    ExtractedReadout,
    FieldNote,
    Flag,
)
from tracker.models import Commitment, Desk, Event, Officer, PointKind, Readout, Reaffirmation, Status
from tracker.services.desk_policy import desk_days
from tracker.services.errors import N_, InvalidInput, Message
from tracker.services.events import find_event
from tracker.services.history import record_change
from tracker.services.permissions import can_edit
from tracker.services.readouts import review_date_for, store_readout
from tracker.services.reaffirmations import (
    Proposal,
    confirm_reaffirmation,
    proposals_for_readout,
    propose_reaffirmations,
)

PAYLOAD_VERSION = 1
KINDS = tuple(k.value for k in PointKind)
DEADLINE_TYPES = ("date", "event", "ongoing", "none")
RELATIONS = ("before", "at", "after")
# A commitment of an old readout may be stored as already under way, done or dropped.
STATUSES = tuple(s.value for s in Status)
MAX_OFFSET_DAYS = 3650

Key = tuple[int, int, int]  # (point order, quote start, quote end): one commitment of the preview


@dataclass
class Assignment:
    owner_id: int | None
    desk_id: int | None
    # Where the commitment stands when stored: a historical import may already be done.
    status: str = Status.OPEN.value


@dataclass(frozen=True)
class AsRead:
    """A commitment's fields as the extraction read them, before the officer corrected any: what
    the first history entry compares the stored commitment with ("corrected in the preview:
    parties (added Republic of Korea), deadline")."""

    parties: tuple[str, ...]
    action: str
    deadline: DeadlineSpec

    @classmethod
    def of(cls, c: ExtractedCommitment) -> AsRead:
        return cls(tuple(c.parties), c.action, dataclasses.replace(c.deadline))


@dataclass
class Review:
    """An extraction as the officer has corrected it so far, with who owns each commitment."""

    extracted: ExtractedReadout
    assignments: dict[Key, Assignment] = field(default_factory=dict)
    # The day the statuses chosen in the preview were known to be true (historical imports): the
    # review cadence counts from it instead of from a meeting years ago.
    as_of: dt.date | None = None
    # Each commitment as the extraction read it; None for one the officer added in the preview
    # (typed, or made from a possible undertaking). A key with no entry counts as unchanged.
    as_read: dict[Key, AsRead | None] = field(default_factory=dict)

    def rows(self) -> list[tuple[ExtractedPoint, ExtractedCommitment, Assignment]]:
        """Every commitment with its point and assignment, in reading order."""
        return [
            (p, c, self.assignments.get((p.order, c.start, c.end), Assignment(None, None)))
            for p in self.extracted.points
            for c in p.commitments
        ]


@dataclass
class RowInput:
    """One commitment row of the preview form, as typed (strings are checked in `apply_corrections`)."""

    keep: bool = True
    parties: str = ""
    action: str = ""
    deadline_type: str = "none"
    deadline_text: str = ""
    event: str = ""
    relation: str = ""
    offset_days: str = ""
    date: str = ""
    owner_id: str = ""
    desk_id: str = ""
    status: str = ""
    # Only for a commitment the officer adds: the point it is in and its exact words.
    point_order: str = ""
    quote: str = ""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ResolvedDeadline:
    """A commitment's deadline as storing it would resolve it: the registry's event (by its
    registered name, or the name read when the event is new) and the due date."""

    event: str | None
    due_date: dt.date | None


def resolve_deadlines(
    session: Session, extracted: ExtractedReadout, days: DayCounter = CALENDAR_DAYS
) -> dict[Key, ResolvedDeadline]:
    """Each commitment's event and due date against the event registry, in the owning desk's
    `days`, writing nothing (new events are not created: their date is unknown, so the due date
    waits on it)."""
    meeting_date = extracted.meeting_date
    if meeting_date is None:
        raise InvalidInput(N_("the meeting date is unknown; give it with --date"))
    resolved: dict[Key, ResolvedDeadline] = {}
    for p in extracted.points:
        for c in p.commitments:
            spec = c.deadline
            event = find_event(session, spec.event) if spec.event else None
            due = resolve_due_date(spec, meeting_date, event.date if event else None, days)
            resolved[(p.order, c.start, c.end)] = ResolvedDeadline(event.name if event else spec.event, due)
    return resolved


def start_review(extracted: ExtractedReadout, owner: Officer | None, desk: Desk | None) -> Review:
    """The first preview: every commitment owned by the officer who ingests, on their desk, its
    speed words ("promptly") counted in that desk's days, so that the preview shows the date
    that will be stored."""
    days = desk_days(desk)
    meeting = extracted.meeting_date
    if days.working and meeting is not None:
        for p in extracted.points:
            for c in p.commitments:
                if c.deadline.type == "date" and c.deadline.counted_days is not None:
                    c.deadline.date = resolve_due_date(c.deadline, meeting, None, days)
    assignment = Assignment(owner.id if owner else None, desk.id if desk else None)
    return Review(
        extracted,
        {(p.order, c.start, c.end): assignment for p in extracted.points for c in p.commitments},
        as_read={(p.order, c.start, c.end): AsRead.of(c) for p in extracted.points for c in p.commitments},
    )


# --- the payload that carries a review between requests --------------------------------------


def to_payload(review: Review) -> dict[str, Any]:
    """The review as JSON-able data, without the text itself (only its hash)."""
    ex = review.extracted
    return {
        "v": PAYLOAD_VERSION,
        "sha": text_hash(ex.text),
        "title": ex.title,
        "meeting_date": ex.meeting_date.isoformat() if ex.meeting_date else None,
        "basis": ex.meeting_date_basis,
        "language": ex.language,
        "as_of": review.as_of.isoformat() if review.as_of else None,
        "points": [
            {
                "number": p.number,
                "order": p.order,
                "start": p.start,
                "end": p.end,
                "kind": p.kind,
                "section": p.section,
                "kind_note": _note_data(p.kind_note) if p.kind_note else None,
                "flags": [
                    {"start": f.start, "end": f.end, "cue": f.cue, "parties": f.parties} for f in p.flags
                ],
                "commitments": [
                    {
                        "start": c.start,
                        "end": c.end,
                        "action": c.action,
                        "parties": c.parties,
                        "notes": [_note_data(n) for n in c.notes],
                        "deadline": _deadline_data(c.deadline),
                        **_as_read_data(review, (p.order, c.start, c.end)),
                        "owner_id": review.assignments.get(
                            (p.order, c.start, c.end), Assignment(None, None)
                        ).owner_id,
                        "desk_id": review.assignments.get(
                            (p.order, c.start, c.end), Assignment(None, None)
                        ).desk_id,
                        "status": review.assignments.get(
                            (p.order, c.start, c.end), Assignment(None, None)
                        ).status,
                    }
                    for c in p.commitments
                ],
            }
            for p in ex.points
        ],
    }


def _deadline_data(spec: DeadlineSpec) -> dict[str, Any]:
    return {
        "type": spec.type,
        "text": spec.text,
        "event": spec.event,
        "relation": spec.relation,
        "offset_days": spec.offset_days,
        "date": spec.date.isoformat() if spec.date else None,
        "counted_days": spec.counted_days,
    }


def _deadline_from(d: dict[str, Any]) -> DeadlineSpec:
    return DeadlineSpec(
        type=d["type"],
        text=d["text"],
        event=d["event"],
        relation=d["relation"],
        offset_days=d["offset_days"],
        date=dt.date.fromisoformat(d["date"]) if d["date"] else None,
        counted_days=_counted(d.get("counted_days")),
    )


def _as_read_data(review: Review, key: Key) -> dict[str, Any]:
    """The "as_read" entry of a commitment in the payload (none when it is unchanged by default)."""
    if key not in review.as_read:
        return {}
    before = review.as_read[key]
    if before is None:
        return {"as_read": None}
    return {
        "as_read": {
            "parties": list(before.parties),
            "action": before.action,
            "deadline": _deadline_data(before.deadline),
        }
    }


def _counted(value: Any) -> int | None:
    """A speed word's days from the payload; a signed payload carries an int or nothing."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("counted_days must be a whole number")
    return value


def from_payload(text: str, payload: dict[str, Any]) -> Review:
    """The review that `to_payload` made, checked against `text` (InvalidInput if they differ)."""
    if payload.get("v") != PAYLOAD_VERSION or payload.get("sha") != text_hash(text):
        raise InvalidInput(N_("the preview no longer matches the readout text; start the ingest again"))
    try:
        meeting = dt.date.fromisoformat(payload["meeting_date"]) if payload["meeting_date"] else None
        as_of = dt.date.fromisoformat(payload["as_of"]) if payload.get("as_of") else None
        points: list[ExtractedPoint] = []
        assignments: dict[Key, Assignment] = {}
        as_read: dict[Key, AsRead | None] = {}
        for p in payload["points"]:
            commitments = []
            for c in p["commitments"]:
                commitments.append(
                    ExtractedCommitment(
                        quote=text[c["start"] : c["end"]],
                        start=c["start"],
                        end=c["end"],
                        action=c["action"],
                        parties=list(c["parties"]),
                        deadline=_deadline_from(c["deadline"]),
                        notes=[_note_from(n) for n in c.get("notes", [])],
                    )
                )
                key = (p["order"], c["start"], c["end"])
                assignments[key] = Assignment(
                    c["owner_id"], c["desk_id"], _stored_status(c.get("status") or Status.OPEN.value)
                )
                if "as_read" in c:
                    before = c["as_read"]
                    as_read[key] = (
                        None
                        if before is None
                        else AsRead(
                            tuple(str(n) for n in before["parties"]),
                            str(before["action"]),
                            _deadline_from(before["deadline"]),
                        )
                    )
            points.append(
                ExtractedPoint(
                    number=p["number"],
                    order=p["order"],
                    start=p["start"],
                    end=p["end"],
                    kind=p["kind"],
                    section=p["section"],
                    commitments=commitments,
                    flags=[
                        Flag(text[f["start"] : f["end"]], f["start"], f["end"], f["cue"], list(f["parties"]))
                        for f in p.get("flags", [])
                    ],
                    kind_note=_note_from(p["kind_note"]) if p.get("kind_note") else None,
                )
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(N_("the preview could not be read; start the ingest again")) from exc
    return Review(
        ExtractedReadout(
            text,
            payload.get("title"),
            meeting,
            payload.get("basis", ""),
            points,
            language=str(payload.get("language") or "en"),
        ),
        assignments,
        as_of,
        as_read,
    )


def _stored_status(value: str) -> str:
    """A status the preview may store a commitment with (ValueError otherwise)."""
    return Status(value).value


def _note_data(note: FieldNote) -> dict[str, Any]:
    data: dict[str, Any] = {"field": note.field, "reason": note.reason, "weak": note.weak}
    if note.message:
        data["message"] = note.message
        data["args"] = _args_data(note.args)
    return data


def _args_data(args: Mapping[str, Any]) -> dict[str, Any]:
    """A note's values as JSON: a value that is a message itself as {"message", "args"}."""
    return {
        k: {"message": v.msgid, "args": _args_data(v.values)} if isinstance(v, Message) else str(v)
        for k, v in args.items()
    }


def _note_from(data: dict[str, Any]) -> FieldNote:
    """The note `_note_data` made; one from an older preview (no message id) keeps its English reason."""
    if data["field"] not in ("kind", "parties", "deadline"):
        raise ValueError(f"unknown field {data['field']!r}")
    message = data.get("message") or ""
    if not isinstance(message, str):
        raise ValueError("a note's message must be a message id")
    args = _args_from(data.get("args") or {}) if message else {}
    return FieldNote(data["field"], str(data["reason"]), bool(data["weak"]), message, args)


def _args_from(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError("a note's values must be an object")
    args: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, dict):
            if not isinstance(v.get("message"), str):
                raise ValueError("a note's value must be a text or a message")
            args[str(k)] = Message(v["message"], _args_from(v.get("args") or {}))
        else:
            args[str(k)] = str(v)
    return args


# --- corrections -------------------------------------------------------------------------------


def _error(msgid: str, label: Message, **values: object) -> Message:
    """One thing wrong with a row of the preview, said with the row's label ("Commitment 3: ...")."""
    return Message(msgid, {"label": label, **values})


# "choose the owner from the list", "choose the desk from the list"
_CHOOSE = {
    "owner": N_("%(label)s: choose the owner from the list"),
    "desk": N_("%(label)s: choose the desk from the list"),
}


def _deadline(
    row: RowInput, label: Message, settings: DeadlineSettings, errors: list[Message]
) -> DeadlineSpec:
    kind = row.deadline_type.strip()
    words = row.deadline_text.strip() or None
    if kind not in DEADLINE_TYPES:
        errors.append(_error(N_("%(label)s: unknown deadline type %(kind)r"), label, kind=kind))
        return DeadlineSpec()
    if kind == "date":
        try:
            when = dt.date.fromisoformat(row.date.strip())
        except ValueError:
            errors.append(_error(N_("%(label)s: a date deadline needs a date as YYYY-MM-DD"), label))
            return DeadlineSpec()
        return DeadlineSpec(type="date", text=words, date=when)
    if kind == "event":
        event = row.event.strip()
        relation = row.relation.strip() or "before"
        if not event:
            errors.append(_error(N_("%(label)s: an event deadline needs the event's name"), label))
            return DeadlineSpec()
        if relation not in RELATIONS:
            errors.append(
                _error(N_("%(label)s: the relation to the event must be before, at or after"), label)
            )
            return DeadlineSpec()
        default_offset = settings.after_event_days if relation == "after" else 0
        try:
            offset = int(row.offset_days.strip()) if row.offset_days.strip() else default_offset
        except ValueError:
            errors.append(_error(N_("%(label)s: the days after the event must be a whole number"), label))
            return DeadlineSpec()
        if abs(offset) > MAX_OFFSET_DAYS:
            errors.append(
                _error(
                    N_("%(label)s: the days after the event must be within %(n)s"), label, n=MAX_OFFSET_DAYS
                )
            )
            return DeadlineSpec()
        return DeadlineSpec(
            type="event",
            text=words,
            event=event[:300],
            relation=relation,  # type: ignore[arg-type]  # checked against RELATIONS above
            offset_days=offset,
        )
    return DeadlineSpec(type=kind, text=words)  # type: ignore[arg-type]


def _id(value: str, allowed: set[int], label: Message, what: str, errors: list[Message]) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or int(value) not in allowed:
        errors.append(_error(_CHOOSE[what], label))
        return None
    return int(value)


def apply_corrections(
    review: Review,
    *,
    point_kinds: dict[int, str],
    rows: list[RowInput],
    added: RowInput | None,
    officer_ids: set[int],
    desk_ids: set[int],
    settings: DeadlineSettings,
    as_of: str = "",
) -> Review:
    """A new review with the officer's corrections; InvalidInput lists everything that is wrong.

    `rows` are in the order of `review.rows()`; a row with keep=False drops that commitment.
    `added` (when it has a quote) adds a commitment whose words must be found in its point.
    """
    errors: list[Message] = []
    text = review.extracted.text
    current = review.rows()
    if len(rows) != len(current):
        raise InvalidInput(N_("the preview form does not match the preview; start the ingest again"))
    new_points = [
        ExtractedPoint(p.number, p.order, p.start, p.end, p.kind, p.section, [], list(p.flags), p.kind_note)
        for p in review.extracted.points
    ]
    by_order = {p.order: p for p in new_points}
    for order, kind in point_kinds.items():
        if order not in by_order:
            errors.append(Message(N_("there is no point %(order)s"), {"order": order}))
        elif kind not in KINDS:
            errors.append(
                Message(
                    N_("point %(point)s: unknown kind %(kind)r"),
                    {"point": by_order[order].number, "kind": kind},
                )
            )
        elif kind != by_order[order].kind:
            by_order[order].kind = kind  # type: ignore[assignment]
            by_order[order].kind_note = FieldNote.of("kind", N_("set by the officer"))
    assignments: dict[Key, Assignment] = {}
    as_read: dict[Key, AsRead | None] = {}

    def build(
        row: RowInput,
        label: Message,
        point: ExtractedPoint,
        quote: str,
        start: int,
        before: ExtractedCommitment | None,
    ) -> None:
        action = " ".join(row.action.split())
        if not action:
            errors.append(_error(N_("%(label)s: say what was undertaken (the action is empty)"), label))
        deadline = _deadline(row, label, settings, errors)
        owner_id = _id(row.owner_id, officer_ids, label, "owner", errors)
        desk_id = _id(row.desk_id, desk_ids, label, "desk", errors)
        status = row.status or Status.OPEN.value
        if status not in STATUSES:
            errors.append(_error(N_("%(label)s: choose the status from the list"), label))
            status = Status.OPEN.value
        end = start + len(quote)
        if any(c.start == start and c.end == end for c in point.commitments):
            errors.append(
                _error(
                    N_("%(label)s: point %(point)s already has a commitment with these words"),
                    label,
                    point=point.number,
                )
            )
            return
        parties = split_parties(row.parties)
        point.commitments.append(
            ExtractedCommitment(
                quote, start, end, action[:2000], parties, deadline, _kept_notes(before, parties, deadline)
            )
        )
        key = (point.order, start, end)
        assignments[key] = Assignment(owner_id, desk_id, status)
        # A kept commitment keeps what the extraction read; one added here was read by nobody.
        if before is None:
            as_read[key] = None
        elif key in review.as_read:
            as_read[key] = review.as_read[key]

    as_of_date = _as_of(as_of, review.extracted.meeting_date, errors)
    for n, ((old_point, commitment, _), row) in enumerate(zip(current, rows, strict=True), start=1):
        if row.keep:
            build(
                row,
                Message(N_("Commitment %(n)s"), {"n": n}),
                by_order[old_point.order],
                commitment.quote,
                commitment.start,
                commitment,
            )
    if added is not None and added.quote.strip():
        label = Message(N_("The added commitment"))
        target = by_order.get(int(added.point_order)) if added.point_order.strip().isdigit() else None
        if target is None:
            errors.append(_error(N_("%(label)s: choose the point it is in"), label))
        else:
            quote = added.quote.strip()
            start = text.find(quote, target.start, target.end)
            if start < 0:
                errors.append(
                    _error(
                        N_("%(label)s: copy its words exactly from point %(point)s"),
                        label,
                        point=target.number,
                    )
                )
            else:
                build(added, label, target, quote, start, None)
    if errors:
        raise InvalidInput(errors)
    for point in new_points:
        point.commitments.sort(key=lambda c: (c.start, c.end))
        point.flags = _uncovered(point.flags, point.commitments)
    ex = review.extracted
    return Review(
        ExtractedReadout(
            text, ex.title, ex.meeting_date, ex.meeting_date_basis, new_points, language=ex.language
        ),
        assignments,
        as_of_date,
        as_read,
    )


def _as_of(value: str, meeting: dt.date | None, errors: list[Message]) -> dt.date | None:
    """The "statuses as of" date typed in the preview; on or after the meeting."""
    value = value.strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        errors.append(
            Message(N_("Statuses as of: give a date as YYYY-MM-DD, not %(value)r"), {"value": value})
        )
        return None
    if meeting is not None and day < meeting:
        errors.append(
            Message(
                N_("Statuses as of: %(day)s is before the meeting (%(meeting)s)"),
                {"day": day.isoformat(), "meeting": meeting.isoformat()},
            )
        )
        return None
    return day


def _kept_notes(
    before: ExtractedCommitment | None, parties: list[str], deadline: DeadlineSpec
) -> list[FieldNote]:
    """The extraction's notes on the fields the officer left as they were; "set by the officer"
    on the others (and on every field of a commitment the officer added)."""
    if before is None:
        return [
            FieldNote.of("parties", N_("typed by the officer")),
            FieldNote.of("deadline", N_("typed by the officer")),
        ]
    old = {n.field: n for n in before.notes}
    notes = []
    same_parties = set(parties) == set(before.parties)
    same_deadline = _same_deadline(deadline, before.deadline)
    for name, same in (("parties", same_parties), ("deadline", same_deadline)):
        if same and name in old:
            notes.append(old[name])
        elif not same:
            notes.append(FieldNote.of(name, N_("corrected by the officer")))  # type: ignore[arg-type]
    return notes


def _same_deadline(a: DeadlineSpec, b: DeadlineSpec) -> bool:
    fields = ("type", "event", "relation", "date")
    return all(getattr(a, f) == getattr(b, f) for f in fields) and (
        a.type != "event" or a.offset_days == b.offset_days
    )


def _uncovered(flags: list[Flag], commitments: list[ExtractedCommitment]) -> list[Flag]:
    """The flags no commitment now covers (a flag turned into a commitment goes away)."""
    return [f for f in flags if not any(c.start < f.end and f.start < c.end for c in commitments)]


def promote_flag(
    review: Review,
    key: Key,
    assignment: Assignment,
    settings: DeadlineSettings,
) -> tuple[Review, int]:
    """The review with the possible undertaking `key` (point order, start, end) made a commitment,
    its quote, parties and deadline read from the flag's words; and its row number in the preview.

    InvalidInput when the point has no such flag (any more)."""
    order, start, end = key
    ex = review.extracted
    point = next((p for p in ex.points if p.order == order), None)
    flag = next((f for f in point.flags if (f.start, f.end) == (start, end)), None) if point else None
    if point is None or flag is None:
        raise InvalidInput(N_("that possible undertaking is no longer in the preview"))
    # The readout's own grammar reads the words: a Japanese flag's 「年内に」 is not English.
    action, deadline, why = grammar_for(ex.language).undertaking(
        ex.text, start, end, ex.meeting_date, settings
    )
    notes = [
        FieldNote.of(
            "parties",
            N_("from a possible undertaking ('%(cue)s'): check who undertakes it"),
            weak=True,
            cue=flag.cue,
        )
    ]
    commitment = ExtractedCommitment(
        quote=flag.quote,
        start=start,
        end=end,
        action=action[:2000],
        parties=list(flag.parties),
        deadline=deadline,
        notes=[*notes, why] if why is not None else notes,
    )
    points = []
    for p in ex.points:
        if p.order == order:
            commitments = sorted([*p.commitments, commitment], key=lambda c: (c.start, c.end))
            p = ExtractedPoint(
                p.number,
                p.order,
                p.start,
                p.end,
                "commitment",
                p.section,
                commitments,
                _uncovered(p.flags, commitments),
                FieldNote.of("kind", N_("it holds an undertaking the officer added")),
            )
        points.append(p)
    assignments = dict(review.assignments)
    assignments[(order, start, end)] = assignment
    promoted = Review(
        ExtractedReadout(
            ex.text, ex.title, ex.meeting_date, ex.meeting_date_basis, points, language=ex.language
        ),
        assignments,
        review.as_of,
        # The officer made it a commitment: the extraction only flagged it.
        {**review.as_read, (order, start, end): None},
    )
    row = next(n for n, (p, c, _) in enumerate(promoted.rows(), start=1) if (p.order, c.start, c.end) == key)
    return promoted, row


# --- how sure: the weak fields first ------------------------------------------------------------


@dataclass
class PreviewRow:
    """One commitment of the preview as shown: its form number, notes, and how sure the extraction is."""

    n: int  # the row's number in the form (c{n}_...), in reading order
    point: ExtractedPoint
    commitment: ExtractedCommitment
    assignment: Assignment
    notes: list[FieldNote]

    @property
    def confidence(self) -> float:
        return 0.5 ** sum(1 for note in self.notes if note.weak)

    def note(self, name: str) -> FieldNote | None:
        """The note on one field (`parties`, `deadline`), if any."""
        return next((n for n in self.notes if n.field == name), None)


def event_note(name: str, event: Event | None) -> FieldNote:
    """Whether the event a deadline hangs on is in the registry (weak when it is not)."""
    if event is None:
        return FieldNote.of(
            "deadline",
            N_("'%(name)s' is not in the event registry: no due date until it is entered"),
            weak=True,
            name=name,
        )
    if event.date:
        return FieldNote.of(
            "deadline",
            N_("'%(name)s' is in the registry (%(event)s: %(date)s)"),
            name=name,
            event=event.name,
            date=event.date.isoformat(),
        )
    return FieldNote.of(
        "deadline", N_("'%(name)s' is in the registry (%(event)s, no date yet)"), name=name, event=event.name
    )


def notes_with_registry(
    session: Session, commitment: ExtractedCommitment, seen: dict[str, Event | None]
) -> list[FieldNote]:
    """A commitment's notes, with one on its event's registry entry; `seen` caches the lookups."""
    spec = commitment.deadline
    if spec.type != "event" or not spec.event:
        return list(commitment.notes)
    if spec.event not in seen:
        seen[spec.event] = find_event(session, spec.event)
    return [*commitment.notes, event_note(spec.event, seen[spec.event])]


def preview_rows(session: Session, review: Review) -> list[PreviewRow]:
    """The commitments with their notes, the least sure first (then in reading order): an event
    deadline whose event is not in the registry is one more weak field."""
    seen: dict[str, Event | None] = {}
    rows = [
        PreviewRow(n, p, c, a, notes_with_registry(session, c, seen))
        for n, (p, c, a) in enumerate(review.rows(), start=1)
    ]
    return sorted(rows, key=lambda r: (r.confidence, r.n))


def store_reviewed(
    session: Session,
    review: Review,
    *,
    title: str | None,
    publisher: str | None,
    source: str | None,
    by: Officer,
    now: dt.datetime,
    settings: DeadlineSettings,
) -> Readout:
    """Store the corrected readout, each commitment with the owner and desk chosen for it."""
    readout = store_readout(
        session,
        review.extracted,
        title=title,
        publisher=publisher,
        source=source,
        by=by,
        desk=by.desk,
        now=now,
        settings=settings,
    )
    stored_days = desk_days(by.desk)
    read = {(p.order, c.start, c.end): c for p in review.extracted.points for c in p.commitments}
    specs = {key: c.deadline for key, c in read.items()}
    for point in readout.points:
        for c in point.commitments:
            key = (point.position, c.quote_start, c.quote_end)
            chosen = review.assignments.get(key)
            if chosen is None:
                continue
            if key in read:
                _record_corrections(session, c, review, key, read[key], by, now)
            owner = session.get(Officer, chosen.owner_id) if chosen.owner_id else None
            if owner is not c.owner:
                # Given to someone in the preview: said in its history, which tells them (issue 18).
                record_change(
                    session,
                    c,
                    field="owner",
                    old=c.owner,
                    new=owner,
                    by=by,
                    now=now,
                    note="assigned in the preview",
                )
            c.owner = owner
            c.desk = session.get(Desk, chosen.desk_id) if chosen.desk_id else None
            if desk_days(c.desk) != stored_days and key in specs:
                _redate(c, specs[key], readout.meeting_date, settings, desk_days(c.desk))
            if review.as_of is not None and c.review_date is not None:
                c.review_date = review_date(review.as_of, settings, desk_days(c.desk))
            if chosen.status != Status.OPEN.value:
                _set_imported_status(session, c, Status(chosen.status), review.as_of, by, now)
    session.flush()
    return readout


PREVIEW_CORRECTIONS = "preview_corrections"


def preview_corrections(before: AsRead | None, after: ExtractedCommitment) -> dict[str, Any]:
    """What the officer changed in the preview, as the history row stores it (JSON; said in
    words by `tracker.history_text.describe_corrections`): {"added": true} for a commitment the
    officer added, else one entry per corrected field among parties (the names added and
    removed), action and deadline (each with what the extraction had read); {} for none."""
    if before is None:
        return {"added": True}
    found: dict[str, Any] = {}
    added = [n for n in after.parties if n not in before.parties]
    removed = [n for n in before.parties if n not in after.parties]
    if added or removed:
        found["parties"] = {"added": added, "removed": removed}
    if " ".join(after.action.split()) != " ".join(before.action.split())[:2000]:
        found["action"] = {"was": before.action}
    if not _same_deadline(after.deadline, before.deadline):
        found["deadline"] = {"was": _deadline_data(before.deadline)}
    return found


def _record_corrections(
    session: Session,
    c: Commitment,
    review: Review,
    key: Key,
    after: ExtractedCommitment,
    by: Officer,
    now: dt.datetime,
) -> None:
    if key not in review.as_read:
        return
    corrections = preview_corrections(review.as_read[key], after)
    if corrections:
        value = json.dumps(corrections, ensure_ascii=False)
        record_change(session, c, field=PREVIEW_CORRECTIONS, old=None, new=value, by=by, now=now, note=None)


def _set_imported_status(
    session: Session, c: Commitment, status: Status, as_of: dt.date | None, by: Officer, now: dt.datetime
) -> None:
    """Store the status the officer chose in the preview, with a history row that says so."""
    when = f" as of {as_of.isoformat()}" if as_of else ""
    record_change(
        session, c, field="status", old=c.status, new=status, by=by, now=now, note=f"set in the preview{when}"
    )
    c.status = status


def _redate(
    c: Commitment, spec: DeadlineSpec, meeting: dt.date, settings: DeadlineSettings, days: DayCounter
) -> None:
    """Resolve a stored commitment's days again for the desk it was given, which counts them
    otherwise than the desk it was stored on."""
    if spec.type == "event" or spec.counted_days is not None:
        c.due_date = resolve_due_date(spec, meeting, c.event.date if c.event else None, days)
    c.review_date = review_date_for(c.deadline_type, meeting, settings, days)


# --- reaffirmations proposed in the preview (issue 9) -------------------------------------------


def propose_for_review(
    session: Session, review: Review, *, viewer: Officer | None
) -> dict[Key, list[Proposal]]:
    """Earlier open commitments (that `viewer` may see) each previewed commitment likely repeats,
    by row key, best first."""
    rows = review.rows()
    found = propose_reaffirmations(
        session, [c for _, c, _ in rows], meeting_date=review.extracted.meeting_date, viewer=viewer
    )
    by_key: dict[Key, list[Proposal]] = {}
    for proposal in found:
        point, c, _ = rows[proposal.later_index]
        by_key.setdefault((point.order, c.start, c.end), []).append(proposal)
    return by_key


@dataclass
class LinkResult:
    linked: list[Reaffirmation] = field(default_factory=list)
    # (row key, earlier commitment id) ticked in the form but not linked: not proposed (any
    # more) for that commitment, or the earlier one belongs to a desk the officer cannot change.
    ignored: list[tuple[Key, int]] = field(default_factory=list)


def link_reaffirmations(
    session: Session,
    readout: Readout,
    chosen: Mapping[Key, Iterable[int]],
    *,
    by: Officer,
    now: dt.datetime,
) -> LinkResult:
    """Link the stored readout's commitments to the earlier ones the officer ticked in the preview.

    The ticked ids come from a form, so they are never trusted: the proposals are computed again
    for the stored commitments and only a pair proposed for that very commitment is linked.
    """
    result = LinkResult()
    wanted = {(key, earlier_id) for key, ids in chosen.items() for earlier_id in ids}
    if not wanted:
        return result
    stored = {(p.position, c.quote_start, c.quote_end): c for p in readout.points for c in p.commitments}
    proposed = {(p.later_id, p.earlier_id): p for p in proposals_for_readout(session, readout, viewer=by)}
    for key, earlier_id in sorted(wanted):
        later = stored.get(key)
        proposal = proposed.get((later.id, earlier_id)) if later is not None else None
        if later is None or proposal is None or not can_edit(by, proposal.earlier):
            result.ignored.append((key, earlier_id))
            continue
        result.linked.append(
            confirm_reaffirmation(session, proposal.earlier, later, by=by, now=now, score=proposal.score)
        )
    return result
