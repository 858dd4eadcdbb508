"""Migrations: one head, up-down-up works, and the models match the migrations (no drift)."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import migrate
from tracker.db import alembic_config, make_engine
from tracker.models import Base


def test_there_is_a_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_upgrade_downgrade_upgrade(empty_database_url: str) -> None:
    config = alembic_config(empty_database_url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        command.upgrade(config, "head")
        with engine.connect() as conn:
            assert {"commitment", "readout", "status_change", "event", "officer"} <= set(
                inspect(conn).get_table_names()
            )
    finally:
        engine.dispose()


def test_models_and_migrations_do_not_drift(empty_database_url: str) -> None:
    migrate(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True}
            )
            diff = compare_metadata(context, Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_0008_gives_existing_readouts_the_english_language_and_goes_down(empty_database_url: str) -> None:
    """Readouts stored before 0008 were read with the English grammar; downgrading drops the column
    and keeps the rows."""
    migrate(empty_database_url, "0007")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO readout (id, title, meeting_date, text, content_hash)"
                    " VALUES (1, 'Meeting', '2018-06-06', '1. Japan will act.', 'abc')"
                )
            )
        migrate(empty_database_url, "0008")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT language FROM readout WHERE id = 1")).scalar_one() == "en"
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO readout (id, title, meeting_date, text, content_hash, language)"
                    " VALUES (2, '日米外相会談', '2018-06-06', '1 両外相は…', 'def', 'ja')"
                )
            )
        config = alembic_config(empty_database_url)
        config.attributes["configure_logger"] = False
        command.downgrade(config, "0007")
        with engine.connect() as conn:
            assert "language" not in {c["name"] for c in inspect(conn).get_columns("readout")}
            assert list(conn.execute(text("SELECT id FROM readout ORDER BY id")).scalars()) == [1, 2]
    finally:
        engine.dispose()


def test_0010_adds_the_escalation_tables_and_goes_down_keeping_the_desks(empty_database_url: str) -> None:
    """0010 (issue 17) only adds tables: desks and officers stay as they were, up and down."""
    migrate(empty_database_url, "0008")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO desk (id, name) VALUES (1, 'Japan Desk')"))
            conn.execute(
                text(
                    "INSERT INTO officer (id, name, email, desk_id, role, digest_frequency)"
                    " VALUES (1, 'Sue', 'sue@example.org', 1, 'supervisor', 'daily')"
                )
            )
        migrate(empty_database_url, "0010")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO desk_policy (desk_id, supervisor_id) VALUES (1, 1)"))
            assert conn.execute(text("SELECT day_count FROM desk_policy")).scalar_one() == "calendar"
        config = alembic_config(empty_database_url)
        config.attributes["configure_logger"] = False
        command.downgrade(config, "0008")
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert not {"desk_policy", "escalation", "extension_request"} & tables
            assert conn.execute(text("SELECT name FROM desk")).scalar_one() == "Japan Desk"
        migrate(empty_database_url, "0010")
    finally:
        engine.dispose()


def test_0009_adds_readout_links_and_goes_down_keeping_the_readouts(empty_database_url: str) -> None:
    """0009 adds readout_link and commitment_alignment; downgrading drops them, readouts stay."""
    migrate(empty_database_url, "0009")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            assert {"readout_link", "commitment_alignment"} <= set(inspect(conn).get_table_names())
            conn.execute(
                text(
                    "INSERT INTO readout (id, title, meeting_date, text, content_hash, language) VALUES"
                    " (1, 'A', '2022-01-06', '1. Japan will act.', 'a', 'en'),"
                    " (2, 'B', '2022-01-06', '1 日本は行動する。', 'b', 'ja')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO readout_link (id, readout_id, other_readout_id, kind)"
                    " VALUES (1, 2, 1, 'translation')"
                )
            )
        with engine.begin() as conn, pytest.raises(IntegrityError):
            conn.execute(
                text(
                    "INSERT INTO readout_link (id, readout_id, other_readout_id, kind)"
                    " VALUES (2, 1, 1, 'counterpart')"
                )
            )
        config = alembic_config(empty_database_url)
        config.attributes["configure_logger"] = False
        command.downgrade(config, "0010")
        with engine.connect() as conn:
            assert "readout_link" not in set(inspect(conn).get_table_names())
            assert conn.execute(text("SELECT count(*) FROM readout")).scalar_one() == 2
        command.upgrade(config, "head")
    finally:
        engine.dispose()
