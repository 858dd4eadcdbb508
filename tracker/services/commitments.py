"""Commitments: finding them with filters, showing them, and changing them with history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from tracker import followup
from tracker.deadlines import DeadlineSettings
from tracker.models import (
    Commitment,
    DeadlineType,
    Desk,
    Officer,
    Party,
    Status,
    StatusChange,
    commitment_party,
)
from tracker.services.errors import InvalidInput, NotFound, VersionConflict
from tracker.services.history import changes_since, history_to_dict, record_change
from tracker.services.permissions import require_edit


@dataclass
class CommitmentFilter:
    """The filters shared by the CLI, the web list and the API list."""

    status: str | None = None
    party: str | None = None
    desk: str | None = None
    owner: str | None = None  # an officer's email
    overdue: bool = False
    stale: bool = False
    waiting: bool = False
    due_before: dt.date | None = None
    due_after: dt.date | None = None
    q: str | None = None
    readout_id: int | None = None


def parse_status(value: str) -> Status:
    """`value` as a Status, or InvalidInput naming the valid ones."""
    try:
        return Status(value)
    except ValueError:
        raise InvalidInput(
            f"unknown status {value!r} (choose from {', '.join(s.value for s in Status)})"
        ) from None


def filtered_query(filters: CommitmentFilter, today: dt.date) -> Select[Commitment]:
    """A SELECT of the commitments that pass `filters`, ordered by due date then id."""
    stmt = select(Commitment)
    if filters.status:
        stmt = stmt.where(Commitment.status == parse_status(filters.status))
    if filters.party:
        name = filters.party.strip().lower()
        stmt = stmt.where(
            exists()
            .where(commitment_party.c.commitment_id == Commitment.id)
            .where(commitment_party.c.party_id == Party.id)
            .where(func.lower(Party.name) == name)
        )
    if filters.desk:
        stmt = stmt.where(
            Commitment.desk_id == select(Desk.id).where(Desk.name == filters.desk).scalar_subquery()
        )
    if filters.owner:
        stmt = stmt.where(
            Commitment.owner_id
            == select(Officer.id)
            .where(func.lower(Officer.email) == filters.owner.strip().lower())
            .scalar_subquery()
        )
    if filters.overdue:
        stmt = stmt.where(followup.overdue(Commitment, today))
    if filters.stale:
        stmt = stmt.where(followup.stale(Commitment, today))
    if filters.waiting:
        stmt = stmt.where(followup.waiting(Commitment))
    if filters.due_before:
        stmt = stmt.where(Commitment.due_date <= filters.due_before)
    if filters.due_after:
        stmt = stmt.where(Commitment.due_date >= filters.due_after)
    if filters.q:
        pattern = f"%{filters.q.strip().lower()}%"
        stmt = stmt.where(
            or_(func.lower(Commitment.quote).like(pattern), func.lower(Commitment.action).like(pattern))
        )
    if filters.readout_id is not None:
        stmt = stmt.where(Commitment.readout_id == filters.readout_id)
    return stmt.order_by(Commitment.due_date.is_(None), Commitment.due_date, Commitment.id)


def list_commitments(
    session: Session, filters: CommitmentFilter, today: dt.date, limit: int | None = None
) -> list[Commitment]:
    """The commitments that pass `filters`, with what showing them needs loaded up front."""
    stmt = filtered_query(filters, today).options(
        selectinload(Commitment.parties),
        selectinload(Commitment.owner),
        selectinload(Commitment.desk),
        selectinload(Commitment.event),
        selectinload(Commitment.point),
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def get_commitment(session: Session, commitment_id: int) -> Commitment:
    """The commitment with `commitment_id`, or NotFound."""
    commitment = session.get(Commitment, commitment_id)
    if commitment is None:
        raise NotFound(f"no commitment with id {commitment_id}")
    return commitment


def to_dict(c: Commitment) -> dict[str, Any]:
    """The JSON shape of a commitment, shared by `tracker show --json` and the API."""
    return {
        "id": c.id,
        "readout_id": c.readout_id,
        "point": c.point.number,
        "kind": c.point.kind.value,
        "quote": c.quote,
        "quote_start": c.quote_start,
        "quote_end": c.quote_end,
        "parties": [p.name for p in c.parties],
        "action": c.action,
        "deadline_type": c.deadline_type.value,
        "deadline_text": c.deadline_text,
        "event": c.event.name if c.event else None,
        "relation": c.deadline_relation.value if c.deadline_relation else None,
        "due_date": c.due_date.isoformat() if c.due_date else None,
        "review_date": c.review_date.isoformat() if c.review_date else None,
        "status": c.status.value,
        "version": c.version,
        "owner": c.owner.email if c.owner else None,
        "desk": c.desk.name if c.desk else None,
        "created_at": c.created_at.isoformat(),
        "updated_at": c.updated_at.isoformat(),
    }


def to_dict_with_history(c: Commitment) -> dict[str, Any]:
    """`to_dict` plus the history, oldest first: `tracker show --json` and the API's one commitment."""
    data = to_dict(c)
    data["history"] = [history_to_dict(h) for h in c.history]
    return data


