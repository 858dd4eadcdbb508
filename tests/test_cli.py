"""The `tracker` command line against a real database of its own (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli.main import main
from tests.conftest import SEED_READOUT
from tests.extraction import bombs


@pytest.fixture
def cli(fresh_database_url: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(
            main,
            list(args),
            input=input,
            env={"TRACKER_DATABASE_URL": fresh_database_url, **(env or {})},
            catch_exceptions=False,
        )

    return invoke


def _add_officer(
    cli, email: str = "kono@example.org", role: str = "officer", desk: str = "Japan Desk"
) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "officers",
        "add",
        "--email",
        email,
        "--name",
        "A. Officer",
        "--role",
        role,
        "--desk",
        desk,
        "--password-stdin",
        input="a long password\n",
    )
    assert result.exit_code == 0, result.output


def test_ingest_list_show_and_status_with_history(cli) -> None:  # type: ignore[no-untyped-def]
    _add_officer(cli)
    result = cli("ingest", str(SEED_READOUT), "--date", "2018-06-06", "--by", "kono@example.org")
    assert result.exit_code == 0, result.output
    assert "point 5: commitment" in result.output

    listed = json.loads(cli("list", "--json").output)
    assert listed, "the seed readout has commitments"
    required = {
        "id",
        "readout_id",
        "point",
        "kind",
        "quote",
        "parties",
        "action",
        "deadline_type",
        "deadline_text",
        "event",
        "due_date",
        "review_date",
        "status",
        "version",
        "owner",
        "desk",
    }
    assert required <= set(listed[0])
    assert all(item["owner"] == "kono@example.org" and item["desk"] == "Japan Desk" for item in listed)
    point5 = [c for c in listed if c["point"] == "5"]
    assert point5 and set(point5[0]["parties"]) == {"Japan", "United States", "Republic of Korea"}

    cid = str(listed[0]["id"])
    result = cli(
        "status",
        cid,
        "in_progress",
        "--by",
        "kono@example.org",
        "--note",
        "call arranged",
        "--expect-version",
        "1",
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(cli("show", cid, "--json").output)
    assert shown["status"] == "in_progress" and shown["version"] == 2
    assert [(h["field"], h["new_value"], h["note"], h["by"]) for h in shown["history"]] == [
        ("status", "in_progress", "call arranged", "kono@example.org")
    ]

    stale = cli("status", cid, "done", "--by", "kono@example.org", "--note", "x", "--expect-version", "1")
    assert stale.exit_code == 3
    assert "changed by someone else" in stale.output
    assert json.loads(cli("show", cid, "--json").output)["status"] == "in_progress"

    assert json.loads(cli("list", "--json", "--status", "in_progress").output)[0]["id"] == int(cid)
    again = cli("ingest", str(SEED_READOUT), "--date", "2018-06-06")
    assert again.exit_code == 2 and "already stored" in again.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\xff\xfe binary \x00\x00" * 20, ""),
        ("Readout\n\n1. Japan will act.".encode("utf-16"), ""),
        (b"   \n\n  ", "empty"),
    ],
    ids=["empty", "binary", "not-utf8", "blank"],
)
def test_bad_ingest_input_exits_2_and_writes_nothing(
    cli, tmp_path: Path, content: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "readout.txt"
    path.write_bytes(content)
    result = cli("ingest", str(path), "--date", "2018-06-06")
    if content.startswith(b"\xff\xfe") and result.exit_code == 0:
        # UTF-16 with a BOM is a common encoding and may be read correctly: that is fine.
        return
    assert result.exit_code == 2, result.output
    assert result.output.strip().startswith("error:")
    assert message in result.output
    assert json.loads(cli("list", "--json").output) == []


def test_a_text_with_no_points_exits_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "nothing.txt"
    path.write_text("???\n", encoding="utf-8")
    result = cli("ingest", str(path), "--date", "2018-06-06")
    assert result.exit_code == 2, result.output
    assert json.loads(cli("list", "--json").output) == []


def test_ingest_refuses_a_document_over_the_reading_limits_of_the_settings(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "long.pdf"
    path.write_bytes(bombs.pdf_pages(300))
    result = cli("ingest", str(path), "--date", "2018-06-06")
    assert result.exit_code == 2, result.output
    assert "long.pdf: this document has 300 pages; the limit is 200" in result.output
    lines = tmp_path / "many.txt"
    lines.write_text(
        "Readout\n\n" + "".join(f"{n}. Japan will help.\n" for n in range(1, 31)), encoding="utf-8"
    )
    refused = cli("ingest", str(lines), "--date", "2018-06-06", env={"TRACKER_MAX_READOUT_POINTS": "20"})
    assert refused.exit_code == 2 and "the readout has 30 points; the limit is 20" in refused.output
    assert json.loads(cli("list", "--json").output) == []


def test_unknown_status_id_and_officer_are_refused(cli) -> None:  # type: ignore[no-untyped-def]
    _add_officer(cli)
    assert cli("ingest", str(SEED_READOUT), "--date", "2018-06-06").exit_code == 0
    cid = str(json.loads(cli("list", "--json").output)[0]["id"])
    bad_status = cli("status", cid, "finished", "--by", "kono@example.org", "--note", "x")
    assert bad_status.exit_code != 0 and "unknown status" in bad_status.output
    unknown_id = cli("status", "999999", "done", "--by", "kono@example.org", "--note", "x")
    assert unknown_id.exit_code != 0 and "no commitment" in unknown_id.output
    unknown_officer = cli("status", cid, "done", "--by", "nobody@example.org", "--note", "x")
    assert unknown_officer.exit_code != 0 and "no officer" in unknown_officer.output
    assert json.loads(cli("show", cid, "--json").output)["history"] == []


def test_officers_add_refuses_duplicates_and_bad_roles(cli) -> None:  # type: ignore[no-untyped-def]
    _add_officer(cli)
    dup = cli(
        "officers",
        "add",
        "--email",
        "kono@example.org",
        "--name",
        "B",
        "--password-stdin",
        input="another password\n",
    )
    assert dup.exit_code == 2 and "already exists" in dup.output
    bad = cli(
        "officers",
        "add",
        "--email",
        "x@example.org",
        "--name",
        "X",
        "--role",
        "king",
        "--password-stdin",
        input="another password\n",
    )
    assert bad.exit_code == 2 and "unknown role" in bad.output


JA_READOUT = (
    Path(__file__).resolve().parent / "extraction" / "synthetic_ja" / "synthetic-ja-02-bullets-speech.txt"
)


def test_ingest_detects_japanese_and_language_overrides(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("ingest", str(JA_READOUT))
    assert result.exit_code == 0, result.output
    assert "(2024-05-20, ja)" in result.output
    assert "deadline date (年内); due 2024-12-31" in result.output
    # The same words read with the English grammar give no Japanese commitments.
    copy = tmp_path / "copy.txt"
    copy.write_text(JA_READOUT.read_text(encoding="utf-8") + "\n（写し）\n", encoding="utf-8")
    forced = cli("ingest", str(copy), "--language", "en", "--date", "2024-05-20")
    assert forced.exit_code == 0, forced.output
    assert ", en)" in forced.output and "commitment " not in forced.output
    refused = cli("ingest", str(copy), "--language", "xx")
    assert refused.exit_code != 0


def test_ingest_names_possible_undertakings_it_did_not_store(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "unsure.txt"
    path.write_text(
        "Japan-Canada Foreign Ministers' Meeting\n\n"
        "On March 3, Foreign Minister Taro Kono held a meeting with the Honourable Chrystia Freeland, "
        "Minister of Foreign Affairs of Canada. The overview is as follows.\n"
        "1. Minister Kono stated that it was important that Japan and Canada continue to work together "
        "toward the success of the G7 Summit.\n"
        "2. The two ministers confirmed that Japan and Canada will continue close cooperation.\n",
        encoding="utf-8",
    )
    result = cli(
        "ingest", str(path), "--date", "2018-03-03", "--publisher", "Ministry of Foreign Affairs of Japan"
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("    commitment ") == 1
    assert (
        "possible undertaking, not extracted (point 1): “Japan and Canada continue to work together "
        "toward the success of the G7 Summit”"
    ) in result.output


def test_demo_creates_a_demo_admin_and_prints_both_logins(cli, fresh_database_url: str) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from tracker.db import make_engine, make_session_factory
    from tracker.models import Officer

    result = cli("demo")
    assert result.exit_code == 0, result.output
    assert "demo@example.org / demo-password" in result.output
    assert "admin@example.org / admin-password" in result.output
    assert cli("demo").exit_code == 0, "idempotent"
    engine = make_engine(fresh_database_url)
    try:
        with make_session_factory(engine)() as session:
            roles = dict(session.execute(select(Officer.email, Officer.role)).all())
    finally:
        engine.dispose()
    assert {e: str(getattr(r, "value", r)) for e, r in roles.items()} == {
        "demo@example.org": "supervisor",
        "admin@example.org": "admin",
    }
