"""Progress read from later readouts: proposed, classified and accepted through the normal service."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_officer
from tests.followup_intel.helpers import NOW, RAA_PROMISED, RAA_SIGNED, US_CALL, put
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment, Status, StatusChange
from tracker.progress import Outcome, classify, sentences
from tracker.services.errors import InvalidInput, PermissionDenied, VersionConflict
from tracker.services.progress import accept_progress, propose_for_readout

RAA = "accelerate the remaining tasks necessary for an early signing"


@pytest.mark.parametrize(
    ("sentence", "outcome"),
    [
        ("The two ministers welcomed the signing of the Japan-Australia RAA.", Outcome.DONE),
        ("The Agreement was signed by the two Prime Ministers.", Outcome.DONE),
        ("Diplomatic notes were exchanged; the Agreement will enter into force on August 13.", Outcome.DONE),
        ("He welcomed the TPP Commission's decision to begin negotiations with the UK.", Outcome.PROGRESS),
        ("The ministers made progress in the negotiations.", Outcome.PROGRESS),
        (
            "They confirmed they would coordinate toward an early signing of the agreement.",
            Outcome.REAFFIRMED,
        ),
        (
            "The two ministers once again confirmed that they will continue working together.",
            Outcome.REAFFIRMED,
        ),
    ],
)
def test_the_words_of_diplomatic_prose_tell_done_from_progress_from_said_again(
    sentence: str, outcome: Outcome
) -> None:
    assert classify(sentence)[0] == outcome


def test_sentences_keep_their_offsets_and_do_not_break_after_titles() -> None:
    text = "Title\nOn May 1, Mr. Kim met H.E. Mr. Modi. The U.S. will act.\n1. Point one."
    found = sentences(text, [(0, 6, len(text))])
    assert [s.text for s in found] == [
        "On May 1, Mr. Kim met H.E. Mr. Modi.",
        "The U.S. will act.",
        "1.",
        "Point one.",
    ]
    assert all(text[s.start : s.end] == s.text for s in found)


def test_a_signing_reported_later_is_proposed_as_done_and_accepted_with_history(session: Session) -> None:
    desk = make_officer(session)
    earlier = put(session, RAA_PROMISED, desk)
    later = put(session, RAA_SIGNED, desk)
    [proposal] = [p for p in propose_for_readout(session, later, viewer=None) if RAA in p.commitment.quote]
    assert proposal.outcome == Outcome.DONE
    assert "was signed" in proposal.evidence
    assert later.text[proposal.evidence_start : proposal.evidence_end] == proposal.evidence
    assert proposal.commitment.readout_id == earlier.id
    version = proposal.commitment.version
    with pytest.raises(VersionConflict):
        accept_progress(
            session,
            later,
            proposal.commitment_id,
            by=desk,
            now=NOW,
            settings=DeadlineSettings(),
            expect_version=version + 5,
        )
    accepted = accept_progress(
        session,
        later,
        proposal.commitment_id,
        by=desk,
        now=NOW,
        settings=DeadlineSettings(),
        expect_version=version,
    )
    c = accepted.commitment
    assert c.status == Status.DONE and c.version == version + 1
    change = session.scalars(
        select(StatusChange).where(StatusChange.commitment_id == c.id, StatusChange.field == "status")
    ).one()
    assert (
        change.new_value == "done"
        and f"readout {later.id}" in (change.note or "")
        and "was signed" in (change.note or "")
    )
    # Done now: no longer open, so no longer proposed, and accepting again is refused.
    assert c.id not in {p.commitment_id for p in propose_for_readout(session, later, viewer=None)}
    with pytest.raises(InvalidInput, match="not proposed"):
        accept_progress(session, later, c.id, by=desk, now=NOW, settings=DeadlineSettings())


def test_progress_is_proposed_only_against_earlier_meetings_with_the_same_counterpart(
    session: Session,
) -> None:
    desk = make_officer(session)
    put(session, US_CALL, desk)  # Japan-U.S., 2022: not about the RAA, and a later meeting
    put(session, RAA_PROMISED, desk)
    later = put(session, RAA_SIGNED, desk)
    proposals = propose_for_readout(session, later, viewer=None)
    assert proposals
    assert all(p.commitment.readout.meeting_date < later.meeting_date for p in proposals)
    assert all(
        "Australia" in {party.name for party in p.commitment.parties}
        or p.commitment.readout.title.startswith("Japan-Australia")
        for p in proposals
    )


def test_another_desks_commitment_is_not_changed(session: Session) -> None:
    owner = make_officer(session, desk="Asia-Pacific Desk")
    stranger = make_officer(session, desk="Europe Desk")
    put(session, RAA_PROMISED, owner)
    later = put(session, RAA_SIGNED, owner)
    [proposal] = [p for p in propose_for_readout(session, later, viewer=None) if RAA in p.commitment.quote]
    with pytest.raises(PermissionDenied):
        accept_progress(
            session, later, proposal.commitment_id, by=stranger, now=NOW, settings=DeadlineSettings()
        )
    assert session.get(Commitment, proposal.commitment_id).status == Status.OPEN  # type: ignore[union-attr]
