"""Officers and desks: creating them, finding them, checking passwords, and ending sessions.

A session cookie names the officer *and* their session version (`session_id`); it is honoured
only while that version is current (`officer_for_session`). Logging out, a new password, a role
change and deactivation bump the version (`end_sessions`), so a copied or forgotten cookie dies
with them instead of living until it expires (issue 19).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import passwords
from tracker.mail import header_text_problem
from tracker.models import Desk, DigestFrequency, Officer, Role
from tracker.services.errors import N_, InvalidInput, NotFound

MIN_PASSWORD_LENGTH = 8
# A hash to compare against when the email is unknown, so that an unknown email and a
# wrong password take the same time and give the same answer.
_DUMMY_HASH = passwords.hash_password("not-a-real-password")


def hash_password(password: str) -> str:
    """A salted scrypt hash (memory-hard) of `password`."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("a password needs at least %(MIN_PASSWORD_LENGTH)s characters"),
            MIN_PASSWORD_LENGTH=MIN_PASSWORD_LENGTH,
        )
    return passwords.hash_password(password)


def validate_timezone(name: str) -> str:
    """`name` if it is an IANA time zone, else InvalidInput."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            N_("unknown time zone %(name)r (use an IANA name such as Asia/Tokyo)"), name=name
        ) from None
    return name


def check_header_text(value: str, what: str) -> str:
    """`value` unless a control character makes it unfit for a mail header (names, emails and
    desks reach the digest's To: line and body), else InvalidInput naming `what`."""
    problem = header_text_problem(value)
    if problem is not None:
        # A CR/LF in a name made the email library raise and ended every digest of the run
        # (issue 19 item 3); refusing it here keeps it out of the database altogether.
        raise InvalidInput(N_("the %(what)s cannot be used: %(problem)s"), what=what, problem=problem)
    return value


def get_or_create_desk(session: Session, name: str) -> Desk:
    """The desk called `name`, created if it does not exist yet."""
    name = check_header_text(name.strip(), "desk name")
    if not name:
        raise InvalidInput(N_("a desk needs a name"))
    desk = session.scalar(select(Desk).where(Desk.name == name))
    if desk is None:
        desk = Desk(name=name)
        session.add(desk)
        session.flush()
    return desk


def get_desk(session: Session, name: str) -> Desk:
    """The desk called `name`, or NotFound."""
    desk = session.scalar(select(Desk).where(Desk.name == name))
    if desk is None:
        raise NotFound(N_("no desk called %(name)r"), name=name)
    return desk


def create_officer(
    session: Session,
    *,
    email: str,
    name: str,
    role: str = Role.OFFICER.value,
    desk: str | None = None,
    timezone: str = "UTC",
    password: str | None = None,
    digest_frequency: str = DigestFrequency.DAILY.value,
    digest_hour: int = 8,
) -> Officer:
    """Add an officer; the email must be new."""
    email = check_header_text(email.strip().lower(), "email")
    name = check_header_text(name, "name")
    if "@" not in email:
        raise InvalidInput(N_("%(email)r is not an email address"), email=email)
    if session.scalar(select(Officer.id).where(Officer.email == email)) is not None:
        raise InvalidInput(N_("an officer with email %(email)s already exists"), email=email)
    try:
        role_value = Role(role)
    except ValueError:
        raise InvalidInput(
            N_("unknown role %(role)r (choose from %(choices)s)"),
            role=role,
            choices=", ".join(r.value for r in Role),
        ) from None
    try:
        frequency = DigestFrequency(digest_frequency)
    except ValueError:
        raise InvalidInput(
            N_("unknown digest preference %(digest_frequency)r"), digest_frequency=digest_frequency
        ) from None
    if not 0 <= digest_hour <= 23:
        raise InvalidInput(N_("the digest hour must be between 0 and 23"))
    officer = Officer(
        email=email,
        name=name.strip() or email,
        role=role_value,
        desk=get_or_create_desk(session, desk) if desk else None,
        timezone=validate_timezone(timezone),
        password_hash=hash_password(password) if password is not None else None,
        digest_frequency=frequency,
        digest_hour=digest_hour,
    )
    session.add(officer)
    session.flush()
    return officer


def get_officer_by_email(session: Session, email: str) -> Officer:
    """The officer with `email`, or NotFound."""
    officer = session.scalar(select(Officer).where(func.lower(Officer.email) == email.strip().lower()))
    if officer is None:
        raise NotFound(N_("no officer with email %(email)s"), email=email)
    return officer


def names_by_email(session: Session, emails: Iterable[str | None]) -> dict[str, str]:
    """The names of the officers with these emails (history stores an owner by email), by email."""
    wanted = {e for e in emails if e}
    if not wanted:
        return {}
    found = select(Officer.email, Officer.name).where(Officer.email.in_(wanted))
    return dict(session.execute(found).all())  # type: ignore[arg-type]


def authenticate(session: Session, email: str, password: str) -> Officer | None:
    """The active officer whose email and password match, else None (never says which was wrong)."""
    officer = session.scalar(select(Officer).where(func.lower(Officer.email) == email.strip().lower()))
    if officer is None or officer.password_hash is None:
        passwords.verify_password(_DUMMY_HASH, password)
        return None
    if not passwords.verify_password(officer.password_hash, password) or not officer.is_active:
        return None
    return officer


def session_id(officer: Officer) -> str:
    """What a session cookie holds for `officer`: their id and current session version."""
    return f"{officer.id}:{officer.session_version}"


def officer_for_session(session: Session, value: str) -> Officer | None:
    """The active officer a session cookie's `session_id` names, if that session has not ended."""
    officer_id, _, version = value.partition(":")
    # Bounded digit strings only: a forged cookie of 10,000 digits must not reach int() or the DB.
    if not (officer_id.isdigit() and version.isdigit() and len(officer_id) <= 18 and len(version) <= 18):
        return None
    officer = session.get(Officer, int(officer_id))
    if officer is None or not officer.is_active or officer.session_version != int(version):
        return None
    return officer


def end_sessions(session: Session, officer: Officer) -> None:
    """End every session `officer` has (logout everywhere, new password, new role, deactivation)."""
    officer.session_version = (officer.session_version or 1) + 1
    session.flush()
