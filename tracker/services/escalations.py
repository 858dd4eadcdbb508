"""Escalation (issue 17): the sweep's step that tells a desk's supervisor and head of division about
commitments that stay overdue, clearing it when the commitment moves, and reading it back.

What the ladder is, and when a step is due, is `tracker.escalation` and `tracker.followup`; who a
desk's contacts are is `tracker.services.desk_policy`. The step runs inside the overdue sweep
(`tracker.services.sweep`), set-based like it: per rung of the ladders in use, one
INSERT ... SELECT of the escalations and one of their history rows, whatever the number of
commitments. Each step happens once per commitment and overdue spell: the partial unique index
`uq_escalation_open_step` admits one open row per (commitment, step), and the INSERT skips a
row that is there (`ON CONFLICT DO NOTHING`), so a second sweep, a restarted scheduler or two
schedulers at once insert nothing twice. Any change of status or due date clears the open rows;
a commitment still overdue after such a move climbs the ladder afresh, each step its days after
the move.
"""

from __future__ import annotations

import datetime as dt
import logging
import typing
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session, selectinload

from tracker import followup
from tracker.escalation import CONTACTS, LadderError, Step
from tracker.models import Commitment, DeskPolicy, Escalation, Officer
from tracker.services.desk_policy import ladder
from tracker.services.history import record_changes

log = logging.getLogger(__name__)

_CONTACT_COLUMN = {"supervisor": DeskPolicy.supervisor_id, "head": DeskPolicy.head_id}


def _rungs(session: Session, default: tuple[Step, ...]) -> dict[tuple[int, Step], list[int]]:
    """Each rung in use, (step number, step), with the desks that climb it and name its contact."""
    rungs: dict[tuple[int, Step], list[int]] = {}
    for policy in session.scalars(select(DeskPolicy).order_by(DeskPolicy.desk_id)):
        try:
            steps = ladder(policy, default)
        except LadderError:
            # Stored ladders are checked when written; one that no longer reads must not stop the rest.
            log.exception("desk %s has an escalation ladder that cannot be read", policy.desk_id)
            continue
        for number, step in enumerate(steps, start=1):
            contact = policy.supervisor_id if step.contact == "supervisor" else policy.head_id
            if contact is not None:
                rungs.setdefault((number, step), []).append(policy.desk_id)
    return rungs


def escalate(session: Session, now: dt.datetime, default: tuple[Step, ...]) -> int:
    """Escalate every active commitment that reached a step of its desk's ladder and has not
    been escalated at that step in this overdue spell; how many escalations were made.

    A desk whose step names no one (no supervisor or head set) skips that step until someone is
    named; commitments on no desk never escalate.
    """
    today = now.astimezone(dt.UTC).date()
    total = 0
    for (number, step), desk_ids in sorted(_rungs(session, default).items()):
        total += _escalate_rung(session, number, step, desk_ids, today, now)
    return total


def _escalate_rung(
    session: Session, number: int, step: Step, desk_ids: list[int], today: dt.date, now: dt.datetime
) -> int:
    contact = _CONTACT_COLUMN[step.contact]
    stamp = literal(now, type_=Escalation.escalated_at.type)
    # Not at this step already in this overdue spell; and not moved (an escalation cleared) in the
    # step's days: a commitment that moved but is still overdue (its status changed) climbs the
    # ladder afresh from the move instead of being escalated again at the next sweep.
    already = exists().where(
        Escalation.commitment_id == Commitment.id,
        or_(
            and_(Escalation.step == number, Escalation.cleared_at.is_(None)),
            Escalation.cleared_at > now - dt.timedelta(days=step.days),
        ),
    )
    rows = (
        select(
            Commitment.id,
            literal(number),
            literal(step.days),
            literal(step.contact),
            contact,
            Commitment.due_date,
            stamp,
        )
        .join(DeskPolicy, DeskPolicy.desk_id == Commitment.desk_id)
        # The desk ids are few (the desks that name this rung's contact): each is a range of
        # ix_commitment_desk_status_due per active status.
        .where(Commitment.desk_id.in_(desk_ids), followup.overdue_by(Commitment, today, step.days), ~already)
        # In commitment order, so the escalation indexes (commitment_id first) grow at their end.
        .order_by(Commitment.id)
    )
    before = session.scalar(select(func.coalesce(func.max(Escalation.id), 0))) or 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    columns = ["commitment_id", "step", "days_overdue", "contact", "recipient_id", "due_date", "escalated_at"]
    session.execute(dialect.insert(Escalation).from_select(columns, rows).on_conflict_do_nothing())
    # Exactly the rows this statement inserted: ids past `before`, at this sweep's instant (a
    # concurrent sweep's rows, if a lease ever failed, are not claimed). Counted rather than
    # taken from the row count, which psycopg does not report for INSERT ... SELECT.
    mine = (Escalation.id > before, Escalation.step == number, Escalation.escalated_at == stamp)
    inserted = session.scalar(select(func.count()).select_from(Escalation).where(*mine)) or 0
    if inserted:
        new = select(Escalation.commitment_id).where(*mine)
        recipient = (
            select(Officer.email)
            .join(Escalation, Escalation.recipient_id == Officer.id)
            .where(
                Escalation.commitment_id == Commitment.id,
                Escalation.step == number,
                Escalation.cleared_at.is_(None),
            )
            .scalar_subquery()
        )
        record_changes(
            session,
            Commitment.id.in_(new),
            field="escalated",
            old=None,
            new=recipient,
            by=None,
            now=now,
            note=f"{step.days} days overdue: escalated to {CONTACTS[step.contact]} (step {number})",
        )
    return inserted


