"""Reminder digests: when each officer's digest is due, what it reports, and how it reads.

Domain only (no Flask, no APScheduler, no SMTP): `digest_slot` says which slot (day or ISO
week, in the officer's own time zone) is due now; `digest_data` reads one officer's overdue,
due-soon, stale and waiting commitments (their own and their desk's; every desk's counts for
those who see every desk) through the index-tuned queries of `tracker.digest_queries`; and
`render_digest` writes them out as text and HTML. The outbox that sends each digest exactly once
is `tracker.services.outbox`; the job that runs it over SMTP is `jobs/digests.py`.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session

from tracker.digest_queries import (
    MAX_ITEMS_PER_SECTION,
    DeskSummary,
    DigestItem,
    EscalatedItem,
    desk_summaries,
    escalated_to,
    extensions_awaiting,
    read_sections,
)
from tracker.followup import SECTIONS
from tracker.models import DigestFrequency, Officer
from tracker.services import notifications
from tracker.services.notifications import NewsLine
from tracker.services.permissions import sees_every_desk, sees_everything

SECTION_TITLES = {
    # Issue 17: what is escalated to the reader, and extensions they are asked to decide.
    "escalated": "Escalated to you",
    "extensions": "Extension requests awaiting your decision",
    "overdue": "Overdue",
    "due_soon": "Due in the next 7 days",
    "stale": "Stale (review date passed with no update)",
    "waiting": "Waiting on an event date",
}

_TEMPLATES = Path(__file__).parent / "templates" / "digest"
# Bidirectional overrides and invisible characters from a readout could make a digest line read
# differently from what it says; zero-width (non-)joiners stay, as some scripts need them.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


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
    # The notifications it tells under "Changes by others" (issue 18).
    told: tuple[int, ...] = ()


def clean(value: object) -> str:
    """Text from a readout made safe to show on one line: invisible and bidi controls removed."""
    text = str(value)
    if not text.isascii():  # the invisible and bidi controls are all outside ASCII
        text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


# The templates ship with the code: no need to stat them on every render.
_env = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    auto_reload=False,
)
_env.filters["clean"] = clean


@dataclass(frozen=True)
class _Line:
    """One item as both bodies show it, each readout field cleaned once in Python (the text and
    HTML templates share it; the HTML one escapes it). `detail` is the second line: when it is
    due, then its parties and owner."""

    commitment_id: int
    url: str
    action: str
    detail: str
    readout_title: str
    meeting_date: str


def _when(section: str, item: DigestItem, today: dt.date) -> str:
    if section == "overdue":
        assert item.due_date is not None
        return f"due {item.due_date.isoformat()} ({(today - item.due_date).days} days overdue)"
    if section == "due_soon":
        assert item.due_date is not None
        return f"due {item.due_date.isoformat()}"
    if section == "stale":
        assert item.review_date is not None
        return f"review date {item.review_date.isoformat()} passed with no update"
    return f"waiting on {clean(item.event or 'an event')} (date unknown)"


def _line(section: str, item: DigestItem, today: dt.date) -> _Line:
    detail = _when(section, item, today)
    if item.parties:
        detail += "; " + ", ".join([clean(p) for p in item.parties])
    if item.owner:
        detail += "; owner " + clean(item.owner)
    return _Line(
        commitment_id=item.commitment_id,
        url=item.url,
        action=clean(item.action),
        detail=detail,
        readout_title=clean(item.readout_title),
        meeting_date=item.meeting_date.isoformat(),
    )


def _escalated_line(section: str, item: EscalatedItem, today: dt.date) -> _Line:
    if section == "escalated":
        assert item.escalated_at is not None
        due = item.due_date.isoformat() if item.due_date else "no due date"
        detail = (
            f"due {due}, {(today - item.due_date).days if item.due_date else '?'} days overdue; "
            f"escalated {item.escalated_at.date().isoformat()} at {item.days_overdue} days"
        )
    else:
        assert item.new_due_date is not None
        detail = (
            f"{clean(item.requested_by or 'an officer')} asks to move it from "
            f"{item.due_date.isoformat() if item.due_date else '—'} to {item.new_due_date.isoformat()}: "
            f"{clean(item.reason or '')}"
        )
    if item.desk:
        detail += "; desk " + clean(item.desk)
    if item.owner:
        detail += "; owner " + clean(item.owner)
    return _Line(
        commitment_id=item.commitment_id,
        url=item.url,
        action=clean(item.action),
        detail=detail,
        readout_title=clean(item.readout_title),
        meeting_date=item.meeting_date.isoformat(),
    )


@dataclass(frozen=True)
class _ChangeLine:
    """One change by another officer, as both bodies show it ("Changes by others")."""

    commitment_id: int
    url: str
    action: str
    said: str
    note: str
    changed_at: str


def _change_line(change: NewsLine, base_url: str, zone: zoneinfo.ZoneInfo) -> _ChangeLine:
    return _ChangeLine(
        commitment_id=change.commitment_id,
        url=f"{base_url}/commitments/{change.commitment_id}",
        action=clean(change.action),
        said=clean(change.said),
        note=clean(change.note) if change.note else "",
        changed_at=change.changed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
    )


def officer_zone(officer: Officer) -> zoneinfo.ZoneInfo:
    """The officer's time zone (UTC when the stored name is not a known zone)."""
    try:
        return zoneinfo.ZoneInfo(officer.timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_today(officer: Officer, now: dt.datetime) -> dt.date:
    """The date on the officer's own calendar at `now`."""
    return now.astimezone(officer_zone(officer)).date()


def digest_slot(officer: Officer, now: dt.datetime) -> tuple[str, dt.datetime] | None:
    """The officer's digest slot that is due at `now` with the moment its period began (local
    midnight of the day, or of the ISO week's Monday), or None (digest off, or not yet time).

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
        slot_day = first_day = local.date()
        iso = None
    else:
        first_day = local.date() - dt.timedelta(days=local.weekday())
        slot_day = first_day + dt.timedelta(days=officer.digest_weekday)
        iso = slot_day.isocalendar()
    slot = dt.datetime.combine(slot_day, dt.time(officer.digest_hour), tzinfo=zone)
    # Both are in `zone`: this compares local wall-clock times, as the officer reads them.
    if local < slot:
        return None
    began = dt.datetime.combine(first_day, dt.time(0), tzinfo=zone)
    if iso is None:
        return f"daily:{slot_day.isoformat()}", began
    return f"weekly:{iso.year}-W{iso.week:02d}", began


def digest_period(officer: Officer, now: dt.datetime) -> str | None:
    """The officer's digest slot that is due at `now` (see `digest_slot`), or None."""
    slot = digest_slot(officer, now)
    return slot[0] if slot is not None else None


def _subject(today: dt.date, counts: dict[str, int], desks: Sequence[DeskSummary], changes: int = 0) -> str:
    parts = [
        f"{changes} change{'' if changes == 1 else 's'} by others" if changes else "",
        f"{counts['escalated']} escalated to you" if counts.get("escalated") else "",
        f"{counts['extensions']} extension requests" if counts.get("extensions") else "",
        f"{counts['overdue']} overdue" if counts["overdue"] else "",
        f"{counts['due_soon']} due this week" if counts["due_soon"] else "",
        f"{counts['stale']} stale" if counts["stale"] else "",
        f"{counts['waiting']} waiting on an event date" if counts["waiting"] else "",
    ]
    summary = ", ".join(p for p in parts if p)
    if not summary:
        summary = f"desk summary ({sum(d.overdue for d in desks)} overdue across desks)"
    return f"Follow-up digest {today.isoformat()}: {summary}"


@dataclass(frozen=True)
class DigestData:
    """What an officer's digest reports, before it is written out: the first items of each
    section, the exact counts, and (supervisors and admins) every desk's counts."""

    today: dt.date
    sections: dict[str, list[DigestItem]]
    counts: dict[str, int]
    desk_summary: list[DeskSummary]
    # Issue 17: "escalated" and "extensions", for the officers they are escalated to or wait on.
    escalated: dict[str, list[EscalatedItem]] = field(default_factory=dict)
    escalated_counts: dict[str, int] = field(default_factory=dict)
    # Issue 18: what others did to the reader's commitments that no mail has told yet (for those
    # who take their notifications in the digest), oldest first.
    changes: list[NewsLine] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return (
            not any(self.counts.values())
            and not self.desk_summary
            and not any(self.escalated_counts.values())
            and not self.changes
        )


def digest_data(
    session: Session,
    officer: Officer,
    now: dt.datetime,
    base_url: str,
    *,
    cache: dict[Any, Any] | None = None,
    outbox_id: int | None = None,
) -> DigestData:
    """The officer's digest data as of `now` (their local date), read from the database.

    `cache` may be shared between calls of one dispatch run, so that each desk's rows and the
    supervisors' summary by desk are read once per local date rather than once per officer.
    `outbox_id`: the digest being sent, whose "Changes by others" may repeat what it told at an
    earlier attempt (and none other's).
    """
    today = local_today(officer, now)
    sections, counts = read_sections(session, officer, today, base_url.rstrip("/"), cache)
    desks: list[DeskSummary] = []
    if sees_every_desk(officer):
        # What a summary may count depends on the desk (need-to-know, issue 19); admins see all.
        key = ("desk_summaries", today, None if sees_everything(officer) else officer.desk_id)
        if cache is not None and key in cache:
            desks = cache[key]
        else:
            desks = desk_summaries(session, today, viewer=officer)
            if cache is not None:
                cache[key] = desks
    base = base_url.rstrip("/")
    escalated, escalated_count = escalated_to(session, officer, base)
    extensions, extensions_count = extensions_awaiting(session, officer, base)
    changes: list[NewsLine] = []
    if not officer.notify_immediately:
        changes = notifications.describe(
            session, officer, notifications.for_mail(session, officer, outbox_id)
        )
    return DigestData(
        today,
        sections,
        counts,
        desks,
        {"escalated": escalated, "extensions": extensions},
        {"escalated": escalated_count, "extensions": extensions_count},
        changes,
    )


def render_digest(officer: Officer, data: DigestData, base_url: str) -> DigestContent | None:
    """The digest's subject and bodies (text and HTML), or None when there is nothing to report."""
    if data.empty:
        return None
    base_url = base_url.rstrip("/")
    today, sections, counts, desks = data.today, data.sections, data.counts, data.desk_summary
    context = {
        "officer": officer,
        "today": today,
        "base_url": base_url,
        "officer_name": clean(officer.name),
        "sections": [
            (
                SECTION_TITLES[s],
                s == "escalated",
                [_escalated_line(s, i, today) for i in data.escalated.get(s, [])],
                data.escalated_counts.get(s, 0),
            )
            for s in ("escalated", "extensions")
        ]
        + [
            (SECTION_TITLES[s], s == "overdue", [_line(s, i, today) for i in sections[s]], counts[s])
            for s in SECTIONS
        ],
        "desks": desks,
        "max_items": MAX_ITEMS_PER_SECTION,
        "changes": [
            _change_line(c, base_url, officer_zone(officer)) for c in data.changes[:MAX_ITEMS_PER_SECTION]
        ],
        "changes_count": len(data.changes),
    }
    return DigestContent(
        subject=clean(_subject(today, {**counts, **data.escalated_counts}, desks, len(data.changes))),
        text=_env.get_template("digest.txt").render(context),
        html=_env.get_template("digest.html").render(context),
        sections=sections,
        counts=counts,
        desk_summary=desks,
        told=tuple(c.id for c in data.changes),
    )


def build_digest(
    session: Session,
    officer: Officer,
    now: dt.datetime,
    base_url: str,
    *,
    cache: dict[Any, Any] | None = None,
    outbox_id: int | None = None,
) -> DigestContent | None:
    """The officer's digest as of `now` (their local date), written out; None when there is
    nothing to report. `cache` and `outbox_id`: as for `digest_data`."""
    data = digest_data(session, officer, now, base_url, cache=cache, outbox_id=outbox_id)
    return render_digest(officer, data, base_url)
