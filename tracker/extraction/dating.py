"""The deadline stage: each commitment's time words, read with the grammar in tracker.deadlines."""

from __future__ import annotations

import datetime as dt

from tracker.deadlines import DeadlineSettings, parse_deadline
from tracker.extraction.types import DeadlineSpec


def deadline_for(
    text: str,
    start: int,
    end: int,
    meeting_date: dt.date | None,
    settings: DeadlineSettings,
    visit_name: str | None = None,
) -> DeadlineSpec:
    """The deadline of the commitment whose clause is text[start:end]."""
    return parse_deadline(text, meeting_date, settings, start=start, end=end, visit_name=visit_name)
