"""Who may read and change what: every rule of access, in one place; everything else asks here.

- **Reading.** Every active officer may read every commitment, readout and event, except the
  restricted ones (below). Supervisors and admins *see every desk*: their dashboard can show any
  desk or all of them, and their digest carries every desk's counts; an officer's dashboard and
  digest show their own desk.
- **Need-to-know** (issue 19). A readout restricted to named desks, and every commitment of it,
  is seen only by the officers of those desks (supervisors included) and by admins. A supervisor
  who is not on a named desk does *not* see it: the issue says "appear to nobody else", and
  seeing every desk is about desks, not about need-to-know. Hidden means absent everywhere (lists,
  counts, dashboards, digests, feeds, briefs, reports, CSV, API, backups made by a non-admin) and
  a single one is "not found", never "forbidden", so its existence does not leak. The rule is one
  SQL expression, `hidden_readout_ids`, that every query reads through `readout_visible` and
  `commitment_visible`; `None` as the viewer is the operator at the command line, who holds the
  database itself. Marking a readout restricted, or changing its desks or marking, is done at
  ingest by the officer who stores it, later by an admin or a supervisor who can see it.
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

from collections.abc import Collection, Iterable
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    exists,
    false,
    literal,
    select,
    true,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from tracker.models import (
    Commitment,
    EventDateProposal,
    ExtensionRequest,
    Officer,
    Readout,
    Role,
    readout_desk_access,
)
from tracker.services.errors import N_, Message, NotFound, PermissionDenied

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
            N_("%(email)s may not %(verb)s commitment %(commitment_id)s (it belongs to another desk)"),
            email=officer.email,
            verb=verb,
            commitment_id=commitment.id,
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
        why = Message(
            N_("it is their own request")
            if request.requested_by_id == officer.id
            else N_("they are not a supervisor")
        )
        raise PermissionDenied(
            N_("%(email)s may not decide extension request %(request_id)s (%(why)s)"),
            email=officer.email,
            request_id=request.id,
            why=why,
        )


def _hidden_for_desk(desk_id: ColumnElement[Any]) -> Select[Any]:
    # The restricted readouts that do not name `desk_id` (NULL names no desk, so hides them all).
    return select(Readout.id).where(
        # The bare column, not `IS true`: PostgreSQL uses the partial index `WHERE is_restricted`
        # only for a condition it can match to it (at 1,000,000 commitments `IS true` read all
        # 333,334 readouts, 104 ms, twice in every digest; the bare column 0.02 ms).
        Readout.is_restricted,
        ~exists().where(
            readout_desk_access.c.readout_id == Readout.id,
            readout_desk_access.c.desk_id == desk_id,
        ),
    )


def hidden_readout_ids(viewer: Officer | None) -> Select[Any]:
    """The ids of the restricted readouts `viewer` may not see: the one rule of need-to-know.

    Restricted readouts are few, so every query reads this small set (the partial index
    `ix_readout_is_restricted`) and keeps its own plan instead of joining the readout table.
    """
    if viewer is None or sees_everything(viewer):
        return select(Readout.id).where(false())
    return _hidden_for_desk(literal(viewer.desk_id, type_=Integer))


def hidden_commitment_ids(viewer: Officer | None) -> Select[Any]:
    """The ids of the commitments of the readouts hidden from `viewer` (for rows that name a
    commitment, not a readout: reaffirmations, alignments)."""
    return select(Commitment.id).where(Commitment.readout_id.in_(hidden_readout_ids(viewer)))


def visible_commitment_ids(session: Session, viewer: Officer | None, ids: Iterable[int]) -> set[int]:
    """Those of `ids` that `viewer` may see (to filter what a change reports back, such as the due
    dates an event's date moved)."""
    wanted = set(ids)
    if sees_everything(viewer) or not wanted:
        return wanted
    return wanted - set(session.scalars(hidden_commitment_ids(viewer).where(Commitment.id.in_(wanted))))


def hidden_ids(session: Session, viewer: Officer | None) -> list[int]:
    """`hidden_readout_ids` read once, as a list (a few ids, usually none), for the index-tuned
    statements of the dashboard and the digests: they take the rule as `HIDDEN_READOUTS` and
    leave it out when nothing is hidden, so their counts stay index-only in the common case (a
    NOT IN on readout_id would make every counted row a table read)."""
    if sees_everything(viewer):
        return []
    return list(session.scalars(hidden_readout_ids(viewer)))


# The bound form of the rule for statements built once and reused for every officer: bind
# "hidden_readouts" to `hidden_ids(...)` (only when it is not empty).
HIDDEN_READOUTS: BindParameter[Any] = bindparam("hidden_readouts", expanding=True)


def commitment_visible_bound(readout_id: Any) -> ColumnElement[bool]:
    """The commitments (or any rows with a readout id) outside `HIDDEN_READOUTS`."""
    return cast(ColumnElement[bool], readout_id.not_in(HIDDEN_READOUTS))


def sees_everything(viewer: Officer | None) -> bool:
    """The operator at the command line and admins see every readout, restricted or not."""
    return viewer is None or (viewer.is_active and viewer.role == Role.ADMIN)


def readout_visible(viewer: Officer | None) -> ColumnElement[bool]:
    """WHERE clause on `Readout`: the readouts `viewer` may see."""
    if sees_everything(viewer):
        return true()
    return Readout.id.not_in(hidden_readout_ids(viewer))


def commitment_visible(
    viewer: Officer | None, readout_id: Any = None, *, session: Session | None = None
) -> ColumnElement[bool]:
    """WHERE clause on `Commitment` (or on any column holding a readout id): what `viewer` may see.

    With `session`, the hidden readouts are read first (one probe of a partial index) and the
    clause is left out when there are none: a NOT IN on readout_id would make a count that an
    index answers alone read every counted row from the table.
    """
    if sees_everything(viewer):
        return true()
    column = readout_id if readout_id is not None else Commitment.readout_id
    if session is not None:
        hidden = hidden_ids(session, viewer)
        return cast(ColumnElement[bool], column.not_in(hidden)) if hidden else true()
    return column.not_in(hidden_readout_ids(viewer))


def can_see_readout(session: Session, viewer: Officer | None, readout_id: int) -> bool:
    """Whether `viewer` may see the readout `readout_id` (and so its commitments)."""
    if sees_everything(viewer):
        return True
    return not session.scalar(select(hidden_readout_ids(viewer).where(Readout.id == readout_id).exists()))


def require_see_readout(session: Session, viewer: Officer | None, readout_id: int, what: str) -> None:
    """NotFound, worded as for a missing row, unless `viewer` may see the readout: a hidden
    readout or commitment must not be told apart from one that does not exist."""
    if not can_see_readout(session, viewer, readout_id):
        raise NotFound(N_("no %(what)s"), what=what)


def can_restrict(officer: Officer) -> bool:
    """Admins and supervisors change a stored readout's restriction and marking (if they see it)."""
    return officer.is_active and officer.role in EVERY_DESK_ROLES


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
            N_("%(email)s may not decide proposed event date %(proposal_id)s (a supervisor decides)"),
            email=officer.email,
            proposal_id=proposal.id,
        )
