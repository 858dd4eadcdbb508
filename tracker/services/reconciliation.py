"""The reconciliation of a linked meeting: what both readouts report, and what only one does.

For a counterpart link (each government's readout) every undertaking falls in one of three:
reported by both (aligned, with both quotes; flagged when the deadlines or the parties differ),
or reported by one side only ("not in the other side's readout"). For a translation link the
original's commitments are the tracked set, each with its translated wording beside it; a
deadline that the two versions resolve differently is flagged, the original being authoritative.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Commitment, CommitmentAlignment, LinkKind, Officer, Readout, ReadoutLink
from tracker.services.errors import N_, NotFound
from tracker.services.permissions import commitment_visible
from tracker.services.readout_links import deadline_difference, links_of

BOTH = "both"
ONLY_THIS = "only_this"
ONLY_OTHER = "only_other"


@dataclass(frozen=True)
class Wording:
    """How one readout words and dates an undertaking."""

    quote: str
    parties: list[str]
    deadline_type: str
    deadline_text: str | None
    due_date: dt.date | None
    commitment_id: int | None  # None for a translation's wording folded into the original


@dataclass
class ReconciledRow:
    status: str  # BOTH | ONLY_THIS | ONLY_OTHER
    this: Wording | None
    other: Wording | None
    score: float | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class Reconciliation:
    link: ReadoutLink
    this: Readout
    other: Readout
    rows: list[ReconciledRow]

    @property
    def kind(self) -> LinkKind:
        return self.link.kind

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def flagged(self) -> int:
        return sum(1 for r in self.rows if r.flags)


def _wording(c: Commitment) -> Wording:
    return Wording(
        c.quote,
        [p.name for p in c.parties],
        c.deadline_type.value,
        c.deadline_text,
        c.due_date,
        c.id,
    )


def _other_wording(a: CommitmentAlignment) -> Wording:
    return Wording(
        a.other_quote,
        list(a.other_parties or []),
        a.other_deadline_type.value,
        a.other_deadline_text,
        a.other_due_date,
        a.other_commitment_id,
    )


def _flags(this: Wording, other: Wording, kind: LinkKind) -> list[str]:
    flags = []
    differs = deadline_difference(this.deadline_type, this.due_date, other.deadline_type, other.due_date)
    if differs:
        flags.append(
            f"deadline differs: {differs}"
            + (" (the original is authoritative)" if kind == LinkKind.TRANSLATION else "")
        )
    if this.parties and other.parties and set(this.parties) != set(other.parties):
        flags.append(f"parties differ: {', '.join(this.parties)} against {', '.join(other.parties)}")
    return flags


def _commitments(session: Session, readout_id: int) -> list[Commitment]:
    return list(
        session.scalars(
            select(Commitment)
            .where(Commitment.readout_id == readout_id)
            .options(selectinload(Commitment.parties))
            .order_by(Commitment.point_id, Commitment.quote_start, Commitment.id)
        )
    )


def reconcile_link(
    session: Session, link: ReadoutLink, *, from_readout_id: int | None = None
) -> Reconciliation:
    """One link's reconciliation, seen from `from_readout_id` (a translation: from the original)."""
    flipped = link.kind == LinkKind.COUNTERPART and from_readout_id == link.other_readout_id
    this, other = (link.other_readout, link.readout) if flipped else (link.readout, link.other_readout)
    alignments = list(
        session.scalars(
            select(CommitmentAlignment)
            .where(CommitmentAlignment.link_id == link.id)
            .options(
                selectinload(CommitmentAlignment.commitment).selectinload(Commitment.parties),
                selectinload(CommitmentAlignment.other_commitment).selectinload(Commitment.parties),
            )
            .order_by(CommitmentAlignment.id)
        )
    )
    aligned_first = {a.commitment_id for a in alignments}
    aligned_second = {a.other_commitment_id for a in alignments if a.other_commitment_id is not None}
    rows: list[ReconciledRow] = []
    for a in alignments:
        first = _wording(a.commitment)
        second = _wording(a.other_commitment) if a.other_commitment is not None else _other_wording(a)
        mine, theirs = (second, first) if flipped else (first, second)
        rows.append(ReconciledRow(BOTH, mine, theirs, a.score, _flags(mine, theirs, link.kind)))
    for c in _commitments(session, link.readout_id):
        if c.id not in aligned_first:
            status = ONLY_OTHER if flipped else ONLY_THIS
            w = _wording(c)
            rows.append(ReconciledRow(status, w if not flipped else None, w if flipped else None))
    for c in _commitments(session, link.other_readout_id):
        if c.id not in aligned_second:
            status = ONLY_THIS if flipped else ONLY_OTHER
            w = _wording(c)
            rows.append(ReconciledRow(status, w if flipped else None, w if not flipped else None))
    order = {BOTH: 0, ONLY_THIS: 1, ONLY_OTHER: 2}
    rows.sort(key=lambda r: order[r.status])
    return Reconciliation(link, this, other, rows)