def clear(session: Session, commitment: Commitment, *, now: dt.datetime, note: str) -> int:
    """Close the commitment's open escalations (it moved: status or due date); how many."""
    return _clear(session, Escalation.commitment_id == commitment.id, now, note)


def clear_where(session: Session, where: ColumnElement[bool], *, now: dt.datetime, note: str) -> int:
    """Close the open escalations of every commitment that `where` selects, in one UPDATE; call it
    before the UPDATE that moves them (while `where` still selects them)."""
    return _clear(session, Escalation.commitment_id.in_(select(Commitment.id).where(where)), now, note)


def _clear(session: Session, which: ColumnElement[bool], now: dt.datetime, note: str) -> int:
    result = typing.cast(
        CursorResult[Any],
        session.execute(
            update(Escalation)
            .where(which, Escalation.cleared_at.is_(None))
            .values(cleared_at=now, cleared_note=note[:2000])
            .execution_options(synchronize_session=False)
        ),
    )
    return result.rowcount or 0


def escalations_of(session: Session, commitment_id: int) -> list[Escalation]:
    """A commitment's escalations, open ones first, newest first, with their recipients."""
    return list(
        session.scalars(
            select(Escalation)
            .where(Escalation.commitment_id == commitment_id)
            .options(selectinload(Escalation.recipient))
            .order_by(
                Escalation.cleared_at.is_not(None), Escalation.escalated_at.desc(), Escalation.id.desc()
            )
        )
    )


def open_escalations(session: Session, recipient: Officer | None = None) -> list[Escalation]:
    """The open escalations (of one recipient), oldest first, with commitment and recipient."""
    stmt = (
        select(Escalation)
        .where(Escalation.cleared_at.is_(None))
        .options(selectinload(Escalation.recipient), selectinload(Escalation.commitment))
        .order_by(Escalation.escalated_at, Escalation.id)
    )
    if recipient is not None:
        stmt = stmt.where(Escalation.recipient_id == recipient.id)
    return list(session.scalars(stmt))


def describe(escalation: Escalation) -> str:
    """ "escalated to Ann Lee (the desk's supervisor) on 2026-12-04, 7 days overdue"."""
    contact = CONTACTS.get(escalation.contact, escalation.contact)
    text = (
        f"escalated to {escalation.recipient.name} ({contact}) on "
        f"{escalation.escalated_at.date().isoformat()}, {escalation.days_overdue} days overdue"
    )
    if escalation.cleared_at is not None:
        text += f"; cleared {escalation.cleared_at.date().isoformat()}"
        if escalation.cleared_note:
            text += f" ({escalation.cleared_note})"
    return text


def escalation_to_dict(escalation: Escalation) -> dict[str, Any]:
    """One escalation as JSON (`tracker show --json` and the API)."""
    return {
        "id": escalation.id,
        "step": escalation.step,
        "days_overdue": escalation.days_overdue,
        "contact": escalation.contact,
        "to": escalation.recipient.email,
        "due_date": escalation.due_date.isoformat(),
        "escalated_at": escalation.escalated_at.isoformat(),
        "cleared_at": escalation.cleared_at.isoformat() if escalation.cleared_at else None,
        "cleared_note": escalation.cleared_note,
    }
