"""The event registry: the things deadlines hang on ("the G7 Summit"), found by a normalised name.

Setting an event's date moves the due date of every commitment that hangs on it (due = event
date + the commitment's offset in days), with one history row per due date that moved. From the
web app and the API, an officer whose date would move other desks' due dates proposes it
instead (`date_event`), and a supervisor approves or refuses the proposal (`decide_event_date`);
who may do which is `tracker.services.permissions`. The command line is the operator's and sets
the date directly (`set_event_date`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, or_, select, true, update
from sqlalchemy.orm import Session

from tracker import followup
from tracker.db import insert_ignore
from tracker.deadlines import CALENDAR_DAYS, DayCounter, event_due_date, event_key
from tracker.extraction.language import event_aliases
from tracker.models import Commitment, DeadlineType, Event, EventDateProposal, Officer, ProposalState
from tracker.names import pick_by_name
from tracker.services import escalations
from tracker.services.desk_policy import working_desks
from tracker.services.errors import N_, InvalidInput, NotFound, PermissionDenied
from tracker.services.history import record_changes, sql_value
from tracker.services.permissions import (
    can_propose_event_date,
    can_set_event_date,
    commitment_visible,
    hidden_readout_ids,
    require_decide_event_date,
    sees_everything,
)

MAX_NOTE = 2000


@dataclass(frozen=True)
class MovedDueDate:
    commitment_id: int
    old: dt.date | None
    new: dt.date | None


@dataclass(frozen=True)
class EventSummary:
    event: Event
    # Active commitments hanging on the event that have no due date yet (the event has none).
    waiting_open: int
    # All active commitments hanging on the event.
    open_total: int


def find_event(session: Session, name: str) -> Event | None:
    """The event whose name or alias normalises like `name`, or like one of its names in
    another language (「米朝首脳会談」 is "U.S.-North Korea Summit Meeting"), if any."""
    keys = [event_key(name), *(event_key(alias) for alias in event_aliases(name))]
    event = session.scalar(select(Event).where(Event.key.in_(keys)).order_by(Event.id))
    if event is not None:
        return event
    # Only a name no event is keyed by gets here (ingest asks once per name and readout). The
    # registry holds hundreds of events at most: check their aliases in Python, reading just
    # the ids and alias lists, and load only the event that matches.
    rows = session.execute(select(Event.id, Event.aliases).order_by(Event.id)).all()
    for event_id, aliases in rows:
        if any(event_key(alias) in keys for alias in aliases or []):
            return session.get(Event, event_id)
    return None


def find_or_create_event(session: Session, name: str) -> Event:
    """The registry's event for `name`, created with no date when it is new."""
    event = find_event(session, name)
    if event is None:
        # Its names in the other languages come along, so that a readout in either finds it.
        # INSERT ... ON CONFLICT DO NOTHING, then read: on PostgreSQL several ingests naming the
        # same new event at once each tried a plain INSERT and all but one failed on uq_event_key
        # (issue 19 item 5: 4 to 7 of 8); now the others wait for the first and use its row.
        key = event_key(name)
        insert_ignore(session, Event, {"name": name.strip(), "key": key, "aliases": event_aliases(name)})
        event = session.scalars(select(Event).where(Event.key == key)).one()
    elif name.strip() != event.name and name.strip() not in (event.aliases or []):
        event.aliases = [*(event.aliases or []), name.strip()]
    return event


def _describe(event: Event) -> str:
    return f"{event.name} ({event.date.isoformat() if event.date else 'date unknown'})"


def resolve_event(session: Session, name: str) -> Event:
    """The one event that `name` means, allowing small variations; NotFound (with the near
    matches) or AmbiguousName otherwise. The rule is `tracker.names.pick_by_name`'s, the same
    one `tracker brief --party` uses: "G7 Summit Meeting" = "the G7 summit", "US" = "U.S.", and
    "G7" finds "G7 Summit" but is ambiguous when "G7 Foreign Ministers' Meeting" is registered too.
    """
    events = list(session.scalars(select(Event).order_by(Event.name, Event.id)))
    return pick_by_name(
        name,
        events,
        lambda e: [e.name, *(e.aliases or [])],
        _describe,
        what="event",
        hint=N_("(see `tracker events list`)"),
    )


def event_visible(viewer: Officer | None) -> ColumnElement[bool]:
    """WHERE clause on `Event`: not one that only commitments hidden from `viewer` hang on."""
    if sees_everything(viewer):
        return true()
    hidden = select(Commitment.event_id).where(
        Commitment.event_id.is_not(None), Commitment.readout_id.in_(hidden_readout_ids(viewer))
    )
    shown = select(Commitment.event_id).where(Commitment.event_id.is_not(None), commitment_visible(viewer))
    return or_(Event.id.not_in(hidden), Event.id.in_(shown))


