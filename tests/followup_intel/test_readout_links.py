"""Readouts of one meeting: proposed, linked, aligned and reconciled (issue 17), on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_officer
from tests.followup_intel.helpers import AU_EN, AU_JA, MOFA_EN, MOFA_JA, NOW, US_CALL, put
from tracker.brief import build_brief, render_docx, render_html
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment, CommitmentAlignment, LinkKind, ReadoutLink, StatusChange
from tracker.services.commitments import update_commitment
from tracker.services.errors import InvalidInput, NotFound
from tracker.services.readout_links import confirm_link, links_of, propose_for_readout, unlink
from tracker.services.reconciliation import BOTH, ONLY_OTHER, ONLY_THIS, reconcile


def test_the_other_sides_readout_and_the_translation_are_proposed(session: Session) -> None:
    by = make_officer(session, role="supervisor")
    us, en, ja = put(session, US_CALL, by), put(session, MOFA_EN, by), put(session, MOFA_JA, by)
    proposals = {p.readout_id: p for p in propose_for_readout(session, ja, viewer=None)}
    assert proposals[en.id].kind == LinkKind.TRANSLATION
    assert proposals[us.id].kind == LinkKind.COUNTERPART
    assert ja.id not in proposals
    # The U.S. readout is dated the day before (Washington time): still proposed, as a counterpart.
    assert {p.readout_id: p.kind for p in propose_for_readout(session, us, viewer=None)} == {
        en.id: LinkKind.COUNTERPART,
        ja.id: LinkKind.COUNTERPART,
    }
    confirm_link(session, ja.id, en.id, "translation", by=by, now=NOW)
    assert en.id not in {p.readout_id for p in propose_for_readout(session, ja, viewer=None)}


def test_a_readout_of_another_meeting_is_not_proposed(session: Session) -> None:
    by = make_officer(session)
    us = put(session, US_CALL, by)
    other = put(session, AU_EN, by)  # Japan-Australia, 2012
    assert other.id not in {p.readout_id for p in propose_for_readout(session, us, viewer=None)}


def test_a_counterpart_link_aligns_and_reconciles_both_sides(session: Session) -> None:
    by = make_officer(session, role="supervisor")
    us, en = put(session, US_CALL, by), put(session, MOFA_EN, by)
    link = confirm_link(session, en.id, us.id, "counterpart", by=by, now=NOW)
    assert link.readout_id == min(us.id, en.id)  # a counterpart pair is stored once, lower id first
    assert len(link.alignments) == 1
    [mofa_view] = reconcile(session, en.id, viewer=None)
    both = [r for r in mofa_view.rows if r.status == BOTH]
    assert len(both) == 1
    assert "Alliance" in both[0].this.quote and "modernizing" in both[0].other.quote
    assert mofa_view.count(ONLY_THIS) == 5  # MOFA's undertakings the U.S. readout leaves out
    assert mofa_view.count(ONLY_OTHER) == 1  # the U.S. pandemic undertaking
    # Seen from the other side, the columns swap.
    [us_view] = reconcile(session, us.id, viewer=None)
    assert us_view.count(ONLY_THIS) == 1 and us_view.count(ONLY_OTHER) == 5
    # Both sets stay tracked.
    assert session.scalar(select(Commitment.id).where(Commitment.readout_id == us.id)) is not None
    unlink(session, link.id, by=by)
    assert links_of(session, en.id, viewer=None) == []


def test_a_translation_link_keeps_one_set_with_both_quotes_and_flags_a_deadline_that_differs(
    session: Session,
) -> None:
    by = make_officer(session, role="supervisor")
    ja, en = put(session, AU_JA, by), put(session, AU_EN, by)
    english_ids = set(session.scalars(select(Commitment.id).where(Commitment.readout_id == en.id)))
    link = confirm_link(session, en.id, ja.id, "translation", by=by, now=NOW)
    assert link.readout_id == ja.id  # the original is the authoritative side whichever way it is asked
    folded = {a.commitment_id: a for a in link.alignments}
    assert len(folded) == 5
    left = set(session.scalars(select(Commitment.id).where(Commitment.readout_id == en.id)))
    assert (
        left < english_ids and len(english_ids - left) == 5
    )  # the matched English ones are no longer tracked
    history = session.scalars(
        select(StatusChange).where(
            StatusChange.commitment_id.in_(folded), StatusChange.field == "translation"
        )
    ).all()
    assert len(history) == 5
    [view] = reconcile(session, ja.id, viewer=None)
    flagged = [r for r in view.rows if any("deadline differs" in f for f in r.flags)]
    assert len(flagged) == 1
    assert "2+2" in flagged[0].this.quote and "promptly" in flagged[0].other.quote
    assert "authoritative" in flagged[0].flags[0]
    with pytest.raises(InvalidInput, match="translation link"):
        unlink(session, link.id, by=by)


def test_a_changed_translated_commitment_is_not_folded_silently(session: Session) -> None:
    by = make_officer(session, role="supervisor")
    ja, en = put(session, AU_JA, by), put(session, AU_EN, by)
    changed = session.scalars(select(Commitment).where(Commitment.readout_id == en.id)).first()
    assert changed is not None
    update_commitment(
        session, changed, by=by, note="started", now=NOW, settings=DeadlineSettings(), status="in_progress"
    )
    with pytest.raises(InvalidInput, match=f"#{changed.id}"):
        confirm_link(session, ja.id, en.id, "translation", by=by, now=NOW)
    assert session.scalar(select(ReadoutLink.id)) is None
    assert session.scalar(select(CommitmentAlignment.id)) is None


def test_bad_links_are_refused_with_a_reason(session: Session) -> None:
    by = make_officer(session, role="supervisor")
    us, en, au = put(session, US_CALL, by), put(session, MOFA_EN, by), put(session, AU_EN, by)
    with pytest.raises(InvalidInput, match="itself"):
        confirm_link(session, us.id, us.id, "counterpart", by=by, now=NOW)
    with pytest.raises(InvalidInput, match="unknown link kind"):
        confirm_link(session, us.id, en.id, "cousin", by=by, now=NOW)
    with pytest.raises(InvalidInput, match="within a day"):
        confirm_link(session, us.id, au.id, "counterpart", by=by, now=NOW)
    with pytest.raises(InvalidInput, match="two languages"):
        confirm_link(session, us.id, en.id, "translation", by=by, now=NOW)
    with pytest.raises(NotFound):
        confirm_link(session, us.id, 999_999, "counterpart", by=by, now=NOW)
    confirm_link(session, us.id, en.id, "counterpart", by=by, now=NOW)
    with pytest.raises(InvalidInput, match="already linked"):
        confirm_link(session, en.id, us.id, "counterpart", by=by, now=NOW)


def test_the_brief_lists_what_the_other_side_did_not_report(session: Session) -> None:
    by = make_officer(session, role="supervisor")
    us, en = put(session, US_CALL, by), put(session, MOFA_EN, by)
    confirm_link(session, us.id, en.id, "counterpart", by=by, now=NOW)
    brief = build_brief(session, "United States", today=NOW.date(), viewer=None)
    quotes = [o.quote for o in brief.one_sided]
    assert len(quotes) == 6
    assert any("COVID-19 pandemic" in q for q in quotes)  # the U.S. side's, not in MOFA's
    assert any("Department of Defense" in q for q in quotes)  # MOFA's, not in the U.S. readout
    html = render_html(brief)
    assert "The other side did not report these" in html
    assert render_docx(brief)[:2] == b"PK"
