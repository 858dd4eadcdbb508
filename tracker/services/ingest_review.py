"""The ingest preview: what the officer corrected before saving, checked and applied.

The preview travels between requests as a plain payload (points, commitments, owners and desks,
tied to the text by its hash). The web layer signs it, so that only states this module produced
come back; every correction the officer makes on top is validated here before it is applied,
and `store_reviewed` stores exactly the corrected result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from tracker.deadlines import DeadlineSettings
from tracker.extraction.parties import canonical_party
from tracker.extraction.types import DeadlineSpec, ExtractedCommitment, ExtractedPoint, ExtractedReadout
from tracker.models import Desk, Officer, PointKind, Readout, Reaffirmation
from tracker.services.errors import InvalidInput
from tracker.services.permissions import can_edit
from tracker.services.readouts import store_readout
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
MAX_OFFSET_DAYS = 3650

Key = tuple[int, int, int]  # (point order, quote start, quote end): one commitment of the preview


@dataclass
class Assignment:
    owner_id: int | None
    desk_id: int | None


@dataclass
class Review:
    """An extraction as the officer has corrected it so far, with who owns each commitment."""

    extracted: ExtractedReadout
    assignments: dict[Key, Assignment] = field(default_factory=dict)

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
    # Only for a commitment the officer adds: the point it is in and its exact words.
    point_order: str = ""
    quote: str = ""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def start_review(extracted: ExtractedReadout, owner: Officer | None, desk: Desk | None) -> Review:
    """The first preview: every commitment owned by the officer who ingests, on their desk."""
    assignment = Assignment(owner.id if owner else None, desk.id if desk else None)
    return Review(
        extracted,
        {(p.order, c.start, c.end): assignment for p in extracted.points for c in p.commitments},
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
        "points": [
            {
                "number": p.number,
                "order": p.order,
                "start": p.start,
                "end": p.end,
                "kind": p.kind,
                "section": p.section,
                "commitments": [
                    {
                        "start": c.start,
                        "end": c.end,
                        "action": c.action,
                        "parties": c.parties,
                        "deadline": {
                            "type": c.deadline.type,
                            "text": c.deadline.text,
                            "event": c.deadline.event,
                            "relation": c.deadline.relation,
                            "offset_days": c.deadline.offset_days,
                            "date": c.deadline.date.isoformat() if c.deadline.date else None,
                        },
                        "owner_id": review.assignments.get(
                            (p.order, c.start, c.end), Assignment(None, None)
                        ).owner_id,
                        "desk_id": review.assignments.get(
                            (p.order, c.start, c.end), Assignment(None, None)
                        ).desk_id,
                    }
                    for c in p.commitments
                ],
            }
            for p in ex.points
        ],
    }


def from_payload(text: str, payload: dict[str, Any]) -> Review:
    """The review that `to_payload` made, checked against `text` (InvalidInput if they differ)."""
    if payload.get("v") != PAYLOAD_VERSION or payload.get("sha") != text_hash(text):
        raise InvalidInput("the preview no longer matches the readout text; start the ingest again")
    try:
        meeting = dt.date.fromisoformat(payload["meeting_date"]) if payload["meeting_date"] else None
        points: list[ExtractedPoint] = []
        assignments: dict[Key, Assignment] = {}
        for p in payload["points"]:
            commitments = []
            for c in p["commitments"]:
                d = c["deadline"]
                commitments.append(
                    ExtractedCommitment(
                        quote=text[c["start"] : c["end"]],
                        start=c["start"],
                        end=c["end"],
                        action=c["action"],
                        parties=list(c["parties"]),
                        deadline=DeadlineSpec(
                            type=d["type"],
                            text=d["text"],
                            event=d["event"],
                            relation=d["relation"],
                            offset_days=d["offset_days"],
                            date=dt.date.fromisoformat(d["date"]) if d["date"] else None,
                        ),
                    )
                )
                assignments[(p["order"], c["start"], c["end"])] = Assignment(c["owner_id"], c["desk_id"])
            points.append(
                ExtractedPoint(
                    number=p["number"],
                    order=p["order"],
                    start=p["start"],
                    end=p["end"],
                    kind=p["kind"],
                    section=p["section"],
                    commitments=commitments,
                )
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput("the preview could not be read; start the ingest again") from exc
    return Review(
        ExtractedReadout(text, payload.get("title"), meeting, payload.get("basis", ""), points), assignments
    )


# --- corrections -------------------------------------------------------------------------------


def split_parties(value: str) -> list[str]:
    """Party names typed as a list (semicolons, commas or lines), canonical where known."""
    names = []
    for raw in re.split(r"[;,\n]", value):
        raw = raw.strip()
        if raw:
            names.append((canonical_party(raw) or raw)[:200])
    return list(dict.fromkeys(names))


def _deadline(row: RowInput, label: str, settings: DeadlineSettings, errors: list[str]) -> DeadlineSpec:
    kind = row.deadline_type.strip()
    words = row.deadline_text.strip() or None
    if kind not in DEADLINE_TYPES:
        errors.append(f"{label}: unknown deadline type {kind!r}")
        return DeadlineSpec()
    if kind == "date":
        try:
            when = dt.date.fromisoformat(row.date.strip())
        except ValueError:
            errors.append(f"{label}: a date deadline needs a date as YYYY-MM-DD")
            return DeadlineSpec()
        return DeadlineSpec(type="date", text=words, date=when)
    if kind == "event":
        event = row.event.strip()
        relation = row.relation.strip() or "before"
        if not event:
            errors.append(f"{label}: an event deadline needs the event's name")
            return DeadlineSpec()
        if relation not in RELATIONS:
            errors.append(f"{label}: the relation to the event must be before, at or after")
            return DeadlineSpec()
        default_offset = settings.after_event_days if relation == "after" else 0
        try:
            offset = int(row.offset_days.strip()) if row.offset_days.strip() else default_offset
        except ValueError:
            errors.append(f"{label}: the days after the event must be a whole number")
            return DeadlineSpec()
        if abs(offset) > MAX_OFFSET_DAYS:
            errors.append(f"{label}: the days after the event must be within {MAX_OFFSET_DAYS}")
            return DeadlineSpec()
        return DeadlineSpec(
            type="event",
            text=words,
            event=event[:300],
            relation=relation,  # type: ignore[arg-type]  # checked against RELATIONS above
            offset_days=offset,
        )
    return DeadlineSpec(type=kind, text=words)  # type: ignore[arg-type]


def _id(value: str, allowed: set[int], label: str, what: str, errors: list[str]) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or int(value) not in allowed:
        errors.append(f"{label}: choose the {what} from the list")
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
) -> Review:
    """A new review with the officer's corrections; InvalidInput lists everything that is wrong.

    `rows` are in the order of `review.rows()`; a row with keep=False drops that commitment.
    `added` (when it has a quote) adds a commitment whose words must be found in its point.
    """
    errors: list[str] = []
    text = review.extracted.text
    current = review.rows()
    if len(rows) != len(current):
        raise InvalidInput("the preview form does not match the preview; start the ingest again")
    new_points = [
        ExtractedPoint(p.number, p.order, p.start, p.end, p.kind, p.section, [])
        for p in review.extracted.points
    ]
    by_order = {p.order: p for p in new_points}
    for order, kind in point_kinds.items():
        if order not in by_order:
            errors.append(f"there is no point {order}")
        elif kind not in KINDS:
            errors.append(f"point {by_order[order].number}: unknown kind {kind!r}")
        else:
            by_order[order].kind = kind  # type: ignore[assignment]
    assignments: dict[Key, Assignment] = {}

    def build(row: RowInput, label: str, point: ExtractedPoint, quote: str, start: int) -> None:
        action = " ".join(row.action.split())
        if not action:
            errors.append(f"{label}: say what was undertaken (the action is empty)")
        deadline = _deadline(row, label, settings, errors)
        owner_id = _id(row.owner_id, officer_ids, label, "owner", errors)
        desk_id = _id(row.desk_id, desk_ids, label, "desk", errors)
        end = start + len(quote)
        if any(c.start == start and c.end == end for c in point.commitments):
            errors.append(f"{label}: point {point.number} already has a commitment with these words")
            return
        point.commitments.append(
            ExtractedCommitment(quote, start, end, action[:2000], split_parties(row.parties), deadline)
        )
        assignments[(point.order, start, end)] = Assignment(owner_id, desk_id)

    for n, ((old_point, commitment, _), row) in enumerate(zip(current, rows, strict=True), start=1):
        if row.keep:
            build(row, f"Commitment {n}", by_order[old_point.order], commitment.quote, commitment.start)
    if added is not None and added.quote.strip():
        label = "The added commitment"
        target = by_order.get(int(added.point_order)) if added.point_order.strip().isdigit() else None
        if target is None:
            errors.append(f"{label}: choose the point it is in")
        else:
            quote = added.quote.strip()
            start = text.find(quote, target.start, target.end)
            if start < 0:
                errors.append(f"{label}: copy its words exactly from point {target.number}")
            else:
                build(added, label, target, quote, start)
    if errors:
        raise InvalidInput("; ".join(errors))
    for point in new_points:
        point.commitments.sort(key=lambda c: (c.start, c.end))
    ex = review.extracted
    return Review(
        ExtractedReadout(text, ex.title, ex.meeting_date, ex.meeting_date_basis, new_points), assignments
    )


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
    for point in readout.points:
        for c in point.commitments:
            chosen = review.assignments.get((point.position, c.quote_start, c.quote_end))
            if chosen is None:
                continue
            c.owner = session.get(Officer, chosen.owner_id) if chosen.owner_id else None
            c.desk = session.get(Desk, chosen.desk_id) if chosen.desk_id else None
    session.flush()
    return readout


# --- reaffirmations proposed in the preview (issue 9) -------------------------------------------


def propose_for_review(session: Session, review: Review) -> dict[Key, list[Proposal]]:
    """Earlier open commitments each previewed commitment likely repeats, by row key, best first."""
    rows = review.rows()
    found = propose_reaffirmations(
        session, [c for _, c, _ in rows], meeting_date=review.extracted.meeting_date
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
    proposed = {(p.later_id, p.earlier_id): p for p in proposals_for_readout(session, readout)}
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
