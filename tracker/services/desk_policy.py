"""A desk's follow-up policy (issue 17): who is told when its commitments stay overdue (its
supervisor and head of division, and its own escalation ladder) and how it counts the days the
tracker adds (calendar days, or the working days of its post's country); and the countries it
covers, from which the ingest preview defaults a readout's desk and owner (`default_assignment`).
Read here by everyone, changed here by admins (web admin page, `tracker desks set`).

A desk with no `desk_policy` row takes the defaults: calendar days, the tracker's ladder
(TRACKER_ESCALATION_STEPS), and no one named (so it does not escalate).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.deadlines import CALENDAR_DAYS, DayCounter, check_country, day_counter
from tracker.escalation import LadderError, Step, format_steps, parse_steps
from tracker.extraction.party_names import canonical_party, split_parties
from tracker.models import DayCount, Desk, DeskCountry, DeskPolicy, Officer, Party, Role
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
        .options(selectinload(Desk.countries))
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
                raise InvalidInput(exc.message) from None
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
        "countries": [c.country for c in desk.countries],
    }


# --- the countries a desk covers (issue 18) ----------------------------------------------------


def set_countries(session: Session, desk: Desk, typed: str) -> list[str]:
    """Make `desk` cover the countries typed ("US; Canada", commas, semicolons or lines; any name
    or abbreviation readouts use), by their canonical names; "" covers none. InvalidInput for a
    name that is no known country or organisation (nor a party already stored), or one that
    another desk covers. The canonical names, sorted."""
    names = split_parties(typed)
    known = set(session.scalars(select(Party.name).where(Party.name.in_(names)))) if names else set()
    unknown = [n for n in names if canonical_party(n) is None and n not in known]
    if unknown:
        raise InvalidInput(
            f"not a country or organisation the tracker knows: {', '.join(unknown)} "
            "(write it as readouts name it, e.g. United States, ROK, ASEAN)"
        )
    taken = session.execute(
        select(DeskCountry.country, Desk.name)
        .join(Desk, Desk.id == DeskCountry.desk_id)
        .where(DeskCountry.country.in_(names), DeskCountry.desk_id != desk.id)
        .order_by(DeskCountry.country)
    ).all()
    if taken:
        raise InvalidInput(
            "; ".join(f"{country} is covered by {other} already" for country, other in taken)
            + " (a country is covered by one desk: remove it there first)"
        )
    keep = {c.country: c for c in desk.countries}
    desk.countries = [keep.get(n) or DeskCountry(country=n) for n in sorted(names)]
    session.flush()
    return sorted(names)


def covering_desk(session: Session, parties: Iterable[str]) -> Desk | None:
    """The desk covering the first of `parties` (canonical names, most telling first) that a
    desk covers; None when no desk covers any."""
    order = list(dict.fromkeys(parties))
    if not order:
        return None
    rows = dict(
        session.execute(
            select(DeskCountry.country, DeskCountry.desk_id).where(DeskCountry.country.in_(order))
        ).all()
    )
    for name in order:
        if name in rows:
            return session.get(Desk, rows[name])
    return None


def obvious_owner(session: Session, desk: Desk, *, ingesting: Officer) -> Officer | None:
    """Who a commitment given to `desk` is owned by when nobody chooses: the officer ingesting
    when they are on that desk, else the desk's one active officer (role officer); None when it
    has several or none (the preview then asks)."""
    if ingesting.desk_id == desk.id:
        return ingesting
    officers = list(
        session.scalars(
            select(Officer)
            .where(Officer.desk_id == desk.id, Officer.is_active.is_(True), Officer.role == Role.OFFICER)
            .limit(2)
        )
    )
    return officers[0] if len(officers) == 1 else None


def counterparts(parties: Iterable[Iterable[str]], home_party: str) -> list[str]:
    """The readout's counterparts: every party its commitments name except our own government,
    the most often named first (then in reading order)."""
    counts: dict[str, int] = {}
    for names in parties:
        for name in dict.fromkeys(names):
            if name != home_party:
                counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: -counts[n])


def default_assignment(
    session: Session, parties: Iterable[Iterable[str]], *, home_party: str, ingesting: Officer
) -> tuple[Officer | None, Desk | None]:
    """The owner and desk the preview gives a readout's commitments (`parties`: each one's
    parties) before anyone chooses: the desk covering its counterpart and that desk's obvious
    owner; the ingesting officer and their own desk when no desk covers it."""
    desk = covering_desk(session, counterparts(parties, home_party))
    if desk is None:
        return ingesting, ingesting.desk
    return obvious_owner(session, desk, ingesting=ingesting), desk
