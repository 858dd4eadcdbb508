"""The undertakings, their quotes, parties and kinds (commitments.py, classification.py).

Each test is one labelling rule of ../shared/corpus/README.md on a synthetic sentence.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.extraction import extract
from tracker.extraction.en.classification import classify

HEADER = (
    "Japan-Australia Foreign Ministers' Meeting\n\nMay 1, 2024\n\n"
    "On May 1, Mr. Taro Sato, Minister for Foreign Affairs of Japan, held a meeting with "
    "Hon. Jane Smith, Minister for Foreign Affairs of Australia. The overview is as follows.\n\n"
)
MEETING = dt.date(2024, 5, 1)


def _commitments(body: str) -> list[tuple[str, list[str], str]]:
    readout = extract(HEADER + "1. " + body + "\n", meeting_date=MEETING)
    return [(c.quote, sorted(c.parties), c.deadline.type) for c in readout.commitments]


def _kind(body: str) -> str:
    return extract(HEADER + "1. " + body + "\n", meeting_date=MEETING).points[0].kind


def test_joint_agreement() -> None:
    assert _commitments("The two ministers agreed to continue close cooperation on energy.") == [
        (
            "The two ministers agreed to continue close cooperation on energy",
            ["Australia", "Japan"],
            "ongoing",
        )
    ]


def test_that_clause_with_named_subject() -> None:
    found = _commitments(
        "The ministers confirmed that Japan and Australia will coordinate closely on the region."
    )
    assert found == [
        ("Japan and Australia will coordinate closely on the region", ["Australia", "Japan"], "ongoing")
    ]


def test_unilateral_intention_resolves_he_to_the_speaker() -> None:
    found = _commitments("Minister Smith stated that she would like to visit Japan this year.")
    assert found == [("she would like to visit Japan this year", ["Australia"], "date")]


def test_coordinated_undertakings_are_separate() -> None:
    found = _commitments(
        "Minister Sato stated that he would immediately send a team, would work closely with Australia, "
        "and would do everything possible to help."
    )
    assert [q for q, _p, _t in found] == [
        "he would immediately send a team",
        "would work closely with Australia",
        "would do everything possible to help",
    ]
    assert [t for _q, _p, t in found] == ["date", "ongoing", "ongoing"]
    assert all(p == ["Japan"] for _q, p, _t in found)


def test_two_triggers_in_one_sentence() -> None:
    found = _commitments(
        "They agreed to work together on relief and committed to continue close coordination."
    )
    assert [q for q, _p, _t in found] == [
        "They agreed to work together on relief",
        "committed to continue close coordination",
    ]


def test_commitment_to_an_action_but_not_to_a_goal() -> None:
    assert _commitments("The two ministers reaffirmed their commitment to strengthening cooperation.")
    assert not _commitments("The two ministers reaffirmed their commitment to denuclearization.")
    assert not _commitments("Minister Smith reaffirmed the ironclad commitment to the security of Japan.")


@pytest.mark.parametrize(
    "body",
    [
        "Minister Sato urged Australia to promptly lift the measures as soon as possible.",
        "Minister Sato stated that Australia's measures should be withdrawn promptly.",
        "The ministers confirmed the necessity for North Korea to dismantle its missiles.",
        "The ministers noted that North Korea will launch another missile.",
        "Minister Smith stated that Australia was committed to supporting the region.",
        "Minister Sato said that it was important that Japan and Australia continue to work together.",
        "Minister Sato expressed his hope that the Australian side could make efforts.",
        "The two ministers closely aligned their policies.",
    ],
)
def test_not_commitments(body: str) -> None:
    assert _commitments(body) == []


def test_normative_should_about_the_parties_own_conduct() -> None:
    found = _commitments(
        "The two ministers shared the understanding that their foreign ministries "
        "should continue consultations."
    )
    assert found == [
        ("their foreign ministries should continue consultations", ["Australia", "Japan"], "ongoing")
    ]


def test_soft_commitment_looking_forward_to_a_visit() -> None:
    found = _commitments("Minister Smith said that she looked forward to visiting Japan in the autumn.")
    assert found and found[0][1] == ["Australia"]


def test_former_officials_do_not_act_for_a_party() -> None:
    text = (
        "Japan-Australia Relations\n\nSeptember 18, 2015\n\n"
        "On September 18, Mr. Shinzo Abe, Prime Minister, held a telephone talk with "
        "the Hon Tony Abbott, MP, "
        "former Prime Minister of Australia. The overview is as follows.\n\n"
        "1. Former Prime Minister Abbott stated that he is determined to make efforts "
        "to strengthen relations.\n"
    )
    readout = extract(text)
    assert readout.commitments == []
    assert readout.points[0].kind != "commitment"


def test_three_party_subject_keeps_every_party() -> None:
    found = _commitments(
        "The ministers confirmed that Japan and Australia, and Japan, Australia and the United States will "
        "promptly share information following the Quad Summit."
    )
    assert found[0][1] == ["Australia", "Japan", "United States"]
    assert found[0][2] == "event"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Minister A congratulated Minister B on his appointment.", "protocol"),
        ("Minister A expressed gratitude for the support.", "protocol"),
        ("The two ministers exchanged views on regional affairs.", "exchange"),
        ("Minister A explained the situation.", "exchange"),
        ("Minister A urged the other side to lift the measures.", "position"),
        ("The two ministers confirmed the necessity for X to dismantle its weapons.", "position"),
        (
            "Minister A emphasized his government's position, "
            "while Minister B mentioned the position of her government.",
            "exchange",
        ),
        (
            "Minister A reiterated the position of his government that the measures should be withdrawn.",
            "position",
        ),
        # Synthetic: the opening paragraph with a weekday or date in place of "today".
        (
            "President A spoke on Monday with Prime Minister B of Egypt to reaffirm support and consult.",
            "protocol",
        ),
        ("President A spoke by telephone on May 3 with Prime Minister B.", "protocol"),
        # A confirmed stance outranks the exchange of recognitions.
        (
            "The leaders shared these views and once again confirmed that the two countries are united.",
            "position",
        ),
        ("The leaders discussed the reform plans, which the EU is ready to endorse.", "position"),
    ],
)
def test_classification_without_commitments(text: str, kind: str) -> None:
    assert classify(text, has_commitment=False) == kind


def test_commitment_takes_precedence() -> None:
    assert (
        _kind("Minister Sato thanked Minister Smith, and the two ministers agreed to meet again.")
        == "commitment"
    )


def test_should_binds_only_the_speakers_own_side() -> None:
    assert _commitments("Minister Sato said that Japan and Australia should strengthen dialogue.") == [
        ("Japan and Australia should strengthen dialogue", ["Australia", "Japan"], "ongoing")
    ]
    assert _commitments("Minister Sato said that Australia should lift the measures.") == []


def test_a_wish_about_the_other_side_is_not_an_undertaking() -> None:
    assert _commitments("Minister Sato expressed the hope that Australia will join the initiative.") == []
    assert _commitments("Minister Smith said she hoped Japan and Australia would cooperate on energy.") == [
        ("Japan and Australia would cooperate on energy", ["Australia", "Japan"], "ongoing")
    ]


def test_tasking_officials_is_a_joint_undertaking() -> None:
    found = _commitments("The two ministers tasked their officials to draft a plan toward the G7 Summit.")
    assert found == [
        (
            "The two ministers tasked their officials to draft a plan toward the G7 Summit",
            ["Australia", "Japan"],
            "event",
        )
    ]


def test_a_passive_joint_decision_about_a_meeting() -> None:
    found = _commitments(
        "The two ministers agreed that the next round of talks would be held in Tokyo in June."
    )
    assert found == [
        ("the next round of talks would be held in Tokyo in June", ["Australia", "Japan"], "date")
    ]
    assert _commitments("The two ministers agreed that the issue would be raised by others.") == []


def test_stances_after_a_modal_are_positions() -> None:
    assert (
        _commitments(
            "Minister Sato stated that Japan would never accept any change to the status quo by force."
        )
        == []
    )
    assert (
        _kind("Minister Sato stated that Japan would never accept any change to the status quo by force.")
        != "commitment"
    )


def test_a_person_known_only_by_title() -> None:
    text = (
        "Foreign Secretary's call: 2 February 2024\n\n"
        "The Foreign Secretary spoke to Japanese Foreign Minister Kamikawa Yoko on 2 February 2024.\n\n"
        "The Foreign Secretary said that he would visit Tokyo next month.\n"
    )
    readout = extract(text)
    assert readout.meeting_date == dt.date(2024, 2, 2)
    assert [(c.quote, c.parties, c.deadline.date) for c in readout.commitments] == [
        ("he would visit Tokyo next month", ["United Kingdom"], dt.date(2024, 3, 31))
    ]


def test_prior_undertakings_cited_as_background() -> None:
    body = (
        "As it has been confirmed at various levels, that Japan will raise the issue at the summit, "
        "the two ministers confirmed that Japan and Australia will continue working together."
    )
    assert [q for q, _p, _t in _commitments(body)] == ["Japan and Australia will continue working together"]


def test_leaders_named_by_title_pair_are_both_parties() -> None:
    """Synthetic: "The President and Prime Minister agreed" / "the two sides" cover both parties."""
    header = (
        "Readout of President Carter's Call with Prime Minister Ahmed Salim of Egypt\n\n"
        "President Ann Carter spoke on Tuesday, March 5, 2024, with Prime Minister Ahmed Salim of Egypt "
        "to reaffirm U.S. support for Egypt.\n\n"
    )
    body = (
        "The President and Prime Minister pledged to remain in regular contact.\n\n"
        "The two sides agreed to continue consultations on trade.\n"
    )
    readout = extract(header + body, meeting_date=dt.date(2024, 3, 5))
    assert [sorted(c.parties) for c in readout.commitments] == [
        ["Egypt", "United States"],
        ["Egypt", "United States"],
    ]


# Synthetic sentences for the commitment forms that real readouts use besides "agreed to".


def test_commitment_to_a_bare_verb_is_an_undertaking() -> None:
    assert _commitments(
        "Minister Sato and Minister Smith expressed their commitment to consolidate and expand ties."
    ) == [
        (
            "Minister Sato and Minister Smith expressed their commitment to consolidate and expand ties",
            ["Australia", "Japan"],
            "ongoing",
        )
    ]
    assert _commitments("The ministers reaffirmed their commitment to peace and stability.") == []


def test_has_an_intention_to() -> None:
    assert _commitments(
        "Minister Sato stated that Japan has an intention to keep leading reef science with Australia."
    ) == [
        (
            "Japan has an intention to keep leading reef science with Australia",
            ["Japan"],
            "ongoing",
        )
    ]
    assert _commitments("Minister Sato stated that Japan has no intention to change its policy.") == []


def test_the_alliance_and_a_compound_of_the_parties_are_both_parties() -> None:
    found = _commitments("Minister Smith said she hopes the Australia-Japan Alliance will respond in unison.")
    assert found == [
        ("the Australia-Japan Alliance will respond in unison", ["Australia", "Japan"], "ongoing")
    ]
    found = _commitments("Minister Smith said that she hopes the Alliance will act as one.")
    assert [p for _q, p, _t in found] == [["Australia", "Japan"]]


def test_third_party_should_in_one_that_clause_leaves_the_next_one() -> None:
    found = _commitments(
        "Minister Sato stated that a new resolution should be quickly adopted at the UN Security Council, "
        "and that he wished to cooperate closely with Australia."
    )
    assert found == [("he wished to cooperate closely with Australia", ["Japan"], "ongoing")]


def test_abbreviated_title_is_the_person() -> None:
    header = (
        "Telephone conversation between External Affairs Minister and the Foreign Minister of Brazil\n\n"
        "On 3 May 2024 Dr. R. Sharma, External Affairs Minister, spoke by phone with Foreign Minister "
        "Ana Costa of Brazil.\n\n"
    )
    readout = extract(
        header + "EAM and Minister Costa expressed their commitment to deepen the partnership.\n",
        meeting_date=dt.date(2024, 5, 3),
    )
    assert [sorted(c.parties) for c in readout.commitments] == [["Brazil", "India"]]


def test_a_pair_after_between_is_not_cut_at_and() -> None:
    """Synthetic: "between X and Y, the two countries would ..." keeps both as the subject."""
    found = _commitments(
        "The ministers concurred that, to build on the maritime work between Japan and Australia, "
        "both countries would hold regular talks."
    )
    assert found == [("both countries would hold regular talks", ["Australia", "Japan"], "none")]
    found = _commitments("The ministers agreed that cooperation between Japan and Australia would continue.")
    assert found == [
        ("cooperation between Japan and Australia would continue", ["Australia", "Japan"], "ongoing")
    ]


def test_plans_as_a_noun_is_no_undertaking() -> None:
    """Synthetic: "agenda and plans to", "its plans to" are nouns; "Japan plans to" is the verb."""
    assert (
        _commitments("The ministers discussed Australia's economic agenda and plans to ensure growth.") == []
    )
    assert _commitments("The ministers welcomed its plans to hold talks.") == []
    assert _commitments("Minister Sato said Japan also plans to open a consulate in Perth.") == [
        ("Japan also plans to open a consulate in Perth", ["Japan"], "none")
    ]


def test_working_out_the_details_is_part_of_the_undertaking() -> None:
    """Synthetic: "agreed to hold X before Y and decided to coordinate the details" is one commitment."""
    found = _commitments(
        "The ministers agreed to hold a meeting before the G7 Summit and decided to coordinate the details."
    )
    assert [(p, t) for _q, p, t in found] == [(["Australia", "Japan"], "event")]
    # A second, different undertaking stays separate.
    found = _commitments("They agreed to work together on relief and decided to send a joint mission.")
    assert len(found) == 2


def test_and_also_with_a_past_tense_statement_ends_the_undertaking() -> None:
    """ "would increase aid and also emphasized the importance of ...": the second predicate is a
    statement in the past tense, not part of the undertaking's words (issue 15, branch extract)."""
    found = _commitments(
        "Minister Smith said Australia would increase scholarships for Japanese students and also "
        "emphasized the importance of free trade."
    )
    assert found == [
        ("Australia would increase scholarships for Japanese students", ["Australia"], "ongoing")
    ]


