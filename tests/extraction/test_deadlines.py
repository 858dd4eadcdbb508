"""The deadline grammar, event keys and due-date resolution (tracker/deadlines.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.deadlines import (
    DeadlineSettings,
    event_key,
    find_registered_event,
    parse_deadline,
    resolve_due_date,
)
from tracker.extraction.types import DeadlineSpec

MEETING = dt.date(2018, 6, 6)


@pytest.mark.parametrize(
    ("clause", "text", "due"),
    [
        ("he would immediately convey the message", "immediately", dt.date(2018, 6, 7)),
        ("they will coordinate toward holding talks promptly", "promptly", dt.date(2018, 6, 13)),
        ("to conclude the negotiations as soon as possible", "as soon as possible", dt.date(2018, 7, 6)),
        ("to hold a meeting at an early date", "at an early date", dt.date(2018, 7, 6)),
        ("at the earliest possible opportunity", "at the earliest possible opportunity", dt.date(2018, 7, 6)),
        ("to visit Japan this year", "this year", dt.date(2018, 12, 31)),
        ("to meet around mid-February", "around mid-February", dt.date(2019, 2, 15)),
        ("to hold the dialogue this summer", "this summer", dt.date(2018, 8, 31)),
        ("to meet the following day", "the following day", dt.date(2018, 6, 7)),
        ("to reply within two weeks", "within two weeks", dt.date(2018, 6, 20)),
        ("to finish by the end of the year", "by the end of the year", dt.date(2018, 12, 31)),
        ("to meet next month", "next month", dt.date(2018, 7, 31)),
        ("to agree in the first half of this year", "in the first half of this year", dt.date(2018, 6, 30)),
        ("to hold it early next year", "early next year", dt.date(2019, 3, 31)),
        ("to sign by June 15", "by June 15", dt.date(2018, 6, 15)),
        ("to sign by the end of September", "by the end of September", dt.date(2018, 9, 30)),
        # Synthetic: the twelve months ahead, not the next calendar year.
        ("to deepen cooperation in the coming year", "in the coming year", dt.date(2019, 6, 6)),
        ("agreed to hold an early bilateral meeting", "an early bilateral meeting", dt.date(2018, 7, 6)),
        ("to meet again in the very near future", "in the very near future", dt.date(2018, 7, 6)),
    ],
)
def test_date_words_resolve_against_the_meeting_date(clause: str, text: str, due: dt.date) -> None:
    spec = parse_deadline(clause, MEETING)
    assert spec.type == "date"
    assert spec.text == text
    assert spec.date == due
    assert resolve_due_date(spec, MEETING, None) == due


@pytest.mark.parametrize(
    ("clause", "event", "relation", "offset"),
    [
        (
            "will promptly share information following the U.S.-North Korea Summit Meeting",
            "U.S.-North Korea Summit Meeting",
            "after",
            7,
        ),
        ("will share information after the G7 Summit", "G7 Summit", "after", 30),
        ("to coordinate ahead of the G7 Hiroshima Summit", "G7 Hiroshima Summit", "before", 0),
        (
            "to ensure that the U.S.-North Korea Summit Meeting contributes to peace",
            "U.S.-North Korea Summit Meeting",
            "before",
            0,
        ),
        ("to work closely, including at the G7 Summit in June", "G7 Summit", "at", 0),
        ("to cooperate for a successful outcome of the London Summit", "London Summit", "before", 0),
        ("to discuss it at the 2+2", "2+2", "at", 0),
        # Synthetic: the ways other governments say that work is for an event ahead.
        ("to work together with a view to the COP26 in Glasgow", "COP26", "before", 0),
        (
            "to cooperate to make sure the G20 Osaka Summit will achieve a full success",
            "G20 Osaka Summit",
            "before",
            0,
        ),
        ("to contribute to the success of the Rio+20 Conference", "Rio+20 Conference", "before", 0),
        ("to ensure the complete success of the APEC Leaders' Meeting", "APEC Leaders' Meeting", "before", 0),
        # Synthetic: "run up" and "lead up" written without their hyphen, and "heading into".
        ("to coordinate closely in the run up to the NATO Summit", "NATO Summit", "before", 0),
        (
            "to stay in close touch in the lead up to the Pacific Islands Forum",
            "Pacific Islands Forum",
            "before",
            0,
        ),
        ("to work together heading into the G20", "G20", "before", 0),
        ("to keep coordinating going into the ASEAN Regional Forum", "ASEAN Regional Forum", "before", 0),
        # Synthetic: an event's own date written before its name is no part of the name.
        ("to coordinate in the run-up to the October 23 EU Summit", "EU Summit", "before", 0),
        ("to work together ahead of the November 3-4 G20 Summit", "G20 Summit", "before", 0),
    ],
)
def test_event_anchors_decide_the_type(clause: str, event: str, relation: str, offset: int) -> None:
    spec = parse_deadline(clause, MEETING)
    assert (spec.type, spec.event, spec.relation, spec.offset_days) == ("event", event, relation, offset)
    assert spec.text is not None and spec.text in clause


def test_settings_change_the_offsets() -> None:
    settings = DeadlineSettings(
        promptly_after_event_days=3, after_event_days=10, immediately_days=2, promptly_days=5
    )
    assert parse_deadline("will promptly act following the G7 Summit", MEETING, settings).offset_days == 3
    assert parse_deadline("will act after the G7 Summit", MEETING, settings).offset_days == 10
    assert parse_deadline("will act immediately", MEETING, settings).date == dt.date(2018, 6, 8)
    assert parse_deadline("will act promptly", MEETING, settings).date == dt.date(2018, 6, 11)


def test_past_events_and_goals_are_not_deadlines() -> None:
    # "an early resolution" is a goal, not an early date (unlike "an early meeting").
    assert parse_deadline("to work for an early resolution of the issue", MEETING).type != "date"
    assert parse_deadline("building on the recent Camp David Summit, to cooperate", MEETING).type == "ongoing"
    # "heading into" a season or a year is no event.
    assert parse_deadline("to keep working together heading into winter", MEETING).type == "ongoing"
    assert parse_deadline("to coordinate toward the signing of an agreement", MEETING).type == "ongoing"
    assert (
        parse_deadline("to utilize the opportunities at future international conferences", MEETING).type
        == "ongoing"
    )


def test_continuing_and_one_off_actions_without_time() -> None:
    assert parse_deadline("will continue to work closely together", MEETING) == DeadlineSpec(type="ongoing")
    assert parse_deadline("will send a letter", MEETING).type == "none"


def test_date_without_meeting_date_has_no_date() -> None:
    spec = parse_deadline("will act promptly", None)
    assert spec.type == "date" and spec.date is None


def test_event_key_ignores_small_variations() -> None:
    base = event_key("U.S.-North Korea Summit")
    assert event_key("U.S.-North Korea SummitMeeting") == base
    assert event_key("U.S.-North Korea Summit Meeting") == base
    assert event_key("the U.S.-North Korea Summit meeting.") == base
    assert event_key("G7 Summit (Cornwall)") == event_key("the G7 Summit")
    assert event_key("Japan-U.S. Summit Meeting") != base


def test_registry_lookup_and_due_dates() -> None:
    registry = {
        "U.S.-North Korea Summit Meeting": dt.date(2018, 6, 12),
        "G7 Summit (Cornwall)": dt.date(2021, 6, 11),
    }
    assert find_registered_event("U.S.-North Korea SummitMeeting", registry) == (
        "U.S.-North Korea Summit Meeting",
        dt.date(2018, 6, 12),
    )
    assert find_registered_event("G7 Summit", registry) == ("G7 Summit (Cornwall)", dt.date(2021, 6, 11))
    assert find_registered_event("Olympic Games", registry) is None
    spec = DeadlineSpec(type="event", event="U.S.-North Korea Summit", relation="after", offset_days=7)
    assert resolve_due_date(spec, MEETING, dt.date(2018, 6, 12)) == dt.date(2018, 6, 19)
    assert resolve_due_date(spec, MEETING, None) is None
    assert resolve_due_date(DeadlineSpec(type="ongoing"), MEETING, None) is None
    assert resolve_due_date(DeadlineSpec(type="none"), MEETING, None) is None


@pytest.mark.parametrize(
    ("clause", "event", "relation", "offset"),
    [
        # Synthetic clauses: an ordinal or a time adjective before the event's name.
        ("to hold a call after the second Japan-China Summit", "second Japan-China Summit", "after", 30),
        ("to cooperate toward the success of the upcoming 3rd ASEAN Forum", "3rd ASEAN Forum", "before", 0),
        ("to consult at the forthcoming fifth Tokyo Dialogue", "fifth Tokyo Dialogue", "at", 0),
        # "before and after" the event: the earliest moment counts.
        (
            "will cooperate closely both before and after the second Japan-China Summit",
            "second Japan-China Summit",
            "before",
            0,
        ),
    ],
)
def test_ordinals_stay_in_the_event_name(clause: str, event: str, relation: str, offset: int) -> None:
    spec = parse_deadline(clause, MEETING)
    assert (spec.type, spec.event, spec.relation, spec.offset_days) == ("event", event, relation, offset)


def test_ordinal_event_names_find_their_registry_entry() -> None:
    registry = {
        "first Japan-China Summit": dt.date(2018, 5, 1),
        "second Japan-China Summit": dt.date(2018, 9, 1),
    }
    assert find_registered_event("second Japan-China Summit Meeting", registry) == (
        "second Japan-China Summit",
        dt.date(2018, 9, 1),
    )
    assert find_registered_event(
        "second Japan-China Summit", {"Japan-China Summit": dt.date(2018, 9, 1)}
    ) == (
        "Japan-China Summit",
        dt.date(2018, 9, 1),
    )


def test_time_words_of_a_demand_on_a_third_party_are_not_the_parties_deadline() -> None:
    """Synthetic: "urge / call on / ask / press X to ... as soon as possible" times X's action."""
    for clause in (
        "the two countries will keep working together to urge the junta to free them as soon as possible",
        "they will continue to call on Iran to return to the talks immediately",
        "both will cooperate closely to press the North to resume dialogue before the ASEAN Summit",
    ):
        assert parse_deadline(clause, MEETING) == DeadlineSpec(type="ongoing"), clause
    # The parties' own speed word, before the demand, still counts; so does tasking one's own officials.
    assert (
        parse_deadline("they will promptly urge the junta to free the detainees", MEETING).text == "promptly"
    )
    spec = parse_deadline("they asked their officials to prepare a statement toward the G7 Summit", MEETING)
    assert (spec.type, spec.event) == ("event", "G7 Summit")


