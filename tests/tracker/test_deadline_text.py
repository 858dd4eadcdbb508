"""Deadlines said as people say them (tracker.deadline_text), not as extraction fragments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.support import Translations

from tracker.deadline_text import describe_deadline
from tracker.models import Commitment, DeadlineType, Event, Relation


def _event(date: dt.date | None) -> Event:
    return Event(name="U.S.-North Korea Summit Meeting", key="us-nk", date=date)


def test_an_event_deadline_says_how_long_after_which_event_and_its_date() -> None:
    c = Commitment(
        deadline_type=DeadlineType.EVENT,
        deadline_text="to ensure that the U.S.-North Korea Summit Meeting",
        deadline_relation=Relation.AFTER,
        deadline_offset_days=7,
        event=_event(dt.date(2018, 6, 12)),
    )
    assert describe_deadline(c) == "7 days after the U.S.-North Korea Summit Meeting (12 Jun 2018)"


def test_an_event_without_a_date_says_so() -> None:
    c = Commitment(
        deadline_type=DeadlineType.EVENT,
        deadline_relation=Relation.BEFORE,
        deadline_offset_days=0,
        event=_event(None),
    )
    assert describe_deadline(c) == "before the U.S.-North Korea Summit Meeting (date not known yet)"


def test_a_date_deadline_keeps_short_words_with_the_date() -> None:
    c = Commitment(
        deadline_type=DeadlineType.DATE, deadline_text="by the end of June", due_date=dt.date(2018, 6, 30)
    )
    assert describe_deadline(c) == "by the end of June (30 Jun 2018)"
    c = Commitment(deadline_type=DeadlineType.DATE, deadline_text=None, due_date=dt.date(2018, 6, 30))
    assert describe_deadline(c) == "by 30 Jun 2018"


def test_ongoing_and_none() -> None:
    assert describe_deadline(Commitment(deadline_type=DeadlineType.ONGOING)) == "ongoing"
    assert describe_deadline(Commitment(deadline_type=DeadlineType.NONE)) == "no deadline"


def test_a_deadline_is_said_in_the_language_of_the_catalog_passed_in() -> None:
    """The web app passes its Japanese catalog (web/translations) and locale: the same sentences,
    with no English article and the date written as Japanese text writes it."""
    catalog = Translations.load(str(Path(__file__).parents[2] / "web" / "translations"), ["ja"])

    def say(msgid: str, **values: object) -> str:
        return catalog.gettext(msgid) % values if values else catalog.gettext(msgid)

    after = Commitment(
        deadline_type=DeadlineType.EVENT,
        deadline_relation=Relation.AFTER,
        deadline_offset_days=7,
        event=_event(dt.date(2018, 6, 12)),
    )
    assert (
        describe_deadline(after, say=say, locale="ja")
        == "U.S.-North Korea Summit Meetingの7日後（2018年6月12日）"
    )
    before = Commitment(
        deadline_type=DeadlineType.EVENT, deadline_relation=Relation.BEFORE, event=_event(None)
    )
    assert (
        describe_deadline(before, say=say, locale="ja") == "U.S.-North Korea Summit Meetingの前（日付未定）"
    )
    dated = Commitment(
        deadline_type=DeadlineType.DATE, deadline_text="by the end of June", due_date=dt.date(2018, 6, 30)
    )
    assert describe_deadline(dated, say=say, locale="ja") == "2018年6月30日まで"