def check_may_change(
    session: Session, commitment: Commitment, *, by: Officer, expect_version: int | None, verb: str
) -> None:
    """Refuse, before anything is written, an officer of another desk or a stale version."""
    require_edit(by, commitment, verb)
    if expect_version is not None and commitment.version != expect_version:
        raise VersionConflict(
            commitment.id,
            expect_version,
            commitment.version,
            changes_since(session, commitment.id, expect_version),
        )


_UNSET: Any = object()


def update_commitment(
    session: Session,
    commitment: Commitment,
    *,
    by: Officer,
    note: str,
    now: dt.datetime,
    settings: DeadlineSettings,
    expect_version: int | None = None,
    status: Status | str | None = None,
    owner: Officer | None = _UNSET,
    due_date: dt.date | None = _UNSET,
) -> list[StatusChange]:
    """Change status, owner and/or due date, writing one history row per changed field.

    With `expect_version`, a commitment changed since the caller read it is refused with
    VersionConflict and nothing is written.
    """
    if not note or not note.strip():
        raise InvalidInput("a note is required: say why it changed")
    check_may_change(session, commitment, by=by, expect_version=expect_version, verb="change")
    note = note.strip()
    changes: list[StatusChange] = []
    if status is not None:
        new_status = parse_status(status) if isinstance(status, str) else status
        if new_status != commitment.status:
            changes.append(
                record_change(
                    session,
                    commitment,
                    field="status",
                    old=commitment.status,
                    new=new_status,
                    by=by,
                    now=now,
                    note=note,
                )
            )
            commitment.status = new_status
            commitment.flagged_overdue_at = None
            commitment.flagged_stale_at = None
    if owner is not _UNSET and owner is not commitment.owner:
        if owner is not None and not owner.is_active:
            raise InvalidInput(f"{owner.email} is deactivated and cannot own commitments")
        changes.append(
            record_change(
                session, commitment, field="owner", old=commitment.owner, new=owner, by=by, now=now, note=note
            )
        )
        commitment.owner = owner
    if due_date is not _UNSET and due_date != commitment.due_date:
        changes.append(
            record_change(
                session,
                commitment,
                field="due_date",
                old=commitment.due_date,
                new=due_date,
                by=by,
                now=now,
                note=note,
            )
        )
        commitment.due_date = due_date
        commitment.flagged_overdue_at = None
    if not changes:
        # A note alone still counts as an update (it resets the review clock).
        changes.append(
            record_change(session, commitment, field="note", old=None, new=None, by=by, now=now, note=note)
        )
    commitment.updated_at = now
    # Every accepted change bumps the version, even one whose row values happen to be equal
    # (a note at the same instant): other editors must see that something was said.
    flag_modified(commitment, "updated_at")
    if commitment.review_date is not None or commitment.deadline_type in (
        DeadlineType.ONGOING,
        DeadlineType.NONE,
    ):
        commitment.review_date = now.date() + dt.timedelta(days=settings.review_cadence_days)
        commitment.flagged_stale_at = None
    session.flush()
    return changes
