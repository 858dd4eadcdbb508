"""The deadline stage: each commitment's time words, read with the grammar in tracker.deadlines."""

from __future__ import annotations

import bisect
import datetime as dt
import re

from tracker.deadlines import DeadlineSettings, find_event_anchor, parse_deadline
from tracker.extraction.sentences import Span
from tracker.extraction.types import DeadlineSpec

# "Prime Minister A asked for B's cooperation at the upcoming Summit. In response, B promised to
# cooperate": the answer takes the time of the request it answers.
_RESPONSE = re.compile(
    r"\s*(?:[Ii]n\s+(?:response|reply|return)|[Rr]esponding(?:\s+to\s+(?:this|that|the\s+request))?|"
    r"[Ii]n\s+response\s+to\s+(?:this|that|the\s+request))\b"
)
_REQUEST = re.compile(r"\b(?:asked|requested|sought|called\s+(?:for|on|upon)|urged|appealed)\b|\brequest\b")


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


def answered_request_deadline(
    text: str,
    spans: list[Span],
    quote_start: int,
    spec: DeadlineSpec,
    settings: DeadlineSettings,
) -> DeadlineSpec:
    """A reply with no time of its own ("In response, X promised to ...") inherits the event of the
    request in the sentence before it; `spans` are the point's sentences."""
    if spec.type not in ("ongoing", "none"):
        return spec
    index = bisect.bisect_right(spans, quote_start, key=lambda sp: sp.start) - 1
    if index < 1:
        return spec
    sent, previous = spans[index], spans[index - 1]
    if not _RESPONSE.match(text, sent.start, quote_start + 1):
        return spec
    if not _REQUEST.search(text, previous.start, previous.end):
        return spec
    anchor = find_event_anchor(text, previous.start, previous.end)
    if anchor is None:
        return spec
    return parse_deadline(text, None, settings, start=anchor.start, end=anchor.end)
