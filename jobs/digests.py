"""Digest dispatch: write each due digest to the outbox, then send what is pending over SMTP.

The outbox's states and why each digest goes out exactly once are `tracker.services.outbox`;
what a digest says is `tracker.digests`. Each step below is its own short transaction, and none
is open while the mail server is talked to.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from jobs.mail import Mailer, MailRefused, MailUnavailable
from tracker.config import Settings
from tracker.digests import build_digest
from tracker.services import outbox

log = logging.getLogger(__name__)


@dataclass
class DispatchResult:
    written: int = 0  # digests added to the outbox by this run
    sent: int = 0
    retrying: int = 0  # attempts that failed and will be retried
    failed: int = 0  # digests given up on by this run (attempts exhausted)


def write_due_digests(factory: sessionmaker[Session], now: dt.datetime, settings: Settings) -> int:
    """Add to the outbox the digest of every officer whose slot has come and has none yet."""
    written = 0
    cache: dict[Any, Any] = {}  # each desk's rows read once per run
    with factory() as session:
        with session.begin():
            due = outbox.due_slots(session, now)
        for officer, period in due:
            # Reading and writing are separate transactions: the INSERT must come first in its own.
            with session.begin():
                content = build_digest(session, officer, now, settings.base_url, cache=cache)
            if content is None:
                continue  # nothing to report: no email (checked again at the next run)
            with session.begin():
                written += outbox.write_digest(session, officer, period, content, now, settings.mail_from)
    return written


def send_pending_digests(
    factory: sessionmaker[Session], now: dt.datetime, settings: Settings, result: DispatchResult
) -> None:
    """Send every pending digest whose next attempt is due, each claimed first."""
    with factory() as session, session.begin():
        ids = outbox.pending_ids(session, now)
    with Mailer(settings) as mailer:
        for digest_id in ids:
            with factory() as session:
                with session.begin():
                    if not outbox.claim(session, digest_id, now):
                        continue  # another dispatcher has it, or it was sent meanwhile
                with session.begin():
                    message, attempts, email = outbox.message_for(session, digest_id, settings.mail_from)
            try:
                mailer.send(message)
            except (MailUnavailable, MailRefused) as exc:
                log.warning("digest %s to %s not sent (attempt %s): %s", digest_id, email, attempts, exc)
                with factory() as session, session.begin():
                    given_up = outbox.record_failure(session, digest_id, attempts, str(exc), now, settings)
                if given_up:
                    result.failed += 1
                else:
                    result.retrying += 1
                if isinstance(exc, MailUnavailable):
                    # The server is down: the others wait for the next run without spending
                    # one of their attempts on it.
                    break
                continue
            with factory() as session, session.begin():
                outbox.mark_sent(session, digest_id, now)
            result.sent += 1


def dispatch_digests(factory: sessionmaker[Session], now: dt.datetime, settings: Settings) -> DispatchResult:
    """Write the digests whose time has come to the outbox, then send the pending ones."""
    result = DispatchResult()
    result.written = write_due_digests(factory, now, settings)
    send_pending_digests(factory, now, settings, result)
    return result