def test_a_participial_aside_between_subject_and_verb_names_no_subject() -> None:
    """Synthetic: ", fully sharing the view that <a third party> ..., agreed to": the subject is
    before the aside, and a third party named inside it neither undertakes nor blocks."""
    found = _commitments(
        "The two ministers, fully sharing the view that North Korea's recent missile launch is a "
        "grave challenge to the relevant UN Security Council resolutions, agreed to coordinate closely."
    )
    assert found == [("agreed to coordinate closely", ["Australia", "Japan"], "ongoing")]
    # A subject of titles alone, with the aside: the meeting's parties.
    found = _commitments(
        "The Minister and the Secretary, noting that North Korea continues its provocations, "
        "agreed to respond together."
    )
    assert [(q, p) for q, p, _t in found] == [("agreed to respond together", ["Australia", "Japan"])]
    # A third party before the aside is still no undertaking of the meeting's parties.
    assert _commitments("North Korea, ignoring repeated warnings, continued to develop missiles.") == []


def test_the_meeting_named_ahead_anchors_a_later_undertaking() -> None:
    """Synthetic: the event named in one sentence is "the meeting" of the next."""
    readout = extract(
        HEADER + "1. The two ministers will meet again at the ASEAN Regional Forum in Jakarta in July. "
        "They agreed to continue consultations ahead of the meeting.\n",
        meeting_date=MEETING,
    )
    last = readout.commitments[-1]
    assert last.quote == "They agreed to continue consultations ahead of the meeting"
    assert (last.deadline.type, last.deadline.event, last.deadline.relation) == (
        "event",
        "ASEAN Regional Forum",
        "before",
    )


