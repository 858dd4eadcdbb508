"""Outcome assessment and the compliance rollups, on a seeded history, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from tests.compliance.seed import TODAY, at, seed_history
from tests.factories import make_officer
from tracker.models import Outcome, OutcomeEvidence, StatusChange
from tracker.services.compliance import (
    ComplianceRow,
    average_score,
    rollup,
    scores_by_counterpart,
    scores_by_desk,
    scores_by_meeting,
    scores_by_party,
    set_outcome,
)
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied, VersionConflict


def _figures(row: ComplianceRow) -> tuple[int, ...]:
    return (row.made, row.done_on_time, row.done_late, row.overdue, row.fulfilled, row.partial,
            row.not_fulfilled, row.too_early)  # fmt: skip


def test_scores_and_delivery_per_party(session: Session) -> None:
    seed_history(session)
    if session.get_bind().dialect.name == "postgresql":
        # A done timestamp of 23:30 UTC is the next day in Tokyo: the date must still be UTC's.
        session.execute(text("SET LOCAL TIME ZONE 'Asia/Tokyo'"))
    rows = {r.label: r for r in scores_by_party(session, today=TODAY, viewer=None)}
    assert set(rows) == {"Japan", "United States", "Republic of Korea", "Australia"}
    #                                  made on-time late overdue  F  P  N  TE
    assert _figures(rows["United States"]) == (4, 1, 1, 1, 1, 1, 1, 1)
    assert _figures(rows["Japan"]) == (5, 1, 1, 1, 1, 1, 2, 1)
    assert _figures(rows["Republic of Korea"]) == (2, 1, 0, 1, 1, 0, 0, 1)
    assert _figures(rows["Australia"]) == (1, 0, 0, 0, 0, 0, 1, 0)
    assert rows["United States"].score == 0.0
    assert rows["Japan"].score == pytest.approx(-0.25)
    assert rows["Republic of Korea"].score == 1.0
    assert rows["Australia"].score == -1.0
    assert rows["Australia"].dropped == 1
    assert rows["United States"].active == 2
    assert rows["United States"].assessed == 3 and rows["United States"].unassessed == 0


def test_counterparts_leave_out_our_own_government(session: Session) -> None:
    seed_history(session)
    labels = [r.label for r in scores_by_counterpart(session, today=TODAY, home_party="japan", viewer=None)]
    assert labels == ["Australia", "Republic of Korea", "United States"]


def test_scores_per_meeting_and_per_desk(session: Session) -> None:
    seed = seed_history(session)
    meetings = scores_by_meeting(session, today=TODAY, viewer=None)
    assert [r.key for r in meetings] == [seed.au_readout.id, seed.us_readout.id]
    assert meetings[1].meeting_date == dt.date(2018, 6, 6)
    assert (meetings[1].made, meetings[1].score) == (4, 0.0)
    assert (meetings[0].made, meetings[0].score) == (1, -1.0)
    desks = {r.label: r for r in scores_by_desk(session, today=TODAY, viewer=None)}
    assert _figures(desks["North America Desk"]) == (4, 1, 1, 1, 1, 1, 1, 1)
    assert desks["Oceania Desk"].score == -1.0


def test_date_range_and_party_filters(session: Session) -> None:
    seed_history(session)
    rows = rollup(
        session, "party", today=TODAY, date_from=dt.date(2018, 7, 1), parties=["Japan"], viewer=None
    )
    assert [(r.label, r.made) for r in rows] == [("Japan", 1)]
    assert rollup(session, "desk", today=TODAY, date_to=dt.date(2018, 1, 1), viewer=None) == []


def test_average_score_leaves_too_early_out() -> None:
    assert average_score(0, 0, 0) is None
    assert average_score(2, 1, 1) == 0.25


def test_set_outcome_writes_history_and_evidence(session: Session) -> None:
    seed = seed_history(session)
    c = seed.share
    version = c.version
    changes = set_outcome(
        session,
        c,
        "partial",
        by=seed.officer,
        note="  info shared once  ",
        evidence_urls=["https://www.mofa.go.jp/a.html", "https://www.mofa.go.jp/a.html", " "],
        evidence_readout_id=seed.au_readout.id,
        now=at(TODAY),
        expect_version=version,
    )
    assert [(ch.field, ch.old_value, ch.new_value) for ch in changes] == [
        ("outcome", "too_early", "partial"),
        ("evidence", None, "https://www.mofa.go.jp/a.html"),
        ("evidence", None, f"readout {seed.au_readout.id} (2018-07-10)"),
    ]
    assert (c.outcome, c.outcome_note, c.outcome_at, c.outcome_by) == (
        Outcome.PARTIAL, "info shared once", at(TODAY), seed.officer)  # fmt: skip
    assert c.version == version + 1
    evidence = session.scalars(select(OutcomeEvidence).where(OutcomeEvidence.commitment_id == c.id)).all()
    assert sorted((e.url or "", e.readout_id or 0) for e in evidence) == [
        ("", seed.au_readout.id),
        ("https://www.mofa.go.jp/a.html", 0),
    ]


def test_set_outcome_refusals_write_nothing(session: Session) -> None:
    seed = seed_history(session)
    c = seed.share
    before = session.scalar(select(func.count()).select_from(StatusChange))
    stranger = make_officer(session, desk="Europe Desk")
    with pytest.raises(PermissionDenied):
        set_outcome(session, c, "fulfilled", by=stranger, note="n", now=at(TODAY))
    with pytest.raises(InvalidInput, match="unknown outcome"):
        set_outcome(session, c, "kept", by=seed.officer, note="n", now=at(TODAY))
    with pytest.raises(InvalidInput, match="note"):
        set_outcome(session, c, "fulfilled", by=seed.officer, note=" ", now=at(TODAY))
    with pytest.raises(InvalidInput, match="http"):
        set_outcome(
            session, c, "fulfilled", by=seed.officer, note="n", now=at(TODAY),
            evidence_urls=["javascript:alert(1)"],
        )  # fmt: skip
    with pytest.raises(NotFound):
        set_outcome(
            session, c, "fulfilled", by=seed.officer, note="n", now=at(TODAY), evidence_readout_id=999999
        )
    with pytest.raises(VersionConflict):
        set_outcome(session, c, "fulfilled", by=seed.officer, note="n", now=at(TODAY), expect_version=1)
    assert session.scalar(select(func.count()).select_from(StatusChange)) == before
    assert c.outcome == Outcome.TOO_EARLY
