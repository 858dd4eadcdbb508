"""`tracker tokens ...` and `tracker export-csv` against a real database of their own."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli.main import main
from tests.api.conftest import World
from tracker.services.export import CSV_COLUMNS

Cli = Callable[..., Result]


# The command line opens its own connections: each test gets a committed world of its own.
pytestmark = pytest.mark.committed


@pytest.fixture
def cli(world: World) -> Cli:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(
            main,
            list(args),
            env={"TRACKER_DATABASE_URL": world.url, "TRACKER_BASE_URL": "https://tracker.example.org"},
            catch_exceptions=False,
        )

    return invoke


def test_tokens_create_prints_a_working_token_once_then_revoke_stops_it(cli: Cli, world: World) -> None:
    created = cli("tokens", "create", "--email", "desk@example.org", "--name", "nightly sync")
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert len(token) >= 40 and "\n" not in token
    assert "shown once" in created.stderr

    api = world.app.test_client()
    ok = api.get("/api/v1/commitments", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200

    listed = cli("tokens", "list", "--email", "desk@example.org")
    assert listed.exit_code == 0 and "nightly sync" in listed.output and "active" in listed.output
    assert token not in listed.output
    token_id = next(line.split()[0] for line in listed.output.splitlines() if "nightly sync" in line)

    refused = cli("tokens", "revoke", token_id, "--email", "other@example.org")
    assert refused.exit_code == 1 and "no token" in refused.stderr
    revoked = cli("tokens", "revoke", token_id)
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert api.get("/api/v1/commitments", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "revoked" in cli("tokens", "list", "--email", "desk@example.org").output


def test_tokens_create_feed_prints_the_feed_url(cli: Cli, world: World) -> None:
    created = cli("tokens", "create", "--email", "desk@example.org", "--kind", "feed")
    assert created.exit_code == 0, created.output
    url = created.stdout.strip()
    assert url.startswith("https://tracker.example.org/feeds/") and url.endswith(".ics")
    feed = world.app.test_client().get(url.removeprefix("https://tracker.example.org"))
    assert feed.status_code == 200 and b"BEGIN:VCALENDAR" in feed.data


def test_tokens_for_unknown_or_deactivated_officers_are_refused(cli: Cli) -> None:
    assert cli("tokens", "create", "--email", "nobody@example.org").exit_code == 1
    assert cli("tokens", "create", "--email", "gone@example.org").exit_code == 2
    assert cli("tokens", "create", "--email", "desk@example.org", "--kind", "admin").exit_code == 2
    assert cli("tokens", "revoke", "424242").exit_code == 1


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_export_csv_with_the_list_filters(cli: Cli, world: World, tmp_path: Path) -> None:
    everything = cli("export-csv")
    assert everything.exit_code == 0, everything.output
    rows = _rows(everything.stdout)
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == 10

    korea = _rows(cli("export-csv", "--party", "Republic of Korea").stdout)
    assert korea and all("Republic of Korea" in r["parties"].split("; ") for r in korea)
    dated = _rows(cli("export-csv", "--due-after", "2018-07-02", "--due-before", "2018-07-05").stdout)
    assert [int(r["id"]) for r in dated] == world.ids["dated_commitments"][2:4]
    assert _rows(cli("export-csv", "--status", "done").stdout) == []
    assert len(_rows(cli("export-csv", "--waiting").stdout)) == 2
    assert len(_rows(cli("export-csv", "-q", "mission 5").stdout)) == 1

    out = tmp_path / "export.csv"
    written = cli("export-csv", "--overdue", "--out", str(out))
    assert written.exit_code == 0 and f"wrote {out}" in written.stderr
    with out.open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 6
    assert not out.with_name("export.csv.part").exists()


def test_export_csv_refuses_bad_filters_and_leaves_no_file(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    assert cli("export-csv", "--status", "finished", "--out", str(out)).exit_code == 2
    assert cli("export-csv", "--due-before", "soon", "--out", str(out)).exit_code == 2
    assert cli("export-csv", "--out", str(tmp_path / "missing-dir" / "x.csv")).exit_code == 2
    assert list(tmp_path.iterdir()) == []
