"""`tracker outcome`, `reaffirm`, `reaffirmations`, `compliance` and `brief` on a database of their own."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document
from pypdf import PdfReader

from cli.main import main
from tests.compliance.seed import SYNTHETIC_EARLIER_US
from tests.conftest import SEED_READOUT

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture
def cli(fresh_database_url: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(
            main,
            list(args),
            input=input,
            env={"TRACKER_DATABASE_URL": fresh_database_url},
            catch_exceptions=False,
        )

    return invoke


def _commitments(cli) -> list[dict]:  # type: ignore[no-untyped-def]
    return json.loads(cli("list", "--json").output)


def test_outcome_reaffirm_compliance_and_brief(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "officers", "add", "--email", "kono@example.org", "--name", "K", "--desk", "North America Desk",
        "--password-stdin", input="a long password\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # SYNTHETIC earlier readout (tests/compliance/seed.py), then the shipped sample.
    earlier = tmp_path / "synthetic-earlier.txt"
    earlier.write_text(SYNTHETIC_EARLIER_US, encoding="utf-8")
    for path, date in ((earlier, "2018-03-02"), (SEED_READOUT, "2018-06-06")):
        result = cli("ingest", str(path), "--date", date, "--by", "kono@example.org")
        assert result.exit_code == 0, result.output
    rows = _commitments(cli)
    point4 = next(r for r in rows if r["readout_id"] == 2 and r["point"] == "4")
    old = next(r for r in rows if r["readout_id"] == 1 and "abductions" in r["quote"])

    proposals = cli("reaffirmations", "2")
    assert proposals.exit_code == 0
    assert f"tracker reaffirm {old['id']} {point4['id']}" in proposals.output

    result = cli("reaffirm", str(old["id"]), str(point4["id"]), "--by", "kono@example.org")
    assert result.exit_code == 0, result.output
    again = cli("reaffirm", str(old["id"]), str(point4["id"]), "--by", "kono@example.org")
    assert again.exit_code == 2 and "already linked" in again.output

    result = cli(
        "outcome", str(point4["id"]), "partial", "--by", "kono@example.org", "--note", "talks resumed",
        "--evidence", "https://www.mofa.go.jp/example.html",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    shown = json.loads(cli("show", str(point4["id"]), "--json").output)
    assert [h["field"] for h in shown["history"]][-2:] == ["outcome", "evidence"]
    bad = cli("outcome", str(point4["id"]), "kept", "--by", "kono@example.org", "--note", "n")
    assert bad.exit_code == 2
    bad_url = cli(
        "outcome", str(point4["id"]), "fulfilled", "--by", "kono@example.org", "--note", "n",
        "--evidence", "javascript:alert(1)",
    )  # fmt: skip
    assert bad_url.exit_code == 2 and "http" in bad_url.output

    table = cli("compliance", "--by", "counterpart")
    assert table.exit_code == 0
    assert "United States" in table.output and "Japan" not in table.output

    ARTIFACTS.mkdir(exist_ok=True)
    for suffix in ("pdf", "docx", "html"):
        out = ARTIFACTS / f"cli-brief-united-states.{suffix}"
        result = cli("brief", "--party", "United States", "--out", str(out), "--today", "2018-08-01")
        assert result.exit_code == 0, result.output
        assert "brief for United States" in result.output
    pdf_text = "".join(
        p.extract_text() or "" for p in PdfReader(ARTIFACTS / "cli-brief-united-states.pdf").pages
    )
    assert "Reaffirms" in pdf_text and "Partly fulfilled" in pdf_text
    docx = Document(io.BytesIO((ARTIFACTS / "cli-brief-united-states.docx").read_bytes()))
    assert any("Commitments with United States" in p.text for p in docx.paragraphs)
    # Issue 18: in Japanese when asked; a language there is no catalog for is refused.
    ja = tmp_path / "brief-ja.html"
    result = cli(
        "brief", "--party", "United States", "--out", str(ja), "--today", "2018-08-01", "--language", "ja"
    )
    assert result.exit_code == 0, result.output
    assert "United Statesとの約束" in ja.read_text(encoding="utf-8") and "一部履行" in ja.read_text(
        encoding="utf-8"
    )
    assert cli("brief", "--party", "United States", "--out", str(ja), "--language", "xx").exit_code == 2

    wrong = cli("brief", "--party", "United States", "--out", str(tmp_path / "brief.txt"))
    assert wrong.exit_code == 2
    unknown = cli("brief", "--party", "Atlantis", "--out", str(tmp_path / "brief.pdf"))
    assert unknown.exit_code == 1 and "no party" in unknown.output
    # The names and abbreviations `events set` accepts (tracker.names), and near matches otherwise.
    short = cli("brief", "--party", "U.S.", "--out", str(tmp_path / "us.html"), "--today", "2018-08-01")
    assert short.exit_code == 0 and "brief for United States" in short.output
    typo = cli("brief", "--party", "Untied States", "--out", str(tmp_path / "typo.html"))
    assert typo.exit_code == 1
    assert "no party called 'Untied States'; near matches: United States" in typo.output
