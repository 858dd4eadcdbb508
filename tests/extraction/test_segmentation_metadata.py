"""Points, sections, titles and meeting dates (segmentation.py and metadata.py)."""

from __future__ import annotations

import datetime as dt

from tracker.extraction import extract
from tracker.extraction.en.metadata import meeting_date_of, title_of
from tracker.extraction.en.segmentation import segment
from tracker.extraction.types import NO_YEAR

NUMBERED = """Japan-X Foreign Ministers' Meeting

May 1, 2024

On May 1, Mr. A held a meeting with Mr. B. The overview is as follows.

1. First point about cooperation.
2. Second point, which continues

   in a second paragraph.
3. Third point.
  • (1) Regarding the region, the two ministers exchanged views.
  • (2) Regarding trade, the two ministers exchanged views.

Back to Japan-X Relations
"""


def _numbers(text: str) -> list[str]:
    _title, start = title_of(text)
    return [s.number for s in segment(text, start)]


def test_numbered_points_keep_their_sub_items_and_continuations() -> None:
    _title, start = title_of(NUMBERED)
    segments = segment(NUMBERED, start)
    assert [s.number for s in segments] == ["1", "2", "3"]
    assert "in a second paragraph." in NUMBERED[segments[1].start : segments[1].end]
    assert "(2) Regarding trade" in NUMBERED[segments[2].start : segments[2].end]
    assert "Back to" not in NUMBERED[segments[2].start : segments[2].end]


def test_sub_headings_become_sections() -> None:
    text = (
        "Title\n\nIntro paragraph that is long enough to be prose.\n\n"
        "(1) Economy\n1. A point.\n2. Another.\n(2) Security\n3. Third.\n"
    )
    _title, start = title_of(text)
    segments = segment(text, start)
    assert [(s.number, s.section) for s in segments] == [
        ("1", "(1) Economy"),
        ("2", "(1) Economy"),
        ("3", "(2) Security"),
    ]


def test_parenthesised_and_right_paren_numbers_and_bullets() -> None:
    assert _numbers("T\n\n(1) One thing.\n(2) Another thing.\n") == ["(1)", "(2)"]
    assert _numbers("T\n\n1) One thing.\n2) Another thing.\n") == ["1", "2"]
    assert _numbers("T\n\nIntro sentence of the readout here.\n- One thing.\n- Another thing.\n") == [
        "-",
        "-",
    ]


def test_prose_paragraphs_without_header_lines() -> None:
    text = (
        "Secretary's Call with Foreign Minister X\n"
        "Readout Office of the Spokesperson June 12, 2021\n"
        "The following is attributable to Spokesperson Ned Price:\n"
        "Secretary Y spoke today with Foreign Minister X.\n"
        "They agreed to keep in touch.\n"
    )
    _title, start = title_of(text)
    segments = segment(text, start)
    assert [text[s.start : s.end] for s in segments] == [
        "Secretary Y spoke today with Foreign Minister X.",
        "They agreed to keep in touch.",
    ]


def test_meeting_date_from_dateline_and_opening() -> None:
    text = "Title\n\nJuly 8, 2018\nOn July 8, commencing at 10:55 a.m., the ministers met.\n"
    assert meeting_date_of(text, len(text)) == (dt.date(2018, 7, 8), "stated")
    iso = "Title\n\nDate\n2020-02-15\n\n1. On the morning of February 15, the ministers met.\n"
    assert meeting_date_of(iso, len(iso)) == (dt.date(2020, 2, 15), "stated")
    dmy = "Title\n\nBrussels, 12 May 2023\n\nThe ministers met today.\n"
    assert meeting_date_of(dmy, len(dmy)) == (dt.date(2023, 5, 12), "stated")


def test_no_year_means_no_guess() -> None:
    text = (
        "Japan-U.S. Foreign Ministers' Meeting\n\nOn June 6, the two ministers met.\n"
        "1. They agreed to meet again.\n"
    )
    readout = extract(text)
    assert readout.meeting_date is None
    assert readout.meeting_date_basis == NO_YEAR
    assert "--date" in readout.meeting_date_basis
    given = extract(text, meeting_date=dt.date(2018, 6, 6))
    assert given.meeting_date == dt.date(2018, 6, 6) and given.meeting_date_basis == "given"


