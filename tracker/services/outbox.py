"""The digest outbox: every state change of a digest on its way out, so each is sent exactly once.

A digest is *written* to the `digest` table (unique on officer and period: a second dispatch for
the same period, or a second dispatcher at the same moment, writes nothing), *claimed* by one
conditional UPDATE before it is sent (attempts + 1, next attempt pushed forward, so two
dispatchers never send the same one), then marked *sent*, or its failure recorded: it stays
pending and is retried with exponential backoff until `digest_max_attempts`, then it is *failed*
(`tracker digests list --failed`, `tracker digests retry`). A crash between any two steps leaves
it pending and a later run sends it; a crash after the mail server accepted it but before it was
marked sent resends it with the same Message-ID, which mail systems use to collapse the copy.

Functions take a session and never commit: the job (`jobs/digests.py`) runs each step in a short
transaction of its own and never holds one open while talking to the mail server.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from email.message import EmailMessage
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from tracker.config import Settings
from tracker.db import insert_ignore
from tracker.digests import DigestContent, digest_period
from tracker.mail import build_message
from tracker.models import Digest, DigestFrequency, DigestState, Officer
from tracker.services.errors import InvalidInput, NotFound

log = logging.getLogger(__name__)

# How long a claimed digest is left alone: if the claiming process dies before it records the
# outcome, another run sends the digest after this.
CLAIM_TIMEOUT = dt.timedelta(minutes=5)
MAX_RETRY_DELAY = dt.timedelta(hours=12)


def retry_delay(attempts: int, settings: Settings) -> dt.timedelta:
    """Backoff after the `attempts`-th failure: one dispatch interval, doubled each time, capped."""
    base = dt.timedelta(minutes=max(settings.digest_interval_minutes, 1))
    return min(base * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


def new_message_id(officer_id: int, period: str, mail_from: str) -> str:
    """A Message-ID fixed when a digest is written, so that every retry carries the same one."""
    domain = mail_from.rpartition("@")[2].strip(" >") or "localhost"
    slot = re.sub(r"[^A-Za-z0-9.-]", "-", period)
    # Short enough that the header is not folded (some mail systems compare it folded).
    return f"<digest.{officer_id}.{slot}.{uuid.uuid4().hex[:12]}@{domain}>"


def due_slots(session: Session, now: dt.datetime) -> list[tuple[Officer, str]]:
    """Each officer whose digest slot has come at `now` and has no digest for it yet, with the slot."""
    officers = list(
        session.scalars(
            select(Officer)
            .where(Officer.is_active.is_(True), Officer.digest_frequency != DigestFrequency.OFF)
            .order_by(Officer.id)
        )
    )
    due: list[tuple[Officer, str]] = []
    for officer in officers:
        try:
            period = digest_period(officer, now)
        except Exception:  # a bad preference must not stop everyone else's digest
            log.exception("cannot work out the digest slot of officer %s", officer.id)
            continue
        if period is not None:
            due.append((officer, period))
    if not due:
        return []
    existing = {
        (row.officer_id, row.period)
        for row in session.execute(
            select(Digest.officer_id, Digest.period).where(
                Digest.officer_id.in_([o.id for o, _ in due]),
                Digest.period.in_({p for _, p in due}),
            )
        )
    }
    return [(officer, period) for officer, period in due if (officer.id, period) not in existing]


def write_digest(
    session: Session, officer: Officer, period: str, content: DigestContent, now: dt.datetime, mail_from: str
) -> bool:
    """Add the officer's digest for `period` to the outbox; False when one is there already.

    Make it the first statement of its transaction: on SQLite a write that follows reads in the
    same transaction can fail at once as "locked" instead of waiting (see jobs.lease).
    """
    return insert_ignore(
        session,
        Digest,
        {
            "officer_id": officer.id,
            "period": period,
            "subject": content.subject[:300],
            "body_text": content.text,
            "body_html": content.html,
            "message_id": new_message_id(officer.id, period, mail_from),
            "state": DigestState.PENDING,
            "attempts": 0,
            "created_at": now,
        },
    )


def _sendable(now: dt.datetime) -> Any:
    return (
        Digest.state == DigestState.PENDING,
        or_(Digest.next_attempt_at.is_(None), Digest.next_attempt_at <= now),
    )


def pending_ids(session: Session, now: dt.datetime) -> list[int]:
    """The pending digests whose next attempt is due, oldest first."""
    return list(session.scalars(select(Digest.id).where(*_sendable(now)).order_by(Digest.id)))


def claim(session: Session, digest_id: int, now: dt.datetime) -> bool:
    """Take the digest for one sending attempt; False when another dispatcher has it or it is
    no longer due (sent meanwhile, or its retry not yet due)."""
    claimed = session.execute(
        update(Digest)
        .where(Digest.id == digest_id, *_sendable(now))
        .values(attempts=Digest.attempts + 1, next_attempt_at=now + CLAIM_TIMEOUT)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def message_for(session: Session, digest_id: int, mail_from: str) -> tuple[EmailMessage, int, str]:
    """A claimed digest as the mail message to send, with its attempt count and recipient."""
    digest = session.get_one(Digest, digest_id)
    officer = session.get_one(Officer, digest.officer_id)
    message = build_message(
        mail_from=mail_from,
        to_name=officer.name,
        to_email=officer.email,
        subject=digest.subject,
        text=digest.body_text,
        html=digest.body_html,
        message_id=digest.message_id,
        date=digest.created_at,
    )
    return message, digest.attempts, officer.email


def mark_sent(session: Session, digest_id: int, now: dt.datetime) -> None:
    """The mail server accepted the digest."""
    session.execute(
        update(Digest)
        .where(Digest.id == digest_id)
        .values(state=DigestState.SENT, sent_at=now, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )


def record_failure(
    session: Session, digest_id: int, attempts: int, error: str, now: dt.datetime, settings: Settings
) -> bool:
    """Note a failed attempt; True when the digest is now given up on (marked failed)."""
    give_up = attempts >= settings.digest_max_attempts
    session.execute(
        update(Digest)
        .where(Digest.id == digest_id, Digest.state == DigestState.PENDING)
        .values(
            state=DigestState.FAILED if give_up else DigestState.PENDING,
            last_error=error[:2000],
            next_attempt_at=None if give_up else now + retry_delay(attempts, settings),
        )
        .execution_options(synchronize_session=False)
    )
    return give_up


def list_digests(session: Session, *, failed_only: bool = False, limit: int = 100) -> list[Digest]:
    """The newest digests (with their officers), or only the failed ones."""
    stmt = (
        select(Digest)
        .options(selectinload(Digest.officer))
        .order_by(Digest.created_at.desc(), Digest.id.desc())
        .limit(limit)
    )
    if failed_only:
        stmt = stmt.where(Digest.state == DigestState.FAILED)
    return list(session.scalars(stmt))


def retry_digest(session: Session, digest_id: int, now: dt.datetime | None) -> Digest:
    """Put a failed digest back in the outbox with a fresh set of attempts, due from `now` (None:
    at once, whatever the dispatcher's clock); the next dispatch run sends it (same Message-ID)."""
    digest = session.get(Digest, digest_id)
    if digest is None:
        raise NotFound(f"no digest with id {digest_id}")
    if digest.state != DigestState.FAILED:
        raise InvalidInput(f"digest {digest_id} has not failed (it is {digest.state.value})")
    digest.state = DigestState.PENDING
    digest.attempts = 0
    digest.next_attempt_at = now
    session.flush()
    return digest


def digest_counts(session: Session) -> dict[str, int]:
    """How many digests are in each state."""
    rows = session.execute(select(Digest.state, func.count()).group_by(Digest.state)).all()
    counts = {s.value: 0 for s in DigestState}
    for state, count in rows:
        counts[state.value if isinstance(state, DigestState) else str(state)] = count
    return counts
