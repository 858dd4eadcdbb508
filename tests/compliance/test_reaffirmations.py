"""Reaffirmations: the sample readout's point 4 repeats an earlier (synthetic) undertaking."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.compliance.seed import SYNTHETIC_AUSTRALIA, SYNTHETIC_EARLIER_US, at
from tests.conftest import SEED_READOUT
from tests.factories import ingest, make_officer
from tracker.deadlines import DeadlineSettings
from tracker.extraction import extract
from tracker.models import Commitment, Reaffirmation, StatusChange
from tracker.services.errors import InvalidInput, PermissionDenied
from tracker.services.reaffirmations import (
    confirm_by_ids,
    confirm_reaffirmation,
    proposals_for_readout,
    propose_reaffirmations,
    reaffirmations_for,
)

EARLIER_DATE = dt.date(2018, 3, 2)
SEED_DATE = dt.date(2018, 6, 6)
ABDUCTIONS = "continue working together to resolve the abductions issue"


def _commitments(readout_id: int, session: Session) -> list[Commitment]:
    return list(session.scalars(select(Commitment).where(Commitment.readout_id == readout_id)))


def test_point_4_of_the_sample_is_proposed_as_a_reaffirmation(session: Session) -> None:
    officer = make_officer(session)
    # SYNTHETIC earlier readout (see tests/compliance/seed.py), ingested like any other.
    earlier_readout = ingest(session, SYNTHETIC_EARLIER_US, EARLIER_DATE, by=officer, now=at(EARLIER_DATE))
    earlier = next(c for c in _commitments(earlier_readout.id, session) if ABDUCTIONS in c.quote)
    # Another open undertaking with shared parties but other words, and one with no shared party.
    ingest(session, SYNTHETIC_AUSTRALIA, dt.date(2018, 7, 10), by=officer)
    # From the extraction result, as the ingest preview has it before the readout is stored.
    text = SEED_READOUT.read_text(encoding="utf-8")
    extracted = extract(text, SEED_DATE, DeadlineSettings()).commitments
    from_preview = propose_reaffirmations(session, extracted, meeting_date=SEED_DATE, viewer=None)
    assert len(from_preview) == 1
    assert from_preview[0].earlier_id == earlier.id and from_preview[0].later_id is None
    assert ABDUCTIONS in extracted[from_preview[0].later_index].quote
    # A meeting before the earlier one cannot reaffirm it.
    assert propose_reaffirmations(session, extracted, meeting_date=dt.date(2018, 1, 1), viewer=None) == []

    # The same once stored: only point 4, and never against the readout's own commitments.
    seed = ingest(session, text, SEED_DATE, by=officer, now=at(SEED_DATE))
    point4 = next(c for c in _commitments(seed.id, session) if c.point.number == "4")
    proposals = proposals_for_readout(session, seed, viewer=None)
    assert [(p.later_id, p.earlier_id) for p in proposals] == [(point4.id, earlier.id)]
    assert proposals[0].score >= 95


def test_confirming_stores_the_link_and_a_history_row(session: Session) -> None:
    officer = make_officer(session)
    earlier_readout = ingest(session, SYNTHETIC_EARLIER_US, EARLIER_DATE, by=officer, now=at(EARLIER_DATE))
    earlier = next(c for c in _commitments(earlier_readout.id, session) if ABDUCTIONS in c.quote)
    seed = ingest(session, SEED_READOUT.read_text(encoding="utf-8"), SEED_DATE, by=officer, now=at(SEED_DATE))
    (proposal,) = proposals_for_readout(session, seed, viewer=None)
    assert proposal.later_id is not None

    link = confirm_by_ids(session, earlier.id, proposal.later_id, by=officer, now=at(SEED_DATE, 15))
    assert (link.commitment_id, link.reaffirmed_by_id, link.readout_id) == (
        earlier.id, proposal.later_id, seed.id)  # fmt: skip
    assert link.score >= 95 and link.confirmed_by == officer and link.confirmed_at == at(SEED_DATE, 15)
    change = session.scalars(
        select(StatusChange).where(
            StatusChange.commitment_id == earlier.id, StatusChange.field == "reaffirmed"
        )
    ).one()
    assert change.new_value == f"commitment {proposal.later_id}"
    assert "2018-06-06" in (change.note or "")
    # Once confirmed it is no longer proposed, and cannot be confirmed twice.
    assert proposals_for_readout(session, seed, viewer=None) == []
    with pytest.raises(InvalidInput, match="already linked"):
        confirm_by_ids(session, earlier.id, proposal.later_id, by=officer, now=at(SEED_DATE, 16))
    assert [r.id for r in reaffirmations_for(session, [earlier.id], viewer=None)] == [link.id]


def test_confirm_refuses_wrong_order_itself_and_other_desks(session: Session) -> None:
    officer = make_officer(session)
    earlier_readout = ingest(session, SYNTHETIC_EARLIER_US, EARLIER_DATE, by=officer, now=at(EARLIER_DATE))
    earlier = next(c for c in _commitments(earlier_readout.id, session) if ABDUCTIONS in c.quote)
    seed = ingest(session, SEED_READOUT.read_text(encoding="utf-8"), SEED_DATE, by=officer, now=at(SEED_DATE))
    later = next(c for c in _commitments(seed.id, session) if c.point.number == "4")
    now = at(SEED_DATE, 15)
    with pytest.raises(InvalidInput, match="earlier meeting"):
        confirm_reaffirmation(session, later, earlier, by=officer, now=now)
    with pytest.raises(InvalidInput, match="itself"):
        confirm_reaffirmation(session, earlier, earlier, by=officer, now=now)
    with pytest.raises(PermissionDenied):
        confirm_reaffirmation(session, earlier, later, by=make_officer(session, desk="Europe Desk"), now=now)
    assert session.scalars(select(Reaffirmation)).all() == []
