"""The digest outbox: every state change of a digest on its way out, so each is sent exactly once.

A digest is *written* to the `digest` table (unique on officer and period: a second dispatch for
the same period, or a second dispatcher at the same moment, writes nothing), *claimed* by one
conditional UPDATE before it is sent (attempts + 1, next attempt pushed forward, so two
dispatchers never send the same one), then marked *sent*, or its failure recorded: it stays
pending and is retried with exponential backoff until `digest_max_attempts`, then it is *failed*
(`tracker digests list --failed`, `tracker digests retry`). A digest that failed only because the
server was unreachable or said "not now" is put back once the server answers again.

A digest is true when it is sent, not when it was written (issue 18): after each claim its content
is rebuilt from the database as of that attempt (`prepare`), keeping its Message-ID; and it is
*superseded* (never sent) when a newer digest of the officer exists, when nothing is left to
report, or when the officer no longer takes digests. An officer gets one digest per local day
(or ISO week) whatever their time zone changes: a slot is not due while a digest written since
the period began in the officer's current zone exists (Tokyo's 08:00 is Los Angeles' 16:00 of the
day before). A crash between any two steps leaves
it pending and a later run sends it; a crash after the mail server accepted it but before it was
marked sent resends it with the same Message-ID, which mail systems use to collapse the copy.

The outbox carries *notices* too (issue 18): the short mail that tells an officer who asked for it
at once what others did to their commitments (`write_notice`, `kind` "notice"). A notice goes
through the same claim, send and retry steps; it is rebuilt at each attempt from the notifications
it tells, and superseded when the officer has read them all (or now takes them in the digest). A
notice is never counted as a digest, and a digest tells the notifications no notice told.

Functions take a session and never commit: the job (`jobs/digests.py`) runs each step in a short
transaction of its own and never holds one open while talking to the mail server.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from tracker.config import Settings
from tracker.db import insert_ignore
from tracker.digests import DigestContent, build_digest, digest_slot
from tracker.i18n import mail_language, say_in
from tracker.mail import build_message
from tracker.models import Digest, DigestFrequency, DigestState, Notification, Officer, OutboxKind
from tracker.services import notifications
from tracker.services.errors import N_, InvalidInput, NotFound

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
    due: list[tuple[Officer, str, dt.datetime]] = []
    for officer in officers:
        try:
            slot = digest_slot(officer, now)
        except Exception:  # a bad preference must not stop everyone else's digest
            log.exception("cannot work out the digest slot of officer %s", officer.id)
            continue
        if slot is not None:
            due.append((officer, *slot))
    if not due:
        return []
    ids = [o.id for o, _, _ in due]
    # One digest per local period whatever the time zone did. An officer who moved from Tokyo
    # to Los Angeles after Tokyo's 08:00 digest of the 15th is at 16:00 on the 14th, whose slot
    # has passed with no digest of its own: the one written since that day began (in the new
    # zone) counts, so none goes. On the 15th in Los Angeles, the label "daily:2018-06-15" is
    # Tokyo's digest, written before that day began there: this one is labelled with the zone's
    # offset as well ("daily:2018-06-15@-0700"), the same for every dispatcher, so the unique key
    # still keeps it to one.
    labels = {officer.id: (period, f"{period}@{began:%z}") for officer, period, began in due}
    existing = {
        (row.officer_id, row.period)
        for row in session.execute(
            select(Digest.officer_id, Digest.period).where(
                Digest.officer_id.in_(ids), Digest.period.in_({p for pair in labels.values() for p in pair})
            )
        )
    }
    rows = session.execute(
        select(Digest.officer_id, func.max(Digest.created_at))
        .where(Digest.officer_id.in_(ids), Digest.kind == OutboxKind.DIGEST)
        .group_by(Digest.officer_id)
    )
    latest: dict[int, dt.datetime] = dict(rows.all())
    slots: list[tuple[Officer, str]] = []
    for officer, _, began in due:
        if officer.id in latest and latest[officer.id] >= began:
            continue
        label = next((p for p in labels[officer.id] if (officer.id, p) not in existing), None)
        if label is not None:
            slots.append((officer, label))
    return slots


def write_digest(
    session: Session,
    officer: Officer,
    period: str,
    content: DigestContent | None,
    now: dt.datetime,
    mail_from: str,
) -> bool:
    """Add the officer's digest for `period` to the outbox; False when one is there already.

    `content` None: it could not be built (the sending attempt rebuilds it, and records why it
    failed). Make it the first statement of its transaction: on SQLite a write that follows reads
    in the same transaction can fail at once as "locked" instead of waiting (see jobs.lease).
    """
    return insert_ignore(
        session,
        Digest,
        {
            "officer_id": officer.id,
            "period": period,
            "subject": content.subject[:300] if content is not None else "",
            "body_text": content.text if content is not None else "",
            "body_html": content.html if content is not None else "",
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


@dataclass(frozen=True)
class Outgoing:
    """A claimed digest ready to go: the message, its attempt number and its recipient."""

    message: EmailMessage
    attempts: int
    email: str


def prepare(
    session: Session, digest_id: int, now: dt.datetime, base_url: str, mail_from: str
) -> Outgoing | None:
    """Rebuild a claimed digest as of `now` (same Message-ID) and store what it now says; None
    when it is superseded instead (a newer digest of the officer, nothing left to report, or the
    officer takes no digests any more). Raises whatever building it raises."""
    digest = session.get_one(Digest, digest_id)
    officer = session.get_one(Officer, digest.officer_id)
    if digest.kind == OutboxKind.NOTICE:
        return _prepare_notice(session, digest, officer, now, base_url, mail_from)
    newer = session.scalar(
        select(
            exists().where(
                Digest.officer_id == digest.officer_id,
                Digest.id > digest.id,
                Digest.kind == OutboxKind.DIGEST,
            )
        )
    )
    content = None
    if not newer and officer.is_active and officer.digest_frequency != DigestFrequency.OFF:
        content = build_digest(session, officer, now, base_url, outbox_id=digest.id)
    if content is None:
        _supersede(session, digest)
        return None
    # What it tells under "Changes by others" is told: no later digest repeats it.
    notifications.link(session, content.told, digest.id)
    digest.subject = content.subject[:300]
    digest.body_text = content.text
    digest.body_html = content.html
    message = build_message(
        mail_from=mail_from,
        to_name=officer.name,
        to_email=officer.email,
        subject=digest.subject,
        text=digest.body_text,
        html=digest.body_html,
        message_id=digest.message_id,
        date=now,
    )
    session.flush()
    return Outgoing(message, digest.attempts, officer.email)


def _supersede(session: Session, digest: Digest) -> None:
    digest.state = DigestState.SUPERSEDED
    digest.next_attempt_at = None
    notifications.unlink(session, digest.id)  # for the next mail to tell
    session.flush()


def write_notice(session: Session, officer_id: int, now: dt.datetime, mail_from: str) -> bool:
    """Add a notice to the outbox for the officer's unread notifications that no mail has told
    yet, and link them to it; False when there are none or a notice for them exists already.

    Its period names the last notification it tells, so that two dispatchers at once write one
    notice (the unique key), and one written after a crash is not written again. Make it the first
    statement of its transaction (see `write_digest`); the content is built when it is sent.
    """
    last = session.scalar(
        select(func.max(Notification.id)).where(
            Notification.officer_id == officer_id,
            Notification.read_at.is_(None),
            Notification.outbox_id.is_(None),
            Notification.created_at <= now,
        )
    )
    if last is None:
        return False
    period = f"notice:{last}"
    existing = session.scalar(
        select(Digest.state).where(Digest.officer_id == officer_id, Digest.period == period)
    )
    if existing is not None and existing != DigestState.PENDING:
        # Told once and dropped (the officer had taken them in the digest meanwhile) or given up
        # on: a notice of its own for this run's instant, the same for every dispatcher.
        period = f"notice:{last}@{now:%Y%m%dT%H%M%S}"
    values = {
        "officer_id": officer_id,
        "period": period,
        "kind": OutboxKind.NOTICE,
        "subject": "",
        "body_text": "",
        "body_html": "",
        "message_id": new_message_id(officer_id, period, mail_from),
        "state": DigestState.PENDING,
        "attempts": 0,
        "created_at": now,
    }
    written = insert_ignore(session, Digest, values)
    notice_id = session.scalar(
        select(Digest.id).where(Digest.officer_id == officer_id, Digest.period == period)
    )
    assert notice_id is not None
    session.execute(
        update(Notification)
        .where(
            Notification.officer_id == officer_id,
            Notification.outbox_id.is_(None),
            Notification.id <= last,
        )
        .values(outbox_id=notice_id)
        .execution_options(synchronize_session=False)
    )
    return written


def _prepare_notice(
    session: Session, digest: Digest, officer: Officer, now: dt.datetime, base_url: str, mail_from: str
) -> Outgoing | None:
    """A claimed notice as of now: what it tells and that is still unread, or None (superseded:
    all read meanwhile, or the officer now takes them in the digest)."""
    told = []
    if officer.is_active and officer.notify_immediately:
        told = list(
            session.scalars(
                select(Notification)
                .where(Notification.outbox_id == digest.id, Notification.read_at.is_(None))
                .order_by(Notification.id)
            )
        )
    if not told:
        _supersede(session, digest)
        return None
    # In the officer's language, as their digest is.
    locale = mail_language(officer)
    say = say_in(locale)
    lines = notifications.describe(session, officer, told, say=say, locale=locale)
    content = notifications.notice_content(lines, base_url, say=say)
    digest.subject, digest.body_text, digest.body_html = content.subject, content.text, content.html
    message = build_message(
        mail_from=mail_from,
        to_name=officer.name,
        to_email=officer.email,
        subject=digest.subject,
        text=digest.body_text,
        html=digest.body_html,
        message_id=digest.message_id,
        date=now,
    )
    session.flush()
    return Outgoing(message, digest.attempts, officer.email)


def mark_sent(session: Session, digest_id: int, now: dt.datetime) -> None:
    """The mail server accepted the digest."""
    session.execute(
        update(Digest)
        .where(Digest.id == digest_id)
        .values(state=DigestState.SENT, sent_at=now, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )


def record_failure(
    session: Session,
    digest_id: int,
    attempts: int,
    error: str,
    now: dt.datetime,
    settings: Settings,
    *,
    transient: bool = False,
) -> bool:
    """Note a failed attempt (`transient`: the server's fault, not the message's); True when the
    digest is now given up on (marked failed)."""
    give_up = attempts >= settings.digest_max_attempts
    session.execute(
        update(Digest)
        .where(Digest.id == digest_id, Digest.state == DigestState.PENDING)
        .values(
            state=DigestState.FAILED if give_up else DigestState.PENDING,
            last_error=error[:2000],
            is_last_error_transient=transient,
            next_attempt_at=None if give_up else now + retry_delay(attempts, settings),
        )
        .execution_options(synchronize_session=False)
    )
    return give_up


def has_transient_failures(session: Session) -> bool:
    """Whether a digest was given up on only because the mail server was unavailable."""
    return bool(session.scalar(select(exists().where(*_TRANSIENTLY_FAILED))))


def revive_transient_failures(session: Session, now: dt.datetime) -> int:
    """Put back every digest given up on only because the server was unavailable, with a fresh
    set of attempts due at `now`: call it once the server answers again. How many."""
    result = session.execute(
        update(Digest)
        .where(*_TRANSIENTLY_FAILED)
        .values(state=DigestState.PENDING, attempts=0, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


_TRANSIENTLY_FAILED = (Digest.state == DigestState.FAILED, Digest.is_last_error_transient.is_(True))


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
        raise NotFound(N_("no digest with id %(digest_id)s"), digest_id=digest_id)
    if digest.state != DigestState.FAILED:
        raise InvalidInput(
            N_("digest %(digest_id)s has not failed (it is %(state)s)"),
            digest_id=digest_id,
            state=digest.state.value,
        )
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
