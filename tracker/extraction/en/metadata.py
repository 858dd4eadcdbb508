"""Meeting metadata: the title and the meeting's date, read from the text itself.

The date comes from the dateline or the opening sentence ("On June 6, commencing at around
5:00 p.m." with "June 6, 2018" above it). When the text gives no year we say so instead of
guessing: the officer passes --date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tracker.extraction.types import NO_DATE, NO_YEAR

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<{n}>January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DATE = re.compile(
    r"(?P<iso>\b(?P<iy>(?:19|20)\d\d)[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})\b)"
    r"|(?:\b"
    + _MONTH.format(n="m1")
    + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>(?:19|20)\d\d)\b)?)"
    r"|(?:\b(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+"
    + _MONTH.format(n="m2")
    + r"\b(?:,?\s+(?P<y2>(?:19|20)\d\d)\b)?)"
)


@dataclass(frozen=True)
class DateMention:
    start: int
    year: int | None
    month: int
    day: int


def date_mentions(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Calendar dates written in text[start:end], with or without a year."""
    end = len(text) if end is None else end
    found = []
    for m in _DATE.finditer(text, start, end):
        year: int | None
        try:
            if m.group("iso"):
                year, month, day = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
            elif m.group("m1"):
                month = _MONTHS[m.group("m1")[:3].lower()]
                day = int(m.group("d1"))
                year = int(m.group("y1")) if m.group("y1") else None
            else:
                month = _MONTHS[m.group("m2")[:3].lower()]
                day = int(m.group("d2"))
                year = int(m.group("y2")) if m.group("y2") else None
            dt.date(year or 2000, month, day)
        except (ValueError, KeyError):
            continue
        found.append(DateMention(m.start(), year, month, day))
    return found


def title_of(text: str) -> tuple[str | None, int]:
    """The first non-blank line, and the offset where the body after it starts."""
    pos = 0
    for raw in text.split("\n"):
        if raw.strip():
            # A "title" of more than 40 words is the body of a readout pasted without its title,
            # unless it ends as no sentence does: a press service's long heading ("Information ... on
            # the telephone conversation between the Minister ... and the Minister ... (En/Ru)").
            if len(raw.split(None, 41)) > 40 and re.search(r"[.!?:;][\"”’')\]]*\s*$", raw):
                return None, pos
            return raw.strip(), pos + len(raw)
        pos += len(raw) + 1
    return None, len(text)


def meeting_date_of(text: str, header_end: int) -> tuple[dt.date | None, str]:
    """The meeting's date from the header (title, dateline, opening paragraph) and why."""
    mentions = date_mentions(text, 0, header_end)
    if not mentions:
        return None, NO_DATE
    # The opening sentence's "On June 6" names the meeting day; a dateline gives the year.
    opening = next((m for m in mentions if _preceded_by_on(text, m.start)), None)
    with_year = [m for m in mentions if m.year is not None]
    if opening is not None and opening.year is not None:
        return dt.date(opening.year, opening.month, opening.day), "stated"
    if opening is not None:
        same_day = next((m for m in with_year if (m.month, m.day) == (opening.month, opening.day)), None)
        if same_day is not None:
            return dt.date(same_day.year, opening.month, opening.day), "stated"  # type: ignore[arg-type]
        if with_year:
            year = with_year[0].year
            assert year is not None
            return dt.date(year, opening.month, opening.day), "stated"
        return None, NO_YEAR
    if with_year:
        first = with_year[0]
        assert first.year is not None
        return dt.date(first.year, first.month, first.day), "stated"
    return None, NO_YEAR


def _preceded_by_on(text: str, pos: int) -> bool:
    before = text[max(0, pos - 30) : pos]
    return bool(
        re.search(
            r"\b(?:[Oo]n|[Oo]f)\s+(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?$",
            before,
        )
    )