def test_a_second_verb_inside_a_purpose_clause_is_no_second_undertaking() -> None:
    """Synthetic: "so as to ensure results from the summit and promote ..." is one undertaking."""
    found = _commitments(
        "The two ministers will attend the upcoming G20 Summit in Rio. Both sides should join efforts "
        "so as to ensure positive results from the summit and promote stable relations."
    )
    assert [q for q, _p, t in found if t == "event" and q.startswith("Both sides")] == [
        "Both sides should join efforts so as to ensure positive results from the summit and promote "
        "stable relations"
    ]


def test_underlined_or_restated_commitment_to_an_action() -> None:
    """Synthetic: "underlined Australia's commitment to working with Japan" undertakes, as
    "reaffirmed their commitment to" does; a commitment to a goal stays a position."""
    assert _commitments(
        "Minister Smith underlined Australia's commitment to working with Japan on energy."
    ) == [
        (
            "Minister Smith underlined Australia's commitment to working with Japan on energy",
            ["Australia"],
            "ongoing",
        )
    ]
    assert _commitments("Minister Smith restated her commitment to deepen cooperation with Japan.")[0][1] == [
        "Australia"
    ]
    assert (
        _commitments("Minister Smith underlined the ironclad Australian commitment to Japan's security.")
        == []
    )


