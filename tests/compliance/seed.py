"""A seeded history for the compliance tests: two readouts, two desks, known outcomes.

The Australia readout and the earlier U.S. telephone talk are SYNTHETIC test texts written
for these tests, not published readouts; the 2018-06-06 readout is the shipped sample.
"""

# ruff: noqa: E501  (the synthetic readouts keep one paragraph per line, as readouts do)
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tests.conftest import SEED_READOUT
from tests.factories import ingest, make_officer
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment, Officer, Outcome, Readout, Status
from tracker.services.commitments import update_commitment
from tracker.services.compliance import set_outcome

SEED_DATE = dt.date(2018, 6, 6)
TODAY = dt.date(2018, 8, 1)

# SYNTHETIC test readout (not a published text): a second counterpart on another desk.
SYNTHETIC_AUSTRALIA = """Japan-Australia Foreign Ministers' Meeting (synthetic test readout)

On July 10, 2018, Foreign Minister Kono met the Foreign Minister of Australia. The overview is as follows.
1. Japan and Australia will hold a joint maritime security exercise by the end of 2018.
2. The two ministers exchanged views on the regional situation.
"""

# SYNTHETIC test readout (not a published text): an earlier meeting whose undertaking the
# sample readout's point 4 repeats.
SYNTHETIC_EARLIER_US = """Japan-U.S. Foreign Ministers' Telephone Talk (synthetic test readout)

On March 2, 2018, Foreign Minister Kono held a telephone talk with the Secretary of State of the United States. The overview is as follows.
1. The two ministers confirmed that Japan and the United States will continue working together to resolve the abductions issue.
2. Japan and the United States will hold a working-level dialogue on energy security before the end of June.
3. The two ministers exchanged views on the regional situation.
"""


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


@dataclass
class Seed:
    officer: Officer
    other_desk_officer: Officer
    us_readout: Readout
    au_readout: Readout
    coordinate: Commitment  # point 2 (Japan, US, ROK): due 06-30, done 06-30 23:30 UTC, fulfilled
    measures: Commitment  # point 2 (Japan, US): due 06-30, done 07-10, partial
    abductions: Commitment  # point 4 (Japan, US): ongoing, in progress, not fulfilled
    share: Commitment  # point 5 (Japan, US, ROK): due 06-15, open (overdue), too early
    exercise: Commitment  # Australia point 1 (Japan, Australia): dropped, not fulfilled


def seed_history(session: Session) -> Seed:
    settings = DeadlineSettings()
    officer = make_officer(session, desk="North America Desk")
    other = make_officer(session, desk="Oceania Desk")
    us = ingest(session, SEED_READOUT.read_text(encoding="utf-8"), SEED_DATE, by=officer, now=at(SEED_DATE))
    au_date = dt.date(2018, 7, 10)
    au = ingest(session, SYNTHETIC_AUSTRALIA, au_date, by=other, now=at(au_date))
    coordinate, measures, abductions, share = (c for p in us.points for c in p.commitments)
    (exercise,) = (c for p in au.points for c in p.commitments)

    def change(c: Commitment, when: dt.datetime, by: Officer = officer, **kw: object) -> None:
        update_commitment(session, c, by=by, note="seeded", now=when, settings=settings, **kw)  # type: ignore[arg-type]

    change(coordinate, at(SEED_DATE, 13), due_date=dt.date(2018, 6, 30))
    change(coordinate, at(dt.date(2018, 6, 30), 23, 30), status=Status.DONE)
    change(measures, at(SEED_DATE, 13), due_date=dt.date(2018, 6, 30))
    change(measures, at(dt.date(2018, 7, 10)), status=Status.DONE)
    change(abductions, at(dt.date(2018, 6, 20)), status=Status.IN_PROGRESS)
    change(share, at(SEED_DATE, 13), due_date=dt.date(2018, 6, 15))
    change(exercise, at(dt.date(2018, 7, 20)), by=other, status=Status.DROPPED)

    when = at(dt.date(2018, 7, 25))
    set_outcome(session, coordinate, Outcome.FULFILLED, by=officer, note="met", now=when)
    set_outcome(session, measures, Outcome.PARTIAL, by=officer, note="half", now=when)
    set_outcome(session, abductions, Outcome.NOT_FULFILLED, by=officer, note="stalled", now=when)
    set_outcome(session, share, Outcome.TOO_EARLY, by=officer, note="wait", now=when)
    set_outcome(session, exercise, Outcome.NOT_FULFILLED, by=other, note="called off", now=when)
    return Seed(officer, other, us, au, coordinate, measures, abductions, share, exercise)
