"""Each extracted field says why it is what it is, and marks where an officer should look first
(synthetic texts written for these tests)."""

from __future__ import annotations

import datetime as dt

from tracker.extraction import extract
from tracker.extraction.types import ExtractedCommitment, ExtractedPoint

MEETING = dt.date(2025, 3, 4)
HEAD = (
    "Japan-Canada Foreign Ministers' Meeting\n\n"
    "On 4 March 2025, Mr. Taro Sato, Minister for Foreign Affairs of Japan, held a meeting with the "
    "Hon. Anne Tremblay, Minister of Foreign Affairs of Canada.\n\n"
)


def _point(body: str) -> ExtractedPoint:
    readout = extract(HEAD + "1. " + body + "\n", MEETING, publisher="Ministry of Foreign Affairs of Japan")
    return readout.points[-1]


def _notes(c: ExtractedCommitment) -> dict[str, tuple[str, bool]]:
    return {n.field: (n.reason, n.weak) for n in c.notes}


def test_parties_and_deadline_say_where_they_come_from() -> None:
    (c,) = _point(
        "The two Ministers agreed to hold the next round of talks by the end of the year."
    ).commitments
    assert _notes(c) == {
        "parties": ("parties from the subject 'The two Ministers'", False),
        "deadline": ("deadline from 'by the end of the year'", False),
    }
    assert c.confidence == 1.0


def test_an_event_deadline_names_the_words_and_the_event() -> None:
    (c,) = _point("The two Ministers agreed to coordinate closely ahead of the G7 Summit.").commitments
    assert _notes(c)["deadline"] == (
        "deadline from the words 'ahead of the G7 Summit': before 'G7 Summit'",
        False,
    )


def test_a_speed_word_with_no_event_is_weak() -> None:
    (c,) = _point("The two Ministers agreed to resume the negotiations promptly.").commitments
    reason, weak = _notes(c)["deadline"]
    assert weak and reason == "speed word 'promptly' with no event to hang on: meeting date + 7 days"
    assert c.confidence == 0.5


def test_a_pronoun_names_whom_it_was_read_as() -> None:
    (c,) = _point("Minister Tremblay said that she hopes to work closely with Japan.").commitments
    assert _notes(c)["parties"] == ("parties from the subject 'she' (Minister Tremblay)", False)


def test_a_party_named_only_inside_the_quote_is_weak() -> None:
    # "She" opens the sentence and the only subject before it is the host who welcomed her: the
    # pronoun is read as Minister Sato, whose name is also inside the undertaking.
    point = _point(
        "Minister Sato welcomed Minister Tremblay. "
        "She said that she hopes to work closely with Minister Sato."
    )
    (c,) = point.commitments
    reason, weak = _notes(c)["parties"]
    assert weak and "named only inside the quote" in reason


def test_no_subject_means_the_meetings_parties_and_is_weak() -> None:
    point = _point("Also agreed to continue close consultations on regional affairs.")
    (c,) = point.commitments
    assert _notes(c)["parties"] == ("no subject found: the meeting's parties, by default", True)


def test_each_point_says_why_it_has_its_kind() -> None:
    assert _point("Minister Sato thanked Minister Tremblay for the visit.").kind_note.reason == (  # type: ignore[union-attr]
        "'thanked' reads as protocol"
    )
    note = _point("The two Ministers noted that the ship arrived on time.").kind_note
    assert note is not None and not note.weak and note.reason == "'noted that' reads as an exchange"
    point = _point("The pandemic is a rapidly evolving global challenge for every country.")
    assert point.kind == "position" and point.kind_note is not None
    assert point.kind_note.weak
    assert point.kind_note.reason == "no word decided it: a statement, read as a position"
