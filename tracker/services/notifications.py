"""Notifications (issue 18): an officer is told when someone else gives them a commitment, takes
one from them, or changes one they own (status, due date, a note, ...). Their own changes and the
tracker's own flags (stale, overdue, escalated: by nobody) are not news.

Written where history is written (`tracker.services.history`), one per history row and
recipient, so that every way of changing a commitment (the web, the API, the command line, bulk
changes, an event's date, the ingest preview) tells the owner in the same way. Read on the
dashboard (unread until marked read); mailed at once through the outbox when the officer asked
for that (`Officer.notify_immediately`; the notice is written by the digest job, see
`tracker.services.outbox.write_notice`), otherwise told in their next digest ("Changes by others").
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session, selectinload

from tracker.history_text import Say, describe_change, english
from tracker.models import Commitment, Notification, Officer, StatusChange
from tracker.services.errors import NotFound
from tracker.services.officers import names_by_email

# The dashboard lists at most this many unread notifications (the count says how many there are).
LIST_LIMIT = 20


def notify_change(
    session: Session,
    change: StatusChange,
    commitment: Commitment,
    *,
    field: str,
    old: object,
    new: object,
    by: Officer | None,
    now: dt.datetime,
) -> None:
    """Tell whom one history row concerns: the new and the former owner of a commitment that
    changed hands, or its owner of any other change, unless they made it themselves."""
    if by is None:
        return  # the tracker's own flags are not news
    if field == "owner":
        recipients = [o for o in (new, old) if isinstance(o, Officer)]
    else:
        # Not flushed here: a caller may have changed the commitment already, and an early flush
        # would bump its version twice (see update_commitment).
        with session.no_autoflush:
            owner = commitment.owner
        recipients = [owner] if owner is not None else []
    told: set[int] = set()
    for officer in recipients:
        if officer.id == by.id or officer.id in told:
            continue
        told.add(officer.id)
        row = Notification(officer_id=officer.id, change=change, created_at=now)
        if commitment.id is not None:
            row.commitment_id = commitment.id
        else:
            row.commitment = commitment
        session.add(row)


def last_change_id(session: Session) -> int:
    """The newest history row's id: call before a set-based history write, for `notify_changes`."""
    return int(session.scalar(select(func.coalesce(func.max(StatusChange.id), 0))) or 0)


def notify_changes(
    session: Session, *, after_id: int, field: str, by: Officer | None, now: dt.datetime
) -> None:
    """Tell each owner about the history rows a set-based write just added (ids past `after_id`,
    by `by` at `now` on `field`), in one INSERT ... SELECT; nothing for the tracker's own."""
    if by is None:
        return
    rows = (
        select(
            Commitment.owner_id,
            StatusChange.commitment_id,
            StatusChange.id,
            literal(now, type_=Notification.created_at.type),
        )
        .join(Commitment, Commitment.id == StatusChange.commitment_id)
        .where(
            StatusChange.id > after_id,
            StatusChange.officer_id == by.id,
            StatusChange.changed_at == now,
            StatusChange.field == field,
            Commitment.owner_id.is_not(None),
            Commitment.owner_id != by.id,
        )
        .order_by(StatusChange.id)
    )
    session.execute(
        insert(Notification).from_select(
            ["officer_id", "commitment_id", "status_change_id", "created_at"], rows
        )
    )


def _unread(officer: Officer) -> tuple[ColumnElement[bool], ...]:
    return (Notification.officer_id == officer.id, Notification.read_at.is_(None))


def unread_count(session: Session, officer: Officer) -> int:
    """How many notifications the officer has not marked read (the count in the navigation)."""
    return int(session.scalar(select(func.count()).select_from(Notification).where(*_unread(officer))) or 0)


def unread(session: Session, officer: Officer, limit: int = LIST_LIMIT) -> list[Notification]:
    """The officer's unread notifications, newest first, with what happened and by whom."""
    return list(
        session.scalars(
            select(Notification)
            .where(*_unread(officer))
            .order_by(Notification.id.desc())
            .limit(limit)
            .options(
                selectinload(Notification.change).selectinload(StatusChange.officer),
                selectinload(Notification.commitment),
            )
        )
    )


