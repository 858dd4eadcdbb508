"""Extension requests (issue 17): an officer asks for a commitment's due date to move, with a reason;
a supervisor approves (the due date moves through `update_commitment`, which clears the
escalation) or refuses. Asking and deciding are both written to the commitment's history.

Who may ask and who may decide is `tracker.services.permissions`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker import followup
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment, Desk, DeskPolicy, ExtensionRequest, ExtensionState, Officer
from tracker.services.commitments import update_commitment
from tracker.services.errors import N_, InvalidInput, NotFound
from tracker.services.escalations import escalation_to_dict, escalations_of
from tracker.services.history import record_change
from tracker.services.permissions import (
    can_see_readout,
    require_decide_extension,
    require_edit,
    require_see_readout,
)

MAX_REASON = 2000


def _text(value: str | None, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(N_("%(what)s is required"), what=what)
    if "\x00" in value:
        raise InvalidInput(N_("%(what)s must not contain NUL characters"), what=what)
    return value[:MAX_REASON]


def pending_request(session: Session, commitment_id: int) -> ExtensionRequest | None:
    """The commitment's request that waits for a decision, if any."""
    return session.scalar(
        select(ExtensionRequest).where(
            ExtensionRequest.commitment_id == commitment_id, ExtensionRequest.state == ExtensionState.PENDING
        )
    )


def request_extension(
    session: Session,
    commitment: Commitment,
    *,
    by: Officer,
    new_due_date: dt.date,
    reason: str,
    now: dt.datetime,
) -> ExtensionRequest:
    """Ask for `commitment`'s due date to move to `new_due_date`, saying why; refused (nothing
    written) for a commitment that is not active or has no due date, a date that is not later,
    or while another request waits."""
    require_see_readout(session, by, commitment.readout_id, f"commitment with id {commitment.id}")
    require_edit(by, commitment, "ask an extension of")
    reason = _text(reason, "a reason")
    if commitment.status.value not in followup.ACTIVE_STATUSES:
        raise InvalidInput(
            N_("commitment %(commitment_id)s is %(status)s: nothing to extend"),
            commitment_id=commitment.id,
            status=commitment.status.value,
        )
    if commitment.due_date is None:
        raise InvalidInput(
            N_("commitment %(commitment_id)s has no due date to extend"), commitment_id=commitment.id
        )
    if new_due_date <= commitment.due_date:
        raise InvalidInput(
            N_("the new due date must be after the current one (%(due_date)s)"),
            due_date=commitment.due_date.isoformat(),
        )
    waiting = pending_request(session, commitment.id)
    if waiting is not None:
        raise InvalidInput(
            N_("extension request %(waiting_id)s (to %(new_due_date)s) is waiting for a decision already"),
            waiting_id=waiting.id,
            new_due_date=waiting.new_due_date.isoformat(),
        )
    request = ExtensionRequest(
        commitment=commitment,
        requested_by=by,
        requested_at=now,
        old_due_date=commitment.due_date,
        new_due_date=new_due_date,
        reason=reason,
        state=ExtensionState.PENDING,
    )
    session.add(request)
    record_change(
        session,
        commitment,
        field="extension_requested",
        old=commitment.due_date,
        new=new_due_date,
        by=by,
        now=now,
        note=reason,
    )
    session.flush()
    return request


def get_request(session: Session, request_id: int, *, viewer: Officer | None) -> ExtensionRequest:
    """The extension request with `request_id` (its commitment, desk and policy loaded), or
    NotFound (also when its commitment is hidden from `viewer`, issue 19)."""
    request = session.scalar(
        select(ExtensionRequest)
        .where(ExtensionRequest.id == request_id)
        .options(
            selectinload(ExtensionRequest.commitment)
            .selectinload(Commitment.desk)
            .selectinload(Desk.policy)
            .selectinload(DeskPolicy.supervisor),
            selectinload(ExtensionRequest.requested_by),
        )
    )
    if request is None or not can_see_readout(session, viewer, request.commitment.readout_id):
        raise NotFound(N_("no extension request with id %(request_id)s"), request_id=request_id)
    return request