def get_event(session: Session, event_id: int, *, viewer: Officer | None) -> Event:
    """The event with `event_id`, or NotFound (also when hidden from `viewer`)."""
    event = session.scalar(select(Event).where(Event.id == event_id, event_visible(viewer)))
    if event is None:
        raise NotFound(N_("no event with id %(event_id)s"), event_id=event_id)
    return event


def list_events(session: Session, *, viewer: Officer | None) -> list[EventSummary]:
    """Every event with how many active commitments hang on it and how many of those wait on its
    date, of those `viewer` may see; an event only hidden commitments hang on is left out (its
    name comes from a restricted readout, issue 19)."""
    counts = (
        select(
            Commitment.event_id,
            func.count().label("open_total"),
            func.sum(case((followup.undated_event_deadline(Commitment), 1), else_=0)).label("waiting"),
        )
        .where(Commitment.event_id.is_not(None), followup.active(Commitment), commitment_visible(viewer))
        .group_by(Commitment.event_id)
    )
    by_event = {row.event_id: (int(row.waiting or 0), int(row.open_total)) for row in session.execute(counts)}
    # Dated events in date order, then those whose date is still unknown.
    events = session.scalars(
        select(Event).where(event_visible(viewer)).order_by(Event.date.is_(None), Event.date, Event.name)
    )
    return [EventSummary(e, *by_event.get(e.id, (0, 0))) for e in events]


def set_event_date(
    session: Session, name: str, date: dt.date | None, *, by: Officer | None, now: dt.datetime
) -> list[MovedDueDate]:
    """Set (or clear) an event's date and move the due dates that hang on it, with history."""
    return _apply_date(session, resolve_event(session, name), date, by=by, now=now)


def _apply_date(
    session: Session, event: Event, date: dt.date | None, *, by: Officer | None, now: dt.datetime
) -> list[MovedDueDate]:
    event.date = date
    event.updated_at = now
    session.flush()
    return recompute_due_dates(session, event, by=by, now=now)


@dataclass(frozen=True)
class EventDateOutcome:
    """What asking to date an event did: set it (`moved`: the due dates that moved) or, when the
    officer may not, stored a `proposal` for a supervisor."""

    moved: list[MovedDueDate]
    proposal: EventDateProposal | None = None


def hanging_desk_ids(session: Session, event: Event) -> set[int | None]:
    """The desks of the commitments whose due dates the event's date sets (None: no desk)."""
    return set(
        session.scalars(
            select(Commitment.desk_id)
            .where(Commitment.event_id == event.id, Commitment.deadline_type == DeadlineType.EVENT)
            .distinct()
        )
    )


def date_event(
    session: Session, event: Event, date: dt.date | None, *, by: Officer, now: dt.datetime
) -> EventDateOutcome:
    """Set (or clear) `event`'s date if `by` may; otherwise propose it for a supervisor to decide."""
    if can_set_event_date(by, hanging_desk_ids(session, event)):
        return EventDateOutcome(_apply_date(session, event, date, by=by, now=now))
    if not can_propose_event_date(by):
        raise PermissionDenied(
            N_("%(email)s may not date event %(event_id)s"), email=by.email, event_id=event.id
        )
    proposal = EventDateProposal(event=event, date=date, old_date=event.date, proposed_by=by, proposed_at=now)
    session.add(proposal)
    session.flush()
    return EventDateOutcome([], proposal)


def pending_proposals(session: Session, event_id: int | None = None) -> list[EventDateProposal]:
    """Proposed event dates waiting for a decision (of one event, or all), oldest first."""
    stmt = select(EventDateProposal).where(EventDateProposal.state == ProposalState.PENDING)
    if event_id is not None:
        stmt = stmt.where(EventDateProposal.event_id == event_id)
    return list(session.scalars(stmt.order_by(EventDateProposal.proposed_at, EventDateProposal.id)))


def get_proposal(session: Session, proposal_id: int) -> EventDateProposal:
    """The proposed event date with `proposal_id`, or NotFound."""
    proposal = session.get(EventDateProposal, proposal_id)
    if proposal is None:
        raise NotFound(N_("no proposed event date with id %(proposal_id)s"), proposal_id=proposal_id)
    return proposal


