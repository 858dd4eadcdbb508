"""`tracker desks`, `jobs run overdue-sweep`, `escalations` and `extension` (issue 17) against a real
database of its own (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import _add_officer, cli  # noqa: F401  (the fixture)
from tests.tracker.test_working_days import READOUT


def test_escalation_and_an_extension_from_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _add_officer(cli, "kono@example.org")
    _add_officer(cli, "sue@example.org", role="supervisor")
    _add_officer(cli, "head@example.org", role="supervisor", desk="Asia Bureau")

    bad = cli("desks", "set", "Japan Desk", "--escalation", "7:minister")
    assert bad.exit_code == 2 and "7:minister" in bad.output
    assert cli("desks", "set", "Japan Desk", "--days", "working").exit_code == 2  # no country
    result = cli(
        "desks", "set", "Japan Desk", "--supervisor", "sue@example.org", "--head", "head@example.org",
        "--country", "jp", "--days", "working",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "supervisor sue@example.org, head head@example.org, escalation 7:supervisor,30:head, "
        "working days (JP)" in result.output
    )
    readout = tmp_path / "readout.txt"
    readout.write_text(READOUT, encoding="utf-8")
    ingested = cli("ingest", str(readout), "--date", "2026-12-04", "--by", "kono@example.org")
    assert ingested.exit_code == 0, ingested.output
    listed = {d["desk"]: d for d in json.loads(cli("desks", "list", "--json").output)}
    assert listed["Japan Desk"]["own_ladder"] is False and listed["Asia Bureau"]["supervisor"] is None

    dated = [c for c in json.loads(cli("list", "--json").output) if c["due_date"] and c["status"] == "open"]
    # "promptly": seven working days in Japan, as the desk counts them.
    assert [c["due_date"] for c in dated] == ["2026-12-15"]
    target = dated[0]
    swept = cli("jobs", "run", "overdue-sweep", "--now", "2027-02-01T09:00:00")
    assert swept.exit_code == 0 and "escalated: " in swept.output
    assert int(swept.output.rsplit("escalated: ", 1)[1]) == 2 * len(dated)  # long overdue: both steps
    again = cli("jobs", "run", "overdue-sweep", "--now", "2027-02-01T10:00:00")
    assert again.output.strip().endswith("escalated: 0")
    told = json.loads(cli("escalations", "--to", "sue@example.org", "--json").output)
    assert {e["commitment_id"] for e in told} == {c["id"] for c in dated}
    assert f"commitment {target['id']}: escalated to sue@example.org" in cli("escalations").output

    asked = cli(
        "extension", "request", str(target["id"]), "--by", "kono@example.org", "--due", "2027-03-01",
        "--reason", "the partner's elections",
    )  # fmt: skip
    assert asked.exit_code == 0, asked.output
    request_id = asked.output.split()[2].rstrip(":")
    assert "the partner's elections" in cli("extension", "list").output
    assert cli("extension", "approve", request_id, "--by", "kono@example.org").exit_code == 1  # own request
    approved = cli("extension", "approve", request_id, "--by", "sue@example.org", "--note", "agreed")
    assert approved.exit_code == 0, approved.output
    assert "approved; commitment" in approved.output and "due 2027-03-01" in approved.output

    shown = json.loads(cli("show", str(target["id"]), "--json").output)
    assert shown["due_date"] == "2027-03-01"
    assert [e["cleared_at"] is not None for e in shown["escalations"]] == [True, True]
    assert shown["extensions"][0]["state"] == "approved"
    assert [h["field"] for h in shown["history"]][-3:] == ["extension_requested", "due_date", "extension"]
    text = cli("show", str(target["id"])).output
    assert (
        "escalated to sue@example.org (supervisor)" in text and "extension 1 to 2027-03-01: approved" in text
    )
    assert cli("extension", "refuse", request_id, "--by", "sue@example.org", "--note", "no").exit_code == 2
