"""Who may read and change what: every rule of access, in one place; everything else asks here.

- **Reading.** Every active officer may read every commitment, readout and event. Supervisors
  and admins *see every desk*: their dashboard can show any desk or all of them, and their digest
  carries every desk's counts; an officer's dashboard and digest show their own desk.
- **Changing a commitment** (status, owner, due date, outcome, reaffirmation): its owner, an
  officer of its desk, or any supervisor or admin; never a deactivated officer.
- **Extensions** (issue 17): an officer who may change a commitment may ask for its due date to
  be extended; a supervisor or admin, or the desk's named supervisor or head of division, decides,
  never on a request of their own.
- **Event dates** (issue 19): setting an event's date moves the due date of every commitment
  that hangs on it, so it is a supervisor's or admin's act, or an officer's when every commitment
  hanging on the event is their own desk's (or none does). Anyone else's date becomes a proposal
  that a supervisor or admin approves or refuses.
- **Administration** (officers, desks and their follow-up policy, digests outbox): admins only.
"""

from __future__ import annotations

from collections.abc import Collection

from tracker.models import Commitment, EventDateProposal, ExtensionRequest, Officer, Role
from tracker.services.errors import PermissionDenied

# Roles that see (and may change) every desk's commitments.
EVERY_DESK_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def sees_every_desk(officer: Officer) -> bool:
    """Supervisors and admins see every desk (dashboard, digest summary, desk filters)."""
    return officer.role in EVERY_DESK_ROLES


def is_admin(officer: Officer) -> bool:
    """Admins manage officers, desks and the digest outbox."""
    return officer.is_active and officer.role == Role.ADMIN


def can_edit(officer: Officer, commitment: Commitment) -> bool:
    """Officers change their own desk's commitments (and their own); supervisors and admins any."""
    if not officer.is_active:
        return False
    if sees_every_desk(officer):
        return True
    if commitment.owner_id == officer.id:
        return True
    return officer.desk_id is not None and commitment.desk_id == officer.desk_id


def require_edit(officer: Officer, commitment: Commitment, verb: str) -> None:
    """PermissionDenied, before anything is written, unless `officer` may change `commitment`."""
    if not can_edit(officer, commitment):
        raise PermissionDenied(
            f"{officer.email} may not {verb} commitment {commitment.id} (it belongs to another desk)"
        )


def can_decide_extension(officer: Officer, request: ExtensionRequest) -> bool:
    """Supervisors and admins, and the desk's named supervisor or head, decide others' requests."""
    if not officer.is_active or request.requested_by_id == officer.id:
        return False
    if sees_every_desk(officer):
        return True
    desk = request.commitment.desk
    policy = desk.policy if desk is not None else None
    return policy is not None and officer.id in (policy.supervisor_id, policy.head_id)


def require_decide_extension(officer: Officer, request: ExtensionRequest) -> None:
    """PermissionDenied, before anything is written, unless `officer` may decide `request`."""
    if not can_decide_extension(officer, request):
        why = (
            "it is their own request"
            if request.requested_by_id == officer.id
            else "they are not a supervisor"
        )
        raise PermissionDenied(f"{officer.email} may not decide extension request {request.id} ({why})")


def can_set_event_date(officer: Officer, hanging_desk_ids: Collection[int | None]) -> bool:
    """Supervisors and admins; an officer when only their own desk's commitments hang on the
    event (`hanging_desk_ids`: the desk of each commitment whose due date the date moves)."""
    if not officer.is_active:
        return False
    if sees_every_desk(officer):
        return True
    return officer.desk_id is not None and set(hanging_desk_ids) <= {officer.desk_id}


def can_propose_event_date(officer: Officer) -> bool:
    """Any active officer may propose a date for a supervisor to decide."""
    return officer.is_active


def can_decide_event_date(officer: Officer, proposal: EventDateProposal) -> bool:
    """Supervisors and admins decide proposed event dates, never their own."""
    return officer.is_active and sees_every_desk(officer) and proposal.proposed_by_id != officer.id


def require_decide_event_date(officer: Officer, proposal: EventDateProposal) -> None:
    """PermissionDenied, before anything is written, unless `officer` may decide `proposal`."""
    if not can_decide_event_date(officer, proposal):
        raise PermissionDenied(
            f"{officer.email} may not decide proposed event date {proposal.id} (a supervisor decides)"
        )
