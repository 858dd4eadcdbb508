"""Test data factories: rows made through the services, as the application makes them."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools

from sqlalchemy.orm import Session

from tracker.deadlines import DeadlineSettings
from tracker.models import Officer, Readout
from tracker.services.officers import create_officer
from tracker.services.readouts import ingest_text

NOW = dt.datetime(2018, 6, 6, 12, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"
_counter = itertools.count(1)


# Test officers' passwords are hashed at N=2^12, eight times cheaper than production's 2^15 (a
# login costs 0.1 s of CPU at 2^15, and the suite logs in a few hundred times). Logins check them
# for real: verify_password reads the cost from the stored hash, as it does for hashes made with
# other parameters. The production cost is what tracker.passwords.hash_password uses and what
# tests/tracker/test_passwords.py checks.
TEST_SCRYPT_N = 2**12


@functools.cache
def quick_hash(password: str) -> str:
    """A scrypt hash of `password` in the stored format, at TEST_SCRYPT_N (one per password)."""
    salt = "tests-salt-0001"
    digest = hashlib.scrypt(password.encode(), salt=salt.encode(), n=TEST_SCRYPT_N, r=8, p=1, dklen=64)
    return f"scrypt:{TEST_SCRYPT_N}:8:1${salt}${digest.hex()}"


def make_officer(
    session: Session,
    *,
    desk: str | None = "North America Desk",
    role: str = "officer",
    email: str | None = None,
    timezone: str = "UTC",
    password: str | None = PASSWORD,
) -> Officer:
    n = next(_counter)
    officer = create_officer(
        session,
        email=email or f"officer{n}@example.org",
        name=f"Officer {n}",
        role=role,
        desk=desk,
        timezone=timezone,
        password=None,
    )
    if password is not None:
        officer.password_hash = quick_hash(password)
    return officer


def ingest(
    session: Session,
    text: str,
    meeting_date: dt.date,
    *,
    by: Officer | None = None,
    now: dt.datetime = NOW,
    settings: DeadlineSettings | None = None,
) -> Readout:
    return ingest_text(
        session, text, meeting_date=meeting_date, by=by, now=now, settings=settings or DeadlineSettings()
    )