def mark_read(session: Session, officer: Officer, now: dt.datetime, ids: Sequence[int] | None = None) -> int:
    """Mark the officer's own notifications read (`ids`, or all of them); how many (those read
    already are left as they were). An id that is not one of theirs is NotFound, and nothing
    is marked: an officer sees and marks only their own."""
    where = [*_unread(officer)]
    if ids is not None:
        if not ids:
            return 0
        wanted = set(ids)
        mine = set(
            session.scalars(
                select(Notification.id).where(
                    Notification.id.in_(wanted), Notification.officer_id == officer.id
                )
            )
        )
        if wanted - mine:
            raise NotFound(f"no notification with id {min(wanted - mine)}")
        where.append(Notification.id.in_(wanted))
    result = session.execute(
        update(Notification).where(*where).values(read_at=now).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class NewsLine:
    """One notification as the officer reads it."""

    id: int
    commitment_id: int
    action: str
    said: str  # "Ann Other changed the status from Open to In progress"
    note: str | None
    changed_at: dt.datetime


def describe(
    session: Session,
    officer: Officer,
    rows: Sequence[Notification],
    *,
    say: Say = english,
    locale: str = "en",
) -> list[NewsLine]:
    """Each notification in words (`say` and `locale`: as for `describe_change`); owners (stored
    by email) by name, the reader as "you"."""
    names = names_by_email(
        session,
        (v for n in rows if n.change.field == "owner" for v in (n.change.old_value, n.change.new_value)),
    )
    names[officer.email] = say("you")
    return [
        NewsLine(
            id=n.id,
            commitment_id=n.commitment_id,
            action=n.commitment.action,
            said=describe_change(
                n.change.field,
                n.change.old_value,
                n.change.new_value,
                by=n.change.officer.name if n.change.officer else None,
                names=names,
                say=say,
                locale=locale,
            ),
            note=n.change.note,
            changed_at=n.change.changed_at,
        )
        for n in rows
    ]


# --- Mail: which notifications a mail tells, and the short notice itself ------------------------


def for_mail(session: Session, officer: Officer, outbox_id: int | None) -> list[Notification]:
    """The unread notifications a mail to the officer tells now: those no mail has told yet, and
    those this outbox row (`outbox_id`) told at an earlier attempt; oldest first."""
    told: ColumnElement[bool] = Notification.outbox_id.is_(None)
    if outbox_id is not None:
        told = or_(told, Notification.outbox_id == outbox_id)
    return list(
        session.scalars(
            select(Notification)
            .where(*_unread(officer), told)
            .order_by(Notification.id)
            .options(
                selectinload(Notification.change).selectinload(StatusChange.officer),
                selectinload(Notification.commitment),
            )
        )
    )


def link(session: Session, ids: Sequence[int], outbox_id: int) -> None:
    """Record that the mail `outbox_id` tells these notifications."""
    if ids:
        session.execute(
            update(Notification)
            .where(Notification.id.in_(list(ids)))
            .values(outbox_id=outbox_id)
            .execution_options(synchronize_session=False)
        )


def unlink(session: Session, outbox_id: int) -> None:
    """The mail `outbox_id` will not go (superseded, given up on): its notifications are untold."""
    session.execute(
        update(Notification)
        .where(Notification.outbox_id == outbox_id)
        .values(outbox_id=None)
        .execution_options(synchronize_session=False)
    )


def officers_to_notify(session: Session) -> list[int]:
    """Officers who want notifications at once and have unread ones no mail has told yet."""
    return list(
        session.scalars(
            select(Officer.id)
            .where(
                Officer.notify_immediately.is_(True),
                Officer.is_active.is_(True),
                select(Notification.id)
                .where(
                    Notification.officer_id == Officer.id,
                    Notification.read_at.is_(None),
                    Notification.outbox_id.is_(None),
                )
                .exists(),
            )
            .order_by(Officer.id)
        )
    )


@dataclass(frozen=True)
class NoticeContent:
    subject: str
    text: str
    html: str


def _one_line(value: str) -> str:
    return " ".join(value.split())


def notice_content(lines: Sequence[NewsLine], base_url: str, *, say: Say = english) -> NoticeContent:
    """The short mail telling an officer at once what others did to their commitments (`say`: in
    the officer's language, as `lines` were described)."""
    base = base_url.rstrip("/")
    first = lines[0]
    if len(lines) == 1:
        subject = f"#{first.commitment_id}: {first.said}"
    else:
        count = len({line.commitment_id for line in lines})
        subject = say(
            "%(changes)s changes by others to %(count)s of your commitments", changes=len(lines), count=count
        )
    text_items, html_items = [], []
    for line in lines:
        url = f"{base}/commitments/{line.commitment_id}"
        note = say(": “%(note)s”", note=_one_line(line.note)) if line.note else ""
        text_items.append(f"- #{line.commitment_id} {_one_line(line.action)}\n  {line.said}{note}\n  {url}")
        action = html.escape(_one_line(line.action))
        html_items.append(
            f'<li><a href="{html.escape(url)}">#{line.commitment_id}</a> {action}'
            f"<br>{html.escape(line.said + note)}</li>"
        )
    footer = say(
        "Your notifications: %(home)s (you chose to be told at once; change it in %(settings)s)",
        home=f"{base}/",
        settings=f"{base}/settings",
    )
    heading = say("Changes by others to your commitments:")
    text = f"{heading}\n\n" + "\n\n".join(text_items) + f"\n\n{footer}\n"
    body = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
        f"<p>{html.escape(heading)}</p><ul>"
        + "".join(html_items)
        + f"</ul><p>{html.escape(footer)}</p></body></html>"
    )
    return NoticeContent(_one_line(subject)[:300], text, body)
