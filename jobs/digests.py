"""Digest dispatch: write each due digest (and each officer's notice of changes by others, for
those who want them at once) to the outbox, then send what is pending over SMTP.

Each digest is built, rebuilt and sent in a guard of its own: any exception is that digest's
failed attempt, recorded on it, and the run goes on with the others.

The outbox's states and why each digest goes out exactly once are `tracker.services.outbox`;
what a digest says is `tracker.digests`. Each step below is its own short transaction, and none
is open while the mail server is talked to.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jobs.mail import Mailer, MailRefused, MailUnavailable
from tracker.config import Settings
from tracker.db import begin_write
from tracker.digests import build_digest
from tracker.models import Digest
from tracker.services import notifications, outbox

log = logging.getLogger(__name__)


@dataclass
class DispatchResult:
    written: int = 0  # digests added to the outbox by this run
    notices: int = 0  # notices added (officers told at once of changes by others, issue 18)
    sent: int = 0
    retrying: int = 0  # attempts that failed and will be retried
    failed: int = 0  # digests given up on by this run (attempts exhausted)
    superseded: int = 0  # dropped unsent: a newer digest exists, or nothing is left to report
    revived: int = 0  # failed while the server was unavailable, put back now that it answers


def write_due_digests(factory: sessionmaker[Session], now: dt.datetime, settings: Settings) -> int:
    """Add to the outbox the digest of every officer whose slot has come and has none yet."""
    written = 0
    cache: dict[Any, Any] = {}  # each desk's rows read once per run
    with factory() as session:
        with session.begin():
            due = outbox.due_slots(session, now)
        for officer, period in due:
            # Each officer in a guard of their own: one digest that cannot be built or written
            # must not stop everyone else's (issue 19 item 3).
            try:
                # Reading and writing are separate transactions: the INSERT must come first in its own.
                with session.begin():
                    try:
                        content = build_digest(session, officer, now, settings.base_url, cache=cache)
                    except Exception:
                        # Written all the same, empty: the sending attempt rebuilds it and records
                        # the failure on the digest, where `tracker digests list` shows it.
                        log.exception("digest of officer %s could not be built", officer.id)
                        content = None
                    else:
                        if content is None:
                            continue  # nothing to report: no email (checked again at the next run)
                with session.begin():
                    written += outbox.write_digest(session, officer, period, content, now, settings.mail_from)
            except Exception:
                log.exception("digest of officer %s for %s not written", officer.id, period)
    return written


def write_notices(factory: sessionmaker[Session], now: dt.datetime, settings: Settings) -> int:
    """Add to the outbox a notice for each officer who wants changes by others mailed at once
    and has some no mail has told yet; the send step below sends it, once."""
    written = 0
    with factory() as session:
        with session.begin():
            officer_ids = notifications.officers_to_notify(session)
        for officer_id in officer_ids:
            try:
                with session.begin():
                    begin_write(session)  # reads, then writes: a writer from the start on SQLite
                    written += outbox.write_notice(session, officer_id, now, settings.mail_from)
            except Exception:
                log.exception("notice of officer %s not written", officer_id)
    return written


def _revive_if_server_answers(
    factory: sessionmaker[Session], mailer: Mailer, now: dt.datetime, result: DispatchResult
) -> None:
    """Digests given up on during an outage go back in the outbox once the server answers."""
    with factory() as session, session.begin():
        if not outbox.has_transient_failures(session):
            return
    try:
        mailer.connect()
    except MailUnavailable as exc:
        log.info("mail server still unavailable; failed digests wait: %s", exc)
        return
    with factory() as session, session.begin():
        result.revived = outbox.revive_transient_failures(session, now)


def send_pending_digests(
    factory: sessionmaker[Session], now: dt.datetime, settings: Settings, result: DispatchResult
) -> None:
    """Send every pending digest whose next attempt is due, each claimed first, rebuilt as of now
    and sent in a guard of its own."""
    with Mailer(settings) as mailer:
        _revive_if_server_answers(factory, mailer, now, result)
        with factory() as session, session.begin():
            ids = outbox.pending_ids(session, now)
        for digest_id in ids:
            with factory() as session:
                with session.begin():
                    if not outbox.claim(session, digest_id, now):
                        continue  # another dispatcher has it, or it was sent meanwhile
                transient = False
                try:
                    with session.begin():
                        outgoing = outbox.prepare(
                            session, digest_id, now, settings.base_url, settings.mail_from
                        )
                    if outgoing is None:
                        result.superseded += 1
                        continue
                    mailer.send(outgoing.message)
                except (MailUnavailable, MailRefused) as exc:
                    error, transient = str(exc), isinstance(exc, MailUnavailable)
                except Exception as exc:
                    # Anything else (a header the email library refuses, a query that fails) is
                    # this digest's failed attempt, recorded on it; the others still go.
                    log.exception("digest %s could not be sent", digest_id)
                    error = f"{type(exc).__name__}: {exc}"
                else:
                    with session.begin():
                        outbox.mark_sent(session, digest_id, now)
                    result.sent += 1
                    continue
                log.warning("digest %s not sent: %s", digest_id, error)
                with session.begin():
                    attempts = session.scalar(select(Digest.attempts).where(Digest.id == digest_id)) or 0
                    given_up = outbox.record_failure(
                        session, digest_id, attempts, error, now, settings, transient=transient
                    )
            if given_up:
                result.failed += 1
            else:
                result.retrying += 1
            if transient:
                # The server is down: the others wait for the next run without spending one of
                # their attempts on it.
                break


def dispatch_digests(factory: sessionmaker[Session], now: dt.datetime, settings: Settings) -> DispatchResult:
    """Write the digests whose time has come to the outbox, then send the pending ones."""
    result = DispatchResult()
    result.written = write_due_digests(factory, now, settings)
    result.notices = write_notices(factory, now, settings)
    send_pending_digests(factory, now, settings, result)
    return result
