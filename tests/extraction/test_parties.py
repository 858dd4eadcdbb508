"""Canonical party names and the people of a meeting.

(tracker/extraction/party_names.py and tracker/extraction/en/parties.py)
"""

from __future__ import annotations

import pytest

from tracker.extraction.en.parties import build_participants
from tracker.extraction.party_names import canonical_party, find_mentions


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("ROK", "Republic of Korea"),
        ("the Republic of Korea", "Republic of Korea"),
        ("South Korea", "Republic of Korea"),
        ("U.S.", "United States"),
        ("the United States of America", "United States"),
        ("UK", "United Kingdom"),
        ("the United Kingdom", "United Kingdom"),
        ("EU", "European Union"),
        ("ASEAN", "ASEAN"),
        ("G7", "G7"),
        ("Japan", "Japan"),
        ("Japanese", "Japan"),
        ("the Japanese side", "Japan"),
        ("Australia", "Australia"),
        ("India", "India"),
        ("China", "China"),
        ("PRC", "China"),
        ("Canada", "Canada"),
        ("Viet Nam", "Vietnam"),
        ("Korea, Republic of", "Republic of Korea"),
        ("DPRK", "North Korea"),
    ],
)
def test_canonical_party(name: str, canonical: str) -> None:
    assert canonical_party(name) == canonical


@pytest.mark.parametrize("word", ["to", "in", "the", "Summit", "", "Korean Peninsula"])
def test_words_that_are_not_parties(word: str) -> None:
    assert canonical_party(word) is None


def test_mentions_prefer_the_longest_name() -> None:
    found = find_mentions("Japan, the Republic of Korea (ROK) and the Korean Peninsula")
    assert [m.party for m in found] == ["Japan", "Republic of Korea", "Republic of Korea", None]


def test_people_from_the_first_paragraph() -> None:
    participants = build_participants(
        "Japan-U.S. Foreign Ministers' Meeting",
        "On June 6, Mr. Taro Kono, who is visiting Washington D.C. in the United States, held a Japan-U.S. "
        "foreign ministers' meeting with the Honorable Mike Pompeo, Secretary of State of the United States.",
        "",
    )
    assert participants.parties == ["Japan", "United States"]
    assert participants.person_for_token("Kono").party == "Japan"
    assert participants.person_for_token("Pompeo").party == "United States"


def test_a_compound_pairs_an_unnamed_country() -> None:
    participants = build_participants(
        "Secretary Blinken's Meeting with Republic of Korea Foreign Minister Chung",
        "Secretary of State Antony J. Blinken met with Republic of Korea "
        "Foreign Minister Chung Eui-yong today.",
        "They stressed the importance of U.S.-ROK cooperation.",
    )
    assert participants.person_for_token("Blinken").party == "United States"
    assert participants.person_for_title("Foreign Minister").party == "Republic of Korea"
    assert participants.person_for_title("Secretary").party == "United States"


def test_former_officials_are_flagged() -> None:
    participants = build_participants(
        "Japan-Australia Relations",
        "Mr. Shinzo Abe, Prime Minister, held a telephone talk with the Hon Tony Abbott, MP, former Prime "
        "Minister of Australia.",
        "",
    )
    assert participants.person_for_token("Abbott").former
    assert not participants.person_for_token("Abe").former


def test_dateline_names_the_publishers_own_official() -> None:
    participants = build_participants(
        "Telephone conversation between Prime Minister and the Prime Minister of Australia",
        "Prime Minister Shri Narendra Modi received a telephone call today from the Prime Minister of "
        "Australia, H.E. Mr. Anthony Albanese.",
        "",
        header="New Delhi, 5 June 2024",
    )
    assert participants.person_for_token("Modi").party == "India"
    assert participants.person_for_token("Albanese").party == "Australia"


# Synthetic sentences (written for these tests): the publisher's own principal is named by title
# and name only, and their country has to come from the rest of the readout.