def test_how_the_parties_will_act_reported_in_a_discussion() -> None:
    """Synthetic: "spoke about how both leaders would continue to engage closely" reports what
    they will do; "discussed how to deepen cooperation" reports only a topic."""
    assert _commitments(
        "They also spoke about how both ministers would continue to engage closely on this issue."
    ) == [
        ("both ministers would continue to engage closely on this issue", ["Australia", "Japan"], "ongoing")
    ]
    assert _commitments("They discussed how to deepen cooperation.") == []
    assert _kind("They discussed how to deepen cooperation.") == "exchange"


def test_an_offer_or_commitment_owned_by_the_country_with_its_article() -> None:
    """Synthetic: "offered the UK's support", "reaffirmed the EU's commitment to working with":
    the article before a country's possessive does not hide the undertaking."""
    assert _commitments("Minister Smith offered the Commonwealth's support in this effort.") == [
        ("Minister Smith offered the Commonwealth's support in this effort", ["Australia"], "ongoing")
    ]
    assert _commitments("Minister Smith reaffirmed the EU's commitment to working with Japan on energy.") == [
        (
            "Minister Smith reaffirmed the EU's commitment to working with Japan on energy",
            ["Australia"],
            "ongoing",
        )
    ]
    # Condolences offered are courtesy.
    assert _commitments("Minister Smith offered the Commonwealth's condolences to the people of Japan.") == []


def test_a_presidency_named_by_its_country_undertakes_for_it() -> None:
    """Synthetic: "The Australian Presidency will do its utmost": the country holding the chair."""
    assert _commitments("The Australian Presidency will do its utmost to advance the negotiations.") == [
        ("The Australian Presidency will do its utmost to advance the negotiations", ["Australia"], "ongoing")
    ]


def test_a_wish_or_acceptance_owned_by_the_country_with_its_article() -> None:
    """Synthetic: "expressed the EU's desire to conclude ...", "expressed the EU's hope for closer
    cooperation", as with "Japan's"."""
    assert [
        q for q, _p, _t in _commitments("Minister Smith expressed the EU's desire to conclude the talks.")
    ] == ["Minister Smith expressed the EU's desire to conclude the talks"]
    assert [
        q for q, _p, _t in _commitments("Minister Smith expressed the EU's hope for closer cooperation.")
    ] == ["Minister Smith expressed the EU's hope for closer cooperation"]


def test_undertakings_listed_after_a_colon_are_one_each() -> None:
    """Synthetic: "agreed on the following: (1) to ...; (2) to ...", and "agreed to:" over
    bullets: each item is the subject's undertaking, with its own time words."""
    found = _commitments(
        "The two ministers agreed on the following: (1) to strengthen cooperation on energy; "
        "(2) to hold the next dialogue in Canberra next year; and (3) to coordinate closely on North Korea."
    )
    assert found == [
        ("to strengthen cooperation on energy", ["Australia", "Japan"], "ongoing"),
        ("to hold the next dialogue in Canberra next year", ["Australia", "Japan"], "date"),
        ("to coordinate closely on North Korea", ["Australia", "Japan"], "ongoing"),
    ]
    found = _commitments(
        "They agreed to:\n- deepen cooperation on critical minerals;\n- work together on climate."
    )
    assert [(q, p) for q, p, _t in found] == [
        ("deepen cooperation on critical minerals", ["Australia", "Japan"]),
        ("work together on climate", ["Australia", "Japan"]),
    ]


@pytest.mark.parametrize(
    "body",
    [
        # Synthetic: the meeting's own arrangements and place in time are courtesy.
        "The call took place at the request of Minister Smith.",
        "This was their first meeting since Minister Smith took office.",
        "The ministers attended the signing ceremony of the agreement.",
    ],
)
def test_the_meetings_own_arrangements_are_protocol(body: str) -> None:
    assert _kind(body) == "protocol"


def test_one_sides_proposal_that_both_act_is_both_sides_undertaking() -> None:
    """Synthetic: "proposing that Japan and Australia coordinate closely" is read like "both sides
    should": both undertake; a proposal about one party alone is no undertaking."""
    assert _commitments(
        "Minister Smith stressed Australia's support, proposing that Japan and Australia coordinate closely "
        "on the response."
    ) == [("Japan and Australia coordinate closely on the response", ["Australia", "Japan"], "ongoing")]
    assert _commitments("Minister Smith proposed that Japan coordinate closely with the United States.") == []


def test_an_infinitive_after_and_is_agreed_to_as_well() -> None:
    """Synthetic: "agreed on the importance of X and to continue ..." agrees to continue; in "agreed
    on the need to act and to speak", "to speak" goes with "to act" (a necessity, no undertaking)."""
    assert _commitments(
        "The two ministers agreed on the importance of the relationship and to continue working closely "
        "together."
    ) == [("to continue working closely together", ["Australia", "Japan"], "ongoing")]
    assert _commitments("The two ministers agreed on the need to act and to speak to the press.") == []


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        # Synthetic: thanks for the other side's conduct appreciate it (a position); thanks for
        # hospitality or congratulations are courtesy.
        (
            "Minister Sato thanked Minister Smith for Australia's support on the North Korea issue.",
            "position",
        ),
        (
            "Minister Sato thanked Minister Smith for the assistance extended to Japanese citizens.",
            "position",
        ),
        ("Minister Sato thanked Minister Smith for her support.", "position"),
        ("Minister Sato thanked Minister Smith for the warm hospitality.", "protocol"),
        ("Minister Smith thanked Minister Sato for his congratulations.", "protocol"),
    ],
)
def test_thanks_for_the_other_sides_conduct_are_a_view(body: str, kind: str) -> None:
    assert _kind(body) == kind


