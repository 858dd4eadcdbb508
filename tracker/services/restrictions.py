"""Need-to-know (issue 19): restricting a readout to named desks, its marking, and changing both.

Who sees a restricted readout is `tracker.services.permissions` (the one rule); this module
writes the restriction. The officer who stores a readout may restrict it at ingest; later an
admin, or a supervisor who can see it, changes it, and every change is one history row per
commitment of the readout (field "restriction"), written through `tracker.services.history`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from sqlalchemy import String, literal, select
from sqlalchemy.orm import Session

from tracker.models import Commitment, Desk, Officer, Readout, Role
from tracker.services.errors import N_, InvalidInput, PermissionDenied
from tracker.services.history import record_changes
from tracker.services.permissions import can_restrict, can_see_readout, require_see_readout

# What a restricted readout shows when nobody chose a marking.
DEFAULT_MARKING = "Restricted"
MAX_MARKING = 100


def marking_of(readout: Readout) -> str | None:
    """The marking shown wherever the readout appears: its own, "Restricted" when restricted
    without one, None for an unrestricted readout."""
    if not readout.is_restricted:
        return None
    return readout.marking or DEFAULT_MARKING


def describe(readout: Readout) -> str:
    """The restriction as one line of history: "Confidential: Japan Desk, Korea Desk" or "none"."""
    if not readout.is_restricted:
        return "none"
    desks = ", ".join(d.name for d in readout.access_desks) or "admins only"
    return f"{marking_of(readout)}: {desks}"


def check_marking(marking: str | None) -> str | None:
    """The marking stripped (None when empty); InvalidInput when too long or holding a control
    character, since it is printed on every page, export and brief."""
    if marking is None or not marking.strip():
        return None
    value = marking.strip()
    if len(value) > MAX_MARKING:
        raise InvalidInput(
            N_("the marking is %(n)s characters long; the limit is %(limit)s"),
            n=len(value),
            limit=MAX_MARKING,
        )
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise InvalidInput(N_("the marking must not contain control or invisible formatting characters"))
    return value


def find_desks(session: Session, names: list[str]) -> list[Desk]:
    """The desks named (each name once, in name order); InvalidInput naming any that is unknown."""
    wanted = sorted({n.strip() for n in names if n.strip()})
    desks = list(session.scalars(select(Desk).where(Desk.name.in_(wanted)).order_by(Desk.name)))
    unknown = sorted(set(wanted) - {d.name for d in desks})
    if unknown:
        raise InvalidInput(N_("unknown desk: %(names)s"), names=", ".join(repr(n) for n in unknown))
    return desks


def _check_keeps_sight(by: Officer, desks: list[Desk]) -> None:
    # An officer who restricts a readout away from their own desk would lose it the moment it is
    # stored; refuse instead, with the reason (admins see everything anyway).
    if by.role == Role.ADMIN:
        return
    if by.desk_id is None:
        raise InvalidInput(
            N_("%(email)s has no desk, so cannot restrict a readout to named desks"), email=by.email
        )
    if by.desk_id not in {d.id for d in desks}:
        raise InvalidInput(
            N_("a restricted readout must include your own desk, or you could no longer see it")
        )


def restrict_at_ingest(
    session: Session, readout: Readout, *, desks: list[str], marking: str | None, by: Officer | None
) -> None:
    """Restrict a readout being stored to the named desks, with its marking (no desks: nothing)."""
    value = check_marking(marking)
    if not [n for n in desks if n.strip()]:
        if value is not None:
            raise InvalidInput(N_("a marking is for a restricted readout: name the desks that may see it"))
        return
    found = find_desks(session, desks)
    if by is not None:
        _check_keeps_sight(by, found)
    readout.is_restricted = True
    readout.marking = value
    readout.access_desks = found
    session.flush()
    _check_owners_see_it(session, readout)


def _check_owners_see_it(session: Session, readout: Readout) -> None:
    # An owner chosen in the preview who is on no named desk could not see their own commitment.
    blind = sorted(
        {
            owner.email
            for owner in session.scalars(
                select(Officer).where(
                    Officer.id.in_(select(Commitment.owner_id).where(Commitment.readout_id == readout.id))
                )
            )
            if not can_see_readout(session, owner, readout.id)
        }
    )
    if blind:
        raise InvalidInput(
            N_(
                "these owners are on no desk that may see the readout: %(owners)s (tick their desk too, "
                "or give the commitments to an officer of a named desk)"
            ),
            owners=", ".join(blind),
        )


def change_restriction(
    session: Session,
    readout: Readout,
    *,
    desks: list[str],
    marking: str | None,
    by: Officer,
    now: dt.datetime,
    note: str | None = None,
) -> bool:
    """Restrict a stored readout to `desks` with `marking` (no desks: lift the restriction), as an
    admin or a supervisor who can see it; one history row per commitment. True if it changed."""
    require_see_readout(session, by, readout.id, f"readout with id {readout.id}")
    if not can_restrict(by):
        raise PermissionDenied(
            N_("%(email)s may not change who sees readout %(readout_id)s"),
            email=by.email,
            readout_id=readout.id,
        )
    value = check_marking(marking)
    found = find_desks(session, desks)
    if found:
        _check_keeps_sight(by, found)
    elif value is not None:
        raise InvalidInput(N_("a marking is for a restricted readout: name the desks that may see it"))
    before = describe(readout)
    readout.is_restricted = bool(found)
    readout.marking = value if found else None
    readout.access_desks = found
    after = describe(readout)
    if before == after:
        return False
    session.flush()
    record_changes(
        session,
        Commitment.readout_id == readout.id,
        field="restriction",
        old=literal(before, type_=String),
        new=after,
        by=by,
        now=now,
        note=note,
    )
    return True
