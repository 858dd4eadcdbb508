"""Ingest, status changes with history, optimistic locking (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import SEED_READOUT
from tests.factories import NOW, ingest, make_officer
from tracker.deadlines import DeadlineSettings
from tracker.history_text import describe_change
from tracker.models import Commitment, Readout, Status, StatusChange
from tracker.services.commitment_queries import CommitmentFilter, list_commitments
from tracker.services.commitments import update_commitment
from tracker.services.errors import DuplicateReadout, InvalidInput, PermissionDenied, VersionConflict
from tracker.services.readouts import ingest_text

SETTINGS = DeadlineSettings()
SEED_TEXT = SEED_READOUT.read_text(encoding="utf-8")


def test_seed_readout_gives_five_points_and_point_5_has_three_parties(session: Session) -> None:
    readout = ingest(session, SEED_TEXT, dt.date(2018, 6, 6))
    assert [p.number for p in readout.points] == ["1", "2", "3", "4", "5"]
    point5 = readout.points[4]
    assert point5.commitments, "point 5 undertakes to share information after the summit"
    assert {p.name for p in point5.commitments[0].parties} == {"Japan", "United States", "Republic of Korea"}
    for point in readout.points:
        for c in point.commitments:
            assert readout.text[c.quote_start : c.quote_end] == c.quote
            assert point.start_offset <= c.quote_start < c.quote_end <= point.end_offset


def test_ingesting_the_same_text_twice_is_refused_and_not_duplicated(session: Session) -> None:
    first = ingest(session, SEED_TEXT, dt.date(2018, 6, 6))
    with pytest.raises(DuplicateReadout) as info:
        ingest(session, SEED_TEXT + "\n\n", dt.date(2018, 6, 6))
    assert info.value.readout_id == first.id
    assert session.scalar(select(func.count()).select_from(Readout)) == 1


def test_a_text_with_no_points_is_refused(session: Session) -> None:
    with pytest.raises(InvalidInput):
        ingest(session, "   \n\n  ", dt.date(2018, 6, 6))
    assert session.scalar(select(func.count()).select_from(Readout)) == 0


def test_new_commitments_belong_to_the_ingesting_officer_and_desk(session: Session) -> None:
    officer = make_officer(session, desk="Japan Desk")
    readout = ingest(session, SEED_TEXT, dt.date(2018, 6, 6), by=officer)
    commitments = [c for p in readout.points for c in p.commitments]
    assert commitments
    assert all(c.owner is officer and c.desk is officer.desk for c in commitments)
    assert readout.ingested_by is officer


def _first_commitment(session: Session) -> Commitment:
    ingest(session, SEED_TEXT, dt.date(2018, 6, 6))
    c = session.scalars(select(Commitment).order_by(Commitment.id)).first()
    assert c is not None
    return c


def test_a_status_change_writes_history(session: Session) -> None:
    officer = make_officer(session, role="supervisor")
    c = _first_commitment(session)
    later = NOW + dt.timedelta(days=3)
    update_commitment(
        session, c, by=officer, note="talks held", now=later, status="in_progress", settings=SETTINGS
    )
    assert c.status is Status.IN_PROGRESS
    assert c.version == 2
    rows = session.scalars(select(StatusChange).where(StatusChange.commitment_id == c.id)).all()
    assert [(r.field, r.old_value, r.new_value, r.note, r.officer_id) for r in rows] == [
        ("status", "open", "in_progress", "talks held", officer.id)
    ]
    assert rows[0].changed_at == later


def test_a_stale_expected_version_is_refused_and_changes_nothing(session: Session) -> None:
    alice = make_officer(session, role="supervisor")
    bob = make_officer(session, role="supervisor")
    c = _first_commitment(session)
    update_commitment(
        session,
        c,
        by=alice,
        note="started",
        now=NOW,
        status="in_progress",
        expect_version=1,
        settings=SETTINGS,
    )
    with pytest.raises(VersionConflict) as info:
        update_commitment(
            session, c, by=bob, note="closing", now=NOW, status="done", expect_version=1, settings=SETTINGS
        )
    assert info.value.actual == 2
    # The other's change as the history says it: by name, in words, with their note.
    assert f"{alice.name} changed the status from Open to In progress (started)" in info.value.changes
    session.refresh(c)
    assert c.status is Status.IN_PROGRESS and c.version == 2
    assert session.scalar(select(func.count()).select_from(StatusChange)) == 1


def test_an_unknown_status_or_missing_note_is_refused(session: Session) -> None:
    officer = make_officer(session, role="supervisor")
    c = _first_commitment(session)
    with pytest.raises(InvalidInput, match="unknown status"):
        update_commitment(session, c, by=officer, note="x", now=NOW, status="finished", settings=SETTINGS)
    with pytest.raises(InvalidInput, match="note"):
        update_commitment(session, c, by=officer, note="  ", now=NOW, status="done", settings=SETTINGS)
    assert c.status is Status.OPEN and c.version == 1


def test_officers_of_another_desk_may_not_change_it(session: Session) -> None:
    owner = make_officer(session, desk="Japan Desk")
    other = make_officer(session, desk="Europe Desk")
    readout = ingest(session, SEED_TEXT, dt.date(2018, 6, 6), by=owner)
    c = next(c for p in readout.points for c in p.commitments)
    with pytest.raises(PermissionDenied):
        update_commitment(session, c, by=other, note="no", now=NOW, status="done", settings=SETTINGS)
    colleague = make_officer(session, desk="Japan Desk")
    update_commitment(session, c, by=colleague, note="yes", now=NOW, status="done", settings=SETTINGS)
    assert c.status is Status.DONE


def test_filters_by_party_status_and_overdue(session: Session) -> None:
    ingest(session, SEED_TEXT, dt.date(2018, 6, 6))
    today = dt.date(2018, 7, 1)
    rok = list_commitments(session, CommitmentFilter(party="Republic of Korea"), today, viewer=None)
    assert rok and all("Republic of Korea" in [p.name for p in c.parties] for c in rok)
    everything = list_commitments(session, CommitmentFilter(), today, viewer=None)
    overdue = list_commitments(session, CommitmentFilter(overdue=True), today, viewer=None)
    assert {c.id for c in overdue} == {c.id for c in everything if c.is_overdue(today)}
    assert list_commitments(session, CommitmentFilter(status="done"), today, viewer=None) == []


# SYNTHETIC readout in the style of a head of government's office: its own leader is only
# "the Prime Minister", so whose side that is comes from the publisher the officer typed.
PUBLISHER_TEXT = """PM call with President Dupont: 1 March 2024

