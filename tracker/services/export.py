"""CSV export of a filtered commitment list, streamed row by row (no list of all rows in memory)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Commitment, Officer, StatusChange
from tracker.services.commitment_queries import CommitmentFilter, filtered_query
from tracker.services.restrictions import marking_of

CSV_COLUMNS = [
    "id",
    "readout_id",
    "meeting_date",
    "readout_title",
    "point",
    "parties",
    "action",
    "quote",
    "deadline_type",
    "deadline_text",
    "event",
    "due_date",
    "review_date",
    "status",
    "owner",
    "desk",
    "last_note",
    # Need-to-know (issue 19): a restricted readout's marking ("Confidential") on each of its rows.
    "marking",
]
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_BATCH = 1000


# Bidi overrides, embeddings, isolates and marks (and the Arabic letter mark) reorder what a
# spreadsheet shows ("paid \u202e0001$" reads as "paid $1000"): each is written out as its
# code point, so the cell shows what the text holds and still says the character was there.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_cell(value: object) -> str:
    """The cell as text, with a leading quote before anything a spreadsheet would run and
    bidi controls written out as ⟨U+XXXX⟩."""
    text = "" if value is None else str(value)
    if not text.isascii():
        text = _BIDI_CONTROLS.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def _last_notes(session: Session, ids: list[int]) -> dict[int, str]:
    rows = session.execute(
        select(StatusChange.commitment_id, StatusChange.note)
        .where(
            StatusChange.commitment_id.in_(ids),
            StatusChange.note.is_not(None),
            StatusChange.officer_id.is_not(None),
        )
        .order_by(StatusChange.commitment_id, StatusChange.id)
    )
    notes: dict[int, str] = {}
    for commitment_id, note in rows:
        notes[commitment_id] = note or ""
    return notes


def commitments_csv(
    session: Session, filters: CommitmentFilter, today: dt.date, *, viewer: Officer | None
) -> Iterator[str]:
    """The CSV text (UTF-8, header row) of exactly the commitments that pass `filters` and that
    `viewer` may see, in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    stmt = (
        filtered_query(filters, today, viewer=viewer, session=session)
        .options(
            selectinload(Commitment.parties),
            selectinload(Commitment.owner),
            selectinload(Commitment.desk),
            selectinload(Commitment.event),
            selectinload(Commitment.point),
            selectinload(Commitment.readout),
        )
        .execution_options(yield_per=_BATCH)
    )
    for partition in session.scalars(stmt).partitions(_BATCH):
        notes = _last_notes(session, [c.id for c in partition])
        for c in partition:
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
                        c.id,
                        c.readout_id,
                        c.readout.meeting_date.isoformat(),
                        c.readout.title,
                        c.point.number,
                        "; ".join(p.name for p in c.parties),
                        c.action,
                        c.quote,
                        c.deadline_type.value,
                        c.deadline_text,
                        c.event.name if c.event else None,
                        c.due_date.isoformat() if c.due_date else None,
                        c.review_date.isoformat() if c.review_date else None,
                        c.status.value,
                        c.owner.email if c.owner else None,
                        c.desk.name if c.desk else None,
                        notes.get(c.id),
                        marking_of(c.readout),
                    )
                ]
            )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    rest = buffer.getvalue()
    if rest:
        yield rest
