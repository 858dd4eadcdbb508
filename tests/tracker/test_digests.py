"""Digest content and digest slots: what an officer is told, and when."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from tests import followup_factories as f
from tracker.digests import (
    MAX_ITEMS_PER_SECTION,
    build_digest,
    digest_period,
)
from tracker.models import DeadlineType, DigestFrequency, Event, Role, Status
from tracker.services.outbox import new_message_id

NOW = dt.datetime(2018, 6, 15, 8, 0, tzinfo=dt.UTC)
BASE = "https://tracker.example.org"
HOSTILE = "Hand over <script>alert('x')</script> & the \u202eannex\u202c"


def _seed(session: Session) -> dict[str, object]:
    me = f.officer(session, desk_name="Japan Desk", name="Kono Taro")
    colleague = f.officer(session, desk_name="Japan Desk")
    elsewhere = f.officer(session, desk_name="Korea Desk")
    summit = f.event(session, "Japan-China-ROK Trilateral Summit")
    c = {
        "overdue": f.commitment(
            session, owner=me, action=HOSTILE, due_date=dt.date(2018, 6, 10), parties=["Japan", "USA"]
        ),
        "desk_overdue": f.commitment(session, owner=colleague, due_date=dt.date(2018, 6, 1)),
        "due_soon": f.commitment(session, owner=me, due_date=dt.date(2018, 6, 22)),
        "due_today": f.commitment(session, owner=me, due_date=dt.date(2018, 6, 15)),
        "later": f.commitment(session, owner=me, due_date=dt.date(2018, 6, 23)),
        "stale": f.commitment(
            session, owner=me, deadline_type=DeadlineType.ONGOING, review_date=dt.date(2018, 6, 12)
        ),
        "waiting": f.commitment(session, owner=me, deadline_type=DeadlineType.EVENT, event_row=summit),
        "done": f.commitment(session, owner=me, due_date=dt.date(2018, 6, 1), status=Status.DONE),
        "other_desk": f.commitment(session, owner=elsewhere, due_date=dt.date(2018, 6, 1)),
    }
    return {"me": me, "colleague": colleague, "elsewhere": elsewhere, **c}


def _ids(content, section: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [i.commitment_id for i in content.sections[section]]


def test_digest_content_for_a_seeded_officer(session: Session) -> None:
    s = _seed(session)
    content = build_digest(session, s["me"], NOW, BASE + "/")  # type: ignore[arg-type]
    assert content is not None
    assert _ids(content, "overdue") == [s["desk_overdue"].id, s["overdue"].id]  # type: ignore[attr-defined]
    assert _ids(content, "due_soon") == [s["due_today"].id, s["due_soon"].id]  # type: ignore[attr-defined]
    assert _ids(content, "stale") == [s["stale"].id]  # type: ignore[attr-defined]
    assert _ids(content, "waiting") == [s["waiting"].id]  # type: ignore[attr-defined]
    assert content.counts == {"overdue": 2, "due_soon": 2, "stale": 1, "waiting": 1}
    assert content.desk_summary == []
    assert content.subject == (
        "Follow-up digest 2018-06-15: 2 overdue, 2 due this week, 1 stale, 1 waiting on an event date"
    )
    overdue = content.sections["overdue"][1]
    assert overdue.url == f"{BASE}/commitments/{overdue.commitment_id}"
    assert overdue.parties == ("Japan", "USA")

    for item in (i for items in content.sections.values() for i in items):
        assert f"{BASE}/commitments/{item.commitment_id}" in content.text
        assert f'href="{BASE}/commitments/{item.commitment_id}"' in content.html
    # Readout text is escaped in the HTML and stripped of bidi overrides in both bodies.
    assert "<script>" not in content.html
    assert "Hand over &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; the annex" in content.html
    assert "Hand over <script>alert('x')</script> & the annex" in content.text
    assert "\u202e" not in content.text + content.html
    assert "5 days overdue" in content.text
    assert "waiting on Japan-China-ROK Trilateral Summit (date unknown)" in content.text
    assert "OVERDUE:" in content.html  # not by colour alone


def test_nothing_to_report_means_no_digest(session: Session) -> None:
    s = _seed(session)
    idle = f.officer(session, desk_name="Idle Desk")
    f.commitment(session, owner=idle, due_date=dt.date(2018, 9, 1))
    assert build_digest(session, idle, NOW, BASE) is None
    assert build_digest(session, s["elsewhere"], NOW, BASE) is not None  # type: ignore[arg-type]


def test_supervisors_get_a_summary_by_desk(session: Session) -> None:
    s = _seed(session)
    boss = f.officer(session, desk_name=None, role=Role.SUPERVISOR)
    cache: dict[object, object] = {}
    content = build_digest(session, boss, NOW, BASE, cache=cache)
    assert content is not None
    summary = {d.desk: (d.overdue, d.due_soon, d.stale, d.waiting) for d in content.desk_summary}
    assert summary["Japan Desk"] == (2, 2, 1, 1)
    assert summary["Korea Desk"] == (1, 0, 0, 0)
    assert "By desk" in content.text and "Korea Desk" in content.html
    assert content.counts == {"overdue": 0, "due_soon": 0, "stale": 0, "waiting": 0}
    # A second supervisor in the same run reuses the summary.
    other = f.officer(session, desk_name=None, role=Role.SUPERVISOR)
    assert build_digest(session, other, NOW, BASE, cache=cache).desk_summary is content.desk_summary  # type: ignore[union-attr]
    assert s["me"] is not None


def test_long_sections_are_cut_with_the_exact_count(session: Session) -> None:
    me = f.officer(session, desk_name="Busy Desk")
    for day in range(MAX_ITEMS_PER_SECTION + 5):
        f.commitment(session, owner=me, due_date=dt.date(2018, 5, 1) + dt.timedelta(days=day))
    content = build_digest(session, me, NOW, BASE)
    assert content is not None
    assert content.counts["overdue"] == MAX_ITEMS_PER_SECTION + 5
    assert len(content.sections["overdue"]) == MAX_ITEMS_PER_SECTION
    assert "... and 5 more" in content.text


def test_statements_do_not_grow_with_the_data(session: Session, engine: Engine) -> None:
    me = f.officer(session, desk_name="Counted Desk")

    def statements() -> int:
        seen: list[str] = []

        def count(*_args: object) -> None:
            seen.append("x")

        event.listen(engine, "before_cursor_execute", count)
        try:
            build_digest(session, me, NOW, BASE)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    f.commitment(session, owner=me, due_date=dt.date(2018, 6, 1), parties=["Japan"])
    few = statements()
    for _ in range(10):
        f.commitment(session, owner=me, due_date=dt.date(2018, 6, 1), parties=["Japan", "China"])
        f.commitment(session, owner=me, deadline_type=DeadlineType.NONE, review_date=dt.date(2018, 6, 1))
    assert statements() == few


@pytest.mark.parametrize(
    ("zone", "local_hour_utc", "period"),
    [
        # 08:00 in Tokyo is 23:00 UTC the day before.
        ("Asia/Tokyo", dt.datetime(2018, 6, 14, 23, 0, tzinfo=dt.UTC), "daily:2018-06-15"),
        # 08:00 in Washington (EDT, UTC-4 in June) is 12:00 UTC.
        ("America/New_York", dt.datetime(2018, 6, 15, 12, 0, tzinfo=dt.UTC), "daily:2018-06-15"),
        # In January Washington is on EST (UTC-5).
        ("America/New_York", dt.datetime(2018, 1, 15, 13, 0, tzinfo=dt.UTC), "daily:2018-01-15"),
    ],
)
def test_daily_period_follows_the_officers_own_clock(
    session: Session, zone: str, local_hour_utc: dt.datetime, period: str
) -> None:
    officer = f.officer(session, timezone=zone)
    minute = dt.timedelta(minutes=1)
    assert digest_period(officer, local_hour_utc - minute) is None
    assert digest_period(officer, local_hour_utc) == period
    # Late is still today's digest, until local midnight.
    assert digest_period(officer, local_hour_utc + dt.timedelta(hours=15, minutes=59)) == period


def test_weekly_and_off(session: Session) -> None:
    monday_9_utc = dt.datetime(2018, 6, 11, 9, 0, tzinfo=dt.UTC)
    weekly = f.officer(session, frequency=DigestFrequency.WEEKLY, weekday=0, hour=9)
    assert digest_period(weekly, monday_9_utc - dt.timedelta(seconds=1)) is None
    assert digest_period(weekly, monday_9_utc) == "weekly:2018-W24"
    assert digest_period(weekly, monday_9_utc + dt.timedelta(days=6, hours=14)) == "weekly:2018-W24"
    assert digest_period(weekly, monday_9_utc + dt.timedelta(days=7)) == "weekly:2018-W25"
    friday = f.officer(session, frequency=DigestFrequency.WEEKLY, weekday=4, hour=9)
    assert digest_period(friday, monday_9_utc) is None

    off = f.officer(session, frequency=DigestFrequency.OFF)
    assert digest_period(off, monday_9_utc) is None
    inactive = f.officer(session)
    inactive.is_active = False
    assert digest_period(inactive, monday_9_utc) is None


def test_message_ids_are_unique_and_well_formed() -> None:
    a = new_message_id(7, "weekly:2018-W24", "Tracker <tracker@mofa.example>")
    b = new_message_id(7, "weekly:2018-W24", "tracker@mofa.example")
    assert a != b
    assert a.startswith("<digest.7.weekly-2018-W24.") and a.endswith("@mofa.example>")


def test_the_union_of_own_and_desk_rows_is_cut_in_order_with_exact_counts(session: Session) -> None:
    """Own rows on another desk or on none join the desk's; each row counts once; the first
    rows come from both parts and both active statuses, in the section's order."""
    me = f.officer(session, desk_name="Japan Desk")
    colleague = f.officer(session, desk_name="Japan Desk")
    korea = f.desk(session, "Korea Desk")
    start = dt.date(2018, 3, 1)
    expected = []
    for n in range(30):  # the desk's: even days, alternating statuses
        status = Status.IN_PROGRESS if n % 3 else Status.OPEN
        c = f.commitment(session, owner=colleague, due_date=start + dt.timedelta(days=2 * n), status=status)
        expected.append(c)
    for n in range(5):  # mine on another desk: odd days
        expected.append(
            f.commitment(session, owner=me, desk_row=korea, due_date=start + dt.timedelta(days=2 * n + 1))
        )
    mine_on_no_desk = f.commitment(session, owner=me, due_date=start + dt.timedelta(days=3))
    mine_on_no_desk.desk = None
    expected.append(mine_on_no_desk)
    expected.append(f.commitment(session, owner=me, due_date=start + dt.timedelta(days=3)))  # mine, my desk
    f.commitment(session, owner=f.officer(session, desk_name="Korea Desk"), due_date=start)  # not mine
    # Stale and waiting, on another desk, in progress.
    stale = f.commitment(
        session, owner=me, desk_row=korea, deadline_type=DeadlineType.ONGOING,
        review_date=dt.date(2018, 6, 1), status=Status.IN_PROGRESS,
    )  # fmt: skip
    b, a = f.event(session, "B Summit"), f.event(session, "A Summit")
    waiting_b = f.commitment(session, owner=colleague, deadline_type=DeadlineType.EVENT, event_row=b)
    waiting_a = f.commitment(session, owner=me, desk_row=korea, deadline_type=DeadlineType.EVENT, event_row=a)
    session.flush()

    content = build_digest(session, me, NOW, BASE)
    assert content is not None
    assert content.counts == {"overdue": len(expected), "due_soon": 0, "stale": 1, "waiting": 2}
    first = sorted(expected, key=lambda c: (c.due_date, c.id))[:MAX_ITEMS_PER_SECTION]
    assert _ids(content, "overdue") == [c.id for c in first]
    assert _ids(content, "stale") == [stale.id]
    assert _ids(content, "waiting") == [waiting_a.id, waiting_b.id]
    assert f"... and {len(expected) - MAX_ITEMS_PER_SECTION} more" in content.text
    # The same within a dispatch run, where who owns rows on other desks is read once for all.
    assert build_digest(session, me, NOW, BASE, cache={}) == content

    # An officer with no desk: only their own rows, wherever they are.
    alone = f.officer(session, desk_name=None)
    theirs = f.commitment(session, owner=alone, desk_row=korea, due_date=start)
    session.flush()
    solo = build_digest(session, alone, NOW, BASE)
    assert solo is not None and _ids(solo, "overdue") == [theirs.id]
    assert solo.counts == {"overdue": 1, "due_soon": 0, "stale": 0, "waiting": 0}


