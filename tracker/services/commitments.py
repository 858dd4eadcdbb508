"""Changing commitments: status, owner and due date, each change checked and written to the history;
and correcting what was read (its parties and action), the same way.

Reading them is `tracker.services.commitment_queries`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from tracker.deadlines import DeadlineSettings, review_date
from tracker.extraction.party_names import split_parties
from tracker.models import Commitment, DeadlineType, Officer, Party, Status, StatusChange
from tracker.services import escalations
from tracker.services.commitment_queries import parse_status
from tracker.services.desk_policy import desk_days
from tracker.services.errors import N_, InvalidInput, VersionConflict
from tracker.services.history import changes_since, record_change
from tracker.services.permissions import can_see_readout, require_edit, require_see_readout
from tracker.services.readouts import get_or_create_party

MAX_ACTION = 2000


def check_may_change(
    session: Session, commitment: Commitment, *, by: Officer, expect_version: int | None, verb: str
) -> None:
    """Refuse, before anything is written, an officer who may not see the commitment (as "not
    found", issue 19), one of another desk, or a stale version."""
    require_see_readout(session, by, commitment.readout_id, f"commitment with id {commitment.id}")
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
    parties: str | list[str] = _UNSET,
    action: str = _UNSET,
) -> list[StatusChange]:
    """Change status, owner and/or due date, or correct the parties (names, or a list typed as
    in the preview: "Japan; ROK") and the action, writing one history row per changed field.

    With `expect_version`, a commitment changed since the caller read it is refused with
    VersionConflict and nothing is written. A correction alone (parties, action) is not news of
    progress: it leaves the review clock as it was.
    """
    if not note or not note.strip():
        raise InvalidInput(N_("a note is required: say why it changed"))
    new_parties = _parties(parties) if parties is not _UNSET else None
    new_action = _action(action) if action is not _UNSET else None
    check_may_change(session, commitment, by=by, expect_version=expect_version, verb="change")
    if (
        owner is not _UNSET
        and owner is not None
        and not can_see_readout(session, owner, commitment.readout_id)
    ):
        # Need-to-know (issue 19): an owner who could not see their own commitment.
        raise InvalidInput(
            N_(
                "%(email)s may not see this commitment (its readout is restricted to other desks); "
                "give it to an officer of a named desk"
            ),
            email=owner.email,
        )
    note = note.strip()
    # The desk's day count is loaded before anything changes: a lazy load after a change would
    # autoflush the commitment early and bump its version twice.
    days = desk_days(commitment.desk)
    # So are the parties, and the rows of the new ones (found or created before any change).
    old_parties = [p.name for p in commitment.parties]
    party_rows: list[Party] | None = None
    if new_parties is not None and set(new_parties) != set(old_parties):
        cache: dict[str, Party] = {}
        party_rows = [get_or_create_party(session, name, cache) for name in new_parties]
    changes: list[StatusChange] = []
    # Why the commitment moved (status, due date): its open escalations are cleared once, at the
    # end, so that the statement's autoflush writes the commitment once (one version bump).
    moved: list[str] = []
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
            moved.append(f"status changed to {new_status.value}")
    if owner is not _UNSET and owner is not commitment.owner:
        if owner is not None and not owner.is_active:
            raise InvalidInput(N_("%(email)s is deactivated and cannot own commitments"), email=owner.email)
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
        moved.append(f"due date moved to {due_date.isoformat()}" if due_date else "due date cleared")
    progress = bool(changes)
    if new_parties is not None and party_rows is not None:
        changes.append(
            record_change(
                session,
                commitment,
                field="parties",
                old=PARTY_SEPARATOR.join(old_parties),
                new=PARTY_SEPARATOR.join(new_parties),
                by=by,
                now=now,
                note=note,
            )
        )
        commitment.parties = party_rows
    if new_action is not None and new_action != " ".join(commitment.action.split()):
        changes.append(
            record_change(
                session,
                commitment,
                field="action",
                old=commitment.action,
                new=new_action,
                by=by,
                now=now,
                note=note,
            )
        )
        commitment.action = new_action
    if not changes:
        progress = True
        # A note alone still counts as an update (it resets the review clock).
        changes.append(
            record_change(session, commitment, field="note", old=None, new=None, by=by, now=now, note=note)
        )
    commitment.updated_at = now
    # Every accepted change bumps the version, even one whose row values happen to be equal
    # (a note at the same instant): other editors must see that something was said.
    flag_modified(commitment, "updated_at")
    if progress and (
        commitment.review_date is not None
        or commitment.deadline_type in (DeadlineType.ONGOING, DeadlineType.NONE)
    ):
        commitment.review_date = review_date(now.date(), settings, days)
        commitment.flagged_stale_at = None
    if moved:
        escalations.clear(session, commitment, now=now, note="; ".join(moved))
    session.flush()
    return changes


# How the parties are stored in a history row's old and new values ("Japan; Republic of Korea").
PARTY_SEPARATOR = "; "


def _parties(value: str | list[str]) -> list[str]:
    names = split_parties(value if isinstance(value, str) else PARTY_SEPARATOR.join(value))
    if not names:
        raise InvalidInput("name at least one party (who undertook it)")
    return names


def _action(value: str) -> str:
    action = " ".join(value.split())
    if not action:
        raise InvalidInput("say what was undertaken (the action is empty)")
    if len(action) > MAX_ACTION:
        raise InvalidInput(f"the action is too long ({len(action)} characters; at most {MAX_ACTION})")
    return action