def reconcile(session: Session, readout_id: int, *, viewer: Officer | None) -> list[Reconciliation]:
    """The reconciliation of every link of a readout (NotFound for an unknown readout)."""
    if session.get(Readout, readout_id) is None:
        raise NotFound(N_("no readout with id %(readout_id)s"), readout_id=readout_id)
    return [
        reconcile_link(session, link, from_readout_id=readout_id)
        for link in links_of(session, readout_id, viewer=viewer)
    ]


def wording_to_dict(w: Wording | None) -> dict[str, Any] | None:
    if w is None:
        return None
    return {
        "commitment_id": w.commitment_id,
        "quote": w.quote,
        "parties": w.parties,
        "deadline_type": w.deadline_type,
        "deadline_text": w.deadline_text,
        "due_date": w.due_date.isoformat() if w.due_date else None,
    }


def reconciliation_to_dict(r: Reconciliation) -> dict[str, Any]:
    """A reconciliation as JSON (the API and `tracker reconcile --json`)."""
    return {
        "link_id": r.link.id,
        "kind": r.kind.value,
        "readout_id": r.this.id,
        "other_readout_id": r.other.id,
        "other_title": r.other.title,
        "confirmed_at": r.link.confirmed_at.isoformat(),
        "confirmed_by": r.link.confirmed_by.email if r.link.confirmed_by else None,
        "counts": {status: r.count(status) for status in (BOTH, ONLY_THIS, ONLY_OTHER)}
        | {"flagged": r.flagged},
        "rows": [
            {
                "status": row.status,
                "this": wording_to_dict(row.this),
                "other": wording_to_dict(row.other),
                "score": row.score,
                "flags": row.flags,
            }
            for row in r.rows
        ],
    }


@dataclass(frozen=True)
class OneSided:
    """A commitment of a past meeting that the other government's readout does not report."""

    commitment: Commitment
    readout: Readout
    other: Readout


def one_sided_with(
    session: Session,
    party_id: int,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    *,
    viewer: Officer | None,
) -> list[OneSided]:
    """Commitments of counterpart-linked meetings with a party that only one side reported (of
    the links whose two readouts `viewer` may see)."""
    stmt = (
        select(ReadoutLink)
        .join(Readout, Readout.id == ReadoutLink.readout_id)
        .where(
            ReadoutLink.kind == LinkKind.COUNTERPART,
            commitment_visible(viewer, ReadoutLink.readout_id),
            commitment_visible(viewer, ReadoutLink.other_readout_id),
        )
        .options(selectinload(ReadoutLink.readout), selectinload(ReadoutLink.other_readout))
        .order_by(Readout.meeting_date.desc(), ReadoutLink.id.desc())
    )
    if date_from is not None:
        stmt = stmt.where(Readout.meeting_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(Readout.meeting_date <= date_to)
    found: list[OneSided] = []
    for link in session.scalars(stmt):
        aligned = set(
            session.execute(
                select(CommitmentAlignment.commitment_id, CommitmentAlignment.other_commitment_id).where(
                    CommitmentAlignment.link_id == link.id
                )
            ).all()
        )
        taken = {i for pair in aligned for i in pair if i is not None}
        for readout, other in ((link.readout, link.other_readout), (link.other_readout, link.readout)):
            for c in _commitments(session, readout.id):
                if c.id not in taken and any(p.id == party_id for p in c.parties):
                    found.append(OneSided(c, readout, other))
    return found