@pytest.mark.parametrize(
    "clause",
    [
        # Synthetic clauses: a duration the action fills, and "remain/stay" as continuing verbs.
        "agreed to stay in close contact over the coming months",
        "will keep in touch over the next two years",
        "pledged to deepen the partnership in the years ahead",
        "resolved to stand together for years to come",
        "agreed to remain in close touch",
        "looked forward to remaining in close contact",
    ],
)
def test_durations_and_remaining_are_ongoing(clause: str) -> None:
    assert parse_deadline(clause, MEETING) == DeadlineSpec(type="ongoing")


def test_a_period_that_ends_is_still_a_date() -> None:
    assert parse_deadline("to meet again in the coming weeks", MEETING).type == "date"


def test_a_full_stop_after_the_event_name_is_not_part_of_it() -> None:
    """Synthetic: the request sentence ends on the event ("... at the upcoming Ocean Summit.")."""
    spec = parse_deadline("asked for support at the upcoming Ocean Summit.", MEETING)
    assert (spec.type, spec.event, spec.relation) == ("event", "Ocean Summit", "at")


def test_synthetic_a_presidency_is_a_period_not_an_event() -> None:
    from tracker.deadlines import find_event_anchor

    assert find_event_anchor("work together during the UK's G7 Presidency on climate") is None
    assert find_event_anchor("cooperate during Japan's G20 Chairmanship") is None
    anchor = find_event_anchor("welcome him to Rome for the G7 Summit next month")
    assert anchor is not None and anchor.name == "G7 Summit"