The Prime Minister spoke to President Dupont of France this afternoon.

The leaders agreed to stay in close touch ahead of the G7 Summit."""


def test_the_publisher_given_at_ingest_names_the_readouts_own_side(session: Session) -> None:
    readout = ingest_text(
        session,
        PUBLISHER_TEXT,
        meeting_date=dt.date(2024, 3, 1),
        publisher="Prime Minister's Office, 10 Downing Street",
        now=NOW,
        settings=SETTINGS,
    )
    commitment = next(c for p in readout.points for c in p.commitments)
    assert {p.name for p in commitment.parties} == {"United Kingdom", "France"}
    assert readout.publisher == "Prime Minister's Office, 10 Downing Street"


def test_a_note_on_a_commitment_whose_desk_is_not_loaded_bumps_its_version_once(session: Session) -> None:
    # An ongoing commitment gets a new review date from its desk's day count; the desk must not be
    # lazy-loaded after the change has begun (its autoflush would write the row twice, once
    # before the new review date and once after).
    officer = make_officer(session, desk="Japan Desk")
    readout = ingest(session, SEED_TEXT, dt.date(2018, 6, 6), by=officer)
    ongoing = next(c for p in readout.points for c in p.commitments if c.review_date is not None)
    cid, version = ongoing.id, ongoing.version
    session.expunge_all()
    fresh = session.get(Commitment, cid)
    assert fresh is not None and "desk" not in fresh.__dict__
    update_commitment(
        session,
        fresh,
        by=session.get(type(officer), officer.id),
        note="called",
        now=NOW + dt.timedelta(days=10),
        settings=SETTINGS,
    )
    assert fresh.version == version + 1


def test_parties_and_action_are_corrected_with_history_in_one_version(session: Session) -> None:
    officer = make_officer(session, desk="Japan Desk")
    readout = ingest(session, SEED_TEXT, dt.date(2018, 6, 6), by=officer)
    c = next(c for p in readout.points for c in p.commitments if c.review_date is not None)
    cid, review = c.id, c.review_date
    session.expunge_all()  # nothing loaded: the parties are read before anything changes
    fresh = session.get(Commitment, cid)
    assert fresh is not None
    changes = update_commitment(
        session,
        fresh,
        by=session.get(type(officer), officer.id),
        note="the readout names Korea too",
        now=NOW + dt.timedelta(days=10),
        settings=SETTINGS,
        expect_version=1,
        parties="japan; U.S.; ROK",
        action="  Keep working  together\non North Korea ",
        status="in_progress",
    )
    assert [ch.field for ch in changes] == ["status", "parties", "action"]
    assert fresh.version == 2
    assert sorted(p.name for p in fresh.parties) == ["Japan", "Republic of Korea", "United States"]
    assert fresh.action == "Keep working together on North Korea"
    parties_row = changes[1]
    assert parties_row.new_value == "Japan; United States; Republic of Korea"
    assert describe_change("parties", parties_row.old_value, parties_row.new_value, by="A") == (
        "A added Republic of Korea to the parties"
    )
    assert describe_change("action", "Old words", fresh.action, by="A") == (
        "A changed the action to “Keep working together on North Korea” (it was “Old words”)"
    )

    # A correction alone is not news of progress: the review clock stays; the same values again
    # change nothing but the note.
    before = fresh.review_date
    update_commitment(
        session, fresh, by=fresh.owner, note="typo", now=NOW + dt.timedelta(days=20), settings=SETTINGS,
        parties="Japan", action="Keep working together on North Korea",
    )  # fmt: skip
    assert fresh.review_date == before != review
    assert [p.name for p in fresh.parties] == ["Japan"]
    again = update_commitment(
        session, fresh, by=fresh.owner, note="n", now=NOW + dt.timedelta(days=21), settings=SETTINGS,
        parties=["Japan"], action="Keep working together on North Korea",
    )  # fmt: skip
    assert [ch.field for ch in again] == ["note"]


def test_a_correction_is_checked_like_any_change(session: Session) -> None:
    owner = make_officer(session, desk="Japan Desk")
    other = make_officer(session, desk="Europe Desk")
    readout = ingest(session, SEED_TEXT, dt.date(2018, 6, 6), by=owner)
    c = next(c for p in readout.points for c in p.commitments)
    parties = [p.name for p in c.parties]
    with pytest.raises(PermissionDenied):
        update_commitment(session, c, by=other, note="no", now=NOW, settings=SETTINGS, parties="Japan")
    with pytest.raises(InvalidInput, match="at least one party"):
        update_commitment(session, c, by=owner, note="x", now=NOW, settings=SETTINGS, parties=" ; ")
    with pytest.raises(InvalidInput, match="action is empty"):
        update_commitment(session, c, by=owner, note="x", now=NOW, settings=SETTINGS, action="  ")
    update_commitment(
        session, c, by=owner, note="x", now=NOW, settings=SETTINGS, expect_version=1, action="A"
    )
    with pytest.raises(VersionConflict):
        update_commitment(
            session, c, by=owner, note="y", now=NOW, settings=SETTINGS, expect_version=1, parties="Japan"
        )
    session.refresh(c)
    assert sorted(p.name for p in c.parties) == sorted(parties) and c.action == "A" and c.version == 2
