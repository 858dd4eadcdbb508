"""CSV export: read back with the csv module; formula cells are neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy.orm import Session

from tests.conftest import SEED_READOUT
from tests.factories import NOW, ingest, make_officer
from tracker.deadlines import DeadlineSettings
from tracker.services.commitment_queries import CommitmentFilter, list_commitments
from tracker.services.commitments import update_commitment
from tracker.services.export import CSV_COLUMNS, commitments_csv, safe_cell


def test_export_reads_back_with_exactly_the_filtered_rows(session: Session) -> None:
    officer = make_officer(session, role="supervisor")
    ingest(session, SEED_READOUT.read_text(encoding="utf-8"), dt.date(2018, 6, 6), by=officer)
    today = dt.date(2018, 6, 10)
    everything = list_commitments(session, CommitmentFilter(), today, viewer=None)
    update_commitment(
        session,
        everything[0],
        by=officer,
        note='=HYPERLINK("x")',
        now=NOW,
        status="done",
        settings=DeadlineSettings(),
    )

    rows = list(
        csv.DictReader(io.StringIO("".join(commitments_csv(session, CommitmentFilter(), today, viewer=None))))
    )
    assert list(rows[0]) == CSV_COLUMNS
    assert [int(r["id"]) for r in rows] == [c.id for c in everything]
    done = next(r for r in rows if int(r["id"]) == everything[0].id)
    assert done["status"] == "done" and done["last_note"] == '\'=HYPERLINK("x")'
    assert done["owner"] == officer.email

    rok = list(
        csv.DictReader(
            io.StringIO(
                "".join(
                    commitments_csv(session, CommitmentFilter(party="Republic of Korea"), today, viewer=None)
                )
            )
        )
    )
    assert rok and all("Republic of Korea" in r["parties"].split("; ") for r in rok)
    assert len(rok) < len(rows)


def test_safe_cell() -> None:
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-2") == "'-2"
    assert safe_cell("Japan") == "Japan"
    assert safe_cell(None) == ""
