"""Fuzzing the whole ingest path (decode, extract, resolve, store) with arbitrary text and bytes.

Whatever comes in: no crash (only the tracker's own clear errors), and a failed ingest
leaves no rows behind.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import NOW
from tracker.deadlines import DeadlineSettings
from tracker.extraction import ExtractionError, read_document
from tracker.models import Commitment, Event, Party, Readout, ReadoutPoint
from tracker.services.errors import ServiceError
from tracker.services.readouts import ingest_text
from tracker.text import xml_safe

PHRASES = [
    "The two ministers confirmed that Japan and the United States will continue working together.",
    "They agreed to hold the next dialogue ahead of the G7 Summit.",
    "Both sides will promptly share information following the Summit Meeting.",
    "Foreign Minister X expressed his hope to visit at an early date.",
    "The Secretary welcomed the progress.",
    "They exchanged views on regional affairs.",
    "Japan will provide assistance by the end of this year.",
    "\u202eevil\u202c \u200b<script>alert(1)</script> =cmd|' /C calc'!A0",
]
readout_like = st.lists(
    st.tuples(
        st.sampled_from(["", "1. ", "(2) ", "3) ", "- ", "• ", "\n"]),
        st.one_of(st.sampled_from(PHRASES), st.text(max_size=80)),
    ),
    min_size=0,
    max_size=8,
).map(lambda parts: "Title line\n\n" + "\n".join(prefix + body for prefix, body in parts))

TABLES = (Readout, ReadoutPoint, Commitment, Party, Event)


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(session.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES)


def _ingest_or_roll_back(session: Session, text: str, meeting_date: dt.date | None) -> None:
    before = _counts(session)
    unit = session.begin_nested()  # the unit of work a request or command would own
    try:
        ingest_text(session, text, meeting_date=meeting_date, now=NOW, settings=DeadlineSettings())
    except ServiceError:
        unit.rollback()
        assert _counts(session) == before, "a failed ingest must leave no rows"
        return
    readout = session.scalars(select(Readout).order_by(Readout.id.desc())).first()
    # Stored as given, but for characters XML cannot hold, replaced one for one (issue 19).
    text = xml_safe(text)
    assert readout is not None and readout.text == text
    for point in readout.points:
        assert 0 <= point.start_offset < point.end_offset <= len(text)
        for c in point.commitments:
            assert text[c.quote_start : c.quote_end] == c.quote
    unit.rollback()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=400), readout_like), with_date=st.booleans())
def test_ingest_never_crashes_and_never_half_writes(session: Session, text: str, with_date: bool) -> None:
    _ingest_or_roll_back(session, text, dt.date(2024, 3, 1) if with_date else None)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=600), name=st.sampled_from(["a.txt", "b.html", "c.docx", "d.pdf", "e"]))
def test_reading_arbitrary_bytes_gives_text_or_a_clear_error(data: bytes, name: str) -> None:
    try:
        text = read_document(data, name)
    except ExtractionError as exc:
        assert str(exc)
    else:
        assert isinstance(text, str)