def test_title_cased_verb_in_a_title_is_not_a_name() -> None:
    participants = build_participants(
        "Foreign Minister Holds Video Call with Her Canadian Counterpart",
        "Foreign Minister Lee Min-ho spoke by video link with Minister of Foreign Affairs Anne Roy of Canada "
        "on March 3, and the two discussed cooperation between the Republic of Korea and Canada.",
        "",
    )
    assert [p.display for p in participants.people] == ["Lee Min-ho", "Anne Roy"]
    assert participants.person_for_token("Lee").party == "Republic of Korea"
    assert participants.parties == ["Republic of Korea", "Canada"]


def test_unnamed_country_from_the_opening_sentence() -> None:
    participants = build_participants(
        "Readout of President Carter's Call with Prime Minister Ahmed Salim of Egypt",
        "President Ann Carter spoke on Tuesday with Prime Minister Ahmed Salim of Egypt to reaffirm U.S. "
        "support for Egypt.",
        "",
    )
    assert participants.person_for_token("Carter").party == "United States"
    assert participants.parties == ["United States", "Egypt"]


def test_unnamed_country_from_a_pair_with_the_known_party() -> None:
    participants = build_participants(
        "Telephone Talks between Foreign Minister Ken Mori and the Secretary of State",
        "On May 2, Mr. Ken Mori, Minister for Foreign Affairs, spoke by phone with Paul Reed, "
        "the U.S. Secretary of State.",
        "He hoped to keep up trilateral work among Japan, the United States and Australia. "
        "Secretary Reed said that he would work with Japan.",
    )
    assert participants.person_for_token("Mori").party == "Japan"
    assert participants.parties == ["Japan", "United States"]


def test_a_us_style_readout_title_names_the_publishers_principal() -> None:
    """Synthetic: nothing in the text says "U.S."; "Readout of President ..." is the US style."""
    participants = build_participants(
        "Readout of President Ann Carter's Call with Prime Minister Ken Mori of Japan",
        "President Ann Carter spoke today with Prime Minister Ken Mori of Japan.",
        "The two leaders agreed to continue close coordination.",
    )
    assert participants.person_for_token("Carter").party == "United States"
    assert participants.parties == ["United States", "Japan"]


def test_a_time_word_opening_the_sentence_is_not_a_name() -> None:
    """Synthetic: "This evening the Prime Minister spoke to ...": "This" names nobody, so the bare
    "the Prime Minister" stays the publisher's own, nameless principal."""
    participants = build_participants(
        "PM call with Prime Minister Anne Roy of Canada",
        "This evening the Prime Minister spoke to the Prime Minister of Canada, Anne Roy.",
        "",
        home="United Kingdom",
    )
    assert [p.display for p in participants.people if p.name_tokens] == ["Anne Roy"]
    assert participants.person_for_title("Prime Minister").party == "United Kingdom"


def test_people_listed_with_commas_are_one_each() -> None:
    """Synthetic: "spoke with the French President A, the Chancellor of Germany B, and ..." lists
    three people, each with a title and a name; a post in apposition stays its person's."""
    participants = build_participants(
        "Prime Minister holds calls with European leaders",
        "The Prime Minister spoke today with the French President Jean Dupont, the Chancellor of Germany "
        "Anna Schmidt, and the Italian Prime Minister Marco Rossi.",
        "",
        home="Ireland",
    )
    parties = {p.display: p.party for p in participants.people if p.name_tokens}
    assert parties == {"Jean Dupont": "France", "Anna Schmidt": "Germany", "Marco Rossi": "Italy"}
    participants = build_participants(
        "Foreign Minister meets New Zealand counterpart",
        "Foreign Minister Taro Sato met Winston Peters, Deputy Prime Minister and Minister of Foreign "
        "Affairs of New Zealand, on May 1.",
        "",
    )
    assert participants.person_for_token("Peters").party == "New Zealand"
