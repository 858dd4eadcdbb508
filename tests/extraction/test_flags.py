"""Possible undertakings that gave no commitment are kept as flags (synthetic texts, written for
these tests): nothing that reads like an undertaking by a party is lost silently, and sentences
that only look like one (a demand, a guarantee, a wish about a third party) cost no flag."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.extraction import extract
from tracker.extraction.types import ExtractedPoint

MEETING = dt.date(2025, 3, 4)
HEAD = (
    "Japan-Canada Foreign Ministers' Meeting\n\n"
    "On 4 March 2025, Mr. Taro Sato, Minister for Foreign Affairs of Japan, held a meeting with the "
    "Hon. Anne Tremblay, Minister of Foreign Affairs of Canada.\n\n"
)


def _point(sentence: str) -> ExtractedPoint:
    readout = extract(
        HEAD + "1. " + sentence + "\n", MEETING, publisher="Ministry of Foreign Affairs of Japan"
    )
    return readout.points[-1]


@pytest.mark.parametrize(
    "sentence",
    [
        # A subject the grammar cannot parse still names the parties.
        "The two Ministers confirmed that Japan and Canada, with other like-minded countries, will "
        "deepen their coordination in the Pacific Islands region.",
        "Both sides expressed their joint commitment to a free and open Indo-Pacific and enhancing "
        "fair and reciprocal bilateral trade.",
        "Minister Tremblay mentioned her wish to visit Japan again soon.",
        "The two Ministers concurred on further deepening the partnership.",
        "The two Ministers reaffirmed their desire to conclude the negotiations at an early date.",
        "The two Ministers agreed that the two countries are close partners sharing fundamental "
        "values, and will continue to work together toward a free and open Indo-Pacific.",
        # Issue 15 (branch extract): a proposal that both act, a passive with an adverb, a party's
        # engagement pledged, a noun of eagerness, and a subject the grammar cannot read at all.
        "Minister Tremblay stated that Canada would follow the talks closely, proposing that Japan and "
        "Canada coordinate closely on sanctions.",
        "Further consultations with the members of the Group will be expeditiously undertaken in the "
        "coming days.",
        "Minister Tremblay committed Canada's continued active engagement in the Peace Initiative.",
        "The Deputy Chief Negotiator Henri Lavoie reaffirmed the keenness to conclude talks this year.",
    ],
)
def test_an_undertaking_is_extracted_or_flagged(sentence: str) -> None:
    point = _point(sentence)
    assert point.commitments or point.flags
    for flag in point.flags:
        assert flag.quote in sentence and flag.parties and flag.cue


def test_a_flag_holds_its_words_and_its_subjects_parties() -> None:
    # "it is important that ..." is no undertaking by the labelling rules, but it reads like one.
    sentence = (
        "Minister Sato stated that it was important that Japan and Canada continue to work together "
        "toward the success of the Summit."
    )
    point = _point(sentence)
    assert point.commitments == []
    (flag,) = point.flags
    text = HEAD + "1. " + sentence + "\n"
    assert text[flag.start : flag.end] == flag.quote
    assert flag.quote == "Japan and Canada continue to work together toward the success of the Summit"
    assert flag.cue == "continue to work" and flag.parties == ["Japan", "Canada"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Minister Sato stressed that he hopes the Canadian side could make constructive efforts.",
        "Minister Sato stated that the international community should not tolerate the launch.",
        "Minister Sato stated that a new resolution should be adopted quickly at the Security Council.",
        "Minister Tremblay asked for Minister Sato's continued support for the initiative.",
        "Minister Sato reaffirmed Japan's ironclad commitment to the security of the region.",
        "Minister Tremblay said that she completely agreed with what Minister Sato had said.",
        "They shared the view that a launch of a missile by North Korea will constitute a breach of the "
        "resolutions.",
        "The two Ministers welcomed the progress of the negotiations.",
        "The two Ministers agreed on the importance of upholding international law.",
        "Minister Sato reaffirmed Japan's commitment to denuclearization of North Korea.",
    ],
)
def test_what_only_looks_like_an_undertaking_costs_no_flag(sentence: str) -> None:
    point = _point(sentence)
    assert not point.commitments and not point.flags


def test_a_covered_undertaking_is_not_flagged_again() -> None:
    point = _point("The two Ministers agreed that they would continue to work closely together.")
    assert len(point.commitments) == 1 and point.flags == []
