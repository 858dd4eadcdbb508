"""Digest dispatch: write each due digest to the outbox once, then send what is pending.

Exactly once, nothing lost:
- Writing: the unique (officer, period) key and INSERT ... ON CONFLICT DO NOTHING make a
  second run, or a second dispatcher running at the same moment, write nothing twice.
- Sending: a digest is *claimed* by one conditional UPDATE (attempts + 1, next_attempt_at
  pushed forward) before it is sent, so two dispatchers never send the same one; after the
  SMTP server accepts it, it is marked sent. A crash between writing and sending, or between
  claiming and sending, leaves it pending: a later run sends it. A crash after the server
  accepted it but before it was marked sent resends it, with the same Message-ID, which mail
  systems use to collapse the copy.
- Failures: the digest stays pending and is retried with exponential backoff; after
  `digest_max_attempts` attempts it is marked failed (`tracker digests list --failed`).

Each write, claim and outcome is its own short transaction that starts by writing, and no
transaction is open while talking to the SMTP server.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from jobs.sql import insert_ignore
from tracker.config import Settings
from tracker.digests import build_digest, digest_period, new_message_id
from tracker.mail import Mailer, MailRefused, MailUnavailable, build_message
from tracker.models import Digest, DigestFrequency, DigestState, Officer

log = logging.getLogger(__name__)

# How long a claimed digest is left alone: if the claiming process dies before it records the
# outcome, another run sends the digest after this.
CLAIM_TIMEOUT = dt.timedelta(minutes=5)
MAX_RETRY_DELAY = dt.timedelta(hours=12)


@dataclass
class DispatchResult:
    written: int = 0  # digests added to the outbox by this run
    sent: int = 0
    retrying: int = 0  # attempts that failed and will be retried
    failed: int = 0  # digests given up on by this run (attempts exhausted)


def retry_delay(attempts: int, settings: Settings) -> dt.timedelta:
    """Backoff after the `attempts`-th failure: one dispatch interval, doubled each time, capped."""
    base = dt.timedelta(minutes=max(settings.digest_interval_minutes, 1))
    return min(base * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


def write_due_digests(factory: sessionmaker[Session], now: dt.datetime, settings: Settings) -> int:
    """Add to the outbox the digest of every officer whose slot has come and has none yet."""
    with factory() as session:
        with session.begin():
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
                return 0
            existing = {
                (row.officer_id, row.period)
                for row in session.execute(
                    select(Digest.officer_id, Digest.period).where(
                        Digest.officer_id.in_([o.id for o, _ in due]),
                        Digest.period.in_({p for _, p in due}),
                    )
                )
            }
        written = 0
        cache: dict[Any, Any] = {}
        for officer, period in due:
            if (officer.id, period) in existing:
                continue
            # Reading the content and writing the row are separate transactions: the row's
            # INSERT is then the first statement of its own, as SQLite wants (see jobs.lease).
            with session.begin():
                content = build_digest(session, officer, now, settings.base_url, cache=cache)
            if content is None:
                continue  # nothing to report: no email (checked again at the next run)
            with session.begin():
                inserted = insert_ignore(
                    session,
                    Digest,
                    {
                        "officer_id": officer.id,
                        "period": period,
                        "subject": content.subject[:300],
                        "body_text": content.text,
                        "body_html": content.html,
                        "message_id": new_message_id(officer.id, period, settings.mail_from),
                        "state": DigestState.PENDING,
                        "attempts": 0,
                        "created_at": now,
                    },
                )
            written += int(inserted)
        return written


def _claim(session: Session, digest_id: int, now: dt.datetime) -> bool:
    claimed = session.execute(
        update(Digest)
        .where(
            Digest.id == digest_id,
            Digest.state == DigestState.PENDING,
            or_(Digest.next_attempt_at.is_(None), Digest.next_attempt_at <= now),
        )
        .values(attempts=Digest.attempts + 1, next_attempt_at=now + CLAIM_TIMEOUT)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def _record_failure(
    factory: sessionmaker[Session],
    digest_id: int,
    attempts: int,
    error: str,
    now: dt.datetime,
    settings: Settings,
) -> bool:
    """Note a failed attempt; True when the digest is now given up on (marked failed)."""
    give_up = attempts >= settings.digest_max_attempts
    with factory() as session, session.begin():
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


def send_pending_digests(
    factory: sessionmaker[Session], now: dt.datetime, settings: Settings, result: DispatchResult
) -> None:
    """Send every pending digest whose next attempt is due, each claimed first."""
    with factory() as session, session.begin():
        ids = list(
            session.scalars(
                select(Digest.id)
                .where(
                    Digest.state == DigestState.PENDING,
                    or_(Digest.next_attempt_at.is_(None), Digest.next_attempt_at <= now),
                )
                .order_by(Digest.id)
            )
        )
    with Mailer(settings) as mailer:
        for digest_id in ids:
            with factory() as session:
                with session.begin():
                    if not _claim(session, digest_id, now):
                        continue  # another dispatcher has it, or it was sent meanwhile
                with session.begin():
                    digest = session.get_one(Digest, digest_id)
                    officer = session.get_one(Officer, digest.officer_id)
                    # Built inside the transaction: the factory may expire objects on commit.
                    message = build_message(
                        mail_from=settings.mail_from,
                        to_name=officer.name,
                        to_email=officer.email,
                        subject=digest.subject,
                        text=digest.body_text,
                        html=digest.body_html,
                        message_id=digest.message_id,
                        date=digest.created_at,
                    )
                    attempts, email = digest.attempts, officer.email
            try:
                mailer.send(message)
            except (MailUnavailable, MailRefused) as exc:
                log.warning(
                    "digest %s to %s not sent (attempt %s): %s",
                    digest_id,
                    email,
                    attempts,
                    exc,
                )
                if _record_failure(factory, digest_id, attempts, str(exc), now, settings):
                    result.failed += 1
                else:
                    result.retrying += 1
                if isinstance(exc, MailUnavailable):
                    # The server is down: the others wait for the next run without spending
                    # one of their attempts on it.
                    break
                continue
            with factory() as session, session.begin():
                session.execute(
                    update(Digest)
                    .where(Digest.id == digest_id)
                    .values(state=DigestState.SENT, sent_at=now, next_attempt_at=None)
                    .execution_options(synchronize_session=False)
                )
            result.sent += 1


def dispatch_digests(factory: sessionmaker[Session], now: dt.datetime, settings: Settings) -> DispatchResult:
    """Write the digests whose time has come to the outbox, then send the pending ones."""
    result = DispatchResult()
    result.written = write_due_digests(factory, now, settings)
    send_pending_digests(factory, now, settings, result)
    return result
