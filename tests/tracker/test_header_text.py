"""Names, emails and desks refuse control characters on create, update and import (issue 19
item 3): a CR/LF in an officer's name made the email library raise and ended the digest run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cli.main import main
from tests.factories import make_officer
from tracker.models import Officer
from tracker.services.admin import create_desk, rename_desk, update_officer
from tracker.services.errors import InvalidInput
from tracker.services.officers import create_officer, get_or_create_desk

HOSTILE = [
    "Kono\r\nBcc: spy@evil.example",
    "Kono\nX",
    "Ko\x00no",
    "Kono\x1b[31m",
    "Kono\u2028Bcc: x",
    "Ko\x85no",
]


@pytest.mark.parametrize("bad", HOSTILE)
def test_create_and_update_refuse_control_characters(session: Session, bad: str) -> None:
    admin = make_officer(session, role="admin", email="admin-ht@example.org")
    with pytest.raises(InvalidInput, match="name cannot be used: it contains a control character"):
        create_officer(session, email="k-ht@example.org", name=bad)
    with pytest.raises(InvalidInput, match="email cannot be used"):
        create_officer(session, email=f"k-ht{bad}@example.org", name="Kono")
    with pytest.raises(InvalidInput, match="desk name cannot be used"):
        create_officer(session, email="k-ht@example.org", name="Kono", desk=bad)
    for make in (lambda: create_desk(session, bad), lambda: get_or_create_desk(session, bad)):
        with pytest.raises(InvalidInput, match="desk name cannot be used"):
            make()
    desk = create_desk(session, "Freedonia Desk")
    with pytest.raises(InvalidInput, match="desk name cannot be used"):
        rename_desk(session, desk.id, bad)
    officer = make_officer(session, email="plain-ht@example.org")
    with pytest.raises(InvalidInput, match="name cannot be used"):
        update_officer(
            session,
            officer,
            by=admin,
            name=bad,
            role="officer",
            desk=None,
            timezone="UTC",
            digest_frequency="daily",
            digest_hour=8,
            digest_weekday=0,
        )
    session.flush()
    session.expire_all()
    assert officer.name != bad and desk.name == "Freedonia Desk"
    assert session.scalar(select(func.count()).where(Officer.email.like("k-ht@%"))) == 0
    # Ordinary names in any script still go through.
    assert create_officer(session, email="k2-ht@example.org", name="河野 太郎 — Kono", desk="日本課").name


def test_the_command_line_refuses_a_name_with_a_line_break(fresh_database_url: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "officers",
            "add",
            "--email",
            "k@example.org",
            "--name",
            "Kono\r\nBcc: spy@evil.example",
            "--password-stdin",
        ],
        input="a long password\n",
        env={"TRACKER_DATABASE_URL": fresh_database_url},
    )
    assert result.exit_code == 2 and "control character (U+000D)" in result.output
    assert "Traceback" not in result.output


def test_import_refuses_a_backup_with_a_control_character_in_a_name(
    fresh_database_url: str, empty_database_url: str, tmp_path: Path
) -> None:
    env = {"TRACKER_DATABASE_URL": fresh_database_url}
    runner = CliRunner()
    added = runner.invoke(
        main,
        [
            "officers",
            "add",
            "--email",
            "k@example.org",
            "--name",
            "Kono",
            "--desk",
            "Japan Desk",
            "--password-stdin",
        ],
        input="a long password\n",
        env=env,
    )
    assert added.exit_code == 0, added.output
    backup = tmp_path / "b.json"
    assert runner.invoke(main, ["export", str(backup)], env=env).exit_code == 0
    data = json.loads(backup.read_text(encoding="utf-8"))
    data["tables"]["officer"][0]["name"] = "Kono\r\nBcc: spy@evil.example"
    backup.write_text(json.dumps(data), encoding="utf-8")

    # Into an empty database of the same schema: refused with one clear line, nothing stored.
    target = {"TRACKER_DATABASE_URL": empty_database_url}
    assert runner.invoke(main, ["db", "upgrade"], env=target).exit_code == 0
    refused = runner.invoke(main, ["import", str(backup)], env=target)
    assert refused.exit_code == 2
    assert "officer 1: its name cannot be used: it contains a control character (U+000D)" in refused.output
    assert "Traceback" not in refused.output
    data["tables"]["officer"][0]["name"] = "Kono"
    data["tables"]["desk"][0]["name"] = "Japan\x1bDesk"
    backup.write_text(json.dumps(data), encoding="utf-8")
    refused = runner.invoke(main, ["import", str(backup)], env=target)
    assert refused.exit_code == 2 and "desk 1: its name cannot be used" in refused.output
    listed = runner.invoke(main, ["export", str(tmp_path / "after.json")], env=target)
    assert listed.exit_code == 0
    after = json.loads((tmp_path / "after.json").read_text(encoding="utf-8"))
    assert after["tables"]["officer"] == [] and after["tables"]["desk"] == []
