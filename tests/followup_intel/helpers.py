"""Real readouts of one meeting and of later meetings, ingested as the tracker ingests them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from tests.conftest import REPO_ROOT
from tracker.deadlines import DeadlineSettings
from tracker.models import Officer, Readout
from tracker.services.readouts import ingest_text

SHARED = REPO_ROOT.parent / "shared" / "corpus"
PROGRESS = REPO_ROOT / "corpus" / "progress" / "texts"
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)

US_CALL = (
    SHARED / "dev" / "us-state-2022-01-05-blinken-hayashi-call.txt",
    dt.date(2022, 1, 5),
    "U.S. Department of State",
)
MOFA_EN = (
    SHARED / "dev" / "mofa-2022-01-06-japan-us-fm-tel.txt",
    None,
    "Ministry of Foreign Affairs of Japan",
)
MOFA_JA = (SHARED / "ja-dev" / "mofaj-2022-01-06-japan-us-fm-tel.txt", None, None)
AU_JA = (SHARED / "ja-dev" / "mofaj-2012-04-02-japan-australia-fm-tel.txt", None, None)
AU_EN = (
    SHARED / "dev" / "mofa-2012-04-02-japan-australia-fm-tel.txt",
    None,
    "Ministry of Foreign Affairs of Japan",
)
RAA_PROMISED = (PROGRESS / "govonline-2020-11-17-japan-australia-summit.txt", dt.date(2020, 11, 17), None)
RAA_SIGNED = (PROGRESS / "mofa-2022-01-06-japan-australia-raa-signing.txt", dt.date(2022, 1, 6), None)


def put(session: Session, which: tuple[Path, dt.date | None, str | None], by: Officer | None) -> Readout:
    """Ingest one of the readouts above."""
    path, meeting, publisher = which
    return ingest_text(
        session,
        path.read_text(encoding="utf-8"),
        meeting_date=meeting,
        publisher=publisher,
        by=by,
        now=NOW,
        settings=DeadlineSettings(),
    )
