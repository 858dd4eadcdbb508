"""The command line in Japanese (issue 18): with TRACKER_LANGUAGE=ja (or --language ja, or a
Japanese locale) `tracker` says everything in Japanese except data (readouts, commitments, names,
addresses) and codes, against a real database of its own (SQLite and PostgreSQL). English output
is what it always was: the other CLI tests assert it word for word."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Enum, String, Text, create_engine, select

from cli.i18n import from_environment
from cli.main import main
from tests.tracker.test_working_days import READOUT
from tests.web.test_japanese_pages import ALLOWED, WORD
from tracker.models import Base

# Codes a Japanese officer types or reads as they are: the CLI's own options and commands, a
# language code and the escalation ladder's syntax.
CODES = {"EMAIL", "DATE", "unknown", "tracker", "ja", "en"}
ADDRESS = re.compile(r"[\w.+-]+@[\w.-]+\w|https?://\S+|--[a-z-]+|`tracker [a-z -]+`|(?:/[\w.-]+)+")


def _data(url: str) -> list[str]:
    """Every text value stored in the database (enum columns excepted: their values are code words
    the CLI must translate, such as "open" or "pending"), longest first."""
    values: set[str] = set()
    engine = create_engine(url.replace("sqlite+pysqlite", "sqlite"))
    try:
        with engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                columns = [
                    c for c in table.c if isinstance(c.type, String | Text) and not isinstance(c.type, Enum)
                ]
                if columns:
                    for row in conn.execute(select(*columns)):
                        values |= {line.strip() for v in row if isinstance(v, str) for line in v.splitlines()}
    finally:
        engine.dispose()
    return sorted((v for v in values if len(v) >= 2), key=len, reverse=True)


def _english(output: str, data: list[str]) -> list[str]:
    """The English words of the CLI's output that are not data, an address, an option or a code."""
    words = []
    for line in output.splitlines():
        line = ADDRESS.sub(" ", line)
        for value in data:
            line = re.sub(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", " ", line)
        words += [w for w in WORD.findall(line) if w not in ALLOWED and w not in CODES]
    return words


@pytest.fixture
def ja(fresh_database_url: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    said: list[str] = []

    def invoke(*args: str, input: str | None = None, code: int = 0) -> str:
        result = runner.invoke(
            main,
            list(args),
            input=input,
            env={"TRACKER_DATABASE_URL": fresh_database_url, "TRACKER_LANGUAGE": "ja"},
            catch_exceptions=False,
        )
        assert result.exit_code == code, result.output
        said.append(result.output)
        return result.output

    invoke.said = said  # type: ignore[attr-defined]
    invoke.url = fresh_database_url  # type: ignore[attr-defined]
    return invoke


def _officer(ja, email: str, role: str = "officer", desk: str = "Japan Desk") -> None:  # type: ignore[no-untyped-def]
    ja(
        "officers", "add", "--email", email, "--name", "A. Officer", "--role", role, "--desk", desk,
        "--password-stdin", input="a long password\n",
    )  # fmt: skip


def test_the_command_line_speaks_japanese(ja, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _officer(ja, "kono@example.org")
    _officer(ja, "sue@example.org", role="supervisor")
    _officer(ja, "head@example.org", role="supervisor", desk="Asia Bureau")
    assert "担当官" in ja.said[0]
    ja("desks", "set", "Japan Desk", "--escalation", "7:minister", code=2)
    desk = ja(
        "desks", "set", "Japan Desk", "--supervisor", "sue@example.org", "--head", "head@example.org",
        "--country", "jp", "--days", "working",
    )  # fmt: skip
    assert "監督者 sue@example.org" in desk and "営業日（JP）" in desk
    ja("desks", "list")
    readout = tmp_path / "readout.txt"
    readout.write_text(READOUT, encoding="utf-8")
    ingested = ja("ingest", str(readout), "--date", "2026-12-04", "--by", "kono@example.org")
    assert "会談概要" in ingested and "約束" in ingested
    again = ja("ingest", str(readout), "--date", "2026-12-04", "--by", "kono@example.org", code=2)
    assert again.startswith("エラー：この会談概要は会談概要1")
    listed = ja("list")
    assert "期限" in listed
    ja("list", "--status", "done")  # "no commitments match"
    rows = json.loads(ja("list", "--json"))
    assert rows and rows[0]["status"] == "open"  # machine-readable output stays as it is
    target = next(r for r in rows if r["due_date"])
    ja("jobs", "run", "overdue-sweep", "--now", "2027-02-01T09:00:00")
    assert "エスカレーション" in ja("escalations")
    asked = ja(
        "extension", "request", str(target["id"]), "--by", "kono@example.org", "--due", "2027-03-01",
        "--reason", "the partner's elections",
    )  # fmt: skip
    assert "延長申請" in asked and "審査中" in asked
    request_id = re.findall(r"\d+", asked)[0]
    ja("extension", "list")
    own = ja("extension", "approve", request_id, "--by", "kono@example.org", code=1)
    assert own.startswith("エラー：")
    ja("extension", "approve", request_id, "--by", "sue@example.org", "--note", "agreed")
    ja("show", str(target["id"]))
    changed = ja("status", str(target["id"]), "done", "--by", "kono@example.org", "--note", "delivered")
    assert "完了" in changed
    # Refusals: a party and an event there is none of, a malformed date.
    assert "エラー：" in ja("brief", "--party", "Atlantis", "--out", str(tmp_path / "brief.html"), code=1)
    assert "ブリーフ" in ja("brief", "--party", "Japan", "--out", str(tmp_path / "brief.html"))
    assert "エラー：" in ja("events", "set", "Atlantis Summit", "2027-01-01", code=1)
    ja("events", "set", "Atlantis Summit", "soon", code=2)
    ja("events", "list")
    ja("jobs", "run", "digests", "--now", "2027-02-01T09:00:00")
    ja("digests", "list")
    ja("digests", "list", "--failed")

    typed = ["Atlantis Summit", "Atlantis", "Japan", "7:minister", "soon"]  # what the officer typed
    data = [*_data(ja.url), *typed]
    # (--json is for scripts: its keys and values are the same in every language.)
    english = {i: _english(output, data) for i, output in enumerate(ja.said) if not output.startswith("[")}
    left = {i: (words, ja.said[i]) for i, words in english.items() if words}
    assert left == {}, "\n\n".join(f"{words}\n{said}" for words, said in left.values())


def test_english_stays_as_written_and_the_language_comes_from_the_environment() -> None:
    assert from_environment({}) == "en"
    assert from_environment({"LANG": "ja_JP.UTF-8"}) == "ja"
    assert from_environment({"LC_ALL": "en_GB.UTF-8", "LANG": "ja_JP.UTF-8"}) == "en"
    assert from_environment({"LC_MESSAGES": "ja_JP", "LANG": "C.UTF-8"}) == "ja"
    assert from_environment({"TRACKER_LANGUAGE": "en", "LANG": "ja_JP.UTF-8"}) == "en"
    assert from_environment({"TRACKER_LANGUAGE": "fr"}) == "en"  # no catalog: English
    runner = CliRunner()
    assert "Show this message and exit." in runner.invoke(main, ["--language", "ja", "--help"]).output
    english = runner.invoke(main, ["--language", "en", "jobs", "run", "overdue-sweep", "--now", "soon"])
    assert english.exit_code == 2
    assert english.output == "error: --now must be an ISO 8601 date-time, got 'soon'\n"
    japanese = runner.invoke(
        main,
        ["jobs", "run", "overdue-sweep", "--now", "soon"],
        env={"TRACKER_LANGUAGE": "", "LANG": "ja_JP.UTF-8", "LC_ALL": ""},
    )
    assert japanese.output.startswith("エラー：--nowはISO 8601形式の日時で指定してください")
