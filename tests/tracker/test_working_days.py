"""Working days and holidays per desk (issue 17): a desk that counts its post's working days counts
"promptly", an event's offset and the review cadence in them; every other desk keeps calendar days."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import followup_factories as f
from tests.factories import ingest, make_officer
from tracker.deadlines import CALENDAR_DAYS, DayCounter, DeadlineSettings, day_counter, parse_deadline
from tracker.extraction import extract
from tracker.models import Commitment, DeadlineType, Desk, Status
from tracker.services.commitments import update_commitment
from tracker.services.desk_policy import desk_days, update_policy
from tracker.services.events import set_event_date
from tracker.services.ingest_review import (
    Assignment,
    from_payload,
    resolve_deadlines,
    start_review,
    store_reviewed,
    to_payload,
)

MEETING = dt.date(2026, 12, 4)  # a Friday
NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
SETTINGS = DeadlineSettings()
READOUT = """Japan-Australia Foreign Ministers' Meeting

On December 4, 2026, the Foreign Minister of Japan met the Foreign Minister of Australia.

1. The two ministers agreed to promptly launch a working group on critical minerals.

2. The two ministers agreed to continue to cooperate closely on maritime security.

3. The two ministers agreed to hold the next meeting following the G20 Summit.
"""


def test_working_days_skip_the_weekend_and_the_public_holidays_of_the_post() -> None:
    japan = DayCounter("JP")
    assert japan.add(MEETING, 1) == dt.date(2026, 12, 7)  # Friday + 1: Monday
    assert japan.add(MEETING, 7) == dt.date(2026, 12, 15)
    assert japan.add(dt.date(2025, 12, 31), 1) == dt.date(2026, 1, 2)  # New Year's Day
    assert japan.add(dt.date(2026, 1, 9), 1) == dt.date(2026, 1, 13)  # Coming of Age Day, Mon 12th
    assert japan.add(dt.date(2026, 12, 7), -1) == MEETING
    # A post whose weekend is Friday and Saturday.
    saudi = DayCounter("SA")
    assert not saudi.is_working_day(dt.date(2026, 12, 4)) and saudi.is_working_day(dt.date(2026, 12, 6))
    assert saudi.add(dt.date(2026, 12, 3), 1) == dt.date(2026, 12, 6)
    assert CALENDAR_DAYS.add(MEETING, 7) == dt.date(2026, 12, 11)


def test_a_desk_counts_working_days_only_with_a_known_country() -> None:
    assert day_counter("calendar", "JP") == CALENDAR_DAYS
    assert day_counter("working", "jp") == DayCounter("JP")
    for mode, country in (("working", None), ("working", "XX"), ("fortnights", "JP")):
        with pytest.raises(ValueError):
            day_counter(mode, country)


def test_speed_words_remember_their_days_in_either_language() -> None:
    spec = parse_deadline("They agreed to promptly launch it.", MEETING)
    assert (spec.date, spec.counted_days) == (dt.date(2026, 12, 11), 7)
    named = parse_deadline("They agreed to launch it by December 20.", MEETING)
    assert named.counted_days is None
    ja = extract(
        "日豪外相会談\n\n1 両外相は、作業部会を速やかに立ち上げることで一致した。\n", MEETING, language="ja"
    )
    assert [c.deadline.counted_days for p in ja.points for c in p.commitments] == [7]


def _deadlines(readout_commitments: list[Commitment]) -> list[tuple[str, dt.date | None, dt.date | None]]:
    return [(c.deadline_type.value, c.due_date, c.review_date) for c in readout_commitments]


def _working(session: Session, name: str, country: str = "JP") -> Desk:
    desk = f.desk(session, name)
    update_policy(session, desk, country=country, day_count="working")
    return desk


def test_calendar_days_stay_the_default(session: Session) -> None:
    officer = make_officer(session, desk="Oceania Desk")
    readout = ingest(session, READOUT, MEETING, by=officer)
    stored = [c for p in readout.points for c in p.commitments]
    assert _deadlines(stored) == [
        ("date", dt.date(2026, 12, 11), None),
        ("ongoing", None, dt.date(2027, 1, 3)),
        ("event", None, None),
    ]


def test_a_working_day_desk_resolves_in_its_days_and_so_do_event_offsets(session: Session) -> None:
    _working(session, "Oceania Desk")
    officer = make_officer(session, desk="Oceania Desk")
    calendar_officer = make_officer(session, desk="Europe Desk")
    readout = ingest(session, READOUT, MEETING, by=officer)
    stored = [c for p in readout.points for c in p.commitments]
    # Seven working days in Japan from Friday 4 December; thirty for the review (New Year, weekends).
    assert _deadlines(stored) == [
        ("date", dt.date(2026, 12, 15), None),
        ("ongoing", None, dt.date(2027, 1, 19)),
        ("event", None, None),
    ]
    other = f.commitment(
        session,
        owner=calendar_officer,
        deadline_type=DeadlineType.EVENT,
        event_row=stored[2].event,
        offset_days=30,
    )
    # The summit's date set: the working desk's "following" counts 30 working days, the other desk
    # 30 calendar days, each in its own statement.
    set_event_date(session, "G20 Summit", dt.date(2027, 3, 1), by=None, now=NOW)
    session.expire_all()
    assert stored[2].due_date == DayCounter("JP").add(dt.date(2027, 3, 1), 30) == dt.date(2027, 4, 13)
    assert other.due_date == dt.date(2027, 3, 31)
    # An update resets the review clock in the desk's days.
    update_commitment(
        session, stored[1], by=officer, note="talked", now=NOW, settings=SETTINGS, status=Status.IN_PROGRESS
    )
    assert stored[1].review_date == dt.date(2027, 1, 19)


def test_the_preview_shows_the_desk_s_dates_and_a_reassigned_commitment_follows_its_desk(
    session: Session,
) -> None:
    _working(session, "Oceania Desk")
    officer = make_officer(session, desk="Oceania Desk")
    europe = f.desk(session, "Europe Desk")
    extracted = extract(READOUT, MEETING)
    review = start_review(extracted, officer, officer.desk)
    promptly = review.rows()[0][1]
    assert promptly.deadline.date == dt.date(2026, 12, 15)
    assert resolve_deadlines(session, extracted, desk_days(officer.desk))[
        (review.rows()[0][0].order, promptly.start, promptly.end)
    ].due_date == dt.date(2026, 12, 15)
    # Through the signed payload and back, the speed word keeps its days.
    review = from_payload(READOUT, to_payload(review))
    point, ongoing, _ = review.rows()[1]
    review.assignments[(point.order, ongoing.start, ongoing.end)] = Assignment(officer.id, europe.id)
    readout = store_reviewed(
        session, review, title=None, publisher=None, source=None, by=officer, now=NOW, settings=SETTINGS
    )
    rows = session.scalars(
        select(Commitment).where(Commitment.readout_id == readout.id).order_by(Commitment.id)
    )
    assert [(c.desk_id, c.due_date, c.review_date) for c in rows] == [
        (officer.desk_id, dt.date(2026, 12, 15), None),
        (europe.id, None, dt.date(2027, 1, 3)),  # moved to a calendar desk: 30 calendar days
        (officer.desk_id, None, None),
    ]