def test_a_commitment_to_act_as_a_second_object_and_pledged_cooperation() -> None:
    """Synthetic: "reaffirmed X's support for Japan and its commitment to work together" undertakes
    the work (a commitment to a principle does not); "pledged continued cooperation on" undertakes."""
    found = _commitments(
        "Minister Smith reaffirmed Australia's steadfast support for Japan and its commitment to work "
        "together on the region."
    )
    assert [(p, t) for _q, p, t in found] == [(["Australia"], "ongoing")]
    assert (
        _commitments(
            "Minister Smith reaffirmed Australia's support for Japan and its commitment to the "
            "rules-based order."
        )
        == []
    )
    assert _commitments("The two ministers pledged continued cooperation on energy security.") == [
        (
            "The two ministers pledged continued cooperation on energy security",
            ["Australia", "Japan"],
            "ongoing",
        )
    ]


def test_a_where_clause_after_an_event_ahead_happens_at_it() -> None:
    """Synthetic: "the upcoming G20 Foreign Ministers' Meeting, where they will meet next week":
    the meeting is at the event; a past event or a place gives no such anchor."""
    found = _commitments(
        "The two ministers discussed the upcoming G20 Foreign Ministers' Meeting, where they will meet "
        "next week."
    )
    readout = extract(
        HEADER + "1. The two ministers discussed the upcoming G20 Foreign Ministers' Meeting, where they "
        "will meet next week.\n",
        meeting_date=MEETING,
    )
    deadline = readout.commitments[0].deadline
    assert [t for _q, _p, t in found] == ["event"]
    assert (deadline.event, deadline.relation) == ("G20 Foreign Ministers' Meeting", "at")
    assert [
        t
        for _q, _p, t in _commitments(
            "The two ministers visited Canberra, where they will meet again next year."
        )
    ] == ["date"]


def test_a_wish_of_a_party_named_after_it() -> None:
    """Synthetic: "expressed the readiness of the Australian Presidency to continue ..." is that
    party's undertaking; "the willingness of North Korea to return to talks" is a third party's."""
    assert _commitments(
        "Minister Smith expressed the readiness of the Australian Presidency to continue close cooperation."
    ) == [
        (
            "Minister Smith expressed the readiness of the Australian Presidency to continue close "
            "cooperation",
            ["Australia"],
            "ongoing",
        )
    ]
    assert _commitments("Minister Smith noted the willingness of North Korea to return to talks.") == []


def test_a_plural_name_with_a_bare_apostrophe_owns_a_wish() -> None:
    """Synthetic: "the Philippines’ desire to deepen cooperation" reads as "Japan's desire to"."""
    assert [
        q for q, _p, _t in _commitments("Minister Smith expressed the Philippines’ desire to deepen ties.")
    ] == ["Minister Smith expressed the Philippines’ desire to deepen ties"]


def test_agreed_on_or_confirmed_close_cooperation() -> None:
    """Synthetic: "agreed on close coordination", "confirmed continued close cooperation" undertake
    the cooperation; "confirmed receiving the letter" or "confirmed progress" do not."""
    assert _commitments("The two ministers agreed on close coordination on North Korea.") == [
        ("The two ministers agreed on close coordination on North Korea", ["Australia", "Japan"], "ongoing")
    ]
    found = _commitments("The two ministers confirmed continued close cooperation on the Indo-Pacific.")
    assert [(p, t) for _q, p, t in found] == [(["Australia", "Japan"], "ongoing")]
    assert _commitments("Minister Smith confirmed receiving the letter.") == []
    assert _commitments("The two ministers confirmed progress in bilateral cooperation.") == []


def test_a_full_stop_glued_to_the_next_sentence_ends_it() -> None:
    """Synthetic: a copy that joined two paragraphs ("... the region.The interlocutors agreed to ...")
    still has two sentences, and "the interlocutors" are both parties; "U.S.", "St." and domain
    names stay whole."""
    found = _commitments(
        "Minister Sato noted the long friendship between the two countries.The interlocutors agreed to "
        "expand student exchanges."
    )
    assert found == [
        ("The interlocutors agreed to expand student exchanges", ["Australia", "Japan"], "ongoing")
    ]
    from tracker.extraction.en.sentences import sentence_spans

    text = "They met the U.S.Trade Representative in St.Petersburg at mofa.go.jp."
    assert len(sentence_spans(text)) == 1


def test_a_reflexive_object_before_the_infinitive() -> None:
    """Synthetic: "committed themselves to <act>" undertakes as "committed to <act>" does; a
    reflexive commitment to a cause ("committed himself to the cause of peace") stays a goal."""
    assert _commitments("Both sides committed themselves to further expand trade in services.") == [
        (
            "Both sides committed themselves to further expand trade in services",
            ["Australia", "Japan"],
            "ongoing",
        )
    ]
    assert _commitments("Minister Sato committed himself to the cause of peace.") == []