def decide_extension(
    session: Session,
    request: ExtensionRequest,
    *,
    by: Officer,
    approve: bool,
    note: str | None,
    now: dt.datetime,
    settings: DeadlineSettings,
) -> ExtensionRequest:
    """Approve (the due date moves, the escalation stops) or refuse (a note is required) a pending
    request. An approval is refused when the commitment is no longer active or its due date moved
    since the request: it would extend something else."""
    require_see_readout(session, by, request.commitment.readout_id, f"extension request with id {request.id}")
    require_decide_extension(by, request)
    if request.state != ExtensionState.PENDING:
        raise InvalidInput(
            N_("extension request %(request_id)s was %(state)s already"),
            request_id=request.id,
            state=request.state.value,
        )
    commitment = request.commitment
    if approve:
        note = (note or "").strip() or None
        if commitment.status.value not in followup.ACTIVE_STATUSES:
            raise InvalidInput(
                N_("commitment %(commitment_id)s is %(status)s: refuse the request"),
                commitment_id=commitment.id,
                status=commitment.status.value,
            )
        if commitment.due_date != request.old_due_date:
            moved_to = commitment.due_date.isoformat() if commitment.due_date else "none"
            raise InvalidInput(
                N_(
                    "commitment %(commitment_id)s's due date moved since the request (to "
                    "%(moved_to)s): refuse it and ask again"
                ),
                commitment_id=commitment.id,
                moved_to=moved_to,
            )
        update_commitment(
            session,
            commitment,
            by=by,
            note=f"extension {request.id} approved: {request.reason}" + (f" ({note})" if note else ""),
            now=now,
            settings=settings,
            due_date=request.new_due_date,
        )
    else:
        note = _text(note, "a note saying why it is refused")
    request.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    request.decided_by = by
    request.decided_at = now
    request.decision_note = note
    record_change(
        session,
        commitment,
        field="extension",
        old=ExtensionState.PENDING.value,
        new=request.state.value,
        by=by,
        now=now,
        note=note or f"extension to {request.new_due_date.isoformat()} approved",
    )
    session.flush()
    return request


def requests_of(session: Session, commitment_id: int) -> list[ExtensionRequest]:
    """A commitment's extension requests, newest first, with who asked and decided."""
    return list(
        session.scalars(
            select(ExtensionRequest)
            .where(ExtensionRequest.commitment_id == commitment_id)
            .options(selectinload(ExtensionRequest.requested_by), selectinload(ExtensionRequest.decided_by))
            .order_by(ExtensionRequest.requested_at.desc(), ExtensionRequest.id.desc())
        )
    )


def pending_requests(session: Session, decider: Officer | None = None) -> list[ExtensionRequest]:
    """Requests waiting for a decision, oldest first; with `decider`, those on the desks that name
    them supervisor or head (everyone's for none)."""
    stmt = (
        select(ExtensionRequest)
        .where(ExtensionRequest.state == ExtensionState.PENDING)
        .options(
            selectinload(ExtensionRequest.requested_by),
            selectinload(ExtensionRequest.commitment),
        )
        .order_by(ExtensionRequest.requested_at, ExtensionRequest.id)
    )
    if decider is not None:
        stmt = (
            stmt.join(Commitment, Commitment.id == ExtensionRequest.commitment_id)
            .join(DeskPolicy, DeskPolicy.desk_id == Commitment.desk_id)
            .where((DeskPolicy.supervisor_id == decider.id) | (DeskPolicy.head_id == decider.id))
            .where(ExtensionRequest.requested_by_id != decider.id)
        )
    return list(session.scalars(stmt))


def request_to_dict(request: ExtensionRequest) -> dict[str, Any]:
    """One extension request as JSON (`tracker show --json`, the API)."""
    return {
        "id": request.id,
        "commitment_id": request.commitment_id,
        "requested_by": request.requested_by.email,
        "requested_at": request.requested_at.isoformat(),
        "old_due_date": request.old_due_date.isoformat(),
        "new_due_date": request.new_due_date.isoformat(),
        "reason": request.reason,
        "state": request.state.value,
        "decided_by": request.decided_by.email if request.decided_by else None,
        "decided_at": request.decided_at.isoformat() if request.decided_at else None,
        "decision_note": request.decision_note,
    }


def followup_to_dict(session: Session, commitment: Commitment) -> dict[str, Any]:
    """A commitment's escalations and extension requests as JSON, beside `to_dict_with_history`
    (`tracker show --json`, the API's one commitment)."""
    return {
        "escalations": [escalation_to_dict(e) for e in escalations_of(session, commitment.id)],
        "extensions": [request_to_dict(r) for r in requests_of(session, commitment.id)],
    }