def test_a_long_headline_under_the_title_is_not_a_point() -> None:
    text = (
        "Readout\n"
        "Secretary Hall's Call with French Foreign Minister Martin and German Foreign Minister Weber "
        "on the Situation in the Region\n\n"
        "Secretary of State Michael Hall spoke today with French Foreign Minister Paul Martin and "
        "German Foreign Minister Anna Weber.\n\n"
        "The Secretary and the Foreign Ministers agreed to continue close coordination.\n"
    )
    readout = extract(text, dt.date(2024, 6, 7), publisher="U.S. Department of State")
    assert [text[p.start : p.start + 20] for p in readout.points] == [
        "Secretary of State M",
        "The Secretary and th",
    ]


def test_a_sentence_in_title_case_with_a_full_stop_is_still_a_point() -> None:
    text = "Readout\n\nThe Two Ministers Agreed To Meet Again Soon.\n\nThey discussed trade.\n"
    assert len(extract(text, dt.date(2024, 6, 7)).points) == 2


def test_lowercase_bullets_after_a_colon_finish_their_paragraph() -> None:
    """Synthetic: a prose readout whose paragraph "They agreed to:" runs on in lowercase bullets
    keeps its paragraphs as points; the bullets belong to the paragraph that opened them."""
    text = (
        "Readout of the Prime Minister's meeting with the President of Ghana\n\n"
        "Prime Minister Jane Doe met today with President Kofi Mensah of Ghana.\n\n"
        "The leaders discussed trade and investment. They agreed to:\n"
        "- deepen cooperation on critical minerals;\n"
        "- work together on climate finance.\n\n"
        "The leaders looked forward to meeting again soon.\n"
    )
    _title, body_start = title_of(text)
    points = [text[s.start : s.end] for s in segment(text, body_start)]
    assert len(points) == 3
    assert points[1].startswith("The leaders discussed") and points[1].endswith("climate finance.")


def test_an_item_of_a_sub_list_going_on_is_no_sub_heading() -> None:
    """Synthetic: "(2) to hold the next dialogue in Ottawa; and" under "2." is a list item."""
    text = (
        "Japan-Canada Foreign Ministers' Meeting\n\n"
        "1. Minister Sato welcomed Minister Roy.\n\n"
        "2. The two ministers agreed on the following:\n"
        "(1) to strengthen cooperation on energy;\n"
        "(2) to hold the next dialogue in Ottawa; and\n"
        "(3) to coordinate closely on North Korea.\n\n"
        "3. The two ministers exchanged views on regional affairs.\n"
    )
    _title, body_start = title_of(text)
    points = [text[s.start : s.end] for s in segment(text, body_start)]
    assert len(points) == 3 and points[1].endswith("North Korea.")


def test_a_long_heading_without_a_full_stop_is_still_the_title() -> None:
    """Synthetic: a press service's heading of more than 40 words that ends as no sentence does is
    the title; a first line of as many words ending in a full stop is a body pasted without one."""
    heading = (
        "No 12/26, Information of the Press Service of the Ministry of Foreign Affairs on the telephone "
        "conversation between the Minister of Foreign Affairs of the Republic of Examplia Jan Novak and "
        "the Minister of Foreign Affairs of the Kingdom of Otherland Piet de Vries held on the same day (En)"
    )
    body = "On 3 March, a telephone conversation took place between the two ministers.\n"
    title, start = title_of(heading + "\n\n" + body)
    assert title == heading and start == len(heading)
    pasted = heading + "."
    assert title_of(pasted + "\n\n" + body) == (None, 0)


def test_a_conversation_that_took_place_is_protocol() -> None:
    """Synthetic: "a telephone conversation took place between X and Y" opens the readout (protocol)."""
    from tracker.extraction.en.classification import classify

    assert classify("On 3 March, a telephone conversation took place between the two ministers.", False) == (
        "protocol"
    )


def test_a_press_office_block_of_label_lines_is_no_point() -> None:
    """Synthetic: "THE WHITE HOUSE / Office of the Press Secretary / For Immediate Release / date"
    written as one block of lines is no point; the paragraphs after it are."""
    text = (
        "Readout of the President's Call with Prime Minister Roe of Estonia\n\n"
        "THE WHITE HOUSE\nOffice of the Press Secretary\nFor Immediate Release\nMay 1, 2024\n\n"
        "President Doe spoke today with Prime Minister Richard Roe of Estonia.\n\n"
        "The leaders agreed to stay in close contact.\n"
    )
    readout = extract(text, meeting_date=dt.date(2024, 5, 1))
    assert [text[p.start : p.end][:9] for p in readout.points] == ["President", "The leade"]
