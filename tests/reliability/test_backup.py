"""`tracker export` / `tracker import`: a restore into an empty database exports identically."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from cli.main import main
from tests.conftest import SEED_READOUT, Backend
from tests.factories import NOW, ingest, make_officer
from tracker.db import make_engine, make_session_factory
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment, Event, Officer
from tracker.services.commitments import update_commitment


@pytest.fixture
def second_database_url(backend: Backend) -> Iterator[str]:
    url = backend.fresh_url()
    yield url
    backend.release(url)


def _seed(url: str) -> None:
    engine = make_engine(url)
    try:
        with make_session_factory(engine).begin() as session:
            officer = make_officer(session, role="supervisor", email="sup@example.org")
            ingest(session, SEED_READOUT.read_text(encoding="utf-8"), dt.date(2018, 6, 6), by=officer)
            c = session.scalars(select(Commitment).order_by(Commitment.id)).first()
            assert c is not None
            update_commitment(
                session,
                c,
                by=officer,
                note="déjà vu — ✓",
                now=NOW,
                status="done",
                settings=DeadlineSettings(),
            )
            event = session.scalars(select(Event)).first()
            if event is not None:
                event.date = dt.date(2018, 6, 12)
    finally:
        engine.dispose()


def _cli(url: str, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"TRACKER_DATABASE_URL": url}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_export_import_export_is_identical(
    fresh_database_url: str, second_database_url: str, tmp_path: Path
) -> None:
    _seed(fresh_database_url)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    _cli(fresh_database_url, "export", str(first))
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["format"] == "commitment-tracker-backup" and data["format_version"] == 1
    tables = data["tables"]
    assert tables["readout"] and tables["commitment"] and tables["status_change"] and tables["event"]
    assert all("password_hash" not in row for row in tables["officer"])
    assert "api_token" not in tables

    _cli(second_database_url, "import", str(first))
    _cli(second_database_url, "export", str(second))
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")

    # The restored database keeps working: new rows get fresh ids after the restored ones.
    engine = make_engine(second_database_url)
    try:
        with make_session_factory(engine).begin() as session:
            before = session.scalar(select(func.max(Officer.id)))
            new = make_officer(session, email="new@example.org")
            assert before is not None and new.id > before
    finally:
        engine.dispose()


def test_secrets_only_when_asked(fresh_database_url: str, tmp_path: Path) -> None:
    _seed(fresh_database_url)
    out = tmp_path / "with.json"
    _cli(fresh_database_url, "export", "--include-secrets", str(out))
    officers = json.loads(out.read_text(encoding="utf-8"))["tables"]["officer"]
    assert all(row["password_hash"].startswith("scrypt:") for row in officers)


def test_import_refuses_a_non_empty_database_and_bad_files(fresh_database_url: str, tmp_path: Path) -> None:
    _seed(fresh_database_url)
    backup = tmp_path / "b.json"
    _cli(fresh_database_url, "export", str(backup))
    env = {"TRACKER_DATABASE_URL": fresh_database_url}
    again = CliRunner().invoke(main, ["import", str(backup)], env=env)
    assert again.exit_code == 2 and "not empty" in again.output
    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"format": "something else"}', encoding="utf-8")
    refused = CliRunner().invoke(main, ["import", str(garbage)], env=env)
    assert refused.exit_code == 2 and "not a commitment tracker backup" in refused.output
    after = tmp_path / "after.json"
    _cli(fresh_database_url, "export", str(after))
    assert after.read_text(encoding="utf-8") == backup.read_text(encoding="utf-8")


def _malformed(data: dict[str, Any]) -> dict[str, bytes]:
    """Backups broken in the ways a hand-edited or truncated file is (issue 19, item 10)."""
    officers = data["tables"]["officer"]
    hashed = [dict(row) for row in officers]
    for row in hashed:
        row["password_hash"] = "scrypt:32768:8:1$SALTSALT$" + "ab" * 32
    no_email = copy.deepcopy(data)
    no_email["tables"]["officer"] = [{k: v for k, v in row.items() if k != "email"} for row in hashed]
    unknown_column = copy.deepcopy(data)
    unknown_column["tables"]["officer"] = [{**row, "shoe_size": 44} for row in officers]
    bad_date = copy.deepcopy(data)
    bad_date["tables"]["readout"] = [{**row, "meeting_date": "June"} for row in data["tables"]["readout"]]
    rows_not_a_list = copy.deepcopy(data)
    rows_not_a_list["tables"]["officer"] = {"id": 1}
    tables_a_list = copy.deepcopy(data)
    tables_a_list["tables"] = ["officer"]
    return {
        "missing email (with a password hash)": json.dumps(no_email).encode(),
        "unknown column": json.dumps(unknown_column).encode(),
        "bad date": json.dumps(bad_date).encode(),
        "rows not a list": json.dumps(rows_not_a_list).encode(),
        "tables a list": json.dumps(tables_a_list).encode(),
        "not UTF-8": b'{"format": "commitment-tracker-backup", "x": "\xff\xfe"}',
    }


def test_a_malformed_backup_gets_one_clear_line_and_no_secrets(
    fresh_database_url: str, second_database_url: str, tmp_path: Path
) -> None:
    _seed(fresh_database_url)
    backup = tmp_path / "b.json"
    _cli(fresh_database_url, "export", str(backup))
    env = {"TRACKER_DATABASE_URL": second_database_url}
    for what, content in _malformed(json.loads(backup.read_text(encoding="utf-8"))).items():
        broken = tmp_path / "broken.json"
        broken.write_bytes(content)
        result = CliRunner().invoke(main, ["import", str(broken)], env=env)
        output = result.output.strip()
        assert result.exit_code == 2, (what, result.exit_code, output[-2000:])
        assert len(output.splitlines()) == 1 and "Traceback" not in output, (what, output[-2000:])
        assert "SALTSALT" not in output and "abab" not in output, (what, output)
    # Nothing was written: the good backup still restores.
    _cli(second_database_url, "import", str(backup))
