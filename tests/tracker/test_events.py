"""Events move deadlines: setting an event's date moves the due dates that hang on it, with history."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select
from sqlalchemy.orm import Session

from cli.main import main
from tests import followup_factories as f
from tracker.db import make_engine, make_session_factory
from tracker.deadlines import DeadlineSettings
from tracker.models import DeadlineType, Relation, Status, StatusChange
from tracker.services.commitments import update_commitment
from tracker.services.errors import AmbiguousName, NotFound
from tracker.services.events import (
    MovedDueDate,
    find_or_create_event,
    get_event,
    list_events,
    resolve_event,
    set_event_date,
)

NOW = dt.datetime(2018, 6, 20, 9, 30, tzinfo=dt.UTC)


def _history(session: Session, commitment_id: int) -> list[StatusChange]:
    return list(
        session.scalars(
            select(StatusChange).where(StatusChange.commitment_id == commitment_id).order_by(StatusChange.id)
        )
    )


def test_setting_a_date_moves_due_dates_and_writes_history(session: Session) -> None:
    summit = f.event(session, "U.S.-North Korea Summit")
    other = f.event(session, "G7 Summit", dt.date(2018, 6, 8))
    owner = f.officer(session)
    at = f.commitment(session, owner=owner, deadline_type=DeadlineType.EVENT, event_row=summit)
    after = f.commitment(
        session,
        owner=owner,
        deadline_type=DeadlineType.EVENT,
        event_row=summit,
        offset_days=7,
        relation=Relation.AFTER,
    )
    before = f.commitment(
        session,
        owner=owner,
        deadline_type=DeadlineType.EVENT,
        event_row=summit,
        offset_days=-1,
        relation=Relation.BEFORE,
    )
    unrelated = f.commitment(
        session, owner=owner, deadline_type=DeadlineType.EVENT, event_row=other, due_date=dt.date(2018, 6, 8)
    )
    versions = {c.id: c.version for c in (at, after, before)}

    moves = set_event_date(session, "US-North Korea Summit Meeting", dt.date(2018, 6, 12), by=owner, now=NOW)

    assert moves == [
        MovedDueDate(at.id, None, dt.date(2018, 6, 12)),
        MovedDueDate(after.id, None, dt.date(2018, 6, 19)),
        MovedDueDate(before.id, None, dt.date(2018, 6, 11)),
    ]
    assert summit.date == dt.date(2018, 6, 12)
    assert (at.due_date, after.due_date, before.due_date) == (
        dt.date(2018, 6, 12),
        dt.date(2018, 6, 19),
        dt.date(2018, 6, 11),
    )
    assert unrelated.due_date == dt.date(2018, 6, 8)
    # The in-session objects see the new version, so a later edit through the ORM still works.
    assert {c.id: c.version for c in (at, after, before)} == {k: v + 1 for k, v in versions.items()}
    [change] = _history(session, after.id)
    assert (change.field, change.old_value, change.new_value, change.officer_id, change.changed_at) == (
        "due_date",
        None,
        "2018-06-19",
        owner.id,
        NOW,
    )
    assert change.note == "event U.S.-North Korea Summit date set to 2018-06-12"
    assert _history(session, unrelated.id) == []
    update_commitment(
        session, at, by=owner, note="on it", now=NOW, settings=DeadlineSettings(), status=Status.IN_PROGRESS
    )


def test_moving_a_date_clears_the_overdue_flag_and_only_writes_history_for_moves(session: Session) -> None:
    summit = f.event(session, "ASEAN Regional Forum", dt.date(2018, 6, 1))
    owner = f.officer(session)
    flagged = f.commitment(
        session, owner=owner, deadline_type=DeadlineType.EVENT, event_row=summit, due_date=dt.date(2018, 6, 1)
    )
    flagged.flagged_overdue_at = dt.datetime(2018, 6, 2, tzinfo=dt.UTC)
    session.flush()

    assert set_event_date(session, "ASEAN Regional Forum", dt.date(2018, 6, 1), by=None, now=NOW) == []
    assert _history(session, flagged.id) == []

    moves = set_event_date(session, "asean regional forum", dt.date(2018, 8, 4), by=None, now=NOW)
    assert moves == [MovedDueDate(flagged.id, dt.date(2018, 6, 1), dt.date(2018, 8, 4))]
    session.expire_all()
    assert flagged.flagged_overdue_at is None
    [change] = _history(session, flagged.id)
    assert (change.old_value, change.new_value, change.officer_id) == ("2018-06-01", "2018-08-04", None)

    # Clearing the date puts the commitment back to waiting on the event.
    moves = set_event_date(session, "ASEAN Regional Forum", None, by=None, now=NOW)
    assert moves == [MovedDueDate(flagged.id, dt.date(2018, 8, 4), None)]
    session.expire_all()
    assert flagged.due_date is None and flagged.is_waiting_on_event()


def test_names_match_with_small_variations_and_ambiguity_is_refused(session: Session) -> None:
    summit = f.event(session, "G7 Summit", aliases=["Charlevoix Summit"])
    ministers = f.event(session, "G7 Foreign Ministers' Meeting")
    korea = f.event(session, "Japan-U.S. Summit Meeting")

    assert resolve_event(session, "the g7 summit meeting") is summit
    assert resolve_event(session, "Charlevoix summit") is summit
    assert resolve_event(session, "G7 Foreign Ministers") is ministers
    assert resolve_event(session, "Japan-US Summit") is korea
    with pytest.raises(AmbiguousName) as excinfo:
        resolve_event(session, "G7")
    assert "G7 Summit (date unknown)" in str(excinfo.value)
    assert "G7 Foreign Ministers' Meeting (date unknown)" in str(excinfo.value)
    with pytest.raises(NotFound):
        set_event_date(session, "UN General Assembly", dt.date(2018, 9, 18), by=None, now=NOW)


def test_list_events_counts_open_and_waiting(session: Session) -> None:
    dated = f.event(session, "G20 Summit", dt.date(2018, 11, 30))
    undated = f.event(session, "Trilateral Summit")
    owner = f.officer(session)
    for status in (Status.OPEN, Status.IN_PROGRESS, Status.DONE):
        f.commitment(session, owner=owner, deadline_type=DeadlineType.EVENT, event_row=undated, status=status)
    f.commitment(
        session,
        owner=owner,
        deadline_type=DeadlineType.EVENT,
        event_row=dated,
        due_date=dt.date(2018, 11, 30),
    )

    summaries = {s.event.name: s for s in list_events(session, viewer=None)}
    assert (summaries["Trilateral Summit"].waiting_open, summaries["Trilateral Summit"].open_total) == (2, 2)
    assert (summaries["G20 Summit"].waiting_open, summaries["G20 Summit"].open_total) == (0, 1)
    names = [s.event.name for s in list_events(session, viewer=None)]
    assert names.index("G20 Summit") < names.index("Trilateral Summit")  # dated first
    assert get_event(session, dated.id, viewer=None) is dated
    with pytest.raises(NotFound):
        get_event(session, 10**9, viewer=None)


def test_cli_events_set_and_list(fresh_database_url: str) -> None:
    engine = make_engine(fresh_database_url)
    try:
        with make_session_factory(engine)() as s, s.begin():
            summit = f.event(s, "G7 Summit")
            f.event(s, "G7 Foreign Ministers' Meeting")
            owner = f.officer(s, email="kono@example.org")
            waiting = f.commitment(
                s, owner=owner, deadline_type=DeadlineType.EVENT, event_row=summit, offset_days=7
            )
            waiting_id = waiting.id
    finally:
        engine.dispose()
    runner = CliRunner()

    def cli(*args: str) -> Result:
        return runner.invoke(main, list(args), env={"TRACKER_DATABASE_URL": fresh_database_url})

    listed = cli("events", "list")
    assert listed.exit_code == 0, listed.output
    assert "date unknown  G7 Summit  (1 waiting on its date, 1 open)" in listed.output

    ambiguous = cli("events", "set", "G7", "2018-06-08")
    assert ambiguous.exit_code == 2
    assert "G7 Summit (date unknown)" in ambiguous.output
    assert "G7 Foreign Ministers' Meeting (date unknown)" in ambiguous.output
    assert cli("events", "set", "Davos", "2018-06-08").exit_code == 1
    assert cli("events", "set", "G7 Summit", "8 June").exit_code == 2

    moved = cli("events", "set", "the G7 summit meeting", "2018-06-08", "--by", "kono@example.org")
    assert moved.exit_code == 0, moved.output
    assert "G7 Summit: date unknown -> 2018-06-08; 1 due date moved" in moved.output
    assert f"commitment {waiting_id}: due date unknown -> 2018-06-15" in moved.output
    shown = cli("show", str(waiting_id), "--json")
    assert '"due_date": "2018-06-15"' in shown.output
    assert "event G7 Summit date set to 2018-06-08" in shown.output
    assert "2018-06-08    G7 Summit  (0 waiting on its date, 1 open)" in cli("events", "list").output


def test_an_event_named_in_japanese_and_in_english_is_one_event(session: Session) -> None:
    """「米朝首脳会談」 finds the event an English readout created, and the other way round."""
    english = find_or_create_event(session, "U.S.-North Korea Summit Meeting")
    assert find_or_create_event(session, "米朝首脳会談") is english
    assert "米朝首脳会談" in english.aliases
    japanese = find_or_create_event(session, "第2回米朝首脳会談")
    assert "Second U.S.-North Korea Summit Meeting" in japanese.aliases
    assert find_or_create_event(session, "the second U.S.-North Korea Summit") is japanese
    assert japanese is not english