@pytest.mark.parametrize(
    ("clause", "kind"),
    [
        ("committed to holding the aggressor accountable for its war", "ongoing"),
        ("agreed to tackle climate change together", "ongoing"),
        ("will stand with Ukraine", "ongoing"),
        ("will bolster deterrence in the region", "ongoing"),
        ("will provide radars under the Official Security Assistance framework", "none"),
        ("will reflect internally", "none"),
        ("will cooperate at G8 meetings and other places", "ongoing"),
    ],
)
def test_continuing_efforts_are_ongoing_and_one_off_steps_have_no_deadline(clause: str, kind: str) -> None:
    assert parse_deadline(clause, MEETING).type == kind


@pytest.mark.parametrize(
    ("clause", "text", "due"),
    [
        ("to hold the next round in May next year", "in May next year", dt.date(2019, 5, 31)),
        ("they will speak again on Monday", "on Monday", dt.date(2018, 6, 11)),
        ("he looks forward to his visit to Japan this year", "this year", dt.date(2018, 12, 31)),
    ],
)
def test_more_dates(clause: str, text: str, due: dt.date) -> None:
    spec = parse_deadline(clause, MEETING)
    assert (spec.type, spec.text, spec.date) == ("date", text, due)


@pytest.mark.parametrize(
    ("clause", "event", "relation"),
    [
        ("Following the G7 Summit, they will share information", "G7 Summit", "after"),
        ("Looking ahead to the NATO Summit, they agreed to coordinate", "NATO Summit", "before"),
        ("to make firm preparations for a visit to Japan by the Prime Minister", "visit to Japan", "before"),
        (
            "looked forward to the upcoming visit of a naval training ship to Canada",
            "visit of naval training ship to Canada",
            "at",
        ),
        (
            "looked forward to the Business Forum, which is scheduled to be held in May next year",
            "Business Forum",
            "at",
        ),
    ],
)
def test_more_event_anchors(clause: str, event: str, relation: str) -> None:
    spec = parse_deadline(clause, MEETING)
    assert (spec.type, spec.event, spec.relation) == ("event", event, relation)