def test_a_commitment_to_an_act_named_by_its_noun() -> None:
    """Synthetic: "reaffirmed their mutual commitment to further development of <their cooperation>"
    undertakes that act; "commitment to the development of Africa" is a goal."""
    found = _commitments(
        "The ministers reaffirmed their mutual commitment to further progressive development of "
        "Japan-Australia cooperation in agriculture."
    )
    assert [(p, t) for _q, p, t in found] == [(["Australia", "Japan"], "ongoing")]
    assert _commitments("Minister Sato reaffirmed Japan's commitment to the development of Africa.") == []


def test_a_step_that_reflects_the_keenness_of_both_countries() -> None:
    """Synthetic: "this reflects the keenness of both countries to <act>" states both sides' wish as
    "highlighted the keenness of" does; a wish of others reflected by a vote is no undertaking."""
    found = _commitments(
        "Minister Sato added that this reflects the keenness of both countries to expand trade."
    )
    assert [(p, t) for _q, p, t in found] == [(["Australia", "Japan"], "ongoing")]
    assert (
        _commitments("Minister Sato said the vote reflected the wish of the people to live in peace.") == []
    )


def test_a_wish_to_pay_a_courtesy_is_no_undertaking() -> None:
    """Synthetic: "wanted to congratulate her warmly", "would like to express condolences" are
    courtesies paid in the meeting; the soft undertaking beside them is kept."""
    found = _commitments(
        "Minister Sato told Minister Smith that he wanted to congratulate her warmly and said he looked "
        "forward to working with Australia."
    )
    assert [(q, p) for q, p, _t in found] == [("he looked forward to working with Australia", ["Japan"])]
    assert _commitments("Minister Sato said Japan would like to express its deep condolences.") == []


def test_the_bare_title_is_the_publishers_principal_and_said_shares_the_subject() -> None:
    """Synthetic: both prime ministers are named in the opening, so "The Prime Minister" is the
    publisher's own; "thanked X for ..., and said he looked forward to ..." keeps that subject,
    with or without a comma and a "that"."""
    text = (
        "PM call with Prime Minister Smith of Australia\n\n"
        "Prime Minister Jane Doe spoke to the Australian Prime Minister, John Smith, this morning.\n\n"
        "The Prime Minister thanked Prime Minister Smith for his kind words on her appointment, and said "
        "she looked forward to working closely with Australia.\n"
    )
    readout = extract(text, meeting_date=MEETING, publisher="Prime Minister's Office, 10 Downing Street")
    assert [(c.quote, c.parties) for c in readout.commitments] == [
        ("she looked forward to working closely with Australia", ["United Kingdom"])
    ]
    found = _commitments(
        "Minister Sato said he wanted to thank Minister Smith warmly and said he looked forward to "
        "visiting Australia."
    )
    assert [(q, p) for q, p, _t in found] == [("he looked forward to visiting Australia", ["Japan"])]


def test_would_only_support_sets_a_condition() -> None:
    """Synthetic: "Japan would only support solutions that Australia agrees with" is a stance on a
    settlement (like "would not accept"); "Japan would support Australia's bid" is an undertaking."""
    assert (
        _commitments("Minister Sato said that Japan would only support solutions that Australia accepts.")
        == []
    )
    assert [
        q for q, _p, _t in _commitments("Minister Sato said that Japan would support Australia's bid.")
    ] == ["Japan would support Australia's bid"]


@pytest.mark.parametrize(
    "text",
    [
        "In attendance were the Ministers of Trade and of Defence, among other officials.",
        "The two ministers co-chaired the fourth session of the Joint Commission in Canberra.",
        "Minister Sato today led the Ministerial Session of the 3rd Joint Commission in Tokyo.",
        "During the meeting, an agreement was signed to establish a Joint Committee on trade.",
        "The ministers signed the agreed minutes of the senior officials' segment.",
    ],
)
def test_the_sessions_own_arrangements_are_protocol(text: str) -> None:
    """Synthetic: who attended, who led or chaired the session and what was signed at it are the
    meeting's own arrangements (protocol), not views."""
    assert classify(text, False) == "protocol"


def test_attention_devoted_to_a_topic_is_an_exchange() -> None:
    """Synthetic: "devoted considerable attention to", "paid special attention to" name a topic
    discussed (an exchange)."""
    assert classify("The sides also devoted considerable attention to the regional partnership.", False) == (
        "exchange"
    )
    assert classify("The ministers paid special attention to maritime security.", False) == "exchange"


def test_a_topic_important_for_a_region_is_no_importance_statement() -> None:
    """Synthetic: "exchanged views on ... projects important for the region" is an exchange; "it is
    important for both countries to ..." stays a position."""
    assert classify("The officials exchanged views on energy projects important for the region.", False) == (
        "exchange"
    )
    assert (
        classify("Minister Sato said it is important for both countries to cooperate.", False) == "position"
    )


def test_a_shared_assessment_reported_in_the_past_tense_is_a_position() -> None:
    """Synthetic: "agreed that there was more that could be done together" is an assessment (a
    position) as "agreed that ... is" is; "noted that the meeting was held in Tokyo" stays a remark."""
    assert classify(
        "Minister Smith noted that the two countries had a long friendship. The pair agreed that there was "
        "more that could be done together.",
        False,
    ) == ("position")
    assert classify("The ministers noted that the meeting was held in Tokyo.", False) == "exchange"


