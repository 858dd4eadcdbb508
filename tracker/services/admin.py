"""Administration: officers (role, desk, time zone, digest preference, active, password), desks,
and failed digests to send again. Officers' own preferences go through `update_preferences`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from tracker import followup
from tracker.models import (
    Commitment,
    Desk,
    DigestFrequency,
    Officer,
    Role,
)
from tracker.services.errors import N_, InvalidInput, NotFound
from tracker.services.officers import (
    check_header_text,
    end_sessions,
    get_or_create_desk,
    hash_password,
    validate_timezone,
)
from tracker.services.tokens import revoke_all


def list_officers(session: Session) -> list[Officer]:
    """Every officer, active ones first, by name, with their desk loaded."""
    return list(
        session.scalars(
            select(Officer)
            .options(selectinload(Officer.desk))
            .order_by(Officer.is_active.desc(), Officer.name, Officer.email)
        )
    )


def get_officer(session: Session, officer_id: int) -> Officer:
    """The officer with `officer_id`, or NotFound."""
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise NotFound(N_("no officer with id %(officer_id)s"), officer_id=officer_id)
    return officer


def update_preferences(
    session: Session,
    officer: Officer,
    *,
    timezone: str,
    digest_frequency: str,
    digest_hour: int,
    digest_weekday: int,
    notify_immediately: bool | None = None,
) -> None:
    """Set an officer's time zone, when (or whether) their digest goes out and, when given,
    whether changes by others are mailed at once (or told in the digest only)."""
    try:
        frequency = DigestFrequency(digest_frequency)
    except ValueError:
        raise InvalidInput(
            N_("unknown digest preference %(digest_frequency)r"), digest_frequency=digest_frequency
        ) from None
    if not 0 <= digest_hour <= 23:
        raise InvalidInput(N_("the digest hour must be between 0 and 23"))
    if not 0 <= digest_weekday <= 6:
        raise InvalidInput(N_("the digest weekday must be between 0 (Monday) and 6 (Sunday)"))
    officer.timezone = validate_timezone(timezone.strip())
    officer.digest_frequency = frequency
    officer.digest_hour = digest_hour
    officer.digest_weekday = digest_weekday
    if notify_immediately is not None:
        officer.notify_immediately = notify_immediately
    session.flush()


# The languages the web app's pages are translated into (web/translations).
LANGUAGES = ("en", "ja")


def set_language(session: Session, officer: Officer, language: str | None) -> None:
    """Set the language of an officer's pages; None or "" follows their browser's preference."""
    language = (language or "").strip() or None
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(
            N_("unknown language %(language)r: choose one of %(choices)s"),
            language=language,
            choices=", ".join(LANGUAGES),
        )
    officer.language = language
    session.flush()


def note_browser_language(session: Session, officer_id: int, language: str) -> bool:
    """Remember the language an officer's browser asked for (`language`, one there is a catalog
    for) when they log in: while they have chosen none, their digests and notices are written in
    it, as their pages are (tracker.i18n.mail_language). Whether it changed anything."""
    if language not in LANGUAGES:
        return False
    officer = session.get(Officer, officer_id)
    if officer is None or officer.browser_language == language:
        return False
    # Not flushed here: the caller's commit writes it (the web app's side write commits only a
    # session with changes pending).
    officer.browser_language = language
    return True


def update_officer(
    session: Session,
    officer: Officer,
    *,
    by: Officer,
    name: str,
    role: str,
    desk: str | None,
    timezone: str,
    digest_frequency: str,
    digest_hour: int,
    digest_weekday: int,
) -> None:
    """Change an officer's name, role, desk and preferences; an admin cannot demote themself."""
    try:
        new_role = Role(role)
    except ValueError:
        raise InvalidInput(N_("unknown role %(role)r"), role=role) from None
    if officer.id == by.id and new_role != Role.ADMIN:
        # Otherwise the last admin could lock everyone out of administration.
        raise InvalidInput(N_("you cannot take the admin role from yourself; ask another admin"))
    if not check_header_text(name, "name").strip():
        raise InvalidInput(N_("an officer needs a name"))
    officer.name = name.strip()[:200]
    if officer.role != new_role:
        # Rights granted to a session should be re-granted by a login under the new role.
        end_sessions(session, officer)
    officer.role = new_role
    officer.desk = get_or_create_desk(session, desk) if desk and desk.strip() else None
    update_preferences(
        session,
        officer,
        timezone=timezone,
        digest_frequency=digest_frequency,
        digest_hour=digest_hour,
        digest_weekday=digest_weekday,
    )


def set_active(session: Session, officer: Officer, active: bool, *, by: Officer, now: dt.datetime) -> None:
    """Deactivate (no login, cannot own new work) or reactivate an officer; never oneself.

    Deactivation ends their sessions and revokes their tokens, so reactivating them revives
    neither: they log in again and make new tokens."""
    if officer.id == by.id and not active:
        raise InvalidInput(N_("you cannot deactivate yourself"))
    if officer.is_active and not active:
        end_sessions(session, officer)
        revoke_all(session, officer, now)
    officer.is_active = active
    session.flush()


def reset_password(session: Session, officer: Officer, password: str) -> None:
    """Give an officer a new password (hashed; the old one and every session stop working)."""
    officer.password_hash = hash_password(password)
    end_sessions(session, officer)


@dataclass
class DeskRow:
    desk: Desk
    officers: int
    open_commitments: int


def list_desks(session: Session) -> list[DeskRow]:
    """Every desk with how many active officers and active commitments it has."""
    officers = dict(
        session.execute(
            select(Officer.desk_id, func.count())
            .where(Officer.is_active.is_(True), Officer.desk_id.is_not(None))
            .group_by(Officer.desk_id)
        ).all()
    )
    open_counts = dict(
        session.execute(
            select(Commitment.desk_id, func.count())
            .where(followup.active(Commitment), Commitment.desk_id.is_not(None))
            .group_by(Commitment.desk_id)
        ).all()
    )
    return [
        DeskRow(d, officers.get(d.id, 0), open_counts.get(d.id, 0))
        for d in session.scalars(select(Desk).options(selectinload(Desk.countries)).order_by(Desk.name))
    ]


def create_desk(session: Session, name: str) -> Desk:
    """A new desk; the name must be new."""
    name = check_header_text(name.strip(), "desk name")
    if not name:
        raise InvalidInput(N_("a desk needs a name"))
    if session.scalar(select(Desk.id).where(func.lower(Desk.name) == name.lower())) is not None:
        raise InvalidInput(N_("a desk called %(name)r already exists"), name=name)
    desk = Desk(name=name[:200])
    session.add(desk)
    session.flush()
    return desk


def rename_desk(session: Session, desk_id: int, name: str) -> Desk:
    """Give a desk a new (unused) name; its officers and commitments stay with it."""
    desk = session.get(Desk, desk_id)
    if desk is None:
        raise NotFound(N_("no desk with id %(desk_id)s"), desk_id=desk_id)
    name = check_header_text(name.strip(), "desk name")
    if not name:
        raise InvalidInput(N_("a desk needs a name"))
    clash = session.scalar(select(Desk.id).where(func.lower(Desk.name) == name.lower(), Desk.id != desk_id))
    if clash is not None:
        raise InvalidInput(N_("a desk called %(name)r already exists"), name=name)
    desk.name = name[:200]
    session.flush()
    return desk