def test_the_meeting_refers_back_to_the_event_named_ahead_before_it() -> None:
    """Synthetic: "the meeting" with no name of its own, after a future event was named, is that
    event; a past event, or no event named before, leaves it no anchor."""
    from tracker.deadlines import event_named_before

    text = (
        "Both ministers will attend the NATO Foreign Ministers' Meeting in Brussels on May 20. "
        "They agreed to coordinate closely at the meeting."
    )
    referent = event_named_before(text, 0, text.index("at the meeting"))
    assert referent == "NATO Foreign Ministers' Meeting"
    spec = parse_deadline(text, MEETING, start=text.index("They"), referent=referent)
    assert (spec.type, spec.event, spec.relation) == ("event", referent, "at")
    text = (
        "They welcomed the upcoming meeting between President A and President B in Hangzhou. "
        "They agreed to work together to ensure positive results from the meeting."
    )
    assert event_named_before(text, 0, len(text)) == "meeting between President A and President B in Hangzhou"
    spec = parse_deadline(text, MEETING, start=text.index("They agreed"), referent="x")
    assert (spec.type, spec.relation) == ("event", "before")
    past = (
        "They recalled the successful G7 Summit in Hiroshima last year. "
        "They agreed to talk after the meeting."
    )
    assert event_named_before(past, 0, past.index("after the meeting")) is None
    assert parse_deadline("to share information after the meeting", MEETING).type == "ongoing"


def test_an_event_being_prepared_for_is_ahead() -> None:
    """Synthetic: "discussed preparations for <event>" names it as ahead, with no future tense."""
    from tracker.deadlines import event_named_before

    text = "They discussed preparations for the Quad Foreign Ministers' Meeting in Tokyo. They agreed"
    assert event_named_before(text, 0, len(text)) == "Quad Foreign Ministers' Meeting"


@pytest.mark.parametrize(
    ("clause", "event"),
    [
        # Synthetic: an event named with its own date is the anchor, and the date is the event's.
        ("to see each other at the European Council in Brussels next week", "European Council"),
        ("to make full use of the Japan-Australia meeting in Tokyo on May 16", "Japan-Australia meeting"),
        ("to welcome President A and the other G7 Leaders in Hiroshima on May 19-21", "G7 Summit"),
    ],
)
def test_an_event_named_with_its_own_date_is_the_anchor(clause: str, event: str) -> None:
    spec = parse_deadline(clause, MEETING)
    assert (spec.type, spec.event, spec.relation) == ("event", event, "at")


def test_a_date_after_a_place_or_a_step_stays_a_date() -> None:
    """Synthetic: holding a summit, or going to a country, on a date is a dated undertaking."""
    assert parse_deadline("to hold the Japan-Australia Summit in Tokyo next month", MEETING).type == "date"
    assert parse_deadline("to visit the United States in June", MEETING).type == "date"
    assert parse_deadline("to meet at the embassy in Tokyo next week", MEETING).type == "date"


def test_an_anniversary_name_ends_before_between() -> None:
    """Synthetic: "the 70th anniversary of the establishment of diplomatic relations between the two
    countries next year": the anniversary's name stops before "between", not inside the phrase."""
    spec = parse_deadline(
        "to deepen ties looking ahead to the 70th anniversary of the establishment of diplomatic relations "
        "between the two countries next year",
        MEETING,
    )
    assert (spec.type, spec.event, spec.relation) == (
        "event",
        "70th anniversary of the establishment of diplomatic relations",
        "before",
    )
