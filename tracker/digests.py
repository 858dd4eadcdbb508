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
from tracker.history_text import Say
from tracker.i18n import N_, day_in, how_long, localized, mail_language, say_in
from tracker.models import DigestFrequency, Officer
from tracker.services import notifications
from tracker.services.notifications import NewsLine
from tracker.services.permissions import hidden_ids, sees_every_desk, sees_everything

# In English; each digest translates them into its reader's language (tracker.i18n).
SECTION_TITLES = {
    # Issue 17: what is escalated to the reader, and extensions they are asked to decide.
    "escalated": N_("Escalated to you"),
    "extensions": N_("Extension requests awaiting your decision"),
    "overdue": N_("Overdue"),
    "due_soon": N_("Due in the next 7 days"),
    "stale": N_("Stale (review date passed with no update)"),
    "waiting": N_("Waiting on an event date"),
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


def _make_env() -> Environment:
    # The templates ship with the code: no need to stat them on every render.
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["clean"] = clean
    return env


# One environment per language, each with its translations installed (tracker.i18n).
_envs: dict[str, Environment] = {}


@dataclass(frozen=True)
class _Words:
    """How one digest writes what is not data: its language's gettext, dates and spans. English
    keeps the digest's own forms (ISO dates, "14 days overdue"); Japanese writes "2018年6月1日"
    and "8年"."""

    locale: str
    say: Say

    @property
    def comma(self) -> str:
        return "、" if self.locale == "ja" else ", "

    @property
    def semicolon(self) -> str:
        return "；" if self.locale == "ja" else "; "

    def day(self, value: dt.date) -> str:
        return day_in(value, self.locale)

    def overdue(self, days: int) -> str:
        return f"{days} days" if self.locale == "en" else how_long(days, self.locale)


def _words(officer: Officer) -> _Words:
    locale = mail_language(officer)
    return _Words(locale, say_in(locale))


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


def _when(section: str, item: DigestItem, today: dt.date, w: _Words) -> str:
    say = w.say
    if section == "overdue":
        assert item.due_date is not None
        return say(
            "due %(date)s (%(span)s overdue)",
            date=w.day(item.due_date),
            span=w.overdue((today - item.due_date).days),
        )
    if section == "due_soon":
        assert item.due_date is not None
        return say("due %(date)s", date=w.day(item.due_date))
    if section == "stale":
        assert item.review_date is not None
        return say("review date %(date)s passed with no update", date=w.day(item.review_date))
    return say("waiting on %(event)s (date unknown)", event=clean(item.event or say("an event")))


def _line(section: str, item: DigestItem, today: dt.date, w: _Words) -> _Line:
    detail = _when(section, item, today, w)
    if item.parties:
        detail += w.semicolon + w.comma.join([clean(p) for p in item.parties])
    if item.owner:
        detail += w.semicolon + w.say("owner %(name)s", name=clean(item.owner))
    return _Line(
        commitment_id=item.commitment_id,
        url=item.url,
        action=clean(item.action),
        detail=detail,
        readout_title=clean(item.readout_title),
        meeting_date=w.day(item.meeting_date),
    )


def _escalated_line(section: str, item: EscalatedItem, today: dt.date, w: _Words) -> _Line:
    say = w.say
    if section == "escalated":
        assert item.escalated_at is not None
        detail = say(
            "due %(date)s, %(span)s overdue; escalated %(escalated)s at %(days)s days",
            date=w.day(item.due_date) if item.due_date else say("no due date"),
            span=w.overdue((today - item.due_date).days) if item.due_date else say("? days"),
            escalated=w.day(item.escalated_at.date()),
            days=item.days_overdue,
        )
    else:
        assert item.new_due_date is not None
        detail = say(
            "%(who)s asks to move it from %(old)s to %(new)s: %(reason)s",
            who=clean(item.requested_by or say("an officer")),
            old=w.day(item.due_date) if item.due_date else "—",
            new=w.day(item.new_due_date),
            reason=clean(item.reason or ""),
        )
    if item.desk:
        detail += w.semicolon + say("desk %(name)s", name=clean(item.desk))
    if item.owner:
        detail += w.semicolon + say("owner %(name)s", name=clean(item.owner))
    return _Line(
        commitment_id=item.commitment_id,
        url=item.url,
        action=clean(item.action),
        detail=detail,
        readout_title=clean(item.readout_title),
        meeting_date=w.day(item.meeting_date),
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


def _subject(
    today: dt.date, counts: dict[str, int], desks: Sequence[DeskSummary], w: _Words, changes: int = 0
) -> str:
    say = w.say
    parts = [
        (say("1 change by others") if changes == 1 else say("%(n)s changes by others", n=changes))
        if changes
        else "",
        say("%(n)s escalated to you", n=counts["escalated"]) if counts.get("escalated") else "",
        say("%(n)s extension requests", n=counts["extensions"]) if counts.get("extensions") else "",
        say("%(n)s overdue", n=counts["overdue"]) if counts["overdue"] else "",
        say("%(n)s due this week", n=counts["due_soon"]) if counts["due_soon"] else "",
        say("%(n)s stale", n=counts["stale"]) if counts["stale"] else "",
        say("%(n)s waiting on an event date", n=counts["waiting"]) if counts["waiting"] else "",
    ]
    summary = w.comma.join(p for p in parts if p)
    if not summary:
        summary = say("desk summary (%(n)s overdue across desks)", n=sum(d.overdue for d in desks))
    return say("Follow-up digest %(date)s: %(summary)s", date=w.day(today), summary=summary)


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
    # What the officer may not see (need-to-know), read once for every section.
    hidden = hidden_ids(session, officer)
    sections, counts = read_sections(session, officer, today, base_url.rstrip("/"), cache, hidden)
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
    escalated, escalated_count = escalated_to(session, officer, base, hidden)
    extensions, extensions_count = extensions_awaiting(session, officer, base, hidden)
    changes: list[NewsLine] = []
    if not officer.notify_immediately:
        # In the officer's words, like the rest of their digest.
        w = _words(officer)
        changes = notifications.describe(
            session, officer, notifications.for_mail(session, officer, outbox_id), say=w.say, locale=w.locale
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
    w = _words(officer)
    env = localized(_make_env, w.locale, _envs)
    context = {
        "officer": officer,
        "today": today,
        "base_url": base_url,
        "officer_name": clean(officer.name),
        "today_said": w.day(today),
        "sections": [
            (
                w.say(SECTION_TITLES[s]),
                s == "escalated",
                [_escalated_line(s, i, today, w) for i in data.escalated.get(s, [])],
                data.escalated_counts.get(s, 0),
            )
            for s in ("escalated", "extensions")
        ]
        + [
            (
                w.say(SECTION_TITLES[s]),
                s == "overdue",
                [_line(s, i, today, w) for i in sections[s]],
                counts[s],
            )
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
        subject=clean(_subject(today, {**counts, **data.escalated_counts}, desks, w, len(data.changes))),
        text=env.get_template("digest.txt").render(context),
        html=env.get_template("digest.html").render(context),
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