def test_a_wish_to_act_as_a_second_object() -> None:
    """Synthetic: "hailed the relations between the two states and their determination to broaden
    their cooperation" is both sides' undertaking; "reaffirmed Japan's support for Australia and its
    readiness to help" is Japan's; a third party's determination ("the people of X and their
    determination to resist") is none."""
    found = _commitments(
        "Minister Sato hailed the close relations between the two states and their determination to broaden "
        "their cooperation."
    )
    assert [(p, t) for _q, p, t in found] == [(["Australia", "Japan"], "ongoing")]
    found = _commitments(
        "Minister Sato reaffirmed Japan's support for Australia and its readiness to help in recovery."
    )
    assert [p for _q, p, _t in found] == [["Japan"]]
    assert _commitments("Minister Sato hailed the people of Ukraine and their determination to resist.") == []


def test_the_meetings_series_is_protocol() -> None:
    """Synthetic: "the dialogue is being held for the fourth time; it is organised annually" places
    the meeting in its series (protocol)."""
    assert classify(
        "The strategic dialogue is being held for the fourth time. It is organised annually in either "
        "capital.",
        False,
    ) == ("protocol")


def test_an_undertaking_that_serves_an_events_success_is_tied_to_it() -> None:
    """Synthetic: "contribute to the success of the conference" (the conference named before) is
    event/before it; "host a successful Pacific Islands Summit" is event/at it; "the success of our
    cooperation" names no event and stays ongoing."""
    readout = extract(
        HEADER + "1. Minister Smith asked for Japan's participation in the Ocean Futures (International "
        "Conference on Ocean Health) to be held in Perth in July. Minister Sato stated that Japan would like "
        "to contribute to the success of the conference.\n2. Minister Smith said Australia is willing to "
        "host a successful Pacific Islands Summit.\n3. Minister Sato said that Japan would like to "
        "contribute to the success of our cooperation.\n",
        meeting_date=MEETING,
    )
    found = [(c.deadline.type, c.deadline.event, c.deadline.relation) for c in readout.commitments]
    assert found == [
        ("event", "Ocean Futures (International Conference on Ocean Health)", "before"),
        ("event", "Pacific Islands Summit", "at"),
        ("ongoing", None, None),
    ]


def test_a_commitment_to_an_act_with_an_adverb_before_the_gerund() -> None:
    """Synthetic: "underlined their commitment to further enhancing the partnership" undertakes as
    "commitment to enhancing" does."""
    found = _commitments("Both ministers underlined their commitment to further enhancing the partnership.")
    assert [(p, t) for _q, p, t in found] == [(["Australia", "Japan"], "ongoing")]


def test_a_step_named_by_its_noun_after_to_the() -> None:
    """Synthetic: "committed to its swift implementation", "agreed to the early conclusion of the
    talks" undertake the step; "agreed to the proposal" names none."""
    found = _commitments(
        "The ministers welcomed the signing of the arrangement and committed to its swift implementation."
    )
    assert [q for q, _p, _t in found] == ["committed to its swift implementation"]
    assert len(_commitments("The two ministers agreed to the early conclusion of the talks.")) == 1
    assert _commitments("The two ministers agreed to the proposal.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The two leaders spoke by phone on Monday.",
        "The Foreign Minister and the Secretary spoke today.",
        "The meeting lasted about 40 minutes.",
    ],
)
def test_the_call_its_time_and_length_are_protocol(text: str) -> None:
    """Synthetic: that the call took place, when, and how long it lasted (protocol); "spoke about
    trade" stays an exchange."""
    assert classify(text, False) == "protocol"
    assert classify("The leaders spoke about trade and energy.", False) == "exchange"


def test_they_in_the_paragraph_on_one_call_is_that_calls_pair() -> None:
    """Synthetic: a release on three calls; "They agreed to meet next week" in the paragraph on one
    call is that call's two parties (the publisher's side completing the pair), while "The three
    ministers agreed" in a trilateral meeting keeps all three."""
    text = (
        "Taoiseach speaks with President Dupont, Chancellor Schmidt and Prime Minister Smith\n\n"
        "The Taoiseach, Sean Murphy, spoke by phone today with the French President Jean Dupont, the "
        "Chancellor of Germany Karl Schmidt, and British Prime Minister John Smith.\n\n"
        "Chancellor Schmidt discussed the budget talks. They also discussed trade, and agreed to meet in "
        "Brussels next week.\n"
    )
    readout = extract(text, meeting_date=MEETING, publisher="Department of the Taoiseach (Ireland)")
    assert [sorted(c.parties) for c in readout.commitments] == [["Germany", "Ireland"]]
    trilateral = (
        "Japan-United States-Republic of Korea Foreign Ministers' Meeting\n\n"
        "On May 1, Mr. Taro Sato, Minister for Foreign Affairs of Japan, met Mr. John Doe, Secretary of "
        "State of the United States, and Mr. Kim Lee, Minister of Foreign Affairs of the Republic of "
        "Korea.\n\n"
        "1. Minister Sato and Secretary Doe spoke first. The three ministers agreed to meet again in Seoul.\n"
    )
    readout = extract(trilateral, meeting_date=MEETING, publisher="Ministry of Foreign Affairs of Japan")
    assert [len(c.parties) for c in readout.commitments] == [3]


def test_a_meeting_with_the_other_party_takes_both() -> None:
    """Synthetic: "she would meet with Minister Sato again in June" is a meeting of both parties;
    a visit, or a meeting with business leaders, stays the speaker's."""
    found = _commitments("Minister Smith said she would meet with Minister Sato again in June.")
    assert [p for _q, p, _t in found] == [["Australia", "Japan"]]
    found = _commitments("Minister Smith said she would meet with business leaders in Tokyo.")
    assert [p for _q, p, _t in found] == [["Australia"]]


