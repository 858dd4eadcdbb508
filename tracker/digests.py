"""Reminder digests: what each officer is told, and when their digest is due.

Domain only (no Flask, no APScheduler, no SMTP): `build_digest` reads one officer's overdue,
due-soon, stale and waiting commitments (their own and their desk's) as plain rows through the
(owner|desk, status, due_date) indexes, and renders them as text and HTML; `digest_period`
says which slot (day or ISO week, in the officer's own time zone) is due now. Sending, retries
and the outbox live in `jobs/digests.py`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from tracker.models import (
    ACTIVE_STATUSES,
    Commitment,
    DeadlineType,
    Desk,
    Digest,
    DigestFrequency,
    DigestState,
    Event,
    Officer,
    Party,
    Readout,
    Role,
    commitment_party,
)
from tracker.services.errors import NotFound

SECTIONS = ("overdue", "due_soon", "stale", "waiting")
SECTION_TITLES = {
    "overdue": "Overdue",
    "due_soon": "Due in the next 7 days",
    "stale": "Stale (review date passed with no update)",
    "waiting": "Waiting on an event date",
}
DUE_SOON_DAYS = 7
# An email that lists five hundred items is not read; the counts stay exact and the rest are
# one click away on the dashboard.
MAX_ITEMS_PER_SECTION = 25

_TEMPLATES = Path(__file__).parent / "templates" / "digest"
# Bidirectional overrides and invisible characters from a readout could make a digest line read
# differently from what it says; zero-width (non-)joiners stay, as some scripts need them.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class DigestItem:
    commitment_id: int
    url: str
    action: str
    status: str
    due_date: dt.date | None
    review_date: dt.date | None
    deadline_text: str | None
    event: str | None
    owner: str | None
    readout_title: str
    meeting_date: dt.date
    parties: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeskSummary:
    desk: str
    overdue: int
    due_soon: int
    stale: int
    waiting: int

    @property
    def total(self) -> int:
        return self.overdue + self.due_soon + self.stale + self.waiting


@dataclass(frozen=True)
class DigestContent:
    subject: str
    text: str
    html: str
    sections: dict[str, list[DigestItem]]
    # Exact counts per section; a section lists at most MAX_ITEMS_PER_SECTION of them.
    counts: dict[str, int] = field(default_factory=dict)
    # Supervisors and admins: every desk's counts.
    desk_summary: list[DeskSummary] = field(default_factory=list)


def clean(value: object) -> str:
    """Text from a readout made safe to show on one line: invisible and bidi controls removed."""
    return " ".join(_INVISIBLE.sub("", str(value)).split())


_env = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_env.filters["clean"] = clean


def officer_zone(officer: Officer) -> zoneinfo.ZoneInfo:
    """The officer's time zone (UTC when the stored name is not a known zone)."""
    try:
        return zoneinfo.ZoneInfo(officer.timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_today(officer: Officer, now: dt.datetime) -> dt.date:
    """The date on the officer's own calendar at `now`."""
    return now.astimezone(officer_zone(officer)).date()


def digest_period(officer: Officer, now: dt.datetime) -> str | None:
    """The officer's digest slot that is due at `now`, or None (digest off, or its time has not come).

    A daily digest's period is the officer's local day ("daily:2026-11-27") and it is due from
    the digest hour until local midnight; a weekly one's is the local ISO week ("weekly:2026-W48"),
    due from the digest weekday and hour until the week ends. So a run that comes late (the
    scheduler was down at 08:00) still sends it, within its period; so does the first run after
    an officer is added or changes their preference.
    """
    if officer.digest_frequency == DigestFrequency.OFF or not officer.is_active:
        return None
    zone = officer_zone(officer)
    local = now.astimezone(zone)
    if officer.digest_frequency == DigestFrequency.DAILY:
        slot_day = local.date()
        iso = None
    else:
        slot_day = local.date() - dt.timedelta(days=local.weekday() - officer.digest_weekday)
        iso = slot_day.isocalendar()
    slot = dt.datetime.combine(slot_day, dt.time(officer.digest_hour), tzinfo=zone)
    # Both are in `zone`: this compares local wall-clock times, as the officer reads them.
    if local < slot:
        return None
    if iso is None:
        return f"daily:{slot_day.isoformat()}"
    return f"weekly:{iso.year}-W{iso.week:02d}"


def _conditions(today: dt.date) -> dict[str, ColumnElement[bool]]:
    active = Commitment.status.in_(ACTIVE_STATUSES)
    return {
        "overdue": and_(active, Commitment.due_date < today),
        "due_soon": and_(
            active,
            Commitment.due_date >= today,
            Commitment.due_date <= today + dt.timedelta(days=DUE_SOON_DAYS),
        ),
        "stale": and_(active, Commitment.review_date < today),
        "waiting": and_(
            active, Commitment.deadline_type == DeadlineType.EVENT, Commitment.due_date.is_(None)
        ),
    }


def _scope(officer: Officer, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    # Written as an OR of two whole conditions so that each side can use its own
    # (owner_id | desk_id, status, due_date) index (a multi-index OR in SQLite, BitmapOr in PostgreSQL).
    own = and_(Commitment.owner_id == officer.id, condition)
    if officer.desk_id is None:
        return own
    return or_(own, and_(Commitment.desk_id == officer.desk_id, condition))


def _order(section: str) -> list[Any]:
    if section == "stale":
        return [Commitment.review_date, Commitment.id]
    if section == "waiting":
        return [Event.name, Commitment.id]
    return [Commitment.due_date, Commitment.id]


def _section_rows(
    session: Session, officer: Officer, section: str, condition: ColumnElement[bool], base_url: str
) -> tuple[list[DigestItem], int]:
    stmt = (
        select(
            Commitment.id,
            Commitment.action,
            Commitment.status,
            Commitment.due_date,
            Commitment.review_date,
            Commitment.deadline_text,
            Event.name.label("event"),
            Officer.name.label("owner"),
            Readout.title,
            Readout.meeting_date,
            # The section's full size in the same query as its first rows.
            func.count().over().label("total"),
        )
        .join(Readout, Readout.id == Commitment.readout_id)
        .outerjoin(Event, Event.id == Commitment.event_id)
        .outerjoin(Officer, Officer.id == Commitment.owner_id)
        .where(_scope(officer, condition))
        .order_by(*_order(section))
        .limit(MAX_ITEMS_PER_SECTION)
    )
    rows = session.execute(stmt).all()
    items = [
        DigestItem(
            commitment_id=r.id,
            url=f"{base_url}/commitments/{r.id}",
            action=r.action,
            status=r.status.value if hasattr(r.status, "value") else str(r.status),
            due_date=r.due_date,
            review_date=r.review_date,
            deadline_text=r.deadline_text,
            event=r.event,
            owner=r.owner,
            readout_title=r.title,
            meeting_date=r.meeting_date,
        )
        for r in rows
    ]
    return items, (rows[0].total if rows else 0)


def _with_parties(session: Session, sections: dict[str, list[DigestItem]]) -> dict[str, list[DigestItem]]:
    ids = {item.commitment_id for items in sections.values() for item in items}
    if not ids:
        return sections
    names: dict[int, list[str]] = {}
    for commitment_id, name in session.execute(
        select(commitment_party.c.commitment_id, Party.name)
        .join(Party, Party.id == commitment_party.c.party_id)
        .where(commitment_party.c.commitment_id.in_(ids))
        .order_by(Party.name)
    ):
        names.setdefault(commitment_id, []).append(name)
    return {
        key: [
            DigestItem(**{**item.__dict__, "parties": tuple(names.get(item.commitment_id, ()))})
            for item in items
        ]
        for key, items in sections.items()
    }


def desk_summaries(session: Session, today: dt.date) -> list[DeskSummary]:
    """Every desk's overdue, due-soon, stale and waiting counts, in one grouped query."""
    conditions = _conditions(today)
    counts = [func.sum(case((conditions[s], 1), else_=0)).label(s) for s in SECTIONS]
    rows = session.execute(
        select(Desk.name, *counts)
        .select_from(Commitment)
        .outerjoin(Desk, Desk.id == Commitment.desk_id)
        .where(Commitment.status.in_(ACTIVE_STATUSES))
        .group_by(Desk.name)
        .order_by(Desk.name)
    ).all()
    return [
        DeskSummary(r.name or "(no desk)", *(int(getattr(r, s) or 0) for s in SECTIONS))
        for r in rows
        if any(getattr(r, s) for s in SECTIONS)
    ]


def _subject(today: dt.date, counts: dict[str, int], desks: Sequence[DeskSummary]) -> str:
    parts = [
        f"{counts['overdue']} overdue" if counts["overdue"] else "",
        f"{counts['due_soon']} due this week" if counts["due_soon"] else "",
        f"{counts['stale']} stale" if counts["stale"] else "",
        f"{counts['waiting']} waiting on an event date" if counts["waiting"] else "",
    ]
    summary = ", ".join(p for p in parts if p)
    if not summary:
        summary = f"desk summary ({sum(d.overdue for d in desks)} overdue across desks)"
    return f"Follow-up digest {today.isoformat()}: {summary}"


def build_digest(
    session: Session,
    officer: Officer,
    now: dt.datetime,
    base_url: str,
    *,
    cache: dict[Any, Any] | None = None,
) -> DigestContent | None:
    """The officer's digest as of `now` (their local date), or None when there is nothing to report.

    `cache` may be shared between calls of one dispatch run, so that the supervisors' summary
    by desk is computed once per local date rather than once per supervisor.
    """
    base_url = base_url.rstrip("/")
    today = local_today(officer, now)
    sections: dict[str, list[DigestItem]] = {}
    counts: dict[str, int] = {}
    for section, condition in _conditions(today).items():
        sections[section], counts[section] = _section_rows(session, officer, section, condition, base_url)
    desks: list[DeskSummary] = []
    if officer.role in (Role.SUPERVISOR, Role.ADMIN):
        key = ("desk_summaries", today)
        if cache is not None and key in cache:
            desks = cache[key]
        else:
            desks = desk_summaries(session, today)
            if cache is not None:
                cache[key] = desks
    if not any(counts.values()) and not desks:
        return None
    sections = _with_parties(session, sections)
    context = {
        "officer": officer,
        "today": today,
        "base_url": base_url,
        "sections": [(s, SECTION_TITLES[s], sections[s], counts[s]) for s in SECTIONS],
        "desks": desks,
        "max_items": MAX_ITEMS_PER_SECTION,
    }
    return DigestContent(
        subject=clean(_subject(today, counts, desks)),
        text=_env.get_template("digest.txt").render(context),
        html=_env.get_template("digest.html").render(context),
        sections=sections,
        counts=counts,
        desk_summary=desks,
    )


def new_message_id(officer_id: int, period: str, mail_from: str) -> str:
    """A Message-ID fixed when a digest is written, so that every retry carries the same one."""
    domain = mail_from.rpartition("@")[2].strip(" >") or "localhost"
    slot = re.sub(r"[^A-Za-z0-9.-]", "-", period)
    # Short enough that the header is not folded (some mail systems compare it folded).
    return f"<digest.{officer_id}.{slot}.{uuid.uuid4().hex[:12]}@{domain}>"


def list_digests(session: Session, *, failed_only: bool = False, limit: int = 100) -> list[Digest]:
    """The newest digests (with their officers), or only the failed ones."""
    stmt = select(Digest).options(selectinload(Digest.officer)).order_by(Digest.id.desc()).limit(limit)
    if failed_only:
        stmt = stmt.where(Digest.state == DigestState.FAILED)
    return list(session.scalars(stmt))


def retry_digest(session: Session, digest_id: int) -> Digest:
    """Put a failed (or pending) digest back in the queue with a fresh set of attempts."""
    digest = session.get(Digest, digest_id)
    if digest is None:
        raise NotFound(f"no digest with id {digest_id}")
    if digest.state == DigestState.SENT:
        return digest
    session.execute(
        update(Digest)
        .where(Digest.id == digest_id, Digest.state != DigestState.SENT)
        .values(state=DigestState.PENDING, attempts=0, next_attempt_at=None)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return digest
