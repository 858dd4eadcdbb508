"""A desk's follow-up policy (issue 17): who is told when its commitments stay overdue (its
supervisor and head of division, and its own escalation ladder) and how it counts the days the
tracker adds (calendar days, or the working days of its post's country). Read here by everyone,
changed here by admins (web admin page, `tracker desks set`).

A desk with no `desk_policy` row takes the defaults: calendar days, the tracker's ladder
(TRACKER_ESCALATION_STEPS), and no one named (so it does not escalate).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.deadlines import CALENDAR_DAYS, DayCounter, check_country, day_counter
from tracker.escalation import LadderError, Step, format_steps, parse_steps
from tracker.models import DayCount, Desk, DeskPolicy, Officer
from tracker.services.errors import N_, InvalidInput, NotFound
from tracker.services.officers import get_officer_by_email

_UNSET: Any = object()


def desk_days(desk: Desk | None) -> DayCounter:
    """How `desk` counts the days the tracker adds (calendar days for no desk or no policy)."""
    policy = desk.policy if desk is not None else None
    if policy is None or policy.day_count == DayCount.CALENDAR or not policy.country:
        return CALENDAR_DAYS
    return DayCounter(policy.country)


def working_desks(session: Session) -> dict[int, DayCounter]:
    """Every desk that counts working days, with its counter (the others count calendar days)."""
    rows = session.execute(
        select(DeskPolicy.desk_id, DeskPolicy.country).where(
            DeskPolicy.day_count == DayCount.WORKING, DeskPolicy.country.is_not(None)
        )
    ).all()
    return {desk_id: DayCounter(country) for desk_id, country in rows}


def ladder(policy: DeskPolicy | None, default: tuple[Step, ...]) -> tuple[Step, ...]:
    """The escalation ladder a desk climbs: its own, or the default."""
    if policy is None or policy.escalation_steps is None:
        return default
    return parse_steps(policy.escalation_steps)


def list_policies(session: Session) -> list[tuple[Desk, DeskPolicy | None]]:
    """Every desk with its policy (None: the defaults), by name."""
    desks = session.scalars(
        select(Desk)
        .options(selectinload(Desk.policy).selectinload(DeskPolicy.supervisor))
        .options(selectinload(Desk.policy).selectinload(DeskPolicy.head))
        .order_by(Desk.name)
    )
    return [(d, d.policy) for d in desks]


def _contact(session: Session, email: str | None, role: str) -> Officer | None:
    if email is None or not email.strip():
        return None
    try:
        officer = get_officer_by_email(session, email)
    except NotFound:
        raise InvalidInput(
            N_("no officer with email %(email)r to be the desk's %(role)s"), email=email.strip(), role=role
        ) from None
    if not officer.is_active:
        raise InvalidInput(
            N_("%(email)s is deactivated and cannot be the desk's %(role)s"), email=officer.email, role=role
        )
    return officer


def update_policy(
    session: Session,
    desk: Desk,
    *,
    supervisor: str | None = _UNSET,
    head: str | None = _UNSET,
    escalation_steps: str | None = _UNSET,
    country: str | None = _UNSET,
    day_count: str | None = _UNSET,
) -> DeskPolicy:
    """Change what is given of a desk's policy (admins): contacts by email ("" or None names no
    one), the ladder ("7:supervisor,30:head"; "none"; None or "default" for the tracker's),
    the post's country and "calendar" or "working" days. Everything is checked before anything
    is written; InvalidInput says what is wrong."""
    policy = desk.policy
    values: dict[str, Any] = {}
    if supervisor is not _UNSET:
        values["supervisor"] = _contact(session, supervisor, "supervisor")
    if head is not _UNSET:
        values["head"] = _contact(session, head, "head of division")
    if escalation_steps is not _UNSET:
        if escalation_steps is None or escalation_steps.strip().lower() in ("", "default"):
            values["escalation_steps"] = None
        else:
            try:
                values["escalation_steps"] = format_steps(parse_steps(escalation_steps))
            except LadderError as exc:
                raise InvalidInput(str(exc)) from None
    if country is not _UNSET:
        try:
            values["country"] = check_country(country) if country and country.strip() else None
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
    if day_count is not _UNSET:
        try:
            values["day_count"] = DayCount((day_count or "calendar").strip().lower())
        except ValueError:
            raise InvalidInput(
                N_("days are counted in calendar or working days, not %(day_count)r"), day_count=day_count
            ) from None
    mode = values.get("day_count", policy.day_count if policy else DayCount.CALENDAR)
    try:
        day_counter(DayCount(mode).value, values.get("country", policy.country if policy else None))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    if policy is None:
        policy = DeskPolicy(desk_id=desk.id, day_count=DayCount.CALENDAR)
        session.add(policy)
        desk.policy = policy
    for name, value in values.items():
        setattr(policy, name, value)
    session.flush()
    return policy


def policy_to_dict(desk: Desk, policy: DeskPolicy | None, default: tuple[Step, ...]) -> dict[str, Any]:
    """A desk's policy as JSON (`tracker desks list --json`)."""
    return {
        "desk": desk.name,
        "supervisor": policy.supervisor.email if policy and policy.supervisor else None,
        "head": policy.head.email if policy and policy.head else None,
        "escalation_steps": format_steps(ladder(policy, default)),
        "own_ladder": policy is not None and policy.escalation_steps is not None,
        "country": policy.country if policy else None,
        "days": str(desk_days(desk)),
    }