def test_a_shared_cache_reads_each_desk_once_and_changes_nothing(session: Session, engine: Engine) -> None:
    s = _seed(session)
    f.commitment(session, owner=s["colleague"], status=Status.IN_PROGRESS, due_date=dt.date(2018, 6, 2))  # type: ignore[arg-type]
    session.flush()
    officers = [s["me"], s["colleague"], s["elsewhere"]]
    alone = [build_digest(session, o, NOW, BASE) for o in officers]  # type: ignore[arg-type]

    seen: list[str] = []

    def record(conn, cursor, statement, *_args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    cache: dict[object, object] = {}
    event.listen(engine, "before_cursor_execute", record)
    try:
        shared = []
        statements = []
        for officer in officers:
            before = len(seen)
            shared.append(build_digest(session, officer, NOW, BASE, cache=cache))  # type: ignore[arg-type]
            statements.append(len(seen) - before)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    for a, b in zip(alone, shared, strict=True):
        assert a is not None and b is not None
        assert (a.subject, a.text, a.html, a.counts, a.sections) == (
            b.subject,
            b.text,
            b.html,
            b.counts,
            b.sections,
        )
    # The colleague's digest reuses the desk's part that the run has read; whether they own
    # rows on other desks is still asked (a few index probes in one statement): nobody here
    # does, so no one's own part is read.
    assert statements[1] == statements[0] - 1


def _expected(
    rows: list[object], officer: object, today: dt.date
) -> tuple[dict[str, list[int]], dict[str, int]]:
    """The digest's sections worked out in Python from every row: the officer's own and their
    desk's active rows, each section in its order (dates, or the event's name by code point with
    no name first), then id."""
    soon = today + dt.timedelta(days=7)
    keys: dict[str, list[tuple[object, int]]] = {s: [] for s in ("overdue", "due_soon", "stale", "waiting")}
    for c in rows:
        mine = c.owner_id == officer.id or (officer.desk_id is not None and c.desk_id == officer.desk_id)  # type: ignore[attr-defined]
        if not mine or c.status not in (Status.OPEN, Status.IN_PROGRESS):  # type: ignore[attr-defined]
            continue
        if c.due_date is not None and c.due_date < today:  # type: ignore[attr-defined]
            keys["overdue"].append((c.due_date, c.id))  # type: ignore[attr-defined]
        if c.due_date is not None and today <= c.due_date <= soon:  # type: ignore[attr-defined]
            keys["due_soon"].append((c.due_date, c.id))  # type: ignore[attr-defined]
        if c.review_date is not None and c.review_date < today:  # type: ignore[attr-defined]
            keys["stale"].append((c.review_date, c.id))  # type: ignore[attr-defined]
        if c.deadline_type == DeadlineType.EVENT and c.due_date is None:  # type: ignore[attr-defined]
            name = c.event.name if c.event is not None else None  # type: ignore[attr-defined]
            keys["waiting"].append(((name is not None, name or ""), c.id))  # type: ignore[attr-defined]
    first = {s: [i for _k, i in sorted(v)[:MAX_ITEMS_PER_SECTION]] for s, v in keys.items()}
    return first, {s: len(v) for s, v in keys.items()}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_sections_match_a_plain_reading_of_every_row(session: Session, seed: int) -> None:
    """Many rows over two desks, both active statuses and closed ones, the officer's own rows on
    another desk and on none, events of the same name, names that sort differently by case or
    accent, and rows waiting on no event: each section's first rows and count are those a plain
    reading of every row gives, alone and within a dispatch run."""
    import random

    if seed == 4 and session.get_bind().dialect.name == "postgresql":
        # A server that writes dates day first: the parts are merged on dates, not their text.
        session.execute(text("SET LOCAL datestyle = 'SQL, DMY'"))
    rnd = random.Random(seed)
    me = f.officer(session, desk_name="Japan Desk")
    colleague = f.officer(session, desk_name="Japan Desk")
    alone = f.officer(session, desk_name=None)
    other = f.officer(session, desk_name="Korea Desk")
    korea = f.desk(session, "Korea Desk")
    # Two events of one name ("Zeta Talks", told apart by their keys): their rows interleave by id.
    names = [
        "G7 Summit",
        "g7 Summit",
        "APEC Leaders' Meeting",
        "Ärzte Forum",
        "Zeta Talks",
        "apec",
        "Zeta Talks",
    ]
    events = [Event(name=n, key=f"digest-order-{i}", aliases=[]) for i, n in enumerate(names)]
    session.add_all(events)
    source = f.readout(session)
    statuses = [Status.OPEN, Status.OPEN, Status.IN_PROGRESS, Status.DONE, Status.DROPPED]
    rows = []
    for _ in range(500):
        owner = rnd.choice([me, colleague, alone, other, None])
        desk_row = rnd.choice([owner.desk if owner is not None else None, korea, None, me.desk])
        kind = rnd.choice(["dated", "dated", "ongoing", "event", "event"])
        day = dt.date(2018, 6, 15) + dt.timedelta(days=rnd.randint(-40, 20))
        c = f.commitment(
            session,
            owner=owner,
            desk_row=desk_row,
            source=source,
            status=rnd.choice(statuses),
            deadline_type={
                "dated": DeadlineType.DATE,
                "ongoing": DeadlineType.ONGOING,
                "event": DeadlineType.EVENT,
            }[kind],
            due_date=day if kind == "dated" else None,
            review_date=day if kind == "ongoing" or rnd.random() < 0.2 else None,
            event_row=rnd.choice([*events, None]) if kind == "event" else None,
        )
        c.desk = desk_row
        rows.append(c)
    session.flush()
    cache: dict[object, object] = {}
    for officer in (me, colleague, alone, other):
        expected, counts = _expected(rows, officer, NOW.date())
        if officer is me:  # the cut is exercised: the first rows are chosen among more
            assert counts["overdue"] > MAX_ITEMS_PER_SECTION and counts["waiting"] > MAX_ITEMS_PER_SECTION
        for shared in (None, cache):
            content = build_digest(session, officer, NOW, BASE, cache=shared)
            assert content is not None
            assert content.counts == counts
            assert {s: _ids(content, s) for s in expected} == expected


def test_waiting_rows_of_events_of_one_name_interleave_at_the_cut(session: Session) -> None:
    """The cut falls within two events of one name: their first rows come by id, from both."""
    me = f.officer(session, desk_name="Japan Desk")
    first = Event(name="A Summit", key="digest-cut-a", aliases=[])
    twins = [Event(name="B Summit", key=f"digest-cut-b{i}", aliases=[]) for i in range(2)]
    session.add_all([first, *twins])
    source = f.readout(session)

    def waiting(event: Event) -> int:
        row = f.commitment(
            session, owner=me, source=source, deadline_type=DeadlineType.EVENT, event_row=event
        )
        return row.id

    a_rows = [waiting(first) for _ in range(MAX_ITEMS_PER_SECTION - 5)]
    b_rows = [waiting(twins[n % 2]) for n in range(20)]  # alternating between the twins
    content = build_digest(session, me, NOW, BASE)
    assert content is not None
    assert content.counts["waiting"] == len(a_rows) + len(b_rows)
    assert _ids(content, "waiting") == a_rows + b_rows[:5]
