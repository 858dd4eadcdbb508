"""Synthetic regression tests (texts written for these tests, not taken from any readout).

The publisher's own side as a party (`extract(..., publisher=...)`), guests of a welcome that are
not parties, undertakings without a modal, warnings that are not undertakings, coordinated
"looked forward to X, and to Y", and points that state positions.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.extraction import extract
from tracker.extraction.party_names import publisher_party

MEETING = dt.date(2025, 3, 4)

# A prime minister's office style: the home leader is only ever "the Prime Minister".
PM_OFFICE = (
    "PM call with Prime Minister Larsen of Norway: 4 March 2025\n\n"
    "The Prime Minister spoke to Prime Minister Larsen of Norway this morning.\n\n"
)


def _found(text: str, publisher: str | None = None) -> list[tuple[str, list[str], str]]:
    readout = extract(text, MEETING, publisher=publisher)
    return [(c.quote, sorted(c.parties), c.deadline.type) for c in readout.commitments]


@pytest.mark.parametrize(
    ("publisher", "party"),
    [
        ("Ministry of Foreign Affairs of Japan", "Japan"),
        ("Ministry of Foreign Affairs of the Republic of Korea", "Republic of Korea"),
        ("Prime Minister of Canada", "Canada"),
        ("Embassy of the People's Republic of China in Barbados", "China"),
        ("Embassy of Japan in the United States", "Japan"),
        ("The White House", "United States"),
        ("U.S. Department of State", "United States"),
        ("Prime Minister's Office, 10 Downing Street", "United Kingdom"),
        ("Foreign, Commonwealth & Development Office", "United Kingdom"),
        ("Élysée", "France"),
        ("Federal Foreign Office", "Germany"),
        ("Kantei", "Japan"),
        ("MEA India", "India"),
        ("Department of Foreign Affairs and Trade", "Australia"),
        ("EEAS", "European Union"),
        ("European Commission", "European Union"),
        ("A personal blog", None),
        ("", None),
        (None, None),
    ],
)
def test_synthetic_publisher_names_the_home_party(publisher: str | None, party: str | None) -> None:
    assert publisher_party(publisher) == party


def test_synthetic_the_leaders_are_home_and_counterpart() -> None:
    text = PM_OFFICE + "The leaders agreed to remain in regular contact.\n"
    office = "Prime Minister's Office, 10 Downing Street"
    assert _found(text, office) == [
        ("The leaders agreed to remain in regular contact", ["Norway", "United Kingdom"], "ongoing")
    ]
    # Without a publisher only the text speaks: today's behaviour.
    assert _found(text) == [("The leaders agreed to remain in regular contact", ["Norway"], "ongoing")]


def test_synthetic_positional_signature_still_works() -> None:
    readout = extract(PM_OFFICE + "The leaders agreed to remain in regular contact.\n", MEETING, None)
    assert readout.commitments


def test_synthetic_title_only_principal_takes_the_home_party() -> None:
    text = PM_OFFICE + "The Prime Minister said he would like to visit Oslo this year.\n"
    office = "Prime Minister's Office, 10 Downing Street"
    assert _found(text, office) == [("he would like to visit Oslo this year", ["United Kingdom"], "date")]


def test_synthetic_two_sides_with_an_official_named_by_title() -> None:
    text = (
        "Outcome of Telephone Talks between the Vice Minister and the State Secretary of Finland\n\n"
        "1. The Vice Minister of the Ministry of Foreign Affairs had a telephone conversation with "
        "Anna Virtanen, State Secretary at the Ministry for Foreign Affairs of Finland, on 4 March.\n\n"
        "2. The two sides agreed to continue consultations at working level.\n"
    )
    found = _found(text, "Ministry of Foreign Affairs of the Republic of Korea")
    assert found == [
        (
            "The two sides agreed to continue consultations at working level",
            ["Finland", "Republic of Korea"],
            "ongoing",
        )
    ]


def test_synthetic_pronoun_in_a_later_paragraph_is_the_last_speaker() -> None:
    text = (
        PM_OFFICE
        + "The Prime Minister thanked the Norwegian leader for his message.\n\n"
        + "He added that he hoped to deepen the energy partnership between the two countries.\n"
    )
    found = _found(text, "Prime Minister's Office, 10 Downing Street")
    assert found == [
        ("he hoped to deepen the energy partnership between the two countries", ["United Kingdom"], "ongoing")
    ]


def test_synthetic_the_host_undertakes_not_the_guest() -> None:
    text = PM_OFFICE + "The Prime Minister looked forward to welcoming Prime Minister Larsen to London.\n"
    office = "Prime Minister's Office, 10 Downing Street"
    assert _found(text, office) == [
        (
            "The Prime Minister looked forward to welcoming Prime Minister Larsen to London",
            ["United Kingdom"],
            "none",
        )
    ]


def test_synthetic_an_unnamed_host_is_the_meeting_party_that_is_not_the_guest() -> None:
    text = (
        "Japan-Chile Foreign Ministers' Telephone Talk\n\n"
        "On March 4, Mr. Ken Mori, Minister for Foreign Affairs of Japan, held a telephone talk with "
        "Ms. Rosa Diaz, Minister of Foreign Affairs of Chile.\n\n"
        "1. The host government looked forward to welcoming Minister Diaz to Tokyo soon.\n"
    )
    assert [parties for _q, parties, _t in _found(text)] == [["Japan"]]


def test_synthetic_a_guest_named_with_a_grouping_is_not_the_party() -> None:
    text = (
        "Prime Minister Ana Silva speaks with the President of France\n"
        "Today, the Prime Minister, Ana Silva, spoke with the President of France, Luc Moreau.\n"
        "The Prime Minister noted that she looks forward to welcoming President Moreau and the other "
        "G20 leaders next week.\n"
    )
    found = _found(text, "Prime Minister of Portugal")
    assert [(q[:40], parties) for q, parties, _ in found] == [
        ("she looks forward to welcoming President", ["Portugal"])
    ]


# A foreign-ministry style with both ministers named and their countries written out.
MOFA = (
    "Japan-Chile Foreign Ministers' Telephone Talk\n\n"
    "On March 4, Mr. Ken Mori, Minister for Foreign Affairs of Japan, held a telephone talk with "
    "Ms. Rosa Diaz, Minister of Foreign Affairs of Chile.\n\n"
)


def test_synthetic_subjunctive_after_shared_the_view() -> None:
    text = (
        MOFA
        + "1. The two ministers discussed the region and shared the view that they stay in close touch.\n"
    )
    assert _found(text, "Ministry of Foreign Affairs of Japan") == [
        ("they stay in close touch", ["Chile", "Japan"], "ongoing")
    ]


def test_synthetic_subjunctive_is_not_a_stance() -> None:
    text = MOFA + "1. The two ministers confirmed that they remain committed to free trade.\n"
    assert _found(text, "Ministry of Foreign Affairs of Japan") == []


def test_synthetic_passive_joint_activity_after_shared_view() -> None:
    text = MOFA + (
        "1. The ministers also shared the view that cooperation, including among young researchers, "
        "will be expanded further.\n"
    )
    assert _found(text, "Ministry of Foreign Affairs of Japan") == [
        (
            "cooperation, including among young researchers, will be expanded further",
            ["Chile", "Japan"],
            "ongoing",
        )
    ]


def test_synthetic_made_clear_warning_is_not_an_undertaking() -> None:
    text = MOFA + (
        "1. Minister Mori made clear that Japan will respond resolutely to any attempt "
        "to change the status quo.\n"
    )
    assert _found(text, "Ministry of Foreign Affairs of Japan") == []


def test_synthetic_conditional_after_stressed_is_not_an_undertaking() -> None:
    text = (
        MOFA + "1. Minister Diaz stressed that Chile would act in response to any violation of its waters.\n"
    )
    assert _found(text, "Ministry of Foreign Affairs of Japan") == []
    # Plain intentions after "stressed that" stay undertakings.
    text = MOFA + "1. Minister Diaz stressed that Chile would send a trade mission to Japan.\n"
    assert [q for q, _p, _t in _found(text)] == ["Chile would send a trade mission to Japan"]


def test_synthetic_looked_forward_to_two_objects_and_a_presidency_is_a_period() -> None:
    text = PM_OFFICE + (
        "The Prime Minister said he looked forward to welcoming Prime Minister Larsen to London for the "
        "Energy Summit in May, and to working together during Norway’s Nordic Council Presidency on "
        "shared goals.\n"
    )
    readout = extract(text, MEETING, publisher="Prime Minister's Office, 10 Downing Street")
    got = [(c.quote, c.parties, c.deadline.type, c.deadline.event) for c in readout.commitments]
    assert got == [
        (
            "he looked forward to welcoming Prime Minister Larsen to London for the Energy Summit in May",
            ["United Kingdom"],
            "event",
            "Energy Summit",
        ),
        (
            "working together during Norway’s Nordic Council Presidency on shared goals",
            ["United Kingdom"],
            "ongoing",
            None,
        ),
    ]


@pytest.mark.parametrize(
    "point",
    [
        "The two leaders welcomed the deal concluded yesterday between their negotiators on fisheries.",
        "Minister Mori said he firmly supports Minister Diaz’s efforts to calm tensions in the region.",
        "The ministers agreed on the need to protect undersea cables from sabotage.",
        "They also spoke about the recent flooding, and about detentions of journalists which they agreed "
        "were deeply troubling and unacceptable.",
    ],
)
def test_synthetic_stances_are_positions(point: str) -> None:
    from tracker.extraction.en.classification import classify

    assert classify(point, False) == "position"


def test_synthetic_a_demand_on_a_third_party_is_not_an_undertaking() -> None:
    text = MOFA + "1. Both ministers reaffirmed that they will urge Ruritania to release the detained crew.\n"
    assert _found(text, "Ministry of Foreign Affairs of Japan") == []
    text = MOFA + (
        "1. Both ministers reaffirmed that they will work together to urge Ruritania to release the crew.\n"
    )
    assert [p for _q, p, _t in _found(text, "Ministry of Foreign Affairs of Japan")] == [["Chile", "Japan"]]


def test_a_standfirst_before_the_first_paragraph_does_not_hide_the_people() -> None:
    """Synthetic: a standfirst that names nobody ("Agrees on close working relations ...") is point
    1; the people are introduced by the paragraph after it."""
    text = (
        "Prime Minister has phone calls with European leaders\n\n"
        "Agrees on the need for close working relations, and plans for a follow-up meeting\n\n"
        "The Prime Minister spoke by phone today with the French President Jean Dupont.\n\n"
        "President Dupont and the Prime Minister agreed to meet in Brussels next month.\n"
    )
    readout = extract(
        text, meeting_date=dt.date(2024, 5, 1), publisher="Prime Minister's Office, 10 Downing Street"
    )
    assert [sorted(c.parties) for c in readout.commitments] == [["France", "United Kingdom"]]


def test_the_government_or_the_presidency_alone_is_the_publishers() -> None:
    """Synthetic: "the Presidency would do its best", "The Government will continue": with no
    country named, the publisher's own side undertakes."""
    text = (
        "Minister's meeting with the Foreign Minister of Japan\n\n"
        "The Minister for Foreign Affairs of Lithuania, Linas Petraitis, met the Minister for Foreign "
        "Affairs of Japan, Taro Sato, in Vilnius today.\n\n"
        "Minister Petraitis said that the Presidency would do its best to conclude the negotiations by "
        "the end of the year.\n\n"
        "The Government will continue to support Japan's efforts in the region.\n"
    )
    readout = extract(
        text, meeting_date=dt.date(2013, 9, 5), publisher="Lithuanian Presidency of the Council of the EU"
    )
    assert [c.parties for c in readout.commitments] == [["Lithuania"], ["Lithuania"]]