def decide_event_date(
    session: Session,
    proposal: EventDateProposal,
    *,
    by: Officer,
    approve: bool,
    note: str | None,
    now: dt.datetime,
) -> list[MovedDueDate]:
    """Approve (the event takes the date and its due dates move, recorded as `by`'s) or refuse a
    pending proposal. An approval is refused when the event's date changed since the proposal:
    it would replace a date the proposer never saw."""
    require_decide_event_date(by, proposal)
    if proposal.state != ProposalState.PENDING:
        raise InvalidInput(
            N_("proposed event date %(proposal_id)s was %(state)s already"),
            proposal_id=proposal.id,
            state=proposal.state.value,
        )
    note = (note or "").strip()[:MAX_NOTE] or None
    if note is not None and "\x00" in note:
        raise InvalidInput(N_("a note must not contain NUL characters"))
    moved: list[MovedDueDate] = []
    if approve:
        event = proposal.event
        if event.date != proposal.old_date:
            raise InvalidInput(
                N_("%(name)s's date changed since the proposal (to %(value)s): refuse it and propose again"),
                name=event.name,
                value=event.date.isoformat() if event.date else "unknown",
            )
        moved = _apply_date(session, event, proposal.date, by=by, now=now)
    proposal.state = ProposalState.APPROVED if approve else ProposalState.REFUSED
    proposal.decided_by = by
    proposal.decided_at = now
    proposal.decision_note = note
    session.flush()
    return moved


def proposal_to_dict(proposal: EventDateProposal) -> dict[str, object]:
    """A proposed event date as the API shows it."""
    return {
        "id": proposal.id,
        "event_id": proposal.event_id,
        "date": proposal.date.isoformat() if proposal.date else None,
        "old_date": proposal.old_date.isoformat() if proposal.old_date else None,
        "proposed_by": proposal.proposed_by.email,
        "proposed_at": proposal.proposed_at.isoformat(),
        "state": proposal.state.value,
        "decided_by": proposal.decided_by.email if proposal.decided_by else None,
        "decided_at": proposal.decided_at.isoformat() if proposal.decided_at else None,
        "decision_note": proposal.decision_note,
    }


def recompute_due_dates(
    session: Session, event: Event, *, by: Officer | None, now: dt.datetime
) -> list[MovedDueDate]:
    """Make every commitment that hangs on `event` due at event date + its offset; the moved ones."""
    hanging = and_(Commitment.event_id == event.id, Commitment.deadline_type == DeadlineType.EVENT)
    rows = session.execute(
        select(Commitment.id, Commitment.due_date, Commitment.deadline_offset_days, Commitment.desk_id)
        .where(hanging)
        .order_by(Commitment.id)
    ).all()
    # Desks that count working days count the offset in them (issue 17); the rest in calendar days.
    working = working_desks(session)

    def days_of(desk_id: int | None) -> DayCounter:
        return working.get(desk_id, CALENDAR_DAYS) if desk_id is not None else CALENDAR_DAYS

    def due_for(offset: int, days: DayCounter = CALENDAR_DAYS) -> dt.date | None:
        return event_due_date(event.date, offset, days)

    moves = [
        MovedDueDate(row.id, row.due_date, due_for(row.deadline_offset_days, days_of(row.desk_id)))
        for row in rows
        if row.due_date != due_for(row.deadline_offset_days, days_of(row.desk_id))
    ]
    note = f"event {event.name} date " + (
        f"set to {event.date.isoformat()}" if event.date is not None else "cleared (date unknown)"
    )
    # One INSERT ... SELECT and one UPDATE per distinct offset (a handful: 0, 7, 30, -1, ...) and
    # way of counting days (calendar, and each working-day desk's), whatever the number of commitments.
    counters = {days_of(row.desk_id) for row in rows}
    groups = [
        (offset, days)
        for offset in sorted({row.deadline_offset_days for row in rows})
        for days in sorted(counters, key=str)
    ]
    for offset, days in groups:
        new = due_for(offset, days)
        counted: ColumnElement[bool]
        if days.working:
            desks = [desk_id for desk_id, counter in working.items() if counter == days]
            counted = Commitment.desk_id.in_(desks)
        else:
            counted = (
                or_(Commitment.desk_id.is_(None), Commitment.desk_id.not_in(list(working)))
                if working
                else true()
            )
        moved = and_(
            hanging,
            counted,
            Commitment.deadline_offset_days == offset,
            Commitment.due_date.is_distinct_from(new),
        )
        escalations.clear_where(session, moved, now=now, note=note)
        record_changes(
            session,
            moved,
            field="due_date",
            old=sql_value(session, Commitment.due_date),
            new=new,
            by=by,
            now=now,
            note=note,
        )
        # The version moves too: an officer's form still showing the old due date must not
        # silently write it back over the event's.
        session.execute(
            update(Commitment)
            .where(moved)
            .values(
                due_date=new,
                flagged_overdue_at=None,
                updated_at=now,
                version=Commitment.version + 1,
            )
            .execution_options(synchronize_session="fetch")
        )
    return moves
