"""Migration 0003 (outcomes, evidence, reaffirmations) keeps the rows that were there before it."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import bindparam, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import migrate
from tracker.db import alembic_config, make_engine
from tracker.models import UTCDateTime

CHANGED_AT = dt.datetime(2018, 6, 20, 9, 30, tzinfo=dt.UTC)

# Rows as a database at revision 0001 holds them, written with SQL (not the models, which
# already know the new columns).
SEED_SQL = [
    "INSERT INTO desk (id, name) VALUES (1, 'North America Desk')",
    "INSERT INTO officer (id, name, email, desk_id, role, timezone, digest_frequency, digest_hour,"
    " digest_weekday, is_active) VALUES (1, 'Officer', 'o@example.org', 1, 'officer', 'UTC', 'daily',"
    " 8, 0, true)",
    "INSERT INTO party (id, name, aliases) VALUES (1, 'Japan', '[]'), (2, 'United States', '[]')",
    "INSERT INTO readout (id, title, meeting_date, text, content_hash) VALUES"
    " (1, 'Meeting', '2018-06-06', '1. Japan will act.', 'abc')",
    "INSERT INTO readout_point (id, readout_id, number, position, start_offset, end_offset, kind)"
    " VALUES (1, 1, '1', 1, 0, 18, 'commitment')",
    "INSERT INTO commitment (id, point_id, readout_id, quote, quote_start, quote_end, action,"
    " deadline_type, deadline_offset_days, due_date, status, owner_id, desk_id, version)"
    " VALUES (1, 1, 1, 'Japan will act', 3, 17, 'Act', 'date', 0, '2018-07-01', 'done', 1, 1, 2)",
    "INSERT INTO commitment_party (commitment_id, party_id) VALUES (1, 1), (1, 2)",
]


def _seed(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for statement in SEED_SQL:
                conn.execute(text(statement))
            conn.execute(
                text(
                    "INSERT INTO status_change (id, commitment_id, officer_id, changed_at, field,"
                    " old_value, new_value, note) VALUES (1, 1, 1, :at, 'status', 'open', 'done', 'sent')"
                ).bindparams(bindparam("at", type_=UTCDateTime())),
                {"at": CHANGED_AT},
            )
    finally:
        engine.dispose()


def _check_intact(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT quote, status, version, due_date FROM commitment WHERE id = 1")
            ).one()
            assert (row.quote, row.status, row.version) == ("Japan will act", "done", 2)
            assert str(row.due_date) == "2018-07-01"
            parties = conn.execute(
                text("SELECT party_id FROM commitment_party WHERE commitment_id = 1 ORDER BY party_id")
            ).scalars()
            assert list(parties) == [1, 2]
            change = conn.execute(
                text("SELECT new_value, note, changed_at FROM status_change WHERE id = 1").columns(
                    changed_at=UTCDateTime()
                )
            ).one()
            assert (change.new_value, change.note, change.changed_at) == ("done", "sent", CHANGED_AT)
    finally:
        engine.dispose()


def test_upgrade_from_0001_keeps_commitments_parties_and_history(empty_database_url: str) -> None:
    migrate(empty_database_url, "0001")
    _seed(empty_database_url)

    migrate(empty_database_url, "head")
    _check_intact(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            outcome = conn.execute(
                text("SELECT outcome, outcome_note, outcome_at, outcome_by_id FROM commitment")
            ).one()
            assert tuple(outcome) == (None, None, None, None)
        # The outcome CHECK constraint came along on both databases.
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("UPDATE commitment SET outcome = 'kept' WHERE id = 1"))
        with engine.begin() as conn:
            conn.execute(text("UPDATE commitment SET outcome = 'fulfilled', outcome_by_id = 1 WHERE id = 1"))
    finally:
        engine.dispose()

    config = alembic_config(empty_database_url)
    config.attributes["configure_logger"] = False
    command.downgrade(config, "0001")
    _check_intact(empty_database_url)