def test_next_week_said_again_is_the_event_named_with_it() -> None:
    """Synthetic: "at the Pacific Forum in Suva next week" in one point, then "agreed to meet in Suva
    next week" in the next: the second "next week" is that event; a "next week" with no event named
    before stays a date."""
    readout = extract(
        HEADER + "1. They looked forward to seeing each other at the Pacific Forum in Suva next week.\n"
        "2. They also discussed trade, and agreed to meet for further talks in Suva next week.\n",
        meeting_date=MEETING,
    )
    assert [(c.deadline.type, c.deadline.event) for c in readout.commitments] == [
        ("event", "Pacific Forum"),
        ("event", "Pacific Forum"),
    ]
    assert [t for _q, _p, t in _commitments("They agreed to meet again next week.")] == ["date"]


def test_a_numbered_event_is_one_name_however_spaced() -> None:
    """Synthetic: "with a view to the COP 31 in Antalya" names the event "COP31", as the registry
    writes it; other names are left alone."""
    readout = extract(
        HEADER + "1. The two ministers agreed to take work forward with a view to the COP 31 in Antalya.\n",
        meeting_date=MEETING,
    )
    assert [c.deadline.event for c in readout.commitments] == ["COP31"]
    from tracker.extraction.en.dating import numbered_event_name
    from tracker.extraction.types import DeadlineSpec

    spec = DeadlineSpec(type="event", text="at the Summit", event="Pacific Islands Summit", relation="at")
    assert numbered_event_name(spec) is spec


@pytest.mark.parametrize(
    "text",
    [
        "Minister Sato is on an official visit to Australia from 2 to 4 March.",
        "Minister Smith arrived in Tokyo on Sunday for a three-day visit.",
        "Minister Sato is also scheduled to meet the Governor-General.",
        "Minister Sato laid a wreath at the war memorial.",
        "The talks were conducted in a friendly and constructive manner.",
        "This was the first in-person meeting between the two ministers.",
        "The two ministers also signed a joint statement.",
    ],
)
def test_the_visit_its_itinerary_and_manner_are_protocol(text: str) -> None:
    """Synthetic: the visit, its itinerary, the talks' manner and a statement signed at them are
    the meeting's own arrangements (protocol), not statements of view."""
    assert classify(text, False) == "protocol"


@pytest.mark.parametrize(
    "text",
    [
        "Minister Sato gave an overview of Japan's regional policy.",
        "Minister Smith provided an update on the elections.",
        "The ministers assessed the state of bilateral relations.",
        "The two sides explored ways to expand trade in services.",
        "They looked at options for cooperation on hydrogen.",
    ],
)
def test_a_topic_gone_over_together_is_an_exchange(text: str) -> None:
    """Synthetic: an overview or update given, the state of relations assessed, ways explored are
    what was discussed (an exchange), not a view held; "agreed to explore ways" stays an undertaking."""
    assert classify(text, False) == "exchange"
    assert [t for _q, _p, t in _commitments("The two ministers agreed to explore ways to expand trade.")] == [
        "ongoing"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The ministers talked through the preparations for the visit.",
        "The ministers considered next steps on the trade agreement.",
        "Topics included trade, energy and security.",
        "They held an in-depth exchange on the Korean Peninsula.",
        "Minister Smith apprised Minister Sato of the latest developments.",
        "The two sides compared their assessments of the situation.",
        "The two leaders had a productive conversation about trade.",
    ],
)
def test_more_words_of_going_over_a_topic(text: str) -> None:
    """Synthetic: more ways of saying what was discussed (an exchange); "held talks on the sidelines
    of the summit" stays protocol."""
    assert classify(text, False) == "exchange"
    assert classify("The two ministers held talks on the sidelines of the summit.", False) == "protocol"


def test_an_invitation_extended_and_accepted() -> None:
    """Synthetic: "extended an invitation to X to visit Canberra, which X gladly accepted" is X's
    undertaking, as "invited X to visit ..., which he accepted" is; not accepted, it is none."""
    found = _commitments(
        "Minister Smith extended an invitation to Minister Sato to visit Canberra, which Minister Sato "
        "gladly accepted."
    )
    assert [p for _q, p, _t in found] == [["Japan"]]
    assert _commitments("Minister Smith extended an invitation to Minister Sato to visit Canberra.") == []


def test_a_founding_step_agreed_on_and_readiness_for_cooperation() -> None:
    """Synthetic: "agreed on the establishment of a working group" undertakes a one-off step (none);
    "expressed their readiness for further cooperation" undertakes it; "agreed on the importance of
    the alliance" and "readiness for dialogue" (no word of more) stay views."""
    assert _commitments("The two sides agreed on the establishment of a working group on energy.") == [
        (
            "The two sides agreed on the establishment of a working group on energy",
            ["Australia", "Japan"],
            "none",
        )
    ]
    assert [
        t for _q, _p, t in _commitments("Both sides expressed their readiness for further cooperation.")
    ] == ["ongoing"]
    assert _commitments("The two sides agreed on the importance of the alliance.") == []


def test_an_anniversary_marked_or_a_speech_given_is_protocol() -> None:
    """Synthetic: "marked the 70th anniversary of diplomatic relations", "delivered a speech" are
    ceremonies of the visit (protocol)."""
    assert classify("They marked the 70th anniversary of diplomatic relations.", False) == "protocol"
    assert classify("Minister Smith delivered a keynote speech at the university.", False) == "protocol"


def test_thanks_for_the_others_commitment_is_a_position() -> None:
    """Synthetic: thanks for the other side's commitment ("thanked Japan for its commitment to provide
    aid") appreciate its conduct, as thanks for its support do (a position), and undertake nothing."""
    assert classify("Minister Smith thanked Japan for its commitment to provide aid.", False) == "position"
    assert _commitments("Minister Smith thanked Japan for its commitment to provide aid.") == []
